"""The translation read as a translation: phrases that render Chinese terms of art."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .inferences import page_link
from .schema import provenance_keys
from .tables import Table, quote_cell, source_link

__all__ = ["translation_table"]


def translation_table(ds: Any) -> Table:
    """Every translation note: the English as printed (linked to the source), the likely Chinese, and what depends on it.

    Ids of quoted rows in ``findings_affected`` link to their place in the annotated
    source; an inference id links to its box.
    """
    n = ds.translation_notes
    quoted = {str(i) for t, k in provenance_keys(ds.package).items() for i in ds.tables[t][k]}
    boxes = dict(zip(ds.inferences.inference_id, ds.inferences.chapter))

    def rows_cell(items: str) -> str:
        return ", ".join(source_link(i) if i in quoted else html.escape(i) for i in items.split("|"))

    def inference_cell(i: Any) -> str:
        if i is None or (not isinstance(i, str) and pd.isna(i)):
            return "—"
        return f'<a href="{page_link(boxes[i], i)}">{html.escape(i)}</a>'

    frame = pd.DataFrame(
        {
            "English as printed": [quote_cell(q, i) for q, i in zip(n.quote, n.note_id)],
            "likely Chinese (word for word)": [f"{o} ({l})" for o, l in zip(n.likely_original, n.literal_sense)],
            "meaning": n.meaning,
            "confidence": n.confidence,
            "rows it affects": [rows_cell(a) for a in n.findings_affected],
            "inference": [inference_cell(i) for i in n.inference_id],
        }
    )
    return Table(
        frame,
        "Phrases of the English text that render Chinese terms of art: likely original, meaning and what depends on them",
        html_columns=["English as printed", "rows it affects", "inference"],
        widths={"meaning": "30%", "English as printed": "17%", "likely Chinese (word for word)": "22%"},
    )

