"""The setting of the visit in time: the dated outside facts, the inferred visit window, and dates in words."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset
from .roles import setting_event

__all__ = ["timeline_events", "visit_window", "focus_window", "period_end", "plain_dates", "setting_event_dates", "date_phrases", "visit_label"]


def visit_window(ds: Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inferred earliest and latest dates of the visit (an inference, see SOURCE.yaml)."""
    w = ds.source["visit_date_inferred"]
    return pd.Timestamp(w["earliest"]), pd.Timestamp(w["latest"])


def focus_window(ds: Dataset, months: int = 1) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inferred visit window widened to whole months, plus ``months`` on each side.

    For a visit between 17 and 20 September 2018 and ``months=1``: 1 August to 31 October 2018.
    This is the range the timeline's lower panel enlarges.
    """
    start, end = visit_window(ds)
    first = (start - pd.DateOffset(months=months)).to_period("M").start_time
    last = (end + pd.DateOffset(months=months)).to_period("M").end_time.normalize()
    return first, last


def period_end(start: pd.Timestamp, end: pd.Timestamp | None, precision: str) -> pd.Timestamp:
    """Last day an event can cover: ``end`` if given, else the end of the day, month or year of ``start``."""
    if end is not None and pd.notna(end):
        return pd.Timestamp(end)
    if precision == "year":
        return start.to_period("Y").end_time.normalize()
    if precision == "month":
        return start.to_period("M").end_time.normalize()
    return pd.Timestamp(start)


def plain_dates(start: pd.Timestamp, end: pd.Timestamp | None = None, precision: str = "day", year: bool = True) -> str:
    """A date or a range of dates in words, at the precision known: "1988", "Dec 2014", "18–20 Sep 2018".

    Parameters
    ----------
    start, end : Timestamp
        First and (optional) last day.
    precision : {"day", "month", "year"}
        How much of ``start`` is known.
    year : bool
        Whether to write the year (False inside a panel whose title gives it).
    """
    y = f" {start.year}" if year else ""
    if precision == "year":
        return f"{start.year}"
    if precision == "month":
        return f"{start:%b}{y}"
    if end is None or pd.isna(end) or end == start:
        return f"{start.day} {start:%b}{y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b}{y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b}{y}"
    return f"{start.day} {start:%b} {start.year} – {end.day} {end:%b} {end.year}"


def timeline_events(ds: Dataset) -> pd.DataFrame:
    """Every dated outside fact as a timeline event, in date order.

    Returns
    -------
    pandas.DataFrame
        ``fact_id``, ``label`` (the fact's timeline label, in plain words), ``date_start``,
        ``date_end`` (NaT for a single day, month or year), ``kind`` (``fact`` or ``inference``),
        ``precision`` (``day``, ``month`` or ``year``) and ``when`` (the dates in words, e.g. "Dec 2014").
        Undated facts are not events; nothing dated is left out.
    """
    x = ds.external_facts[ds.external_facts.date_start.notna()]
    ev = pd.DataFrame(
        {
            "fact_id": x.fact_id,
            "label": x.timeline_label,
            "date_start": x.date_start,
            "date_end": x.date_end,
            "kind": x.kind,
            "precision": x.date_precision,
        }
    )
    ev["when"] = [plain_dates(r.date_start, r.date_end, r.precision) for r in ev.itertuples()]
    return ev.sort_values(["date_start", "fact_id"]).reset_index(drop=True)


def date_phrases(ds: Dataset) -> dict[str, str]:
    """Dates for the prose, formatted from the data: the inferred visit window and the setting event.

    Returns
    -------
    dict
        ``visit_from`` ("17"), ``visit_to`` ("20 September 2018"), ``event_from``, ``event_to``
        (the same for :func:`setting_event_dates`).
    """
    start, end = visit_window(ds)
    event = setting_event_dates(ds)
    return {
        "visit_from": f"{start.day}",
        "visit_to": f"{end.day} {end:%B %Y}",
        "event_from": f"{event.date_start.day}",
        "event_to": f"{event.date_end.day} {event.date_end:%B %Y}",
    }


def setting_event_dates(ds: Dataset) -> pd.Series:
    """The dated outside fact that spans the setting event (``entities.visit_role == "setting_event"``).

    Raises
    ------
    ValueError
        If no entity is the setting event, or no fact about it has a start and an end date.
    """
    event = setting_event(ds)
    if event is None:
        raise ValueError("no setting event is marked in entities.csv (visit_role 'setting_event')")
    facts = ds.external_facts
    about = facts.entity_ids.map(lambda ids: event in ids)
    dated = facts[about & (facts.kind == "fact") & facts.date_start.notna() & facts.date_end.notna()]
    if dated.empty:
        raise ValueError(f"no dated outside fact spans the setting event '{event}'")
    return dated.assign(span=dated.date_end - dated.date_start).sort_values("span").iloc[-1]


def visit_label(ds: Dataset) -> str:
    """The timeline label of the outside fact that records the inferred visit window (its dates equal :func:`visit_window`).

    Raises
    ------
    ValueError
        If no dated fact spans exactly the inferred window.
    """
    start, end = visit_window(ds)
    f = ds.external_facts
    hit = f[(f.date_start == start) & (f.date_end == end)]
    if hit.empty:
        raise ValueError(f"no outside fact is dated {start:%Y-%m-%d} to {end:%Y-%m-%d}, the inferred visit window of SOURCE.yaml")
    return str(hit.iloc[0]["timeline_label"])
