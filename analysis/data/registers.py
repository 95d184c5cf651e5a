"""The registers' own checks: the codebook against the dictionary, the recoding log, and what inferences and notes rest on.

``codebook.csv`` has one row per variable (``table.column``) and code. The loader
refuses a codebook row that names no column, a code that an enum column does not
allow, and an allowed code that has no row. ``recoding_log.csv`` records every code
changed on re-checking the rows against the codebook.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import numpy as np
import pandas as pd

from .errors import Violation
from .schema import primary_key
from .validate import is_missing, list_items

__all__ = [
    "EMPTY",
    "DERIVED",
    "ID_TOKEN",
    "KEY_TOKEN",
    "allowed_codes",
    "basis_kind",
    "check_basis",
    "check_codebook",
    "check_measured_before",
    "check_recoding_log",
    "check_registers",
    "check_numbering",
    "NUMBERED",
]

#: A basis item that looks like a row id of a table (``S03``, ``C07``, ``F12``).
ID_TOKEN = re.compile(r"^[A-Z]{1,3}[0-9]+$")


#: A basis item that looks like a citation key (one word, no spaces).
KEY_TOKEN = re.compile(r"^[a-z][A-Za-z0-9_:-]*$")


def basis_kind(item: str) -> str:
    """Classify one basis item: ``"id"``, ``"key"`` or ``"phrase"`` (free words)."""
    item = item.strip()
    if ID_TOKEN.match(item):
        return "id"
    if KEY_TOKEN.match(item) and " " not in item:
        return "key"
    return "phrase"


def check_basis(
    inferences: pd.DataFrame,
    row_ids: set[str],
    bib_keys: set[str],
    file: str,
    column: str = "basis",
) -> list[Violation]:
    """Every id in a ``basis`` (or another "|"-joined ``column``) must be a row of some table, every key an entry of the bibliography.

    Parameters
    ----------
    inferences : pandas.DataFrame
        The register, indexed by file line; ``basis`` holds items joined by "|" (as stored) or a tuple (as loaded).
    row_ids : set of str
        Primary keys of every table of the package.
    bib_keys : set of str
        Citation keys of ``references.bib``.
    file : str
        Path used in messages.
    """
    out: list[Violation] = []
    for line, basis in inferences[column].items():
        for item in list_items(basis, "|"):
            item = item.strip()
            kind = basis_kind(item)
            if not item:
                out.append(Violation(file, line, column, "an empty item between '|' separators"))
            elif kind == "id" and item not in row_ids:
                out.append(Violation(file, line, column, f"{item!r} looks like a row id but no table has that row"))
            elif kind == "key" and item not in bib_keys:
                out.append(Violation(file, line, column, f"{item!r} looks like a citation key but references.bib has no such entry"))
    return out


#: The code that stands for an empty cell of an optional column.
EMPTY = "(empty)"


#: Variables computed by the book rather than stored in a table: name -> where they are computed.
DERIVED: dict[str, str] = {"ledger": "analysis.queries.ledger"}


def allowed_codes(field: dict[str, Any]) -> list[str] | None:
    """The codes a column allows, as strings, or None when it takes free values.

    Enum columns allow their enum; boolean columns their true and false values;
    optional enum and boolean columns also allow :data:`EMPTY`.
    """
    c = field.get("constraints", {})
    if "enum" in c:
        codes = [str(v) for v in c["enum"]]
    elif field.get("type") == "boolean":
        codes = [*field.get("trueValues", ["true"]), *field.get("falseValues", ["false"])]
    else:
        return None
    return codes if c.get("required") else [*codes, EMPTY]


def _columns(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{res['name']}.{f['name']}": f for res in package["resources"] for f in res["schema"]["fields"]}


def check_codebook(codebook: pd.DataFrame, package: dict[str, Any], file: str) -> list[Violation]:
    """Check the codebook against the data dictionary.

    Every ``variable`` must name an existing ``table.column`` (or a derived variable
    of :data:`DERIVED`); every code of an enum or boolean column must be allowed by
    the column, and every allowed code of a column in the codebook must have a row.
    Once the codebook covers one column of a table, it must cover every enum and
    boolean column of that table.

    Parameters
    ----------
    codebook : pandas.DataFrame
        Indexed by file line; columns ``variable`` and ``code`` at least.
    package : dict
        The parsed data dictionary.
    file : str
        Path used in messages.
    """
    columns = _columns(package)
    out: list[Violation] = []
    seen: dict[str, set[str]] = {}
    first_line: dict[str, int] = {}
    for line, variable, code in zip(codebook.index, codebook["variable"], codebook["code"]):
        variable, code = str(variable), str(code)
        table = variable.split(".", 1)[0]
        if variable not in columns:
            if table in DERIVED and "." in variable:
                continue
            out.append(Violation(file, line, "variable", f"{variable!r} names no column of the data dictionary (write table.column)"))
            continue
        first_line.setdefault(variable, line)
        seen.setdefault(variable, set()).add(code)
        allowed = allowed_codes(columns[variable])
        if allowed is not None and code not in allowed:
            out.append(Violation(file, line, "code", f"{code!r} is not a value that {variable} allows (allowed: {', '.join(allowed)})"))
    for variable, codes in seen.items():
        allowed = allowed_codes(columns[variable])
        if allowed is None:
            continue
        for code in allowed:
            if code not in codes and code != EMPTY:
                out.append(Violation(file, first_line[variable], "code", f"{variable} allows {code!r} but the codebook has no row defining it"))
    coded_tables = {v.split(".", 1)[0] for v in seen}
    for variable, field in columns.items():
        if variable.split(".", 1)[0] in coded_tables and variable not in seen and allowed_codes(field) is not None:
            out.append(Violation(file, None, "variable", f"{variable} is a coded column of a table the codebook covers, but the codebook has no rows for it"))
    return out


def _as_text(value: Any) -> str:
    """A cell as its CSV text: empty for missing, ``true``/``false`` for booleans, ``60`` for 60.0, a date as YYYY-MM-DD."""
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp | datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def check_recoding_log(log: pd.DataFrame, tables: dict[str, pd.DataFrame], package: dict[str, Any], file: str) -> list[Violation]:
    """Every logged change must change something, name an existing row and column, and the last change of each cell must hold now.

    Rows that a change removed or split are logged with ``column`` ``(row)``;
    only their table is checked, and earlier changes of a row later removed are not checked against the data.
    """
    out: list[Violation] = []
    keys = {res["name"]: res["schema"]["primaryKey"] for res in package["resources"]}
    last = {(str(r["table"]), str(r["row_id"]), str(r["column"])): line for line, r in log.iterrows()}
    removed = {(str(r["table"]), str(r["row_id"])): line for line, r in log.iterrows() if r["column"] == "(row)" and _as_text(r["new"]) == ""}
    positions: dict[str, dict[str, int]] = {}
    for line, row in log.iterrows():
        table, rid, column = str(row["table"]), str(row["row_id"]), str(row["column"])
        if _as_text(row["old"]) == _as_text(row["new"]):
            out.append(
                Violation(
                    file, line, "old", f"the change gives the same old and new value ({_as_text(row['new'])!r}): it changes nothing and should not be logged"
                )
            )
        if last[(table, rid, column)] != line:
            continue  # a later change of the same cell is the one the data must hold
        if table not in tables:
            out.append(Violation(file, line, "table", f"{table!r} is not a table of the data dictionary"))
            continue
        if column == "(row)" or removed.get((table, rid), -1) > line:
            continue
        frame = tables[table]
        if column not in frame.columns:
            out.append(Violation(file, line, "column", f"{table} has no column {column!r}"))
            continue
        if table not in positions:  # each table's ids indexed once
            positions[table] = {str(k): i for i, k in reversed(list(enumerate(frame[keys[table]])))}
        if rid not in positions[table]:
            out.append(Violation(file, line, "row_id", f"{table} has no row {rid!r}"))
            continue
        current, new = _as_text(frame[column].iloc[positions[table][rid]]), _as_text(row["new"])
        if current != new:
            out.append(Violation(file, line, "new", f"{table} row {rid} column {column} now holds {current!r}, not {new!r}: the log and the data disagree"))
    return out


#: Registers whose rows are numbered without gaps, so that a deleted row shows as a missing number.
NUMBERED = ("codebook", "inferences", "translation_notes", "external_facts")


def check_numbering(frame: pd.DataFrame, key: str, file: str) -> list[Violation]:
    """The ids of a register run from 1 without a gap; a missing number is a deleted row.

    Ids are a prefix and a number (K001, I25); each missing number is named.
    """
    numbers = {}
    for line, value in frame[key].items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", str(value))
        if m:
            numbers[int(m.group(2))] = (m.group(1), len(m.group(2)), int(line))
    if not numbers:
        return []
    prefix, width, _ = next(iter(numbers.values()))
    missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
    return [
        Violation(
            file,
            None,
            key,
            f"{prefix}{n:0{width}d} is missing: the ids run from {prefix}{1:0{width}d} without gaps, so a row was deleted (restore it, or renumber and update what cites it)",
        )
        for n in missing
    ]


def check_measured_before(adjudication: pd.DataFrame, codings: pd.DataFrame, file: str) -> list[Violation]:
    """A blind coding is measured against the book's coding before its ``book_before`` change (``codings.csv``),
    so every change its adjudication made (``recodings``) must come at or after that one."""
    first = {str(c): str(b) for c, b in zip(codings["coding"], codings["book_before"], strict=True)}
    out = []
    for line, coding, ids in zip(adjudication.index, adjudication["coding"], adjudication["recodings"], strict=True):
        before = first.get(str(coding), "")
        for r in list_items(ids, "|"):
            if r[1:].isdigit() and before[1:].isdigit() and int(r[1:]) < int(before[1:]):
                message = (
                    f"{r} comes before {before}, the first change {coding} is measured without (data/codings.csv book_before), so the measure would count it"
                )
                out.append(Violation(file, line, "recodings", message))
    return out


def check_registers(tables: dict[str, pd.DataFrame], package: dict[str, Any], files: dict[str, str], bib_keys: set[str]) -> list[Violation]:
    """The loader's checks of the codebook, the recoding log, the inference register and the translation notes.

    References between tables are checked only when every table loaded, so one
    broken file is not reported again as a dangling reference elsewhere.
    """
    out: list[Violation] = []
    if "codebook" in tables:
        out += check_codebook(tables["codebook"], package, files["codebook"])
    for name in NUMBERED:
        if name in tables:
            out += check_numbering(tables[name], primary_key(next(r for r in package["resources"] if r["name"] == name)), files[name])
    if any(res["name"] not in tables for res in package["resources"]):
        return out  # a table failed to load (already reported): cross-table references cannot be judged
    if "recoding_log" in tables:
        out += check_recoding_log(tables["recoding_log"], tables, package, files["recoding_log"])
    if {"adjudication", "codings"} <= set(tables):
        out += check_measured_before(tables["adjudication"], tables["codings"], files["adjudication"])
    row_ids = {str(v) for res in package["resources"] for v in tables[res["name"]][primary_key(res)].dropna()}  # a basis can name a row of any table
    if "inferences" in tables:
        out += check_basis(tables["inferences"], row_ids, bib_keys, files["inferences"])
    if "translation_notes" in tables:
        out += check_basis(tables["translation_notes"], row_ids, bib_keys, files["translation_notes"], column="findings_affected")
    return out
