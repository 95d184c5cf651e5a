"""Text utilities for the source article: paragraphs, sentences and offsets.

All offsets are character offsets (Unicode code points) into the text exactly as
read from ``data/source/article.txt``; ``text[start:end]`` is the span itself.
Paragraphs are numbered from 1 (the title is paragraph 1), sentences from 1
within the whole article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Span",
    "paragraphs",
    "sentences",
    "paragraph_at",
    "find_all",
    "locate",
]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence ends at . ! or ? followed by whitespace and a capital letter or an
# opening quotation mark, unless the piece before the break ends with one of the
# source's abbreviations (``abbreviations`` in SOURCE.yaml, passed to :func:`sentences`).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")


@dataclass(frozen=True)
class Span:
    """A located stretch of the source text.

    Attributes
    ----------
    number : int
        1-based number of the paragraph or sentence.
    paragraph : int
        1-based number of the paragraph that holds the span.
    start, end : int
        Character offsets; ``text[start:end] == self.text``.
    text : str
        The span as it stands in the source.
    """

    number: int
    paragraph: int
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Span]:
    """Split the source into paragraphs at runs of blank lines.

    Parameters
    ----------
    text : str
        The source text.

    Returns
    -------
    list of Span
        One span per non-empty paragraph, surrounding whitespace excluded.
    """
    spans: list[Span] = []
    position = 0
    pieces = _PARAGRAPH_BREAK.split(text)
    for piece in pieces:
        start = text.index(piece, position) if piece else position
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + lead
            spans.append(Span(len(spans) + 1, len(spans) + 1, s, s + len(stripped), stripped))
        position = start + len(piece)
    return spans


def sentences(text: str, abbreviations: Iterable[str] = ()) -> list[Span]:
    """Split the source into sentences, numbered through the whole article.

    Parameters
    ----------
    text : str
        The source text.
    abbreviations : iterable of str, default ()
        Words ending in a full stop that never end a sentence here (``"Co."``, ``"Ltd."``),
        as listed under ``abbreviations`` in the source's metadata.

    Returns
    -------
    list of Span
        One span per sentence; ``paragraph`` gives the paragraph it sits in.
    """
    spans: list[Span] = []
    for para in paragraphs(text):
        cursor = 0
        for piece in _join_abbreviations(_SENTENCE_END.split(para.text), para.text, tuple(abbreviations)):
            offset = para.text.index(piece, cursor)
            start = para.start + offset
            spans.append(Span(len(spans) + 1, para.number, start, start + len(piece), piece))
            cursor = offset + len(piece)
    return spans


def _join_abbreviations(pieces: list[str], text: str, abbreviations: tuple[str, ...]) -> list[str]:
    """Re-join the pieces split after a listed abbreviation, keeping the text between them."""
    if not abbreviations:
        return pieces
    out: list[str] = []
    cursor = 0
    for piece in pieces:
        offset = text.index(piece, cursor)
        if out and out[-1].split()[-1] in abbreviations:
            out[-1] += text[cursor:offset] + piece
        else:
            out.append(piece)
        cursor = offset + len(piece)
    return out


def paragraph_at(text: str, offset: int) -> int:
    """Return the number of the paragraph that holds character ``offset``.

    Raises
    ------
    ValueError
        If the offset falls outside every paragraph (in a blank gap or past the end).
    """
    for para in paragraphs(text):
        if para.start <= offset < para.end:
            return para.number
    raise ValueError(f"offset {offset} is not inside any paragraph")


def find_all(quote: str, text: str) -> list[int]:
    """Return every start offset at which ``quote`` occurs in ``text`` (overlaps included)."""
    if not quote:
        return []
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def locate(quote: str, text: str, occurrence: int = 1) -> Span:
    """Find the ``occurrence``-th appearance of ``quote`` and say where it stands.

    Parameters
    ----------
    quote : str
        An exact span of the source.
    text : str
        The source text.
    occurrence : int, default 1
        Which appearance to return when the quote occurs more than once.

    Returns
    -------
    Span
        With ``number`` equal to ``occurrence``.

    Raises
    ------
    ValueError
        If the quote does not occur that many times.
    """
    hits = find_all(quote, text)
    if len(hits) < occurrence:
        raise ValueError(f"{quote!r} occurs {len(hits)} time(s) in the source, not {occurrence}")
    start = hits[occurrence - 1]
    return Span(occurrence, paragraph_at(text, start), start, start + len(quote), quote)
