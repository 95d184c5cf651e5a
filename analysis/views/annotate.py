"""The annotated source: the full text with every coded span marked and anchored.

Every row of a table that carries provenance gets an anchor (``id="q-<row id>"``)
at the start of its quote, so any chapter can link to the exact place; claims,
visit activities and directives are marked with distinct underline styles, and every
mention of an entity (found from its name variants) in bold.
"""

from __future__ import annotations

import html

import pandas as pd

from ..data.load import Dataset
from ..data.schema import provenance_keys
from ..data.text import find_all, paragraphs
from .tables import anchor

__all__ = ["MARKED", "coded_spans", "annotated_html"]

#: Tables whose spans are marked in the text, with their CSS class and legend label.
MARKED: dict[str, tuple[str, str, str]] = {
    "claims": ("claim_id", "c-claim", "claim"),
    "activities": ("activity_id", "c-activity", "visit activity"),
    "directives": ("directive_id", "c-directive", "directive"),
}


ENTITY_CSS = ("c-entity", "entity mention")


def entity_spans(ds: Dataset) -> pd.DataFrame:
    """Every mention of every entity, from its name variants: ``table``, ``id``, ``css``, ``start``, ``end``."""
    rows = [
        {"table": "entities", "id": e.entity_id, "css": ENTITY_CSS[0], "start": start, "end": start + len(variant)}
        for e in ds.entities.itertuples()
        for variant in e.variants
        for start in find_all(variant, ds.text)
    ]
    spans = pd.DataFrame(rows).drop_duplicates(["id", "start", "end"])
    # a variant inside a longer variant of the same entity ("High-tech Zone" in "Northern High-tech Zone") is one mention
    inner = [
        any((o.start <= r.start) and (o.end >= r.end) and (o.start, o.end) != (r.start, r.end) for o in spans[spans.id == r.id].itertuples())
        for r in spans.itertuples()
    ]
    return spans[[not x for x in inner]].reset_index(drop=True)


def coded_spans(ds: Dataset) -> pd.DataFrame:
    """All marked spans as one table: ``table``, ``id``, ``css``, ``start``, ``end``."""
    frames = []
    for table, (key, css, _) in MARKED.items():
        t = ds.tables[table]
        frames.append(pd.DataFrame({"table": table, "id": t[key], "css": css, "start": t["start"].astype(int), "end": t["end"].astype(int)}))
    frames.append(entity_spans(ds))
    return pd.concat(frames, ignore_index=True)


def annotated_html(ds: Dataset) -> str:
    """The whole article as HTML: paragraphs, numbered and anchored sentences, marked spans.

    Returns
    -------
    str
        A ``<div class="annotated-source">`` with a legend and one ``<p>`` per paragraph.
    """
    text = ds.text
    spans = coded_spans(ds)
    anchors: dict[int, list[str]] = {}
    for table, key in provenance_keys(ds.package).items():
        if table == "sentences":  # sentences are anchored by the span that wraps them
            continue
        t = ds.tables[table]
        for rid, start in zip(t[key], t["start"].astype(int)):
            anchors.setdefault(start, []).append(rid)
    sentences = ds.sentences.sort_values("start")
    # sentences are numbered by their place in the text, whatever their ids look like
    numbers = dict(zip(sentences.sentence_id, range(1, len(sentences) + 1)))
    cuts = set(spans.start) | set(spans.end) | set(anchors) | set(sentences.start.astype(int)) | set(sentences.end.astype(int))

    def segment_html(a: int, b: int) -> str:
        out = "".join(f'<span class="anchor" id="{anchor(r)}"></span>' for r in anchors.get(a, []))
        covering = spans[(spans.start <= a) & (spans.end >= b)]
        piece = html.escape(text[a:b])
        if covering.empty:
            return out + piece
        classes = " ".join(sorted(set(covering.css)))
        ids = ", ".join(covering.id)
        return out + f'<mark class="{classes}" title="{ids}">{piece}</mark>'

    parts = ['<div class="annotated-source">', _legend()]
    for para in paragraphs(text):
        css = "para headline" if para.number == 1 else "para"
        body = []
        for s in sentences[sentences.paragraph == para.number].itertuples():
            start, end = int(s.start), int(s.end)
            points = sorted(c for c in cuts if start <= c <= end) or [start, end]
            inner = "".join(segment_html(a, b) for a, b in zip(points, points[1:]) if b > a)
            number = numbers[s.sentence_id]
            body.append(f'<span class="sentence" id="{anchor(s.sentence_id)}"><sup class="sent-no" title="sentence {number}">{number}</sup>{inner}</span>')
        parts.append(f'<p class="{css}" data-paragraph="{para.number}"><span class="para-no">¶{para.number}</span> ' + " ".join(body) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _legend() -> str:
    marks = [(css, label) for _, css, label in MARKED.values()] + [ENTITY_CSS]
    items = "".join(f'<li><mark class="{css}">{label}</mark></li>' for css, label in marks)
    return f'<ul class="legend" aria-label="Key to the marks in the text">{items}</ul>'
