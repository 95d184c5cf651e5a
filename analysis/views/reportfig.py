"""The figure object every figure function returns: drawn in the house style, shown as SVG, with a data digest.

How a figure reaches the page
-----------------------------
A :class:`ReportFigure` is a plain matplotlib ``Figure`` (not registered with pyplot, so nothing
is shown twice and no figure is left open). A chapter cell that ends with the figure (``fig``)
displays it: Jupyter receives two representations and nothing else,

* ``image/svg+xml``: the figure as SVG, drawn at the book's width. SVG stays sharp on high-DPI
  screens and in the PDF (which Chromium prints from the HTML), and for these small charts is
  lighter than a PNG at twice the resolution. The SVG is deterministic: a fixed hash salt
  (``svg.hashsalt`` in the style sheet) and no date in its metadata, so re-running a chapter
  stores the same bytes;
* ``text/plain``: ``<Figure 'timeline' data 1a2b3c4d>``, a digest of what the figure plots
  (the data of every line, marker, bar and collection, and every text). nbval compares
  ``text/plain``, so a data change that alters a figure fails the notebook tests until the
  chapter is re-executed, with a one-line diff that says which figure changed. (nbval skips
  PNG and JPEG but not SVG, so it compares the deterministic SVG too.)

No PNG is stored: the inline backend's PNG printer is switched off for this class only
(:func:`_no_raster_in_ipython`). The same bundle is used by ``myst_nb.glue``.

The ``mystnb`` cell metadata (``figure.caption``, ``figure.name``, ``image.alt``) turns the
output into a numbered figure.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from .style import BOOK_WIDTH_IN, check_drawable, house_style

__all__ = ["ReportFigure", "FigureInputError", "new_figure"]


class FigureInputError(ValueError):
    """The data given to a figure function is not what it draws (missing column, wrong type, no rows)."""


def _rounded(values: object) -> list:
    """Shape and numbers to 6 significant digits, as text (stable across platforms)."""
    arr = np.asarray(values, dtype=float)
    return [list(arr.shape), [f"{x:.6g}" for x in arr.ravel()]]


class ReportFigure(Figure):
    """A matplotlib Figure in the house style, displayed as SVG with a digest of its data as text.

    Parameters
    ----------
    name : str
        Short name of the kind of figure (``"timeline"``), shown in the text representation.
    *args, **kwargs
        Passed to :class:`matplotlib.figure.Figure`.

    Attributes
    ----------
    count_axes : list of (Axes, str)
        Axes and axis (``"x"`` or ``"y"``) whose values are counts; the figure check requires
        integer ticks on them.
    omitted : pandas.DataFrame or None
        Rows of the input the figure did not draw, with the reason (set by the figure function).
    """

    def __init__(self, *args, name: str = "figure", **kwargs):
        with house_style():
            super().__init__(*args, **kwargs)
        self.name = name
        self.count_axes: list[tuple[Axes, str]] = []
        self.omitted = None
        FigureCanvasAgg(self)

    #: Context every drawing and measurement of the figure happens in (used by :mod:`analysis.views.figcheck`).
    drawing_context = staticmethod(house_style)

    # --- drawing --------------------------------------------------------------
    def draw(self, renderer) -> None:
        """Draw in the house style (ticks and layout are computed at draw time)."""
        with house_style():
            super().draw(renderer)

    def mark_counts(self, ax: Axes, axis: str) -> None:
        """Record that ``axis`` (``"x"`` or ``"y"``) of ``ax`` shows counts: it gets, and is checked for, integer ticks."""
        from matplotlib.ticker import MaxNLocator

        getattr(ax, f"{axis}axis").set_major_locator(MaxNLocator(integer=True, nbins="auto", min_n_ticks=2))
        self.count_axes.append((ax, axis))

    def visible_texts(self) -> list[Text]:
        """Every visible, non-empty text artist of the figure (tick labels included, once drawn)."""
        return [t for t in self.findobj(Text) if t.get_visible() and t.get_text().strip()]

    def finish(self) -> ReportFigure:
        """Lay the figure out once and refuse text that cannot be drawn; returns the figure."""
        check_drawable(t.get_text() for t in self.findobj(Text))
        self.draw_without_rendering()
        check_drawable(t.get_text() for t in self.visible_texts())
        return self

    # --- output ---------------------------------------------------------------
    def to_svg(self) -> str:
        """The figure as deterministic SVG text (fixed hash salt, no date)."""
        buf = io.StringIO()
        self.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        return buf.getvalue()

    def to_png(self, dpi: int = 200) -> bytes:
        """The figure as PNG bytes (``dpi`` 200 is twice the screen resolution)."""
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()

    # --- identity ---------------------------------------------------------------
    def _plotted(self) -> Iterator[object]:
        for ax in self.axes:
            yield ("axes", _rounded(ax.get_xlim()), _rounded(ax.get_ylim()))
            for art in ax.get_children():
                if not art.get_visible():
                    continue
                if isinstance(art, Line2D):
                    yield ("line", _rounded(art.get_xydata()), art.get_marker() if isinstance(art.get_marker(), str) else "custom")
                elif isinstance(art, Collection):
                    yield ("collection", _rounded(art.get_offsets()), [_rounded(p.vertices) for p in art.get_paths()][:50])
                elif isinstance(art, Patch) and art is not ax.patch:
                    yield ("patch", _rounded(art.get_path().vertices), _rounded(art.get_patch_transform().get_matrix()), art.get_hatch() or "")
        for t in self.findobj(Text):
            if t.get_visible() and t.get_text().strip():
                yield ("text", t.get_text())

    def digest(self) -> str:
        """Eight hex digits summarising the plotted data and every text (stable for the same data)."""
        with house_style():
            for ax in self.axes:  # tick labels are made from the data limits: have them formatted
                ax.xaxis.get_ticklabels()
                ax.yaxis.get_ticklabels()
            items = list(self._plotted())
        blob = json.dumps(items, default=str, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:8]

    def __repr__(self) -> str:
        return f"<Figure {self.name!r} data {self.digest()}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        """SVG and the text digest: what Jupyter stores for the figure (also through myst-nb's ``glue``)."""
        _no_raster_in_ipython()
        return {"image/svg+xml": self.to_svg(), "text/plain": repr(self)}


def _no_raster_in_ipython() -> None:
    """Stop IPython from adding a PNG (or JPEG, PDF) of a ReportFigure beside its SVG.

    The inline backend registers a PNG printer for every matplotlib Figure; a printer that
    returns None for :class:`ReportFigure` (and only it) leaves the SVG of the mime bundle alone.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    for mime in ("image/png", "image/jpeg", "application/pdf"):
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is not None and formatter.type_printers.get(ReportFigure) is not _nothing:
            formatter.for_type(ReportFigure, _nothing)


def _nothing(_obj: object) -> None:
    return None


def new_figure(name: str, height: float, width: float = BOOK_WIDTH_IN, **kwargs) -> ReportFigure:
    """A :class:`ReportFigure` of ``width`` x ``height`` inches (width defaults to the book's)."""
    return ReportFigure(name=name, figsize=(width, height), **kwargs)
