"""Profiles of the visit's stops: what the article claims about each, and what was done there."""

from __future__ import annotations

import pandas as pd

from .load import Dataset
from .tables import Table, quote_cell, source_link

__all__ = [
    "ENTERPRISES",
    "STOPS",
    "claims_about",
    "claims_table",
    "activities_at",
    "activities_table",
    "topics_at",
    "quantified",
    "quantified_table",
    "profile",
    "context_about",
    "context_table",
    "words_per_stop",
    "absent_claim_types",
]

ENTERPRISES: list[str] = ["tiandy", "tellyes", "concorde"]
STOPS: list[str] = ["binhai_htz", *ENTERPRISES]
CHECKLIST = ["sector", "business", "credential", "product", "market", "facility", "research"]


def claims_about(ds: Dataset, entity_id: str) -> pd.DataFrame:
    """The article's claims about one entity, in order of the text."""
    ds.entity(entity_id)
    return ds.claims[ds.claims.entity_id == entity_id].sort_values("start").reset_index(drop=True)


def claims_table(ds: Dataset, entity_id: str, caption: str) -> Table:
    """Claims about an entity with their quotes, linked to the annotated source."""
    c = claims_about(ds, entity_id)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in c.claim_id],
            "type": c.claim_type,
            "judgement?": c.evaluative.map({True: "evaluative", False: "factual"}),
            "what the article says": c.statement,
            "quote": [quote_cell(q, i) for q, i in zip(c.quote, c.claim_id)],
        }
    )
    return Table(frame, caption, html_columns=["id", "quote"], widths={"quote": "40%"})


def activities_at(ds: Dataset, stop_id: str) -> pd.DataFrame:
    """What the delegation did at one stop, in order of the text."""
    ds.entity(stop_id)
    return ds.activities[ds.activities.stop_id == stop_id].sort_values("sequence").reset_index(drop=True)


def topics_at(ds: Dataset, stop_id: str) -> pd.DataFrame:
    """Topics raised at one stop."""
    ids = set(activities_at(ds, stop_id).activity_id)
    return ds.topics[ds.topics.activity_id.isin(ids)].reset_index(drop=True)


def activities_table(ds: Dataset, stop_id: str, caption: str) -> Table:
    """Activities at a stop with place, topics raised and the quote."""
    a = activities_at(ds, stop_id)
    topics = ds.topics.groupby("activity_id")["topic"].agg("; ".join)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in a.activity_id],
            "who": [ds.name(x) for x in a.actor_id],
            "kind": a.activity_type,
            "where": [ds.name(x) if isinstance(x, str) else None for x in a.location_id],
            "topics raised": [topics.get(i) for i in a.activity_id],
            "quote": [quote_cell(q, i) for q, i in zip(a.quote, a.activity_id)],
        }
    )
    return Table(frame, caption, html_columns=["id", "quote"], widths={"quote": "38%"})


def quantified(ds: Dataset, entity_id: str | None = None) -> pd.DataFrame:
    """Claims that state a number, with value, qualifier and unit."""
    q = ds.claims[ds.claims.value.notna()]
    if entity_id is not None:
        q = q[q.entity_id == entity_id]
    return q.reset_index(drop=True)


def quantified_table(ds: Dataset, caption: str, entity_id: str | None = None) -> Table:
    """The quantified claims as a table; the number is shown exactly as qualified."""
    q = quantified(ds, entity_id)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in q.claim_id],
            "about": [ds.name(e) for e in q.entity_id],
            "qualifier": q.qualifier.fillna("exactly"),
            "value": q.value,
            "unit": q.unit,
            "quote": [quote_cell(x, i) for x, i in zip(q.quote, q.claim_id)],
        }
    )
    return Table(frame, caption, html_columns=["id", "quote"])


def profile(ds: Dataset, entity_id: str) -> Table:
    """A one-look profile of an enterprise, every cell from the article's claims and activities."""
    c = claims_about(ds, entity_id)
    a = activities_at(ds, entity_id)
    rows = [("Name in the article", ds.name(entity_id))]
    for kind in CHECKLIST:
        hit = c[c.claim_type == kind]
        rows.append((kind.capitalize(), "; ".join(hit.statement) if len(hit) else None))
    rows.append(("Claims in the article", str(len(c))))
    rows.append(("Activities of the delegation here", str(len(a))))
    rows.append(("Words of the article about it", str(words_per_stop(ds).loc[entity_id, "words"])))
    return Table(pd.DataFrame(rows, columns=["item", "what the article gives"]), f"Profile of {ds.name(entity_id)}, from the article alone")


def context_about(ds: Dataset, entity_ids: list[str]) -> pd.DataFrame:
    """Outside facts about any of the given entities (kept apart from the article's claims)."""
    mask = ds.external_facts.entity_ids.str.split("|").map(lambda ids: bool(set(ids) & set(entity_ids)))
    return ds.external_facts[mask].reset_index(drop=True)


def context_table(ds: Dataset, entity_ids: list[str], caption: str) -> Table:
    """Outside facts as a table, with kind, confidence and citation."""
    x = context_about(ds, entity_ids)
    frame = pd.DataFrame(
        {
            "id": x.fact_id,
            "kind": x.kind,
            "confidence": x.confidence,
            "outside fact (the book's words)": x.statement,
            "sources": x.bib_keys.fillna("—").str.replace("|", ", "),
        }
    )
    return Table(frame, caption, widths={"outside fact (the book's words)": "55%"})


def _stop_of_sentence(ds: Dataset) -> pd.Series:
    stops = {}
    for s in ds.sentences.itertuples():
        inside = lambda t: t[(t.start < s.end) & (t.end > s.start)]  # noqa: E731
        found = set(inside(ds.claims).entity_id) | set(inside(ds.activities).stop_id)
        firms = found & set(ENTERPRISES)
        stops[s.sentence_id] = firms.pop() if len(firms) == 1 else ("binhai_htz" if s.function in ("evaluation", "visit") else None)
    return pd.Series(stops, name="stop_id")


def words_per_stop(ds: Dataset) -> pd.DataFrame:
    """Words of the article given to each stop, counting whole sentences.

    A sentence counts towards an enterprise when every claim and activity in it
    concerns that enterprise; sentences about the visit as a whole count towards
    the zone. Directives, the headline and the attendance list count for none.
    """
    stop = _stop_of_sentence(ds)
    words = ds.sentences.set_index("sentence_id")["quote"].str.split().str.len()
    frame = pd.DataFrame({"stop_id": stop, "words": words}).dropna().groupby("stop_id")["words"].sum()
    out = frame.reindex(STOPS, fill_value=0).astype(int).to_frame()
    out["share"] = out["words"] / len(ds.text.split())
    return out


def absent_claim_types(ds: Dataset, entity_id: str) -> list[str]:
    """Kinds of fact from the checklist that the article gives for no claim about this enterprise."""
    have = set(claims_about(ds, entity_id).claim_type)
    return [k for k in CHECKLIST if k not in have]
