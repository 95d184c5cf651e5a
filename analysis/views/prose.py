"""Values, quotations and inference boxes for a chapter's prose, the same in the book and in JupyterLab.

A chapter puts data into its Markdown with MyST's ``{eval}`` role: ``{eval}`n.words``` for a
value, ``{eval}`q("S13:Tan Chengxu stressed that")``` for a quotation. The book (myst-nb,
executing inline) renders each object's ``text/markdown``; JupyterLab with ``jupyterlab-myst``
renders its ``text/html``. An inference's box is the output of a code cell, ``box("I09")``.
Nothing here is specific to one article.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from ..data.errors import ReportDataError, Violation
from ..data.load import Dataset
from ..data.registers import ID_TOKEN, KEY_TOKEN
from ..data.schema import provenance_keys
from ..queries.concepts import Concepts, Text
from ..queries.inferences import box_anchor
from ..queries.statements import evaluate
from .links import linked_text, row_table, row_target
from .markup import escape_markdown
from .tables import anchor

__all__ = [
    "Words",
    "Values",
    "Quote",
    "quoted_table",
    "quoter",
    "InferenceBox",
    "boxer",
    "Said",
    "Sayer",
    "statement_anchor",
    "SOURCE_PAGE",
    "reliability_words",
    "caveat_words",
]

#: The annotated source, relative to a chapter (links from JupyterLab; the book resolves labels).
SOURCE_PAGE = "source.ipynb"


_NUMBER_WORDS = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


class Words:
    """A concept's value as a word, for prose that reads better in words: ``{eval}`w.enterprises``` gives "three".

    Values above ten are given in digits.
    """

    def __init__(self, concepts: Concepts) -> None:
        self._concepts = concepts

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._concepts, name)
        return Text(_NUMBER_WORDS[value] if isinstance(value, int) and 0 <= value < len(_NUMBER_WORDS) else str(value))


class Values(dict):
    """Named values of a chapter, read as attributes in ``{eval}`` (``n.words``).

    An unknown name raises :class:`AttributeError` naming the known ones, so a typo in the prose
    fails the build instead of printing nothing.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            value = self[name]
            return Text(value) if isinstance(value, str) else value
        except KeyError:
            raise AttributeError(f"no value named {name!r} (known: {', '.join(sorted(self))})") from None


class Quote:
    """A quotation from a coded row, in quotation marks, linked to its place in the annotated source.

    Parameters
    ----------
    row_id : str
        The coded row (any table whose rows carry a quote).
    text : str
        The words shown: the row's whole quote or a part of it.
    """

    def __init__(self, row_id: str, text: str) -> None:
        self.row_id, self.text = row_id, text

    def __repr__(self) -> str:
        return f"\u201c{self.text}\u201d"

    def _repr_markdown_(self) -> str:
        return f"[\u201c{escape_markdown(self.text)}\u201d](#{anchor(self.row_id)})"

    def _repr_html_(self) -> str:
        return f'<a href="{SOURCE_PAGE}#{anchor(self.row_id)}">\u201c{html.escape(self.text)}\u201d</a>'


def quoted_table(package: Mapping[str, Any], row_id: str) -> str | None:
    """The table of rows carrying quotes whose id pattern (in the dictionary) the id matches, or None.

    Only the dictionary is read, so a chapter that quotes a row depends on that row's table alone.
    """
    table = row_table(package, row_id)
    return table if table in provenance_keys(package) else None


def quoter(ds: Dataset, chapter: str = "") -> Callable[[str], Quote]:
    """The chapter's quotation function: ``q("C07")`` quotes row C07, ``q("C07:some words")`` a part of it.

    Raises
    ------
    ReportDataError
        When the id names no coded row, or the words are not part of that row's quote.
    """

    def q(spec: str) -> Quote:
        key, _, fragment = spec.partition(":")
        key, fragment = key.strip(), fragment.strip()
        where = chapter or "a chapter"
        table = quoted_table(ds.package, key)
        rows = ds.tables[table] if table else None
        hit = rows[rows[provenance_keys(ds.package)[table]] == key] if rows is not None else None
        if hit is None or hit.empty:
            raise ReportDataError([Violation(where, 0, "quote", f"q({spec!r}) names no coded row")])
        quote = str(hit.iloc[0]["quote"])
        if fragment and fragment not in quote:
            raise ReportDataError([Violation(where, 0, "quote", f"q({spec!r}): {fragment!r} is not part of the quote of {key}: {quote!r}")])
        return Quote(key, fragment or quote)

    return q


class InferenceBox:
    """A registered inference shown as a box: title, statement, basis (linked) and confidence."""

    def __init__(self, row: Mapping[str, Any], package: Mapping[str, Any]) -> None:
        self.row, self.package = row, package

    @property
    def inference_id(self) -> str:
        return str(self.row["inference_id"])

    def _basis(self, markdown: bool) -> list[str]:
        out = []
        for item in self.row["basis"]:
            item = str(item).strip()
            target = row_target(self.package, item) if ID_TOKEN.match(item) else None
            if target:
                out.append(f"[{item}](#{target})" if markdown else f'<a href="#{target}">{item}</a>')
            elif KEY_TOKEN.match(item) and not ID_TOKEN.match(item):
                out.append(f"{{cite:p}}`{item}`" if markdown else f"[{html.escape(item)}]")
            else:
                out.append(escape_markdown(item) if markdown else html.escape(item))
        return out

    def __repr__(self) -> str:
        return f"Inference {self.inference_id}: {self.row['title']}. {self.row['statement']} (confidence: {self.row['confidence']})"

    def _repr_markdown_(self) -> str:
        i = self.inference_id
        return "\n".join(
            [
                f"````{{admonition}} Inference {i}: {escape_markdown(self.row['title'])}",
                ":class: caution inference",
                f":name: {box_anchor(i)}",
                "",
                linked_text(self.package, self.row["statement"]).markdown(),
                "",
                f"**Basis:** {'; '.join(self._basis(True))}",
                "",
                f"**Confidence:** {escape_markdown(self.row['confidence'])}",
                "````",
            ]
        )

    def _repr_html_(self) -> str:
        i = self.inference_id
        return (
            f'<div class="admonition caution inference" id="{box_anchor(i)}"><p class="admonition-title">Inference {i}: {html.escape(self.row["title"])}</p>'
            f"<p>{html.escape(self.row['statement'])}</p><p><strong>Basis:</strong> {'; '.join(self._basis(False))}</p>"
            f"<p><strong>Confidence:</strong> {html.escape(self.row['confidence'])}</p></div>"
        )


def boxer(ds: Dataset, chapter: str) -> Callable[[str], InferenceBox]:
    """The chapter's box function: ``box("I09")`` shows inference I09, which must be registered for this chapter.

    Raises
    ------
    ReportDataError
        When the id is not in the register, or the register places it in another chapter.
    """
    register = ds.inferences.set_index("inference_id", drop=False)

    def box(inference_id: str) -> InferenceBox:
        if inference_id not in register.index:
            raise ReportDataError([Violation("data/inferences.csv", 0, "inference_id", f"box({inference_id!r}): no such inference is registered")])
        row = register.loc[inference_id]
        if chapter and str(row["chapter"]) != chapter:
            raise ReportDataError(
                [Violation("data/inferences.csv", 0, "chapter", f"box({inference_id!r}) stands in {chapter} but is registered for {row['chapter']}")]
            )
        return InferenceBox({k: (v if not (isinstance(v, float) and pd.isna(v)) else "") for k, v in row.items()}, ds.package)

    return box


def statement_anchor(statement_id: str) -> str:
    """The HTML id of a registered statement where a chapter shows it (``statement-st05``)."""
    return f"statement-{statement_id.lower()}"


class Said:
    """A registered statement as a chapter shows it: its checked text, marked with its id."""

    def __init__(self, statement_id: str, text: str) -> None:
        self.statement_id, self.text = statement_id, text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return f"[{escape_markdown(self.text)}]{{#{statement_anchor(self.statement_id)} .statement}}"

    def _repr_html_(self) -> str:
        return f'<span class="statement" id="{statement_anchor(self.statement_id)}">{html.escape(self.text)}</span>'

    @property
    def plain(self) -> str:
        """The checked text alone, for a heading (``## {eval}`say.ST05.plain```): the heading carries the id and
        class as block attributes (``{#statement-st05 .statement}`` on the line above), so the page's list of
        contents shows one rendering of it, under a short anchor."""
        return self.text


class Sayer:
    """A chapter's registered statements, read as attributes in ``{eval}`` (``say.ST05``).

    Each is checked against the data when it is read (:func:`analysis.queries.statements.evaluate`);
    a statement registered for another chapter, or not registered, is an error.
    """

    def __init__(self, ds: Dataset, chapter: str, concepts: Concepts | None = None) -> None:
        self._ds, self._chapter = ds, chapter
        self._concepts = concepts or Concepts(ds)

    def __getattr__(self, statement_id: str) -> Said:
        if statement_id.startswith("_"):
            raise AttributeError(statement_id)
        register = self._ds.statements
        hit = register[register.statement_id == statement_id]
        if hit.empty:
            raise ReportDataError([Violation("data/statements.csv", 0, "statement_id", f"{self._chapter}: say.{statement_id} is not registered")])
        row = hit.iloc[0]
        if str(row["chapter"]) != self._chapter:
            raise ReportDataError(
                [
                    Violation(
                        "data/statements.csv",
                        int(hit.index[0]) + 2,
                        "chapter",
                        f"say.{statement_id} is used in {self._chapter} but registered for {row['chapter']}",
                    )
                ]
            )
        return Said(statement_id, evaluate({**row.to_dict(), "line": int(hit.index[0]) + 2}, self._concepts))


def reliability_words(table: pd.DataFrame) -> str:
    """One sentence on a reliability table (:func:`analysis.queries.reliability.reliability_table`, or
    :func:`~analysis.queries.reliability.rounds_table`'s): how many variables are reliable, tentative,
    unreliable or undefined by Krippendorff's thresholds in the latest round that measured each, naming the
    weak ones with their percent agreement; and, for a rounds table, which fell below 0.667 in an earlier round."""
    from ..queries.reliability import THRESHOLDS, standing

    kinds = table.assign(standing=table.alpha.map(standing))
    n = len(kinds)
    parts = [f"alpha is at least 0.8 for {int(kinds.standing.eq('reliable').sum())}"]
    for kind, words in (("tentative", "between 0.667 and 0.8"), ("unreliable", "below 0.667")):
        weak = kinds[kinds.standing.eq(kind)]
        if len(weak):
            names = ", ".join(f"{r.variable} ({r['percent agreement']:.0f} % agreement on {r.units} units)" for _, r in weak.iterrows())
            parts.append(f"{words} for {len(weak)}: {names}")
    undefined = kinds[kinds.standing.eq("undefined")]
    if len(undefined):
        parts.append(f"undefined for {len(undefined)}, where the coders gave every unit the same code")
    if "lowest" in kinds:
        earlier = kinds[(kinds.lowest < THRESHOLDS[0]) & ~kinds.standing.eq("unreliable")]
        if len(earlier):
            names = ", ".join(f"{r.variable} ({r.lowest:.3f})" for _, r in earlier.iterrows())
            parts.append(f"in an earlier round, before their rules were rewritten, alpha was below 0.667 for {len(earlier)}: {names}")
    return f"Of the {n} coded variables measured, read in the latest round that measured each, " + "; ".join(parts)


def caveat_words(statements: pd.DataFrame, codebook: pd.DataFrame, unreliable: Mapping[str, float], below: float | None = None) -> str:
    """One sentence on which registered statements rest on a variable below alpha ``below`` (by default
    Krippendorff's 0.667; ``unreliable``, from :func:`analysis.queries.reliability.unreliable`), each of which carries a caveat."""
    from ..queries.reliability import THRESHOLDS
    from ..queries.statements import rests_on

    below = THRESHOLDS[0] if below is None else below

    if not unreliable:
        return f"No coded variable is below {below:g}, so no registered statement needs a caveat"
    hits = {v: [r.statement_id for _, r in statements.iterrows() if v in rests_on(r, codebook)] for v in sorted(unreliable)}
    parts = [
        (f"{ids[0]} rests on {v} and says so in a caveat" if len(ids) == 1 else f"{', '.join(ids)} rest on {v} and say so in caveats")
        if ids
        else f"no registered statement rests on {v}"
        for v, ids in hits.items()
    ]
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:]
