"""The translation read as a translation: phrases that render Chinese terms of art."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .inferences import box_anchor
from .tables import Ref, Table, quote_cell

__all__ = ["translation_table"]


def translation_table(ds: Any) -> Table:
    """Every translation note: the English as printed (linked to the source), the likely Chinese, and what depends on it.

    The English links to its place in the annotated source and an inference id to its
    box; the ids of the rows a note affects are listed as text.
    """
    n = ds.translation_notes

    def inference_cell(i: Any) -> str | Ref:
        if i is None or (not isinstance(i, str) and pd.isna(i)):
            return "—"
        return Ref(i, box_anchor(i))

    frame = pd.DataFrame(
        {
            "English as printed": [quote_cell(q, i) for q, i in zip(n.quote, n.note_id)],
            "likely Chinese (word for word)": [f"{o} ({l})" for o, l in zip(n.likely_original, n.literal_sense)],
            "meaning": n.meaning,
            "confidence": n.confidence,
            "rows it affects": [", ".join(a) for a in n.findings_affected],
            "inference": [inference_cell(i) for i in n.inference_id],
        }
    )
    return Table(
        frame,
        "Phrases of the English text that render Chinese terms of art: likely original, meaning and what depends on them",
        widths={"meaning": "30%", "English as printed": "17%", "likely Chinese (word for word)": "22%"},
        name="tbl-translation",
    )
