"""Every public function and class of ``analysis/`` runs on the synthetic visit of ``tests/synthetic.py``.

This proves the package is not tied to this article: each case feeds the mini dataset (one zone,
two firms, eight sentences, a few register rows, three peer readouts) to one public name and
asserts a result known by construction. :func:`test_every_public_name_has_a_case` enumerates
``__all__`` of every module, so a new public function fails until it has a case here, or an entry
in :data:`NOT_HERE` saying why it cannot run in memory. Deeper rule tests on the same data are in
``tests/test_rules.py``; this article's own figures are in ``tests/test_golden.py``.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import pkgutil
from collections.abc import Callable
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.data import errors, load, registers, schema, text, validate
from analysis.data import peers as peer_checks
from analysis.data.load import Dataset
from analysis.queries import codebook, compare, directives, inferences, ledger, overview, peers, profiles, roles, sourcemap, timeline
from analysis.views import annotate, figcheck, figures, glue, listings, markup, reportfig, style, tables

from synthetic import CLAIMS_RESOURCE, ENTITIES_RESOURCE, TEXT, mini_dataset, with_setting_event

#: Public names that cannot run on an in-memory dataset, with the test that covers them instead.
NOT_HERE = {
    "analysis.data.load.load_all": "reads a data root from disk: tests/test_load.py (one scratch copy per bad input) and tests/test_peers.py (a tiny root)",
    "analysis.data.load.default_root": "depends on REPORT_ROOT, the working folder and the install location: tests/test_load.py",
    "analysis.data.load.edition": "reads CITATION.cff at the book's root: tests/test_reuse.py",
    "analysis.data.load.inputs_digest": "reads data/ and the package's files from disk: tests/test_load.py (the build's cache)",
}

CASES: dict[str, Callable[[Dataset], None]] = {}


def case(*names: str) -> Callable:
    """Register the decorated check as the case of each ``module.name`` given."""

    def register(fn: Callable[[Dataset], None]) -> Callable[[Dataset], None]:
        for name in names:
            assert name not in CASES, name
            CASES[f"analysis.{name}"] = fn
        return fn

    return register


def public_names() -> dict[str, object]:
    """Every public callable of the package, keyed by the module that defines it (re-exports once)."""
    found: dict[str, object] = {}
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if callable(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def test_every_public_name_has_a_case():
    names = set(public_names())
    assert len(names) > 100
    missing = sorted(names - set(CASES) - set(NOT_HERE))
    assert not missing, f"public names with no case in tests/test_synthetic.py: {missing}"
    stale = sorted((set(CASES) | set(NOT_HERE)) - names)
    assert not stale, f"cases for names that are no longer public: {stale}"


@pytest.fixture(autouse=True)
def _agg_backend():
    matplotlib.use("Agg")
    yield
    plt.close("all")


def claims_csv(ds: Dataset) -> bytes:
    frame = ds.claims.copy()
    frame["evaluative"] = frame.evaluative.map({True: "true", False: "false"})
    return frame.to_csv(index=False).encode("utf-8")


def by_line(frame: pd.DataFrame) -> pd.DataFrame:
    """A loaded table indexed by file line, as the loader's checks take it (header on line 1)."""
    return frame.set_index(pd.RangeIndex(2, len(frame) + 2))


def columns(violations: list) -> list:
    return [(v.line, v.column) for v in violations]


# ---------------------------------------------------------------- the loader's building blocks


@case("data.load.Dataset")
def _(ds):
    assert (
        ds.row("claims", "C2")["value"] == 5
        and ds.row("entities", "firm_g")["short_name"] == "G"
        and ds.row("entities", "zone_z")["canonical_name"] == "Zone Z"
    )
    with pytest.raises(errors.UnknownIdError, match="unknown id 'nobody'"):
        ds.row("entities", "nobody")
    with pytest.raises(AttributeError, match="no table 'nothing'"):
        _ = ds.nothing


@case("data.load.read_csv_strings")
def _(ds):
    frame, header, problems = load.read_csv_strings(claims_csv(ds), "claims.csv")
    assert header == schema.field_names(CLAIMS_RESOURCE) and problems == []
    assert list(frame.index) == [2, 3, 4, 5] and frame.loc[3, "value"] == "5.0" and frame.loc[2, "value"] is None
    _, _, ragged = load.read_csv_strings(b"a,b\n1,2,3\n", "x.csv")
    assert ragged and ragged[0].line == 2


@case("data.load.load_coding")
def _(ds):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        coded = ds.claims[["claim_id", "entity_id", "claim_type", "quote", "paragraph", "start", "end"]]
        coded.to_csv(Path(folder) / "claims.csv", index=False)
        tables = load.load_coding(folder, ds, root=folder)
        assert list(tables["claims"].claim_id) == list(ds.claims.claim_id)
        coded.assign(entity_id="nobody").drop(columns=["quote"]).to_csv(Path(folder) / "claims.csv", index=False)
        with pytest.raises(errors.ReportDataError) as err:
            load.load_coding(folder, ds, root=folder)
        assert {(v.column, v.line) for v in err.value.violations} == {("quote", 1)}
        coded.assign(entity_id="nobody").to_csv(Path(folder) / "claims.csv", index=False)
        with pytest.raises(errors.ReportDataError, match="'nobody' is not an entity"):
            load.load_coding(folder, ds, root=folder)
        (Path(folder) / "claims.csv").unlink()
        declared = pd.DataFrame(
            {"coding": [Path(folder).name], "units": ["book"], "unit_tables": [("claims", "topics")], "book_before": ["R01"], "round": ["first round"]}
        )
        given = dataclasses.replace(ds, tables={**ds.tables, "codings": declared})  # a coding of links is given the book's units
        assert load.load_coding(folder, given, root=folder)["topics"] is ds.topics
        coded.to_csv(Path(folder) / "claims.csv", index=False)
        with pytest.raises(errors.ReportDataError, match="'claims' must be a table of book's units that"):
            load.load_coding(folder, given, root=folder)


@case("data.load.yaml_lines")
def _(ds):
    lines = load.yaml_lines("resources:\n  - name: claims\n    path: claims.csv\n")
    assert lines[("resources", 0, "path")] == 3 and lines[("resources",)] == 1


@case("data.errors.Violation", "data.errors.ReportDataError")
def _(ds):
    v = [errors.Violation("b.csv", 3, "x", "late"), errors.Violation("a.csv", None, None, "whole file"), errors.Violation("b.csv", 2, "y", "early")]
    err = errors.ReportDataError(v)
    message = str(err)
    assert message.index("a.csv") < message.index("b.csv, line 2") < message.index("b.csv, line 3") and "column 'y'" in message
    assert len(err.violations) == 3


@case("data.errors.UnknownIdError")
def _(ds):
    err = errors.UnknownIdError("claims", "C9", ds.claims.claim_id.tolist())
    assert isinstance(err, KeyError) and "C9" in str(err) and "claims" in str(err)


@case("data.validate.is_missing", "data.validate.list_items")
def _(ds):
    assert all(validate.is_missing(v) for v in (None, pd.NA, pd.NaT, float("nan"))) and not validate.is_missing("")
    assert validate.list_items("a|b", "|") == ["a", "b"] and validate.list_items(("a",), "|") == ["a"] and validate.list_items(None, "|") == []
    assert validate.list_items("a|b", None) == ["a|b"]


@case("data.validate.check_header")
def _(ds):
    names = schema.field_names(CLAIMS_RESOURCE)
    assert validate.check_header(names, CLAIMS_RESOURCE, "claims.csv") == []
    swapped = [names[1], names[0], *names[2:]]
    assert validate.check_header(swapped, CLAIMS_RESOURCE, "claims.csv")
    assert "out of order" in validate.check_header(swapped, CLAIMS_RESOURCE, "claims.csv")[0].message
    assert columns(validate.check_header(names[:-1], CLAIMS_RESOURCE, "claims.csv")) == [(1, "end")]


@case("data.validate.check_types")
def _(ds):
    raw, _, _ = load.read_csv_strings(claims_csv(ds), "claims.csv")
    typed, problems = validate.check_types(raw, CLAIMS_RESOURCE, "claims.csv")
    assert problems == [] and typed.evaluative.tolist() == [True, False, False, False] and typed.loc[3, "value"] == 5
    raw.loc[4, "claim_type"] = "rumour"
    raw.loc[5, "claim_id"] = "X1"
    _, problems = validate.check_types(raw, CLAIMS_RESOURCE, "claims.csv")
    assert sorted(columns(problems)) == [(4, "claim_type"), (5, "claim_id")]


@case("data.validate.check_provenance")
def _(ds):
    assert validate.check_provenance(by_line(ds.claims), ds.text, "claims.csv") == []
    bad = by_line(ds.claims)
    bad.loc[3, "start"] += 1
    assert [v.line for v in validate.check_provenance(bad, ds.text, "claims.csv")] == [3]


@case("data.validate.check_foreign_keys")
def _(ds):
    files = {n: f"{n}.csv" for n in ds.tables}
    package = {"resources": [ENTITIES_RESOURCE, CLAIMS_RESOURCE]}
    tables_ = {"entities": by_line(ds.entities), "claims": by_line(ds.claims)}
    assert validate.check_foreign_keys(tables_, package, files) == []
    tables_["claims"].loc[4, "entity_id"] = "firm_q"
    found = validate.check_foreign_keys(tables_, package, files)
    assert columns(found) == [(4, "entity_id")] and "firm_q" in found[0].message


@case("data.validate.check_numbers_in_quotes")
def _(ds):
    assert validate.check_numbers_in_quotes(by_line(ds.claims), CLAIMS_RESOURCE, "claims.csv") == []
    bad = by_line(ds.claims)
    bad.loc[3, "value"] = 6.0
    assert columns(validate.check_numbers_in_quotes(bad, CLAIMS_RESOURCE, "claims.csv")) == [(3, "value")]
    comma = bad.assign(value=[None, 5.0, None, None], quote=["", "Firm F has 5, and more", "", ""])
    assert validate.check_numbers_in_quotes(comma, CLAIMS_RESOURCE, "claims.csv") == []  # "5," is the number 5


@case("data.validate.check_variants")
def _(ds):
    assert validate.check_variants(by_line(ds.entities), ds.text, "entities.csv") == []
    bad = by_line(ds.entities)
    bad.loc[2, "variants"] = "Zone Z|Zone Q"  # as stored in the file
    found = validate.check_variants(bad, ds.text, "entities.csv")
    assert columns(found) == [(2, "variants")] and "Zone Q" in found[0].message


@case("data.validate.check_duplicate_rows")
def _(ds):
    assert validate.check_duplicate_rows(by_line(ds.claims), CLAIMS_RESOURCE, "claims.csv") == []
    copy = pd.concat([ds.claims, ds.claims.iloc[[1]].assign(claim_id="C5")], ignore_index=True)
    found = validate.check_duplicate_rows(by_line(copy), CLAIMS_RESOURCE, "claims.csv")
    assert [v.line for v in found] == [6] and "C2" in found[0].message


@case("data.validate.check_date_order")
def _(ds):
    res = {
        "name": "facts",
        "schema": {
            "primaryKey": "fact_id",
            "fields": [{"name": "fact_id"}, {"name": "date_start", "type": "date"}, {"name": "date_end", "type": "date", "notBefore": "date_start"}],
        },
    }
    facts = by_line(with_setting_event(ds).external_facts)
    assert validate.check_date_order(facts, res, "facts.csv") == []
    facts.loc[4, "date_end"] = pd.Timestamp("2020-05-01")
    assert columns(validate.check_date_order(facts, res, "facts.csv")) == [(4, "date_end")]


@case("data.validate.check_bib_keys")
def _(ds):
    facts = by_line(ds.external_facts)
    assert validate.check_bib_keys(facts, set(ds.bibliography), "facts.csv", "refs.bib") == []
    found = validate.check_bib_keys(facts, {"news"}, "facts.csv", "refs.bib")
    assert columns(found) == [(3, "bib_keys")] and "gazette" in found[0].message


@case("data.validate.check_bib_coverage")
def _(ds):
    sources = by_line(ds.sources)
    assert validate.check_bib_coverage(sources, {"news": 1, "gazette": 5}, "sources.csv", "refs.bib", "bib_key") == []
    found = validate.check_bib_coverage(sources, {"news": 1, "gazette": 5, "orphan": 9}, "sources.csv", "refs.bib", "bib_key")
    assert len(found) == 1 and "orphan" in found[0].message


@case("data.validate.check_bib_urls")
def _(ds):
    assert validate.check_bib_urls(ds.bibliography, {"news": 1, "gazette": 4}, "refs.bib") == []
    bad = ds.bibliography | {"trap": {"url": "javascript:alert(1)"}}
    found = validate.check_bib_urls(bad, {"news": 1, "gazette": 4, "trap": 7}, "refs.bib")
    assert [v.line for v in found] == [7]


@case("data.validate.check_corroboration")
def _(ds):
    links, facts, sources = by_line(ds.claim_context), ds.external_facts, ds.sources
    assert validate.check_corroboration(links, facts, sources, "claim_context.csv") == []
    dependent = sources.assign(independence="same_publisher")
    found = validate.check_corroboration(links, facts, dependent, "claim_context.csv")
    assert columns(found) == [(4, "relation")]  # L3, the only "corroborates" link


@case("data.validate.check_sentence_coverage")
def _(ds):
    found = validate.check_sentence_coverage(by_line(ds.sentences), ds.text, "sentences.csv")
    # the mini table codes four of the text's eight sentences (1, 2, 3 and 7)
    assert [v.message.split()[1] for v in found] == ["4", "5", "6", "8"] and {v.line for v in found} == {None}
    shifted = by_line(ds.sentences)
    shifted.loc[2, "end"] -= 1
    assert (2, "start") in columns(validate.check_sentence_coverage(shifted, ds.text, "sentences.csv"))
    full = pd.DataFrame([{"sentence_id": f"S{s.number}", "start": s.start, "end": s.end} for s in text.sentences(ds.text)])
    assert validate.check_sentence_coverage(by_line(full), ds.text, "sentences.csv") == []


# ---------------------------------------------------------------- the data dictionary


@case("data.schema.resource", "data.schema.fields", "data.schema.field_names", "data.schema.primary_key")
def _(ds):
    res = schema.resource(ds.package, "claims")
    assert res is CLAIMS_RESOURCE and schema.primary_key(res) == "claim_id"
    assert schema.field_names(res) == [f["name"] for f in schema.fields(res)] == list(ds.claims.columns)
    with pytest.raises(KeyError):
        schema.resource(ds.package, "nothing")


@case("data.schema.foreign_keys")
def _(ds):
    assert schema.foreign_keys(CLAIMS_RESOURCE) == [{"field": "entity_id", "targets": [("entities", "entity_id")], "separator": None}]
    assert schema.foreign_keys(CLAIMS_RESOURCE, standard=False) == []  # only the extended ones, which frictionless cannot check


@case("data.schema.provenance_keys")
def _(ds):
    assert schema.provenance_keys(ds.package) == {
        "entities": "entity_id",
        "claims": "claim_id",
        "activities": "activity_id",
        "directives": "directive_id",
        "sentences": "sentence_id",
        "translation_notes": "note_id",
    }


@case("queries.overview.dictionary")
def _(ds):
    d = overview.dictionary({"resources": [ENTITIES_RESOURCE, CLAIMS_RESOURCE]})
    assert len(d) == len(schema.fields(ENTITIES_RESOURCE)) + len(schema.fields(CLAIMS_RESOURCE))
    claim_type = d[(d.table == "claims.csv") & (d.column == "claim_type")].iloc[0]
    assert claim_type["required"] == "yes" and claim_type["allowed values"] == "attribute, product, credential, facility"


@case("data.schema.check_package")
def _(ds):
    package = {"source": {"path": "source/article.txt", "sha256": "0" * 64}, "resources": [ENTITIES_RESOURCE, CLAIMS_RESOURCE]}
    assert schema.check_package(package, "datapackage.yaml") == []
    broken = {**package, "resources": [ENTITIES_RESOURCE, {**CLAIMS_RESOURCE, "schema": {**CLAIMS_RESOURCE["schema"], "primaryKey": "no_such_field"}}]}
    found = schema.check_package(broken, "datapackage.yaml")
    assert len(found) == 1 and "resource 'claims'" in found[0].message and "no_such_field" in found[0].message


# ---------------------------------------------------------------- the registers


@case("data.registers.allowed_codes")
def _(ds):
    field = next(f for f in schema.fields(CLAIMS_RESOURCE) if f["name"] == "claim_type")
    assert registers.allowed_codes(field) == ["attribute", "product", "credential", "facility"]
    evaluative = next(f for f in schema.fields(CLAIMS_RESOURCE) if f["name"] == "evaluative")
    assert registers.allowed_codes(evaluative) == ["true", "false"]
    assert registers.allowed_codes({"name": "statement", "type": "string"}) is None


@case("data.registers.check_codebook")
def _(ds):
    found = registers.check_codebook(by_line(ds.codebook), ds.package, "codebook.csv")
    assert found and all(v.file == "codebook.csv" for v in found)  # the mini codebook leaves codes out
    messages = " ".join(v.message for v in found)
    assert "'learn_from_host'" in messages and "'platforms'" in messages and "claims.qualifier" in messages


@case("data.registers.check_recoding_log")
def _(ds):
    log = by_line(ds.recoding_log)
    assert registers.check_recoding_log(log, ds.tables, ds.package, "recoding_log.csv") == []
    log.loc[2, "new"] = "false"  # C1 is evaluative now, so the log's new value is wrong, and it equals the old one
    assert sorted(columns(registers.check_recoding_log(log, ds.tables, ds.package, "recoding_log.csv"))) == [(2, "new"), (2, "old")]


@case("data.registers.check_measured_before")
def _(ds):
    codings = pd.DataFrame({"coding": ["coding_b"], "book_before": ["R10"]})
    adjudication = pd.DataFrame({"coding": ["coding_b", "coding_b"], "recodings": ["R10|R12", "R09"]}, index=[2, 3])
    (v,) = registers.check_measured_before(adjudication, codings, "adjudication.csv")
    assert (v.line, v.column) == (3, "recodings") and "R09 comes before R10" in v.message


@case("data.registers.check_registers")
def _(ds):
    files = {n: f"{n}.csv" for n in ds.tables}
    tables_ = {n: by_line(t) for n, t in ds.tables.items()}
    found = registers.check_registers(tables_, ds.package, files, set(ds.bibliography))
    assert {v.file for v in found} <= {"codebook.csv"}  # only the codebook's missing codes
    tables_["inferences"].at[2, "basis"] = ("S1", "V9")
    assert (2, "basis") in columns(registers.check_registers(tables_, ds.package, files, set(ds.bibliography)))


@case("queries.codebook.changes_per_variable")
def _(ds):
    c = codebook.changes_per_variable(ds).set_index("variable")
    assert c.loc["claims.evaluative", "rows changed"] == 1 and c.loc["claims: rows removed", "rows at any time"] == len(ds.claims) + 1


@case("views.listings.codebook_table")
def _(ds):
    t = listings.codebook_table(ds, "directives.category")
    assert len(t.frame) == 1 and "Includes: Teams." in t.frame.iloc[0, 1] and t.name == "tbl-codebook-directives-category"
    assert len(listings.codebook_table(ds).frame) == len(ds.codebook)


@case("data.registers.basis_kind")
def _(ds):
    assert [registers.basis_kind(x) for x in "S1|V1|news|a free phrase".split("|")] == ["id", "id", "key", "phrase"]


@case("data.registers.check_basis")
def _(ds):
    inf = by_line(ds.inferences)
    ids = set(ds.sentences.sentence_id) | set(ds.activities.activity_id)
    assert registers.check_basis(inf, ids, set(ds.bibliography), "inferences.csv") == []
    found = registers.check_basis(inf, ids - {"V1"}, set(), "inferences.csv")
    assert columns(found) == [(2, "basis"), (2, "basis")] and "'V1'" in found[0].message and "'news'" in found[1].message


@case("views.listings.log_table", "queries.inferences.box_anchor", "queries.inferences.page_link")
def _(ds):
    t = listings.log_table(ds, {"chapters/visit": "The visit"})
    row = t.frame.iloc[0]
    assert row["inference"].target == inferences.box_anchor("I1") == "inference-i1" and str(row["boxed in"]) == "The visit"
    assert inferences.page_link("chapters/visit", "I1") == "visit.html#inference-i1"


@case("views.listings.translation_table")
def _(ds):
    t = listings.translation_table(ds)
    assert t.frame["rows it affects"].tolist() == ["S1, V1", "D2"] and t.frame["inference"].tolist() == ["I1", "—"]
    assert t.frame["English as printed"].iloc[0].row_id == "N1"


# ---------------------------------------------------------------- the visit


@case(
    "queries.roles.with_role",
    "queries.roles.host_zone",
    "queries.roles.enterprises",
    "queries.roles.stops",
    "queries.roles.setting_event",
    "queries.roles.short_name",
)
def _(ds):
    assert roles.with_role(ds, "enterprise") == roles.enterprises(ds) == ["firm_f", "firm_g"]
    assert roles.stops(ds) == [roles.host_zone(ds), "firm_f", "firm_g"]
    assert roles.setting_event(ds) is None and roles.setting_event(with_setting_event(ds)) == "fair"
    assert roles.short_name(ds, "firm_g") == "G" and roles.short_name(ds, "hall_f") == "Hall of F"


@case("queries.profiles.claims_about", "queries.profiles.activities_at", "queries.profiles.topics_at", "queries.profiles.quantified")
def _(ds):
    assert profiles.claims_about(ds, "firm_g").claim_id.tolist() == ["C3"]
    assert profiles.activities_at(ds, "firm_f").activity_id.tolist() == ["V2", "V3"]
    assert profiles.topics_at(ds, "zone_z").empty
    assert profiles.quantified(ds, "firm_g").empty and profiles.quantified(ds, "firm_f").value.tolist() == [5]


@case("views.listings.activities_table", "views.listings.quantified_table")
def _(ds):
    a = listings.activities_table(ds, "What the mayor did", name="tbl-mini")
    assert len(a.frame) == 3 and a.caption == "What the mayor did" and ":name: tbl-mini" in a.to_markdown()
    q = listings.quantified_table(ds, "Numbers")
    assert len(q.frame) == 1 and "5" in q.to_markdown()


@case("queries.profiles.context_about", "views.listings.context_table", "views.listings.facts_table")
def _(ds):
    assert profiles.context_about(ds, ["zone_z"]).fact_id.tolist() == ["F2"]
    assert len(listings.context_table(ds, ["firm_f", "zone_z"], "Outside facts").frame) == 2
    t = listings.facts_table(ds, ["F2", "F1"], "Chosen facts")
    assert t.frame.iloc[0].astype(str).str.contains("The zone opened.").any()


@case("queries.compare.comparison_matrix")
def _(ds):
    m = compare.comparison_matrix(ds)
    assert list(m.columns) == ["Firm F Ltd", "G"] and m.loc["claims about it"].tolist() == [2, 1]


@case(
    "queries.directives.category_labels",
    "queries.directives.category_counts",
    "queries.directives.specificity",
    "queries.directives.evidence_kinds",
    "queries.directives.linked_directives",
)
def _(ds):
    assert directives.category_labels(ds)["talent"] == "Talent"
    assert directives.category_counts(ds).sum() == len(ds.directives)
    assert directives.specificity(ds).loc["D2", "quantity"] == "a number of"
    assert len(directives.evidence_kinds(ds)) == len(ds.directive_evidence)
    assert directives.linked_directives(ds).sum() == len(ds.directive_evidence)


@case("queries.ledger.ledger", "queries.ledger.grade_counts", "queries.ledger.check_counts")
def _(ds):
    assert ledger.ledger(ds).claim_id.tolist() == ds.claims.claim_id.tolist()
    assert list(ledger.grade_counts(ds).index) == list(ledger.GRADES) and ledger.grade_counts(ds).sum() == len(ds.claims)
    assert list(ledger.check_counts(ds).index) == list(ledger.CHECKS) and ledger.check_counts(ds).sum() == len(ds.claims)


@case("queries.sourcemap.metadata_table", "queries.sourcemap.paragraph_map")
def _(ds):
    m = sourcemap.metadata_table(ds).set_index("field")["value"]
    assert m["Title"] == "Mayor A visits Zone Z" and m["Size"].startswith("1 paragraphs")
    p = sourcemap.paragraph_map(ds)
    assert p.loc[0, ["sentences", "claims", "activities", "directives"]].tolist() == [4, 4, 3, 2]


@case("views.annotate.coded_spans", "views.annotate.annotated_html")
def _(ds):
    spans = annotate.coded_spans(ds)
    assert set(spans.table) == {"claims", "activities", "directives", "entities"}
    mentions = spans[spans.table == "entities"]
    assert mentions[mentions.id == "mayor"].start.tolist() == [0, TEXT.index("the mayor")]
    html = annotate.annotated_html(ds)
    assert html.count('class="sentence"') == len(ds.sentences) and 'id="q-c2"' in html and 'title="sentence 4">4<' in html


@case(
    "queries.timeline.timeline_events",
    "queries.timeline.visit_window",
    "queries.timeline.focus_window",
    "queries.timeline.setting_event_dates",
    "queries.timeline.date_phrases",
)
def _(ds):
    ds = with_setting_event(ds)
    ev = timeline.timeline_events(ds)
    assert ev.fact_id.tolist() == ["F2", "F3"] and ev.when.tolist() == ["Mar 2019", "2–4 May 2020"]
    assert timeline.visit_window(ds) == (pd.Timestamp("2020-05-01"), pd.Timestamp("2020-05-03"))
    assert timeline.focus_window(ds) == (pd.Timestamp("2020-04-01"), pd.Timestamp("2020-06-30"))
    assert timeline.setting_event_dates(ds).fact_id == "F3"
    assert timeline.date_phrases(ds) == {"visit_from": "1", "visit_to": "3 May 2020", "event_from": "2", "event_to": "4 May 2020"}


@case("queries.timeline.period_end", "queries.timeline.plain_dates")
def _(ds):
    start = pd.Timestamp("2020-02-10")
    assert timeline.period_end(start, None, "month") == pd.Timestamp("2020-02-29") and timeline.period_end(start, None, "year") == pd.Timestamp("2020-12-31")
    assert timeline.plain_dates(start, pd.Timestamp("2020-03-01")) == "10 Feb – 1 Mar 2020" and timeline.plain_dates(start, precision="year") == "2020"


# ---------------------------------------------------------------- the peers


@case("data.peers.check_peers")
def _(ds):
    assert peer_checks.check_peers(by_line(ds.peers), "peers.csv") == []
    bad = by_line(ds.peers)
    bad.loc[4, "is_subject"] = True
    bad.loc[3, "evidence"] = "One two three four five six seven eight nine"
    found = columns(peer_checks.check_peers(bad, "peers.csv"))
    assert (3, "evidence") in found and (4, "is_subject") in found


@case("queries.peers.peers_of", "queries.peers.subject_of")
def _(ds):
    assert peers.subject_of(peers.table(ds)).peer_id == "P1" and peers.peers_of(peers.table(ds)).peer_id.tolist() == ["P2", "P3"]
    with pytest.raises(LookupError):
        peers.subject_of(peers.peers_of(peers.table(ds)))


@case("queries.peers.trips_out", "queries.peers.trip_table", "queries.peers.purpose_counts", "queries.peers.learning_share", "queries.peers.trip_events")
def _(ds):
    trips = peers.trips_out(peers.table(ds), "Mayor A", "2020-01-01", "2020-12-31")
    assert trips.peer_id.tolist() == ["P1", "P2"]  # P2 led by another, with Mayor A; P3 is not a trip
    t = peers.trip_table(trips)
    assert t.trip_id.tolist() == ["t1", "t2"] and t.subject.tolist() == [True, False] and t.learning.tolist() == [True, False]
    counts = peers.purpose_counts(trips)
    assert counts["Study"] == 1 and counts["Investment promotion"] == 1 and counts.sum() == 2
    assert peers.learning_share(trips) == (1, 2)
    ev = peers.trip_events(trips)
    assert ev.date.tolist() == [pd.Timestamp("2020-05-15"), pd.Timestamp("2020-07-15")] and ev.highlight.tolist() == [True, False]


@case("queries.peers.firm_description", "queries.peers.directive_visibility", "queries.peers.specificity_shares")
def _(ds):
    assert peers.firm_description(peers.table(ds)).peer_id.tolist() == ["P1", "P3"]  # the subject first
    v = peers.directive_visibility(peers.table(ds))
    assert v.loc["delegation_out"].tolist() == [2, 1, 1] and v.loc["meeting"].tolist() == [1, 0, 1]
    s = peers.specificity_shares(peers.table(ds))
    assert s.to_dict() == {"has_quantity": 0, "has_deadline": 1, "has_budget": 0, "has_unit": 1, "passages": 2}  # "a number of" names no amount


# ---------------------------------------------------------------- text


@case("data.text.Span", "data.text.paragraphs", "data.text.paragraph_at")
def _(ds):
    (p,) = text.paragraphs(ds.text)
    assert p == text.Span(1, 1, 0, len(TEXT), TEXT) and text.paragraph_at(ds.text, 10) == 1
    with pytest.raises(ValueError):
        text.paragraph_at(ds.text, len(TEXT) + 5)


@case("data.text.sentences")
def _(ds):
    s = text.sentences(ds.text)
    assert [x.text for x in s][:2] == ["Mayor A visits Zone Z.", "Zone Z is a paradise."] and len(s) == 8
    coded = {(x.start, x.end): x.number for x in s}
    assert [coded[span] for span in zip(ds.sentences.start, ds.sentences.end)] == [1, 2, 3, 7]
    assert len(text.sentences("Zone Z. Firm F.", ["Z."])) == 1


@case("data.text.find_all", "data.text.locate")
def _(ds):
    assert text.find_all("Zone Z", ds.text) == [15, 23]
    assert text.locate("Zone Z", ds.text, 2).start == 23
    with pytest.raises(ValueError, match="occurs 2 time"):
        text.locate("Zone Z", ds.text, 3)


# ---------------------------------------------------------------- tables and markup


@case("views.tables.Table")
def _(ds):
    t = tables.Table(ds.claims[["claim_id", "statement"]], "Claims & more", name="tbl-mini")
    md = t.to_markdown()
    assert ":name: tbl-mini" in md and "Claims \\& more" in md and md.count("\n* - ") == len(ds.claims) + 1
    assert "<caption>Claims &amp; more</caption>" in t.to_html() and t.label == "tbl-mini"


@case("views.tables.Ref", "views.tables.SourceLink", "views.tables.anchor", "views.tables.source_link", "views.tables.quote_cell")
def _(ds):
    assert tables.anchor("C2") == "q-c2"
    assert tables.source_link("C2").markdown() == "[C2](#q-c2)" and tables.source_link("C2", "here").markdown() == "[here](#q-c2)"
    q = tables.quote_cell("5 patents", "C2")
    assert isinstance(q, tables.SourceLink) and q.row_id == "C2" and "5 patents" in q
    assert tables.Ref("see", "tbl-mini").markdown() == "[see](#tbl-mini)"


@case("views.tables.Cite")
def _(ds):
    c = tables.Cite(ds.external_facts.bib_keys.iloc[0])
    assert c.keys == ("news",) and c.markdown() == "{cite:p}`news`" and str(c) == "news"
    assert tables.Cite("a|b").keys == ("a", "b") and tables.Cite(()).markdown() == "\u2014"
    with pytest.raises(ValueError, match="not a citation key"):
        tables.Cite(["x`y"]).markdown()
    assert "{cite:p}`news`" in tables.Table(pd.DataFrame({"sources": [c]}), "c").to_markdown()


@case("views.tables.escape_markdown", "views.tables.slug", "views.markup.escape_markdown")
def _(ds):
    assert markup.escape_markdown("*F* [1]") == "\\*F\\* \\[1\\]"
    assert tables.escape_markdown("a|b") == "a\\|b"
    assert tables.slug("Firm F & Firm G: a comparison") == "firm-f-firm-g-a-comparison"


@case("views.markup.download_link")
def _(ds):
    link = markup.download_link("data/claims.csv")
    assert link.endswith(">claims.csv</a>") and "download" in link and markup.DOWNLOADS in link


@case("views.glue.glue")
def _(ds):
    calls = []
    original = glue.ipy_display
    glue.ipy_display = lambda bundle, raw, metadata: calls.append((bundle, metadata))
    try:
        glue.glue("mini_claims", len(ds.claims))
    finally:
        glue.ipy_display = original
    ((bundle, metadata),) = calls
    assert bundle == {glue.GLUE_PREFIX + "text/plain": "4"} and metadata["scrapbook"]["name"] == "mini_claims"


# ---------------------------------------------------------------- figures


@case("views.figures.timeline", "views.figcheck.check_figure", "views.figcheck.Problem", "views.reportfig.ReportFigure")
def _(ds):
    ds = with_setting_event(ds)
    fig = figures.timeline(timeline.timeline_events(ds), window=timeline.focus_window(ds), name="mini-timeline")
    assert isinstance(fig, reportfig.ReportFigure) and figcheck.check_figure(fig) == []
    drawn = [t.get_text() for t in fig.visible_texts()]
    assert "Trade fair, 2–4 May" in drawn and "Zone Z opens, Mar 2019" in drawn
    assert str(figcheck.Problem("font", "too small")).startswith("font")


@case("views.figures.dot_chart")
def _(ds):
    fig = figures.dot_chart(directives.category_counts(ds), "directive clauses")
    assert figcheck.check_figure(fig) == [] and "Talent" in [t.get_text() for t in fig.visible_texts()]


@case("views.figures.event_strip")
def _(ds):
    fig = figures.event_strip(peers.trip_events(peers.table(ds)[peers.table(ds).genre == "delegation_out"]))
    assert figcheck.check_figure(fig) == [] and any("City Z" in t.get_text() for t in fig.visible_texts())


@case("views.reportfig.FigureInputError")
def _(ds):
    with pytest.raises(reportfig.FigureInputError):
        figures.dot_chart(pd.Series(dtype=int), "nothing")


@case("views.reportfig.new_figure")
def _(ds):
    fig = reportfig.new_figure("mini", 2.0)
    assert tuple(fig.get_size_inches()) == (style.BOOK_WIDTH_IN, 2.0) and fig.to_svg().lstrip().startswith("<?xml")


@case("views.figcheck.house_colours")
def _(ds):
    assert {c.upper() for c in style.OKABE_ITO.values()} <= figcheck.house_colours()


@case("views.style.house_style", "views.style.style_params")
def _(ds):
    before = dict(matplotlib.rcParams)
    params = style.style_params()
    with style.house_style():
        assert all(matplotlib.rcParams[k] == v for k, v in params.items() if k in ("font.size", "axes.spines.top"))
    assert dict(matplotlib.rcParams) == before


@case("views.style.register_fonts")
def _(ds):
    from matplotlib import font_manager

    style.register_fonts()  # whatever it added, every installed family of the style is now known
    known = {f.name for f in font_manager.fontManager.ttflist}
    assert "WenQuanYi Zen Hei" in known and all(isinstance(p, Path) for p in style.register_fonts())


@case("views.style.font_files", "views.style.undrawable", "views.style.check_drawable", "views.style.FigureTextError")
def _(ds):
    assert style.font_files() and all(p.exists() for p in style.font_files())
    assert style.undrawable("Zone Z 区") == [] and style.undrawable("𓀀") == ["𓀀"]
    style.check_drawable(ds.entities.canonical_name)
    with pytest.raises(style.FigureTextError, match="U\\+13000|𓀀"):
        style.check_drawable(["fine", "bad 𓀀"])


# ---------------------------------------------------------------- the runner (after every case is registered)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name):
    """Each case gets a fresh dataset, so cases may change it and their order does not matter."""
    CASES[name](mini_dataset())


# --- words that follow the data: concepts, statements, rules, links, prose ------------------------
from analysis.data import rules  # noqa: E402
from analysis.queries import concepts as concepts_module  # noqa: E402
from analysis.queries import reliability, statements  # noqa: E402
from analysis.views import links, prose  # noqa: E402


@case("queries.concepts.Concepts", "queries.concepts.Concept", "queries.concepts.Text", "queries.concepts.concept_table")
def _(ds):
    c = concepts_module.Concepts(ds)
    assert c.claims == 4 and c.claims_corroborated == 1 and c.enterprises == 2 and c.credentials == 1
    assert c.claims_of("firm_f") == 2 and c["claims_of@firm_f"] == 2 and c.corroborated_kinds_of("firm_g") == "credential"
    assert repr(c.corroborated_kinds_of("firm_g")) == "credential"  # a text value shows without quotation marks
    with pytest.raises(AttributeError, match="no concept named"):
        _ = c.no_such_thing
    table = concepts_module.concept_table()
    assert list(table.columns) == ["concept", "rule", "definition"] and table.rule.str.len().min() > 0
    assert isinstance(concepts_module.CONCEPTS["claims"], concepts_module.Concept) and isinstance(concepts_module.Text("x"), str)


@case("queries.directives.names_quantity", "queries.directives.marks")
def _(ds):
    assert not directives.names_quantity("a number of") and not directives.names_quantity(None) and directives.names_quantity("100 teams")
    m = directives.marks(ds)
    assert m.loc["D2", "has_quantity"] is False or not m.loc["D2", "has_quantity"]
    assert not m.any().any()


@case("queries.peers.table", "queries.peers.subject_values", "queries.peers.genre_labels")
def _(ds):
    values = peers.subject_values(ds)
    assert values["units_visited"] == 2 and values["firm_credentials"] == 1 and values["frames_learning"] is True and values["directive_clauses_visible"] == 2
    t = peers.table(ds)
    assert t.loc[t.peer_id == "P1", "firm_figures"].item() == 1 and ds.peers.loc[0, "firm_figures"] is pd.NA
    assert peers.genre_labels(ds)["meeting"] == "meeting"


@case(
    "queries.statements.parse_check",
    "queries.statements.placeholders",
    "queries.statements.fill",
    "queries.statements.evaluate",
    "queries.statements.check_register",
    "queries.statements.say",
    "queries.statements.StatementError",
)
def _(ds):
    assert statements.parse_check("a == 0 and b * 2 > c") == [("a", "==", "0"), ("b * 2", ">", "c")]
    with pytest.raises(ValueError):
        statements.parse_check("a = 0")
    assert statements.placeholders("{a} and {b@x:none}") == ["a", "b@x"]
    assert statements.fill("{n:None} of {m} item{m:s}; {n:word}", {"n": 0, "m": 1}) == "None of 1 item; no"
    c = concepts_module.Concepts(ds)
    assert (
        statements.evaluate(
            {"statement_id": "ST01", "text": "Of {claims} claims, {claims_corroborated:none} is corroborated", "check": "claims_corroborated <= 1"}, c
        )
        == "Of 4 claims, 1 is corroborated"
    )
    with pytest.raises(statements.StatementError, match="statement ST09.*claims_corroborated = 1"):
        statements.evaluate({"statement_id": "ST09", "chapter": "chapters/x", "text": "none", "check": "claims_corroborated == 0"}, c)
    assert statements.say(ds, "ST02") == "No measures"
    bad = pd.DataFrame({"statement_id": ["ST1"], "chapter": ["c"], "text": ["{nope}"], "check": ["claims > 0"]}, index=[2])
    assert columns(statements.check_register(bad)) == [(2, "text")]


@case("data.rules.content_words", "data.rules.sentence_of", "data.rules.check_summaries")
def _(ds):
    assert rules.content_words("The firms' products are exported") == rules.content_words("export of the firm's product")
    s = ds.sentences
    assert rules.sentence_of(s, s.start[0] + 1, s.end[0] - 1) == s.quote[0]
    d = by_line(ds.directives).assign(summary=["We must learn", "Gather leading teams"], summary_inference=[None, None])
    assert columns(rules.check_summaries(d, "summary", "summary_inference", s, {}, "directives.csv", {"I1"})) == [(3, "summary")]
    d.loc[3, "summary_inference"] = "I1"
    assert rules.check_summaries(d, "summary", "summary_inference", s, {}, "directives.csv", {"I1"}) == []


@case("data.rules.check_check_routes", "data.rules.check_subjects")
def _(ds):
    claims = by_line(ds.claims).assign(check_route=[None, "a patent register", None, "the firm's site"])
    assert columns(rules.check_check_routes(claims, "claims.csv")) == [(4, "check_route")]
    acts = by_line(ds.activities).assign(subject=["Mayor A", "the mayor", "He"])
    assert columns(rules.check_subjects(acts, ds.entities, ds.sentences, "activities.csv")) == [(4, "actor_id")]


@case("views.links.row_table", "views.links.row_target", "views.links.row_ref", "views.links.row_refs", "views.links.LinkedText", "views.links.linked_text")
def _(ds):
    assert links.row_table(ds.package, "C2") == "claims" and links.row_target(ds.package, "C2") == "q-c2"
    assert links.row_target(ds.package, "nothing here") is None and links.row_ref(ds.package, "Q7") == "Q7"
    assert links.row_refs(ds.package, ["C2", "C3"]).markdown() == "[C2](#q-c2), [C3](#q-c3)" and links.row_refs(ds.package, []) == "—"
    assert links.linked_text(ds.package, "C2 and C9 differ").markdown() == "[C2](#q-c2) and C9 differ"
    assert isinstance(links.LinkedText("x", ds.package), str) and links.linked_text(ds.package, 3) == 3


@case("views.tables.Anchor", "views.tables.RefList", "views.tables.fact_anchor")
def _(ds):
    assert tables.Anchor("X1", tables.fact_anchor("X1")).markdown() == "[X1]{#fact-x1 .report-anchor}"
    assert tables.RefList([tables.Ref("A", "a"), "B"]).markdown() == "[A](#a), B"


@case("views.prose.Values", "views.prose.Words", "views.prose.Quote", "views.prose.quoter", "views.prose.quoted_table")
def _(ds):
    v = prose.Values(n=3, s="text")
    assert v.n == 3 and repr(v.s) == "text"
    with pytest.raises(AttributeError, match="known: n, s"):
        _ = v.missing
    assert prose.Words(concepts_module.Concepts(ds)).enterprises == "two"
    q = prose.quoter(ds, "chapters/x")
    quote = q("C2:5 patents")
    assert isinstance(quote, prose.Quote) and quote._repr_markdown_() == "[\u201c5 patents\u201d](#q-c2)"
    assert prose.quoted_table(ds.package, "C2") == "claims"
    with pytest.raises(errors.ReportDataError, match="not part of the quote"):
        q("C2:7 patents")


@case("views.prose.InferenceBox", "views.prose.boxer")
def _(ds):
    box = prose.boxer(ds, "chapters/visit")("I1")
    assert isinstance(box, prose.InferenceBox) and ":name: inference-i1" in box._repr_markdown_() and "[S1](#q-s1)" in box._repr_markdown_()
    with pytest.raises(errors.ReportDataError, match="registered for chapters/visit"):
        prose.boxer(ds, "chapters/index")("I1")


@case("views.prose.Sayer", "views.prose.Said", "views.prose.statement_anchor")
def _(ds):
    said = prose.Sayer(ds, "chapters/visit").ST01
    assert isinstance(said, prose.Said) and repr(said) == "Of 4 claims, 1 is corroborated"
    assert said.plain == repr(said) and type(said.plain) is str  # a heading's text: one rendering, no markup
    assert said._repr_markdown_() == "[Of 4 claims, 1 is corroborated]{#statement-st01 .statement}" and prose.statement_anchor("ST01") == "statement-st01"
    with pytest.raises(errors.ReportDataError, match="registered for chapters/index"):
        _ = prose.Sayer(ds, "chapters/visit").ST02


@case("views.figures.Captioned", "views.figures.timeline_text", "views.figures.strip_text")
def _(ds):
    ev = pd.DataFrame({"date": pd.to_datetime(["2020-05-01", "2020-07-01"]), "lane": ["Study", "Fair"], "highlight": [True, False]})
    fig = figures.event_strip(ev)
    shown = figures.Captioned(fig, "fig-x", "A caption.", figures.strip_text(ev, "the visit"))
    md = shown._repr_markdown_()
    assert ":name: fig-x" in md and "the visit" in md and md.startswith("::::{figure} data:image/svg+xml;base64,")
    events = with_setting_event(ds).external_facts
    tl = timeline.timeline_events(with_setting_event(ds))
    caption, alt = figures.timeline_text(tl, (pd.Timestamp("2020-04-01"), pd.Timestamp("2020-06-30")), tl.label.iloc[0], None)
    assert caption.startswith("When did the visit happen") and "Two-panel timeline" in alt and len(events)


@case("queries.timeline.visit_label")
def _(ds):
    with pytest.raises(ValueError, match="inferred visit window"):
        timeline.visit_label(ds)


@case(
    "queries.reliability.Variable",
    "queries.reliability.match_units",
    "queries.reliability.agreement",
    "queries.reliability.aligned",
    "queries.reliability.unitizing_table",
    "queries.reliability.link_matrices",
    "queries.reliability.reliability_table",
    "queries.reliability.disagreements",
    "queries.reliability.standing",
)
def _(ds):
    other = {k: v.copy() for k, v in ds.tables.items()}
    other["claims"].loc[0, "claim_type"] = "role"
    codings = {"A": ds.tables, "B": other}
    units, frames = reliability.aligned(codings, "claims")
    assert len(units) == len(ds.claims) and all(u["A"] == u["B"] for u in units)
    assert reliability.match_units(ds.claims, other["claims"])[0] == [(i, i) for i in range(len(ds.claims))]
    assert reliability.unitizing_table(codings).set_index("units").loc["claims", "found by every coder"] == len(ds.claims)
    table = reliability.reliability_table(codings, [reliability.Variable("claims", "claim_type")]).set_index("variable")
    assert table.loc["claims.claim_type", "percent agreement"] == 75.0
    assert table.loc["claim_context.relation", "percent agreement"] == 100.0 and "directive_evidence.link_id (links)" in table.index
    assert set(reliability.link_matrices(codings)) == {"claim_context.relation", "directive_evidence.link_id (links)"}
    other["directive_evidence"] = ds.directive_evidence.iloc[1:]  # one link the other coder did not make
    links_only = reliability.reliability_table(codings, []).set_index("variable")
    assert list(links_only.index) == ["claim_context.relation", "directive_evidence.link_id (links)"]
    pairs = len(ds.directives) * (len(ds.claims) + len(ds.activities) + len(ds.topics))  # every pair was judged, linked or not
    assert links_only.loc["directive_evidence.link_id (links)", "units"] == pairs
    assert links_only.loc["directive_evidence.link_id (links)", "percent agreement"] == 100.0 * (pairs - 1) / pairs
    assert reliability.agreement(np.array([[1, 2], [1, 2]], dtype=object), "interval")[1] == 100.0
    found = reliability.disagreements(codings, [reliability.Variable("claims", "claim_type")])
    assert len(found) == 1 and found.iloc[0]["B"] == "role" and found.iloc[0]["unit"] == ds.claims.claim_id[0]
    assert [reliability.standing(a) for a in (0.9, 0.7, 0.5, float("nan"))] == ["reliable", "tentative", "unreliable", "undefined"]


@case("queries.reliability.rounds_table", "views.listings.reliability_listing")
def _(ds):
    first = pd.DataFrame(
        {"variable": ["x.a", "x.b"], "level": ["nominal"] * 2, "units": [4, 4], "alpha": [0.5, float("nan")], "percent agreement": [75.0, 100.0]}
    )
    second = pd.DataFrame({"variable": ["x.a"], "level": ["nominal"], "units": [5], "alpha": [0.9], "percent agreement": [96.0]})
    table = reliability.rounds_table({"one": first, "two": second}).set_index("variable")
    assert table.loc["x.a", "alpha (one)"] == 0.5 and table.loc["x.a", "alpha"] == 0.9 and table.loc["x.a", "round"] == "two"
    assert table.loc["x.b", "round"] == "one" and math.isnan(table.loc["x.b", "alpha (two)"])  # the later round did not code it
    assert reliability.unreliable(table.reset_index()) == {}  # the latest round of x.a is reliable
    shown = listings.reliability_listing(table.reset_index(), "Agreement").frame.set_index("variable")
    assert shown.loc["x.b", "alpha, one"] == "undefined" and shown.loc["x.b", "alpha, two"] == "" and shown.loc["x.a", "reading, lowest round"] == "unreliable"


@case("queries.reliability.coding_before")
def _(ds):
    tables = {
        "claims": pd.DataFrame({"claim_id": ["Z01", "Z02"], "evaluative": pd.array([True, False], dtype="boolean")}),
        "directive_evidence": pd.DataFrame({"link_id": ["E02"], "directive_id": ["D01"], "evidence_id": ["Z02"], "rationale": ["b"]}),
    }
    log = pd.DataFrame(
        {
            "change_id": ["R01", "R02", "R03", "R04"],
            "table": ["claims", "claims", "claims", "directive_evidence"],
            "row_id": ["Z01", "Z01", "Z09", "E01"],
            "column": ["evaluative", "evaluative", "(row)", "(row)"],
            "old": ["false", "", "", "D01|Z01|a"],
            "new": ["", "true", "Z09", ""],
        }
    )
    before = reliability.coding_before(tables, log, "R01")
    assert coding_before_values(before) == [False, False]  # the earliest old value wins
    assert before["directive_evidence"].link_id.tolist() == ["E02", "E01"] and before["directive_evidence"].evidence_id.tolist() == ["Z02", "Z01"]
    with pytest.raises(ValueError, match="R04: the removed row's old value has 2 cells"):
        reliability.coding_before(tables, log.assign(old=["false", "", "", "D01|Z01"]), "R04")
    assert coding_before_values(reliability.coding_before(tables, log, None)) == [True, False] and tables["claims"].evaluative[0]


def coding_before_values(tables: dict) -> list:
    return list(tables["claims"].evaluative)


@case("queries.overview.table_summary")
def _(ds):
    s = overview.table_summary(ds)
    assert s.set_index("table").loc["claims.csv", "rows"] == len(ds.claims) and set(s["quote checked against the source"]) <= {
        "yes",
        "no (outside or the book's own)",
    }


@case("data.peers.check_subject_leader")
def _(ds):
    from synthetic import peers_frame

    people = pd.DataFrame({"entity_type": ["person", "place"], "canonical_name": ["Mayor A", "City Z"]})
    frame = by_line(peers_frame())
    assert peer_checks.check_subject_leader(frame, people, "peers.csv") == []
    frame.loc[2, "leader"] = "Mayor  A."
    assert columns(peer_checks.check_subject_leader(frame, people, "peers.csv")) == [(2, "leader")]


@case("data.registers.check_numbering")
def _(ds):
    register = by_line(pd.DataFrame({"code_id": ["K001", "K002", "K004"]}))
    found = registers.check_numbering(register, "code_id", "codebook.csv")
    assert [v.message.split(" ")[0] for v in found] == ["K003"] and registers.check_numbering(register.iloc[:2], "code_id", "codebook.csv") == []


@case("data.validate.check_free_text")
def _(ds):
    table = by_line(pd.DataFrame({"claim_id": ["C1", "C2", "C3", "C4", "C5"], "statement": ["=1+1", "fine - and @ok", "bell\x07", "Itâ€™s", "-SUM(A1)"]}))
    res = {"schema": {"fields": [{"name": "claim_id", "type": "string"}, {"name": "statement", "type": "string"}]}}
    assert [line for line, _ in columns(validate.check_free_text(table, res, "claims.csv"))] == [2, 4, 5, 6]


@case("views.prose.reliability_words")
def _(ds):
    from analysis.views import prose

    table = pd.DataFrame(
        {"variable": ["a.x", "a.y", "a.z"], "units": [10, 10, 10], "alpha": [0.9, 0.5, float("nan")], "percent agreement": [99.0, 80.0, 100.0]}
    )
    words = prose.reliability_words(table)
    assert words.startswith("Of the 3 coded variables measured")
    assert "at least 0.8 for 1" in words and "below 0.667 for 1: a.y (80 % agreement on 10 units)" in words and "undefined for 1" in words
    assert "earlier round" not in words
    later = prose.reliability_words(table.assign(lowest=[0.42, 0.5, float("nan")]))  # a rounds table: a.x was low before
    assert later.endswith("below 0.667 for 1: a.x (0.420)")


@case("queries.statements.rests_on", "queries.statements.check_caveats", "queries.reliability.unreliable", "views.prose.caveat_words")
def _(ds):
    from analysis.views import prose

    book = pd.DataFrame({"code_id": ["K011", "K083"], "variable": ["claims.claim_id", "claims.claim_type"]})
    register = pd.DataFrame(
        {
            "statement_id": ["ST01", "ST02"],
            "chapter": ["chapters/a", "chapters/b"],
            "text": ["{claims_corroborated:None} corroborated", "{claims} claims"],
            "check": ["", ""],
            "caveat": ["", "one coder cut them"],
        }
    )
    assert statements.rests_on(register.iloc[0], book) == {"claims.claim_type"}
    weak = reliability.unreliable(pd.DataFrame({"variable": ["claims.claim_type", "claims.claim_id (present)"], "alpha": [0.3, 0.9]}))
    assert weak == {"claims.claim_type": 0.3}
    found = statements.check_caveats(register, book, weak)
    assert columns(found) == [(2, "caveat"), (3, "caveat")]
    assert "ST01 rests on" in found[0].message and "ST02 carries a caveat, but" in found[1].message
    assert prose.caveat_words(register, book, weak) == "ST01 rests on claims.claim_type and says so in a caveat"
    assert prose.caveat_words(register, book, {}).startswith("No coded variable")
