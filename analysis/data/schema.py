"""The data dictionary (``data/datapackage.yaml``, a Frictionless Data Package with extension keys): checked before use, and read.

:func:`check_package` reports a broken dictionary like broken data: the JSON Schema ``datapackage.schema.json`` beside this
module says which keys each level may hold (a misspelt standard key is a typo there), this module checks what crosses fields
and resources, and frictionless checks the standard part.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the resource descriptor called ``name`` (KeyError if there is none)."""
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


def foreign_keys(res: dict[str, Any], standard: bool = True) -> list[dict[str, Any]]:
    """Every foreign key of a resource, as ``{"field", "targets": [(resource, field), ...], "separator"}``: the standard
    ``foreignKeys`` (unless ``standard`` is False) and the ``extendedForeignKeys``.

    A value must be a key of any one of the targets (each element, for a list field).
    """
    by_name = {f["name"]: f for f in fields(res)}
    out = []
    for fk in [*(res["schema"].get("foreignKeys", []) if standard else []), *res["schema"].get("extendedForeignKeys", [])]:
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

#: The JSON Schema of the descriptor: the keys each level may hold and the type of each value.
PROFILE_FILE = Path(__file__).with_name("datapackage.schema.json")  # shipped with the package (package-data)


@functools.cache
def _profile() -> Any:
    from jsonschema import Draft202012Validator  # here, not at the top: a load from the build's cache needs no check

    return Draft202012Validator(json.loads(PROFILE_FILE.read_text(encoding="utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _hint(word: Any, words: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(w) for w in words], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _place(package: Any, path: tuple) -> tuple[str, tuple]:
    """Who a path of the descriptor belongs to ("resource 'claims', field 'value'") and the rest of the path below it."""
    if path[:1] != ("resources",) or len(path) < 2 or not isinstance(res := package["resources"][path[1]], dict):
        return "", path
    where, flds = f"resource '{res.get('name', f'#{path[1] + 1}')}'", res.get("schema", {}).get("fields")
    if path[2:4] == ("schema", "fields") and len(path) > 4 and isinstance(flds[path[4]], dict):
        return f"{where}, field '{flds[path[4]].get('name')}'", path[5:]
    return where, path[2:]


def _profile_errors(package: Any) -> Iterator[tuple[tuple, str]]:
    """(path, message) of each place the descriptor breaks its JSON Schema: jsonschema's words, a hint, the key's description."""
    for e in _profile().iter_errors(package):
        path = tuple(e.absolute_path)
        if e.validator == "additionalProperties":  # each unknown key at its own line, with the nearest allowed key
            for k in (k for k in e.instance if k not in e.schema["properties"]):
                yield (
                    path + (k,),
                    f"unknown key '{k}'{_hint(k, e.schema['properties']) or ' (a new key must be added to analysis/data/datapackage.schema.json)'}",
                )
            continue
        rest = _place(package, path)[1]
        at = f" at property '{'/'.join(map(str, rest))}'" if rest else ""  # as frictionless writes it
        hint = _hint(e.instance, e.validator_value) if e.validator == "enum" else ""
        yield path, e.message + at + hint + "".join(f" ({x})" for x in (e.schema.get("description"), e.cause) if x)


def _cross_errors(package: dict[str, Any]) -> Iterator[tuple[tuple, str]]:
    """(path, message) of what the JSON Schema cannot say: fields that name fields, keys that name resources, aliased fields."""
    seen = {id(f): f"provenanceFields[{i}]" for i, f in enumerate(package.get("provenanceFields", []))}
    names = {r["name"]: field_names(r) for r in package["resources"]}
    for i, res in enumerate(package["resources"]):
        by_name, path = {f["name"]: f for f in fields(res)}, ("resources", i, "schema")
        for j, f in enumerate(fields(res)):
            if id(f) in seen:
                yield path + ("fields", j), f"this field is a YAML alias of {seen[id(f)]}; write '- <<: *anchor' to give it its own copy"
            seen[id(f)] = f"resource '{res['name']}', field '{f['name']}'"
            if "notBefore" in f and by_name.get(f["notBefore"], {}).get("type") != f["type"]:
                yield path + ("fields", j), f"'notBefore' must name another field of type {f['type']} in this resource, found {f['notBefore']!r}"
        yield from (
            (path + ("fields",), f"a resource with provenance must have the field '{c}'")
            for c in PROVENANCE_FIELDS
            if res.get("provenance") and c not in by_name
        )
        for key in ("foreignKeys", "extendedForeignKeys"):
            for k, fk in enumerate(res["schema"].get(key, [])):
                column, ref, p = fk["fields"], fk["reference"], path + (key, k)
                targets = ref["resource"] if isinstance(ref["resource"], list) else [ref["resource"]]
                keys = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]] * len(targets)
                if column not in by_name or len(keys) != len(targets):
                    yield p, f"a foreign key needs a field of this resource and one target field for each resource, found {fk!r}"
                    continue
                if key == "foreignKeys" and "separator" in by_name[column]:
                    yield p, f"field '{column}' holds a list ('separator'); declare its foreign key under 'extendedForeignKeys'"
                for target, tkey in zip(targets, keys):
                    if target not in names:
                        yield p + ("reference", "resource"), f"foreign key of '{column}' names the unknown resource {target!r}{_hint(target, names)}"
                    elif tkey not in names[target]:
                        yield p + ("reference", "fields"), f"foreign key of '{column}' names {tkey!r}, which is not a field of resource '{target}'"


def _frictionless_errors(package: dict[str, Any]) -> Iterator[tuple[tuple, str]]:
    """(path, note) of each error of the standard part, by frictionless's own profiles, placed at its resource and field."""
    from frictionless import Package, Resource, Schema  # as in _profile

    report = Package.validate_descriptor(copy.deepcopy(package))
    found = []
    for i, res in enumerate(package["resources"] if not report.valid else []):
        errors = Resource.validate_descriptor(copy.deepcopy(res)).errors
        found += [(("resources", i) + (("schema",) if e.type == "schema-error" else ()), e.note) for e in errors if e.type != "field-error"]
        if any(e.type == "field-error" for e in errors):  # a field error names no field: each field alone
            found += [
                (("resources", i, "schema", "fields", j), e.note)
                for j, f in enumerate(fields(res))
                for e in Schema.validate_descriptor({"fields": [copy.deepcopy(f)]}).errors
            ]
    yield from found or [((), e.note) for e in report.errors]


def check_package(package: Any, file: str, lines: dict[tuple, int] | None = None) -> list[Violation]:
    """Check the parsed data dictionary: its JSON Schema, what crosses fields and resources, and the standard by frictionless.

    Each violation names ``file``, the line of the node at fault (``lines``: :func:`~analysis.data.load.yaml_lines`), and the
    resource and field; none when the descriptor can be used.
    """
    found = list(_profile_errors(package))
    found = found or list(_cross_errors(package))  # each step needs the shape the one before has checked
    found = found or list(_frictionless_errors(package))
    out, lines = [], lines or {}
    for path, message in found:
        where = _place(package, path)[0]
        line = next((lines[path[:n]] for n in range(len(path), -1, -1) if path[:n] in lines), None)  # the nearest known node
        out.append(Violation(file, line, None, f"{where}: {message}" if where else message))
    return out
