"""The data dictionary: the Table Schema descriptor, checked before use, and what is read from it.

The descriptor is ``data/datapackage.yaml``: a Frictionless Data Package whose resources carry
Table Schemas, with the documented extension keys below. :func:`check_package` checks it before
the loader uses it, so a broken dictionary is reported like broken data: frictionless checks the
standard part (its profiles: names, paths, types, constraints, primary and foreign keys), and this
module the extension keys, the keys frictionless ignores (a misspelt standard key is silently
ignored there) and what the loader needs beyond the standard. This module is pure: it takes the
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
``categoryLabels``         field       readable labels of an enum field's codes
=========================  ==========  ====================================================
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Any

from frictionless import Package, Resource, Schema

from .errors import Violation

__all__ = [
    "resource",
    "fields",
    "field_names",
    "primary_key",
    "foreign_keys",
    "provenance_keys",
    "check_package",
    "PANDAS_DTYPES",
    "PROVENANCE_FIELDS",
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

# Keys the loader understands at each level, standard and extension: any other key is a typo.
_KEYS = {
    "package": {"name", "title", "description", "resources", "source", "provenanceFields", "version", "licenses", "sources", "homepage", "keywords"}
    | {"$schema", "profile"},
    "resource": {"name", "path", "title", "description", "schema", "format", "mediatype", "encoding", "licenses", "sources", "provenance"}
    | {"allowDuplicateRows", "profile"},
    "schema": {"fields", "primaryKey", "foreignKeys", "extendedForeignKeys"},
    "field": {"name", "type", "title", "description", "constraints", "trueValues", "falseValues", "coding", "separator", "appearsInQuote", "notBefore"}
    | {"citesBibliography", "coversBibliography", "categoryLabels"},
    "constraints": {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"},
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


# --- checking the descriptor -------------------------------------------------------------------


class _Checker:
    """Collects the violations of one descriptor, each placed by its path in the YAML."""

    def __init__(self, file: str, lines: dict[tuple, int] | None):
        self.file, self.lines, self.out = file, lines or {}, []

    def add(self, path: tuple, where: str, message: str) -> None:
        line = next((self.lines[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.lines), None)  # the nearest known node
        self.out.append(Violation(self.file, line, None, f"{where}: {message}" if where else message))

    def keys(self, node: Any, level: str, path: tuple, where: str) -> None:
        for key in node if isinstance(node, dict) else []:
            if key not in _KEYS[level]:
                close = difflib.get_close_matches(str(key), sorted(_KEYS[level]), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "a new extension key must be documented here and in the dictionary's header"
                self.add(path + (key,), where, f"unknown key '{key}' ({hint})")

    def typed(self, node: Any, key: str, kind: type, path: tuple, where: str) -> None:
        if isinstance(node, dict) and key in node and not (isinstance(node[key], kind) and node[key] != ""):
            what = "true or false" if kind is bool else "a non-empty string"
            self.add(path + (key,), where, f"'{key}' must be {what}, found {node[key]!r}")


def _frictionless(ck: _Checker, package: dict[str, Any]) -> None:
    """The standard part, by frictionless's own profiles; each error placed at its resource and field."""
    report = Package.validate_descriptor(copy.deepcopy(package))
    if report.valid:
        return
    before = len(ck.out)
    for i, res in enumerate(package["resources"]):
        name, path = res.get("name", f"#{i + 1}"), ("resources", i)
        for e in Resource.validate_descriptor(copy.deepcopy(res)).errors:
            if e.type != "field-error":
                ck.add(path + (("schema",) if e.type == "schema-error" else ()), f"resource '{name}'", e.note)
                continue
            for j, f in enumerate(res["schema"]["fields"]):  # which field: each alone
                for fe in Schema.validate_descriptor({"fields": [copy.deepcopy(f)]}).errors:
                    ck.add(path + ("schema", "fields", j), f"resource '{name}', field '{f.get('name')}'", fe.note)
            break
    if len(ck.out) == before:
        for e in report.errors:
            ck.add((), "", e.note)


def _check_field(ck: _Checker, f: Any, path: tuple, where: str) -> None:
    if not isinstance(f, dict):
        return ck.add(path, where, f"a field must be a mapping of keys to values, found {type(f).__name__}")
    ck.keys(f, "field", path, where)
    ck.keys(f.get("constraints"), "constraints", path + ("constraints",), where)
    if f.get("type") not in PANDAS_DTYPES:
        close = difflib.get_close_matches(str(f.get("type")), list(PANDAS_DTYPES), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        ck.add(path + ("type",), where, f"unknown type '{f.get('type')}' ({hint}types the loader reads: {', '.join(PANDAS_DTYPES)})")
    for key in ("coding", "separator", "notBefore"):
        ck.typed(f, key, str, path, where)
    for key in ("appearsInQuote", "citesBibliography", "coversBibliography"):
        ck.typed(f, key, bool, path, where)
    if f.get("appearsInQuote") and f.get("type") not in ("integer", "number"):
        ck.add(path + ("appearsInQuote",), where, "appearsInQuote applies only to integer and number fields")
    c = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
    for key in ("minimum", "maximum"):  # frictionless's profile takes any value here, and its reader then fails on it
        if key in c and (f.get("type") not in ("integer", "number") or isinstance(c[key], bool) or not isinstance(c[key], int | float)):
            ck.add(path + ("constraints", key), where, f"'{key}' must be a number, on an integer or number field, found {c[key]!r}")
    pattern = c.get("pattern")
    try:
        re.compile(pattern) if isinstance(pattern, str) else None
    except re.error as exc:  # frictionless compiles it only when it reads the table, and then raises
        ck.add(path + ("constraints", "pattern"), where, f"'pattern' {pattern!r} is not a valid regular expression: {exc}")


def _check_resource(ck: _Checker, res: dict[str, Any], names: dict[str, list[str]], seen: dict[int, str], path: tuple) -> None:
    where, schema = f"resource '{res.get('name')}'", res.get("schema")
    for key in ("provenance", "allowDuplicateRows"):
        ck.typed(res, key, bool, path, where)
    ck.keys(schema, "schema", path + ("schema",), where)
    flds = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(flds, list) or not flds:
        return ck.add(path + ("schema",), where, "'schema' must have 'fields', a non-empty list of fields")
    by_name = {f.get("name"): f for f in flds if isinstance(f, dict)}
    for j, f in enumerate(flds):
        fwhere = f"{where}, field '{f.get('name')}'" if isinstance(f, dict) else f"{where}, field {j + 1}"
        if id(f) in seen:
            ck.add(path + ("schema", "fields", j), fwhere, f"this field is a YAML alias of {seen[id(f)]}; write '- <<: *anchor' to give it its own copy")
        seen[id(f)] = fwhere
        _check_field(ck, f, path + ("schema", "fields", j), fwhere)
        other = f.get("notBefore") if isinstance(f, dict) else None
        if isinstance(other, str) and (other not in by_name or by_name[other].get("type") != f.get("type")):
            ck.add(path + ("schema", "fields", j), fwhere, f"'notBefore' must name another field of type {f.get('type')} in this resource, found {other!r}")
    if not isinstance(schema.get("primaryKey"), str):
        ck.add(path + ("schema",), where, f"'primaryKey' must name the one field that identifies a row, found {schema.get('primaryKey')!r}")
    for col in PROVENANCE_FIELDS if res.get("provenance") is True else []:
        if col not in by_name:
            ck.add(path + ("schema", "fields"), where, f"a resource with provenance must have the field '{col}'")
    for key in ("foreignKeys", "extendedForeignKeys"):
        for i, fk in enumerate(schema.get(key, []) if isinstance(schema.get(key), list) else []):
            fk, p = fk if isinstance(fk, dict) else {}, path + ("schema", key, i)
            ref, column = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}, fk.get("fields")
            if key == "foreignKeys" and not all(isinstance(x, str) for x in (column, ref.get("resource"), ref.get("fields"))):
                ck.add(p, where, f"a foreign key here names one field, one resource and one field of it; use 'extendedForeignKeys' for several, found {fk!r}")
                continue
            if key == "foreignKeys" and "separator" in by_name.get(column, {}):
                ck.add(p, where, f"field '{column}' holds a list ('separator'); declare its foreign key under 'extendedForeignKeys'")
            targets = ref.get("resource") if isinstance(ref.get("resource"), list) else [ref.get("resource")]
            keys = ref.get("fields") if isinstance(ref.get("fields"), list) else [ref.get("fields")] * len(targets)
            if not isinstance(column, str) or column not in by_name or len(keys) != len(targets):
                ck.add(p, where, f"a foreign key needs a field of this resource and one target field for each resource, found {fk!r}")
                continue
            for target, tkey in zip(targets, keys):
                if target not in names:
                    close = difflib.get_close_matches(str(target), list(names), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    ck.add(p + ("reference", "resource"), where, f"foreign key of '{column}' names the unknown resource {target!r}{hint}")
                elif tkey not in names[target]:
                    ck.add(p + ("reference", "fields"), where, f"foreign key of '{column}' names {tkey!r}, which is not a field of resource '{target}'")


def check_package(package: Any, file: str, lines: dict[tuple, int] | None = None) -> list[Violation]:
    """Check the data dictionary itself: the Data Package / Table Schema standard by frictionless, and the extension keys.

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
    if not isinstance(package, dict):
        return [Violation(file, None, None, f"the data dictionary must be a mapping of keys to values, found {type(package).__name__}")]
    ck.keys(package, "package", (), "")
    src = package.get("source")
    if not isinstance(src, dict):
        ck.add(("source",), "source", f"'source' must be a mapping of keys to values, found {type(src).__name__}")
    elif not all(isinstance(src.get(k), str) for k in ("path", "sha256")) or not re.fullmatch(r"[0-9a-f]{64}", src["sha256"]):
        ck.add(("source",), "source", "'path' (the source's file in data/) and 'sha256' (64 lower-case hexadecimal digits) are required")
    seen = {id(f): f"provenanceFields[{i}]" for i, f in enumerate(package.get("provenanceFields", []))}
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources or not all(isinstance(r, dict) for r in resources):
        ck.add(("resources",), "", "'resources' must be a non-empty list of resources")
        return ck.out
    schemas = {r["name"]: r["schema"] for r in resources if isinstance(r.get("name"), str) and isinstance(r.get("schema"), dict)}
    names = {name: [f.get("name") for f in s.get("fields", []) if isinstance(f, dict)] for name, s in schemas.items()}
    for i, res in enumerate(resources):
        ck.keys(res, "resource", ("resources", i), f"resource '{res.get('name')}'")
        _check_resource(ck, res, names, seen, ("resources", i))
    if not ck.out:  # frictionless needs a descriptor of the right shape
        _frictionless(ck, package)
    return ck.out
