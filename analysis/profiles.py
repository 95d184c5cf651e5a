"""What the article says about each stop of a visit, and what the delegation did there."""

from __future__ import annotations

import pandas as pd

from .load import Dataset
from .roles import short_name, stops
from .tables import Cite, Table, quote_cell, source_link

__all__ = [
    "claims_about",
    "activities_at",
    "topics_at",
    "quantified",
    "activities_table",
    "quantified_table",
    "context_about",
    "context_table",
    "facts_table",
]


def claims_about(ds: Dataset, entity_id: str) -> pd.DataFrame:
    """The article's claims about one entity, in order of the text."""
    ds.entity(entity_id)
    return ds.claims[ds.claims.entity_id == entity_id].sort_values("start").reset_index(drop=True)


def activities_at(ds: Dataset, stop_id: str) -> pd.DataFrame:
    """What the delegation did at one stop, in order of the text."""
    ds.entity(stop_id)
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


def activities_table(ds: Dataset, caption: str, name: str | None = None) -> Table:
    """Every activity of the delegation at the visit's stops, in order of the text, with place, topics and quote."""
    a = pd.concat([activities_at(ds, s) for s in stops(ds)], ignore_index=True).sort_values("start", ignore_index=True)
    topics = ds.topics.groupby("activity_id")["topic"].agg("; ".join)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in a.activity_id],
            "stop": [short_name(ds, s) for s in a.stop_id],
            "kind": a.activity_type,
            "where": [ds.name(x) if isinstance(x, str) else None for x in a.location_id],
            "topics raised": [topics.get(i) for i in a.activity_id],
            "quote": [quote_cell(q, i) for q, i in zip(a.quote, a.activity_id)],
        }
    )
    return Table(frame, caption, widths={"quote": "38%"}, name=name)


def quantified_table(ds: Dataset, caption: str) -> Table:
    """The quantified claims; the qualifier is shown only where the article gives one."""
    q = quantified(ds)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in q.claim_id],
            "about": [short_name(ds, e) for e in q.entity_id],
            "figure as stated": [f"{qual + ' ' if isinstance(qual, str) else ''}{v:,.0f} {u}" for v, qual, u in zip(q.value, q.qualifier, q.unit)],
            "quote": [quote_cell(x, i) for x, i in zip(q.quote, q.claim_id)],
        }
    )
    return Table(frame, caption)


def context_about(ds: Dataset, entity_ids: list[str]) -> pd.DataFrame:
    """Outside facts about any of the given entities (kept apart from the article's claims)."""
    wanted = set(entity_ids)
    mask = ds.external_facts.entity_ids.map(lambda ids: bool(set(ids) & wanted))
    return ds.external_facts[mask].reset_index(drop=True)


def context_table(ds: Dataset, entity_ids: list[str], caption: str, name: str | None = None) -> Table:
    """Outside facts about any of the given entities, as :func:`facts_table` shows them."""
    return facts_table(ds, context_about(ds, entity_ids).fact_id.tolist(), caption, name)


def facts_table(ds: Dataset, fact_ids: list[str] | None, caption: str, name: str | None = None) -> Table:
    """Outside facts (all, or those given, in that order) with kind, confidence, citations and the sources' independence.

    The independence column lists, once each, the ``independence`` grades of the fact's
    sources in ``sources.csv`` (``independent``, ``company``, ``same_publisher``,
    ``government_self_report``); a gap has no source.
    """
    facts = ds.external_facts
    x = facts.set_index("fact_id").loc[fact_ids].reset_index() if fact_ids is not None else facts.reset_index(drop=True)
    grade = ds.sources.set_index("bib_key").independence if "sources" in ds.tables else pd.Series(dtype=str)

    def independence(keys: tuple[str, ...]) -> str | None:
        found = [grade.get(k) for k in keys]
        return ", ".join(dict.fromkeys(g.replace("_", " ") for g in found if isinstance(g, str))) or None

    frame = pd.DataFrame(
        {
            "id": x.fact_id,
            "kind": x.kind,
            "confidence": x.confidence,
            "outside fact (the book's words)": x.statement,
            "sources": [Cite(list(keys)) for keys in x.bib_keys],
            "independence of the sources": [independence(keys) for keys in x.bib_keys],
        }
    )
    return Table(frame, caption, widths={"outside fact (the book's words)": "50%"}, name=name)
