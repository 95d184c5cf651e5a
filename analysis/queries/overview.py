"""Book-wide summaries: the size of each table and the key figures of the front page."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset

__all__ = ["table_summary"]


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
