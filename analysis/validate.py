"""Checks of the curated tables. Pure functions: tables in, a list of violations out.

Each table arrives as a DataFrame of strings (empty cells as missing) whose index is
the line of the CSV file each row came from, so every violation can name its line.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .errors import Violation
from .schema import field_names, fields, pandera_schema
from .text import find_all, paragraphs, sentences

__all__ = [
    "check_header",
    "check_types",
    "check_provenance",
    "check_foreign_keys",
    "check_numbers_in_quotes",
    "check_variants",
    "check_bib_keys",
    "check_sentence_coverage",
    "PROVENANCE_COLUMNS",
]

PROVENANCE_COLUMNS = ["quote", "paragraph", "start", "end"]


def check_header(columns: list[str], res: dict[str, Any], file: str) -> list[Violation]:
    """Compare a file's header with the schema: missing, unexpected and misordered columns."""
    expected = field_names(res)
    out = [Violation(file, 1, c, "required column is missing from the header") for c in expected if c not in columns]
    out += [Violation(file, 1, c, "column is not in the data dictionary (data/datapackage.yaml)") for c in columns if c not in expected]
    dupes = {c for c in columns if columns.count(c) > 1}
    out += [Violation(file, 1, c, "column appears more than once in the header") for c in sorted(dupes)]
    if not out and columns != expected:
        out.append(Violation(file, 1, None, f"columns are out of order; expected {', '.join(expected)}"))
    return out


def _describe(check: str, value: Any, field: dict[str, Any]) -> str:
    shown = repr(value) if not (isinstance(value, float) and pd.isna(value)) else "an empty cell"
    if check.startswith(("coerce_dtype", "dtype")):
        kind = {"integer": "a whole number", "number": "a number", "boolean": "true or false", "date": "a date written YYYY-MM-DD"}.get(field["type"], field["type"])
        return f"expected {kind}, found {shown}"
    if check == "not_nullable":
        return "a value is required but the cell is empty"
    if check == "field_uniqueness":
        return f"duplicate value {shown}: each value in this column must be unique"
    if check.startswith("isin"):
        allowed = ", ".join(map(str, field["constraints"]["enum"]))
        return f"{shown} is not an allowed value (allowed: {allowed})"
    if check.startswith("str_matches"):
        return f"{shown} does not match the pattern {field['constraints']['pattern']}"
    if check.startswith("greater_than_or_equal_to"):
        return f"{shown} is below the minimum {field['constraints']['minimum']}"
    if check.startswith("less_than_or_equal_to"):
        return f"{shown} is above the maximum {field['constraints']['maximum']}"
    return f"{shown} fails check {check}"


def check_types(raw: pd.DataFrame, res: dict[str, Any], file: str) -> tuple[pd.DataFrame | None, list[Violation]]:
    """Parse and check a table's cells against its schema with pandera.

    Parameters
    ----------
    raw : pandas.DataFrame
        Strings, missing cells as None, indexed by file line.
    res : dict
        The resource descriptor.
    file : str
        Path used in messages.

    Returns
    -------
    (DataFrame or None, list of Violation)
        The typed table when there is no violation, otherwise None.
    """
    by_name = {f["name"]: f for f in fields(res)}
    frame = raw.copy()
    out: list[Violation] = []
    for name, f in by_name.items():
        if f["type"] == "boolean":
            true, false = f.get("trueValues", ["true"]), f.get("falseValues", ["false"])
            bad = frame[name].notna() & ~frame[name].isin(true + false)
            for line, value in frame.loc[bad, name].items():
                out.append(Violation(file, int(line), name, f"expected one of {', '.join(true + false)}, found {value!r}"))
            frame[name] = frame[name].map(lambda v: True if v in true else False if v in false else None)
    try:
        typed = pandera_schema(res).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        seen: set[tuple[int, str, str]] = set()
        cases = exc.failure_cases.to_dict("records")
        # a cell of the wrong type makes the column's other checks fail as a whole; report the cell
        mistyped = {c["column"] for c in cases if str(c["check"]).startswith(("coerce_dtype", "dtype"))}
        for case in cases:
            column, line = case["column"], case["index"]
            if line is None or (isinstance(line, float) and pd.isna(line)):
                if column not in mistyped:
                    out.append(Violation(file, None, column, str(case["failure_case"])))
                continue
            line = int(line)
            kind = "type" if str(case["check"]).startswith(("coerce_dtype", "dtype")) else str(case["check"])
            if (line, column, kind) in seen:
                continue
            seen.add((line, column, kind))
            shown = raw.at[line, column] if column in raw.columns and line in raw.index else case["failure_case"]
            out.append(Violation(file, line, column, _describe(str(case["check"]), shown, by_name[column])))
        return None, out
    return (typed if not out else None), out


def check_provenance(table: pd.DataFrame, text: str, file: str) -> list[Violation]:
    """Prove that every row's quote stands in the source at its stated paragraph and offsets."""
    out: list[Violation] = []
    paras = paragraphs(text)
    for line, row in table.iterrows():
        quote, start, end, para = row["quote"], int(row["start"]), int(row["end"]), int(row["paragraph"])
        hits = find_all(quote, text)
        if not hits:
            out.append(Violation(file, int(line), "quote", f"quote not found in the source: {quote!r}"))
            continue
        if text[start:end] != quote:
            col = "end" if start in hits else "start"
            out.append(
                Violation(file, int(line), col, f"the quote is not at offsets {start}-{end}; it occurs at offset(s) {', '.join(map(str, hits))} (end = start + {len(quote)})")
            )
            continue
        actual = next((p.number for p in paras if p.start <= start < p.end), None)
        if actual != para:
            out.append(Violation(file, int(line), "paragraph", f"the quote is in paragraph {actual}, not {para}"))
    return out


def _split(value: Any, sep: str | None) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [v for v in str(value).split(sep)] if sep else [str(value)]


def check_foreign_keys(tables: dict[str, pd.DataFrame], package: dict[str, Any], files: dict[str, str]) -> list[Violation]:
    """Check that every reference (foreignKeys in the schema) names an existing id."""
    out: list[Violation] = []
    for res in package["resources"]:
        if res["name"] not in tables:
            continue
        by_name = {f["name"]: f for f in fields(res)}
        for fk in res["schema"].get("foreignKeys", []):
            column, target = fk["fields"], fk["reference"]
            # an extension: a list of resources means "an id of any one of them"
            targets = target["resource"] if isinstance(target["resource"], list) else [target["resource"]]
            keys = target["fields"] if isinstance(target["fields"], list) else [target["fields"]]
            if any(t not in tables for t in targets):
                continue
            known = set().union(*(set(tables[t][k].astype(str)) for t, k in zip(targets, keys)))
            where = " or ".join(f"{k} in {files[t]}" for t, k in zip(targets, keys))
            for line, value in tables[res["name"]][column].items():
                for key in _split(value, by_name[column].get("separator")):
                    if key not in known:
                        out.append(Violation(files[res["name"]], int(line), column, f"unknown id {key!r}: no such {where}"))
    return out


def _number_forms(value: float) -> set[str]:
    forms = {f"{value:g}", f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"}
    if float(value).is_integer():
        forms.add(str(int(value)))
    return forms


def check_numbers_in_quotes(table: pd.DataFrame, res: dict[str, Any], file: str) -> list[Violation]:
    """Check that each number in an ``appearsInQuote`` field is written in the row's quote."""
    out: list[Violation] = []
    for f in fields(res):
        if not f.get("appearsInQuote"):
            continue
        for line, row in table.iterrows():
            value = row[f["name"]]
            if value is None or pd.isna(value):
                continue
            numbers = set(re.findall(r"\d[\d,]*(?:\.\d+)?", row["quote"]))
            if not numbers & _number_forms(float(value)):
                out.append(Violation(file, int(line), f["name"], f"the number {value:g} is not written in the quote {row['quote']!r}"))
    return out


def check_variants(table: pd.DataFrame, text: str, file: str, column: str = "variants", sep: str = "|") -> list[Violation]:
    """Check that every name variant of an entity occurs in the source."""
    return [
        Violation(file, int(line), column, f"name variant {v!r} does not occur in the source")
        for line, value in table[column].items()
        for v in _split(value, sep)
        if not find_all(v, text)
    ]


def check_bib_keys(table: pd.DataFrame, keys: set[str], file: str, bib_file: str, column: str = "bib_keys", sep: str = "|") -> list[Violation]:
    """Check that every cited key exists in the bibliography."""
    return [
        Violation(file, int(line), column, f"citation key {k!r} is not in {bib_file}")
        for line, value in table[column].items()
        for k in _split(value, sep)
        if k not in keys
    ]


def check_sentence_coverage(table: pd.DataFrame, text: str, file: str) -> list[Violation]:
    """Check that the sentences table holds every sentence of the source, once, in order."""
    expected = sentences(text)
    got = list(zip(table["start"].astype(int), table["end"].astype(int)))
    want = [(s.start, s.end) for s in expected]
    out = []
    for s in expected:
        if (s.start, s.end) not in got:
            out.append(Violation(file, None, None, f"sentence {s.number} (offsets {s.start}-{s.end}, {s.text[:40]!r}...) has no row"))
    for (line, row), span in zip(table.iterrows(), got):
        if span not in want:
            out.append(Violation(file, int(line), "start", f"offsets {span[0]}-{span[1]} are not a whole sentence of the source"))
    return out
