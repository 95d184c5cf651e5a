"""Local Sphinx extension for the report.

1. **Rebuilds that execute only what changed, chapters executed in parallel.** myst-nb's
   cache re-executes a notebook only when its own code cells change. Before Sphinx reads
   the notebooks, this extension executes every chapter whose cached outputs are missing
   or stale, two per core at a time (``report_execute.py``; the config value
   ``report_execution_workers`` or the environment variable ``REPORT_EXECUTION_WORKERS``
   sets another number, 1 runs them one after another), and stores them in the cache that
   myst-nb then reads. While a chapter runs, its kernel records what it read: the tables
   (through the loader), the modules of ``analysis`` and any other file of the book. That
   record, with a digest of those files, is kept beside the cache
   (``_build/.jupyter_cache/report-deps.json``). A chapter is re-executed when one of the
   files it read changes (a table it read, a module it imported; the loader and the data
   dictionary are read by every chapter that loads the data); a chapter with no record
   is re-executed. A prose edit executes nothing. Stale cached outputs are removed from
   the cache before anything is read, so they are never shown. When anything in
   ``analysis/``, ``data/`` or ``references.bib`` changed, the data are validated once
   in the build (a bad table stops the build with the loader's message, even if no
   chapter reads it). A page that takes values from the data as it is read (``{quote}``,
   ``{inference}``, the source's anchors) is re-read only when one of the values it took
   changed (``page_uses.py``), and a page that pastes glue from a chapter executed again is
   written again, since glue is pasted when a page is written. On a rebuild with nothing
   changed, each chapter is checked by the digests of its file and of its inputs alone.
2. **Links to the annotated source that every builder resolves.** Each coded row's
   anchor on the annotated source page (``report_source_doc``, ``id="q-c07"``) is
   registered as a Sphinx label, so table cells (``[C07](#q-c07)``, written by
   :class:`analysis.views.tables.Table`) and the ``{quote}`` role are ordinary
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
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

import page_uses
from fontawesome_subset import replace_bundle

logger = logging.getLogger(__name__)

WATCHED = ("analysis", "data", "references.bib")
RECORD = "report-deps.json"  # inside the execution cache folder: cleared with it
DATA_PAGES = ("{quote}", "{inference}")  # pages whose text is made from the data when they are read


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


def files_digest(root: Path, files: list[str], memo: dict[str, bytes] | None = None) -> str:
    """SHA-256 over the given files of the book (paths relative to ``root``; a missing file counts too).

    An entry ``@rows:<table file>`` stands for the number of rows of that table, and
    ``@references:<table file>`` for its foreign-key columns (what :meth:`analysis.Dataset.rows`
    and :meth:`analysis.Dataset.references` use), so a chapter that only counts rows follows the
    count, not every cell. ``memo`` keeps each entry's own digest across calls of one build.
    """
    memo = {} if memo is None else memo
    digest = hashlib.sha256()
    for rel in sorted(set(files)):
        if rel not in memo:
            memo[rel] = _aspect_digest(root, rel) if rel.startswith("@") else _file_digest(root / rel)
        digest.update(rel.encode() + b"\0" + memo[rel])
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing"


def _aspect_digest(root: Path, entry: str) -> bytes:
    """The digest of one aspect of a table (``@rows:data/x.csv``, ``@references:data/x.csv``), read from the file as text."""
    import csv
    import io

    aspect, _, rel = entry[1:].partition(":")
    path = root / rel
    if not path.is_file():
        return b"missing"
    try:
        records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return _file_digest(path)  # an unreadable table: the loader reports it; follow its every byte
    if aspect == "rows":
        return hashlib.sha256(str(len(records) - 1).encode()).digest()
    if aspect == "references":
        try:
            res = next(r for r in _package(root)["resources"] if f"data/{r['path']}" == rel)
            header = records[0]
            schema = res.get("schema", {})
            keys = [*schema.get("foreignKeys", []), *schema.get("extendedForeignKeys", [])]
            columns = [header.index(fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]) for fk in keys]
        except Exception:  # an unreadable dictionary, or a key not in the header: follow every byte
            return _file_digest(path)
        return hashlib.sha256(json.dumps([[r[c] if c < len(r) else None for c in columns] for r in records[1:]]).encode()).digest()
    return _file_digest(path)


def dependencies(root: Path, reads: dict) -> list[str]:
    """The files of the book a chapter depends on, from what its kernel recorded (see ``report_execute``).

    ``reads`` holds ``files`` (modules of ``analysis`` and other files opened), ``parts``
    (the tables read from the loaded dataset, ``"bibliography"`` for ``references.bib``)
    and ``loader`` (whether the loader was imported). A chapter that loads the data
    depends on the data dictionary and the source; a table is mapped to its file through
    the data dictionary, and a part the dictionary does not name makes every data file a
    dependency (when in doubt, re-execute).
    """
    files = set(reads.get("files", []))
    if reads.get("loader"):
        files.add("data/datapackage.yaml")
        files.update(p.relative_to(root).as_posix() for p in sorted((root / "data/source").rglob("*")) if p.is_file())
    parts = set(reads.get("parts", []))
    if "bibliography" in parts:
        files.add("references.bib")
        parts.discard("bibliography")
    if parts:
        try:
            paths = {r["name"]: f"data/{r['path']}" for r in _package(root)["resources"]}
        except Exception:  # an unreadable dictionary: depend on every data file
            paths = {}
        for part in parts:
            aspect, _, table = part.rpartition(":")
            if part in paths:
                files.add(paths[part])
            elif aspect in ("rows", "references") and table in paths:
                files.add(f"@{aspect}:{paths[table]}")
            else:
                files.update(p.relative_to(root).as_posix() for p in sorted((root / "data").rglob("*")) if p.is_file())
    return sorted(files)


_PACKAGES: dict[tuple, dict] = {}


def _package(root: Path) -> dict:
    """The data dictionary (``data/datapackage.yaml``), parsed once per version of the file."""
    import yaml

    path = root / "data/datapackage.yaml"
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _PACKAGES:
        _PACKAGES[key] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _PACKAGES[key]


#: sphinx-multitoc-numbering (loaded by sphinx-external-toc) replaces one method of Sphinx's toctree
#: collector, which runs in the main process after every page is read, and keeps no state per page;
#: it does not say so, and Sphinx then reads one page at a time. For the version read here, the
#: build says so on its behalf; any other version is reported (``-W`` fails) and read serially.
MULTITOC_CHECKED = "0.1.3"


def _parallel_jobs(app: Sphinx, config) -> None:
    """Let Sphinx read and write pages in parallel, as ``sphinx-build -j`` does (``jupyter-book build`` has no such option).

    ``report_sphinx_jobs`` (or ``REPORT_SPHINX_JOBS``) sets the number of processes; 0 means one
    per core, 1 reads and writes one page after another. Sphinx itself checks that every extension
    allows it and works serially otherwise.
    """
    value = os.environ.get("REPORT_SPHINX_JOBS") or config.report_sphinx_jobs
    jobs = int(value) if value and int(value) > 0 else (os.cpu_count() or 1)
    if app.parallel <= 1 and jobs > 1:
        app.parallel = jobs
    multitoc = app.extensions.get("sphinx_multitoc_numbering")
    if multitoc is not None and multitoc.parallel_read_safe is None:
        version = getattr(multitoc.module, "__version__", "unknown")
        if version == MULTITOC_CHECKED:
            multitoc.parallel_read_safe = True
        elif app.parallel > 1:
            logger.warning(
                f"[report] sphinx_multitoc_numbering {version} is not the version checked for parallel reading "
                f"({MULTITOC_CHECKED}): check it and update MULTITOC_CHECKED in _ext/report_build.py"
            )


def _workers(app: Sphinx) -> int:
    value = os.environ.get("REPORT_EXECUTION_WORKERS") or app.config.report_execution_workers
    # Two kernels per core: a kernel spends part of its time starting and waiting on messages, and
    # on 2 cores two per core built the book in 0.65 of the sequential time, one per core in 0.75.
    return int(value) if value and int(value) > 0 else 2 * (os.cpu_count() or 1)


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return record if isinstance(record, dict) and isinstance(record.get("notebooks"), dict) else {"notebooks": {}}
    except (OSError, ValueError):
        return {"notebooks": {}}


def _write_record(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def _validate(root: Path, record: dict, watched: str) -> None:
    """Load the data with the report's loader unless these very files were validated before.

    Raises the loader's ``ReportDataError`` (every problem, with file, line and column).
    """
    if record.get("validated") != watched:
        source_quotes(root)
        record["validated"] = watched


def _cached_pks(cache) -> set[int]:
    """The records the execution cache holds (one query)."""
    return {record.pk for record in cache.list_cache_records()}


def _cache_match(cache, nb):
    try:
        return cache.match_cache_notebook(nb)
    except KeyError:
        return None


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Execute what is stale, in parallel, into the cache; return the pages to re-read."""
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return []
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from report_execute import execute_notebooks

    root = Path(app.srcdir)
    cache_path = Path(config.execution_cache_path)
    record_path = cache_path / RECORD
    record = _read_record(record_path)
    watched = fingerprint(root)

    # 1. stale cached outputs removed; what has no cached outputs executed, in parallel, while
    # 2. the data are validated, once whenever they (or the code that checks them) changed
    cache = get_cache(str(cache_path))
    memo: dict[str, bytes] = {}
    paths = {d: Path(env.doc2path(d)) for d in sorted(env.found_docs)}
    notebooks = {d: p for d, p in paths.items() if p.suffix == ".ipynb" and not _excluded(p, config)}
    to_run: list[str] = []
    cached_pks = _cached_pks(cache)
    for doc, path in notebooks.items():
        entry = record["notebooks"].get(doc)
        nb_bytes = path.read_bytes()
        nb_digest = hashlib.sha256(nb_bytes).hexdigest()
        if entry and entry.get("notebook") == nb_digest and files_digest(root, entry["files"], memo) == entry["digest"] and entry.get("cache_pk") in cached_pks:
            continue  # the same notebook and the same inputs as when its cached outputs were made
        nb = nbformat.reads(nb_bytes.decode("utf-8"), as_version=4)
        match = _cache_match(cache, nb)
        if match is not None and (entry is None or files_digest(root, entry["files"], memo) != entry["digest"]):
            cache.remove_cache(match.pk)  # outputs of older code or data: never shown
            record["notebooks"].pop(doc, None)
            match = None
        if match is None:
            to_run.append(doc)
        else:  # code unchanged (a prose edit, say): remember this version of the file and its cache record
            entry.update(notebook=nb_digest, cache_pk=match.pk)
    if not (to_run and not config.execution_in_temp):  # (in a temporary folder, myst-nb executes them itself)
        _validate(root, record, watched)
    else:
        workers = _workers(app)
        logger.info(f"[report] executing {len(to_run)} notebook(s), {min(workers, len(to_run))} at a time")
        with ThreadPoolExecutor(1) as pool:  # the kernels run in other processes; this process validates meanwhile
            stop = threading.Event()
            pending = pool.submit(
                execute_notebooks, [notebooks[d] for d in to_run], root, workers, config.execution_timeout, config.execution_allow_errors, stop
            )
            try:
                _validate(root, record, watched)
            except BaseException:
                stop.set()  # the data failed: the build stops now, its kernels shut down, not waited on
                raise
            finally:
                results = pending.result()
        unchanged = fingerprint(root) == watched  # an edit during execution: record nothing, re-execute next time
        for doc, result in zip(to_run, results):
            if result.error is not None:
                why = (str(result.error).strip().splitlines() or [""])[-1][:200]
                logger.info(
                    f"[report] {doc} failed in parallel execution ({type(result.error).__name__}: {why}; "
                    f"{result.attempts} kernel(s) started); myst-nb executes it again and reports the error"
                )
                continue
            logger.info(f"[report] Executed notebook in {result.seconds:.2f} seconds: {doc}")
            stage = cache.add_nb_to_project(str(notebooks[doc]))
            cached = cache.cache_notebook_bundle(
                CacheBundleIn(result.nb, stage.uri, data={"execution_seconds": result.seconds}), check_validity=False, overwrite=True
            )
            if unchanged:
                files = dependencies(root, result.reads)
                record["notebooks"][doc] = {
                    "files": files,
                    "digest": files_digest(root, files, memo),
                    "python": result.reads.get("prefix"),
                    "notebook": hashlib.sha256(notebooks[doc].read_bytes()).hexdigest(),
                    "cache_pk": cached.pk,
                }
    _write_record(record_path, record)

    # 3. the pages to re-read: those executed, those whose cached outputs changed since they were
    #    read, and those whose values taken from the data (quotes, inference boxes) changed
    app.report_watched = watched  # type: ignore[attr-defined]
    read_digests = getattr(env, "report_read_digests", {})
    uses = getattr(env, page_uses.ATTR, {})
    values = None
    current = {}
    reread = set(to_run)
    for doc, path in paths.items():
        entry = record["notebooks"].get(doc)
        current[doc] = entry["digest"] if entry else ("executed-by-myst-nb" if doc in notebooks else "")
        use = uses.get(doc)
        if read_digests.get(doc) != current[doc]:
            reread.add(doc)
        elif use is None:
            if doc == app.config.report_source_doc or _quotes_data(path):
                reread.add(doc)  # a page that takes values from the data, with no record of them
        elif use["keys"] and use["watched"] != watched:
            values = values or _current_values(root)
            if page_uses.digest(use["keys"], values, _code_digest(root, memo)) != use["digest"]:
                reread.add(doc)
            else:
                use["watched"] = watched  # the same values in the current data: checked, not re-read
    for doc in reread | set(added) | set(changed):
        read_digests[doc] = current.get(doc)
    for doc in removed:
        read_digests.pop(doc, None)
    env.report_read_digests = read_digests
    stale = sorted(reread - set(added) - set(changed))
    if stale:
        logger.info(f"[report] re-reading {len(stale)} page(s) whose code or data changed")
    return stale


def _current_values(root: Path):
    """The function giving each page use's value in the data as they are now."""
    from registers import REGISTER, read_register

    quotes = source_quotes(root)
    register = read_register(root / REGISTER) if (root / REGISTER).exists() else {}
    return lambda key: page_uses.value(key, quotes, register)


def _code_digest(root: Path, memo: dict[str, bytes] | None = None) -> str:
    """Digest of the code of ``analysis`` (it makes the anchors and loads the data that pages quote)."""
    code = [p.relative_to(root).as_posix() for p in sorted((root / "analysis").rglob("*.py")) if "__pycache__" not in p.parts]
    return files_digest(root, code, memo)


def _record_uses(app: Sphinx, doctree: nodes.document) -> None:
    """Keep what the page just read took from the data (see ``page_uses``), and the pages it pastes glue from."""
    env = app.env
    keys = page_uses.noted(env)
    uses = getattr(env, page_uses.ATTR, None)
    if uses is None:
        uses = env.report_page_uses = {}
    root = Path(app.srcdir)
    watched = getattr(app, "report_watched", None) or fingerprint(root)
    made = page_uses.digest(keys, _current_values(root), _code_digest(root)) if keys else ""
    uses[env.docname] = {"keys": sorted(keys), "watched": watched, "digest": made}  # a page that took nothing keeps an empty record
    from myst_nb.ext.glue.utils import PendingGlueReference

    glue = getattr(env, "report_glue_from", None)
    if glue is None:
        glue = env.report_glue_from = {}
    sources = sorted({node.refdoc for node in doctree.findall(PendingGlueReference)} - {env.docname})
    if sources:
        glue[env.docname] = sources
    else:
        glue.pop(env.docname, None)


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, page_uses.ATTR, {}).pop(docname, None)
    getattr(env, "report_glue_from", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames: set[str], other) -> None:
    for attr in (page_uses.ATTR, "report_glue_from"):
        if not hasattr(env, attr):
            setattr(env, attr, {})
        getattr(env, attr).update({d: v for d, v in getattr(other, attr, {}).items() if d in docnames})


def _before_read(app: Sphinx, env, docnames: list[str]) -> None:
    app.report_reading = set(docnames)  # type: ignore[attr-defined]


def _glue_readers(app: Sphinx, env) -> list[str]:
    """Pages that paste glue from a page read in this build: written again (glue is pasted when a page is written)."""
    reading = getattr(app, "report_reading", set())
    return sorted(d for d, sources in getattr(env, "report_glue_from", {}).items() if d not in reading and set(sources) & reading)


def _excluded(path: Path, config) -> bool:
    from pathlib import PurePosixPath

    return any(PurePosixPath(path.as_posix()).match(p) for p in config.execution_excludepatterns or ())


def _quotes_data(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return True
    return any(marker in text for marker in DATA_PAGES)


def _finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html" and "pydata_sphinx_theme" in app.extensions:
        sizes = replace_bundle(Path(app.outdir), cache=Path(app.doctreedir) / "report-assets")  # beside page_speed's cached assets
        if sizes:
            logger.info(f"[report] icon bundle reduced from {sizes[0]:,} to {sizes[1]:,} bytes")


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
        from analysis.data.schema import provenance_keys

        ds = load_all(Path(srcdir))
        _QUOTES[key] = {
            str(row_id): str(quote)
            for table, column in provenance_keys(ds.package).items()
            for row_id, quote in zip(ds.tables[table][column], ds.tables[table]["quote"])
        }
    return _QUOTES[key]


def _register_source_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Make each coded row's anchor in the annotated source a label that links can name.

    The annotated source marks row ``C07`` with ``id="q-c07"`` (:func:`analysis.views.tables.anchor`).
    Registered as a label of that page, ``[C07](#q-c07)`` in a table and the ``{quote}`` role
    resolve through Sphinx like any cross-reference: ``source.html#q-c07`` on the site, an
    in-page jump in the single page (and so in the PDF).
    """
    from analysis.views.tables import anchor

    env = app.env
    if env.docname != app.config.report_source_doc:
        return
    page_uses.note(env, "anchors")
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

    from analysis.views.tables import anchor

    env = inliner.document.settings.env
    quotes = source_quotes(env.srcdir)
    key, _, fragment = text.partition(":")
    key, fragment = key.strip(), fragment.strip()
    page_uses.note(env, f"quote:{key}")
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
    app.add_config_value("report_execution_workers", 0, "", types=[int])  # 0: two per core
    app.add_config_value("report_sphinx_jobs", 0, "", types=[int])  # 0: one per core
    app.connect("config-inited", _parallel_jobs)
    app.add_role("quote", _quote_role)
    app.connect("doctree-read", _register_source_anchors)
    app.connect("doctree-read", _record_uses, priority=900)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-get-updated", _glue_readers)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished)
    app.connect("html-page-context", _repair_accessibility)
    app.add_post_transform(SinglePageFragments)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
