"""The policy directives: classification, specificity and the visit's evidence for each."""

from __future__ import annotations

import pandas as pd

from .load import Dataset

__all__ = ["CATEGORY_LABELS", "SPECIFICITY", "category_counts", "specificity", "evidence_matrix", "evidence_counts"]

CATEGORY_LABELS: dict[str, str] = {
    "implement_guidance": "Implement higher guidance",
    "learn_from_host": "Learn from the host",
    "innovation_priority": "Raise innovation's priority",
    "policy_instruments": "Policy instruments",
    "talent": "Talent",
    "enterprises": "Enterprises",
    "platforms": "Platforms and clusters",
}

#: The four marks of a specific directive, and the column that records each.
SPECIFICITY: dict[str, str] = {"quantity": "quantity", "deadline": "deadline", "budget": "budget", "responsible unit": "responsible_unit"}


def category_counts(ds: Dataset) -> pd.Series:
    """Number of directives per category, in the order of CATEGORY_LABELS."""
    counts = ds.directives.category.value_counts().reindex(list(CATEGORY_LABELS), fill_value=0)
    counts.index = [CATEGORY_LABELS[c] for c in counts.index]
    counts.name = "directives"
    return counts


def specificity(ds: Dataset) -> pd.DataFrame:
    """For each directive, what the article gives of quantity, deadline, budget and responsible unit.

    Returns
    -------
    pandas.DataFrame
        Indexed by directive_id; one column per mark holding the article's words or
        None; ``score`` counts the marks given.
    """
    d = ds.directives.set_index("directive_id")
    out = pd.DataFrame({label: d[col] for label, col in SPECIFICITY.items()})
    out["score"] = out.notna().sum(axis=1)
    return out


def evidence_matrix(ds: Dataset) -> pd.DataFrame:
    """Directives (rows) by kind of visit evidence (columns): number of linked rows.

    The links are the book's inference (``directive_evidence.csv``).
    """
    e = ds.directive_evidence.copy()
    kind = e.evidence_id.map(
        lambda i: "activity" if i in set(ds.activities.activity_id) else "topic raised" if i in set(ds.topics.topic_id) else "claim about the zone" if i.startswith("Z") else "claim about an enterprise"
    )
    e["kind"] = kind
    m = pd.crosstab(e.directive_id, e.kind).reindex(index=ds.directives.directive_id, fill_value=0)
    cols = ["activity", "topic raised", "claim about the zone", "claim about an enterprise"]
    return m.reindex(columns=cols, fill_value=0)


def evidence_counts(ds: Dataset) -> pd.Series:
    """How many pieces of visit evidence the book links to each directive."""
    return evidence_matrix(ds).sum(axis=1).rename("evidence")
