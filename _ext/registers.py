"""Local Sphinx extension: the book's registers, checked against the pages that use them.

- **Inferences.** An inference of ``data/inferences.csv`` is boxed by the output of a code cell,
  ``box("I03")`` (:func:`analysis.views.prose.boxer`), on the page the register names; the box
  carries the HTML id ``inference-i03``, so any page links to it with ``[I03](#inference-i03)``.
- **Statements.** A sentence of ``data/statements.csv`` is shown by ``{eval}`say.ST05```
  (:class:`analysis.views.prose.Sayer`), which checks it against the data when the chapter runs and
  marks it with the id ``statement-st05``.

The build logs a warning with its location (so ``-W`` fails it) when a registered row is shown on
no page, or on more than one. That a row is shown only on its own page is checked when the
chapter runs (the box and the sayer refuse another chapter's rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: register -> (id column, HTML id prefix, element class, how a page shows a row)
REGISTERS = {
    "inferences": ("inference_id", "inference-", "inference", "a code cell box({id!r})"),
    "statements": ("statement_id", "statement-", "statement", "{{eval}}`say.{id}`"),
}


def _shown(env: Any) -> list[tuple[str, str, str]]:
    if not hasattr(env, "report_register_uses"):
        env.report_register_uses = []
    return env.report_register_uses


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """Note every registered row the page shows: (register, page, row id)."""
    for register, (_, prefix, cls, _) in REGISTERS.items():
        for node in doctree.findall(nodes.Element):
            if cls in node.get("classes", []):
                for node_id in node.get("ids", []) + node.get("names", []):
                    if node_id.startswith(prefix):
                        _shown(app.env).append((register, app.env.docname, node_id[len(prefix) :].upper()))
                        break


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    env.report_register_uses = [u for u in _shown(env) if u[1] != docname]


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _shown(env).extend(u for u in _shown(other) if u[1] in docnames)


def register_problems(register: str, rows: dict[str, str], shown: list[tuple[str, str, str]], docs: set[str]) -> list[tuple[str, str]]:
    """``(chapter, message)`` for each row of ``register`` (id -> chapter) shown on no page or on more than one.

    A row registered for a page that is not built (a partial book) is not reported.
    """
    how = REGISTERS[register][3]
    out = []
    for row_id, chapter in sorted(rows.items()):
        places = [doc for r, doc, i in shown if r == register and i == row_id]
        if not places and chapter in docs:
            out.append((chapter, f"{register[:-1]} {row_id} is registered for {chapter} but no page shows it (add {how.format(id=row_id)} there)"))
        elif len(places) > 1:
            out.append((chapter, f"{register[:-1]} {row_id} is shown {len(places)} times ({', '.join(places)}); show it once and link to it"))
    return out


def _check(app: Sphinx, env: Any) -> None:
    if not (Path(app.srcdir) / "data" / "datapackage.yaml").is_file():
        return
    from analysis import load_all

    ds = load_all(Path(app.srcdir))
    for register, (column, *_rest) in REGISTERS.items():
        table = ds.tables.get(register)
        if table is None:
            continue
        rows = dict(zip(table[column], table.chapter))
        for chapter, message in register_problems(register, rows, _shown(env), set(env.found_docs)):
            logger.warning(message, location=chapter if chapter in env.found_docs else None, type="report", subtype=register)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
    return {"version": "2.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
