"""The house style of every figure: a packaged style sheet, a palette and the fonts it relies on.

The style sheet ``report.mplstyle`` (shipped with the package) holds every setting. It is
applied only inside :func:`house_style`, a ``matplotlib.style.context``: importing this
module or drawing a figure never changes matplotlib's global settings.

Colours are the Okabe-Ito palette (Okabe and Ito, 2008), distinguishable under the common
forms of colour blindness; greys are allowed for guides and context. Categories that matter
to the argument are also told apart by marker, hatch or a text label, never by colour alone.

Text is never parsed as mathtext (``text.parse_math: False``), so "$5m to $6m" draws as
written. Fonts fall back from DejaVu Sans (bundled with matplotlib) to WenQuanYi Zen Hei
(Debian ``fonts-wqy-zenhei``, installed by ``tools/setup.sh``) for Chinese characters;
:func:`undrawable` names any character no installed font of the style can draw, and the
figure functions refuse such text with :class:`FigureTextError` instead of drawing boxes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
from matplotlib import font_manager, ft2font

__all__ = [
    "STYLE_SHEET",
    "OKABE_ITO",
    "NEUTRALS",
    "MARKERS",
    "KIND_COLOURS",
    "BOOK_WIDTH_IN",
    "NARROW_IN",
    "MIN_FONT_PT",
    "FigureTextError",
    "house_style",
    "style_params",
    "font_files",
    "register_fonts",
    "undrawable",
    "check_drawable",
]

#: The packaged style sheet (``analysis/report.mplstyle``).
STYLE_SHEET: Path = Path(__file__).with_name("report.mplstyle")

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

#: Greys for guides, context and text (any colour with equal red, green and blue also counts as neutral).
NEUTRALS: dict[str, str] = {"white": "#FFFFFF", "grey": "#8C8C8C", "dark grey": "#595959", "light grey": "#D9D9D9"}

#: Marker shapes in the order categories receive them: filled shapes that stay distinct when small.
MARKERS: tuple[str, ...] = ("o", "s", "D", "^", "v", "P", "X", "h", "<", ">")

#: Colours for the outside-fact / inference distinction used throughout the book.
KIND_COLOURS: dict[str, str] = {
    "article": OKABE_ITO["blue"],
    "fact": OKABE_ITO["orange"],
    "inference": OKABE_ITO["purple"],
    "gap": NEUTRALS["grey"],
}

#: Width in inches at which the book shows a figure: 7 in is 672 CSS pixels, which fits the
#: text column of the book's theme (688 px at a 1280 px wide window, 790 px at 1440 px and
#: wider) without scaling, so font sizes in points are the sizes a reader sees on a desktop.
BOOK_WIDTH_IN: float = 7.0

#: Width of a figure drawn for a phone's column (about 350 CSS px), shown instead of the wide one on narrow screens.
NARROW_IN: float = 3.6

#: Smallest font size allowed at the book's rendered width, in points.
MIN_FONT_PT: float = 9.0


class FigureTextError(ValueError):
    """Text given to a figure cannot be drawn faithfully (a character no installed font has)."""


@cache
def style_params() -> dict[str, object]:
    """The settings of the style sheet, as a dictionary (read once)."""
    return dict(mpl.rc_params_from_file(STYLE_SHEET, use_default_template=False))


class _QuietFallbackWeight(logging.Filter):
    """Drop matplotlib's notice that the CJK fallback font has no 'normal' weight.

    WenQuanYi Zen Hei comes in one weight (500); matplotlib logs a warning the first time it
    looks the font up for normal-weight text, which would reach the page as stderr. The font
    is the right one, so this one message is dropped while a figure is drawn.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        msg = str(record.msg)
        fallbacks = set(style_params()["font.family"][1:])
        return not (msg.startswith("findfont: Failed to find font weight") and len(record.args or ()) > 1 and record.args[1] in fallbacks)


_FILTER = _QuietFallbackWeight()


@cache
def register_fonts() -> tuple[Path, ...]:
    """Make every installed font family of the style known to matplotlib, even with a stale font cache.

    Matplotlib caches its font list on first use; a font installed later (``fonts-wqy-zenhei`` by
    ``tools/setup.sh``) is unknown to that cache, and every figure would warn "findfont: Font family
    ... not found". A family missing from the font manager is looked up among the system's fonts and
    added with the public ``FontManager.addfont``. Returns the files added.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    wanted = [family for family in style_params()["font.family"] if family not in known and family not in ("sans-serif", "serif", "monospace")]
    added: list[Path] = []
    if wanted:
        for path in font_manager.findSystemFonts():
            try:
                name = font_manager.get_font(path).family_name
            except (OSError, RuntimeError):
                continue
            if name in wanted:
                font_manager.fontManager.addfont(path)
                added.append(Path(path))
    return tuple(added)


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Context in which figures are built and drawn in the house style; restores everything after."""
    register_fonts()
    logger = logging.getLogger("matplotlib.font_manager")
    logger.addFilter(_FILTER)
    try:
        with matplotlib.style.context(STYLE_SHEET):
            yield
    finally:
        logger.removeFilter(_FILTER)


@cache
def font_files() -> tuple[Path, ...]:
    """Files of the style's font families that are installed, in fallback order."""
    files = []
    with house_style():
        for family in style_params()["font.family"]:
            try:
                files.append(Path(font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)))
            except ValueError:
                continue
    return tuple(files)


@cache
def _charmap(path: Path) -> frozenset[int]:
    return frozenset(ft2font.FT2Font(str(path)).get_charmap())


def undrawable(text: str) -> list[str]:
    """Characters of ``text`` that none of the style's installed fonts can draw (whitespace ignored)."""
    maps = [_charmap(p) for p in font_files()]
    missing = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or not ch.isprintable():
            continue
        if not any(ord(ch) in m for m in maps):
            missing.append(ch)
    return missing


def check_drawable(texts: Iterable[str]) -> None:
    """Raise :class:`FigureTextError` naming every text that has characters no installed font can draw."""
    problems = []
    for t in texts:
        missing = undrawable(t)
        if missing:
            problems.append(f"{t!r}: no font for {', '.join(repr(c) for c in missing)}")
    if problems:
        families = ", ".join(style_params()["font.family"])
        raise FigureTextError(
            "figure text has characters the house fonts cannot draw (fonts tried: "
            + families
            + "; tools/setup.sh installs fonts-wqy-zenhei for Chinese):\n  - "
            + "\n  - ".join(problems)
        )
