"""The one loader (the only module that reads files): a checked :class:`Dataset`, or a ReportDataError naming every problem."""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import importlib.metadata
import io
import json
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pybtex.database import parse_string as parse_bibtex
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from . import validate as v
from .errors import ReportDataError, UnknownIdError, Violation
from .peers import check_peers, check_subject_leader
from .registers import check_registers
from .rules import check_check_routes, check_subjects, check_summaries
from .schema import PROVENANCE_FIELDS, check_package, field_names, fields, primary_key, resource

__all__ = ["Dataset", "load_all", "load_coding", "default_root", "inputs_digest", "read_csv_strings", "yaml_lines", "edition", "CACHE_ENV"]

PACKAGE_FILE = "data/datapackage.yaml"
BIB_FILE = "references.bib"


def default_root() -> Path:
    """The book's root: ``REPORT_ROOT``, else the nearest folder at or above the working one holding ``data/datapackage.yaml``
    (so a copy of the book reads its own data), else the folder above this package."""
    if os.environ.get("REPORT_ROOT"):
        return Path(os.environ["REPORT_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "datapackage.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


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
        One typed table per resource, in file order, with a plain 0-based index. A list field
        (one with a ``separator`` in the dictionary) holds a tuple of strings, ``()`` when empty.
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
        raise AttributeError(f"the dataset has no table {name!r} (tables: {', '.join(tables) or 'none'})")

    def rows(self, table: str) -> int:
        """The number of rows of ``table``."""
        return len(self.tables[table])

    def row(self, table: str, key: str) -> pd.Series:
        """Return the row of ``table`` whose primary key is ``key``.

        Raises
        ------
        UnknownIdError
            If no row has that key.
        """
        pk = primary_key(resource(self.package, table))
        frame = self.tables[table]
        hit = frame[frame[pk] == key]
        if hit.empty:
            raise UnknownIdError(table, key, frame[pk].astype(str).tolist())
        return hit.iloc[0]


def read_csv_strings(data: bytes, file: str) -> tuple[pd.DataFrame | None, list[str], list[Violation]]:
    """CSV bytes as (table of strings indexed by the file's line, header, violations); empty cells are None, blank rows skipped.

    The table is None when the file cannot be read; ``file`` is the path used in messages.
    """
    out: list[Violation] = []
    if not data.strip():
        return None, [], [Violation(file, None, None, "the file is empty: expected a header line and at least one row")]
    text = _decode(data, file, out)
    if text is None:
        return None, [], out
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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


def _read(path: Path, file: str, out: list[Violation]) -> bytes | None:
    """The bytes of a file, or None with a violation naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        out.append(Violation(file, None, None, "the file does not exist"))
    except OSError as exc:
        out.append(Violation(file, None, None, f"the file cannot be read: {exc.strerror or exc}"))
    return None


def _decode(data: bytes | None, file: str, out: list[Violation]) -> str | None:
    """UTF-8 text (a leading byte-order mark dropped), or None (with a violation naming file and line, if there were bytes)."""
    if data is None:  # the file could not be read: _read has said so
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.append(Violation(file, line, None, f"the file is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); save it as UTF-8"))
        return None


#: libyaml's C parser when PyYAML has it, else the pure-Python one; safe either way.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Most nodes a YAML document may expand to once its aliases are followed (the dictionary has about
#: 3,000; an "alias bomb" of nested aliases expands to billions and would exhaust memory).
MAX_YAML_NODES = 200_000


def yaml_lines(text: str) -> dict[tuple, int]:
    """The 1-based line of every node of a YAML document, keyed by its path of keys and indices (an alias where it is used).

    Raises :class:`yaml.MarkedYAMLError` on a duplicate key (the later value would silently win) and an alias bomb.
    """
    lines: dict[tuple, int] = {}
    sizes: dict[int, int] = {}

    def walk(node: yaml.Node, path: tuple) -> int:
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in sizes:  # an alias: the same node object again, counted at its full size
            return sizes[id(node)]
        sizes[id(node)] = total = 1  # 1 guards against a node that contains itself
        seen: dict[Any, yaml.Node] = {}
        for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
            name = key.value if isinstance(key, yaml.ScalarNode) else id(key)
            if name in seen and name != "<<":
                problem = f"duplicate key {name!r} (first at line {seen[name].start_mark.line + 1}): the later value would silently win"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=key.start_mark)
            seen[name] = key
            lines.setdefault(path + (name,), key.start_mark.line + 1)
            total += walk(key, path) + walk(value, path if name == "<<" else path + (name,))
        total += sum(walk(item, path + (i,)) for i, item in enumerate(node.value)) if isinstance(node, yaml.SequenceNode) else 0
        if total > MAX_YAML_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"the document expands to more than {MAX_YAML_NODES:,} nodes through its aliases (an alias bomb?)", problem_mark=node.start_mark
            )
        sizes[id(node)] = total
        return total

    root = yaml.compose(text, Loader=_LOADER)
    if root is not None:
        walk(root, ())
    return lines


def _read_yaml(path: Path, file: str, out: list[Violation]) -> tuple[Any, str | None, dict[tuple, int]]:
    """A YAML file's value, text and :func:`yaml_lines`, or Nones with a violation naming the file and the line at fault."""
    text = _decode(_read(path, file, out), file, out)
    try:
        lines = yaml_lines(text) if text is not None else {}  # refuses duplicate keys and alias bombs before anything is built
        return (yaml.load(text, Loader=_LOADER), text, lines) if text is not None else (None, None, {})
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc)
        where = f" (column {mark.column + 1})" if mark is not None else ""
        out.append(Violation(file, mark.line + 1 if mark is not None else None, None, f"YAML syntax error{where}: {problem}"))
        return None, None, {}


_BIB_ENTRY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,")


def _bibliography(text: str, file: str, out: list[Violation]) -> tuple[dict[str, dict[str, str]] | None, dict[str, int | None]]:
    """The entries of a BibTeX file (key -> fields) and the line of each, or None with a violation."""
    lines = {m.group(1): text.count("\n", 0, m.start()) + 1 for m in _BIB_ENTRY.finditer(text)}
    try:
        bib = parse_bibtex(text, "bibtex")
    except PybtexError as exc:  # a syntax error knows its line; another names the entry at fault
        key = next((k for k in lines if f" {k}" in str(exc) or f"{k} " in str(exc)), None)
        kind = "syntax error" if isinstance(exc, PybtexSyntaxError) else "error"
        out.append(Violation(file, getattr(exc, "lineno", None) or lines.get(key), None, f"BibTeX {kind}: {exc}"))
        return None, lines
    return {key: {k: str(val) for k, val in entry.fields.items()} for key, entry in bib.entries.items()}, lines


def _table(path: Path, res: dict[str, Any], file: str, text: str | None, out: list[Violation]) -> pd.DataFrame | None:
    """A table read and checked on its own (types, keys, and quotes against ``text`` if it has provenance), or None; problems go to ``out``."""
    raw_bytes = _read(path, file, out)
    if raw_bytes is None:
        return None
    typed, problems = _check_table(raw_bytes, json.dumps(res, sort_keys=True, default=str), file, text if res.get("provenance") else None)
    out += problems
    return typed.copy() if typed is not None else None  # callers never get the memoised frame


@functools.lru_cache(maxsize=64)  # a process that loads the same table twice (a test suite, a notebook re-run) checks it once
def _check_table(raw_bytes: bytes, res_json: str, file: str, text: str | None) -> tuple[pd.DataFrame | None, tuple[Violation, ...]]:
    res = json.loads(res_json)
    raw, header, out = read_csv_strings(raw_bytes, file)
    header_problems = v.check_header(header, res, file) if raw is not None else []
    typed, problems = v.check_types(raw[field_names(res)], res, file) if raw is not None and not header_problems else (None, [])
    out += header_problems + problems
    if typed is None:
        return None, tuple(out)
    for check in (v.check_numbers_in_quotes, v.check_duplicate_rows, v.check_free_text, v.check_date_order):
        out += check(typed, res, file)
    return typed, tuple(out + (v.check_provenance(typed, text, file) if text is not None else []))


def _mechanical_rules(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Violation]:
    """The codebook's rules that the data decide (:mod:`analysis.data.rules`), on the tables that loaded."""
    out: list[Violation] = []
    have = set(tables)
    inference_ids = set(tables["inferences"].inference_id) if "inferences" in have else set()
    if "claims" in have:
        out += check_check_routes(tables["claims"], files["claims"])
    if {"activities", "entities", "sentences"} <= have:
        out += check_subjects(tables["activities"], tables["entities"], tables["sentences"], files["activities"])
    if {"sentences", "entities", "inferences"} <= have:
        names = tables["entities"].set_index("entity_id").canonical_name
        for table, column, inference, ref in (
            ("directives", "summary", "summary_inference", "refers_to"),
            ("claims", "statement", "statement_inference", "entity_id"),
        ):
            if table in have:
                frame = tables[table]
                refs = {line: [names[r]] for line, r in frame[ref].items() if isinstance(r, str) and r in names.index}
                out += check_summaries(frame, column, inference, tables["sentences"], refs, files[table], inference_ids)
    return out


#: SHA-256 of each data dictionary that passed :func:`~analysis.data.schema.check_package` in this process.
_GOOD_PACKAGES: set[str] = set()


#: Environment variable naming a folder where :func:`load_all` keeps each dataset it validated, by the
#: digest of its inputs (:func:`inputs_digest`). The book's build sets it (``_ext/report.py``), so the
#: chapters it runs validate the data once between them; unset, every load validates.
CACHE_ENV = "REPORT_DATASET_CACHE"


def inputs_digest(root: str | Path) -> str:
    """SHA-256 of what a load's result depends on: ``data/``, ``references.bib``, this package's code, and the
    versions of Python and of the libraries that read and check them."""
    libraries = [importlib.metadata.version(d) for d in ("pandas", "numpy", "frictionless", "jsonschema", "PyYAML", "pybtex")]
    digest = hashlib.sha256("|".join([sys.version, *libraries]).encode())
    for base, paths in (
        (Path(root), [*sorted((Path(root) / "data").rglob("*")), Path(root) / BIB_FILE]),
        (Path(__file__).parent, sorted(Path(__file__).parent.rglob("*"))),
    ):
        for path in (p for p in paths if p.is_file() and p.suffix != ".pyc"):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_all(root: str | Path | None = None) -> Dataset:
    """Load and validate the data dictionary, the source, the bibliography and every table under ``root`` (:func:`default_root`).

    A broken dictionary stops everything; every other problem is collected and all are raised together,
    and a table that fails is always named. With :data:`CACHE_ENV` set, a dataset that passed from the
    same inputs (:func:`inputs_digest`) is read back instead.

    Raises
    ------
    ReportDataError
        Listing every violation found, each with file, line and column.
    """
    root = Path(root) if root is not None else default_root()
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return _load_checked(root)
    digest = inputs_digest(root)
    path = Path(folder) / f"dataset-{digest}.pickle"
    try:  # validated by an earlier load of exactly these inputs (written by this function only)
        return pickle.loads(path.read_bytes())
    except Exception:  # absent, or unreadable (cut short, or written by other libraries): validate again
        pass
    ds = _load_checked(root)
    if inputs_digest(root) != digest:  # a file changed while it was read: keep nothing
        return ds
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("dataset-*.pickle"):
        old.unlink(missing_ok=True)  # another process may have removed it first
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    partial.write_bytes(pickle.dumps(ds))
    os.replace(partial, path)  # whole or absent: a reader never sees half a file
    return ds


def _load_checked(root: Path) -> Dataset:
    """:func:`load_all` without the cache."""
    data = root / "data"

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    violations: list[Violation] = []

    # 1. the data dictionary, checked before anything is read with it
    package, package_text, lines = _read_yaml(root / PACKAGE_FILE, PACKAGE_FILE, violations)
    checked = hashlib.sha256(package_text.encode()).hexdigest() if package_text is not None else None
    if package_text is not None and checked not in _GOOD_PACKAGES:
        violations += check_package(package, PACKAGE_FILE, lines)
        if not violations:
            _GOOD_PACKAGES.add(checked)  # a process checks the same dictionary once (a test suite, a notebook re-run)
    if violations:
        raise ReportDataError(violations)

    # 2. the source and its metadata
    for key in ("path", "metadata"):
        where = package["source"].get(key)
        if where is not None and not (data / where).resolve().is_relative_to(data.resolve()):
            message = f"{where!r} points outside data/: the source and its metadata must be files of data/"
            violations.append(Violation(PACKAGE_FILE, lines.get(("source", key)), f"source.{key}", message))
    if violations:  # nothing is read from outside data/
        raise ReportDataError(violations)
    meta_path = data / package["source"].get("metadata", "source/SOURCE.yaml")
    source_meta, _, _ = _read_yaml(meta_path, rel(meta_path), violations)
    if source_meta is not None and not (isinstance(source_meta, dict) and isinstance(source_meta.get("sha256"), str)):
        violations.append(Violation(rel(meta_path), None, None, "expected a mapping with the key 'sha256' (the source's SHA-256)"))
        source_meta = None
    abbreviations = (source_meta or {}).get("abbreviations", [])
    if not (isinstance(abbreviations, list) and all(isinstance(a, str) for a in abbreviations)):
        violations.append(Violation(rel(meta_path), None, "abbreviations", "expected a list of words that never end a sentence, e.g. ['Co.', 'Ltd.']"))
        abbreviations = []
    source_path = data / package["source"]["path"]
    raw_text = _read(source_path, rel(source_path), violations)
    text: str | None = None
    if raw_text is not None:
        digest = hashlib.sha256(raw_text).hexdigest()
        recorded = [(PACKAGE_FILE, package["source"]["sha256"])] + ([(rel(meta_path), source_meta["sha256"])] if source_meta else [])
        for where, expected in recorded:
            if digest != expected:
                violations.append(Violation(rel(source_path), None, None, f"SHA-256 is {digest}, but {where} records {expected}: the source has been changed"))
        text = _decode(raw_text, rel(source_path), violations)

    # 3. the bibliography
    bib_text = _decode(_read(root / BIB_FILE, BIB_FILE, violations), BIB_FILE, violations)
    bibliography, bib_lines = _bibliography(bib_text, BIB_FILE, violations) if bib_text is not None else (None, {})
    if bibliography is not None:
        violations += v.check_bib_urls(bibliography, bib_lines, BIB_FILE)

    # 4. every table, on its own
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for res in package["resources"]:
        files[res["name"]] = rel(data / res["path"])
        if (typed := _table(data / res["path"], res, files[res["name"]], text, violations)) is not None:
            tables[res["name"]] = typed

    # 5. across tables, the source and the bibliography
    violations += v.check_foreign_keys(tables, package, files)
    violations += check_registers(tables, package, files, set(bibliography or {}))
    if "entities" in tables and text is not None:
        violations += v.check_variants(tables["entities"], text, files["entities"])
    if "sentences" in tables and text is not None:
        violations += v.check_sentence_coverage(tables["sentences"], text, files["sentences"], abbreviations)
    if "peers" in tables:
        violations += check_peers(tables["peers"], files["peers"])
        if "entities" in tables:
            violations += check_subject_leader(tables["peers"], tables["entities"], files["peers"])
    violations += _mechanical_rules(tables, files)
    for res in package["resources"]:
        if res["name"] not in tables or bibliography is None:
            continue
        for f in res["schema"]["fields"]:
            if f.get("citesBibliography") or f.get("coversBibliography"):
                violations += v.check_bib_keys(tables[res["name"]], set(bibliography), files[res["name"]], BIB_FILE, f["name"], f.get("separator"))
            if f.get("coversBibliography"):
                violations += v.check_bib_coverage(tables[res["name"]], {k: bib_lines.get(k) for k in bibliography}, files[res["name"]], BIB_FILE, f["name"])
    if {"claim_context", "external_facts", "sources"} <= set(tables):
        violations += v.check_corroboration(tables["claim_context"], tables["external_facts"], tables["sources"], files["claim_context"])

    # a table that did not load always says so, whatever else went wrong
    for name, file in files.items():
        if name not in tables and not any(x.file == file for x in violations):
            violations.append(Violation(file, None, None, "the table could not be loaded"))
    if violations:
        raise ReportDataError(violations)
    assert text is not None and source_meta is not None and bibliography is not None
    by_name = {res["name"]: res for res in package["resources"]}
    tables = {name: _with_lists(frame.reset_index(drop=True), by_name[name]) for name, frame in tables.items()}
    return Dataset(text=text, source=source_meta, package=package, tables=tables, bibliography=bibliography)


def load_coding(folder: str | Path, ds: Dataset, root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate another coder's tables: ``folder`` holds CSVs named as resources of the dictionary.

    Each column a coding has is checked as the book's are; ids and quotes are required, entity ids must
    name an entity of ``ds``. A coding given another's units (``data/codings.csv``) gets those tables from there.

    Raises
    ------
    ReportDataError
        Listing every problem by file, row and column.
    """
    root = Path(root) if root is not None else default_root()
    folder = Path(folder)
    by_name = {res["name"]: res for res in ds.package["resources"]}
    violations: list[Violation] = []
    tables: dict[str, pd.DataFrame] = {}
    for path in sorted(folder.glob("*.csv")):
        file = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        res = by_name.get(path.stem)
        if res is None:
            violations.append(Violation(file, None, None, f"{path.stem!r} is not a table of the data dictionary (data/datapackage.yaml)"))
            continue
        header = read_csv_strings(path.read_bytes(), file)[1]
        known = {f["name"]: f for f in fields(res)}
        required = [primary_key(res), *(PROVENANCE_FIELDS if res.get("provenance") else [])]
        # a coding holds the coded columns and the required ones (check_header names the others), so two units may rightly share every value
        coded = [c for c in header if c in known] + [c for c in required if c not in header]
        subset = {**res, "allowDuplicateRows": True, "schema": {**res["schema"], "fields": [known[c] for c in coded]}}
        if (typed := _table(path, subset, file, ds.text, violations)) is None:
            continue
        violations += [
            Violation(file, int(line), column, f"{value!r} is not an entity of data/entities.csv")
            for column in ("entity_id", "actor_id", "issuer_id", "stop_id", "location_id")
            if column in typed
            for line, value in typed[column].items()
            if isinstance(value, str) and value and value not in set(ds.entities.entity_id)
        ]
        tables[path.stem] = _with_lists(typed.reset_index(drop=True), subset)
    declared = ds.tables.get("codings", pd.DataFrame(columns=["coding", "units", "unit_tables"]))
    for row in declared[declared.coding.eq(folder.name) & ~declared.units.eq("own")].itertuples():
        given = ds.tables if row.units == "book" else load_coding(folder.parent / row.units, ds, root)
        for t in row.unit_tables:
            if t not in given or t in tables:
                message = f"{folder.name}: {t!r} must be a table of {row.units}'s units that {folder} lacks"
                violations.append(Violation("data/codings.csv", None, "unit_tables", message))
            else:
                tables[t] = given[t]
    if violations:
        raise ReportDataError(violations)
    return tables


def _with_lists(frame: pd.DataFrame, res: dict[str, Any]) -> pd.DataFrame:
    """The table with every list field (one with a ``separator``) as tuples of strings (the checks ran on ``"a|b"``)."""
    for f in fields(res):
        sep = f.get("separator")
        if sep and f["name"] in frame:
            frame[f["name"]] = [tuple(v.list_items(cell, sep)) for cell in frame[f["name"]]]
    return frame


def edition(root: str | Path | None = None) -> dict[str, str]:
    """The edition of the book from ``CITATION.cff``: ``number`` (its ``version``) and ``date`` ("27 November 2026").

    Raises
    ------
    ReportDataError
        If the file cannot be read, lacks either field or its date is not written YYYY-MM-DD.
    """
    out: list[Violation] = []
    cff, _, lines = _read_yaml(Path(root or default_root()) / "CITATION.cff", "CITATION.cff", out)
    missing = [k for k in ("version", "date-released") if not (isinstance(cff, dict) and cff.get(k))]
    if not out and not missing:
        try:
            released = datetime.date.fromisoformat(str(cff["date-released"]))
            return {"number": str(cff["version"]), "date": f"{released.day} {released:%B %Y}"}
        except ValueError:
            message = f"expected a date written YYYY-MM-DD, found {cff['date-released']!r}"
            out.append(Violation("CITATION.cff", lines.get(("date-released",)), "date-released", message))
    raise ReportDataError(out or [Violation("CITATION.cff", None, None, f"missing {', '.join(missing)}")])
