"""The claims ledger: how far each claim of the article can be trusted, and why."""

from __future__ import annotations

import pandas as pd

from .load import Dataset

__all__ = ["GRADES", "ledger", "grade_counts"]

#: The grades, from strongest to weakest basis, with what each means.
GRADES: dict[str, str] = {
    "corroborated": "an outside source states the same thing",
    "observed": "the delegation saw or entered it on the visit",
    "quantified, asserted": "a number given by the article or the enterprise, not checked",
    "asserted": "stated by the article or the enterprise, not checked",
    "evaluative": "a judgement, not a checkable fact",
}


def ledger(ds: Dataset) -> pd.DataFrame:
    """Grade every claim of the article.

    A claim is *corroborated* if an outside fact corroborates it; otherwise
    *observed* if its quote overlaps a visit activity or names a facility the
    delegation entered; otherwise *evaluative* if it is a judgement; otherwise
    *quantified, asserted* if it states a number; otherwise *asserted*.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id``, ``entity_id``, ``statement``, flags
        ``observed``, ``evaluative``, ``quantified``, ``corroborated``,
        ``no_source_found`` and the ``grade``.
    """
    c = ds.claims.copy()
    links = ds.claim_context
    acts = ds.activities
    located = ds.entities.set_index("entity_id").loc[acts.location_id.dropna().unique(), "variants"]
    places = {v.lower() for variants in located for v in variants.split("|")}

    def observed(row: pd.Series) -> bool:
        overlaps = ((acts.start < row.end) & (acts.end > row.start)).any()
        return bool(overlaps or (row.claim_type == "facility" and any(p in row.quote.lower() for p in places)))

    c["observed"] = c.apply(observed, axis=1)
    c["quantified"] = c.value.notna()
    c["corroborated"] = c.claim_id.isin(links[links.relation == "corroborates"].claim_id)
    c["no_source_found"] = c.claim_id.isin(links[links.relation == "no_source_found"].claim_id)
    c["evaluative"] = c.evaluative.astype(bool)
    c["grade"] = [
        "corroborated" if r.corroborated else "observed" if r.observed else "evaluative" if r.evaluative else "quantified, asserted" if r.quantified else "asserted"
        for r in c.itertuples()
    ]
    return c[["claim_id", "entity_id", "claim_type", "statement", "quote", "observed", "evaluative", "quantified", "corroborated", "no_source_found", "grade"]]


def grade_counts(ds: Dataset) -> pd.Series:
    """Number of claims per grade, strongest first."""
    return ledger(ds).grade.value_counts().reindex(list(GRADES), fill_value=0).rename("claims")
