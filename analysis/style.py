"""The house style of every figure: one colour-blind-safe palette, set once.

Colours are the Okabe-Ito palette (Okabe and Ito, 2008), distinguishable under the
common forms of colour blindness. Categories that matter to the argument are also
told apart by marker or hatch, never by colour alone. Figures have a white
background so that they stay legible when the site is read in dark mode.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = ["OKABE_ITO", "SIDE_COLOURS", "SIDE_LABELS", "SIDE_MARKERS", "KIND_COLOURS", "use_house_style", "new_figure"]

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#8C8C8C",
}

SIDE_COLOURS: dict[str, str] = {
    "dalian_delegation": OKABE_ITO["blue"],
    "tianjin_host": OKABE_ITO["orange"],
    "national": OKABE_ITO["green"],
    "none": OKABE_ITO["grey"],
}
SIDE_LABELS: dict[str, str] = {
    "dalian_delegation": "Dalian delegation",
    "tianjin_host": "Host in Tianjin",
    "national": "National level",
    "none": "Neither side",
}
SIDE_MARKERS: dict[str, str] = {"dalian_delegation": "o", "tianjin_host": "s", "national": "D", "none": "^"}

#: Colours for the article / outside / inference distinction used throughout the book.
KIND_COLOURS: dict[str, str] = {
    "article": OKABE_ITO["blue"],
    "fact": OKABE_ITO["orange"],
    "inference": OKABE_ITO["purple"],
    "gap": OKABE_ITO["grey"],
}


def use_house_style() -> None:
    """Apply the house style to matplotlib (idempotent)."""
    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "report",
            "path.simplify": True,
        }
    )


def new_figure(width: float = 7.0, height: float = 3.5) -> tuple[plt.Figure, plt.Axes]:
    """A figure and axes in the house style, sized in inches."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax
