"""Figures in the house style. Each function takes data and returns a matplotlib Figure."""

from __future__ import annotations

import matplotlib.dates as mdates
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import KIND_COLOURS, OKABE_ITO, SIDE_COLOURS, SIDE_LABELS, SIDE_MARKERS, new_figure

if TYPE_CHECKING:  # networkx is imported where it is used: only one chapter draws a network
    import networkx as nx

__all__ = ["bar_chart", "heatmap", "timeline", "network", "stacked_shares"]


def bar_chart(values: pd.Series, xlabel: str, colour: str = OKABE_ITO["blue"], width: float = 7.0) -> plt.Figure:
    """A horizontal bar chart of ``values`` (largest at the top), each bar labelled with its value."""
    fig, ax = new_figure(width, 0.35 * len(values) + 1.0)
    ordered = values.iloc[::-1]
    bars = ax.barh([str(i) for i in ordered.index], ordered.to_numpy(dtype=float), color=colour)
    ax.bar_label(bars, labels=[f"{v:g}" for v in ordered], padding=3, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.margins(x=0.12)
    return fig


def heatmap(matrix: pd.DataFrame, colorbar_label: str, width: float = 6.5) -> plt.Figure:
    """A grid of counts, each cell labelled with its number; sequential colour-blind-safe colours (cividis)."""
    fig, ax = new_figure(width, 0.42 * len(matrix) + 1.4)
    data = matrix.to_numpy(dtype=float)
    image = ax.imshow(data, cmap="cividis", aspect="auto", vmin=0, vmax=max(1.0, data.max()))
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=0)
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    threshold = data.max() / 2 if data.max() else 1
    for (i, j), v in np.ndenumerate(data):
        ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=9, color="black" if v > threshold else "white")
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    return fig


def timeline(events: pd.DataFrame, start: str | None = None, end: str | None = None) -> plt.Figure:
    """Events on a time axis: points for days, bars for spans; colour and marker by ``kind``.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``label``, ``date_start``, ``date_end`` (may be missing) and ``kind``
        (``article``, ``fact`` or ``inference``).
    start, end : str, optional
        Limits of the time axis (ISO dates).
    """
    events = events.sort_values("date_start").reset_index(drop=True)
    fig, ax = new_figure(7.5, 0.38 * len(events) + 1.2)
    markers = {"article": "o", "fact": "s", "inference": "D"}
    for i, ev in events.iterrows():
        colour = KIND_COLOURS[ev.kind]
        if pd.notna(ev.date_end) and ev.date_end > ev.date_start:
            ax.plot([ev.date_start, ev.date_end], [i, i], color=colour, linewidth=6, solid_capstyle="butt")
        ax.plot(ev.date_start, i, marker=markers[ev.kind], color=colour, markersize=7, linestyle="none")
        ax.annotate(ev.label, (ev.date_end if pd.notna(ev.date_end) else ev.date_start, i), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.invert_yaxis()
    if start or end:
        ax.set_xlim(pd.Timestamp(start) if start else None, pd.Timestamp(end) if end else None)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    handles = [plt.Line2D([], [], marker=markers[k], color=KIND_COLOURS[k], linestyle="none", label=lab) for k, lab in (("fact", "outside source"), ("inference", "inference (the book's)"))]
    ax.legend(handles=handles, loc="lower left")
    ax.margins(x=0.35)
    return fig


def network(graph: nx.Graph, seed: int = 7) -> plt.Figure:
    """Nodes coloured and shaped by side, joined when they appear together; labels are node names."""
    import networkx as nx

    fig, ax = new_figure(8, 5.5)
    pos = nx.spring_layout(graph, seed=seed, k=1.2)
    widths = [0.8 + 0.8 * d.get("weight", 1) for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#9a9a9a")
    for side, colour in SIDE_COLOURS.items():
        nodes = [n for n, d in graph.nodes(data=True) if d.get("side") == side]
        if nodes:
            nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=colour, node_shape=SIDE_MARKERS[side], node_size=260, ax=ax, label=SIDE_LABELS[side], edgecolors="black", linewidths=0.6)
    labels = {n: d["name"] for n, d in graph.nodes(data=True)}
    nx.draw_networkx_labels(graph, pos, labels=labels, font_size=8, ax=ax, verticalalignment="bottom", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5})
    ax.legend(loc="upper left", bbox_to_anchor=(0, 1.02), ncol=3, markerscale=0.8)
    ax.set_axis_off()
    ax.margins(0.15)
    return fig


def stacked_shares(shares: pd.Series, colours: dict[str, str], xlabel: str) -> plt.Figure:
    """One horizontal bar split into the shares of ``shares`` (which sum to 1), each labelled."""
    fig, ax = new_figure(7, 1.6)
    left = 0.0
    hatches = ["", "//", ".."]
    for (label, value), hatch in zip(shares.items(), hatches * 3):
        ax.barh([0], [value], left=left, color=colours[label], hatch=hatch, edgecolor="white", label=label)
        ax.text(left + value / 2, 0, f"{label}\n{value:.0%}", ha="center", va="center", fontsize=9, color="black", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
        left += value
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(xlabel)
    ax.spines["left"].set_visible(False)
    return fig


# TEMPORARY (peers): a minimal stand-in for figures.event_strip, which helper "figures" is
# implementing; the lead replaces this block with that version when merging. Same call:
# event_strip(events, lane_order=...), events with date (datetime64), lane, highlight, label.
def event_strip(events: pd.DataFrame, *, name: str = "event_strip", width: float = 7.0, lane_order: list[str] | None = None) -> plt.Figure:
    """Dated events in lanes, one marker shape per lane; highlighted events starred and labelled."""
    ev = events.dropna(subset=["date"])
    lanes = list(lane_order) if lane_order is not None else list(pd.unique(ev["lane"].astype(str)))
    shapes = ["o", "s", "D", "^", "v", "P", "X"]
    colours = [OKABE_ITO[k] for k in ("blue", "green", "orange", "purple", "sky", "black", "yellow")]
    fig, ax = new_figure(width, 0.42 * len(lanes) + 1.25)
    for i, lane in enumerate(lanes):
        ax.axhline(i, color="#dddddd", linewidth=0.8, zorder=0)
        sub = ev[(ev["lane"].astype(str) == lane) & ~ev["highlight"].astype(bool)]
        ax.plot(sub["date"], [i] * len(sub), marker=shapes[i], color=colours[i], markersize=7, linestyle="none", markeredgecolor="white")
    for r in ev[ev["highlight"].astype(bool)].itertuples():
        i = lanes.index(str(r.lane))
        ax.plot([r.date], [i], marker="*", color=OKABE_ITO["vermillion"], markersize=15, markeredgecolor="black", linestyle="none", zorder=3)
        label = getattr(r, "label", None)
        ax.annotate(str(label) if isinstance(label, str) else r.date.strftime("%d %b %Y"), (r.date, i), xytext=(0, 10), textcoords="offset points", ha="center", fontsize=9.5, fontweight="bold")
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(len(lanes) - 0.5, -1.0)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    return fig
