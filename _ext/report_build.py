"""Local Sphinx extension for the report.

1. **Correct cached rebuilds.** myst-nb's cache re-executes a notebook only when its
   own code cells change. This extension fingerprints everything the chapters read
   besides their own cells (``analysis/``, ``data/``, ``references.bib``). When the
   fingerprint differs from the last successful build, it empties the execution
   cache and marks every notebook that imports ``analysis`` for re-reading, so
   they re-execute against the new code and data. A prose-only edit leaves the
   fingerprint alone and executes nothing.
2. **An offline, console-clean site.** The book does not offer live code (thebe):
   its listeners are disconnected and its CDN-loading scripts and stylesheet are
   dropped, so no page asks another host for anything.
3. **A meta description per page**, taken from the page's first paragraph.
4. **Accessibility repairs** of markup that extensions emit: myst-nb's toggles get
   no aria-label that hides their visible text, and the bibliography's entries
   get the ``listitem`` role that their ``role="list"`` container requires.
5. **A lighter page**: the theme's 1.5 MB icon bundle is replaced by the icons the
   site uses (see ``fontawesome_subset.py``).
6. **Numbered tables**: the report's tables are numbered in order on each page.
7. **Quotations from the data in prose**: the role ``{quote}`TD06``` writes the quote
   of row TD06 (any coded row, sentences S01... included) in quotation marks, linked to
   its place in the annotated source; ``{quote}`TD06:60 countries``` shows only that
   fragment, which must be part of the row's quote. An unknown id or a fragment that is
   not in the quote stops the build.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
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
    if exception is None and app.builder.format == "html":
        sizes = replace_bundle(Path(app.outdir))
        if sizes:
            logger.info(f"[report] icon bundle reduced from {sizes[0]:,} to {sizes[1]:,} bytes")
    current = getattr(app.env, "report_fingerprint", None)
    if exception is None and current and app.builder.name in ("html", "dirhtml", "latex"):
        _stamp_path(app).write_text(current + "\n")


def _drop_thebe(app: Sphinx) -> None:
    for event, listeners in app.events.listeners.items():
        listeners[:] = [l for l in listeners if not getattr(l.handler, "__module__", "").startswith("sphinx_thebe")]
    app.registry.css_files[:] = [(f, a) for f, a in app.registry.css_files if "thebe" not in str(f)]
    app.registry.js_files[:] = [(f, a) for f, a in app.registry.js_files if "thebe" not in str(f) and "thebe" not in str(a.get("body", ""))]
    builder = app.builder
    if hasattr(builder, "css_files"):
        builder.css_files[:] = [c for c in builder.css_files if "thebe" not in str(getattr(c, "filename", c))]
    if hasattr(builder, "script_files"):
        builder.script_files[:] = [
            s for s in builder.script_files if "thebe" not in str(getattr(s, "filename", s)) and "thebe" not in str(getattr(s, "attributes", {}).get("body", ""))
        ]


def _first_paragraph(doctree: nodes.document | None) -> str:
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        text = " ".join(para.astext().split())
        if len(text) > 40:
            return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"
    return ""


def _meta_description(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    text = _first_paragraph(doctree) or app.config.html_title or ""
    if text:
        context["metatags"] = context.get("metatags", "") + f'\n    <meta name="description" content="{html.escape(text, quote=True)}" />'


ACCESSIBILITY_REPAIRS = [
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('role="doc-biblioentry"', 'role="listitem"'),
]


def _repair_accessibility(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body:
        for old, new in ACCESSIBILITY_REPAIRS:
            body = body.replace(old, new)
        context["body"] = body


_TABLE_CAPTION = re.compile(r'(<div class="report-table"[^>]*>)(<table class="table report">)<caption>')


def number_tables(body: str) -> str:
    """Number the report's tables on a page in order ("Table 1: ..."), each with an id to link to."""
    count = 0

    def label(match: re.Match) -> str:
        nonlocal count
        count += 1
        table = match.group(2).replace("<table ", f'<table id="table-{count}" ')
        return f'{match.group(1)}{table}<caption><span class="caption-number">Table {count}: </span>'

    return _TABLE_CAPTION.sub(label, body)


def _number_tables(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if context.get("body"):
        context["body"] = number_tables(context["body"])


SOURCE_DOC = "chapters/source"


class QuoteError(Exception):
    """A {quote} role names an unknown row or a fragment that its quote does not contain."""


def _load_quotes(app: Sphinx) -> None:
    from analysis import load_all
    from analysis.schema import provenance_keys

    ds = load_all(Path(app.srcdir))
    app.report_quotes = {  # type: ignore[attr-defined]
        str(row_id): str(quote)
        for table, key in provenance_keys(ds.package).items()
        for row_id, quote in zip(ds.tables[table][key], ds.tables[table]["quote"])
    }


def _quote_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    if not hasattr(env.app, "report_quotes"):  # loaded on first use, so a no-op build skips it
        _load_quotes(env.app)
    quotes: dict[str, str] = env.app.report_quotes
    key, _, fragment = text.partition(":")
    key, fragment = key.strip(), fragment.strip()
    if key not in quotes:
        raise QuoteError(f"{env.docname}, line {lineno}: {{quote}}`{text}` names no coded row (ids look like Z01, TD06, A03, D08, S03)")
    shown = fragment or quotes[key]
    if fragment and fragment not in quotes[key]:
        raise QuoteError(f"{env.docname}, line {lineno}: {{quote}}`{text}`: {fragment!r} is not part of the quote of {key}: {quotes[key]!r}")
    node = nodes.reference(rawtext, f"\u201c{shown}\u201d", refuri="#", classes=["quote", "report-quote"])
    from analysis.tables import anchor

    node["report_anchor"] = anchor(key)
    return [node], []


def _resolve_quote_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in doctree.findall(nodes.reference):
        anchor = node.get("report_anchor")
        if not anchor:
            continue
        if docname == SOURCE_DOC:
            node["refuri"] = f"#{anchor}"
            continue
        uri = app.builder.get_relative_uri(docname, SOURCE_DOC)
        node["refuri"] = (uri.split("#")[0] if "#" not in uri else "") + f"#{anchor}"


def setup(app: Sphinx) -> dict:
    app.add_role("quote", _quote_role)
    app.connect("doctree-resolved", _resolve_quote_links)
    app.connect("builder-inited", _drop_thebe, priority=900)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _repair_accessibility)
    app.connect("html-page-context", _number_tables)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
