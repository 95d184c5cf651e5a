"""Checks of the curated tables: pure functions, tables (of strings or typed, indexed by the file's line) in, violations out.

Types, constraints and keys are checked by frictionless (:func:`check_types`, :func:`check_foreign_keys`); the rest are the report's own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .errors import Violation
from .schema import PANDAS_DTYPES, field_names, fields, foreign_keys, primary_key
from .text import find_all, paragraphs, sentences

__all__ = [
    "is_missing",
    "list_items",
    "check_header",
    "check_types",
    "check_provenance",
    "check_foreign_keys",
    "check_numbers_in_quotes",
    "check_variants",
    "check_duplicate_rows",
    "check_date_order",
    "check_free_text",
    "check_bib_keys",
    "check_bib_coverage",
    "check_bib_urls",
    "check_corroboration",
    "check_sentence_coverage",
]


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


#: The loader's one date rule: every date lies between this day and the day the data are loaded
#: (a readout of the genre is dated after the People's Republic was founded, and never in the future).
EARLIEST_DATE = datetime.date(1949, 10, 1)

_KINDS = {
    "integer": "a whole number",
    "number": "a number",
    "date": f"a date written YYYY-MM-DD, a real day between {EARLIEST_DATE.isoformat()} and today",
}
_WRITTEN = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


def _broken(note: str, value: Any, field: dict[str, Any]) -> str:
    """What a cell that fails its type (``note`` empty) or a constraint (frictionless's note, e.g. 'constraint "enum" is "['a']"') holds, and what is allowed."""
    if note.startswith('constraint "required"'):
        return "a value is required but the cell is empty"
    if note:
        if pattern := field.get("constraints", {}).get("pattern"):
            note = note.replace(rf"(?:{pattern})\Z", pattern)  # the dictionary's pattern, not check_types's whole-value wrapping
        return f"found {repr(value) + (f' ({len(value)} characters)' if 'Length' in note else '') if value is not None else 'an empty cell'}; {note}"
    allowed = f"one of {', '.join(field.get('trueValues', ['true']) + field.get('falseValues', ['false']))}" if field["type"] == "boolean" else None
    return f"expected {allowed or _KINDS.get(field['type'], field['type'])}, found {value!r}"


def _own_rules(value: str, typed: Any, field: dict[str, Any]) -> bool:
    """Whether a cell frictionless accepted passes what frictionless 5.21 does not check: the one place for it.

    Numbers and dates must be Table Schema's lexical forms (frictionless's ``int()``, ``Decimal()`` and ``strptime`` also take
    "1_000", " 28", Arabic-Indic digits, "NaN", "Infinity" and "2018-1-25", python/cpython#78122), and a date lies between
    :data:`EARLIEST_DATE` and today. ``tests/test_schema.py::test_frictionless_still_accepts_what_the_loader_refuses`` watches upstream.
    """
    kind = field["type"]
    if kind in _WRITTEN and not _WRITTEN[kind].fullmatch(value):
        return False
    return kind != "date" or EARLIEST_DATE <= typed <= datetime.date.today()


def _column(values: list[Any], kind: str) -> Any:
    """A column of frictionless's values (``date``, ``Decimal``, ``int``, ``bool``, ``str``, None) as the loader's dtype."""
    convert = {"date": pd.Timestamp, "number": float}.get(kind, lambda v: v)
    return pd.array([convert(v) if v is not None else None for v in values], dtype=PANDAS_DTYPES[kind])


def check_types(raw: pd.DataFrame, res: dict[str, Any], file: str) -> tuple[pd.DataFrame | None, list[Violation]]:
    """Type a table of strings (indexed by file line) with frictionless, checking types, constraints, unique fields and the primary key.

    Returns the typed table and no violation, or None and at least one: a table is never dropped without a message.
    """
    from frictionless import FrictionlessException, Resource, Schema  # here, not at the top: a load from the build's cache needs none of it

    by_name, pk = {f["name"]: f for f in fields(res)}, primary_key(res)
    rows, out = [], []
    try:
        # frictionless matches a pattern as ^pattern$ with re.match, and $ also matches before a final line break, so "C08\n"
        # would pass C[0-9]{2} (upstream bug, not yet reported): \Z makes the whole value match
        whole = [
            {**f, "constraints": {**f["constraints"], "pattern": rf"(?:{f['constraints']['pattern']})\Z"}} if "pattern" in f.get("constraints", {}) else f
            for f in fields(res)
        ]
        schema = Schema.from_descriptor({"fields": whole, "primaryKey": [pk]})
        with Resource(data=[list(raw.columns), *raw.itertuples(index=False, name=None)], schema=schema, name=res.get("name", "table")) as resource:
            for row in resource.row_stream:
                rows.append(row.to_list())
                line, cells = int(raw.index[row.row_number - 2]), raw.iloc[row.row_number - 2]
                own = {n for n, t in row.to_dict().items() if t is not None and not _own_rules(cells[n], t, by_name[n])}  # a cell of a type error is None
                out += [Violation(file, line, n, _broken("", cells[n], by_name[n])) for n in own]
                for e in row.errors:  # cell errors name their field; a primary-key error names none
                    column = getattr(e, "field_name", None) or pk
                    if e.type in ("unique-error", "primary-key"):
                        same = raw[column].isna() if cells[column] is None else raw[column].eq(cells[column])
                        first = int(raw.index[same.to_numpy().argmax()])  # the first row holding the value (an empty id too)
                        out += [
                            Violation(file, at, column, f"duplicate value {cells[column]!r}: each value in this column must be unique") for at in (first, line)
                        ]
                    elif column not in own:
                        out.append(Violation(file, line, column, _broken(e.note if e.type == "constraint-error" else "", cells[column], by_name[column])))
    except (FrictionlessException, TypeError, ValueError) as exc:  # a schema frictionless accepts but cannot read with
        return None, [Violation(file, None, None, f"frictionless cannot read the table with its schema in data/datapackage.yaml: {exc}")]
    if out:
        return None, sorted(set(out), key=lambda v: (v.line, v.column, v.message))
    columns = list(zip(*rows)) if rows else [[] for _ in by_name]
    typed = pd.DataFrame({name: _column(list(col), by_name[name]["type"]) for name, col in zip(by_name, columns)}, index=raw.index)
    return typed, []


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
            message = f"the quote is not at offsets {start}-{end}; it occurs at offset(s) {', '.join(map(str, hits))} (end = start + {len(quote)})"
            out.append(Violation(file, int(line), "end" if start in hits else "start", message))
            continue
        actual = next((p.number for p in paras if p.start <= start < p.end), None)
        if actual != para:
            out.append(Violation(file, int(line), "paragraph", f"the quote is in paragraph {actual}, not {para}"))
    return out


def is_missing(value: Any) -> bool:
    """Whether a cell is empty: None, pandas' NA or NaT, or a float NaN."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value))


def list_items(value: Any, sep: str | None) -> list[str]:
    """The items of a list cell: as stored (``"a|b"``) or as loaded (a tuple)."""
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    if is_missing(value):
        return []
    return [v for v in str(value).split(sep)] if sep else [str(value)]


def check_foreign_keys(tables: dict[str, pd.DataFrame], package: dict[str, Any], files: dict[str, str]) -> list[Violation]:
    """Check that every reference names an existing id, skipping tables that failed to load (they are reported as such).

    Frictionless checks the standard ``foreignKeys`` on the loaded tables' text; ``extendedForeignKeys`` (each element
    of a list field, or any one of several resources), which Table Schema cannot express, are checked here.
    """
    from frictionless import Package, Resource, Schema  # as in check_types

    out: list[Violation] = []
    loaded = [res for res in package["resources"] if res["name"] in tables]
    standard = {r["name"]: [fk for fk in r["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in tables] for r in loaded}
    involved = {n for n, fks in standard.items() if fks} | {fk["reference"]["resource"] for fks in standard.values() for fk in fks}

    def as_text(n: str) -> Resource:  # a loaded table's text cells (keys are text), the rest empty
        schema = Schema.from_descriptor({"fields": [{"name": c, "type": "string"} for c in tables[n]], "foreignKeys": standard[n]})
        rows = ([v if isinstance(v, str) else None for v in row] for row in tables[n].itertuples(index=False))
        return Resource(name=n, data=[list(tables[n]), *rows], schema=schema)

    for resource in (r for r in Package(resources=[as_text(n) for n in sorted(involved)]).resources if standard[r.name]):
        with resource:  # frictionless checks each row's foreign keys as it streams the rows
            for e in (e for row in resource.row_stream for e in row.errors if e.type == "foreign-key"):
                line, ref = int(tables[resource.name].index[e.row_number - 2]), f"{e.reference_field_names[0]} in {files[e.reference_name]}"
                out.append(Violation(files[resource.name], line, e.field_names[0], f"unknown id {e.field_cells[0]!r}: no such {ref}"))
    for res in loaded:
        for fk in foreign_keys(res, standard=False):  # frictionless has checked the standard ones
            column, targets = fk["field"], fk["targets"]
            if any(t not in tables for t, _ in targets):
                continue
            known = set().union(*(set(tables[t][k].astype(str)) for t, k in targets))
            where = " or ".join(f"{k} in {files[t]}" for t, k in targets)
            for line, value in tables[res["name"]][column].items():
                out += [
                    Violation(files[res["name"]], int(line), column, f"unknown id {k!r}: no such {where}")
                    for k in list_items(value, fk["separator"])
                    if k not in known
                ]
    return out


#: A number as written in English prose: "1,000", "28", "4.5" ("28," is the number 28 and a comma).
NUMBER_IN_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


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
            numbers = set(NUMBER_IN_TEXT.findall(row["quote"]))
            if not numbers & _number_forms(float(value)):
                out.append(Violation(file, int(line), f["name"], f"the number {value:g} is not written in the quote {row['quote']!r}"))
    return out


def _same(value: Any) -> Any:
    """A cell as compared for copies: missing as None, text with case and runs of whitespace ignored."""
    if is_missing(value):
        return None
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


def check_duplicate_rows(table: pd.DataFrame, res: dict[str, Any], file: str) -> list[Violation]:
    """Check that no two rows hold the same content (every field but the primary key, ignoring case and spacing) under two ids.

    A resource may allow copies with ``allowDuplicateRows: true``; a copied row would otherwise be counted twice.
    """
    if res.get("allowDuplicateRows"):
        return []
    pk = primary_key(res)
    others = [c for c in table.columns if c != pk]
    first: dict[tuple, tuple[int, Any]] = {}
    out = []
    for line, row in table.iterrows():
        key = tuple(_same(row[c]) for c in others)
        if key in first:
            message = f"row {row[pk]!r} repeats row {first[key][1]!r} (line {first[key][0]}) in every column but {pk} (ignoring case and spacing)"
            out.append(Violation(file, int(line), pk, f"{message}: the same content under two ids"))
        first.setdefault(key, (int(line), row[pk]))
    return out


#: What never belongs in a cell of free text: a spreadsheet formula (a cell a spreadsheet would run),
#: a control character, or UTF-8 read as Latin-1 or cp1252 (mojibake).
_FORMULA = re.compile(r"^(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*[(|!]|[\t\r])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf]|Ã[©¨ª«¢£¤¥¦§¶¼½¾³±¡]|Â[\xa0-\xbf]|ï»¿|\ufffd")


def check_free_text(table: pd.DataFrame, res: dict[str, Any], file: str) -> list[Violation]:
    """Check every text cell for a spreadsheet formula, a control character or mojibake."""
    out = []
    for f in fields(res):
        if f["type"] != "string" or f["name"] not in table.columns:
            continue
        for line, value in table[f["name"]].items():
            if not isinstance(value, str):
                continue
            formula, control, mojibake = _FORMULA.match(value), _CONTROL.search(value), _MOJIBAKE.search(value)
            messages = [f"{value[:40]!r} starts like a spreadsheet formula, which a spreadsheet opening the download would run"] if formula else []
            messages += [f"contains the control character {control.group()!r}"] if control else []
            messages += [f"contains {mojibake.group()!r}, UTF-8 text read in another encoding (mojibake)"] if mojibake else []
            out += [Violation(file, int(line), f["name"], m) for m in messages]
    return out


def check_date_order(table: pd.DataFrame, res: dict[str, Any], file: str) -> list[Violation]:
    """Check every ``notBefore`` field: an end date may not come before its start date."""
    return [
        Violation(file, int(line), f["name"], f"{table.at[line, f['name']]:%Y-%m-%d} is before {f['notBefore']} {table.at[line, f['notBefore']]:%Y-%m-%d}")
        for f in fields(res)
        if f.get("notBefore")
        for line in table.index[(table[f["name"]] < table[f["notBefore"]]).fillna(False).astype(bool)]  # an empty date is never before
    ]


def check_variants(table: pd.DataFrame, text: str, file: str) -> list[Violation]:
    """Check that every name variant of an entity occurs in the source."""
    return [
        Violation(file, int(line), "variants", f"name variant {v!r} does not occur in the source")
        for line, value in table["variants"].items()
        for v in list_items(value, "|")
        if not find_all(v, text)
    ]


def check_bib_keys(table: pd.DataFrame, keys: set[str], file: str, bib_file: str, column: str = "bib_keys", sep: str | None = "|") -> list[Violation]:
    """Check that every cited key exists in the bibliography."""
    return [
        Violation(file, int(line), column, f"citation key {k!r} is not in {bib_file}")
        for line, value in table[column].items()
        for k in list_items(value, sep)
        if k not in keys
    ]


def check_bib_coverage(table: pd.DataFrame, keys: dict[str, int | None], file: str, bib_file: str, column: str) -> list[Violation]:
    """Check that every entry of the bibliography (``keys``: citation key -> its line) has a row, where its independence is recorded."""
    have = set(table[column].astype(str))
    return [Violation(bib_file, line, None, f"entry {k!r} has no row in {file} (column '{column}')") for k, line in keys.items() if k not in have]


def check_bib_urls(entries: dict[str, dict[str, str]], lines: dict[str, int | None], bib_file: str) -> list[Violation]:
    """Check that every web address in the bibliography is http or https (nothing else becomes a link)."""
    out = []
    for key, entry in entries.items():
        for name, value in entry.items():
            addresses = [value] if name.lower() == "url" else re.findall(r"\\(?:url|href)\s*\{([^}]*)\}", value)
            for address in addresses:
                if not re.match(r"https?://[^\s]+\Z", address.strip(), flags=re.I):
                    out.append(Violation(bib_file, lines.get(key), name.lower(), f"entry {key!r}: the address {address!r} is not an http or https URL"))
    return out


def check_corroboration(links: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, file: str) -> list[Violation]:
    """Check that a link graded ``corroborates`` rests on at least one independent source (not the company, the publisher or a self-describing government)."""
    grade = dict(zip(sources["bib_key"].astype(str), sources["independence"].astype(str)))
    cited = {str(f): list_items(k, "|") for f, k in zip(facts["fact_id"], facts["bib_keys"])}
    out = []
    for line, row in links[links["relation"] == "corroborates"].iterrows():
        keys = cited.get(str(row["fact_id"]), [])
        if "independent" not in (grade.get(k) for k in keys):
            shown = ", ".join(f"{k} ({grade.get(k, 'no source row')})" for k in keys) or "no source"
            message = f"'corroborates' needs an outside fact with at least one independent source; {row['fact_id']} cites {shown}"
            out.append(Violation(file, int(line), "relation", message))
    return out


def check_sentence_coverage(table: pd.DataFrame, text: str, file: str, abbreviations: Iterable[str] = ()) -> list[Violation]:
    """Check that the sentences table holds every sentence of the source (split with ``abbreviations``), once, in order."""
    expected = sentences(text, abbreviations)
    got = list(zip(table["start"].astype(int), table["end"].astype(int)))
    want = [(s.start, s.end) for s in expected]
    out = []
    for s in expected:
        if (s.start, s.end) not in got:
            out.append(Violation(file, None, None, f"sentence {s.number} (offsets {s.start}-{s.end}, {s.text[:40]!r}...) has no row"))
    for line, span in zip(table.index, got):
        if span not in want:
            out.append(Violation(file, int(line), "start", f"offsets {span[0]}-{span[1]} are not a whole sentence of the source"))
    return out
