"""The source's metadata and its paragraph map."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset
from ..data.text import paragraphs

__all__ = ["metadata_table", "paragraph_map"]

_FIELDS = [
    ("title", "Title"),
    ("publisher", "Publisher"),
    ("address", "Address"),
    ("language", "Language"),
    ("date_status", "Date"),
    ("rights", "Copyright and terms"),
]


def metadata_table(ds: Dataset) -> pd.DataFrame:
    """The source's metadata as field/value rows, with its size and checksum."""
    s = ds.source
    rows = [(label, s[key]) for key, label in _FIELDS]
    size = s["size"]
    rows.append(("Size", f"{size['paragraphs']} paragraphs (title included), {size['words']} words, {size['bytes']:,} bytes {size['encoding']}"))
    rows.append(("SHA-256 of the stored copy", s["sha256"]))
    return pd.DataFrame(rows, columns=["field", "value"])


def paragraph_map(ds: Dataset) -> pd.DataFrame:
    """What each paragraph does: its sentences' functions, size, and the coded rows it holds."""
    rows = []
    for p in paragraphs(ds.text):
        s = ds.sentences[ds.sentences.paragraph == p.number]

        def count(table: str, number: int = p.number) -> int:
            return int((ds.tables[table].paragraph == number).sum())

        functions = list(dict.fromkeys(s.function))
        rows.append(
            {
                "paragraph": p.number,
                "what it does": ", ".join(functions),
                "sentences": len(s),
                "words": len(p.text.split()),
                "claims": count("claims"),
                "activities": count("activities"),
                "directives": count("directives"),
                "opens with": " ".join(p.text.split()[:8]) + " …",
            }
        )
    return pd.DataFrame(rows)
