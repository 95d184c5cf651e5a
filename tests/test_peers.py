"""The peers table: its rules in the loader, each bad input named by file, line and column, and its summaries.

Each bad-input test builds a tiny data root in tmp_path: the real source and dictionary header,
only the peers resource, and a three-row peers.csv that a test then breaks.
"""

from __future__ import annotations

import csv
import functools
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import ReportDataError, load_all
from analysis.data.errors import Violation
from analysis.queries import peers as P

ROOT = Path(__file__).resolve().parents[1]
FILE = "data/peers.csv"

HEADER = (
    "peer_id,is_subject,url,title_summary,leader,leader_role,other_leaders,date,date_precision,date_basis,date_note,"
    "genre,scope,destination,purpose,trip_id,units_visited,frames_learning,firm_figures,firm_credentials,"
    "directive_clauses_visible,has_quantity,has_deadline,has_budget,has_unit,outcomes_stated,visibility,evidence,note"
)
ROWS = [
    # line 2: the subject, a trip out, complete; its visits, learning frame, firm counts and directive marks are
    # computed from the article's own tables (analysis.queries.peers.table), so they are empty here
    "P01,true,http://en.dl.gov.cn/News/ChinaNews/1.jhtml,A trip,Leader A,Mayor,,2018-09-01,month,inferred,yesterday,"
    "delegation_out,elsewhere_in_china,Tianjin,study,2018-09-tianjin,,,,,,,,,,,complete,study and learn,",
    # line 3: a truncated trip out with no directive visible
    "P02,false,https://english.dlftz.gov.cn/article/show/2.aspx,Another trip,Leader A,Mayor,Leader B,2019-01-29,day,stated,29 January,"
    "delegation_out,elsewhere_in_china,Hong Kong,investment_promotion,2019-01-hong-kong,0,false,0,0,,,,,,,truncated,investment promotion activities,",
    # line 4: a meeting in the city with visible directives
    "P03,false,http://en.dl.gov.cn/Government/OM/Events/3.jhtml,A meeting,Leader A,Mayor,,2018-04-01,month,inferred,yesterday,"
    "meeting,dalian,Dalian,,,0,false,0,0,4,false,true,false,false,,truncated,completed within the time,",
]


@functools.cache
def _peers_only_descriptor() -> str:
    """The data dictionary with only the peers resource (parsed once per run: the file is large)."""
    package = yaml.load((ROOT / "data/datapackage.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    package["resources"] = [r for r in package["resources"] if r["name"] == "peers"]
    return yaml.safe_dump(package, sort_keys=False)


def _tiny_root(tmp_path: Path) -> Path:
    """A data root with the real source and only the peers resource of the dictionary."""
    (tmp_path / "data").mkdir()
    shutil.copytree(ROOT / "data/source", tmp_path / "data/source")
    (tmp_path / "data/datapackage.yaml").write_text(_peers_only_descriptor(), encoding="utf-8")
    (tmp_path / "references.bib").write_text("", encoding="utf-8")
    (tmp_path / FILE).write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return _tiny_root(tmp_path)


def set_cell(root: Path, line: int, column: str, value: str) -> None:
    """Set one cell of peers.csv (line counted as in the file, header = 1)."""
    path = root / FILE
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def problems(root: Path) -> list[Violation]:
    with pytest.raises(ReportDataError) as exc:
        load_all(root)
    return exc.value.violations


def at(violations: list[Violation], line: int, column: str) -> list[Violation]:
    return [v for v in violations if v.file == FILE and v.line == line and v.column == column]


# --- the real table -------------------------------------------------------------------------
def test_real_table_loads(ds):
    peers = ds.peers
    assert len(peers) >= 30
    assert int(peers.is_subject.sum()) == 1
    assert peers.url.is_unique
    assert set(peers.visibility) <= {"complete", "truncated"}


def test_tiny_root_loads(tiny):
    ds = load_all(tiny)
    assert list(ds.tables) == ["peers"] and len(ds.peers) == 3


# --- bad input: each names file, line and column ----------------------------------------------
def test_unknown_genre(tiny):
    set_cell(tiny, 4, "genre", "press_conference")
    hit = at(problems(tiny), 4, "genre")
    assert hit and "found 'press_conference'; constraint \"enum\" is" in hit[0].message and "delegation_out" in hit[0].message


def test_malformed_address(tiny):
    set_cell(tiny, 3, "url", "en.dl.gov.cn/News/ChinaNews/2.jhtml")
    hit = at(problems(tiny), 3, "url")
    assert hit and "found 'en.dl.gov.cn/News/ChinaNews/2.jhtml'; constraint \"pattern\" is" in hit[0].message


def test_address_on_another_host(tiny):
    set_cell(tiny, 2, "url", "http://www.example.com/News/1.jhtml")
    assert at(problems(tiny), 2, "url")


def test_missing_visibility_flag(tiny):
    set_cell(tiny, 3, "visibility", "")
    hit = at(problems(tiny), 3, "visibility")
    assert hit and hit[0].message == "a value is required but the cell is empty"


def test_unknown_visibility_flag(tiny):
    set_cell(tiny, 3, "visibility", "partial")
    assert at(problems(tiny), 3, "visibility")


def test_marks_for_text_that_is_not_visible(tiny):
    set_cell(tiny, 3, "has_deadline", "false")
    hit = at(problems(tiny), 3, "has_deadline")
    assert [str(v) for v in hit] == [
        "data/peers.csv, line 3, column 'has_deadline': a specificity mark is given but no directive passage is visible; leave it empty"
    ]


def test_zero_directives_on_a_truncated_page(tiny):
    set_cell(tiny, 3, "directive_clauses_visible", "0")
    hit = at(problems(tiny), 3, "directive_clauses_visible")
    assert hit and "truncated page" in hit[0].message


def test_marks_missing_where_directives_are_counted(tiny):
    set_cell(tiny, 4, "has_unit", "")
    hit = at(problems(tiny), 4, "has_unit")
    assert hit and "must be true or false" in hit[0].message


def test_evidence_too_long(tiny):
    set_cell(tiny, 4, "evidence", "one two three four five six seven eight nine")
    hit = at(problems(tiny), 4, "evidence")
    assert hit and "9 words" in hit[0].message


def test_evidence_whole_sentence(tiny):
    set_cell(tiny, 4, "evidence", "Tasks must be done.")
    hit = at(problems(tiny), 4, "evidence")
    assert hit and "whole sentence" in hit[0].message


def test_same_page_twice(tiny):
    set_cell(tiny, 4, "url", "https://en.dl.gov.cn/News/ChinaNews/1.jhtml")
    hit = at(problems(tiny), 4, "url")
    assert hit and "line 2" in hit[0].message


def test_purpose_outside_a_trip(tiny):
    set_cell(tiny, 4, "purpose", "study")
    hit = at(problems(tiny), 4, "purpose")
    assert hit and "only trips out" in hit[0].message


def test_trip_without_purpose(tiny):
    set_cell(tiny, 3, "purpose", "")
    assert at(problems(tiny), 3, "purpose")


def test_stated_date_needs_a_day(tiny):
    set_cell(tiny, 3, "date_precision", "month")
    hit = at(problems(tiny), 3, "date_precision")
    assert hit and "stated date" in hit[0].message


def test_two_subjects(tiny):
    set_cell(tiny, 3, "is_subject", "true")
    hit = at(problems(tiny), 3, "is_subject")
    assert hit and "line 2" in hit[0].message


def test_negative_count(tiny):
    set_cell(tiny, 2, "firm_figures", "-1")
    hit = at(problems(tiny), 2, "firm_figures")
    assert hit and hit[0].message == 'found \'-1\'; constraint "minimum" is "0"'


# --- summaries -------------------------------------------------------------------------------
@pytest.fixture()
def table(tiny) -> pd.DataFrame:
    """The tiny sample with the subject's computed fields filled in, as analysis.queries.peers.table gives them."""
    p = load_all(tiny).peers
    computed = {
        "units_visited": 3,
        "frames_learning": True,
        "firm_figures": 3,
        "firm_credentials": 3,
        "directive_clauses_visible": 11,
        "has_quantity": False,
        "has_deadline": False,
        "has_budget": False,
        "has_unit": False,
    }
    for column, value in computed.items():
        p[column] = p[column].astype(object)
        p.loc[p.is_subject.astype(bool), column] = value
        p[column] = p[column].astype("boolean" if isinstance(value, bool) else "Int64")
    return p


def test_the_subject_row_leaves_computed_fields_empty(tiny):
    set_cell(tiny, 2, "firm_credentials", "4")
    assert [(v.line, v.column) for v in problems(tiny)] == [(2, "firm_credentials")]


def test_the_subject_fields_are_computed_from_the_articles_tables(ds):
    p = P.table(ds)
    subject = P.subject_of(p)
    assert subject.directive_clauses_visible == len(ds.directives) and subject.units_visited == len(P.roles.enterprises(ds))
    assert bool(subject.has_quantity) is False  # 'a number of' is a stock quantifier, not an amount (K058)


def test_trips_out_by_person_and_period(table):
    trips = P.trips_out(table, "Leader B", "2018-01-01", "2019-12-31")
    assert trips.peer_id.tolist() == ["P02"]
    assert P.trips_out(table, "Leader A", "2018-01-01", "2018-12-31").peer_id.tolist() == ["P01"]


def test_trip_table_and_purposes(table):
    trips = P.trips_out(table, "Leader A", "2018-01-01", "2019-12-31")
    t = P.trip_table(trips)
    assert t.trip_id.tolist() == ["2018-09-tianjin", "2019-01-hong-kong"]
    assert t.subject.tolist() == [True, False] and t.learning.tolist() == [True, False]
    counts = P.purpose_counts(trips)
    assert counts["Study"] == 1 and counts["Investment promotion"] == 1 and counts["Other"] == 0
    assert P.learning_share(P.peers_of(trips)) == (0, 1)


def test_subject_and_specificity(table):
    assert P.subject_of(table).peer_id == "P01"
    shares = P.specificity_shares(P.peers_of(table))
    assert shares["passages"] == 1 and shares["has_deadline"] == 1 and shares["has_quantity"] == 0


def test_directive_visibility_by_genre(table):
    v = P.directive_visibility(table)
    assert v.loc["delegation_out"].tolist() == [2, 1, 1]
    assert v.loc["meeting"].tolist() == [1, 1, 1]


def test_trip_events_place_month_dates_mid_month(table):
    ev = P.trip_events(P.trips_out(table, "Leader A", "2018-01-01", "2019-12-31"))
    assert str(ev.date.dtype).startswith("datetime64")
    assert ev.date.dt.day.tolist() == [15, 29]
    assert ev.highlight.tolist() == [True, False] and ev.lane.tolist() == ["Study", "Investment promotion"]


def test_no_subject_is_an_error(table):
    with pytest.raises(LookupError):
        P.subject_of(table[~table.is_subject])
