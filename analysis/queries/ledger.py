"""The claims ledger: how far each claim of the article can be trusted, and why.

A claim's grade rests only on evidence from outside the article. The article cannot
witness itself, so what it says the delegation saw adds nothing to what it asserts.
"""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset

__all__ = ["GRADES", "CHECKS", "ledger", "grade_counts", "check_counts"]

#: The grades, strongest basis first.
GRADES: dict[str, str] = {
    "corroborated": "an independent outside source states the same thing",
    "checkable, not corroborated": "a record could settle it, but no independent source that states it was found",
    "judgement": "evaluative: no record could settle it as worded",
}

#: What the research found for a claim, most to least informative. The first that
#: applies is the claim's ``check``; a claim with no row in ``claim_context`` was not searched.
CHECKS: dict[str, str] = {
    "corroborates": "corroborated by an independent source",
    "company_statement": "stated also by the company or the publisher, not independent",
    "no_source_found": "searched, no source found",
    "contextualises": "context only, nothing that states the claim",
    "not_searched": "not searched",
}


def ledger(ds: Dataset) -> pd.DataFrame:
    """Grade every claim of the article.

    A claim is *corroborated* when a ``claim_context`` link with relation
    ``corroborates`` points to it (the loader allows that only for an independent
    source); otherwise a *judgement* when it is coded evaluative; otherwise
    *checkable, not corroborated*.

    Returns
    -------
    pandas.DataFrame
        One row per claim, in order of the text: ``claim_id``, ``entity_id``,
        ``claim_type``, ``statement``, ``quote``, ``evaluative``, ``quantified``,
        ``grade``, ``check`` (a key of :data:`CHECKS`) and ``facts`` (the ids of
        the outside facts behind that check, joined by ", ").
    """
    c = ds.claims.sort_values("start").reset_index(drop=True).copy()
    links = ds.claim_context
    order = list(CHECKS)
    checks, facts = [], []
    for claim_id in c.claim_id:
        mine = links[links.claim_id == claim_id]
        found = [r for r in order if r in set(mine.relation)]
        best = found[0] if found else "not_searched"
        checks.append(best)
        facts.append(", ".join(mine[mine.relation == best].fact_id) if found else "")
    c["check"] = checks
    c["facts"] = facts
    c["evaluative"] = c.evaluative.astype(bool)
    c["quantified"] = c.value.notna()
    c["grade"] = ["corroborated" if chk == "corroborates" else "judgement" if ev else "checkable, not corroborated" for chk, ev in zip(c.check, c.evaluative)]
    return c[["claim_id", "entity_id", "claim_type", "statement", "quote", "evaluative", "quantified", "grade", "check", "facts"]]


def grade_counts(ds: Dataset) -> pd.Series:
    """Number of claims per grade, strongest first (every grade present, zeros included)."""
    return ledger(ds).grade.value_counts().reindex(list(GRADES), fill_value=0).rename("claims")


def check_counts(ds: Dataset) -> pd.Series:
    """Number of claims per research outcome, in the order of :data:`CHECKS`."""
    return ledger(ds).check.value_counts().reindex(list(CHECKS), fill_value=0).rename("claims")
