"""A machine check of a figure as the reader sees it, measured on the Agg renderer.

:func:`check_figure` draws a matplotlib figure and returns every :class:`Problem` found:

* ``overlap``: two drawn texts whose rendered boxes overlap;
* ``outside``: a drawn text or legend reaching beyond the canvas (it would be clipped);
* ``small-text``: text below ``min_pt`` points at the book's width (:data:`~analysis.views.style.MIN_FONT_PT`,
  9 pt, at :data:`~analysis.views.style.BOOK_WIDTH_IN`, 7 in; a wider figure is scaled down by the page
  and its text with it);
* ``fractional-ticks``: an axis that shows counts (``fig.count_axes``, set by
  :meth:`~analysis.views.reportfig.ReportFigure.mark_counts`) with a tick that is not a whole number;
* ``colour``: a colour outside the house palette (Okabe-Ito, plus greys, white and black);
* ``colour-only``: two groups of data marks in one axes that differ only in colour (same kind of
  mark, same marker, hatch and line style), so that the meaning rests on colour alone. Artists
  drawn behind the data (``zorder`` below 1: shaded bands, guide lines) are context, not marks.

The check is generic: it takes any matplotlib Figure, not only the book's.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from .style import BOOK_WIDTH_IN, MIN_FONT_PT, NEUTRALS, OKABE_ITO

__all__ = ["Problem", "check_figure", "house_colours"]

#: Overlap tolerated between two text boxes, in pixels (anti-aliasing, rounding).
TOLERANCE_PX = 1.0


@dataclass(frozen=True)
class Problem:
    """One defect of a figure: its ``kind`` (see the module docstring) and a message naming the text or artist."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def house_colours() -> set[str]:
    """Hex codes (upper case) of the palette and neutrals."""
    return {c.upper() for c in (*OKABE_ITO.values(), *NEUTRALS.values())}


def _drawn_texts(fig: Figure) -> list[Text]:
    """Every text the drawn figure shows: visible, not empty, in a visible axes, and not the label of a tick outside the view.

    Matplotlib draws only the ticks inside an axis's view interval; their labels still exist as
    Text objects, so they are left out here by the ticks' own locations (public ``Tick.get_loc``).
    """
    hidden: set[int] = set()
    for ax in fig.axes:
        if not ax.get_visible():
            hidden |= {id(t) for t in ax.findobj(Text)}
            continue
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = (hi - lo) * 1e-10
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not (lo - slack <= tick.get_loc() <= hi + slack) or not axis.get_visible():
                    hidden |= {id(tick.label1), id(tick.label2)}
    return [t for t in fig.findobj(Text) if id(t) not in hidden and t.get_visible() and t.get_text().strip() and t.figure is fig]


def _short(text: Text) -> str:
    s = text.get_text().replace("\n", " ")
    return repr(s if len(s) <= 40 else s[:37] + "...")


def _is_neutral(rgba: tuple[float, float, float, float]) -> bool:
    r, g, b, _ = rgba
    return abs(r - g) < 1e-6 and abs(g - b) < 1e-6


def _colours(artist) -> list[tuple[float, float, float, float]]:
    """Visible colours an artist paints (fully transparent ones left out)."""
    found = []
    if isinstance(artist, Line2D):
        cands = [artist.get_color()]
        if artist.get_marker() not in (None, "", "None", " "):
            cands += [artist.get_markerfacecolor(), artist.get_markeredgecolor()]
    elif isinstance(artist, Patch):
        cands = [artist.get_facecolor(), artist.get_edgecolor()] if artist.get_fill() or artist.get_hatch() else [artist.get_edgecolor()]
    elif isinstance(artist, Collection):
        cands = [*artist.get_facecolor(), *artist.get_edgecolor()]
    elif isinstance(artist, Text):
        cands = [artist.get_color()]
    else:
        cands = []
    for c in cands:
        if isinstance(c, str) and c.lower() == "none":
            continue
        rgba = to_rgba(c)
        if rgba[3] > 0:
            found.append(rgba)
    return found


def _mark_key(artist) -> tuple | None:
    """What tells a data mark apart besides colour, or None for an artist that is not a data mark."""
    if isinstance(artist, Line2D):
        marker = artist.get_marker()
        return ("line", marker if isinstance(marker, str) else repr(marker), artist.get_linestyle() if marker in (None, "", "None", " ") else "")
    if isinstance(artist, Patch):
        return ("patch", artist.get_hatch() or "")
    if isinstance(artist, Collection):
        return ("collection", type(artist).__name__, getattr(artist, "get_hatch", lambda: "")() or "", len(artist.get_paths()))
    return None


def _main_colour(artist) -> str | None:
    cols = [c for c in _colours(artist) if not (_is_neutral(c) and c[0] > 0.99)]  # white edges do not carry meaning
    if isinstance(artist, Patch) and artist.get_hatch():
        cols = [to_rgba(artist.get_edgecolor())]
    return to_hex(cols[0], keep_alpha=False).upper() if cols else None


def check_figure(fig: Figure, min_pt: float = MIN_FONT_PT, book_width_in: float = BOOK_WIDTH_IN) -> list[Problem]:
    """Draw ``fig`` on the Agg renderer and list its problems (empty list: the figure passes).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, at the size it is built for the book.
    min_pt : float
        Smallest text size allowed at the book's width, in points.
    book_width_in : float
        Width the book shows figures at; a wider figure is scaled down by this ratio.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    # Measure in the figure's own drawing context (the house style for a ReportFigure).
    with getattr(fig, "drawing_context", contextlib.nullcontext)():
        return _check(fig, min_pt, book_width_in)


def _check(fig: Figure, min_pt: float, book_width_in: float) -> list[Problem]:
    fig.canvas.draw()
    drawn = _drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    problems: list[Problem] = []
    width_px, height_px = fig.bbox.width, fig.bbox.height
    scale = min(1.0, book_width_in / fig.get_figwidth())

    texts = list(dict.fromkeys(drawn))
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for t, box in boxes:
        size = t.get_fontsize() * scale
        if size < min_pt - 1e-9:
            problems.append(Problem("small-text", f"{_short(t)} is {size:.1f} pt at the book's width (minimum {min_pt:g} pt)"))
        if box.x0 < -TOLERANCE_PX or box.y0 < -TOLERANCE_PX or box.x1 > width_px + TOLERANCE_PX or box.y1 > height_px + TOLERANCE_PX:
            problems.append(
                Problem(
                    "outside",
                    f"{_short(t)} reaches beyond the canvas (box {box.x0:.0f},{box.y0:.0f} to {box.x1:.0f},{box.y1:.0f} px; canvas {width_px:.0f} x {height_px:.0f} px)",
                )
            )
    for (t1, b1), (t2, b2) in combinations(boxes, 2):
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if w > TOLERANCE_PX and h > TOLERANCE_PX:
            problems.append(Problem("overlap", f"{_short(t1)} overlaps {_short(t2)} ({w:.0f} x {h:.0f} px)"))
    for leg in [*(ax.get_legend() for ax in fig.axes if ax.get_legend()), *fig.legends]:
        box = leg.get_window_extent(renderer)
        if box.x0 < -TOLERANCE_PX or box.y0 < -TOLERANCE_PX or box.x1 > width_px + TOLERANCE_PX or box.y1 > height_px + TOLERANCE_PX:
            problems.append(Problem("outside", "a legend reaches beyond the canvas"))

    for ax, axis in getattr(fig, "count_axes", []):
        ax_obj = getattr(ax, f"{axis}axis")
        lo, hi = sorted(getattr(ax, f"get_{axis}lim")())
        locs = [v for v in ax_obj.get_majorticklocs() if lo - 1e-9 <= v <= hi + 1e-9]
        bad = [v for v in locs if abs(v - round(v)) > 1e-9]
        if bad:
            problems.append(Problem("fractional-ticks", f"the {axis} axis shows counts but has ticks at {', '.join(f'{v:g}' for v in bad)}"))

    allowed = house_colours()
    seen_bad: set[str] = set()
    for artist in fig.findobj(lambda a: isinstance(a, (Line2D, Patch, Collection, Text)) and a.get_visible()):
        if artist is fig.patch:
            continue
        for rgba in _colours(artist):
            hexa = to_hex(rgba, keep_alpha=False).upper()
            if hexa not in allowed and not _is_neutral(rgba) and hexa not in seen_bad:
                seen_bad.add(hexa)
                problems.append(Problem("colour", f"{hexa} ({type(artist).__name__}) is not in the house palette"))

    for i, ax in enumerate(fig.axes):
        groups: dict[str, set[tuple]] = defaultdict(set)
        for artist in [*ax.lines, *ax.patches, *ax.collections]:
            if not artist.get_visible() or artist.get_zorder() < 1:  # background (bands, guides): context, not marks
                continue
            key, colour = _mark_key(artist), _main_colour(artist)
            if key is not None and colour is not None:
                groups[colour].add(key)
        for (c1, k1), (c2, k2) in combinations(sorted(groups.items()), 2):
            shared = k1 & k2
            if shared:
                problems.append(Problem("colour-only", f"axes {i + 1}: marks in {c1} and {c2} differ only by colour ({sorted(map(str, shared))[0]})"))
    return problems
