"""The bad-input probe of the second edition (reviews/second-edition-probe.md), one test per defect or gap.

Each input is refused with a ReportDataError naming file, line and column, or made impossible. The
build-time cases (a chapter printing a local path, stale downloads, a stale figure) are in
tests/test_rebuild.py, which builds the book: ``test_a_broken_chapter_stops_the_strict_build[prints a
local path]`` and ``test_a_table_edit_runs_its_readers_and_reaches_pages_and_downloads`` (stale downloads
and a stale figure).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from analysis import ReportDataError, load_all
from analysis.data.load import edition
from analysis.views.prose import boxer

from bookutil import ROOT


def set_cell(path: Path, row_id: str, column: str, value: str) -> int:
    """Write ``value`` into one cell of a CSV (the row whose first column is ``row_id``); returns the row's file line."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    line = next(i for i, r in enumerate(rows) if r and r[0] == row_id)
    rows[line][col] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line + 1


def refused(root: Path) -> list:
    with pytest.raises(ReportDataError) as exc:
        load_all(root)
    return exc.value.violations


def where(violations) -> set[tuple]:
    return {(v.file, v.line, v.column) for v in violations}


# ---------------------------------------------------------------- the four defects


def test_date_1018_in_peers_date_is_a_data_error(scratch):
    line = set_cell(scratch / "data/peers.csv", "P02", "date", "1018-06-22")
    assert ("data/peers.csv", line, "date") in where(refused(scratch))


def test_subject_leader_misspelt_is_a_data_error_not_a_crash(scratch):
    line = set_cell(scratch / "data/peers.csv", "P01", "leader", "Tan Cheng-xu")
    found = refused(scratch)
    assert ("data/peers.csv", line, "leader") in where(found)
    assert any("not the canonical_name of a person" in v.message for v in found)


# ---------------------------------------------------------------- the gaps


def test_spreadsheet_formula_in_a_text_cell_is_refused(scratch):
    line = set_cell(scratch / "data/peers.csv", "P02", "note", '=HYPERLINK("http://x.example","click")')
    line2 = set_cell(scratch / "data/glossary.csv", "G01", "explanation", "@SUM(1+1)|cmd")
    assert {("data/peers.csv", line, "note"), ("data/glossary.csv", line2, "explanation")} <= where(refused(scratch))


def test_subject_dated_2081_is_refused(scratch):
    line = set_cell(scratch / "data/peers.csv", "P01", "date", "2081-09-01")
    assert ("data/peers.csv", line, "date") in where(refused(scratch))


@pytest.mark.parametrize("change", [" ", "case"])
def test_near_duplicate_row_by_trailing_space_or_case_is_refused(scratch, change):
    path = scratch / "data/other_tours.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    copy = list(rows[1])
    copy[0] = "O99"
    note = rows[0].index("note") if "note" in rows[0] else len(copy) - 1
    copy[note] = copy[note] + " " if change == " " else copy[note].upper()
    rows.append(copy)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    found = refused(scratch)
    assert any(v.file == "data/other_tours.csv" and v.line == len(rows) and "repeats row" in v.message for v in found), found


def test_bel_control_character_is_refused(scratch):
    line = set_cell(scratch / "data/peers.csv", "P02", "note", "a bell \x07 here")
    assert ("data/peers.csv", line, "note") in where(refused(scratch))


def test_mojibake_is_refused(scratch):
    line = set_cell(scratch / "data/external_facts.csv", "X01", "statement", "The Forumâ€™s meeting")
    found = refused(scratch)
    assert ("data/external_facts.csv", line, "statement") in where(found) and any("mojibake" in v.message for v in found)


def test_codebook_row_k001_deleted_is_caught(scratch):
    path = scratch / "data/codebook.csv"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(keepends=True) if not l.startswith("K001,")), encoding="utf-8")
    assert any(v.file == "data/codebook.csv" and "K001 is missing" in v.message for v in refused(scratch))


def test_inference_row_deleted_is_caught(scratch, ds):
    path = scratch / "data/inferences.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith("I03,")), encoding="utf-8")
    assert any(v.file == "data/inferences.csv" and "I03 is missing" in v.message for v in refused(scratch))
    # the last row leaves no gap; the chapter that boxes it stops instead
    path.write_text("".join(l for l in lines if not l.startswith("I25,")), encoding="utf-8")
    reduced = load_all(scratch)
    with pytest.raises(ReportDataError, match="I25"):
        boxer(reduced, str(ds.inferences.set_index("inference_id").loc["I25", "chapter"]))("I25")


def test_duplicate_key_in_datapackage_is_refused(scratch):
    path = scratch / "data/datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: A second title\ntitle: ", 1), encoding="utf-8")
    found = refused(scratch)
    assert any(v.file == "data/datapackage.yaml" and v.line is not None and "duplicate key 'title'" in v.message for v in found), found


@pytest.mark.parametrize("key", ["path", "metadata"])
def test_source_path_outside_data_is_refused(scratch, key):
    path = scratch / "data/datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  path: source/article.txt" if key == "path" else "  metadata: source/SOURCE.yaml"
    path.write_text(text.replace(old, f"  {key}: ../../../../etc/hostname", 1), encoding="utf-8")
    found = refused(scratch)
    assert any(v.file == "data/datapackage.yaml" and v.column == f"source.{key}" and v.line for v in found), found


def test_yaml_alias_bomb_is_refused(scratch):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    (scratch / "data/datapackage.yaml").write_text(bomb, encoding="utf-8")
    found = refused(scratch)
    assert any("alias" in v.message for v in found), found


def test_citation_date_released_soon_is_a_data_error(tmp_path):
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    path = tmp_path / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    import re

    path.write_text(re.sub(r"date-released: .*", "date-released: soon", text), encoding="utf-8")
    with pytest.raises(ReportDataError) as exc:
        edition(tmp_path)
    assert [(v.file, v.column) for v in exc.value.violations] == [("CITATION.cff", "date-released")] and exc.value.violations[0].line


def test_overlong_destination_is_refused_by_the_loader(scratch):
    line = set_cell(scratch / "data/peers.csv", "P02", "destination", "Shanghai " * 10)
    assert ("data/peers.csv", line, "destination") in where(refused(scratch))
