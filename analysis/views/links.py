"""Links from any id a reader sees to the row it names, wherever the book shows that row.

A coded row of the article lives in the annotated source (``q-c07``); an outside fact in the facts
appendix (``fact-x38``); an inference in its box (``inference-i03``); a statement where its chapter
shows it (``statement-st05``); a readout of the sample in the peers chapter's listing (``peer-p13``).
The table an id belongs to is found by the primary-key patterns of the data dictionary, so only the
dictionary is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..data.schema import fields, primary_key, provenance_keys
from .markup import escape_markdown
from .tables import Ref, RefList, anchor

__all__ = ["ANCHOR_PREFIX", "ID_IN_TEXT", "row_table", "row_target", "row_ref", "row_refs", "LinkedText", "linked_text"]

#: A word of free text that may be a row id (``D06``, ``X25``, ``TN04``, ``ST05``, ``K024``).
ID_IN_TEXT = re.compile(r"\b[A-Z]{1,2}[0-9]{2,3}\b")

#: Tables shown outside the annotated source, and the prefix of their rows' HTML ids.
ANCHOR_PREFIX = {"external_facts": "fact-", "inferences": "inference-", "statements": "statement-", "peers": "peer-"}


def row_table(package: Mapping[str, Any], row_id: str) -> str | None:
    """The table whose primary key's pattern (in the dictionary) the id matches, or None."""
    for res in package["resources"]:
        key = primary_key(res)
        field = next((f for f in fields(res) if f["name"] == key), {})
        pattern = field.get("constraints", {}).get("pattern")
        if pattern and re.fullmatch(pattern, str(row_id)):
            return str(res["name"])
    return None


def row_target(package: Mapping[str, Any], row_id: str) -> str | None:
    """The HTML id of the place the book shows the row, or None when it shows it nowhere a link can reach."""
    table = row_table(package, row_id)
    if table is None:
        return None
    if table in provenance_keys(package):
        return anchor(row_id)
    prefix = ANCHOR_PREFIX.get(table)
    return f"{prefix}{str(row_id).lower()}" if prefix else None


def row_ref(package: Mapping[str, Any], row_id: str) -> Ref | str:
    """The id as a link to its row, or as plain text when the book shows the row nowhere."""
    target = row_target(package, row_id)
    return Ref(str(row_id), target) if target else str(row_id)


def row_refs(package: Mapping[str, Any], row_ids: Iterable[str], empty: str = "—") -> RefList | str:
    """Several ids as links, joined by commas (``empty`` when there are none)."""
    ids = [str(i) for i in row_ids if str(i)]
    return RefList([row_ref(package, i) for i in ids]) if ids else empty


class LinkedText(str):
    """Free text (a register's statement, a codebook rule) whose row ids link to their rows in the book.

    It is a ``str`` (the text as written); :meth:`markdown` escapes the text and turns each id that
    names a row the book shows into a link.
    """

    package: Mapping[str, Any]

    def __new__(cls, text: str, package: Mapping[str, Any]) -> LinkedText:
        obj = super().__new__(cls, text)
        obj.package = package
        return obj

    def __reduce__(self):
        return (str, (str(self),))

    def markdown(self) -> str:
        out, last = [], 0
        for match in ID_IN_TEXT.finditer(self):
            target = row_target(self.package, match.group(0))
            if target:
                out.append(escape_markdown(self[last : match.start()]) + f"[{match.group(0)}](#{target})")
                last = match.end()
        return "".join(out) + escape_markdown(self[last:])


def linked_text(package: Mapping[str, Any], text: object) -> LinkedText | object:
    """The text with its row ids linked, or the value unchanged when it is not text."""
    return LinkedText(str(text), package) if isinstance(text, str) else text
