"""The registers: rows shown on the pages (``_ext/registers.py``), the codebook check and the recoding log.

Everything here runs on small synthetic inputs. That a registered row shown nowhere fails the
strict build is shown end to end in ``tests/test_mutations.py``.
"""

from __future__ import annotations

import sys

import pandas as pd

from analysis.data.registers import allowed_codes, basis_kind, check_basis, check_codebook, check_recoding_log
from analysis.queries.codebook import changes_per_variable
from analysis.queries.inferences import page_link

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

from docutils import nodes

import registers


def test_shown_rows_are_collected_from_the_page():
    """A box (admonition of class inference), a statement (inline of class statement) and a heading that states one
    (a section given the statement's id and class by block attributes) are noted with their page."""

    class Env:
        docname = "chapters/visit"

    class App:
        env = Env()

    doc = nodes.document(None, None)
    doc += nodes.admonition(classes=["caution", "inference"], ids=["inference-i09"])
    para = nodes.paragraph()
    para += nodes.inline(classes=["statement"], ids=["statement-st20"])
    doc += para
    doc += nodes.section(classes=["statement"], ids=["statement-st21"])
    registers._collect(App(), doc)
    assert sorted(App.env.report_register_uses) == [
        ("inferences", "chapters/visit", "I09"),
        ("statements", "chapters/visit", "ST20"),
        ("statements", "chapters/visit", "ST21"),
    ]


def test_rows_shown_nowhere_or_twice_are_problems():
    shown = [("statements", "chapters/a", "ST01"), ("statements", "chapters/a", "ST02"), ("statements", "chapters/b", "ST02")]
    problems = registers.register_problems(
        "statements", {"ST01": "chapters/a", "ST02": "chapters/a", "ST03": "chapters/b", "ST04": "chapters/c"}, shown, {"chapters/a", "chapters/b"}
    )
    assert [c for c, _ in problems] == ["chapters/a", "chapters/b"]
    assert "shown 2 times" in problems[0][1] and "no page shows it" in problems[1][1] and "say.ST03" in problems[1][1]


def test_basis_items_are_classified_and_checked():
    assert [basis_kind(x) for x in ("S03", "TD06", "wef2018", "translation practice")] == ["id", "id", "key", "phrase"]
    inf = pd.DataFrame({"basis": ["S03|wef2018|genre practice", "Z99|nokey2020"]}, index=[2, 3])
    out = check_basis(inf, {"S03"}, {"wef2018"}, "data/inferences.csv")
    assert [(v.line, v.column) for v in out] == [(3, "basis"), (3, "basis")]
    assert "Z99" in out[0].message and "nokey2020" in out[1].message


def test_page_link_points_at_the_box():
    assert page_link("chapters/directives", "I03") == "directives.html#inference-i03"


# --- the codebook check -----------------------------------------------------------------------

PACKAGE = {
    "resources": [
        {
            "name": "things",
            "schema": {
                "primaryKey": "thing_id",
                "fields": [
                    {"name": "thing_id", "type": "string", "constraints": {"required": True}},
                    {"name": "kind", "type": "string", "constraints": {"required": True, "enum": ["a", "b"]}},
                    {"name": "flag", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}},
                    {"name": "size", "type": "string", "constraints": {"enum": ["big"]}},
                    {"name": "note", "type": "string"},
                ],
            },
        }
    ]
}


def _codebook(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["variable", "code"], index=range(2, 2 + len(rows)))


def test_codebook_accepts_a_complete_codebook():
    cb = _codebook(
        [
            ("things.kind", "a"),
            ("things.kind", "b"),
            ("things.flag", "true"),
            ("things.flag", "false"),
            ("things.size", "big"),
            ("things.size", "(empty)"),
            ("things.note", "unit"),
            ("ledger.grade", "anything"),
        ]
    )
    assert check_codebook(cb, PACKAGE, "data/codebook.csv") == []


OTHER_CODED = [("things.flag", "true"), ("things.flag", "false"), ("things.size", "big")]


def test_codebook_refuses_an_enum_code_without_a_row():
    cb = _codebook([("things.kind", "a"), *OTHER_CODED])
    [v] = check_codebook(cb, PACKAGE, "data/codebook.csv")
    assert (v.file, v.line, v.column) == ("data/codebook.csv", 2, "code") and "'b'" in v.message


def test_codebook_refuses_unknown_codes_and_variables():
    cb = _codebook([("things.kind", "a"), ("things.kind", "b"), ("things.kind", "c"), ("things.colour", "red"), ("nothing", "x"), *OTHER_CODED])
    out = check_codebook(cb, PACKAGE, "data/codebook.csv")
    assert [(v.line, v.column) for v in out] == [(4, "code"), (5, "variable"), (6, "variable")]


def test_allowed_codes_of_optional_and_boolean_columns():
    fields = {f["name"]: f for f in PACKAGE["resources"][0]["schema"]["fields"]}
    assert allowed_codes(fields["size"]) == ["big", "(empty)"]
    assert allowed_codes(fields["flag"]) == ["true", "false"]
    assert allowed_codes(fields["note"]) is None


# --- the recoding log ------------------------------------------------------------------------


def _log(rows):
    return pd.DataFrame(rows, columns=["table", "row_id", "column", "old", "new", "rule"], index=range(2, 2 + len(rows)))


def test_recoding_log_must_agree_with_the_data():
    things = pd.DataFrame({"thing_id": ["T1", "T2"], "kind": ["a", "b"], "flag": pd.array([True, False], dtype="boolean")})
    log = _log(
        [
            ("things", "T1", "kind", "b", "a", "r"),
            ("things", "T2", "flag", "true", "false", "r"),
            ("things", "T2", "kind", "b", "a", "r"),
            ("things", "T9", "kind", "a", "b", "r"),
            ("things", "T1", "(row)", "T1,a", "", "split"),
            ("things", "T1", "flag", "true", "true", "changes nothing"),
        ]
    )
    out = check_recoding_log(log, {"things": things}, PACKAGE, "data/recoding_log.csv")
    assert [(v.line, v.column) for v in out] == [(4, "new"), (5, "row_id"), (7, "old")]


def test_changes_per_variable_counts_rows_not_log_lines():
    class DS:
        tables = {"things": pd.DataFrame({"thing_id": ["T1", "T2", "T3"]})}
        recoding_log = _log(
            [
                ("things", "T1", "kind", "b", "a", "r"),
                ("things", "T1", "kind", "a", "b", "r"),
                ("things", "T2", "kind", "b", "a", "r"),
                ("things", "T2", "flag", "x", "y", "r"),
            ]
        )

        def rows(self, table):
            return len(self.tables[table])

    counts = changes_per_variable(DS())
    assert counts.to_dict("records") == [
        {"variable": "things.kind", "rows changed": 2, "rows at any time": 3},
        {"variable": "things.flag", "rows changed": 1, "rows at any time": 3},
    ]


def test_removed_rows_count_under_their_table():
    class DS:
        tables = {"things": pd.DataFrame({"thing_id": ["T1"]})}
        recoding_log = _log([("things", "T2", "(row)", "a,b", "", "r"), ("things", "T3", "(row)", "a,b", "", "r")])

        def rows(self, table):
            return len(self.tables[table])

    assert changes_per_variable(DS()).to_dict("records") == [{"variable": "things: rows removed", "rows changed": 2, "rows at any time": 3}]


def test_cross_table_checks_wait_for_every_table():
    from analysis.data.registers import check_registers

    package = {"resources": [*PACKAGE["resources"], {"name": "inferences", "schema": {"primaryKey": "inference_id", "fields": []}}]}
    inf = pd.DataFrame({"inference_id": ["I01"], "basis": ["Z99"]}, index=[2])
    files = {"inferences": "data/inferences.csv"}
    assert check_registers({"inferences": inf}, package, files, set()) == []  # 'things' failed to load: no dangling-id noise
    things = pd.DataFrame({"thing_id": ["T1"]})
    [v] = check_registers({"inferences": inf, "things": things}, package, files, set())
    assert (v.line, v.column) == (2, "basis")


def test_translation_table_links_rows_and_boxes(ds):
    from analysis.views.listings import translation_table

    t = translation_table(ds)
    assert len(t.frame) == len(ds.translation_notes)
    row = t.frame.iloc[ds.translation_notes.index[ds.translation_notes.quote == "It is demanded to"][0]]
    assert "D06" in row["rows it affects"]
    assert row["inference"] == "I02" and row["inference"].target == "inference-i02"
    assert "[I02](#inference-i02)" in t.to_markdown() and "(#q-tn" in t.to_markdown()


def test_log_table_lists_every_inference_with_its_page(ds):
    from analysis.views.listings import log_table

    t = log_table(ds, {"chapters/source": "The source"})
    assert len(t.frame) == len(ds.inferences)
    boxed = t.frame["boxed in"].tolist()
    assert "The source" in boxed and boxed[boxed.index("The source")].target == "inference-i01"
    assert t.label == "tbl-inferences" and "[The source](#inference-i01)" in t.to_markdown()


def test_codebook_must_cover_every_coded_column_of_a_table_it_covers():
    cb = _codebook([("things.kind", "a"), ("things.kind", "b")])
    out = check_codebook(cb, PACKAGE, "data/codebook.csv")
    assert sorted(v.message.split(" ")[0] for v in out) == ["things.flag", "things.size"]
    assert all(v.column == "variable" and v.line is None for v in out)
