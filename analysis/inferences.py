"""The inference register: every place the book goes beyond the text, checked and listed.

Each row of ``inferences.csv`` is boxed once in the book by the ``{inference}``
directive (``_ext/registers.py``); this module checks what the rows rest on and
builds the list the findings chapter shows.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .errors import Violation
from .tables import Ref, Table

__all__ = ["ID_TOKEN", "KEY_TOKEN", "basis_kind", "check_basis", "log_table", "box_anchor", "page_link"]

#: A basis item that looks like a row id of a table (``S03``, ``C07``, ``F12``).
ID_TOKEN = re.compile(r"^[A-Z]{1,3}[0-9]+$")
#: A basis item that looks like a citation key (one word, no spaces).
KEY_TOKEN = re.compile(r"^[a-z][A-Za-z0-9_:-]*$")


def basis_kind(item: str) -> str:
    """Classify one basis item: ``"id"``, ``"key"`` or ``"phrase"`` (free words)."""
    item = item.strip()
    if ID_TOKEN.match(item):
        return "id"
    if KEY_TOKEN.match(item) and " " not in item:
        return "key"
    return "phrase"


def check_basis(
    inferences: pd.DataFrame,
    row_ids: set[str],
    bib_keys: set[str],
    file: str,
    column: str = "basis",
) -> list[Violation]:
    """Every id in a ``basis`` (or another "|"-joined ``column``) must be a row of some table, every key an entry of the bibliography.

    Parameters
    ----------
    inferences : pandas.DataFrame
        The register, indexed by file line; ``basis`` holds items joined by "|" (as stored) or a tuple (as loaded).
    row_ids : set of str
        Primary keys of every table of the package.
    bib_keys : set of str
        Citation keys of ``references.bib``.
    file : str
        Path used in messages.
    """
    out: list[Violation] = []
    for line, basis in inferences[column].items():
        if isinstance(basis, tuple | list):
            items = [str(b) for b in basis]
        elif basis is None or pd.isna(basis):
            continue
        else:
            items = str(basis).split("|")
        for item in items:
            item = item.strip()
            kind = basis_kind(item)
            if not item:
                out.append(Violation(file, line, column, "an empty item between '|' separators"))
            elif kind == "id" and item not in row_ids:
                out.append(Violation(file, line, column, f"{item!r} looks like a row id but no table has that row"))
            elif kind == "key" and item not in bib_keys:
                out.append(Violation(file, line, column, f"{item!r} looks like a citation key but references.bib has no such entry"))
    return out


def box_anchor(inference_id: str) -> str:
    """The HTML id of an inference's box (``inference-i03``)."""
    return f"inference-{inference_id.lower()}"


def page_link(chapter: str, inference_id: str, from_chapters: bool = True) -> str:
    """A relative link to an inference's box, from a page in ``chapters/`` by default."""
    page = chapter.split("/", 1)[1] if from_chapters and chapter.startswith("chapters/") else chapter
    return f"{page}.html#{box_anchor(inference_id)}"


def log_table(ds: Any, titles: dict[str, str] | None = None) -> Table:
    """Every registered inference with its confidence and a link to the page that boxes it.

    Parameters
    ----------
    ds : Dataset
        The loaded data (``ds.inferences``).
    titles : dict of str to str, optional
        Page titles by docname, to show instead of the bare docname.

    Returns
    -------
    Table
        Columns ``inference``, ``statement``, ``confidence``, ``boxed in``.
    """
    inf = ds.inferences
    titles = titles or {}
    frame = pd.DataFrame(
        {
            "inference": [Ref(f"{i}: {t}", box_anchor(i)) for i, t in zip(inf.inference_id, inf.title)],
            "statement": inf.statement,
            "confidence": inf.confidence,
            "boxed in": [Ref(titles.get(c, c.split("/")[-1]), box_anchor(i)) for i, c in zip(inf.inference_id, inf.chapter)],
        }
    )
    return Table(frame, "Every inference of the book, where it is boxed and how far it is trusted", widths={"statement": "55%"}, name="tbl-inferences")
