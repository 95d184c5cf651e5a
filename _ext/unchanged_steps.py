"""Whole-book steps skipped when nothing they read has changed (a local Sphinx extension).

Two steps run on every build, after the pages are read, whatever was read:

* **the bibliography** (sphinxcontrib-bibtex, ``env-updated``): every cited entry of
  ``references.bib`` is formatted again, for every build;
* **the numbering** (Sphinx's toctree collector, ``env-get-updated``): section, figure and
  table numbers are assigned again, which loads every page's doctree from disk.

Both compute their result from the build environment alone, and both leave it in the
environment, which Sphinx keeps between builds. This extension runs each only when its
inputs may have changed:

* the numbering, when a page was read or removed in this build (a numbering comes from the
  pages' doctrees and tables of contents, which change only then; a change of configuration
  or of ``_toc.yml`` makes Sphinx read the pages concerned);
* the bibliography, when its inputs differ from those of the build that last formatted it:
  the bib files as sphinxcontrib-bibtex parsed them, every ``{bibliography}`` directive,
  every citation (page, order, keys) and the page order. When they are the same, the
  citations formatted then are put back as they were (a page read again has its citations
  cleared by sphinxcontrib-bibtex and would otherwise lose them). When they differ, the
  pages whose bibliography or citation labels changed are written again (sphinxcontrib-bibtex
  asks for none: a page not read again kept its old reference list or numbers).

A skipped step is logged (``[report] ... unchanged``). If an upgrade of Sphinx or
sphinxcontrib-bibtex changes the listeners this extension wraps, the build warns (``-W``
fails) and runs both steps as before.
"""

from __future__ import annotations

import ast
import hashlib
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ATTR = "report_bibtex_memo"  # on the environment: (signature, citations) of the last formatting


def _note_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    app.report_removed = set(removed)  # type: ignore[attr-defined]
    return []


def _note_reading(app: Sphinx, env, docnames: list[str]) -> None:
    app.report_read_now = set(docnames)  # type: ignore[attr-defined]  # the final list (late priority)


def _anything_read(app: Sphinx) -> bool:
    read = getattr(app, "report_read_now", None)
    return read is None or bool(read) or bool(getattr(app, "report_removed", None))


def bibliography_signature(domain, docnames: list[str], config) -> str:
    """A digest of everything sphinxcontrib-bibtex's formatting of the citations reads."""
    order = {d: i for i, d in enumerate(docnames)}
    bibfiles = sorted((str(path), repr(info)) for path, info in domain.bibdata.bibfiles.items())
    bibliographies = sorted(
        (
            key.docname,
            key.id_,
            [str(p) for p in value.bibfiles],
            value.style,
            value.list_,
            value.enumtype,
            value.start,
            value.labelprefix,
            value.keyprefix,
            ast.dump(value.filter_) if isinstance(value.filter_, ast.AST) else repr(value.filter_),
            sorted((k, list(node.get("ids", []))) for k, node in value.citation_nodes.items()),
            list(value.keys),
        )
        for key, value in domain.bibliographies.items()
    )
    refs = [
        (ref.docname, [(t.key, t.pre, t.post) for t in ref.targets]) for ref in sorted(domain.citation_refs, key=lambda r: order.get(r.docname, len(order)))
    ]
    settings = (config.bibtex_tooltips, config.bibtex_tooltips_style, config.bibtex_default_style, config.bibtex_reference_style)
    return hashlib.sha256(repr((bibfiles, bibliographies, refs, docnames, settings)).encode()).hexdigest()


def rewritten(old: list, new: list, refs: list) -> set[str]:
    """The pages to write again when the formatted citations changed from ``old`` to ``new``.

    A bibliography's page, when an entry of it appears, goes or reads differently; a page that
    cites an entry whose label or text changed (numbered labels shift when a citation is added
    before them). sphinxcontrib-bibtex itself asks for none, so such pages kept their old list
    or numbers until they were read again.
    """

    def table(citations: list) -> dict:
        return {(c.bibliography_key.docname, c.key): (c.formatted_entry.label, c.formatted_entry.text.render_as("text")) for c in citations}

    before, after = table(old), table(new)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    keys = {key for _, key in changed}
    return {doc for doc, _ in changed} | {ref.docname for ref in refs if any(t.key in keys for t in ref.targets)}


def _wrap_bibliography(handler):
    def env_updated(app: Sphinx, env) -> Any:
        from sphinxcontrib.bibtex.domain import get_docnames

        domain = env.get_domain("cite")
        signature = bibliography_signature(domain, list(get_docnames(env)), app.config)
        memo = getattr(env, ATTR, None)
        if memo is not None and memo[0] == signature:
            domain.data["citations"] = list(memo[1])
            logger.info("[report] bibliography unchanged: citations kept from the last build")
            return []
        result = list(handler(app, env) or [])
        if memo is not None:
            result += sorted(rewritten(memo[1], domain.citations, domain.citation_refs) & set(env.all_docs) - set(result))
        setattr(env, ATTR, (signature, list(domain.citations)))
        return result

    return env_updated


NUMREFS = "report_numrefs"  # on the environment: page -> the labels its {numref}s name


def _note_numrefs(app: Sphinx, doctree) -> None:
    from sphinx import addnodes

    targets = sorted({n["reftarget"].lower() for n in doctree.findall(addnodes.pending_xref) if n.get("reftype") == "numref"})
    numrefs = getattr(app.env, NUMREFS, None)
    if numrefs is None:
        numrefs = app.env.report_numrefs = {}
    numrefs[app.env.docname] = targets


def _purge_numrefs(app: Sphinx, env, docname: str) -> None:
    getattr(env, NUMREFS, {}).pop(docname, None)


def _merge_numrefs(app: Sphinx, env, docnames: set[str], other) -> None:
    if not hasattr(env, NUMREFS):
        env.report_numrefs = {}
    env.report_numrefs.update({d: v for d, v in getattr(other, NUMREFS, {}).items() if d in docnames})


def numref_pages(numrefs: dict[str, list[str]], labels: dict, renumbered: set[str]) -> set[str]:
    """The pages whose ``{numref}`` names a target on a renumbered page (they print its number)."""
    return {doc for doc, targets in numrefs.items() if any(labels.get(t, (None,))[0] in renumbered for t in targets)}


def _wrap_numbering(handler):
    def get_updated_docs(app: Sphinx, env) -> Any:
        if _anything_read(app):
            result = list(handler(app, env) or [])
            more = numref_pages(getattr(env, NUMREFS, {}), env.domains["std"].labels, set(result)) - set(result)
            return result + sorted(more & set(env.all_docs))
        logger.info("[report] numbering unchanged: no page read or removed")
        return []

    return get_updated_docs


def _is_bibtex_env_updated(handler) -> bool:
    return getattr(handler, "__module__", "") == "sphinxcontrib.bibtex" and getattr(handler, "__name__", "") == "env_updated"


def _is_toctree_numbering(handler) -> bool:
    from sphinx.environment.collectors.toctree import TocTreeCollector

    return getattr(handler, "__func__", None) is TocTreeCollector.get_updated_docs


def _wrap_listeners(app: Sphinx, config) -> None:
    """Replace the two listeners by their wrapped versions (at config-inited: every extension is set up)."""
    listeners = app.events.listeners
    found = {"bibliography": False, "numbering": False}
    for event, test, wrap, name in (
        ("env-updated", _is_bibtex_env_updated, _wrap_bibliography, "bibliography"),
        ("env-get-updated", _is_toctree_numbering, _wrap_numbering, "numbering"),
    ):
        for i, listener in enumerate(listeners.get(event, [])):
            if test(listener.handler):
                listeners[event][i] = listener._replace(handler=wrap(listener.handler))
                found[name] = True
    if "sphinxcontrib.bibtex" not in app.extensions:
        found["bibliography"] = True  # nothing to skip
    missing = [name for name, ok in found.items() if not ok]
    if missing:
        logger.warning(f"[report] the {' and '.join(missing)} listener(s) are no longer where _ext/unchanged_steps.py expects them: each runs on every build")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _wrap_listeners, priority=900)
    app.connect("env-get-outdated", _note_outdated)
    app.connect("env-before-read-docs", _note_reading, priority=900)
    app.connect("doctree-read", _note_numrefs)
    app.connect("env-purge-doc", _purge_numrefs)
    app.connect("env-merge-info", _merge_numrefs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
