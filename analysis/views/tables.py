"""Readable tables for the book: no index column, wrapped quotes, captions, links to the source.

A :class:`Table` displays in three forms, and each display picks the one it understands:

* ``text/markdown``: a MyST ``list-table`` with a caption and a ``:name:``. The book
  renders this form (``nb_render_markdown_format: myst`` and a mime priority in
  ``_config.yml``), so Sphinx numbers the table, prose can cite it with
  ``{numref}`tbl-...```, and links to the annotated source are cross-references that
  the builder resolves (``source.html#q-c07`` on the site, an in-document jump in the
  single page and the PDF).
* ``text/html``: a plain captioned table for Jupyter, with no link to a page that does
  not exist there (ids and quotes are shown as text).
* ``text/plain``: for terminals and nbval: the caption and a preview of the rows (the
  book keeps every form of an output in its doctrees, so a full text copy of a long
  table would be loaded again at each cross-reference to its page).

Text from the data is always inert: every markup character in a Markdown cell is
backslash-escaped and every HTML cell is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Table", "Ref", "RefList", "Cite", "Anchor", "SourceLink", "anchor", "fact_anchor", "source_link", "quote_cell", "escape_markdown", "slug"]

PREVIEW_ROWS = 10  # rows a terminal's (text/plain) view shows; a notebook and the book show every row
_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")
# CommonMark lets a backslash escape any ASCII punctuation character.
_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def anchor(row_id: str) -> str:
    """The id of a coded row's place in the annotated source (``q-c01``).

    It is a label Sphinx knows (registered by the local extension), so a Markdown link
    ``[C01](#q-c01)`` from any page resolves to it in every builder.
    """
    return "q-" + _UNSAFE_ID.sub("-", str(row_id).lower()).strip("-")


def slug(text: str, limit: int = 60) -> str:
    """A lower-case, hyphenated id made from ``text``, cut at a word boundary near ``limit``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or "table"


def escape_markdown(text: str) -> str:
    """``text`` as inert MyST Markdown: one line, every ASCII punctuation character escaped.

    Roles (``{glue:text}``), emphasis, links, raw HTML, math and substitutions in data
    are therefore shown literally.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


class Ref(str):
    """Text that links to a label of the book (a cross-reference resolved by the builder).

    It is a ``str`` (its plain text); :class:`Table` renders it as ``[text](#target)``.

    Parameters
    ----------
    text : str
        The text shown.
    target : str
        The label linked to, e.g. ``inference-i03``.
    """

    target: str

    def __new__(cls, text: str, target: str) -> Ref:
        obj = super().__new__(cls, text)
        obj.target = str(target)
        return obj

    def __reduce__(self):
        return (Ref, (str(self), self.target))

    def markdown(self) -> str:
        """The MyST link: ``[text](#target)``."""
        return f"[{escape_markdown(str(self))}](#{self.target})"


class RefList(str):
    """Several :class:`Ref` (or plain ids) in one cell, joined by commas; its text is theirs."""

    items: tuple

    def __new__(cls, items: list) -> RefList:
        obj = super().__new__(cls, ", ".join(str(x) for x in items))
        obj.items = tuple(items)
        return obj

    def __reduce__(self):
        return (RefList, (list(self.items),))

    def markdown(self) -> str:
        return ", ".join(x.markdown() if isinstance(x, Ref) else escape_markdown(str(x)) for x in self.items)


class Cite(str):
    """Citation keys of ``references.bib`` that the book renders as numbered citations.

    It is a ``str`` (the keys joined by ", "); :class:`Table` renders it as a
    ``{cite:p}`` role, so the reader sees the bibliography's label and a link to the entry.
    An empty value renders as a dash.
    """

    keys: tuple[str, ...]

    def __new__(cls, keys: str | list[str] | None, sep: str = "|") -> Cite:
        items = tuple(k.strip() for k in (keys.split(sep) if isinstance(keys, str) else keys or []) if k and k.strip())
        obj = super().__new__(cls, ", ".join(items))
        obj.keys = items
        return obj

    def __reduce__(self):
        return (Cite, (list(self.keys),))

    def markdown(self) -> str:
        """The MyST citation role (``{cite:p}`a,b```), or a dash when there is no key."""
        if not self.keys:
            return "\u2014"
        bad = [k for k in self.keys if not re.fullmatch(r"[A-Za-z0-9_:.-]+", k)]
        if bad:
            raise ValueError(f"not a citation key: {bad[0]!r}")
        return "{cite:p}`" + ",".join(self.keys) + "`"


class Anchor(str):
    """A cell that other pages link to: its text, carrying the HTML id ``anchor_id`` (``fact-x38``).

    :class:`Table` renders it as ``[X38]{#fact-x38 .report-anchor}``: MyST makes the id an explicit
    target, which Sphinx registers as a label, so ``[X38](#fact-x38)`` resolves from any page and in
    every builder.
    """

    anchor_id: str

    def __new__(cls, text: str, anchor_id: str) -> Anchor:
        obj = super().__new__(cls, text)
        obj.anchor_id = anchor_id
        return obj

    def markdown(self) -> str:
        return f"[{escape_markdown(str(self))}]{{#{self.anchor_id} .report-anchor}}"


def fact_anchor(fact_id: str) -> str:
    """The HTML id of an outside fact's row in the facts appendix (``fact-x38``)."""
    return "fact-" + _UNSAFE_ID.sub("-", str(fact_id).lower()).strip("-")


class SourceLink(Ref):
    """A :class:`Ref` to a coded row's place in the annotated source (target: :func:`anchor` of the row).

    Parameters
    ----------
    text : str
        The text shown.
    row_id : str
        The coded row linked to.
    """

    row_id: str

    def __new__(cls, text: str, row_id: str) -> SourceLink:
        obj = super().__new__(cls, text, anchor(row_id))
        obj.row_id = str(row_id)
        return obj

    def __reduce__(self):
        return (SourceLink, (str(self), self.row_id))


def source_link(row_id: str, label: str | None = None) -> SourceLink:
    """A link to a row's place in the annotated source, shown as ``label`` (default: the id)."""
    return SourceLink(label if label is not None else str(row_id), row_id)


def quote_cell(quote: str, row_id: str) -> SourceLink:
    """A quote shown in quotation marks and linked to its place in the source."""
    return SourceLink(f"\u201c{quote}\u201d", row_id)


@dataclass
class Table:
    """A captioned, numbered table for display.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show; its index is never shown. Cells made by :func:`source_link`
        or :func:`quote_cell` link to the annotated source; every other value is text.
    caption : str
        Says what the table shows.
    html_columns : list of str
        Accepted for compatibility and ignored: links are recognised by their type, and
        no cell is ever passed through as markup.
    widths : dict of str to str
        Relative widths of some columns as percentages (``{"quote": "40%"}``); the
        other columns share what is left.
    name : str, optional
        The label prose cites with ``{numref}`name```. Default: ``tbl-`` and a slug of
        the caption (:attr:`label`). Labels are book-wide: two tables with the same
        caption need distinct names (Sphinx reports a duplicate label, and ``-W`` fails).
    """

    frame: pd.DataFrame
    caption: str
    html_columns: list[str] = field(default_factory=list)
    widths: dict[str, str] = field(default_factory=dict)
    name: str | None = None

    @property
    def label(self) -> str:
        """The table's label: ``name`` if given, else ``tbl-<slug of the caption>``."""
        return self.name or f"tbl-{slug(self.caption)}"

    @staticmethod
    def _text(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "\u2014"
        if isinstance(value, float) and value.is_integer():
            return f"{int(value):,}"
        return str(value)

    def _column_widths(self) -> list[int] | None:
        if not self.widths:
            return None
        columns = [str(c) for c in self.frame.columns]
        given = {c: float(str(w).rstrip("%")) for c, w in self.widths.items() if c in columns}
        rest = [c for c in columns if c not in given]
        share = max((100 - sum(given.values())) / len(rest), 5) if rest else 0
        return [max(1, round(given.get(c, share))) for c in columns]

    def to_markdown(self) -> str:
        """The table as a MyST ``list-table``: numbered caption, label, header row, links."""

        def cell(value: object) -> str:
            if hasattr(value, "markdown") and isinstance(value, str):
                return value.markdown()
            return escape_markdown(self._text(value))

        widths = self._column_widths()
        lines = [
            f"~~~{{list-table}} {escape_markdown(self.caption)}",
            f":name: {self.label}",
            ":header-rows: 1",
            ":class: report-table",
            f":widths: {' '.join(map(str, widths))}" if widths else ":widths: auto",
            "",
        ]
        body = list(self.frame.itertuples(index=False, name=None))
        if not body:  # docutils needs a body row; an empty table shows one row of dashes
            body = [(None,) * len(self.frame.columns)]
        rows = [list(self.frame.columns), *body]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                text = escape_markdown(str(value)) if i == 0 else cell(value)
                lines.append(f"{'* -' if j == 0 else '  -'} {text}".rstrip())
        lines.append("~~~")
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The table as plain HTML for Jupyter: caption, column headers, no index, no links."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(self._text(v))}</td>" for v in row) + "</tr>" for row in self.frame.itertuples(index=False, name=None)
        )
        return f'<table class="report-table"><caption>{html.escape(self.caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        """The caption and up to ``PREVIEW_ROWS`` rows (first and last), then how many rows the table has."""
        rows = len(self.frame)
        preview = self.frame.to_string(index=False, max_rows=PREVIEW_ROWS, max_colwidth=40)
        more = f"\n({rows} rows; all of them in .frame)" if rows > PREVIEW_ROWS else ""
        return f"{self.caption}\n{preview}{more}"
