"""The loader: a clean load, and one test per kind of bad input, each naming the place."""

from pathlib import Path

import pytest

from analysis import ReportDataError, UnknownIdError, load_all
from analysis.load import read_csv_strings

TABLE_ROWS = {
    "entities": 26,
    "claims": 28,
    "activities": 13,
    "topics": 7,
    "directives": 11,
    "sentences": 15,
    "glossary": 18,
    "external_facts": 24,
    "claim_context": 21,
    "directive_evidence": 12,
    "inferences": 22,
    "codebook": 85,
    "recoding_log": 21,
    "translation_notes": 27,
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
    assert {k: len(v) for k, v in ds.tables.items()} == TABLE_ROWS
    assert str(ds.claims["value"].dtype) == "Float64"
    assert str(ds.claims["evaluative"].dtype) == "boolean"
    assert ds.claims.index.tolist() == list(range(len(ds.claims)))


def test_lookup_by_id(ds):
    assert ds.name("tiandy") == "Tiandy Technology Co., Ltd."
    assert ds.row("directives", "D08")["quantity"] == "a number of"
    with pytest.raises(UnknownIdError, match="unknown id 'huawei' in table 'entities'"):
        ds.entity("huawei")
    with pytest.raises(AttributeError):
        ds.no_such_table


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
    assert [str(x) for x in v] == [
        "data/claims.csv, line 11, column 'entity_id': unknown id 'tiandy_inc': no such entity_id in data/entities.csv"
    ]


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
    edit(scratch / "data/glossary.csv", "the Chinese Academies of Sciences or Engineering work with its staff.,academician expert workstations,3,", "the Chinese Academies of Sciences or Engineering work with its staff.,academician expert workstations,4,")
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
    assert any(x.file == "data/entities.csv" and x.line == 3 and x.column == "entity_type" and "'human' is not an allowed value" in x.message for x in v)
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
    assert any(x.file == "data/topics.csv" and x.line == 9 and "3 cells but the header has 8" in x.message for x in v)


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
    from analysis.load import default_root

    (scratch / "chapters").mkdir()
    monkeypatch.chdir(scratch / "chapters")
    monkeypatch.delenv("REPORT_ROOT", raising=False)
    assert default_root() == scratch
    monkeypatch.setenv("REPORT_ROOT", "/elsewhere")
    assert str(default_root()) == "/elsewhere"
    monkeypatch.delenv("REPORT_ROOT")
    monkeypatch.chdir("/")
    assert (default_root() / "analysis").is_dir()
