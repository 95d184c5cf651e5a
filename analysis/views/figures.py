"""The book's figures. Each function takes data and returns a :class:`~analysis.views.reportfig.ReportFigure`.

* :func:`timeline`: every dated outside fact, with a lower panel enlarging a window of weeks.
* :func:`dot_chart`: a Cleveland dot chart of small counts.
* :func:`event_strip`: dated events in lanes (one marker shape per lane), one or more highlighted.

Figures are built at the width the book shows them (:data:`analysis.views.style.BOOK_WIDTH_IN`, 7 in),
in the house style (:mod:`analysis.views.style`), and checked by :func:`analysis.views.figcheck.check_figure`.

Display: end the chapter cell with the figure (``fig = figures.dot_chart(...)`` then ``fig``).
The notebook stores it as deterministic SVG (sharp on every screen and in the PDF) plus a
``text/plain`` digest of its data, which nbval compares; see :mod:`analysis.views.reportfig`.
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from ..queries.timeline import period_end, plain_dates
from .reportfig import FigureInputError, ReportFigure, new_figure
from .style import BOOK_WIDTH_IN, KIND_COLOURS, MARKERS, NARROW_IN, NEUTRALS, OKABE_ITO, house_style

__all__ = ["NARROW_IN", "timeline", "dot_chart", "event_strip", "Captioned", "timeline_text", "strip_text", "ReportFigure", "FigureInputError"]

#: Colours given to lanes in order (with a marker shape each, so colour is never alone).
LANE_COLOURS: tuple[str, ...] = tuple(OKABE_ITO[k] for k in ("blue", "green", "orange", "purple", "sky", "black", "yellow"))
#: Look of each kind of timeline event: marker in the overview, bar hatch in the enlargement, key text.
KIND_LOOK: dict[str, dict[str, str]] = {
    "fact": {"marker": "s", "hatch": "", "key": "outside fact, with its source"},
    "inference": {"marker": "D", "hatch": "////", "key": "the book's inference"},
    "article": {"marker": "o", "hatch": "", "key": "from the article"},
}
_HIGHLIGHT = {"marker": "*", "color": OKABE_ITO["vermillion"], "size": 15}


def _require(df: pd.DataFrame, columns: list[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise FigureInputError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise FigureInputError(f"{what}: missing column(s) {', '.join(repr(c) for c in missing)}; has {', '.join(map(repr, df.columns))}")


def _limit(texts, limit: int, what: str) -> None:
    """Refuse texts longer than ``limit`` characters: they would not fit their row and would overlap."""
    long = [str(t) for t in texts if isinstance(t, str) and len(t) > limit]
    if long:
        shown = "; ".join(repr(t[:40] + "...") for t in long[:5])
        raise FigureInputError(f"{what} longer than {limit} characters cannot be drawn without overlapping: {shown}")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=True)) or str(text)


def _beside(ax, text: str, a: float, b: float, y: float, offset: float = 6.0) -> tuple:
    """A label for the mark spanning ``a`` to ``b`` (data x) on row ``y``; placed by :func:`_place_beside`."""
    ann = ax.annotate(text, (b, y), xytext=(offset, 0), textcoords="offset points", ha="left", va="center", fontsize=9.5)
    ann.set_in_layout(False)  # placed on the canvas by measurement, not by squeezing the axes
    return (ann, a, b, y, offset)


def _place_beside(fig: ReportFigure, items: list[tuple]) -> None:
    """Put each label right of its mark if it fits on the canvas, else left of it; if neither fits, on the
    side with more room, moved back onto the canvas (over its own row only: one label per row)."""
    if not items:
        return
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    lo, hi, pt = fig.bbox.x0 + 3, fig.bbox.x1 - 3, fig.dpi / 72
    for ann, a, b, y, off in items:
        width = ann.get_window_extent(renderer).width
        pa, pb = ann.axes.transData.transform((a, y))[0], ann.axes.transData.transform((b, y))[0]
        right, left = hi - (pb + off * pt), (pa - off * pt) - lo
        if width <= right or (width > left and right >= left):
            ann.xy, ann.xyann = (b, y), (off + min(0.0, right - width) / pt, 0)
            ann.set_horizontalalignment("left")
        else:
            ann.xy, ann.xyann = (a, y), (-off - min(0.0, left - width) / pt, 0)
            ann.set_horizontalalignment("right")


def _keep_on_canvas(fig: ReportFigure, anns: list) -> None:
    """Move labels sideways, where needed, so that they stay on the canvas."""
    if not anns:
        return
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    lo, hi, pt = fig.bbox.x0 + 3, fig.bbox.x1 - 3, fig.dpi / 72
    for ann in anns:
        box = ann.get_window_extent(renderer)
        shift = (lo - box.x0) if box.x0 < lo else (hi - box.x1 if box.x1 > hi else 0.0)
        dx, dy = ann.xyann
        ann.xyann = (dx + shift / pt, dy)


def _day(ts: pd.Timestamp) -> float:
    return mdates.date2num(pd.Timestamp(ts).to_pydatetime())


def month_ticks(start: pd.Timestamp, end: pd.Timestamp, most: int = 9) -> list[pd.Timestamp]:
    """First days of months between ``start`` and ``end``, every 1, 2, 3, 6 or 12 months so that there are at most ``most``."""
    months = [t for t in pd.date_range(start.to_period("M").start_time, end, freq="MS") if t >= start]
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        ticks = [t for t in months if (t.year * 12 + t.month - 1) % step == 0]
        if len(ticks) <= most:
            break
    return ticks


# --- timeline --------------------------------------------------------------------------------
def timeline(
    events: pd.DataFrame,
    window: tuple[str | pd.Timestamp, str | pd.Timestamp] | None = None,
    *,
    name: str = "timeline",
    width: float = BOOK_WIDTH_IN,
) -> ReportFigure:
    """Every dated event on one time axis; events inside ``window`` enlarged in a lower panel, as intervals.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event: ``label``, ``date_start`` (datetime64), ``kind`` (``fact``,
        ``inference`` or ``article``) and optionally ``date_end`` (last day of a span) and
        ``precision`` (``day``, ``month`` or ``year``; default ``day``). As returned by
        :func:`analysis.queries.timeline.timeline_events`.
    window : (start, end), optional
        Dates the lower panel covers (e.g. :func:`analysis.queries.timeline.focus_window`). Events that
        touch it are drawn there as bars from first to last day (a single day is a one-day
        bar); the upper panel shows them as one grey row pointing down. Without a window the
        figure has one panel.
    name : str
        Name in the figure's text representation.

    Returns
    -------
    ReportFigure
        ``fig.omitted`` lists the events not drawn (only rows without a start date) and why,
        so a caption can say so; it is empty when every event is drawn.
    """
    _require(events, ["label", "date_start", "kind"], "timeline")
    ev = events.copy()
    if "date_end" not in ev:
        ev["date_end"] = pd.NaT
    if "precision" not in ev:
        ev["precision"] = "day"
    ev["precision"] = ev["precision"].fillna("day")
    unknown = sorted(set(ev.kind) - set(KIND_LOOK))
    if unknown:
        raise FigureInputError(f"timeline: unknown kind(s) {unknown}; expected one of {sorted(KIND_LOOK)}")
    _limit(ev.label, 60, "timeline: labels")
    undated = ev.date_start.isna()
    omitted = ev.loc[undated, ["label"]].assign(reason="no start date")
    ev = ev[~undated].copy()
    if ev.empty:
        raise FigureInputError("timeline: no event has a start date")
    ev["last"] = [period_end(r.date_start, r.date_end, r.precision) for r in ev.itertuples()]
    ev = ev.sort_values(["date_start", "last"], kind="stable").reset_index(drop=True)

    if window is not None:
        w0, w1 = pd.Timestamp(window[0]), pd.Timestamp(window[1])
        if w1 <= w0:
            raise FigureInputError(f"timeline: window ends ({w1:%Y-%m-%d}) before it starts ({w0:%Y-%m-%d})")
        inside = (ev["last"] >= w0) & (ev.date_start <= w1)
    else:
        inside = pd.Series(False, index=ev.index)
    zoom, over = ev[inside], ev[~inside]

    # A figure for a phone's column (NARROW_IN) wraps its labels and stacks its key, so rows are taller.
    narrow = width < BOOK_WIDTH_IN * 0.7
    wrap = 30 if narrow else None
    n_over = len(over) + (1 if len(zoom) else 0)
    height_over = (0.46 if narrow else 0.27) * n_over + 0.75
    height_zoom = ((0.58 if narrow else 0.36) * len(zoom) + 0.85) if len(zoom) else 0.0
    fig = new_figure(name, height_over + height_zoom + 0.35, width)
    with house_style():
        if len(zoom):
            ax, axz = fig.subplots(2, 1, height_ratios=[height_over, height_zoom])
        else:
            ax, axz = fig.subplots(1, 1), None
        labels = _timeline_overview(ax, over, zoom, wrap)
        if axz is not None:
            labels += _timeline_zoom(axz, zoom, w0, w1, wrap)
        kinds = [k for k in KIND_LOOK if k in set(ev.kind)]
        handles = [
            (
                Line2D([], [], marker=KIND_LOOK[k]["marker"], color=KIND_COLOURS[k], linestyle="none", markersize=7),
                Patch(facecolor=_fill(k), edgecolor=KIND_COLOURS[k], hatch=KIND_LOOK[k]["hatch"]),
            )
            for k in kinds
        ]
        fig.legend(
            handles,
            [KIND_LOOK[k]["key"] for k in kinds],
            loc="outside upper left",
            ncols=1 if narrow else len(kinds),
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)},
            handlelength=3.2,
        )
        _place_beside(fig, labels)
    fig.omitted = omitted.reset_index(drop=True)
    return fig.finish()


def _fill(kind: str) -> str:
    return "white" if KIND_LOOK[kind]["hatch"] else KIND_COLOURS[kind]


def _timeline_overview(ax, over: pd.DataFrame, zoom: pd.DataFrame, wrap: int | None = None) -> list[tuple]:
    rows: list[dict[str, object]] = [
        {
            "start": r.date_start,
            "last": r.last,
            "text": f"{r.label}, {plain_dates(r.date_start, r.date_end, r.precision)}",
            "kind": r.kind,
        }
        for r in over.itertuples()
    ]
    if len(zoom):
        z0, z1 = zoom.date_start.min(), zoom["last"].max()
        n = len(zoom)
        rows.append({"start": z0, "last": z1, "text": f"{plain_dates(z0, z1)}: {n} event{'s' if n != 1 else ''}, enlarged below", "kind": None})
    rows.sort(key=lambda r: (r["start"], r["last"]))
    lo = min(r["start"] for r in rows)
    hi = max(r["last"] for r in rows)
    pad = max(pd.Timedelta(days=365), (hi - lo) * 0.04)
    x0, x1 = lo - pad, hi + pad
    ax.set_xlim(_day(x0), _day(x1))
    span = _day(x1) - _day(x0)
    labels = []
    for i, r in enumerate(rows):
        a, b = _day(r["start"]), _day(r["last"] + pd.Timedelta(days=1))
        mid = (a + b) / 2
        if r["kind"] is None:  # the group enlarged in the lower panel
            ax.axvspan(a, b, color=NEUTRALS["light grey"], zorder=0)
            ax.plot([mid], [i], marker="v", color=NEUTRALS["dark grey"], markersize=8, linestyle="none")
        else:
            colour = KIND_COLOURS[r["kind"]]
            if (b - a) / span > 0.012:  # long enough to show as a bar: a year or a month known, or a long span
                ax.add_patch(
                    Rectangle((a, i - 0.2), b - a, 0.4, facecolor=_fill(r["kind"]), edgecolor=colour, hatch=KIND_LOOK[r["kind"]]["hatch"], linewidth=1)
                )
            else:
                ax.plot([mid], [i], marker=KIND_LOOK[r["kind"]]["marker"], color=colour, markersize=6.5, linestyle="none")
        labels.append(_beside(ax, _wrap(r["text"], wrap) if wrap else r["text"], a, b, i))
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    years = (x1 - x0).days / 365.25
    ax.xaxis.set_major_locator(mdates.YearLocator(base=5 if years > 15 else (2 if years > 6 else 1)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_title(f"Every dated event, {lo.year} to {hi.year}")
    return labels


def _timeline_zoom(ax, zoom: pd.DataFrame, w0: pd.Timestamp, w1: pd.Timestamp, wrap: int | None = None) -> list[tuple]:
    ax.set_xlim(_day(w0), _day(w1 + pd.Timedelta(days=1)))
    labels = []
    one_year = w0.year == w1.year
    for i, r in enumerate(zoom.itertuples()):
        a = _day(max(r.date_start, w0))
        b = _day(min(r.last, w1) + pd.Timedelta(days=1))
        colour = KIND_COLOURS[r.kind]
        ax.add_patch(Rectangle((a, i - 0.27), b - a, 0.54, facecolor=_fill(r.kind), edgecolor=colour, hatch=KIND_LOOK[r.kind]["hatch"], linewidth=1.2))
        text = f"{r.label}, {plain_dates(r.date_start, r.date_end, r.precision, year=not one_year)}"
        labels.append(_beside(ax, _wrap(text, wrap) if wrap else text, a, b, i, offset=5))
    ax.set_ylim(len(zoom) - 0.4, -0.6)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{mdates.num2date(x).day} {mdates.num2date(x):%b}"))
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    when = f"{w0:%B} to {w1:%B %Y}" if one_year else f"{w0:%B %Y} to {w1:%B %Y}"
    ax.set_title(f"Enlarged: {when}")
    return labels


# --- dot chart -------------------------------------------------------------------------------
def dot_chart(
    counts: pd.Series,
    xlabel: str,
    *,
    name: str = "dot_chart",
    colour: str = OKABE_ITO["blue"],
    width: float = BOOK_WIDTH_IN,
) -> ReportFigure:
    """A Cleveland dot chart of counts: one row per category, in the order given, each dot labelled with its count.

    Parameters
    ----------
    counts : pandas.Series
        Non-negative whole numbers indexed by category (first category at the top).
    xlabel : str
        What is counted, in words ("claims").
    colour : str
        Colour of the dots (one colour: the categories are named on the axis).
    """
    if not isinstance(counts, pd.Series):
        raise FigureInputError(f"dot_chart: expected a pandas Series of counts, got {type(counts).__name__}")
    if counts.empty:
        raise FigureInputError("dot_chart: no categories to draw")
    values = pd.to_numeric(counts, errors="coerce")
    bad = [str(k) for k, v in values.items() if pd.isna(v) or v < 0 or v != np.floor(v)]
    if bad:
        raise FigureInputError(f"dot_chart: counts must be whole numbers of zero or more; not for {', '.join(bad)}")
    values = values.astype(int)
    _limit([str(k) for k in values.index], 68, "dot_chart: category names")
    n = len(values)
    fig = new_figure(name, 0.34 * n + 0.85, width)
    with house_style():
        ax = fig.subplots()
        y = np.arange(n)
        top = max(int(values.max()), 1)
        ax.hlines(y, 0, values.to_numpy(), color=NEUTRALS["light grey"], linewidth=1.5, zorder=0.5)
        ax.plot(values.to_numpy(), y, marker="o", color=colour, markersize=8, linestyle="none", zorder=2)
        for yi, v in zip(y, values):
            ax.annotate(f"{v}", (v, yi), xytext=(7, 0), textcoords="offset points", va="center", ha="left", fontsize=9.5)
        ax.set_yticks(y, [_wrap(str(k), 34) for k in values.index])
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(0, top * 1.12 + 0.4)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        fig.mark_counts(ax, "x")
    return fig.finish()


# --- event strip -----------------------------------------------------------------------------
def _stacked(xs: list[float], gap: float, step: float = 0.2) -> list[float]:
    """Vertical offsets that keep markers closer than ``gap`` apart from printing over each other.

    ``xs`` is sorted; each run of markers less than ``gap`` apart is spread evenly about the lane.
    """
    offsets: list[float] = []
    run: list[float] = []
    for x in [*xs, None]:
        if run and (x is None or x - run[-1] >= gap):
            offsets += [(k - (len(run) - 1) / 2) * step for k in range(len(run))]
            run = []
        if x is not None:
            run.append(x)
    return offsets


def event_strip(
    events: pd.DataFrame,
    *,
    name: str = "event_strip",
    width: float = BOOK_WIDTH_IN,
    lane_order: list[str] | None = None,
) -> ReportFigure:
    """Dated events in lanes: one row per lane, one marker shape and colour per lane, highlighted events starred and labelled.

    Parameters
    ----------
    events : pandas.DataFrame
        ``date`` (datetime64), ``lane`` (str: e.g. purpose or destination), ``highlight`` (bool)
        and optionally ``label`` (text written beside a highlighted event; its date otherwise).
    lane_order : list of str, optional
        Lanes from top to bottom; by default in order of first appearance.

    Returns
    -------
    ReportFigure
        ``fig.omitted`` lists rows without a date, which cannot be drawn.
    """
    _require(events, ["date", "lane", "highlight"], "event_strip")
    ev = events.copy()
    if not pd.api.types.is_datetime64_any_dtype(ev["date"]):
        raise FigureInputError(f"event_strip: column 'date' must be datetime64, is {ev['date'].dtype}")
    if not pd.api.types.is_bool_dtype(ev["highlight"]):
        raise FigureInputError(f"event_strip: column 'highlight' must be bool, is {ev['highlight'].dtype}")
    if "label" not in ev:
        ev["label"] = None
    _limit(ev["lane"].astype(str), 56, "event_strip: lane names")
    _limit(ev["label"], 80, "event_strip: labels")
    undated = ev["date"].isna()
    omitted = ev.loc[undated, ["lane"]].assign(reason="no date")
    ev = ev[~undated]
    if ev.empty:
        raise FigureInputError("event_strip: no event has a date")
    lanes = list(lane_order) if lane_order is not None else list(pd.unique(ev["lane"].astype(str)))
    stray = sorted(set(ev["lane"].astype(str)) - set(lanes))
    if stray:
        raise FigureInputError(f"event_strip: lanes missing from lane_order: {stray}")
    if len(lanes) > len(MARKERS):
        raise FigureInputError(f"event_strip: at most {len(MARKERS)} lanes can have distinct markers; got {len(lanes)}")
    row = {lane: i for i, lane in enumerate(lanes)}
    fig = new_figure(name, 0.42 * len(lanes) + 1.25, width)
    with house_style():
        ax = fig.subplots()
        lo, hi = ev["date"].min(), ev["date"].max()
        pad = max(pd.Timedelta(days=10), (hi - lo) * 0.04)
        x0, x1 = _day(lo - pad), _day(hi + pad)
        ax.set_xlim(x0, x1)
        for lane in lanes:
            i = row[lane]
            sub = ev[(ev["lane"].astype(str) == lane) & ~ev["highlight"]]
            ax.axhline(i, color=NEUTRALS["light grey"], linewidth=0.8, zorder=0)
            if len(sub):
                xs = sorted(_day(d) for d in sub["date"])
                ax.plot(
                    xs,
                    [i + dy for dy in _stacked(xs, (x1 - x0) * 0.02)],
                    marker=MARKERS[i],
                    color=LANE_COLOURS[i % len(LANE_COLOURS)],
                    markersize=7,
                    linestyle="none",
                    markeredgecolor="white",
                    markeredgewidth=0.5,
                )
        notes = []
        for r in ev[ev["highlight"]].itertuples():
            x, i = _day(r.date), row[str(r.lane)]
            ax.plot(
                [x],
                [i],
                marker=_HIGHLIGHT["marker"],
                color=_HIGHLIGHT["color"],
                markersize=_HIGHLIGHT["size"],
                markeredgecolor="black",
                markeredgewidth=0.7,
                linestyle="none",
                zorder=3,
            )
            text = r.label if isinstance(r.label, str) and r.label.strip() else plain_dates(pd.Timestamp(r.date))
            ann = ax.annotate(_wrap(text, 40), (x, i), xytext=(0, 10), textcoords="offset points", ha="center", va="bottom", fontsize=9.5, fontweight="bold")
            ann.set_in_layout(False)
            notes.append(ann)
        ax.set_yticks(range(len(lanes)), [_wrap(lane, 28) for lane in lanes])
        top_label = bool(ev.loc[ev["highlight"], "lane"].astype(str).map(row).eq(0).any())
        ax.set_ylim(len(lanes) - 0.5, -1.0 if top_label else -0.5)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ticks = month_ticks(lo - pad, hi + pad)
        ax.set_xticks([_day(t) for t in ticks], [f"{t:%b}\n{t.year}" if (k == 0 or t.month == 1) else f"{t:%b}" for k, t in enumerate(ticks)])
        _keep_on_canvas(fig, notes)
    fig.omitted = omitted.reset_index(drop=True)
    return fig.finish()


class Captioned:
    """A figure with its name, caption and alt text, shown as a numbered MyST figure in the book and as HTML in Jupyter.

    The SVG is embedded as a data URI, so the caption and alt text, which the chapter computes
    from the data, travel with the figure in one output. ``narrow``, when given, is the same
    figure drawn for a phone's width; the book's stylesheet shows one or the other by the
    screen's width (``img.wide-only`` and ``img.narrow-only`` in ``_static/report.css``).
    """

    def __init__(self, figure: ReportFigure, name: str, caption: str, alt: str, narrow: ReportFigure | None = None) -> None:
        self.figure, self.name, self.caption, self.alt, self.narrow = figure, name, caption, alt, narrow

    @functools.cached_property
    def _uris(self) -> dict[str, str]:
        """Data URIs of the figure's SVG (``wide``) and of the narrow one: each drawn once, whichever formats show it."""
        import base64

        drawn = {"wide": self.figure, "narrow": self.narrow}
        return {k: "data:image/svg+xml;base64," + base64.b64encode(f.to_svg().encode("utf-8")).decode("ascii") for k, f in drawn.items() if f is not None}

    def __repr__(self) -> str:
        return repr(self.figure)

    def _repr_markdown_(self) -> str:
        from .markup import escape_markdown

        alt = " ".join(self.alt.split())
        lines = [
            f"::::{{figure}} {self._uris['wide']}",
            f":name: {self.name}",
            f":alt: {alt}",
            ":class: report-figure wide-only" if self.narrow is not None else ":class: report-figure",
            "",
            escape_markdown(self.caption),
        ]
        if self.narrow is not None:
            lines += ["", f":::{{image}} {self._uris['narrow']}", f":alt: {alt}", ":class: narrow-only", ":::"]
        return "\n".join([*lines, "::::"])

    def _repr_html_(self) -> str:
        import html

        return f'<figure><img src="{self._uris["wide"]}" alt="{html.escape(self.alt)}" style="max-width:100%"><figcaption>{html.escape(self.caption)}</figcaption></figure>'

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/markdown": self._repr_markdown_(), "text/html": self._repr_html_(), "text/plain": repr(self)}


def _labels(frame: pd.DataFrame) -> str:
    names = [f"\u201c{x}\u201d" for x in frame.label]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "nothing"


def timeline_text(events: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp], subject: str, setting: str | None) -> tuple[str, str]:
    """The caption and alt text of :func:`timeline`, computed from the events it draws.

    ``subject`` is the label of the inferred visit window, ``setting`` that of the event that
    brought the visitors (or None). The relations said in words (inside, overlapping, before,
    after) are computed from the dates.
    """
    ev = events.copy()
    ev["end"] = [period_end(s, e if pd.notna(e) else None, p) for s, e, p in zip(ev.date_start, ev.date_end, ev.precision)]
    visit = ev[ev.label == subject].iloc[0]
    w0, w1 = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    near = ev[(ev.end >= w0) & (ev.date_start <= w1) & (ev.label != subject)]
    after = near[near.date_start > visit.end]
    before = near[near.end < visit.date_start]
    relation = "stands alone"
    if setting is not None and setting in set(ev.label):
        s = ev[ev.label == setting].iloc[0]
        inside = visit.date_start >= s.date_start and visit.end <= s.end
        relation = f"{'lies within' if inside else 'overlaps'} \u201c{setting}\u201d"
    order = []
    if len(after):
        order.append(f"before {_labels(after)}")
    if len(before):
        order.append(f"after {_labels(before)}")
    sentence = f"The inferred visit window {relation}" + (f"; it comes {', and '.join(order)}" if order else "") + "."
    caption = (
        f"When did the visit happen, and what surrounded it? {sentence} "
        "The upper panel places it among the book's dated outside facts; the lower panel enlarges the weeks around it."
    )
    first, last = ev.iloc[0], ev.iloc[-1]
    alt = (
        f"Two-panel timeline. The upper panel runs from \u201c{first.label}\u201d ({first.date_start.year}) to \u201c{last.label}\u201d ({last.date_start.year}). "
        f"The lower panel enlarges the weeks around the visit. {sentence}"
    )
    return caption, alt


def strip_text(events: pd.DataFrame, what: str) -> str:
    """Alt text of :func:`event_strip`: how many events, in which lanes, and where the highlighted one stands."""
    counts = events.groupby("lane", sort=False).size()
    lanes = "; ".join(f"{lane}: {n}" for lane, n in counts.items())
    star = events[events.highlight]
    where = f" The starred point, {what}, is in the lane {star.lane.iloc[0]}, in {star.date.iloc[0]:%B %Y}." if len(star) else ""
    first, last = events.date.min(), events.date.max()
    return f"Strip chart of {len(events)} dated events from {first:%B %Y} to {last:%B %Y} in {len(counts)} lanes ({lanes}).{where}"
