"""Local Sphinx extension: the book's registers, checked against the pages that use them.

An inference of ``data/inferences.csv`` is boxed by the output of a code cell,
``box("I03")`` (:func:`analysis.views.prose.boxer`), on the page the register names; the
box carries the HTML id ``inference-i03``, so any page links to it with ``[I03](#inference-i03)``.
The build logs a warning with its location (so ``-W`` fails it) when a registered
inference is boxed on no page, or on more than one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PREFIX = "inference-"
WARN = {"type": "report", "subtype": "inference"}


def _boxes(env: Any) -> list[tuple[str, str]]:
    if not hasattr(env, "report_inference_boxes"):
        env.report_inference_boxes = []
    return env.report_inference_boxes


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """Note every inference box the page shows: (page, inference id)."""
    for node in doctree.findall(nodes.admonition):
        if "inference" in node.get("classes", []):
            for node_id in node.get("ids", []) + node.get("names", []):
                if node_id.startswith(PREFIX):
                    _boxes(app.env).append((app.env.docname, node_id[len(PREFIX) :].upper()))
                    break


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    env.report_inference_boxes = [b for b in _boxes(env) if b[0] != docname]


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _boxes(env).extend(b for b in _boxes(other) if b[0] in docnames)


def unboxed_problems(register: dict[str, str], boxes: list[tuple[str, str]], docs: set[str]) -> list[tuple[str, str]]:
    """``(chapter, message)`` for each registered inference (id -> chapter) boxed on no page or on more than one.

    An inference registered for a page that is not built (a partial book) is not reported.
    """
    out = []
    for inference_id, chapter in sorted(register.items()):
        places = [doc for doc, i in boxes if i == inference_id]
        if not places and chapter in docs:
            out.append((chapter, f"inference {inference_id} is registered for {chapter} but no page boxes it (add a code cell box({inference_id!r}) there)"))
        elif len(places) > 1:
            out.append((chapter, f"inference {inference_id} is boxed {len(places)} times ({', '.join(places)}); box it once and link to it"))
    return out


def _check(app: Sphinx, env: Any) -> None:
    if not (Path(app.srcdir) / "data" / "inferences.csv").is_file():
        return
    from analysis import load_all

    inferences = load_all(Path(app.srcdir)).inferences
    register = dict(zip(inferences.inference_id, inferences.chapter))
    for chapter, message in unboxed_problems(register, _boxes(env), set(env.found_docs)):
        logger.warning(message, location=chapter if chapter in env.found_docs else None, **WARN)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
