"""The data dictionary: checking the Table Schema descriptor and turning it into checks.

The descriptor is ``data/datapackage.yaml``: a Frictionless Data Package whose
resources carry Table Schemas, with the documented extension keys below. Every key
is checked by :func:`check_package` before the loader uses the descriptor, so a
broken dictionary is reported like broken data. This module is pure: it takes the
parsed descriptor.

Extension keys (beyond the Data Package / Table Schema standards), all enforced:

=========================  ==========  ====================================================
key                        where       meaning
=========================  ==========  ====================================================
``source``                 package     the primary source: ``path``, ``sha256``, ``metadata``
``provenanceFields``       package     the four quote fields, defined once (YAML anchors)
``provenance``             resource    rows carry quote/paragraph/start/end, proven in the source
``allowDuplicateRows``     resource    two ids may share the same content (default: refused)
``extendedForeignKeys``    schema      foreign keys the standard cannot express: on a list
                                       field (each element checked) or to any one of several
                                       resources (``resource`` and ``fields`` as lists)
``coding``                 field       how the column was coded (for readers and curators)
``separator``              field       the field holds a list of values joined by this text
``appearsInQuote``         field       a number that must be written in the row's quote
``notBefore``              field       (dates) the value may not be earlier than this field's
``citesBibliography``      field       each value (each element) is a key of references.bib
``coversBibliography``     field       ... and every key of references.bib has a row
=========================  ==========  ====================================================
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import pandas as pd

from .errors import Violation

__all__ = [
    "resource",
    "fields",
    "field_names",
    "primary_key",
    "foreign_keys",
    "provenance_keys",
    "dictionary",
    "check_package",
    "PANDAS_DTYPES",
    "PROVENANCE_FIELDS",
    "fullmatch_pattern",
]

#: Table Schema type -> pandas dtype of the loaded column (the types the loader reads).
PANDAS_DTYPES: dict[str, str] = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}

#: The fields every resource with ``provenance: true`` must have.
PROVENANCE_FIELDS = ["quote", "paragraph", "start", "end"]

# Keys the loader understands at each level: the standard ones it enforces, and its extensions.
_PACKAGE_KEYS = {
    "name",
    "title",
    "description",
    "resources",
    "source",
    "provenanceFields",
    "version",
    "licenses",
    "sources",
    "homepage",
    "keywords",
    "$schema",
    "profile",
}
_RESOURCE_KEYS = {
    "name",
    "path",
    "title",
    "description",
    "schema",
    "format",
    "mediatype",
    "encoding",
    "profile",
    "licenses",
    "sources",
    "provenance",
    "allowDuplicateRows",
}
_SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "extendedForeignKeys"}
_FIELD_KEYS = {
    "name",
    "type",
    "title",
    "description",
    "constraints",
    "trueValues",
    "falseValues",
    "coding",
    "separator",
    "appearsInQuote",
    "notBefore",
    "citesBibliography",
    "coversBibliography",
    "categoryLabels",
}
_CONSTRAINT_KEYS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}
_FK_KEYS = {"fields", "reference"}
_REFERENCE_KEYS = {"resource", "fields"}


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


def primary_key(res: dict[str, Any]) -> str:
    """The primary-key column of a resource (a single field in this package)."""
    pk = res["schema"]["primaryKey"]
    return pk[0] if isinstance(pk, list) else pk


def foreign_keys(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Every foreign key of a resource, standard and extended, in one form.

    Returns
    -------
    list of dict
        ``{"field": column, "targets": [(resource, field), ...], "separator": str or None}``;
        a value must be a key of any one of the targets (each element, for a list field).
    """
    by_name = {f["name"]: f for f in fields(res)}
    out = []
    for fk in [*res["schema"].get("foreignKeys", []), *res["schema"].get("extendedForeignKeys", [])]:
        ref = fk["reference"]
        targets = ref["resource"] if isinstance(ref["resource"], list) else [ref["resource"]]
        keys = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]] * len(targets)
        column = fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
        out.append({"field": column, "targets": list(zip(targets, keys)), "separator": by_name[column].get("separator")})
    return out


def provenance_keys(package: dict[str, Any]) -> dict[str, str]:
    """Primary-key column of every resource whose rows carry a quote from the source."""
    return {res["name"]: primary_key(res) for res in package["resources"] if res.get("provenance")}


def fullmatch_pattern(pattern: str) -> str:
    r"""The regular expression that matches a Table Schema ``pattern`` against a whole value.

    ``\Z``, not ``$``: ``$`` also matches before a final line break, so "C08\n" would pass.
    """
    return rf"\A(?:{pattern})\Z"


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


# --- checking the descriptor -------------------------------------------------------------------


class _Checker:
    """Collects the violations of one descriptor, each placed by its path in the YAML."""

    def __init__(self, file: str, lines: dict[tuple, int] | None):
        self.file, self.lines, self.out = file, lines or {}, []

    def add(self, path: tuple, where: str, message: str) -> None:
        line = None
        for n in range(len(path), -1, -1):  # the nearest enclosing node with a known line
            if path[:n] in self.lines:
                line = self.lines[path[:n]]
                break
        self.out.append(Violation(self.file, line, None, f"{where}: {message}" if where else message))

    def keys(self, node: dict, allowed: set[str], path: tuple, where: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
                hint = (
                    f" (did you mean '{close[0]}'?)"
                    if close
                    else f" (known keys: {', '.join(sorted(allowed))}; a new extension key must be documented in the dictionary's header and known to analysis.data.schema)"
                )
                self.add(path + (key,), where, f"unknown key '{key}'{hint}")

    def mapping(self, node: Any, path: tuple, where: str, what: str) -> bool:
        if not isinstance(node, dict):
            self.add(path, where, f"{what} must be a mapping of keys to values, found {type(node).__name__}")
            return False
        return True

    def string(self, node: dict, key: str, path: tuple, where: str, required: bool = False) -> bool:
        if key not in node:
            if required:
                self.add(path, where, f"'{key}' is required")
            return False
        if not isinstance(node[key], str) or not node[key]:
            self.add(path + (key,), where, f"'{key}' must be a non-empty string, found {node[key]!r}")
            return False
        return True

    def boolean(self, node: dict, key: str, path: tuple, where: str) -> None:
        if key in node and not isinstance(node[key], bool):
            self.add(path + (key,), where, f"'{key}' must be true or false, found {node[key]!r}")


def _check_field(ck: _Checker, f: Any, path: tuple, where: str) -> None:
    if not ck.mapping(f, path, where, "a field"):
        return
    ck.keys(f, _FIELD_KEYS, path, where)
    ck.string(f, "name", path, where, required=True)
    if ck.string(f, "type", path, where, required=True) and f["type"] not in PANDAS_DTYPES:
        close = difflib.get_close_matches(f["type"], list(PANDAS_DTYPES), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        ck.add(path + ("type",), where, f"unknown type '{f['type']}' ({hint}types the loader reads: {', '.join(PANDAS_DTYPES)})")
    for key in ("description", "title", "coding", "separator", "notBefore"):
        ck.string(f, key, path, where)
    for key in ("appearsInQuote", "citesBibliography", "coversBibliography"):
        ck.boolean(f, key, path, where)
    kind = f.get("type")
    if f.get("appearsInQuote") and kind not in ("integer", "number"):
        ck.add(path + ("appearsInQuote",), where, "appearsInQuote applies only to integer and number fields")
    for key in ("trueValues", "falseValues"):
        if key in f:
            if kind != "boolean":
                ck.add(path + (key,), where, f"'{key}' applies only to boolean fields")
            elif not (isinstance(f[key], list) and f[key] and all(isinstance(v, str) for v in f[key])):
                ck.add(path + (key,), where, f"'{key}' must be a list of strings, found {f[key]!r}")
    c = f.get("constraints", {})
    cpath = path + ("constraints",)
    if not ck.mapping(c, cpath, where, "'constraints'"):
        return
    ck.keys(c, _CONSTRAINT_KEYS, cpath, where)
    ck.boolean(c, "required", cpath, where)
    ck.boolean(c, "unique", cpath, where)
    if "enum" in c and not (isinstance(c["enum"], list) and c["enum"]):
        ck.add(cpath + ("enum",), where, f"'enum' must be a non-empty list, found {c['enum']!r}")
    if "pattern" in c:
        if not isinstance(c["pattern"], str):
            ck.add(cpath + ("pattern",), where, f"'pattern' must be a string, found {c['pattern']!r}")
        else:
            try:
                re.compile(c["pattern"])
            except re.error as exc:
                ck.add(cpath + ("pattern",), where, f"'pattern' {c['pattern']!r} is not a valid regular expression: {exc}")
    for key in ("minimum", "maximum"):
        if key in c:
            if kind not in ("integer", "number"):
                ck.add(cpath + (key,), where, f"'{key}' applies only to integer and number fields")
            elif isinstance(c[key], bool) or not isinstance(c[key], (int, float)):
                ck.add(cpath + (key,), where, f"'{key}' must be a number, found {c[key]!r}")
    for key in ("minLength", "maxLength"):
        if key in c:
            if kind != "string":
                ck.add(cpath + (key,), where, f"'{key}' applies only to string fields")
            elif isinstance(c[key], bool) or not isinstance(c[key], int) or c[key] < 0:
                ck.add(cpath + (key,), where, f"'{key}' must be a whole number of characters, found {c[key]!r}")


def _check_foreign_keys(ck: _Checker, res: dict, key: str, names: dict[str, list[str]], path: tuple, where: str) -> None:
    fks = res["schema"].get(key, [])
    fpath = path + ("schema", key)
    if not isinstance(fks, list):
        ck.add(fpath, where, f"'{key}' must be a list")
        return
    own = {f.get("name"): f for f in res["schema"]["fields"] if isinstance(f, dict)}
    for i, fk in enumerate(fks):
        p = fpath + (i,)
        if not ck.mapping(fk, p, where, "a foreign key"):
            continue
        ck.keys(fk, _FK_KEYS, p, where)
        column = fk.get("fields")
        if not isinstance(column, str) or column not in own:
            ck.add(p + ("fields",), where, f"foreign key on {column!r}, which is not a field of this resource")
            continue
        if key == "foreignKeys" and "separator" in own[column]:
            ck.add(p, where, f"field '{column}' holds a list ('separator'); declare its foreign key under 'extendedForeignKeys'")
        ref = fk.get("reference")
        if not ck.mapping(ref, p + ("reference",), where, "'reference'"):
            continue
        ck.keys(ref, _REFERENCE_KEYS, p + ("reference",), where)
        targets, keys = ref.get("resource"), ref.get("fields")
        extended = key == "extendedForeignKeys"
        if not extended and not (isinstance(targets, str) and isinstance(keys, str)):
            ck.add(p + ("reference",), where, "a standard foreign key names one resource and one field; use 'extendedForeignKeys' for several")
            continue
        targets = targets if isinstance(targets, list) else [targets]
        keys = keys if isinstance(keys, list) else [keys] * len(targets)
        if len(keys) != len(targets):
            ck.add(p + ("reference",), where, "'reference' must name one field for each resource")
            continue
        for target, tkey in zip(targets, keys):
            if target not in names:
                close = difflib.get_close_matches(str(target), list(names), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                ck.add(p + ("reference", "resource"), where, f"foreign key of '{column}' names the unknown resource {target!r}{hint}")
            elif tkey not in names[target]:
                ck.add(p + ("reference", "fields"), where, f"foreign key of '{column}' names {tkey!r}, which is not a field of resource '{target}'")


def check_package(package: Any, file: str, lines: dict[tuple, int] | None = None) -> list[Violation]:
    """Check the data dictionary itself: Data Package / Table Schema shape and the extension keys.

    Parameters
    ----------
    package : dict
        The parsed descriptor.
    file : str
        Path used in messages.
    lines : dict of tuple to int, optional
        Line of each node of the YAML (path of keys and indices -> 1-based line).

    Returns
    -------
    list of Violation
        Each names the resource and field at fault; empty when the descriptor can be used.
    """
    ck = _Checker(file, lines)
    if not ck.mapping(package, (), "", "the data dictionary"):
        return ck.out
    ck.keys(package, _PACKAGE_KEYS, (), "")
    src = package.get("source")
    if ck.mapping(src, ("source",), "source", "'source'"):
        ck.string(src, "path", ("source",), "source", required=True)
        if ck.string(src, "sha256", ("source",), "source", required=True) and not re.fullmatch(r"[0-9a-f]{64}", src["sha256"]):
            ck.add(("source", "sha256"), "source", "'sha256' must be 64 lower-case hexadecimal digits")
    seen_fields: dict[int, str] = {}
    for i, f in enumerate(package.get("provenanceFields", [])):
        _check_field(ck, f, ("provenanceFields", i), f"provenanceFields[{i}]")
        seen_fields[id(f)] = f"provenanceFields[{i}]"
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        ck.add(("resources",), "", "'resources' must be a non-empty list of resources")
        return ck.out
    names: dict[str, list[str]] = {}
    usable = []
    for i, res in enumerate(resources):
        path = ("resources", i)
        if not ck.mapping(res, path, f"resource {i + 1}", "a resource"):
            continue
        name = res.get("name") if isinstance(res.get("name"), str) else f"#{i + 1}"
        where = f"resource '{name}'"
        ck.keys(res, _RESOURCE_KEYS, path, where)
        if ck.string(res, "name", path, where, required=True):
            if not re.fullmatch(r"[a-z0-9._-]+", res["name"]):
                ck.add(path + ("name",), where, "a resource name may hold only lower-case letters, digits, '.', '_' and '-'")
            if res["name"] in names:
                ck.add(path + ("name",), where, "two resources have this name")
        if ck.string(res, "path", path, where, required=True) and (res["path"].startswith("/") or ".." in res["path"].split("/")):
            ck.add(path + ("path",), where, "'path' must be relative and stay inside data/")
        for key in ("title", "description"):
            ck.string(res, key, path, where)
        for key in ("provenance", "allowDuplicateRows"):
            ck.boolean(res, key, path, where)
        schema = res.get("schema")
        if not ck.mapping(schema, path + ("schema",), where, "'schema'"):
            continue
        ck.keys(schema, _SCHEMA_KEYS, path + ("schema",), where)
        flds = schema.get("fields")
        if not isinstance(flds, list) or not flds:
            ck.add(path + ("schema",), where, "'schema' must have 'fields', a non-empty list of fields")
            continue
        for j, f in enumerate(flds):
            fname = f.get("name") if isinstance(f, dict) else None
            fwhere = f"{where}, field '{fname}'" if fname else f"{where}, field {j + 1}"
            if isinstance(f, dict):
                if id(f) in seen_fields:
                    ck.add(
                        path + ("schema", "fields", j),
                        fwhere,
                        f"this field is a YAML alias of {seen_fields[id(f)]}; write '- <<: *anchor' so that each resource has its own copy",
                    )
                seen_fields[id(f)] = fwhere
            _check_field(ck, f, path + ("schema", "fields", j), fwhere)
        fnames = [f.get("name") for f in flds if isinstance(f, dict)]
        for dup in sorted({n for n in fnames if fnames.count(n) > 1 and isinstance(n, str)}):
            ck.add(path + ("schema", "fields"), where, f"two fields are called '{dup}'")
        by_name = {f.get("name"): f for f in flds if isinstance(f, dict)}
        for fname, f in by_name.items():
            other = f.get("notBefore")
            if isinstance(other, str) and (other not in by_name or by_name[other].get("type") != f.get("type")):
                ck.add(
                    path + ("schema", "fields"),
                    f"{where}, field '{fname}'",
                    f"'notBefore' must name another field of type {f.get('type')} in this resource, found {other!r}",
                )
        pk = schema.get("primaryKey")
        if pk is None:
            close = [k for k in schema if k.lower() == "primarykey"]
            ck.add(path + ("schema",), where, "'primaryKey' is required" + (f" (found '{close[0]}')" if close else ""))
        elif not isinstance(pk, str) or pk not in by_name:
            ck.add(path + ("schema", "primaryKey"), where, f"'primaryKey' must name one field of the resource, found {pk!r}")
        if res.get("provenance") is True:
            for col in PROVENANCE_FIELDS:
                if col not in by_name:
                    ck.add(path + ("schema", "fields"), where, f"a resource with provenance must have the field '{col}'")
        names[name] = [n for n in fnames if isinstance(n, str)]
        usable.append((i, res, where))
    for i, res, where in usable:
        for key in ("foreignKeys", "extendedForeignKeys"):
            _check_foreign_keys(ck, res, key, names, ("resources", i), where)
    return ck.out
