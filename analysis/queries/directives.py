"""The policy directives: classification, specificity and the book's links to the visit."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset

__all__ = [
    "STOCK_QUANTIFIERS",
    "names_quantity",
    "marks",
    "SPECIFICITY",
    "category_labels",
    "category_counts",
    "specificity",
    "evidence_kinds",
    "linked_directives",
]

#: Quantifiers that name no amount (一批, 一些): kept as worded in ``directives.quantity`` but not a quantity (codebook K058).
STOCK_QUANTIFIERS = ("a number of", "a batch of", "a group of", "a series of", "some", "several", "many", "more")


def names_quantity(worded: object) -> bool:
    """Whether a clause's quantity, as worded, names an amount: a stock quantifier alone ('a number of') does not (K058)."""
    if worded is None or (not isinstance(worded, str) and pd.isna(worded)):
        return False
    text = " ".join(str(worded).lower().split())
    return bool(text) and text not in STOCK_QUANTIFIERS


def marks(ds: Dataset) -> pd.DataFrame:
    """For each directive, whether it names an amount, a deadline, a budget and a responsible unit (the one definition of each mark).

    Returns
    -------
    pandas.DataFrame
        Indexed by directive_id, boolean columns ``has_quantity``, ``has_deadline``, ``has_budget``, ``has_unit``.
    """
    d = ds.directives.set_index("directive_id")
    return pd.DataFrame(
        {
            "has_quantity": d.quantity.map(names_quantity).astype(bool),
            "has_deadline": d.deadline.notna(),
            "has_budget": d.budget.notna(),
            "has_unit": d.responsible_unit.notna(),
        }
    )


#: The four marks of a directive that could be checked, and the column that records each.
SPECIFICITY: dict[str, str] = {"quantity": "quantity", "deadline": "deadline", "budget": "budget", "responsible unit": "responsible_unit"}


def category_labels(ds: Dataset) -> dict[str, str]:
    """Readable labels of the directive categories, from the data dictionary (``categoryLabels``), else the codes."""
    field = next(f for r in ds.package["resources"] if r["name"] == "directives" for f in r["schema"]["fields"] if f["name"] == "category")
    codes = field.get("constraints", {}).get("enum", [])
    labels = field.get("categoryLabels", {})
    return {c: labels.get(c, c.replace("_", " ")) for c in codes}


def category_counts(ds: Dataset) -> pd.Series:
    """Number of directive clauses per category, in the dictionary's order."""
    labels = category_labels(ds)
    counts = ds.directives.category.value_counts().reindex(list(labels), fill_value=0)
    counts.index = [labels[c] for c in counts.index]
    return counts.rename("directive clauses")


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


def evidence_kinds(ds: Dataset) -> pd.DataFrame:
    """The book's directive-evidence links, each with the kind of row it points to.

    The kind is read from the table the evidence id belongs to and, for claims, from
    the ``visit_role`` of the entity the claim is about; never from the id's shape.
    """
    e = ds.directive_evidence.copy()
    acts, tops = set(ds.activities.activity_id), set(ds.topics.topic_id)
    claim_role = ds.claims.set_index("claim_id").entity_id.map(ds.entities.set_index("entity_id").visit_role)

    def kind(i: str) -> str:
        if i in acts:
            return "activity"
        if i in tops:
            return "topic raised"
        role = claim_role.get(i)
        return f"claim about the {role.replace('_', ' ')}" if isinstance(role, str) else "other claim"

    e["kind"] = e.evidence_id.map(kind)
    return e


def linked_directives(ds: Dataset) -> pd.Series:
    """For each directive, how many rows of the visit the book links it to (zeros included)."""
    return ds.directive_evidence.groupby("directive_id").size().reindex(ds.directives.directive_id, fill_value=0).rename("links")
