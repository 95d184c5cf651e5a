import pandas as pd
import pytest

from analysis.data import schema
from analysis.queries.overview import dictionary


def test_resource_lookup(ds):
    assert schema.resource(ds.package, "claims")["path"] == "claims.csv"
    with pytest.raises(KeyError, match="no resource named 'nope'"):
        schema.resource(ds.package, "nope")


def test_every_table_column_is_in_the_dictionary(ds):
    d = dictionary(ds.package)
    for res in ds.package["resources"]:
        assert list(d.loc[d.table == res["path"], "column"]) == list(ds.tables[res["name"]].columns)
    assert (d["meaning"].str.len() > 0).all() and (d["how coded"].str.len() > 0).all()
    side = d[(d.table == "entities.csv") & (d.column == "side")].iloc[0]
    assert "dalian_delegation" in side["allowed values"]


def test_check_types_enforces_enum_pattern_and_maximum(ds, root):
    """Frictionless checks the constraints; each failure comes back with its line and column."""
    from analysis.data.load import read_csv_strings
    from analysis.data.validate import check_types

    res = schema.resource(ds.package, "topics")
    raw, _, _ = read_csv_strings((root / "data/topics.csv").read_bytes(), "topics.csv")
    assert check_types(raw, res, "topics.csv")[1] == []
    raw.loc[2, "theme"], raw.loc[3, "topic_id"], raw.loc[4, "paragraph"] = "gossip", "X1", "9"
    typed, problems = check_types(raw, res, "topics.csv")
    assert typed is None and [(v.line, v.column) for v in problems] == [(2, "theme"), (3, "topic_id"), (4, "paragraph")]


def test_field_names_order(ds):
    assert schema.field_names(schema.resource(ds.package, "sentences"))[:3] == ["sentence_id", "function", "register"]
    assert schema.PANDAS_DTYPES["integer"] == "Int64"
    assert isinstance(dictionary(ds.package), pd.DataFrame)


def test_provenance_keys(ds):
    keys = schema.provenance_keys(ds.package)
    assert keys["claims"] == "claim_id" and keys["sentences"] == "sentence_id"
    assert "external_facts" not in keys and "directive_evidence" not in keys


# --- the dictionary is checked before it is used -------------------------------------------------

from test_load import edit, problems  # noqa: E402


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("      primaryKey: claim_id\n", "      primarykey: claim_id\n", "resource 'claims': unknown key 'primarykey' (did you mean 'primaryKey'?)"),
        (
            "      primaryKey: claim_id\n",
            "      primaryKey: claim\n",
            "resource 'claims': primary key \"['claim']\" does not match the fields",
        ),  # frictionless's words
        (
            "        - name: sequence\n          type: integer\n",
            "        - name: sequence\n          type: intger\n",
            "resource 'activities', field 'sequence': 'intger' is not one of ['string', 'integer', 'number', 'boolean', 'date'] at property 'type' (did you mean 'integer'?)",
        ),
        (
            "    schema:\n      primaryKey: topic_id\n      foreignKeys:\n        - {fields: activity_id, reference: {resource: activities, fields: activity_id}}\n      fields:",
            "    schema:\n      primaryKey: topic_id\n      foreignKeys:\n        - {fields: activity_id, reference: {resource: activities, fields: activity_id}}\n      feilds:",
            "resource 'topics': unknown key 'feilds' (did you mean 'fields'?)",
        ),
        (
            'pattern: "T[0-9]{2}"',
            'pattern: "T([0-9]{2}"',
            "resource 'topics', field 'topic_id': 'T([0-9]{2}' is not a 'regex' at property 'constraints/pattern' (missing ), unterminated subpattern",
        ),
        (
            "{fields: entity_id, reference: {resource: entities, fields: entity_id}}\n      fields:\n        - name: claim_id",
            "{fields: entity_id, reference: {resource: entitys, fields: entity_id}}\n      fields:\n        - name: claim_id",
            "resource 'claims': foreign key of 'entity_id' names the unknown resource 'entitys' (did you mean 'entities'?)",
        ),
        (
            "constraints: {required: true, enum: [stated, inferred]}",
            "constraints: {required: ture, enum: [stated, inferred]}",
            "resource 'directives', field 'issuer_basis': 'ture' is not of type 'boolean' at property 'constraints/required'",  # frictionless's words
        ),
        (
            "constraints: {required: true, enum: [stated, inferred]}",
            "constraints: {requird: true, enum: [stated, inferred]}",
            "resource 'directives', field 'issuer_basis': unknown key 'requird' (did you mean 'required'?)",
        ),
        (
            "    provenance: true\n    schema:\n      primaryKey: sentence_id",
            "    provenance: yes please\n    schema:\n      primaryKey: sentence_id",
            "resource 'sentences': 'yes please' is not of type 'boolean' at property 'provenance'",
        ),
        (
            "          notBefore: date_start\n",
            "          notBefore: date_begin\n",
            "resource 'external_facts', field 'date_end': 'notBefore' must name another field of type date in this resource, found 'date_begin'",
        ),
        ("        - <<: *provenance_quote\n", "        - *provenance_quote\n", "this field is a YAML alias of"),
        (  # standard Table Schema, but the loader reads single-field keys: refused, not a crash
            "{fields: entity_id, reference: {resource: entities, fields: entity_id}}\n      fields:\n        - name: claim_id",
            "{fields: [entity_id], reference: {resource: entities, fields: [entity_id]}}\n      fields:\n        - name: claim_id",
            "resource 'claims': ['entity_id'] is not of type 'string' at property 'schema/foreignKeys/0/fields'"
            " (a foreign key here names one field, one resource and one field of it; use 'extendedForeignKeys' for several)",
        ),
        (  # frictionless's profile accepts it, and its reader would then fail on every table
            "constraints: {required: true, minimum: 1, maximum: 6}",
            "constraints: {required: true, minimum: one, maximum: 6}",
            "resource 'glossary', field 'paragraph': 'one' is not of type 'number' at property 'constraints/minimum'",
        ),
    ],
)
def test_a_broken_dictionary_is_refused_with_resource_and_field(scratch, old, new, message):
    edit(scratch / "data/datapackage.yaml", old, new)
    v = problems(scratch)
    assert all(x.file == "data/datapackage.yaml" and x.line for x in v), [str(x) for x in v]
    assert any(message in x.message for x in v), [str(x) for x in v]


def test_a_missing_fields_key_is_refused(scratch):
    text = (scratch / "data/datapackage.yaml").read_text(encoding="utf-8")
    start = text.index(
        '      fields:\n        - name: link_id\n          type: string\n          description: Stable identifier of the link.\n          constraints: {required: true, unique: true, pattern: "L[0-9]{2}"}'
    )
    end = text.index("\n\n", start)
    (scratch / "data/datapackage.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    v = problems(scratch)
    assert any(
        x.file == "data/datapackage.yaml" and "resource 'claim_context': 'fields' is a required property at property 'schema'" in x.message for x in v
    ), [str(x) for x in v]


def test_the_line_of_a_dictionary_error_points_at_the_key(scratch):
    edit(scratch / "data/datapackage.yaml", "      primaryKey: claim_id\n", "      primarykey: claim_id\n")
    v = [x for x in problems(scratch) if "unknown key 'primarykey'" in x.message]
    lines = (scratch / "data/datapackage.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[v[0].line - 1].strip() == "primarykey: claim_id"


def test_check_package_on_a_minimal_descriptor():
    ok = {
        "source": {"path": "a.txt", "sha256": "0" * 64},
        "resources": [{"name": "t", "path": "t.csv", "schema": {"primaryKey": "id", "fields": [{"name": "id", "type": "string"}]}}],
    }
    assert schema.check_package(ok, "dp.yaml") == []
    assert [x.message for x in schema.check_package({"resources": []}, "dp.yaml")] == [
        "'source' is a required property",
        "[] should be non-empty at property 'resources'",
    ]


def test_the_descriptor_passes_frictionless_validation(root):
    """The dictionary is a valid Data Package and the data satisfy it (types, constraints, keys) by the reference implementation."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(root / "data/datapackage.yaml"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:20]


def test_frictionless_rejects_what_our_loader_rejects(scratch):
    frictionless = pytest.importorskip("frictionless")
    edit(scratch / "data/topics.csv", ",advanced experience,2,", ",advanced experience,two,")
    report = frictionless.validate(str(scratch / "data/datapackage.yaml"))
    assert not report.valid
    assert [2, "paragraph", "type-error"] in report.flatten(["rowNumber", "fieldName", "type"])


def test_frictionless_still_accepts_what_the_loader_refuses():
    """The loader's workarounds (analysis.data.validate: _own_rules, and the anchored pattern in check_types) are needed while this passes; when it fails, upstream is fixed."""
    from frictionless import Resource, Schema

    names = [{"name": "id", "type": "string", "constraints": {"pattern": "C[0-9]{2}"}}, {"name": "day", "type": "date"}, {"name": "n", "type": "integer"}]
    with Resource(data=[["id", "day", "n"], ["C08\n", "2018-1-25", "1_000"]], schema=Schema.from_descriptor({"fields": names})) as resource:
        rows = list(resource.row_stream)
    assert rows[0].valid and str(rows[0]["day"]) == "2018-01-25" and rows[0]["n"] == 1000
