"""The book's figures, checked by machine: layout, sizes, ticks, colours, text safety, staleness, chapter metadata.

Run: ``.venv/bin/pytest tests/test_figures.py -p no:nbval`` (about 15 s).

``test_chapter_figures_have_caption_name_alt_and_are_cited`` checks the chapters, not the code:
it fails on the first-edition chapters (figures without a ``{numref}`` citation, alt text with
digits) and passes once the second-edition chapters are in.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.queries import directives, ledger, timeline
from analysis.views import figures
from analysis.views.figcheck import Problem, check_figure
from analysis.views.reportfig import FigureInputError, ReportFigure
from analysis.views.style import BOOK_WIDTH_IN, MIN_FONT_PT, OKABE_ITO, FigureTextError, house_style, style_params

ROOT = Path(__file__).resolve().parents[1]


# --- inputs -------------------------------------------------------------------------------------
def _synthetic_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Founding", "Meeting", "Inferred stay", "Tour", "Launch"],
            "date_start": pd.to_datetime(["2001-01-01", "2010-05-10", "2010-05-08", "2010-05-20", "2015-03-01"]),
            "date_end": pd.to_datetime([None, "2010-05-12", "2010-05-11", "2010-05-23", None]),
            "kind": ["fact", "fact", "inference", "fact", "fact"],
            "precision": ["year", "day", "day", "day", "month"],
        }
    )


def _synthetic_strip() -> pd.DataFrame:
    dates = pd.to_datetime(["2018-01-20", "2018-03-02", "2018-06-11", "2018-09-18", "2018-11-30", "2019-02-14", "2019-07-01"])
    return pd.DataFrame(
        {
            "date": dates,
            "lane": ["Beijing", "Shenyang", "Beijing", "Tianjin", "abroad", "Shenyang", "Tianjin"],
            "highlight": [False, False, False, True, False, False, False],
            "label": [None, None, None, "This visit", None, None, None],
        }
    )


def _real_strip(ds) -> pd.DataFrame:
    ev = timeline.timeline_events(ds)
    return pd.DataFrame(
        {
            "date": ev.date_start,
            "lane": ev.kind.map({"fact": "outside fact", "inference": "inference"}),
            "highlight": ev.kind.eq("inference"),
            "label": ev.label,
        }
    )


FIGURES = {
    "timeline, real data": lambda ds: figures.timeline(timeline.timeline_events(ds), window=timeline.focus_window(ds)),
    "timeline, real data, one panel": lambda ds: figures.timeline(timeline.timeline_events(ds)),
    "timeline, synthetic": lambda ds: figures.timeline(_synthetic_events(), window=("2010-05-01", "2010-06-30")),
    "dot chart, claims by grade": lambda ds: figures.dot_chart(ledger.grade_counts(ds), "claims"),
    "dot chart, directives by category": lambda ds: figures.dot_chart(directives.category_counts(ds), "directive clauses"),
    "dot chart, directives by mark": lambda ds: figures.dot_chart(directives.specificity(ds).drop(columns="score").notna().sum(), "directives"),
    "dot chart, synthetic": lambda ds: figures.dot_chart(pd.Series({"one": 1, "none": 0, "a rather long category name that wraps": 7}), "items"),
    "event strip, real data": lambda ds: figures.event_strip(_real_strip(ds)),
    "event strip, synthetic": lambda ds: figures.event_strip(_synthetic_strip()),
}


@pytest.fixture(params=list(FIGURES), ids=list(FIGURES))
def made(request, ds):
    return FIGURES[request.param](ds)


def test_every_figure_function_is_checked():
    functions = {n for n in figures.__all__ if callable(getattr(figures, n)) and n[0].islower()}
    exercised = {n for make in FIGURES.values() for n in make.__code__.co_names}
    assert functions - {"timeline_text", "strip_text"} == {"timeline", "dot_chart", "event_strip"} and functions - {"timeline_text", "strip_text"} <= exercised


def test_captions_and_alt_text_are_computed_from_the_events(ds):
    """The timeline's words say what the dates say: a window that starts before the meeting overlaps it."""
    events, window = timeline.timeline_events(ds), timeline.focus_window(ds)
    caption, alt = figures.timeline_text(events, window, timeline.visit_label(ds), timeline.setting_event_dates(ds).timeline_label)
    assert "overlaps" in caption and "lies within" not in caption and caption.split("?")[1].strip().split(".")[0] in alt
    moved = events.copy()
    visit = moved.label == timeline.visit_label(ds)
    moved.loc[visit, "date_start"] = moved.loc[moved.label == timeline.setting_event_dates(ds).timeline_label, "date_start"].iloc[0]
    assert "lies within" in figures.timeline_text(moved, window, timeline.visit_label(ds), timeline.setting_event_dates(ds).timeline_label)[0]
    strip = pd.DataFrame({"date": pd.to_datetime(["2018-03-01", "2018-09-15"]), "lane": ["A", "B"], "highlight": [False, True]})
    assert (
        figures.strip_text(strip, "this one")
        == "Strip chart of 2 dated events from March 2018 to September 2018 in 2 lanes (A: 1; B: 1). The starred point, this one, is in the lane B, in September 2018."
    )


# --- every figure passes the check --------------------------------------------------------------
def test_figure_passes_the_check_and_draws_without_warnings(made):
    assert isinstance(made, ReportFigure)
    assert made.get_figwidth() == pytest.approx(BOOK_WIDTH_IN)
    assert check_figure(made) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        made.to_svg()


def test_style_is_scoped_not_global(ds):
    before = dict(matplotlib.rcParams)
    figures.dot_chart(pd.Series({"a": 1}), "n")
    assert dict(matplotlib.rcParams) == before
    with house_style():
        assert matplotlib.rcParams["text.parse_math"] is False
        assert matplotlib.rcParams["svg.hashsalt"]
    assert set(style_params()["font.family"]) >= {"DejaVu Sans", "WenQuanYi Zen Hei"}


def test_timeline_draws_every_dated_fact_and_intervals(ds):
    ev = timeline.timeline_events(ds)
    assert len(ev) == ds.external_facts.date_start.notna().sum()  # no silent cut
    assert not ev.label.str.contains(r"\((?:year|month)\)").any()
    fig = figures.timeline(ev, window=timeline.focus_window(ds))
    assert fig.omitted.empty
    drawn = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    for label in ev.label:
        inside = timeline.focus_window(ds)[0] <= ev.set_index("label").loc[label, "date_start"] <= timeline.focus_window(ds)[1]
        assert label in drawn or inside
    zoom = fig.axes[1]
    bars = [p for p in zoom.patches if isinstance(p, matplotlib.patches.Rectangle)]
    w0, w1 = timeline.focus_window(ds)
    in_window = ((ev.date_start <= w1) & (ev.date_end.fillna(ev.date_start) >= w0)).sum()
    assert len(bars) == in_window and all(b.get_width() >= 1 for b in bars)  # intervals of whole days, not points
    visit = timeline.visit_window(ds)
    widths = sorted(round(b.get_width()) for b in bars)
    assert (visit[1] - visit[0]).days + 1 in widths
    assert "(month)" not in drawn and "(year)" not in drawn


def test_timeline_records_what_it_leaves_out():
    ev = _synthetic_events()
    ev.loc[len(ev)] = ["Undated", pd.NaT, pd.NaT, "fact", None]
    fig = figures.timeline(ev)
    assert fig.omitted.label.tolist() == ["Undated"] and fig.omitted.reason.tolist() == ["no start date"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: figures.timeline(_synthetic_events().assign(label="x" * 61)),
        lambda: figures.dot_chart(pd.Series({"y" * 69: 1}), "n"),
        lambda: figures.event_strip(_synthetic_strip().assign(lane="z" * 57)),
        lambda: figures.event_strip(_synthetic_strip().assign(label="w" * 81)),
    ],
)
def test_overlong_text_is_refused(call):
    with pytest.raises(FigureInputError, match="longer than"):
        call()


def test_timeline_focus_window(ds):
    w0, w1 = timeline.focus_window(ds)
    v0, v1 = timeline.visit_window(ds)
    assert w0 < v0 <= v1 < w1 and w0.day == 1 and (w1 + pd.Timedelta(days=1)).day == 1


def test_plain_dates():
    t = pd.Timestamp
    assert timeline.plain_dates(t("1988-01-01"), None, "year") == "1988"
    assert timeline.plain_dates(t("2014-12-01"), None, "month") == "Dec 2014"
    assert timeline.plain_dates(t("2018-09-18"), t("2018-09-20")) == "18–20 Sep 2018"
    assert timeline.plain_dates(t("2018-09-28"), t("2018-10-02"), year=False) == "28 Sep – 2 Oct"


def test_dot_chart_labels_each_dot_and_ticks_whole_numbers():
    fig = figures.dot_chart(pd.Series({"a": 2, "b": 1, "c": 13}), "n")
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "13", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert all(float(v).is_integer() for v in ax.get_xticks())
    assert fig.count_axes == [(ax, "x")]


@pytest.mark.parametrize("bad", [pd.Series({"a": 1.5}), pd.Series({"a": -1}), pd.Series({"a": "x"}), pd.Series(dtype=int), pd.DataFrame({"a": [1]})])
def test_dot_chart_refuses_what_is_not_counts(bad):
    with pytest.raises(FigureInputError):
        figures.dot_chart(bad, "n")


def test_event_strip_lanes_markers_and_highlight():
    fig = figures.event_strip(_synthetic_strip())
    ax = fig.axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert lanes == ["Beijing", "Shenyang", "Tianjin", "abroad"]
    markers = [ln.get_marker() for ln in ax.lines if ln.get_linestyle() == "None"]
    assert len(set(markers)) == len(markers) == 5  # four lanes, one highlighted event: all shapes differ
    assert [t.get_text() for t in ax.texts] == ["This visit"]
    no_label = _synthetic_strip().drop(columns="label")
    assert [t.get_text() for t in figures.event_strip(no_label).axes[0].texts] == ["18 Sep 2018"]


def test_event_strip_spreads_markers_that_would_print_over_each_other():
    close = _synthetic_strip()
    close.loc[len(close)] = [pd.Timestamp("2018-01-23"), "Beijing", False, None]  # three days after another Beijing event
    fig = figures.event_strip(close)
    beijing = next(ln for ln in fig.axes[0].lines if ln.get_linestyle() == "None" and 0 in ln.get_ydata())
    ys = list(beijing.get_ydata())
    assert len(ys) == 3 and ys.count(0) == 1 and len(set(ys)) == 3  # the two close ones spread about the lane, the third on it
    assert check_figure(fig) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.drop(columns="highlight"),
        lambda e: e.assign(date=e.date.astype(str)),
        lambda e: e.assign(highlight=e.highlight.astype(int)),
        lambda e: e.iloc[0:0],
    ],
)
def test_event_strip_refuses_bad_input(change):
    with pytest.raises(FigureInputError):
        figures.event_strip(change(_synthetic_strip()))


# --- text safety: no mathtext, Chinese drawn or refused --------------------------------------------
@pytest.mark.parametrize("text", ["$5m to $6m", r"$\frac{1}{$", r"cost $x^2$ and $\invalid{"])
def test_dollar_signs_are_text_not_mathtext(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = figures.dot_chart(pd.Series({text: 3}), text)
        fig.to_svg()
    labels = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() == text]
    assert labels and all(t.get_parse_math() is False for t in labels)
    assert check_figure(fig) == []


def test_chinese_characters_draw_with_the_cjk_font(caplog):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig = figures.dot_chart(pd.Series({"吕林 (Lu Lin)": 2, "谭成旭": 1}), "天津")
        fig.to_svg()
        fig.to_png()
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert check_figure(fig) == []


def test_undrawable_characters_are_refused_with_a_clear_error():
    with pytest.raises(FigureTextError, match=r"'\\U0001d11e'|𝄞"):
        figures.dot_chart(pd.Series({"clef 𝄞": 1}), "n")


# --- stale figures: the text representation carries a digest of the data -----------------------
def test_digest_changes_with_the_data_and_only_with_it(ds):
    ev = timeline.timeline_events(ds)
    win = timeline.focus_window(ds)
    a, b = figures.timeline(ev, window=win), figures.timeline(ev.copy(), window=win)
    assert repr(a) == repr(b)
    assert re.fullmatch(r"<Figure 'timeline' data [0-9a-f]{8}>", repr(a))
    moved = ev.copy()
    moved.loc[moved.label.str.contains("elected"), "date_start"] += pd.Timedelta(days=31)
    relabelled = ev.assign(label=ev.label.str.replace("Tiandy", "Tiandi"))
    assert repr(figures.timeline(moved, window=win)) != repr(a)
    assert repr(figures.timeline(relabelled, window=win)) != repr(a)
    c1 = figures.dot_chart(pd.Series({"a": 2, "b": 1}), "n")
    c2 = figures.dot_chart(pd.Series({"a": 2, "b": 2}), "n")
    assert repr(c1) != repr(c2)


def test_display_bundle_is_deterministic_svg_and_text():
    fig = figures.dot_chart(pd.Series({"a": 2, "b": 1}), "n")
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["text/plain"] == repr(fig)
    svg = bundle["image/svg+xml"]
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    assert svg == figures.dot_chart(pd.Series({"a": 2, "b": 1}), "n").to_svg()  # same data, same bytes
    assert f'width="{BOOK_WIDTH_IN * 72:g}pt"' in svg


def test_jupyter_gets_svg_and_text_only_even_with_the_inline_png_printer(monkeypatch):
    import types

    import IPython
    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    formatter.formatters["image/png"].for_type(Figure, lambda f: b"PNG")  # what the inline backend registers
    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace(display_formatter=formatter))
    fig = figures.dot_chart(pd.Series({"a": 2}), "n")
    data, _ = formatter.format(fig)
    assert set(data) == {"image/svg+xml", "text/plain"} and data["text/plain"] == repr(fig)
    other, _ = formatter.format(Figure())
    assert "image/png" in other  # other figures are left alone


# --- the check can fail -----------------------------------------------------------------------------
def _plain(width=BOOK_WIDTH_IN, height=2.5) -> tuple[Figure, matplotlib.axes.Axes]:
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _kinds(problems: list[Problem]) -> set[str]:
    return {p.kind for p in problems}


def test_check_finds_overlapping_texts():
    fig, ax = _plain()
    ax.text(0.5, 0.5, "first label here", fontsize=10)
    ax.text(0.52, 0.5, "second label here", fontsize=10)
    problems = check_figure(fig)
    assert "overlap" in _kinds(problems)
    assert any("first label here" in p.message and "second label here" in p.message for p in problems)


def test_check_finds_overlapping_annotations_and_tick_labels():
    fig, ax = _plain()
    ax.annotate("annotation over the ticks", (0.5, 0), xytext=(0, -8), textcoords="offset points", ha="center", va="top")
    assert any(p.kind == "overlap" and "annotation over the ticks" in p.message for p in check_figure(fig))


def test_check_finds_clipped_text():
    fig, ax = _plain()
    ax.text(0.95, 0.5, "a label that runs off the right edge", fontsize=10, transform=fig.transFigure)
    assert "outside" in _kinds(check_figure(fig))


def test_check_finds_small_text_fractional_count_ticks_foreign_colours_and_colour_only():
    fig = ReportFigure(name="bad", figsize=(BOOK_WIDTH_IN, 3))
    with house_style():
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], marker="o", linestyle="none", color="#FF0000")  # not in the palette
        ax.plot([0.5], [0.2], marker="o", linestyle="none", color=OKABE_ITO["blue"])  # same marker: colour alone
        ax.text(0.1, 0.9, "tiny", fontsize=MIN_FONT_PT - 2)
        ax.set_xlim(0, 1.5)
        ax.set_xticks([0, 0.5, 1, 1.5])
        fig.count_axes.append((ax, "x"))
    assert _kinds(check_figure(fig)) == {"small-text", "fractional-ticks", "colour", "colour-only"}


def test_check_scales_text_of_a_figure_wider_than_the_book():
    fig, ax = _plain(width=2 * BOOK_WIDTH_IN)
    ax.set_title("A title at 12 pt shown at half size", fontsize=12)
    assert any(p.kind == "small-text" and "6.0 pt" in p.message for p in check_figure(fig))


# --- chapters: every figure captioned, named, cited, with alt text ----------------------------------
def _chapter_figures() -> list[tuple[str, int, str, list]]:
    """(chapter, cell index, source, stored outputs) of every code cell that draws a figure."""
    found = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            if re.search(r"\bfigures\.(timeline|event_strip|dot_chart)\(", source):
                found.append((path.name, i, source, cell.get("outputs", [])))
    return found


def _chapter_prose() -> str:
    parts = []
    for path in sorted((ROOT / "chapters").glob("*")):
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            parts += ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        elif path.suffix == ".md":
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_chapter_figures_have_caption_name_alt_and_are_cited():
    """Every figure cell of the chapters shows a :class:`figures.Captioned` (caption and alt text computed in the
    chapter from the data), whose stored output is a numbered MyST figure with a name, an alt text and a caption
    that the prose cites with ``{numref}``."""
    prose = _chapter_prose()
    cited = set(re.findall(r"\{numref\}`(?:[^`<]*<)?([^`>]+)>?`", prose))
    problems = []
    for name, i, source, outputs in _chapter_figures():
        where = f"{name}, cell {i}"
        if "figures.Captioned(" not in source:
            problems.append(f"{where}: a figure shown without figures.Captioned (caption and alt computed from the data)")
            continue
        markdown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
        label = re.search(r"^:name: (\S+)$", markdown, re.M)
        alt = re.search(r"^:alt: (.+)$", markdown, re.M)
        caption = markdown.split("\n\n", 1)[1].split("\n")[0] if "\n\n" in markdown else ""
        if not (label and alt and alt.group(1).strip() and caption.strip()):
            problems.append(f"{where}: the stored figure has no name, alt text or caption (run tools/execute_chapters.py)")
        elif label.group(1) not in cited:
            problems.append(f"{where}: figure {label.group(1)!r} is not cited with {{numref}} in any chapter")
    assert not problems, "\n".join(problems)


def test_chapter_scan_finds_figures():
    assert _chapter_figures(), "no figure cells found: the scan above would pass vacuously"


# --- end to end: a data change that alters a figure fails nbval ------------------------------------
@pytest.mark.jupyter  # runs a kernel: the full tier, not the fast one
def test_nbval_fails_when_the_data_behind_a_stored_figure_changes(tmp_path):
    """Execute a notebook that draws a figure from a CSV and store it; change the CSV: nbval fails.

    nbval compares the deterministic SVG (it skips only PNG and JPEG) and the text digest; the
    digest is what names the figure in a diff, so the test also checks that it changed.
    """
    import subprocess
    import sys

    import nbformat
    from nbclient import NotebookClient

    def execute() -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [
            nbformat.v4.new_code_cell(
                "import pandas as pd\nfrom analysis.views import figures\nfig = figures.dot_chart(pd.read_csv('counts.csv').set_index('category')['n'], 'items')\nfig"
            )
        ]
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
        return nb

    def nbval() -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q", "chapter.ipynb"]
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    (tmp_path / "counts.csv").write_text("category,n\nfirst,2\nsecond,1\n", encoding="utf-8")
    stored = execute()
    (out,) = stored.cells[0].outputs
    assert set(out["data"]) == {"image/svg+xml", "text/plain"}
    nbformat.write(stored, tmp_path / "chapter.ipynb")
    same = nbval()
    assert same.returncode == 0, same.stdout[-2000:]

    (tmp_path / "counts.csv").write_text("category,n\nfirst,3\nsecond,1\n", encoding="utf-8")
    changed = nbval()
    assert changed.returncode != 0 and "Cell outputs differ" in changed.stdout, changed.stdout[-2000:]
    redrawn = figures.dot_chart(pd.read_csv(tmp_path / "counts.csv").set_index("category")["n"], "items")
    assert repr(redrawn) != out["data"]["text/plain"]  # what the re-executed chapter would store
    assert out["data"]["text/plain"].startswith("<Figure 'dot_chart' data ")
