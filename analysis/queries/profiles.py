"""What the article says about each stop of a visit, and what the delegation did there."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset

__all__ = [
    "claims_about",
    "activities_at",
    "topics_at",
    "quantified",
    "context_about",
]


def claims_about(ds: Dataset, entity_id: str) -> pd.DataFrame:
    """The article's claims about one entity, in order of the text."""
    ds.row("entities", entity_id)
    return ds.claims[ds.claims.entity_id == entity_id].sort_values("start").reset_index(drop=True)


def activities_at(ds: Dataset, stop_id: str) -> pd.DataFrame:
    """What the delegation did at one stop, in order of the text."""
    ds.row("entities", stop_id)
    return ds.activities[ds.activities.stop_id == stop_id].sort_values("start").reset_index(drop=True)


def topics_at(ds: Dataset, stop_id: str) -> pd.DataFrame:
    """Topics raised at one stop."""
    ids = set(activities_at(ds, stop_id).activity_id)
    return ds.topics[ds.topics.activity_id.isin(ids)].reset_index(drop=True)


def quantified(ds: Dataset, entity_id: str | None = None) -> pd.DataFrame:
    """Claims that state a number, with value, qualifier and unit."""
    q = ds.claims[ds.claims.value.notna()]
    if entity_id is not None:
        q = q[q.entity_id == entity_id]
    return q.sort_values("start").reset_index(drop=True)


def context_about(ds: Dataset, entity_ids: list[str]) -> pd.DataFrame:
    """Outside facts about any of the given entities (kept apart from the article's claims)."""
    wanted = set(entity_ids)
    mask = ds.external_facts.entity_ids.map(lambda ids: bool(set(ids) & wanted))
    return ds.external_facts[mask].reset_index(drop=True)
