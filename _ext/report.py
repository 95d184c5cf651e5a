"""Local Sphinx extension for the report: links to the annotated source, data-aware re-reading, checks of what is published.

1. **Chapters re-read when their data change.** The chapters run inline (myst-nb's
   ``inline`` mode), as Sphinx reads them. Each chapter declares in its notebook metadata
   the tables it reads (``"report": {"reads": ["claims", ...]}``; ``tests/test_reads.py``
   proves each declaration against a tracked run). While a chapter is read, this extension
   notes those tables, the data dictionary, the source and the ``analysis`` package as its
   dependencies (:meth:`sphinx.environment.BuildEnvironment.note_dependency`), so Sphinx
   itself re-reads, and so re-executes, exactly the chapters whose inputs changed
   (upstream: executablebooks/MyST-NB#299). A chapter that runs code and declares nothing
   is an error.
2. **Bad data stop the build once, clearly.** When any file of ``data/``, ``references.bib``
   or ``analysis/`` changed since the last build, the loader checks everything before a page
   is read; a :class:`~analysis.ReportDataError` stops the build with its message, even when
   no chapter reads the broken table.
3. **Links to the annotated source in every builder.** Each coded row's anchor on the
   annotated source page (``report_source_doc``, ``id="q-c07"``) is registered as a label of
   that page, so the links that :mod:`analysis.views` writes (``[C07](#q-c07)``) resolve in
   ``html``, ``singlehtml`` and the PDF. In the single page, links between chapters are
   reduced to their fragment (:class:`SinglePageFragments`).
4. **Nothing stale or private is published.** After an HTML build, images that no page
   references are removed from ``_images`` (a figure replaced by a data change), and the
   written site (pages, ``_sources``, downloads, search index) is scanned for local paths
   (:func:`local_paths`): one found stops the build with the file and the line.
5. **Bibliography entries are list items.** Docutils' HTML writer (0.21 to 0.23.1) marks each
   citation ``role="doc-biblioentry"`` inside ``role="list"``; DPUB-ARIA 1.1 deprecated that
   role because a list must own list items (w3c/dpub-aria#22), and axe-core reports the list
   as a critical failure once an entry holds a link. :func:`visit_citation` writes the same
   markup with ``role="listitem"``, registered through Sphinx's public
   :meth:`~sphinx.application.Sphinx.add_node`. Upstream report, in words, for the Docutils
   bug tracker (https://sourceforge.net/p/docutils/bugs/): "HTML5 writer: citations use the
   deprecated role doc-biblioentry as children of role=list; use role=listitem". The test
   ``test_docutils_still_writes_doc_biblioentry`` fails when Docutils fixes it, so this can go.
6. **Every page has a meta description**: its first paragraph, shortened, added through the
   ``metatags`` value of Sphinx's public ``html-page-context`` event (:func:`page_description`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.util
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

WATCHED = ("analysis", "data", "references.bib")
STAMP = "report-data.sha256"  # in the doctree folder: the digest of the watched files the last build checked
CACHE_ENV = "REPORT_DATASET_CACHE"  # analysis.data.load.CACHE_ENV (a test keeps them equal; importing analysis here would slow a no-op build)
ALWAYS_READ = ("data/datapackage.yaml", "data/source")  # every chapter that loads the data reads these
TEXT_SUFFIXES = {".html", ".txt", ".ipynb", ".js", ".json", ".csv", ".yaml", ".md", ".bib", ".cff", ".sha256", ".xml", ".svg"}


def _files(root: Path, names: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for name in names:
        base = root / name
        found = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        out += [p for p in found if "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return out


def fingerprint(root: Path) -> str:
    """SHA-256 over the paths and contents of every watched file (``analysis/``, ``data/``, ``references.bib``)."""
    digest = hashlib.sha256()
    for path in _files(root, WATCHED):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _check_data(app: Sphinx) -> None:
    """Run the loader's checks once, before any page is read, when a watched file changed."""
    root = Path(app.srcdir)
    if not (root / "data" / "datapackage.yaml").is_file():
        return
    os.environ[CACHE_ENV] = str(Path(app.doctreedir) / "dataset")  # this build's own folder; the chapters' kernels inherit it
    stamp = Path(app.doctreedir) / STAMP
    digest = fingerprint(root)
    if stamp.is_file() and stamp.read_text() == digest:
        return
    from analysis import ReportDataError, load_all

    try:
        load_all(root)
    except ReportDataError as error:
        raise ExtensionError(f"the data do not pass the loader's checks:\n{error}") from None
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


# --- 1. data-aware re-reading ------------------------------------------------------------


def declared_reads(notebook: dict) -> list[str] | None:
    """The tables a chapter declares it reads (``metadata.report.reads``), or None when it declares nothing."""
    report = notebook.get("metadata", {}).get("report", {})
    reads = report.get("reads") if isinstance(report, dict) else None
    return list(reads) if isinstance(reads, list) else None


@functools.lru_cache(maxsize=4)
def _table_paths_of(descriptor: str) -> dict[str, str]:
    import yaml

    parsed = yaml.load(descriptor, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when PyYAML has it
    return {res["name"]: f"data/{res['path']}" for res in parsed.get("resources", [])}


def _table_paths(root: Path) -> dict[str, str]:
    """Each table's file, from the data dictionary (parsed once per build, not once per chapter)."""
    return _table_paths_of((root / "data" / "datapackage.yaml").read_text(encoding="utf-8"))


def _note_reads(app: Sphinx, docname: str, source: list[str]) -> None:
    """Note a chapter's declared inputs as its dependencies (Sphinx re-reads it when one changes)."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    notebook = json.loads(source[0])
    if not any(c.get("cell_type") == "code" for c in notebook.get("cells", [])):
        return
    reads = declared_reads(notebook)
    if reads is None:
        raise ExtensionError(f'{docname}: the chapter runs code but declares no inputs: add metadata "report": {{"reads": [...]}} (table names)')
    root = Path(app.srcdir)
    tables = _table_paths(root)
    unknown = sorted(set(reads) - set(tables) - {"bibliography"})
    if unknown:
        raise ExtensionError(f"{docname}: metadata report.reads names no table of data/datapackage.yaml: {', '.join(unknown)}")
    inputs = [tables[t] for t in reads if t in tables] + list(ALWAYS_READ) + ["analysis"] + (["references.bib"] if "bibliography" in reads else [])
    for file in _files(root, tuple(inputs)):
        app.env.note_dependency(file.relative_to(root).as_posix())  # relative: a copied book follows its own files


# --- 3. links to the annotated source ------------------------------------------------------

_ROWS: dict[tuple[str, str], list[str]] = {}


def quoted_rows(srcdir: str | Path) -> list[str]:
    """The id of every coded row that carries a quote (sentences included), read with the report's loader."""
    root = Path(srcdir).resolve()
    key = (str(root), fingerprint(root))
    if key not in _ROWS:
        from analysis import load_all
        from analysis.data.schema import provenance_keys

        ds = load_all(root)
        _ROWS[key] = [str(i) for table, column in provenance_keys(ds.package).items() for i in ds.tables[table][column]]
    return _ROWS[key]


def _register_source_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Make each coded row's anchor in the annotated source a label of that page.

    The annotated source marks row ``C07`` with ``id="q-c07"`` (:func:`analysis.views.tables.anchor`)
    inside raw HTML, which Sphinx does not see; registered as labels (as Sphinx's own
    ``autosectionlabel`` registers section titles), ``[C07](#q-c07)`` resolves from any page.
    """
    env = app.env
    if env.docname != app.config.report_source_doc:
        return
    from analysis.views.tables import anchor

    std = env.domains["std"]
    for row_id in quoted_rows(app.srcdir):
        name = anchor(row_id)
        std.anonlabels[name] = (env.docname, name)
        std.labels[name] = (env.docname, name, row_id)
    root = Path(app.srcdir)
    for file in _files(root, ("data",)):
        env.note_dependency(file.relative_to(root).as_posix())


class SinglePageFragments(SphinxPostTransform):
    """In the single-page book, link to another chapter's target by its fragment alone.

    Sphinx's ``singlehtml`` builder writes a cross-chapter link as ``<root doc>.html#id``
    relative to the output root, although the page itself lies in the root document's
    folder, so the link leaves the page (and the PDF printed from it). Every chapter is on
    that one page, so ``#id`` is the right link.
    """

    default_priority = 900
    builders = ("singlehtml",)

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri.startswith("#document-") and uri.count("#") == 2:
                ref["refuri"] = "#" + uri.rsplit("#", 1)[1]


# --- 4. what is published -----------------------------------------------------------------


def private_prefixes(srcdir: str | Path) -> list[str]:
    """Local paths that must not appear in anything published: the book's folder, the installed ``analysis``
    package's checkout (which may be another folder than the book's), the interpreter's, home and temp."""
    spec = importlib.util.find_spec("analysis")  # where it is installed, without importing it (and pandas) at every build
    package_root = str(Path(spec.origin).resolve().parents[1]) if spec and spec.origin else str(Path(srcdir).resolve())
    candidates = {str(Path(srcdir).resolve()), package_root, sys.prefix, sys.base_prefix, str(Path.home()), tempfile.gettempdir()}
    return sorted({c.rstrip("/") + "/" for c in candidates if len(c) > 1}, key=len, reverse=True)


def local_paths(folder: Path, prefixes: list[str]) -> list[str]:
    """``file:line: path`` for every occurrence of a local path prefix in the text files under ``folder``."""
    pattern = re.compile("|".join(re.escape(p) for p in prefixes))
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            end = text.find("\n", match.start())
            found.append(f"{path.relative_to(folder).as_posix()}:{line}: {text[match.start() : end if end != -1 else None][:120]}")
    return found


def unreferenced_images(outdir: Path) -> list[Path]:
    """Files of ``_images`` that no page of the site references (left by an earlier build)."""
    images = outdir / "_images"
    if not images.is_dir():
        return []
    pages = "".join(p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("*.html"))
    return [p for p in sorted(images.iterdir()) if p.is_file() and p.name not in pages]


def _finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for stale in unreferenced_images(outdir):
        stale.unlink()
    leaks = local_paths(outdir, private_prefixes(app.srcdir))
    if leaks:
        shown = "\n".join(leaks[:20]) + (f"\n... and {len(leaks) - 20} more" if len(leaks) > 20 else "")
        raise ExtensionError(f"the site would publish local paths (print relative paths, or none):\n{shown}")


def page_description(doctree: nodes.document | None, limit: int = 200, shortest: int = 60) -> str:
    """A page's first paragraph of at least ``shortest`` characters (not an edition line) as one line of
    plain text, cut at a word before ``limit`` characters."""
    texts = (" ".join(p.astext().split()) for p in doctree.findall(nodes.paragraph)) if doctree is not None else iter(())
    text = next((t for t in texts if len(t) >= shortest), "")
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit - 1)] + "…"


def _describe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    if text := page_description(doctree):
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(text)}" />'


def visit_citation(self, node: nodes.citation) -> None:
    """Open a bibliography entry as a list item (see point 5 of the module's docstring)."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=["citation"], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    """Close the entry, and the list after its last entry."""
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def setup(app: Sphinx) -> dict:
    """Register the report's config value and event handlers."""
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_config_value("report_source_doc", "chapters/source", "env", types=[str])
    app.connect("builder-inited", _check_data)
    app.connect("source-read", _note_reads)
    app.connect("doctree-read", _register_source_anchors)
    app.add_post_transform(SinglePageFragments)
    app.connect("html-page-context", _describe)
    app.connect("build-finished", _finished, priority=900)  # after the downloads are written, so they are scanned too
    return {"version": "3.0", "parallel_read_safe": True, "parallel_write_safe": True}
