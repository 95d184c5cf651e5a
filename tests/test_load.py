"""The loader: a clean load, and one test per kind of bad input, each naming the place."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import ReportDataError, UnknownIdError, load_all
from analysis.data.load import CACHE_ENV, read_csv_strings

TABLE_ROWS = {
    "entities": 26,
    "claims": 28,
    "activities": 13,
    "topics": 9,
    "directives": 11,
    "sentences": 15,
    "glossary": 18,
    "external_facts": 43,
    "sources": 52,
    "claim_context": 27,
    "directive_evidence": 15,
    "inferences": 25,
    "statements": 60,
    "peers": 53,
    "other_tours": 3,
    "codebook": 92,
    "recoding_log": 100,
    "translation_notes": 29,
    "adjudication": 52,
    "codings": 5,
}


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(root: Path) -> list:
    with pytest.raises(ReportDataError) as exc:
        load_all(root)
    return exc.value.violations


def test_clean_load(ds):
    assert {k: len(ds.tables[k]) for k in TABLE_ROWS} == TABLE_ROWS
    assert list(ds.tables) == [res["name"] for res in ds.package["resources"]]
    assert str(ds.claims["value"].dtype) == "Float64"
    assert str(ds.claims["evaluative"].dtype) == "boolean"
    assert ds.claims.index.tolist() == list(range(len(ds.claims)))


def test_a_repeated_load_checks_each_table_once_and_shares_nothing(scratch):
    """Tables are memoised on their bytes, descriptor, path and source: an edit is seen, a caller's change is not."""
    first = load_all(scratch)
    first.claims.loc[0, "quote"] = "changed by a caller"
    assert load_all(scratch).claims.loc[0, "quote"] != "changed by a caller"
    edit(scratch / "data/claims.csv", ",28,", ",29,")
    assert any(v.file == "data/claims.csv" and v.column == "value" for v in problems(scratch))


def test_a_broken_cache_file_is_validated_again(scratch, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(scratch / "cache"))
    load_all(scratch)
    (cached,) = (scratch / "cache").glob("dataset-*.pickle")
    cached.write_bytes(cached.read_bytes()[:100])  # cut short, as by a crash
    assert len(load_all(scratch).claims) == TABLE_ROWS["claims"] and len(cached.read_bytes()) > 100


def test_an_empty_id_is_named_at_its_own_line_only(scratch):
    path = scratch / "data/entities.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = "," + lines[9].split(",", 1)[1]  # line 10's id emptied
    path.write_text("".join(lines), encoding="utf-8")
    v = [x for x in problems(scratch) if x.file == "data/entities.csv"]
    assert v and {x.line for x in v} == {10} and "a value is required" in " ".join(x.message for x in v)


def test_the_build_cache_serves_only_the_inputs_it_validated(scratch, monkeypatch):
    """With CACHE_ENV set (as the build sets it), a second load reads the first's result back; any edit is checked again."""
    monkeypatch.setenv(CACHE_ENV, str(scratch / "cache"))
    first = load_all(scratch)
    assert len(list((scratch / "cache").glob("dataset-*.pickle"))) == 1
    again = load_all(scratch)
    assert all(again.tables[t].equals(first.tables[t]) for t in first.tables) and again.text == first.text
    edit(scratch / "data/claims.csv", ",28,", ",29,")
    assert any(v.file == "data/claims.csv" and v.column == "value" for v in problems(scratch))


def test_lookup_by_id(ds):
    assert ds.row("entities", "tiandy")["canonical_name"] == "Tiandy Technology Co., Ltd."
    assert ds.row("directives", "D08")["quantity"] == "a number of"
    with pytest.raises(UnknownIdError, match="unknown id 'huawei' in table 'entities'"):
        ds.row("entities", "huawei")
    with pytest.raises(AttributeError):
        _ = ds.no_such_table


def test_missing_column(scratch):
    edit(scratch / "data/claims.csv", "claim_id,entity_id,", "claim_id,")
    v = problems(scratch)
    assert any(x.file == "data/claims.csv" and x.line == 1 and x.column == "entity_id" and "missing" in x.message for x in v)


def test_unknown_column(scratch):
    edit(scratch / "data/topics.csv", "topic_id,", "topic_id,extra,")
    v = problems(scratch)
    assert any(x.column == "extra" and "not in the data dictionary" in x.message for x in v)


def test_duplicate_id(scratch):
    edit(scratch / "data/claims.csv", "\nTD02,", "\nTD01,")
    v = problems(scratch)
    hits = [x for x in v if x.column == "claim_id" and "duplicate value 'TD01'" in x.message]
    assert {x.line for x in hits} == {11, 12} and hits[0].file == "data/claims.csv"


def test_dangling_reference(scratch):
    edit(scratch / "data/claims.csv", "TD01,tiandy,", "TD01,tiandy_inc,")
    v = problems(scratch)
    assert [str(x) for x in v] == ["data/claims.csv, line 11, column 'entity_id': unknown id 'tiandy_inc': no such entity_id in data/entities.csv"]


def test_dangling_reference_inside_a_list(scratch):
    edit(scratch / "data/external_facts.csv", "lu_lin|yi_qingtao", "lu_lin|yi_qintao")
    v = problems(scratch)
    assert any(x.file == "data/external_facts.csv" and x.column == "entity_ids" and "'yi_qintao'" in x.message for x in v)


def test_quote_not_in_source(scratch):
    edit(scratch / "data/claims.csv", "exported to more than 60", "exported to more than 70")
    v = problems(scratch)
    assert any(x.column == "quote" and x.line == 16 and "not found in the source" in x.message for x in v)


def test_wrong_offset(scratch):
    path = scratch / "data/directives.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].rstrip("\n").rsplit(",", 2)
    lines[1] = f"{cells[0]},{int(cells[1]) + 1},{int(cells[2]) + 1}\n"
    path.write_text("".join(lines), encoding="utf-8")
    v = problems(scratch)
    hit = [x for x in v if x.file == "data/directives.csv"]
    assert hit and hit[0].line == 2 and hit[0].column == "start" and "not at offsets" in hit[0].message


def test_wrong_paragraph(scratch):
    edit(
        scratch / "data/glossary.csv",
        "the Chinese Academies of Sciences or Engineering work with its staff.,academician expert workstations,3,",
        "the Chinese Academies of Sciences or Engineering work with its staff.,academician expert workstations,4,",
    )
    v = problems(scratch)
    assert any(x.column == "paragraph" and "in paragraph 3, not 4" in x.message for x in v)


def test_malformed_number(scratch):
    edit(scratch / "data/claims.csv", ",60,more than,", ",sixty,more than,")
    v = problems(scratch)
    assert any(x.line == 16 and x.column == "value" and "expected a number, found 'sixty'" in x.message for x in v)


def test_malformed_integer_offset(scratch):
    edit(scratch / "data/topics.csv", ",advanced experience,2,", ",advanced experience,two,")
    v = problems(scratch)
    assert any(x.file == "data/topics.csv" and x.line == 2 and x.column == "paragraph" and "whole number" in x.message for x in v)


def test_number_not_in_quote(scratch):
    edit(scratch / "data/claims.csv", ",28,,", ",29,,")
    v = problems(scratch)
    assert any(x.column == "value" and "29 is not written in the quote" in x.message for x in v)


def test_not_allowed_value_and_boolean(scratch):
    edit(scratch / "data/entities.csv", ",person,Lu Lin,", ",human,Lu Lin,")
    edit(scratch / "data/claims.csv", "Z01,binhai_htz,attribute,true,", "Z01,binhai_htz,attribute,yes,")
    v = problems(scratch)
    assert any(x.file == "data/entities.csv" and x.line == 3 and x.column == "entity_type" and "found 'human'; constraint \"enum\" is" in x.message for x in v)
    assert any(x.file == "data/claims.csv" and x.line == 2 and x.column == "evaluative" and "found 'yes'" in x.message for x in v)


def test_required_cell_empty(scratch):
    edit(scratch / "data/directives.csv", "D03,3,tan_chengxu,stated,stressed,learn_from_host,", "D03,3,tan_chengxu,stated,,learn_from_host,")
    v = problems(scratch)
    assert any(x.line == 4 and x.column == "mode" and "required" in x.message for x in v)


def test_empty_file(scratch):
    (scratch / "data/topics.csv").write_bytes(b"")
    v = problems(scratch)
    assert any(x.file == "data/topics.csv" and "empty" in x.message for x in v)


def test_header_only_file(scratch):
    path = scratch / "data/topics.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert any("no rows" in x.message for x in problems(scratch))


def test_non_utf8_file(scratch):
    path = scratch / "data/glossary.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    v = problems(scratch)
    hit = [x for x in v if x.file == "data/glossary.csv"]
    assert hit and "not valid UTF-8" in hit[0].message and hit[0].line == 2


def test_ragged_row(scratch):
    path = scratch / "data/topics.csv"
    path.write_text(path.read_text(encoding="utf-8") + "T99,A01,learning\n", encoding="utf-8")
    v = problems(scratch)
    assert any(x.file == "data/topics.csv" and x.line == 11 and "3 cells but the header has 8" in x.message for x in v)


def test_variant_not_in_source(scratch):
    edit(scratch / "data/entities.csv", "Tellyes Technology Co., Ltd.|Tellyes", "Tellyes Technology Co., Ltd.|Tellyes Inc")
    v = problems(scratch)
    assert any(x.column == "variants" and "'Tellyes Inc'" in x.message for x in v)


def test_unknown_citation_key(scratch):
    edit(scratch / "data/external_facts.csv", ",wef2018", ",wef2019")
    v = problems(scratch)
    assert any(x.column == "bib_keys" and "'wef2019' is not in references.bib" in x.message for x in v)


def test_sentence_missing_from_sentence_table(scratch):
    path = scratch / "data/sentences.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")
    v = problems(scratch)
    assert any(x.file == "data/sentences.csv" and "sentence 5 " in x.message for x in v)


def test_changed_source_is_refused(scratch):
    path = scratch / "data/source/article.txt"
    path.write_bytes(path.read_bytes().replace(b"High - tech", b"High-tech"))
    v = problems(scratch)
    assert any(x.file == "data/source/article.txt" and "SHA-256" in x.message for x in v)


def test_every_violation_is_reported_at_once(scratch):
    edit(scratch / "data/claims.csv", "TD01,tiandy,", "TD01,tiandy_inc,")
    edit(scratch / "data/topics.csv", ",advanced experience,2,", ",advanced experience,two,")
    (scratch / "data/glossary.csv").write_bytes(b"")
    with pytest.raises(ReportDataError) as exc:
        load_all(scratch)
    message = str(exc.value)
    assert message.startswith("3 problems in the report's data:")
    assert "data/claims.csv, line 11, column 'entity_id'" in message
    assert "data/topics.csv, line 2, column 'paragraph'" in message
    assert "data/glossary.csv: the file is empty" in message


def test_read_csv_strings_keeps_lines_and_blanks():
    frame, header, v = read_csv_strings(b'a,b\n1,\n\n"x\ny",2\n', "t.csv")
    assert header == ["a", "b"] and v == []
    assert frame.index.tolist() == [2, 5]  # the quoted line break spans lines 4-5
    assert frame.loc[2, "b"] is None


def test_bom_is_accepted():
    frame, header, v = read_csv_strings("\ufeffa\n1\n".encode("utf-8"), "t.csv")
    assert header == ["a"] and not v


def test_dangling_reference_to_any_of_several_tables(scratch):
    edit(scratch / "data/directive_evidence.csv", "E01,D03,A02,", "E01,D03,A99,")
    v = problems(scratch)
    assert [str(x) for x in v] == [
        "data/directive_evidence.csv, line 2, column 'evidence_id': unknown id 'A99': no such claim_id in data/claims.csv"
        " or activity_id in data/activities.csv or topic_id in data/topics.csv"
    ]


def test_malformed_date(scratch):
    edit(scratch / "data/external_facts.csv", ",2018-01-25,", ",2018-13-45,")
    v = problems(scratch)
    assert any(x.column == "date_start" and x.line == 13 and "YYYY-MM-DD" in x.message for x in v)


def test_default_root_follows_the_working_directory(scratch, monkeypatch):
    from analysis.data.load import default_root

    (scratch / "chapters").mkdir()
    monkeypatch.chdir(scratch / "chapters")
    monkeypatch.delenv("REPORT_ROOT", raising=False)
    assert default_root() == scratch
    monkeypatch.setenv("REPORT_ROOT", "/elsewhere")
    assert str(default_root()) == "/elsewhere"
    monkeypatch.delenv("REPORT_ROOT")
    monkeypatch.chdir("/")
    assert (default_root() / "analysis").is_dir()


# --- the probe of the first edition: every input it found accepted or badly reported --------------


@pytest.mark.parametrize("date", ["25/01/2018", "01/02/2018", "25 January 2018", "2018/01/25", "20180125", "2018", "2018-1-25"])
def test_a_date_not_written_iso_is_refused_with_its_cell(scratch, date):
    edit(scratch / "data/external_facts.csv", ",2018-01-25,", f",{date},")
    v = problems(scratch)
    assert [str(x) for x in v] == [
        f"data/external_facts.csv, line 13, column 'date_start': expected a date written YYYY-MM-DD, a real day between 1949-10-01 and today, found {date!r}"
    ]


def test_a_table_that_fails_is_never_dropped_silently(scratch):
    # the first edition returned a Dataset without external_facts; chapters then failed with AttributeError
    edit(scratch / "data/external_facts.csv", ",2018-09-18,2018-09-20,", ",18/09/2018,2018-09-20,")
    with pytest.raises(ReportDataError, match=r"data/external_facts.csv, line 2, column 'date_start'"):
        load_all(scratch)


def test_date_end_before_date_start(scratch):
    edit(scratch / "data/external_facts.csv", ",2018-09-18,2018-09-20,", ",2018-09-18,2018-09-08,")
    assert [str(x) for x in problems(scratch)] == ["data/external_facts.csv, line 2, column 'date_end': 2018-09-08 is before date_start 2018-09-18"]


def test_an_id_with_a_trailing_line_break_is_refused(scratch):
    edit(scratch / "data/claims.csv", "\nTD08,", '\n"TD08\n",')
    v = problems(scratch)
    assert any(x.file == "data/claims.csv" and x.column == "claim_id" and 'constraint "pattern" is' in x.message for x in v)


def test_a_row_copied_under_a_new_id_is_refused(scratch):
    path = scratch / "data/claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    td01 = next(l for l in lines if l.startswith("TD01,"))
    path.write_text("".join(lines) + td01.replace("TD01,", "TD99,", 1), encoding="utf-8")
    v = problems(scratch)
    assert [str(x) for x in v] == [
        f"data/claims.csv, line {len(lines) + 1}, column 'claim_id': row 'TD99' repeats row 'TD01' (line 11) in every column but claim_id (ignoring case and spacing): the same content under two ids"
    ]


def test_a_link_copied_under_a_new_id_is_refused(scratch):
    path = scratch / "data/claim_context.csv"
    path.write_text(path.read_text(encoding="utf-8") + "L99,TD03,X18,no_source_found\n", encoding="utf-8")
    v = problems(scratch)
    assert any(x.file == "data/claim_context.csv" and x.column == "link_id" and "repeats row 'L01' (line 2)" in x.message for x in v)


def test_the_dictionary_may_allow_copies(scratch):
    path = scratch / "data/claim_context.csv"
    path.write_text(path.read_text(encoding="utf-8") + "L99,TD03,X18,no_source_found\n", encoding="utf-8")
    edit(scratch / "data/datapackage.yaml", "    path: claim_context.csv\n", "    path: claim_context.csv\n    allowDuplicateRows: true\n")
    assert len(load_all(scratch).claim_context) == TABLE_ROWS["claim_context"] + 1


def test_true_capitalised_in_a_boolean_column_gives_one_message(scratch):
    edit(scratch / "data/claims.csv", "Z01,binhai_htz,attribute,true,", "Z01,binhai_htz,attribute,True,")
    assert [str(x) for x in problems(scratch)] == ["data/claims.csv, line 2, column 'evaluative': expected one of true, false, found 'True'"]


def test_nan_is_not_a_number(scratch):
    edit(scratch / "data/claims.csv", ",60,more than,", ",nan,more than,")
    assert [str(x) for x in problems(scratch)] == ["data/claims.csv, line 16, column 'value': expected a number, found 'nan'"]


@pytest.mark.parametrize("value", ["1_000", " 28", "\u0662\u0668", "Infinity"])
def test_a_number_not_written_in_plain_digits_is_refused(scratch, value):
    edit(scratch / "data/claims.csv", ",28,,", f",{value},,")
    v = problems(scratch)
    assert [(x.file, x.column, x.message) for x in v] == [("data/claims.csv", "value", f"expected a number, found {value!r}")]


def test_non_utf8_article_keeps_the_source_changed_message(scratch):
    path = scratch / "data/source/article.txt"
    path.write_bytes(path.read_bytes().replace("Tianjin’s".encode(), "Tianjin’s".encode("cp1252")))
    v = problems(scratch)
    assert any(x.file == "data/source/article.txt" and "the source has been changed" in x.message for x in v)
    assert any(x.file == "data/source/article.txt" and x.line == 1 and "not valid UTF-8" in x.message for x in v)


@pytest.mark.parametrize("name", ["references.bib", "data/datapackage.yaml", "data/source/SOURCE.yaml"])
def test_non_utf8_files_are_named(scratch, name):
    path = scratch / name
    path.write_bytes(
        path.read_bytes().replace(b"People's", "Peopl\u00e9's".encode("latin-1"), 1)
        if b"People's" in path.read_bytes()
        else path.read_bytes() + "# caf\u00e9\n".encode("latin-1")
    )
    v = problems(scratch)
    assert any(x.file == name and x.line and "not valid UTF-8" in x.message for x in v), [str(x) for x in v]


@pytest.mark.parametrize("name", ["references.bib", "data/datapackage.yaml", "data/source/SOURCE.yaml", "data/source/article.txt", "data/sources.csv"])
def test_a_missing_file_is_a_report_data_error(scratch, name):
    (scratch / name).unlink()
    assert any(x.file == name and "does not exist" in x.message for x in problems(scratch))


def test_yaml_syntax_error_names_the_file_and_line(scratch):
    edit(scratch / "data/datapackage.yaml", "  - name: claims\n", "  - name: claims\n   bad: [\n")
    v = problems(scratch)
    assert len(v) == 1 and v[0].file == "data/datapackage.yaml" and v[0].line and "YAML syntax error" in v[0].message
    edit(scratch / "data/datapackage.yaml", "   bad: [\n", "")
    edit(scratch / "data/source/SOURCE.yaml", "file: article.txt", "file: [article.txt")
    v = problems(scratch)
    assert v[0].file == "data/source/SOURCE.yaml" and "YAML syntax error" in v[0].message


def test_abbreviations_must_be_a_list_of_words(scratch):
    edit(scratch / "data/source/SOURCE.yaml", 'abbreviations: ["Co.", "Ltd."]', "abbreviations: Co.")
    v = problems(scratch)
    assert any(x.file == "data/source/SOURCE.yaml" and x.column == "abbreviations" and "list" in x.message for x in v)


@pytest.mark.parametrize("scheme", ["javascript:alert('x')", "data:text/html,<script>alert(1)</script>", "ftp://example.org/x", "//example.org/x"])
def test_a_bib_url_that_is_not_http_is_refused(scratch, scheme):
    edit(scratch / "references.bib", "url          = {http://www.chinastemcell.com}", f"url          = {{{scheme}}}")
    v = problems(scratch)
    assert len(v) == 1 and v[0].file == "references.bib" and v[0].column == "url"
    assert "entry 'chinastemcell'" in v[0].message and "not an http or https URL" in v[0].message
    text = (scratch / "references.bib").read_text(encoding="utf-8")
    assert text.splitlines()[v[0].line - 1].startswith("@misc{chinastemcell")


def test_a_url_inside_another_bib_field_is_checked_too(scratch):
    edit(scratch / "references.bib", "howpublished = {100md.com},", "howpublished = {\\url{javascript:alert(1)}},")
    v = problems(scratch)
    assert [(x.file, x.column) for x in v] == [("references.bib", "howpublished")] and "entry 'md2001'" in v[0].message


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "  year         = {2013},\n  month        = sep,\n  url          = {http://news.wenweipo",
            "  year         = {2013,\n  month        = sep,\n  url          = {http://news.wenweipo",
            "BibTeX syntax error",
        ),
        ("@misc{md2001,", "@misc{wef2018,", "repeated bibliography entry"),
    ],
)
def test_a_broken_bibliography_names_the_file(scratch, old, new, message):
    edit(scratch / "references.bib", old, new)
    v = problems(scratch)
    assert any(x.file == "references.bib" and x.line and message in x.message for x in v), [str(x) for x in v]


def test_a_number_followed_by_a_comma_is_read_as_the_number():
    from analysis.data.validate import NUMBER_IN_TEXT, check_numbers_in_quotes

    assert NUMBER_IN_TEXT.findall("it has 28, of which 1,000.5 and 4.0, and 1,879") == ["28", "1,000.5", "4.0", "1,879"]
    res = {"schema": {"fields": [{"name": "value", "type": "number", "appearsInQuote": True}]}}
    table = pd.DataFrame({"value": [28.0, 1000.0], "quote": ["owns 28, more or less", "more than 1,000."]}, index=[2, 3])
    assert check_numbers_in_quotes(table, res, "t.csv") == []


def test_a_long_timeline_label_is_refused(scratch):
    edit(scratch / "data/external_facts.csv", '"Summer Davos, Tianjin"', "Summer Davos " + "x" * 100)
    v = problems(scratch)
    assert len(v) == 1 and v[0].line == 2 and v[0].column == "timeline_label" and "113 characters" in v[0].message


# --- outside sources and their independence (issue 8) ----------------------------------------------


def test_every_bib_entry_has_one_source_row(ds):
    assert set(ds.sources.bib_key) == set(ds.bibliography)
    assert set(ds.sources.independence) <= {"independent", "company", "same_publisher", "government_self_report"}


def test_a_bib_entry_without_a_source_row_is_refused(scratch):
    path = scratch / "data/sources.csv"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(keepends=True) if not l.startswith("md2001,")), encoding="utf-8")
    v = problems(scratch)
    line = next(i for i, l in enumerate((scratch / "references.bib").read_text(encoding="utf-8").splitlines(), 1) if l.startswith("@misc{md2001,"))
    assert [str(x) for x in v] == [f"references.bib, line {line}: entry 'md2001' has no row in data/sources.csv (column 'bib_key')"]


def test_a_source_row_without_a_bib_entry_is_refused(scratch):
    path = scratch / "data/sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "nosuch2020,Someone,independent,,\n", encoding="utf-8")
    v = problems(scratch)
    assert any(x.file == "data/sources.csv" and x.column == "bib_key" and "'nosuch2020' is not in references.bib" in x.message for x in v)


def test_corroboration_by_a_company_source_is_refused(scratch):
    edit(scratch / "data/claim_context.csv", "L25,DL01,X35,company_statement", "L25,DL01,X35,corroborates")
    assert [str(x) for x in problems(scratch)] == [
        "data/claim_context.csv, line 26, column 'relation': 'corroborates' needs an outside fact with at least one independent source;"
        " X35 cites dalian2018sibling (same_publisher)"
    ]


def _mini_root(tmp_path: Path, relation: str, grades: dict[str, str]) -> Path:
    """A tiny data root: one source text, one claim, one outside fact citing the given sources, one link."""
    import hashlib

    import yaml

    root = tmp_path / "mini"
    (root / "data/source").mkdir(parents=True)
    text = "Acme makes widgets.\n"
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "data/source/article.txt").write_text(text, encoding="utf-8")
    (root / "data/source/SOURCE.yaml").write_text(f"sha256: {sha}\n", encoding="utf-8")
    (root / "references.bib").write_text(
        "".join(f"@misc{{{k},\n  title = {{{k}}},\n  url = {{https://example.org/{k}}}\n}}\n" for k in grades), encoding="utf-8"
    )

    def s(name, **kw):
        return {"name": name, "type": "string", **kw}

    package = {
        "name": "mini",
        "source": {"path": "source/article.txt", "sha256": sha},
        "resources": [
            {"name": "claims", "path": "claims.csv", "schema": {"primaryKey": "claim_id", "fields": [s("claim_id"), s("statement")]}},
            {
                "name": "external_facts",
                "path": "external_facts.csv",
                "schema": {"primaryKey": "fact_id", "fields": [s("fact_id"), s("bib_keys", separator="|", citesBibliography=True)]},
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "schema": {"primaryKey": "bib_key", "fields": [s("bib_key", coversBibliography=True), s("independence")]},
            },
            {
                "name": "claim_context",
                "path": "claim_context.csv",
                "schema": {
                    "primaryKey": "link_id",
                    "foreignKeys": [
                        {"fields": "claim_id", "reference": {"resource": "claims", "fields": "claim_id"}},
                        {"fields": "fact_id", "reference": {"resource": "external_facts", "fields": "fact_id"}},
                    ],
                    "fields": [s("link_id"), s("claim_id"), s("fact_id"), s("relation")],
                },
            },
        ],
    }
    (root / "data/datapackage.yaml").write_text(yaml.safe_dump(package, sort_keys=False), encoding="utf-8")
    (root / "data/claims.csv").write_text("claim_id,statement\nC1,Acme makes widgets\n", encoding="utf-8")
    (root / "data/external_facts.csv").write_text(f"fact_id,bib_keys\nF1,{'|'.join(grades)}\n", encoding="utf-8")
    (root / "data/sources.csv").write_text("bib_key,independence\n" + "".join(f"{k},{g}\n" for k, g in grades.items()), encoding="utf-8")
    (root / "data/claim_context.csv").write_text(f"link_id,claim_id,fact_id,relation\nL1,C1,F1,{relation}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "grades, refused",
    [
        ({"acme": "company"}, True),
        ({"city": "same_publisher"}, True),
        ({"zone": "government_self_report", "acme": "company"}, True),
        ({"paper": "independent"}, False),
        ({"acme": "company", "paper": "independent"}, False),
    ],
)
def test_corroboration_rule_on_a_synthetic_dataset(tmp_path, grades, refused):
    root = _mini_root(tmp_path, "corroborates", grades)
    if not refused:
        assert load_all(root).claim_context.relation.tolist() == ["corroborates"]
        return
    v = problems(root)
    assert [(x.file, x.line, x.column) for x in v] == [("data/claim_context.csv", 2, "relation")]
    assert "at least one independent source" in v[0].message


def test_a_company_statement_needs_no_independent_source(tmp_path):
    assert len(load_all(_mini_root(tmp_path, "company_statement", {"acme": "company"})).claim_context) == 1


def test_list_fields_are_loaded_once_as_tuples(ds):
    """Every field with a ``separator`` comes back as tuples of strings (``()`` when empty): no consumer splits "a|b"."""
    from analysis.data.schema import fields

    listed = [(res["name"], f["name"], f["separator"]) for res in ds.package["resources"] for f in fields(res) if f.get("separator")]
    assert {(t, c) for t, c, _ in listed} >= {("external_facts", "entity_ids"), ("external_facts", "bib_keys"), ("entities", "variants")}
    for table, column, sep in listed:
        cells = ds.tables[table][column]
        assert all(isinstance(v, tuple) and all(isinstance(x, str) and x and sep not in x for x in v) for v in cells), (table, column)
    assert ds.row("external_facts", "X01")["entity_ids"] == ("summer_davos_2018",)


def test_the_typed_tables_match_a_plain_reading_of_the_files(ds, root):
    """Each table is its CSV read as text by pandas and cast by the dictionary's type: the loader's output, whatever checks it."""
    cast = {
        "string": lambda s: s.astype("str"),
        "integer": lambda s: s.astype("Int64"),
        "number": lambda s: s.astype("Float64"),
        "boolean": lambda s: s.map({"true": True, "false": False, None: None}).astype("boolean"),
        "date": lambda s: pd.to_datetime(s).astype("datetime64[ns]"),
    }
    for res in ds.package["resources"]:
        raw = pd.read_csv(root / "data" / res["path"], dtype=object, keep_default_na=False).replace("", None)
        for f in res["schema"]["fields"]:
            cells, sep = raw[f["name"]], f.get("separator")
            want = cells.map(lambda v, sep=sep: tuple(v.split(sep)) if isinstance(v, str) else ()) if sep else cast[f["type"]](cells)
            pd.testing.assert_series_equal(ds.tables[res["name"]][f["name"]], want, check_names=False, check_exact=True)
