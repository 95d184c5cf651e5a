"""The data dictionary: reading the Table Schema descriptor and turning it into checks.

The descriptor is ``data/datapackage.yaml`` (Frictionless Table Schema, with a few
documented extra keys). This module is pure: it takes the parsed descriptor.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

__all__ = ["resource", "fields", "field_names", "provenance_keys", "pandera_schema", "dictionary", "PANDAS_DTYPES"]

#: Table Schema type -> pandas dtype used once values are parsed.
PANDAS_DTYPES: dict[str, str] = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}


def resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the resource descriptor called ``name``.

    Raises
    ------
    KeyError
        If the package has no such resource.
    """
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"datapackage has no resource named {name!r}")


def fields(res: dict[str, Any]) -> list[dict[str, Any]]:
    """The field descriptors of a resource, in column order."""
    return list(res["schema"]["fields"])


def field_names(res: dict[str, Any]) -> list[str]:
    """The column names a resource's file must have, in order."""
    return [f["name"] for f in fields(res)]


def provenance_keys(package: dict[str, Any]) -> dict[str, str]:
    """Primary-key column of every resource whose rows carry a quote from the source."""
    return {res["name"]: res["schema"]["primaryKey"] for res in package["resources"] if res.get("provenance")}


def _checks(field: dict[str, Any]) -> list[pa.Check]:
    c = field.get("constraints", {})
    checks: list[pa.Check] = []
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"]))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(rf"^(?:{c['pattern']})$"))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"]))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"]))
    return checks


def pandera_schema(res: dict[str, Any]) -> pa.DataFrameSchema:
    """Build the pandera schema that enforces a resource's fields.

    Types are checked by coercion; ``required`` becomes non-nullable, ``unique``,
    ``enum``, ``pattern``, ``minimum`` and ``maximum`` become checks. Lists
    (fields with a ``separator``), foreign keys and provenance are checked elsewhere.
    """
    columns = {}
    for f in fields(res):
        c = f.get("constraints", {})
        columns[f["name"]] = pa.Column(
            PANDAS_DTYPES[f["type"]],
            checks=[] if "separator" in f else _checks(f),
            nullable=not c.get("required", False),
            unique=bool(c.get("unique", False)),
            coerce=True,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=res["name"])


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
