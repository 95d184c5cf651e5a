"""Readable tables for the book: no index column, wrapped quotes, captions, links to the source.

A :class:`Table` shows as HTML in the book and in Jupyter, and as plain text
elsewhere (and to nbval).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Table", "anchor", "source_link", "quote_cell", "SOURCE_PAGE"]

#: The page of the annotated source, relative to every chapter page.
SOURCE_PAGE = "source.html"


def anchor(row_id: str) -> str:
    """The HTML id of a coded row's place in the annotated source (``q-td01``)."""
    return f"q-{row_id.lower()}"


def source_link(row_id: str, label: str | None = None) -> str:
    """An HTML link to a row's place in the annotated source."""
    text = html.escape(label if label is not None else row_id)
    return f'<a href="{SOURCE_PAGE}#{anchor(row_id)}">{text}</a>'


def quote_cell(quote: str, row_id: str) -> str:
    """A quote shown in quotation marks and linked to its place in the source."""
    return f'<a class="quote" href="{SOURCE_PAGE}#{anchor(row_id)}" title="See {html.escape(row_id)} in the annotated source">“{html.escape(quote)}”</a>'


@dataclass
class Table:
    """A captioned table for display.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show; its index is never shown.
    caption : str
        Says what the table shows.
    html_columns : list of str
        Columns whose cells are already HTML (links, quotes) and must not be escaped.
    widths : dict of str to str
        CSS widths per column (``{"quote": "40%"}``).
    """

    frame: pd.DataFrame
    caption: str
    html_columns: list[str] = field(default_factory=list)
    widths: dict[str, str] = field(default_factory=dict)

    def _cell(self, column: str, value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "—"
        if isinstance(value, float) and value.is_integer():
            value = f"{int(value):,}"
        if column in self.html_columns:
            return str(value)
        return html.escape(str(value))

    def to_html(self) -> str:
        """The table as accessible HTML: caption, scoped column headers, no index."""
        def th(c: str) -> str:
            style = f' style="width:{self.widths[c]}"' if c in self.widths else ""
            return f'<th scope="col"{style}>{html.escape(str(c))}</th>'

        head = "".join(th(c) for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{self._cell(c, v)}</td>" for c, v in zip(self.frame.columns, row)) + "</tr>"
            for row in self.frame.itertuples(index=False, name=None)
        )
        return (
            f'<div class="report-table" role="region" tabindex="0" aria-label="{html.escape(self.caption, quote=True)}">'
            f'<table class="table report">'
            f"<caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        plain = self.frame.copy()
        for c in self.html_columns:
            plain[c] = plain[c].astype(str).str.replace(r"<[^>]+>", "", regex=True).map(html.unescape)
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            return f"{self.caption}\n{plain.to_string(index=False)}"
