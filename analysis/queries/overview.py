"""Book-wide summaries: the size of each table, the data dictionary as a table, and the key figures of the front page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.load import Dataset
from ..data.schema import fields, foreign_keys, resource

__all__ = ["table_summary", "dictionary"]


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
                "references checked": _references(ds, res["name"]),
            }
        )
    return pd.DataFrame(rows)


def _references(ds: Dataset, table: str) -> int:
    """How many references to other tables ``table`` holds: one per filled foreign-key cell, one per item of a list."""
    frame = ds.tables[table]
    fks = foreign_keys(resource(ds.package, table))
    return int(sum(sum(len(v) if isinstance(v, tuple | list) else int(pd.notna(v)) for v in frame[fk["field"]]) for fk in fks))


def dictionary(package: dict[str, Any]) -> pd.DataFrame:
    """The data dictionary as a table: one row per column of every resource.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``column``, ``type``, ``required``, ``meaning``,
        ``allowed values`` and ``how coded``.
    """
    rows = []
    for res in package["resources"]:
        for f in fields(res):
            c = f.get("constraints", {})
            allowed = []
            if "enum" in c:
                allowed.append(", ".join(str(v) for v in c["enum"]))
            if "pattern" in c:
                allowed.append(f"pattern {c['pattern']}")
            if "minimum" in c or "maximum" in c:
                allowed.append(f"{c.get('minimum', '')}–{c.get('maximum', '')}".strip("–") if "maximum" in c else f"≥ {c['minimum']}")
            if "separator" in f:
                allowed.append(f"list joined by '{f['separator']}'")
            if "notBefore" in f:
                allowed.append(f"not before {f['notBefore']}")
            if "maxLength" in c:
                allowed.append(f"at most {c['maxLength']} characters")
            if c.get("unique"):
                allowed.append("unique")
            rows.append(
                {
                    "table": res["path"],
                    "column": f["name"],
                    "type": f["type"],
                    "required": "yes" if c.get("required") else "no",
                    "meaning": f.get("description", ""),
                    "allowed values": "; ".join(allowed),
                    "how coded": f.get("coding", ""),
                }
            )
    return pd.DataFrame(rows)
