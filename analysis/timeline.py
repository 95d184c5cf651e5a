"""The setting of the visit in time: the events of the outside context and the inferred visit window."""

from __future__ import annotations

import pandas as pd

from .load import Dataset

__all__ = ["timeline_events", "visit_window", "date_phrases"]


def visit_window(ds: Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inferred earliest and latest dates of the visit (an inference, see SOURCE.yaml)."""
    w = ds.source["visit_date_inferred"]
    return pd.Timestamp(w["earliest"]), pd.Timestamp(w["latest"])


def timeline_events(ds: Dataset, since: str | None = None) -> pd.DataFrame:
    """Dated outside facts as timeline events: ``fact_id``, ``label``, ``date_start``, ``date_end``, ``kind``, ``precision``.

    Parameters
    ----------
    since : str, optional
        Keep only events starting on or after this ISO date.
    """
    x = ds.external_facts[ds.external_facts.date_start.notna()]
    ev = pd.DataFrame(
        {
            "fact_id": x.fact_id,
            "label": x.timeline_label + x.date_precision.map({"year": " (year)", "month": " (month)", "day": ""}),
            "date_start": x.date_start,
            "date_end": x.date_end,
            "kind": x.kind,
            "precision": x.date_precision,
        }
    )
    if since:
        ev = ev[ev.date_start >= pd.Timestamp(since)]
    return ev.sort_values("date_start").reset_index(drop=True)


def date_phrases(ds: Dataset) -> dict[str, str]:
    """Dates for the prose, formatted from the data: the inferred visit window and Summer Davos.

    Returns
    -------
    dict
        ``visit_from`` ("17"), ``visit_to`` ("20 September 2018"), ``davos_from``, ``davos_to``.
    """
    start, end = visit_window(ds)
    davos = ds.row("external_facts", "X01")
    return {
        "visit_from": f"{start.day}",
        "visit_to": f"{end.day} {end:%B %Y}",
        "davos_from": f"{davos.date_start.day}",
        "davos_to": f"{davos.date_end.day} {davos.date_end:%B %Y}",
    }
