import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import schema


def test_resource_lookup(ds):
    assert schema.resource(ds.package, "claims")["path"] == "claims.csv"
    with pytest.raises(KeyError, match="no resource named 'nope'"):
        schema.resource(ds.package, "nope")


def test_every_table_column_is_in_the_dictionary(ds):
    d = schema.dictionary(ds.package)
    for res in ds.package["resources"]:
        assert list(d.loc[d.table == res["path"], "column"]) == list(ds.tables[res["name"]].columns)
    assert (d["meaning"].str.len() > 0).all() and (d["how coded"].str.len() > 0).all()
    side = d[(d.table == "entities.csv") & (d.column == "side")].iloc[0]
    assert "dalian_delegation" in side["allowed values"]


def test_pandera_schema_enforces_enum_pattern_and_minimum(ds):
    res = schema.resource(ds.package, "topics")
    s = schema.pandera_schema(res)
    good = ds.topics.copy()
    s.validate(good)
    bad = good.copy()
    bad.loc[0, "theme"] = "gossip"
    bad.loc[1, "topic_id"] = "X1"
    bad.loc[2, "paragraph"] = 9
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        s.validate(bad, lazy=True)
    failed = set(exc.value.failure_cases["column"])
    assert {"theme", "topic_id", "paragraph"} <= failed


def test_field_names_order(ds):
    assert schema.field_names(schema.resource(ds.package, "sentences"))[:3] == ["sentence_id", "function", "register"]
    assert schema.PANDAS_DTYPES["integer"] == "Int64"
    assert isinstance(schema.dictionary(ds.package), pd.DataFrame)


def test_provenance_keys(ds):
    keys = schema.provenance_keys(ds.package)
    assert keys["claims"] == "claim_id" and keys["sentences"] == "sentence_id"
    assert "external_facts" not in keys and "directive_evidence" not in keys
