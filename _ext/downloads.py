"""Local Sphinx extension: the data package as downloads of the site.

At every HTML build it writes, from the files as they are:

- ``downloads/<name>.zip``: the whole data package (every table that
  ``data/datapackage.yaml`` lists, the descriptor, the source article with its
  metadata, the bibliography, a README and the licence files) under one folder
  ``<name>/``, so that ``analysis.load_all("<name>")`` and ``frictionless validate``
  read it as they read the repository. The zip is reproducible: fixed order, dates
  and permissions, so the same files give the same bytes and the same SHA-256.
- ``downloads/<name>.zip.sha256``: its SHA-256, in the format ``sha256sum -c`` reads.
- ``downloads/data/...``: each table and the descriptor on its own, at stable
  addresses (the data dictionary appendix links to them).

``<name>`` is the descriptor's ``name``. The list of tables always comes from the
descriptor, so a new resource is offered without any change here.

It also makes the notebook behind each chapter's download button (``_sources/<chapter>.ipynb``)
the chapter as this build executed it (myst-nb writes it to ``jupyter_execute/``), so what a
reader downloads carries the outputs of the pages they read, not the outputs stored in the repository.

The role ``{datapackage}`` puts facts about the zip on a page, computed at build time:
``{datapackage}`zip``` (a link to it), ``{datapackage}`sha256```, ``{datapackage}`size```
and ``{datapackage}`tables``` (how many tables). A page that uses it depends on every
file of the package, so it is re-read whenever one of them changes.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOWNLOADS = "downloads"
DESCRIPTOR = "data/datapackage.yaml"
EXTRA_FILES = ("references.bib", "LICENSE", "LICENSE-CONTENT.md", "CITATION.cff")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DataPackage:
    """The zip of the data package and what the site says about it."""

    name: str
    files: tuple[tuple[str, Path], ...]  # (path inside the package, file on disk)
    data: bytes
    tables: int

    @property
    def filename(self) -> str:
        return f"{self.name}.zip"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _inside_data(root: Path, relpath: str, where: str) -> str:
    """``data/<relpath>``, refused unless it is a plain relative path that stays inside ``data/``."""
    path = PurePosixPath(relpath)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in relpath:
        raise ExtensionError(f"{DESCRIPTOR}: {where} {relpath!r} must be a relative path inside data/")
    arcname = f"data/{path.as_posix()}"
    if not (root / arcname).is_file():
        raise ExtensionError(f"{DESCRIPTOR}: {where} {relpath!r}: no such file {arcname}")
    return arcname


def package_files(root: Path) -> tuple[dict, list[str]]:
    """The descriptor and the package's files (repository-relative paths), tables in descriptor order."""
    descriptor = yaml.load((root / DESCRIPTOR).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    tables = [_inside_data(root, res["path"], f"resource {res.get('name')!r}: path") for res in descriptor["resources"]]
    source = descriptor["source"]
    extras = [_inside_data(root, source["path"], "source path"), _inside_data(root, source["metadata"], "source metadata")]
    return descriptor, [DESCRIPTOR, *tables, *extras, *(f for f in EXTRA_FILES if (root / f).is_file())]


def readme(root: Path, descriptor: dict) -> str:
    """The README of the zip: what is in it, how to check and load it, and on what terms."""
    source_meta = yaml.safe_load((root / "data" / descriptor["source"]["metadata"]).read_text(encoding="utf-8"))
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    name = descriptor["name"]
    tables = "\n".join(f"- `data/{res['path']}`: {res.get('title', res['name'])}." for res in descriptor["resources"])
    return f"""# {descriptor.get("title", name)}

The data package of the report *{cff["title"]}*, edition {cff["version"]} ({cff["date-released"]}),
{cff["url"]}

## Contents

- `data/datapackage.yaml`: the data dictionary (a Frictionless Data Package with a Table
  Schema for each table): every column's meaning, type, allowed values and coding.
{tables}
- `data/{descriptor["source"]["path"]}`: the source article, byte-identical to the copy the
  report analyses, and `data/{descriptor["source"]["metadata"]}`, its metadata and SHA-256.
- `references.bib`: the sources that the outside facts cite.
- `LICENSE-CONTENT.md`, `LICENSE`, `CITATION.cff`: the licences and how to cite.

Every row drawn from the article carries `quote`, `paragraph`, `start` and `end`:
`article.txt[start:end] == quote`, counted in Unicode code points.

## Check and load

    frictionless validate {name}/data/datapackage.yaml

With the report's Python package (`analysis`, from {cff["repository-code"]}):

    from analysis import load_all
    ds = load_all("{name}")     # checks every quote, key and value; raises ReportDataError
    ds.tables["claims"]

Or read a table as text, so that no value is guessed: `pandas.read_csv(path, dtype=str,
keep_default_na=False)`.

## Terms

- The tables and the data dictionary are licensed under CC BY 4.0
  (https://creativecommons.org/licenses/by/4.0/): see `LICENSE-CONTENT.md`. Cite the report
  as `CITATION.cff` says.
- The code of the report is MIT-licensed (`LICENSE`).
- The source article: {" ".join(str(source_meta["rights"]).split())}
"""


def build_package(root: Path) -> DataPackage:
    """The reproducible zip of the data package of the book at ``root``."""
    descriptor, files = package_files(root)
    name = str(descriptor["name"])
    members: list[tuple[str, bytes]] = [(f"{name}/README.md", readme(root, descriptor).encode("utf-8"))]
    members += [(f"{name}/{f}", (root / f).read_bytes()) for f in files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for arcname, content in members:
            info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, content, compresslevel=9)
    return DataPackage(name, tuple((f, root / f) for f in files), buffer.getvalue(), len(descriptor["resources"]))


def _builder_inited(app: Sphinx) -> None:
    app.report_data_package = build_package(Path(app.srcdir))  # type: ignore[attr-defined]


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    package: DataPackage = app.report_data_package  # type: ignore[attr-defined]
    out = Path(app.outdir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    (out / package.filename).write_bytes(package.data)
    (out / f"{package.filename}.sha256").write_text(f"{package.sha256}  {package.filename}\n", encoding="utf-8")
    for relpath, path in package.files:
        if relpath.startswith("data/"):
            target = out / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    logger.info(f"[downloads] {package.filename}: {len(package.data):,} bytes, SHA-256 {package.sha256}")
    executed = Path(app.outdir).parent / "jupyter_execute"
    for docname in app.env.found_docs:
        notebook = executed / f"{docname}.ipynb"
        if notebook.is_file() and Path(app.env.doc2path(docname)).suffix == ".ipynb":
            target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(notebook.read_bytes())


def _datapackage_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    package: DataPackage = env.app.report_data_package
    for relpath, _ in package.files:  # re-read the page when the package changes
        env.note_dependency(relpath)
    env.note_dependency(os.path.relpath(__file__, env.srcdir))
    what = text.strip()
    if what == "zip":
        target = posixpath.relpath(f"{DOWNLOADS}/{package.filename}", posixpath.dirname(env.docname) or ".")
        return [nodes.reference(rawtext, package.filename, refuri=target, classes=["report-download"])], []
    if what == "sha256":
        return [nodes.literal(rawtext, package.sha256, classes=["report-sha256"])], []
    if what == "size":
        return [nodes.Text(f"{len(package.data) / 1000:.0f} kB")], []
    if what == "tables":
        return [nodes.Text(str(package.tables))], []
    message = inliner.reporter.error(f"{{datapackage}}`{text}`: expected zip, sha256, size or tables", line=lineno)
    return [inliner.problematic(rawtext, rawtext, message)], [message]


def setup(app: Sphinx) -> dict:
    app.add_role("datapackage", _datapackage_role)
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
