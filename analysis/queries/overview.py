"""Book-wide summaries: the size of each table and the key figures of the front page."""

from __future__ import annotations

import inspect

import pandas as pd

from ..data import validate
from ..data.load import Dataset
from .directives import linked_directives, specificity
from .language import factual_words, register_balance
from .ledger import grade_counts
from .roles import enterprises, host_zone

__all__ = ["table_summary", "checks_table", "key_figures"]


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per table: file, rows, what a row is, and whether rows carry a quote."""
    rows = []
    for res in ds.package["resources"]:
        rows.append(
            {
                "table": res["path"],
                "rows": ds.rows(res["name"]),
                "one row is": res["description"],
                "quote checked against the source": "yes" if res.get("provenance") else "no (outside or the book's own)",
                "references checked": ds.references(res["name"]),
            }
        )
    return pd.DataFrame(rows)


def checks_table() -> pd.DataFrame:
    """The loader's checks, each with the first line of its docstring."""
    names = [n for n in validate.__all__ if n.startswith("check_")]
    return pd.DataFrame({"check": names, "what it proves": [inspect.getdoc(getattr(validate, n)).splitlines()[0] for n in names]})


def key_figures(ds: Dataset) -> dict[str, float | int]:
    """The numbers the front page and the findings state, computed from the data."""
    spec = specificity(ds)
    grades = grade_counts(ds)
    reg = register_balance(ds)
    fact = factual_words(ds)
    firms = ds.claims[ds.claims.entity_id.isin(enterprises(ds))]
    zone = ds.claims[ds.claims.entity_id == host_zone(ds)]
    links = linked_directives(ds)
    return {
        "words": len(ds.text.split()),
        "sentences": len(ds.sentences),
        "claims": len(ds.claims),
        "enterprises": len(enterprises(ds)),
        "claims_enterprises": len(firms),
        "claims_enterprises_quantified": int(firms.value.notna().sum()),
        "claims_zone": len(zone),
        "claims_zone_evaluative": int(zone.evaluative.astype(bool).sum()),
        "claims_zone_checkable": int((~zone.evaluative.astype(bool)).sum()),
        "claims_evaluative": int(ds.claims.evaluative.astype(bool).sum()),
        "claims_corroborated": int(grades["corroborated"]),
        "claims_checkable": int(grades["checkable, not corroborated"]),
        "claims_judgement": int(grades["judgement"]),
        "activities": len(ds.activities),
        "topics": len(ds.topics),
        "directives": len(ds.directives),
        "directives_with_any_mark": int((spec.score > 0).sum()),
        "directives_with_quantity": int(spec["quantity"].notna().sum()),
        "directives_with_deadline": int(spec["deadline"].notna().sum()),
        "directives_with_budget": int(spec["budget"].notna().sum()),
        "directives_with_unit": int(spec["responsible unit"].notna().sum()),
        "directives_inferred_issuer": int((ds.directives.issuer_basis == "inferred").sum()),
        "directives_linked": int((links > 0).sum()),
        "directives_unlinked": int((links == 0).sum()),
        "normative_share": float(reg.loc["normative", "share of words"]),
        "evaluative_share": float(reg.loc["evaluative", "share of words"]),
        "factual_share": float(reg.loc["factual", "share of words"]),
        "factual_words": int(fact.sum()),
        "factual_words_visit": int(fact.get("visit", 0)),
        "factual_words_claims": int(fact.get("claim", 0)),
        "external_facts": len(ds.external_facts),
    }
