"""The one loader: reads the source, the data dictionary and every table, and validates them.

This is the only module that touches the file system. ``load_all()`` either returns
a fully checked :class:`Dataset` or raises :class:`~analysis.errors.ReportDataError`
listing every problem with its file, line and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pybtex.database import parse_string as parse_bibtex

from . import validate as v
from .codebook import check_registers
from .errors import ReportDataError, UnknownIdError, Violation
from .peers import check_peers
from .schema import field_names, resource

__all__ = ["Dataset", "load_all", "default_root", "read_csv_strings", "edition"]


def default_root() -> Path:
    """The book's root folder: the one holding ``data/datapackage.yaml``.

    In order: the ``REPORT_ROOT`` environment variable; the nearest folder at or
    above the working directory that holds ``data/datapackage.yaml`` (chapters run
    in ``chapters/``, so a copy of the book reads its own data); the folder above
    this package.
    """
    if os.environ.get("REPORT_ROOT"):
        return Path(os.environ["REPORT_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "datapackage.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[1]


@dataclass
class Dataset:
    """Every validated table of the report, with the source text and its metadata.

    Attributes
    ----------
    text : str
        The source article, exactly as stored.
    source : dict
        The source's metadata (``data/source/SOURCE.yaml``).
    package : dict
        The data dictionary (``data/datapackage.yaml``).
    tables : dict of str to pandas.DataFrame
        One typed table per resource, in file order, with a plain 0-based index.
    bibliography : dict of str to dict
        Citation key -> fields of each entry of ``references.bib``.
    """

    text: str
    source: dict[str, Any]
    package: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    bibliography: dict[str, dict[str, str]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def row(self, table: str, key: str) -> pd.Series:
        """Return the row of ``table`` whose primary key is ``key``.

        Raises
        ------
        UnknownIdError
            If no row has that key.
        """
        res = resource(self.package, table)
        pk = res["schema"]["primaryKey"]
        frame = self.tables[table]
        hit = frame[frame[pk] == key]
        if hit.empty:
            raise UnknownIdError(table, key, frame[pk].astype(str).tolist())
        return hit.iloc[0]

    def entity(self, entity_id: str) -> pd.Series:
        """Return one entity by id (raises :class:`UnknownIdError` if unknown)."""
        return self.row("entities", entity_id)

    def name(self, entity_id: str) -> str:
        """The canonical name of an entity."""
        return str(self.entity(entity_id)["canonical_name"])


def read_csv_strings(data: bytes, file: str) -> tuple[pd.DataFrame | None, list[str], list[Violation]]:
    """Parse CSV bytes into a table of strings indexed by file line.

    Parameters
    ----------
    data : bytes
        The file's contents.
    file : str
        Path used in messages.

    Returns
    -------
    (DataFrame or None, header, violations)
        Empty cells become None. The DataFrame is None when the file cannot be read.
    """
    if not data.strip():
        return None, [], [Violation(file, None, None, "the file is empty: expected a header line and at least one row")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [], [Violation(file, line, None, f"the file is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); save it as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[Violation] = []
    try:
        header = next(reader)
        records, lines = [], []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                out.append(Violation(file, reader.line_num, None, f"the row has {len(record)} cells but the header has {len(header)}"))
                continue
            records.append([cell if cell != "" else None for cell in record])
            lines.append(reader.line_num)
    except csv.Error as exc:
        return None, [], [Violation(file, reader.line_num, None, f"malformed CSV: {exc}")]
    if not records and not out:
        out.append(Violation(file, None, None, "the file has a header but no rows"))
    frame = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return frame, header, out


def _yaml(text: str) -> Any:
    """Parse YAML safely, with libyaml's C parser when PyYAML has it (ten times faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _bibliography(path: Path) -> dict[str, dict[str, str]]:
    bib = parse_bibtex(path.read_text(encoding="utf-8"), "bibtex")
    return {key: {k: str(val) for k, val in entry.fields.items()} for key, entry in bib.entries.items()}


def load_all(root: str | Path | None = None) -> Dataset:
    """Load and validate the source, the data dictionary and every curated table.

    Parameters
    ----------
    root : path, optional
        Repository root holding ``data/`` and ``references.bib``; defaults to the
        folder above this package.

    Returns
    -------
    Dataset

    Raises
    ------
    ReportDataError
        Listing every violation found, each with file, line and column.
    """
    root = Path(root) if root is not None else default_root()
    data = root / "data"
    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    violations: list[Violation] = []

    package = _yaml((data / "datapackage.yaml").read_text(encoding="utf-8"))
    source_meta = _yaml((data / "source" / "SOURCE.yaml").read_text(encoding="utf-8"))
    source_path = data / package["source"]["path"]
    raw_text = source_path.read_bytes()
    digest = hashlib.sha256(raw_text).hexdigest()
    for where, expected in (("data/datapackage.yaml", package["source"]["sha256"]), ("data/source/SOURCE.yaml", source_meta["sha256"])):
        if digest != expected:
            violations.append(Violation(rel(source_path), None, None, f"SHA-256 is {digest}, but {where} records {expected}: the source has been changed"))
    text = raw_text.decode("utf-8")

    bib_path = root / "references.bib"
    bibliography = _bibliography(bib_path)

    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for res in package["resources"]:
        path = data / res["path"]
        file = rel(path)
        files[res["name"]] = file
        if not path.exists():
            violations.append(Violation(file, None, None, "the file does not exist"))
            continue
        raw, header, problems = read_csv_strings(path.read_bytes(), file)
        violations += problems
        if raw is None:
            continue
        header_problems = v.check_header(header, res, file)
        violations += header_problems
        if header_problems:
            continue
        typed, problems = v.check_types(raw[field_names(res)], res, file)
        violations += problems
        if typed is None:
            continue
        if res.get("provenance"):
            violations += v.check_provenance(typed, text, file)
        violations += v.check_numbers_in_quotes(typed, res, file)
        tables[res["name"]] = typed

    violations += v.check_foreign_keys(tables, package, files)
    violations += check_registers(tables, package, files, set(bibliography))
    if "entities" in tables:
        violations += v.check_variants(tables["entities"], text, files["entities"])
    if "external_facts" in tables:
        violations += v.check_bib_keys(tables["external_facts"], set(bibliography), files["external_facts"], rel(bib_path))
    if "sentences" in tables:
        violations += v.check_sentence_coverage(tables["sentences"], text, files["sentences"])
    if "peers" in tables:
        violations += check_peers(tables["peers"], files["peers"])

    if violations:
        raise ReportDataError(violations)
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    return Dataset(text=text, source=source_meta, package=package, tables=tables, bibliography=bibliography)


def edition(root: str | Path | None = None) -> dict[str, str]:
    """The edition of the book, from ``CITATION.cff`` at the book's root.

    Returns
    -------
    dict
        ``number`` (the CFF ``version``) and ``date`` (``date-released`` written
        as "27 November 2026").

    Raises
    ------
    ReportDataError
        If the file is missing or lacks either field.
    """
    path = Path(root or default_root()) / "CITATION.cff"
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ReportDataError([Violation("CITATION.cff", None, None, f"cannot read the citation file: {err}")]) from err
    missing = [k for k in ("version", "date-released") if not cff.get(k)]
    if missing:
        raise ReportDataError([Violation("CITATION.cff", None, None, f"missing {', '.join(missing)}")])
    released = pd.Timestamp(str(cff["date-released"]))
    return {"number": str(cff["version"]), "date": f"{released.day} {released:%B %Y}"}
