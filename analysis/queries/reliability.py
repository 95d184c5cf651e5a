"""Intercoder reliability: Krippendorff's alpha for every coded variable, and unitizing agreement where coders segment.

A *coding* is a mapping of table name to DataFrame, in the data dictionary's columns (the first
coding is the book's ``data/``; another lives in ``data/coding_b/`` and so on). Two kinds of unit:

- **given** units, the same for every coder: sentences (split by code) and the readouts of the
  peers sample. Their variables are compared unit by unit.
- **segmented** units, which each coder cuts from the text: claims, activities, topics and
  directives. They are aligned by the spans their quotes cover (:func:`match_units`); the
  unitizing table counts the units every coder found and those only some found, and the
  variables are compared on the aligned units only.

Alpha is computed with the maintained ``krippendorff`` package, at each variable's level of
measurement. Where the units barely vary, alpha is undefined or misleading, so the percent of
agreeing pairs is reported beside it. Nothing here is specific to one article; any number of
codings can be compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

__all__ = [
    "Variable",
    "VARIABLES",
    "SEGMENTED",
    "THRESHOLDS",
    "match_units",
    "agreement",
    "aligned",
    "unitizing_table",
    "link_matrices",
    "reliability_table",
    "rounds_table",
    "coding_before",
    "disagreements",
    "unreliable",
    "standing",
]

Coding = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Variable:
    """A coded variable: its table and column, its level of measurement, and how its value is read."""

    table: str
    column: str
    level: str = "nominal"
    read: str = "value"  # value | present (filled or not) | amount (names an amount, analysis.queries.directives.names_quantity)
    skip_empty: bool = False  # an empty cell means "does not apply" (set by another column), so it is no value to agree on

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}" + ("" if self.read == "value" else f" ({self.read})")


#: Tables whose units each coder cuts from the text, with the column that identifies a unit.
SEGMENTED = {"claims": "claim_id", "activities": "activity_id", "topics": "topic_id", "directives": "directive_id"}

#: Every coded variable the book reports agreement for (the codebook's variables that a coder decides).
VARIABLES: list[Variable] = [
    Variable("sentences", "function"),
    Variable("sentences", "register"),
    Variable("claims", "entity_id"),
    Variable("claims", "claim_type"),
    Variable("claims", "evaluative"),
    Variable("claims", "value", "interval"),
    Variable("claims", "qualifier", read="present"),
    Variable("activities", "actor_id"),
    Variable("activities", "stop_id"),
    Variable("activities", "activity_type"),
    Variable("activities", "location_id"),
    Variable("topics", "theme"),
    Variable("directives", "issuer_id"),
    Variable("directives", "issuer_basis"),
    Variable("directives", "mode"),
    Variable("directives", "category"),
    Variable("directives", "quantity", read="amount"),
    Variable("directives", "deadline", read="present"),
    Variable("directives", "budget", read="present"),
    Variable("directives", "responsible_unit", read="present"),
    Variable("directives", "refers_to"),
    Variable("peers", "genre"),
    Variable("peers", "scope"),
    Variable("peers", "purpose", skip_empty=True),
    Variable("peers", "date_precision"),
    Variable("peers", "date_basis"),
    Variable("peers", "units_visited", "interval"),
    Variable("peers", "frames_learning"),
    Variable("peers", "firm_figures", "interval"),
    Variable("peers", "firm_credentials", "interval"),
    Variable("peers", "directive_clauses_visible", "interval"),
    Variable("peers", "has_quantity", skip_empty=True),
    Variable("peers", "has_deadline", skip_empty=True),
    Variable("peers", "has_budget", skip_empty=True),
    Variable("peers", "has_unit", skip_empty=True),
    Variable("peers", "visibility"),
]

GIVEN = {"sentences": "sentence_id", "peers": "peer_id"}

#: Tables of links between units, keyed by their own ids: coded, so a coding before a change restores them too.
LINKS = {"directive_evidence": "link_id", "claim_context": "link_id"}

#: Krippendorff's thresholds: alpha >= 0.8 is reliable; 0.667 <= alpha < 0.8 allows tentative conclusions only.
THRESHOLDS = (0.667, 0.8)


def match_units(a: pd.DataFrame, b: pd.DataFrame, min_overlap: float = 0.5) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Align two coders' segmented units by the spans of their quotes.

    Two units match when their spans overlap by at least ``min_overlap`` of the shorter one; each
    unit matches at most once, the largest overlaps first.

    Returns
    -------
    (pairs, only_a, only_b)
        Positional indices: matched ``(i, j)`` pairs, then the units of ``a`` and of ``b`` left unmatched.
    """
    candidates = []
    spans_b = [(int(s), int(e)) for s, e in zip(b["start"], b["end"])]
    for i, (s1, e1) in enumerate((int(s), int(e)) for s, e in zip(a["start"], a["end"])):
        for j, (s2, e2) in enumerate(spans_b):
            overlap = min(e1, e2) - max(s1, s2)
            shorter = min(e1 - s1, e2 - s2)
            if overlap > 0 and shorter > 0 and overlap / shorter >= min_overlap:
                candidates.append((overlap / max(e1 - s1, e2 - s2), overlap, i, j))
    pairs, used_a, used_b = [], set(), set()
    for _, _, i, j in sorted(candidates, reverse=True):
        if i not in used_a and j not in used_b:
            pairs.append((i, j))
            used_a.add(i)
            used_b.add(j)
    return sorted(pairs), [i for i in range(len(a)) if i not in used_a], [j for j in range(len(b)) if j not in used_b]


def _value(v: object, read: str) -> object:
    missing = v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
    if read == "present":
        return not missing and str(v).strip() != ""
    if read == "amount":
        from .directives import names_quantity

        return names_quantity(v)
    if missing:
        return "(empty)"
    if isinstance(v, tuple | list):
        return "|".join(sorted(map(str, v)))
    return v


def _reading(frames: Mapping[str, pd.DataFrame], coder: str, pos: int | None, var: Variable) -> object:
    """A coder's value of ``var`` on one unit, as agreement reads it: None where the coder has no such unit, or
    where an empty cell is no value to agree on (an interval variable, or one whose empty means "does not apply")."""
    if pos is None:
        return None
    value = _value(frames[coder][var.column].iat[pos], var.read)
    return None if value == "(empty)" and (var.level == "interval" or var.skip_empty) else value


def agreement(values: np.ndarray, level: str) -> tuple[float, float, int]:
    """Krippendorff's alpha, the percent of agreeing pairs, and the number of pairable units.

    Parameters
    ----------
    values : numpy.ndarray
        Coders by units, objects; ``None`` where a coder has no value for a unit.
    level : str
        ``nominal``, ``ordinal`` or ``interval``.

    Returns
    -------
    (alpha, percent, units)
        Alpha is NaN when it is undefined (fewer than two distinct values among the pairable units).
    """
    import krippendorff

    pairable = [u for u in range(values.shape[1]) if sum(v is not None for v in values[:, u]) >= 2]
    if not pairable:
        return float("nan"), float("nan"), 0
    data = values[:, pairable]
    agree = total = 0
    for u in range(data.shape[1]):
        present = [v for v in data[:, u] if v is not None]
        for x, y in combinations(present, 2):
            agree += x == y
            total += 1
    percent = 100.0 * agree / total if total else float("nan")
    distinct = {v for v in data.ravel() if v is not None}
    if len(distinct) < 2:
        return float("nan"), percent, len(pairable)
    if level == "nominal":
        codes = {v: k for k, v in enumerate(sorted(distinct, key=str))}
        matrix = np.array([[np.nan if v is None else codes[v] for v in row] for row in data], dtype=float)
    else:
        matrix = np.array([[np.nan if v is None else float(v) for v in row] for row in data], dtype=float)
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)), percent, len(pairable)


def aligned(codings: Mapping[str, Coding], table: str) -> tuple[list[dict[str, int | None]], dict[str, pd.DataFrame]]:
    """The units of ``table`` across codings: one dict per unit, coder -> row position (None where that coder has no such unit).

    Given units are aligned by id; segmented units by span, each coder against the first.
    """
    coders = list(codings)
    frames = {c: codings[c][table].reset_index(drop=True) for c in coders if table in codings[c]}
    first = coders[0]
    if table in GIVEN:
        key = GIVEN[table]
        ids = list(dict.fromkeys(i for c in frames for i in frames[c][key]))
        units = [{c: (int(np.flatnonzero(frames[c][key].to_numpy() == i)[0]) if i in set(frames[c][key]) else None) for c in frames} for i in ids]
        return units, frames
    units: list[dict[str, int | None]] = [{first: i} for i in range(len(frames[first]))]
    for c in coders[1:]:
        if c not in frames:
            continue
        pairs, _, only = match_units(frames[first], frames[c])
        for i, j in pairs:
            units[i][c] = j
        units += [{c: j} for j in only]
    return [{c: u.get(c) for c in frames} for u in units], frames


def unitizing_table(codings: Mapping[str, Coding]) -> pd.DataFrame:
    """For each segmented table: units every coder found, and units only some found (per coder)."""
    coders = list(codings)
    rows = []
    for table in SEGMENTED:
        if not all(table in codings[c] for c in coders):
            continue
        units, _ = aligned(codings, table)
        row = {"units": table, "found by every coder": sum(all(u[c] is not None for c in coders) for u in units)}
        for c in coders:
            row[f"found only by {c}"] = sum(u[c] is not None and sum(v is not None for v in u.values()) == 1 for u in units)
        rows.append(row)
    return pd.DataFrame(rows)


def _unit_of(codings: Mapping[str, Coding], tables: tuple[str, ...], cache: dict) -> dict[str, dict[str, tuple[str, int]]]:
    """coder -> that coder's row id -> (table, aligned unit number), for the given segmented tables."""
    out: dict[str, dict[str, tuple[str, int]]] = {c: {} for c in codings}
    for table in tables:
        if not all(table in codings[c] for c in codings):
            continue
        if table not in cache:
            cache[table] = aligned(codings, table)
        units, frames = cache[table]
        key = SEGMENTED[table]
        for n, u in enumerate(units):
            for c, pos in u.items():
                if pos is not None:
                    out[c][str(frames[c][key].iat[pos])] = (table, n)
    return out


def link_matrices(codings: Mapping[str, Coding], cache: dict | None = None) -> dict[str, np.ndarray]:
    """The coded links as units: claim-to-fact relations and directive-to-evidence links.

    ``claim_context.relation``: one unit per aligned claim and outside fact that any coder relates,
    valued by the relation or ``(none)``. ``directive_evidence.link_id (links)``: one unit per pair of
    an aligned directive and an aligned claim, activity or topic, linked or not: every coder judged
    every pair, so a pair no coder links is agreement too. A coder without the aligned directive or
    evidence has no value for the unit.
    """
    cache = {} if cache is None else cache
    coders = list(codings)
    out: dict[str, np.ndarray] = {}
    if all("claim_context" in codings[c] for c in coders):
        claim_unit = _unit_of(codings, ("claims",), cache)
        rel: dict[tuple, dict[str, str]] = {}
        for c in coders:
            for r in codings[c]["claim_context"].itertuples(index=False):
                unit = claim_unit[c].get(str(r.claim_id))
                if unit is not None:
                    rel.setdefault((unit, str(r.fact_id)), {})[c] = str(r.relation)
        has = {c: set(claim_unit[c].values()) for c in coders}
        out["claim_context.relation"] = np.array(
            [[(v.get(c, "(none)") if unit in has[c] else None) for (unit, _), v in rel.items()] for c in coders], dtype=object
        )
    if all("directive_evidence" in codings[c] for c in coders):
        unit_of = _unit_of(codings, ("directives", "claims", "activities", "topics"), cache)
        linked = {c: set() for c in coders}
        for c in coders:
            for r in codings[c]["directive_evidence"].itertuples(index=False):
                d, e = unit_of[c].get(str(r.directive_id)), unit_of[c].get(str(r.evidence_id))
                if d is not None and e is not None:
                    linked[c].add((d, e))
        has = {c: set(unit_of[c].values()) for c in coders}
        every = sorted({u for c in coders for u in has[c]})
        pairs = [(d, e) for d in every if d[0] == "directives" for e in every if e[0] != "directives"]
        out["directive_evidence.link_id (links)"] = np.array(
            [[(((d, e) in linked[c]) if d in has[c] and e in has[c] else None) for d, e in pairs] for c in coders], dtype=object
        )
    return out


def reliability_table(codings: Mapping[str, Coding], variables: list[Variable] | None = None) -> pd.DataFrame:
    """Alpha and percent agreement for every variable the codings share, on the units they share.

    ``variables`` None measures every variable of :data:`VARIABLES`; an empty list measures the links alone.

    Returns
    -------
    pandas.DataFrame
        ``variable``, ``level``, ``units`` (pairable), ``alpha`` (NaN where undefined) and ``percent agreement``.
    """
    coders = list(codings)
    rows = []
    cache: dict[str, tuple] = {}
    for var in VARIABLES if variables is None else variables:
        if not all(var.table in codings[c] and var.column in codings[c][var.table] for c in coders):
            continue
        if var.table not in cache:
            cache[var.table] = aligned(codings, var.table)
        units, frames = cache[var.table]
        matrix = np.array([[_reading(frames, c, u[c], var) for u in units] for c in coders], dtype=object)
        alpha, percent, n = agreement(matrix, var.level)
        rows.append({"variable": var.name, "level": var.level, "units": n, "alpha": alpha, "percent agreement": percent})
    for name, matrix in link_matrices(codings, cache).items():
        alpha, percent, n = agreement(matrix, "nominal")
        rows.append({"variable": name, "level": "nominal", "units": n, "alpha": alpha, "percent agreement": percent})
    return pd.DataFrame(rows)


def coding_before(tables: Coding, log: pd.DataFrame, first: str | None) -> dict[str, pd.DataFrame]:
    """A coding as it stood before the logged change ``first`` and every later one.

    Each later change of a cell of a coded table is undone, latest first, so the cell holds the
    ``old`` value of its earliest such change (read with the column's type); a row a later change
    added (``column`` ``(row)``, ``old`` empty) is dropped, and a row it removed comes back from
    ``old``, its other cells in the table's order joined by ``|``. With ``first`` None, or not in the
    log, the tables are returned as they are.

    Parameters
    ----------
    tables : Mapping[str, pandas.DataFrame]
        The coding now.
    log : pandas.DataFrame
        The recoding log: ``change_id``, ``table``, ``row_id``, ``column``, ``old``, in the order made.
    first : str or None
        The id of the first change to undo.
    """
    out = {name: frame.copy() for name, frame in tables.items()}
    ids = list(log.change_id)
    if first is None or first not in ids:
        return out
    keys = {**GIVEN, **SEGMENTED, **LINKS}
    for r in reversed(log.iloc[ids.index(first) :].to_dict("records")):
        table, column = str(r["table"]), str(r["column"])
        frame = out.get(table)
        if frame is None or table not in keys:
            continue  # a table no coder codes
        if column == "(row)":
            if not isinstance(r["old"], str) or r["old"] == "":
                out[table] = frame[frame[keys[table]] != r["row_id"]].reset_index(drop=True)  # a row added later
                continue
            others = [c for c in frame.columns if c != keys[table]]
            cells = r["old"].split("|")
            if len(cells) != len(others):
                raise ValueError(
                    f"{r['change_id']}: the removed row's old value has {len(cells)} cells joined by '|', {table} has {len(others)} besides its id"
                )
            row = {keys[table]: r["row_id"], **{c: _typed(v, frame[c]) for c, v in zip(others, cells)}}
            out[table] = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)  # a row removed later
            continue
        if column not in frame.columns:
            continue
        hit = frame.index[frame[keys[table]] == r["row_id"]]
        if len(hit):
            frame.loc[hit[0], column] = _typed(r["old"], frame[column])
    return out


def _typed(text: object, column: pd.Series) -> object:
    """A logged value (CSV text) in the type of ``column``; empty is missing."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or str(text) == "":
        return pd.NA if column.dtype != object else None
    text = str(text)
    if pd.api.types.is_bool_dtype(column):
        return text == "true"
    if pd.api.types.is_integer_dtype(column):
        return int(text)
    if pd.api.types.is_float_dtype(column):
        return float(text)
    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.Timestamp(text)
    return text


def rounds_table(rounds: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Several rounds of agreement side by side, with each variable's latest reading.

    Parameters
    ----------
    rounds : Mapping[str, pandas.DataFrame]
        A round's name to its :func:`reliability_table`, oldest first.

    Returns
    -------
    pandas.DataFrame
        One row per variable any round measured: ``variable``, ``level``, ``alpha (<round>)``,
        ``percent (<round>)`` and ``units (<round>)`` per round (NaN where that round did not code it), then ``alpha``,
        ``percent agreement``, ``units`` and ``round`` of the latest round that did, which
        :func:`unreliable` and :func:`standing` read, and ``lowest``, its lowest alpha in any round.
    """
    order: list[str] = []
    level: dict[str, str] = {}
    latest: dict[str, dict] = {}
    wide: dict[str, dict[str, float]] = {}
    for name, table in rounds.items():
        for r in table.to_dict("records"):
            var = r["variable"]
            if var not in level:
                order.append(var)
                level[var] = r["level"]
            wide.setdefault(var, {}).update({f"alpha ({name})": r["alpha"], f"percent ({name})": r["percent agreement"], f"units ({name})": r["units"]})
            latest[var] = {"alpha": r["alpha"], "percent agreement": r["percent agreement"], "units": r["units"], "round": name}
    columns = [c for name in rounds for c in (f"alpha ({name})", f"percent ({name})", f"units ({name})")]
    rows = [{"variable": v, "level": level[v], **{c: wide[v].get(c, float("nan")) for c in columns}, **latest[v]} for v in order]
    table = pd.DataFrame(rows, columns=["variable", "level", *columns, "alpha", "percent agreement", "units", "round"])
    return table.assign(lowest=table[[f"alpha ({name})" for name in rounds]].min(axis=1, skipna=True))


def disagreements(codings: Mapping[str, Coding], variables: list[Variable] | None = None) -> pd.DataFrame:
    """Every aligned unit on which the codings differ, one row per unit and variable.

    Returns
    -------
    pandas.DataFrame
        ``unit`` (the first coding's id, or another coder's where only it has the unit), ``variable``
        and one column per coder with its value as read for agreement.
    """
    coders = list(codings)
    rows = []
    for var in variables or VARIABLES:
        if not all(var.table in codings[c] and var.column in codings[c][var.table] for c in coders):
            continue
        units, frames = aligned(codings, var.table)
        key = GIVEN.get(var.table) or SEGMENTED[var.table]
        for u in units:
            if sum(u[c] is not None for c in coders) < 2:
                continue
            values = {c: _reading(frames, c, u[c], var) for c in coders}
            present = [v for v in values.values() if v is not None]
            if len(set(map(str, present))) > 1:
                first = next(c for c in coders if u[c] is not None)
                rows.append({"unit": str(frames[first].iloc[u[first]][key]), "variable": var.name, **{c: values[c] for c in coders}})
    return pd.DataFrame(rows, columns=["unit", "variable", *coders])


def unreliable(table: pd.DataFrame, below: float = THRESHOLDS[0], column: str = "alpha") -> dict[str, float]:
    """Each variable (``table.column``) with a reading whose alpha is below ``below`` (by default 0.667), with its lowest alpha.

    ``table`` is :func:`reliability_table`'s, or :func:`rounds_table`'s, whose ``lowest`` column
    (``column="lowest"``) holds each variable's lowest alpha in any round; undefined alphas are not below anything.
    """
    out: dict[str, float] = {}
    for name, alpha in zip(table["variable"], table[column], strict=True):
        if alpha == alpha and alpha < below:
            key = name.split(" ")[0]
            out[key] = min(alpha, out.get(key, alpha))
    return out


def standing(alpha: float) -> str:
    """Krippendorff's reading of an alpha: "reliable", "tentative", "unreliable" or "undefined"."""
    if alpha != alpha:  # NaN
        return "undefined"
    low, high = THRESHOLDS
    return "reliable" if alpha >= high else ("tentative" if alpha >= low else "unreliable")
