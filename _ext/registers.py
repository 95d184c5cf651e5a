"""Local Sphinx extension: the inference register in the book.

The directive::

    ```{inference} I03
    Optional body text, parsed as MyST.
    ```

renders row I03 of ``data/inferences.csv`` as a caution-styled box titled
"Inference I03: <title>", with its statement, basis and confidence (all taken from
the table and escaped), then any body content. Ids of coded rows in the basis link
to their place in the annotated source; citation keys become citations.

The role ``{inference}`I03``` writes "I03" linked to that box, wherever it stands.

The build logs a warning with its location (so ``-W`` fails it) when

- a box or a role names an id the register does not have;
- a box stands on a page other than the row's ``chapter``;
- an inference is boxed more than once, or on no page at all.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import page_uses

logger = logging.getLogger(__name__)

REGISTER = Path("data") / "inferences.csv"
ID_TOKEN = re.compile(r"^[A-Z]{1,3}[0-9]+$")  # the same as analysis.queries.inferences.ID_TOKEN (tests/test_synthetic.py)
KEY_TOKEN = re.compile(r"^[a-z][A-Za-z0-9_:-]*$")
WARN = {"type": "report", "subtype": "inference"}


def read_register(path: Path) -> dict[str, dict[str, str]]:
    """The inference register as ``{inference_id: row}`` (plain CSV read; the loader validates it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["inference_id"].strip(): row for row in csv.DictReader(handle)}


def _register(app: Sphinx) -> dict[str, dict[str, str]]:
    if not hasattr(app, "report_inferences"):
        path = Path(app.srcdir) / REGISTER
        app.report_inferences = read_register(path) if path.exists() else {}  # type: ignore[attr-defined]
    return app.report_inferences  # type: ignore[attr-defined]


def _quoted_ids(app: Sphinx) -> set[str]:
    """Ids of every row that carries a quote (linkable to the annotated source); loaded on first use."""
    if not hasattr(app, "report_quoted_ids"):
        if not (Path(app.srcdir) / "data" / "datapackage.yaml").exists():
            app.report_quoted_ids = set()  # type: ignore[attr-defined]
            return app.report_quoted_ids  # type: ignore[attr-defined]
        from analysis import load_all
        from analysis.data.schema import provenance_keys

        ds = load_all(Path(app.srcdir))
        app.report_quoted_ids = {  # type: ignore[attr-defined]
            str(rid) for table, key in provenance_keys(ds.package).items() for rid in ds.tables[table][key]
        }
    return app.report_quoted_ids  # type: ignore[attr-defined]


def box_id(inference_id: str) -> str:
    """The HTML id of a box (``inference-i03``), matching ``analysis.queries.inferences.box_anchor``."""
    return f"inference-{inference_id.lower()}"


def _boxes(env: Any) -> list[tuple[str, str, int]]:
    if not hasattr(env, "report_inference_boxes"):
        env.report_inference_boxes = []
    return env.report_inference_boxes


class InferenceDirective(SphinxDirective):
    """Box one registered inference (see the module docstring)."""

    required_arguments = 1
    optional_arguments = 0
    has_content = True

    def run(self) -> list[nodes.Node]:
        inference_id = self.arguments[0].strip()
        page_uses.note(self.env, f"inference:{inference_id}")
        register = _register(self.env.app)
        location = self.get_location()
        if inference_id not in register:
            known = ", ".join(sorted(register)[:6]) + (" ..." if len(register) > 6 else "")
            logger.warning(f"{{inference}} {inference_id}: no such row in {REGISTER.as_posix()} (known: {known})", location=location, **WARN)
            return []
        row = register[inference_id]
        chapter = row.get("chapter", "").strip()
        if chapter and chapter != self.env.docname:
            logger.warning(
                f"{{inference}} {inference_id} is registered for {chapter} but boxed on {self.env.docname}; box it on its own page or change its chapter in {REGISTER.as_posix()}",
                location=location,
                **WARN,
            )
        _boxes(self.env).append((self.env.docname, inference_id, self.lineno))
        std = self.env.domains["std"]  # a label, so tables and prose can link to the box in every builder
        std.anonlabels[box_id(inference_id)] = (self.env.docname, box_id(inference_id))
        std.labels[box_id(inference_id)] = (self.env.docname, box_id(inference_id), f"Inference {inference_id}")

        box = nodes.admonition(classes=["caution", "inference"], ids=[box_id(inference_id)])
        box += nodes.title(text=f"Inference {inference_id}: {row['title']}")
        box += nodes.paragraph(text=row["statement"])
        basis = nodes.paragraph(classes=["inference-basis"])
        basis += nodes.strong(text="Basis: ")
        for i, item in enumerate(i.strip() for i in row["basis"].split("|")):
            if i:
                basis += nodes.Text("; ")
            basis += self._basis_item(item)
        box += basis
        confidence = nodes.paragraph(classes=["inference-confidence"])
        confidence += nodes.strong(text="Confidence: ")
        confidence += nodes.Text(row["confidence"])
        box += confidence
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, box)
        return [box]

    def _basis_item(self, item: str) -> list[nodes.Node]:
        if ID_TOKEN.match(item):
            page_uses.note(self.env, f"quoted:{item}")
        if ID_TOKEN.match(item) and item in _quoted_ids(self.env.app):
            # a cross-reference to the row's label in the annotated source (registered by
            # report_build), resolved by Sphinx for every builder
            ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=f"q-{item.lower()}", refexplicit=True, refwarn=True)
            ref += nodes.inline(item, item, classes=["report-quote"])
            return [ref]
        if KEY_TOKEN.match(item) and not ID_TOKEN.match(item):
            holder = nodes.paragraph()
            self.state.nested_parse(StringList([f"{{cite:p}}`{item}`"], source=self.get_source_info()[0]), self.content_offset, holder)
            inner = holder.children[0] if holder.children and isinstance(holder.children[0], nodes.paragraph) else holder
            return list(inner.children)
        return [nodes.Text(item)]


def _inference_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    inference_id = text.strip()
    page_uses.note(env, f"inference:{inference_id}")
    if inference_id not in _register(env.app):
        logger.warning(f"{{inference}}`{inference_id}`: no such row in {REGISTER.as_posix()}", location=(env.docname, lineno), **WARN)
        return [nodes.Text(inference_id)], []
    node = nodes.reference(rawtext, inference_id, refuri="#", classes=["inference-ref"])
    node["report_inference"] = inference_id
    return [node], []


def _resolve_refs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    register = _register(app)
    for node in doctree.findall(nodes.reference):
        inference_id = node.get("report_inference")
        if not inference_id:
            continue
        chapter = register[inference_id]["chapter"].strip()
        page = "" if chapter == docname else app.builder.get_relative_uri(docname, chapter).split("#")[0]
        node["refuri"] = f"{page}#{box_id(inference_id)}"


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    env.report_inference_boxes = [b for b in _boxes(env) if b[0] != docname]


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _boxes(env).extend(b for b in _boxes(other) if b[0] in docnames)


def unboxed_problems(register: dict[str, dict[str, str]], boxes: list[tuple[str, str, int]], docs: set[str] | None = None) -> list[tuple[str, str]]:
    """``(chapter, message)`` for each registered inference boxed on no page or on more than one.

    With ``docs`` (the pages of this build), an inference registered for a page that is not
    built (a partial book) is not reported as missing; the orphan-chapter check reports such
    pages when they are left out of the table of contents by mistake.
    """
    out = []
    for inference_id, row in sorted(register.items()):
        places = [(doc, line) for doc, i, line in boxes if i == inference_id]
        chapter = row.get("chapter", "").strip()
        if not places and docs is not None and chapter not in docs:
            continue
        if not places:
            out.append(
                (
                    chapter,
                    f"inference {inference_id} is registered in {REGISTER.as_posix()} for {chapter} but no page boxes it (add ```{{inference}} {inference_id}``` there)",
                )
            )
        elif len(places) > 1:
            where = ", ".join(f"{d} line {l}" for d, l in places)
            out.append((chapter, f"inference {inference_id} is boxed {len(places)} times ({where}); box it once and link to it"))
    return out


def _check(app: Sphinx, env: Any) -> None:
    for chapter, message in unboxed_problems(_register(app), _boxes(env), set(env.found_docs)):
        logger.warning(message, location=chapter if chapter in env.found_docs else None, **WARN)


def setup(app: Sphinx) -> dict:
    app.add_directive("inference", InferenceDirective)
    app.add_role("inference", _inference_role)
    app.connect("doctree-resolved", _resolve_refs)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
