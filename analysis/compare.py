"""The three enterprises side by side."""

from __future__ import annotations

import pandas as pd

from .load import Dataset
from .profiles import ENTERPRISES, STOPS, words_per_stop

__all__ = ["claim_type_matrix", "activity_type_matrix", "comparison_matrix", "short_names"]


def short_names(ds: Dataset) -> dict[str, str]:
    """Short labels for the stops: the first word of each canonical name ("Tiandy"), "Binhai zone"."""
    names = {e: ds.name(e).split()[0] for e in ENTERPRISES}
    names["binhai_htz"] = "Binhai zone"
    return names


def claim_type_matrix(ds: Dataset, entities: list[str] = ENTERPRISES) -> pd.DataFrame:
    """Counts of claims by type (rows) and entity (columns)."""
    c = ds.claims[ds.claims.entity_id.isin(entities)]
    m = pd.crosstab(c.claim_type, c.entity_id).reindex(columns=entities, fill_value=0)
    m.columns = [short_names(ds)[e] for e in m.columns]
    m.index.name = "claim type"
    return m


def activity_type_matrix(ds: Dataset, stops: list[str] = STOPS) -> pd.DataFrame:
    """Counts of visit activities by type (rows) and stop (columns)."""
    a = ds.activities
    m = pd.crosstab(a.activity_type, a.stop_id).reindex(columns=stops, fill_value=0)
    m.columns = [short_names(ds)[s] for s in m.columns]
    m.index.name = "activity type"
    return m


def comparison_matrix(ds: Dataset) -> pd.DataFrame:
    """One row per measure, one column per enterprise: the side-by-side matrix of the chapter."""
    words = words_per_stop(ds)
    rows = {}
    for e in ENTERPRISES:
        c = ds.claims[ds.claims.entity_id == e]
        a = ds.activities[ds.activities.stop_id == e]
        t = ds.topics[ds.topics.activity_id.isin(a.activity_id)]
        q = c[c.value.notna()]
        rows[short_names(ds)[e]] = {
            "claims": len(c),
            "of which credentials": int((c.claim_type == "credential").sum()),
            "of which quantified": len(q),
            "figures stated": "; ".join(f"{'more than ' if qual == 'more than' else ''}{v:,.0f} {u}" for v, qual, u in zip(q.value, q.qualifier, q.unit)) or "none",
            "activities of the delegation": len(a),
            "facilities entered or inspected": int(a.location_id.notna().sum()),
            "topics raised": len(t),
            "words of the article": int(words.loc[e, "words"]),
            "outside sources that corroborate a claim": int(
                ds.claim_context[(ds.claim_context.relation == "corroborates") & ds.claim_context.claim_id.isin(c.claim_id)].shape[0]
            ),
        }
    frame = pd.DataFrame(rows)
    frame.index.name = "measure"
    return frame
