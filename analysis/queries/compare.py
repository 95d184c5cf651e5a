"""The enterprises of a visit side by side, every cell computed from the data by the concepts' own definitions."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset
from .concepts import Concepts
from .roles import enterprises, short_name

__all__ = ["comparison_matrix"]


def _figures(q: pd.DataFrame) -> str:
    parts = [f"{qual + ' ' if isinstance(qual, str) else ''}{v:,.0f} {u}" for v, qual, u in zip(q.value, q.qualifier, q.unit)]
    return "; ".join(parts) or "none"


def comparison_matrix(ds: Dataset) -> pd.DataFrame:
    """One row per measure, one column per enterprise (in the order the article names them).

    Counts come from :mod:`analysis.queries.concepts` (``claims_of``, ``credentials_of``,
    ``figures_of``, ``facilities_visited_of``, ``claims_corroborated_of``), so the table and
    the prose cannot disagree.
    """
    c = Concepts(ds)
    rows = {}
    for e in enterprises(ds):
        claims = ds.claims[ds.claims.entity_id == e]
        a = ds.activities[ds.activities.stop_id == e]
        rows[short_name(ds, e)] = {
            "claims about it": c.claims_of(e),
            "of which credentials": c.credentials_of(e),
            "of which state a number": c.figures_of(e),
            "figures as stated": _figures(claims[claims.value.notna()].sort_values("start")),
            "activities at the firm": len(a),
            "facilities an act is placed in": c.facilities_visited_of(e),
            "topics raised": int(ds.topics.activity_id.isin(a.activity_id).sum()),
            "claims corroborated by an independent source": c.claims_corroborated_of(e),
        }
    frame = pd.DataFrame(rows)
    frame.index.name = "measure"
    return frame
