"""The codebook: definitions and decision rules for every coded variable, checked against the dictionary.

``codebook.csv`` has one row per variable (``table.column``) and code. The loader
refuses a codebook row that names no column, a code that an enum column does not
allow, and an allowed code that has no row. ``recoding_log.csv`` records every code
changed on re-checking the rows against the codebook.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["changes_per_variable"]


def changes_per_variable(ds: Any, edition: str | None = None) -> pd.DataFrame:
    """How many rows a re-check changed, per variable (``table.column``), most first.

    An added or removed row counts under ``table: rows added`` or ``table: rows removed``;
    ``rows at any time`` is the number of rows the table has now plus those removed (it held each at some time). With
    ``edition``, only that edition's changes (``recoding_log.edition``) are counted.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``rows changed`` and ``rows at any time``.
    """
    log = ds.recoding_log
    if edition is not None:
        log = log[log.edition == edition]
    if log.empty:
        return pd.DataFrame(columns=["variable", "rows changed", "rows at any time"])
    whole = log["column"] == "(row)"
    added = whole & log["old"].isna()
    removed = log[whole & ~added].groupby("table").row_id.nunique()
    variable = [f"{t}: rows added" if a else f"{t}: rows removed" if w else f"{t}.{c}" for t, c, w, a in zip(log["table"], log["column"], whole, added)]
    counts = log.assign(variable=variable).groupby(["variable", "table"]).row_id.nunique().rename("rows changed").reset_index()
    counts["rows at any time"] = [ds.rows(t) + int(removed.get(t, 0)) for t in counts.table]
    counts = counts.drop(columns="table")
    return counts.sort_values(["rows changed", "variable"], ascending=[False, True]).reset_index(drop=True)
