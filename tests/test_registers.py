"""The registers: inference boxes (``_ext/registers.py``), the codebook check and the recoding log.

Everything here runs on small synthetic inputs: a tiny Sphinx project built in a
temporary folder, and toy data dictionaries.
"""

from __future__ import annotations

import sys
import textwrap
from io import StringIO
from pathlib import Path

import pandas as pd

from analysis.data.registers import allowed_codes, basis_kind, check_basis, check_codebook, check_recoding_log
from analysis.queries.codebook import changes_per_variable
from analysis.queries.inferences import page_link

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import registers

REGISTER = """inference_id,title,statement,basis,confidence,chapter
I01,A <b>bold</b> guess,The visit was on a Monday & not later.,S03|translation practice,high,page_a
I02,Another guess,Something else.,genre practice,low,page_b
"""


def _project(tmp_path: Path, pages: dict[str, str], register: str = REGISTER) -> Path:
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "data" / "inferences.csv").write_text(register, encoding="utf-8")
    (src / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "_ext")!r})
            extensions = ["myst_parser", "registers"]
            myst_enable_extensions = ["colon_fence"]
            exclude_patterns = ["_build", "data"]
            """
        )
    )
    toc = "\n".join(pages)
    (src / "index.md").write_text(f"# Index\n\n```{{toctree}}\n{toc}\n```\n")
    for name, body in pages.items():
        (src / f"{name}.md").write_text(body, encoding="utf-8")
    return src


def _build(src: Path) -> tuple[str, Path]:
    from sphinx.application import Sphinx

    out, warnings = src.parent / "out", StringIO()
    app = Sphinx(str(src), str(src), str(out), str(src.parent / "doctrees"), "html", status=None, warning=warnings, freshenv=True)
    app.build()
    return warnings.getvalue(), out


def test_box_renders_row_escaped_with_body(tmp_path):
    src = _project(tmp_path, {"page_a": "# A\n\n```{inference} I01\nMore *context*.\n```\n", "page_b": "# B\n\n```{inference} I02\n```\n"})
    warnings, out = _build(src)
    assert "inference" not in warnings.lower(), warnings
    page = (out / "page_a.html").read_text(encoding="utf-8")
    assert 'id="inference-i01"' in page and "caution" in page
    assert "Inference I01: A &lt;b&gt;bold&lt;/b&gt; guess" in page  # title escaped, not markup
    assert "Monday &amp; not later" in page and "<em>context</em>" in page
    assert "Confidence: </strong>high" in page and "translation practice" in page


def test_unknown_id_is_a_warning_with_location(tmp_path):
    src = _project(tmp_path, {"page_a": "# A\n\n```{inference} I01\n```\n\n```{inference} I99\n```\n", "page_b": "# B\n\n```{inference} I02\n```\n"})
    warnings, _ = _build(src)
    assert "page_a.md:" in warnings and "I99: no such row" in warnings


def test_unboxed_and_misplaced_inferences_are_warnings(tmp_path):
    src = _project(tmp_path, {"page_a": "# A\n\n```{inference} I02\n```\n", "page_b": "# B\n"})
    warnings, _ = _build(src)
    assert "I01 is registered" in warnings and "no page boxes it" in warnings
    assert "I02 is registered for page_b but boxed on page_a" in warnings


def test_role_links_to_the_box_on_its_page(tmp_path):
    src = _project(
        tmp_path, {"page_a": "# A\n\n```{inference} I01\n```\n", "page_b": "# B\n\nSee {inference}`I01` and {inference}`I77`.\n\n```{inference} I02\n```\n"}
    )
    warnings, out = _build(src)
    ours = [w for w in warnings.splitlines() if "inference" in w and "already registered" not in w]
    assert len(ours) == 1 and "page_b.md:3" in ours[0] and "I77" in ours[0]
    assert 'href="page_a.html#inference-i01"' in (out / "page_b.html").read_text(encoding="utf-8")


def test_unboxed_problems_counts_duplicates():
    reg = {"I01": {"chapter": "a"}, "I02": {"chapter": "b"}}
    problems = registers.unboxed_problems(reg, [("a", "I01", 3), ("a", "I01", 9)])
    assert [c for c, _ in problems] == ["a", "b"]
    assert "boxed 2 times" in problems[0][1] and "no page boxes it" in problems[1][1]


# --- the inference register's basis ---------------------------------------------------------


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
            ("things", "T1", "(row)", "", "", "split"),
        ]
    )
    out = check_recoding_log(log, {"things": things}, PACKAGE, "data/recoding_log.csv")
    assert [(v.line, v.column) for v in out] == [(4, "new"), (5, "row_id")]


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
        {"variable": "things.kind", "rows changed": 2, "rows coded": 3},
        {"variable": "things.flag", "rows changed": 1, "rows coded": 3},
    ]


def test_removed_rows_count_under_their_table():
    class DS:
        tables = {"things": pd.DataFrame({"thing_id": ["T1"]})}
        recoding_log = _log([("things", "T2", "(row)", "a,b", "", "r"), ("things", "T3", "(row)", "a,b", "", "r")])

        def rows(self, table):
            return len(self.tables[table])

    assert changes_per_variable(DS()).to_dict("records") == [{"variable": "things: rows removed", "rows changed": 2, "rows coded": 3}]


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


def test_strict_build_fails_on_an_unknown_id(tmp_path):
    import subprocess

    src = _project(tmp_path, {"page_a": "# A\n\n```{inference} I01\n```\n\n```{inference} I99\n```\n", "page_b": "# B\n\n```{inference} I02\n```\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode != 0 and "I99" in proc.stderr
