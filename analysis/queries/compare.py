"""The enterprises of a visit side by side, every cell computed from the data."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset
from .ledger import ledger
from .roles import enterprises, short_name

__all__ = ["comparison_matrix"]


def _figures(q: pd.DataFrame) -> str:
    parts = [f"{qual + ' ' if isinstance(qual, str) else ''}{v:,.0f} {u}" for v, qual, u in zip(q.value, q.qualifier, q.unit)]
    return "; ".join(parts) or "none"


def comparison_matrix(ds: Dataset) -> pd.DataFrame:
    """One row per measure, one column per enterprise (in the order the article names them).

    ``named facilities visited`` counts distinct places (``activities.location_id``),
    not the activities held in them; ``claims corroborated`` counts claims graded
    corroborated by :func:`analysis.queries.ledger.ledger`.
    """
    graded = ledger(ds)
    rows = {}
    for e in enterprises(ds):
        c = ds.claims[ds.claims.entity_id == e]
        a = ds.activities[ds.activities.stop_id == e]
        t = ds.topics[ds.topics.activity_id.isin(a.activity_id)]
        rows[short_name(ds, e)] = {
            "claims about it": len(c),
            "of which credentials": int((c.claim_type == "credential").sum()),
            "of which state a number": int(c.value.notna().sum()),
            "figures as stated": _figures(c[c.value.notna()].sort_values("start")),
            "activities of the delegation": len(a),
            "named facilities visited": int(a.location_id.dropna().nunique()),
            "topics raised": len(t),
            "claims corroborated by an independent source": int(((graded.entity_id == e) & (graded.grade == "corroborated")).sum()),
        }
    frame = pd.DataFrame(rows)
    frame.index.name = "measure"
    return frame
