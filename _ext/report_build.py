"""Local Sphinx extension for the report.

1. **Correct cached rebuilds.** myst-nb's cache re-executes a notebook only when its
   own code cells change. This extension fingerprints everything the chapters read
   besides their own cells (``analysis/``, ``data/``, ``references.bib``). When the
   fingerprint differs from the last successful build, it empties the execution
   cache and marks every notebook that imports ``analysis`` for re-reading, so
   they re-execute against the new code and data. A prose-only edit leaves the
   fingerprint alone and executes nothing.
2. **Links to the annotated source that every builder resolves.** Each coded row's
   anchor on the annotated source page (``report_source_doc``, ``id="q-c07"``) is
   registered as a Sphinx label, so table cells (``[C07](#q-c07)``, written by
   :class:`analysis.tables.Table`) and the ``{quote}`` role are ordinary
   cross-references: right in ``html``, ``dirhtml``, ``singlehtml`` and the PDF.
3. **Quotations from the data in prose**: the role ``{quote}`C07``` writes the quote
   of row C07 (any coded row, sentences included) in quotation marks, linked to its
   place in the annotated source; ``{quote}`C07:some words``` shows only that
   fragment, which must be part of the row's quote. An unknown id or a fragment that is
   not in the quote is an error at its place in the page (``-W`` fails the build).
4. **Accessibility repairs** of markup that extensions emit: myst-nb's toggles get
   no aria-label that hides their visible text, and the bibliography's entries
   get the ``listitem`` role that their ``role="list"`` container requires. A repair
   that no longer matches the markup (after an upgrade) is a warning, so ``-W`` fails.
5. **A lighter page**: the theme's 1.5 MB icon bundle is replaced by the icons the
   site uses (see ``fontawesome_subset.py``; it fails the build when the bundle's
   format is not the one it knows).

Tables are numbered by Sphinx (``numfig``), meta descriptions come from
``sphinxext-opengraph`` and live code (thebe) is left out of the extension list in
``_config.yml``: none of these needs code here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from fontawesome_subset import replace_bundle

logger = logging.getLogger(__name__)

WATCHED = ("analysis", "data", "references.bib")
STAMP = ".report-fingerprint"


def fingerprint(root: Path) -> str:
    """SHA-256 over the paths and contents of every watched file (caches excluded)."""
    digest = hashlib.sha256()
    for name in WATCHED:
        base = root / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _stamp_path(app: Sphinx) -> Path:
    return Path(app.outdir).parent / STAMP


def _uses_analysis(path: Path) -> bool:
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return True
    return any(c.get("cell_type") == "code" and "analysis" in "".join(c.get("source", "")) for c in cells)


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    root = Path(app.srcdir)
    current = fingerprint(root)
    stamp = _stamp_path(app)
    app.env.report_fingerprint = current  # type: ignore[attr-defined]
    previous = stamp.read_text().strip() if stamp.exists() else None
    if previous == current:
        return []
    notebooks = [d for d in env.found_docs if (root / f"{d}.ipynb").exists() and _uses_analysis(root / f"{d}.ipynb")]
    cache = Path(app.outdir).parent / ".jupyter_cache"
    if previous is not None:
        logger.info(f"[report] analysis/ or data/ changed: re-executing {len(notebooks)} notebook(s)")
    if cache.exists():
        shutil.rmtree(cache)
    return sorted(set(notebooks) - set(added) - set(changed))


def _finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html" and "pydata_sphinx_theme" in app.extensions:
        sizes = replace_bundle(Path(app.outdir))
        if sizes:
            logger.info(f"[report] icon bundle reduced from {sizes[0]:,} to {sizes[1]:,} bytes")
    current = getattr(app.env, "report_fingerprint", None)
    if exception is None and current and app.builder.name in ("html", "dirhtml", "latex"):
        _stamp_path(app).write_text(current + "\n")


ACCESSIBILITY_REPAIRS = [
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('role="doc-biblioentry"', 'role="listitem"'),
]


#: What must not remain after the repairs: if an upgrade changes the markup so that a repair
#: no longer matches, the page is reported (a warning, so ``-W`` fails the build).
_UNREPAIRED = re.compile(r"<summary\b[^>]*\baria-label=|doc-biblioentry")


def _repair_accessibility(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body:
        for old, new in ACCESSIBILITY_REPAIRS:
            body = body.replace(old, new)
        context["body"] = body
        left = _UNREPAIRED.search(body)
        if left:
            logger.warning(
                f"[report] accessibility repair no longer matches the markup: {left.group(0)!r} is left on the page; update ACCESSIBILITY_REPAIRS in _ext/report_build.py",
                location=pagename,
            )


# --- The annotated source: its anchors as labels, and the {quote} role ------------------

_QUOTES: dict[str, dict[str, str]] = {}  # srcdir -> {row id: quote}, loaded once per build process


def source_quotes(srcdir: str | Path) -> dict[str, str]:
    """Every coded row's quote by row id (sentences included), read with the report's loader."""
    key = str(Path(srcdir).resolve())
    if key not in _QUOTES:
        from analysis import load_all
        from analysis.schema import provenance_keys

        ds = load_all(Path(srcdir))
        _QUOTES[key] = {
            str(row_id): str(quote)
            for table, column in provenance_keys(ds.package).items()
            for row_id, quote in zip(ds.tables[table][column], ds.tables[table]["quote"])
        }
    return _QUOTES[key]


def _register_source_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Make each coded row's anchor in the annotated source a label that links can name.

    The annotated source marks row ``C07`` with ``id="q-c07"`` (:func:`analysis.tables.anchor`).
    Registered as a label of that page, ``[C07](#q-c07)`` in a table and the ``{quote}`` role
    resolve through Sphinx like any cross-reference: ``source.html#q-c07`` on the site, an
    in-page jump in the single page (and so in the PDF).
    """
    from analysis.tables import anchor

    env = app.env
    if env.docname != app.config.report_source_doc:
        return
    std = env.domains["std"]
    for row_id in source_quotes(app.srcdir):
        name = anchor(row_id)
        std.anonlabels[name] = (env.docname, name)
        std.labels[name] = (env.docname, name, row_id)


def _quote_examples(quotes: dict[str, str]) -> str:
    firsts: dict[str, str] = {}
    for row_id in quotes:
        firsts.setdefault(row_id.rstrip("0123456789"), row_id)
    return ", ".join(list(firsts.values())[:5])


def _quote_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{quote}`ID``` or ``{quote}`ID:fragment```: a coded row's quote, linked to the source.

    An unknown id, or a fragment that the row's quote does not contain, is reported as an
    error at the role's place (``-W`` fails the build; ``--keep-going`` lists them all).
    """
    from sphinx import addnodes

    from analysis.tables import anchor

    env = inliner.document.settings.env
    quotes = source_quotes(env.srcdir)
    key, _, fragment = text.partition(":")
    key, fragment = key.strip(), fragment.strip()
    problem = None
    if key not in quotes:
        problem = f"{{quote}}`{text}` names no coded row (ids look like {_quote_examples(quotes)})"
    elif fragment and fragment not in quotes[key]:
        problem = f"{{quote}}`{text}`: {fragment!r} is not part of the quote of {key}: {quotes[key]!r}"
    if problem:
        msg = inliner.reporter.error(problem, line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    shown = f"\u201c{fragment or quotes[key]}\u201d"
    ref = addnodes.pending_xref(rawtext, refdomain="std", reftype="ref", reftarget=anchor(key), refexplicit=True, refwarn=True)
    ref += nodes.inline(shown, shown, classes=["report-quote"])
    return [ref], []


class SinglePageFragments(SphinxPostTransform):
    """In the single-page book, link to another chapter's target by its fragment alone.

    Sphinx's ``singlehtml`` builder writes a cross-chapter link as ``<root doc>.html#id``
    relative to the output root, although the page itself lies in the root document's
    folder (``chapters/index.html``), so the link leaves the page (and the PDF printed
    from it). Every chapter is on that one page, so ``#id`` is the right link.
    """

    default_priority = 900  # after references are resolved, before the builder's own fix-up
    builders = ("singlehtml",)

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri.startswith("#document-") and uri.count("#") == 2:
                ref["refuri"] = "#" + uri.rsplit("#", 1)[1]


def setup(app: Sphinx) -> dict:
    """Register the report's role, config value and event handlers."""
    app.add_config_value("report_source_doc", "chapters/source", "env", types=[str])
    app.add_role("quote", _quote_role)
    app.connect("doctree-read", _register_source_anchors)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished)
    app.connect("html-page-context", _repair_accessibility)
    app.add_post_transform(SinglePageFragments)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
