"""The book's listings: registers, the codebook and coded rows as readable tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data.load import Dataset
from ..queries.inferences import box_anchor
from ..queries.profiles import activities_at, context_about, quantified
from ..queries.roles import short_name, stops
from .links import linked_text, row_refs
from .tables import Anchor, Cite, Ref, Table, fact_anchor, quote_cell, slug, source_link

__all__ = ["codebook_table", "log_table", "translation_table", "activities_table", "quantified_table", "context_table", "facts_table", "reliability_listing"]


def codebook_table(ds: Any, variable: str | None = None) -> Table:
    """The codebook (or one variable of it) as a readable three-column table.

    Columns: ``variable: code``, ``definition and rules`` (definition, then what
    the code includes and excludes) and ``worked hard case``. :class:`~analysis.views.tables.Table`
    escapes every cell.
    """
    cb = ds.codebook
    if variable is not None:
        cb = cb[cb.variable == variable]

    def present(v: Any) -> bool:
        return v is not None and not (not isinstance(v, str) and pd.isna(v)) and str(v) != ""

    def rules(r: Any) -> str:
        parts = [str(r.definition)]
        if present(r.include):
            parts.append(f"Includes: {r.include}")
        if present(r.exclude):
            parts.append(f"Excludes: {r.exclude}")
        return " ".join(parts)

    frame = pd.DataFrame(
        {
            "variable: code": [f"{r.variable}: {r.code}" for r in cb.itertuples()],
            "definition and rules": [linked_text(ds.package, rules(r)) for r in cb.itertuples()],
            "worked hard case": [linked_text(ds.package, str(r.hard_case)) for r in cb.itertuples()],
        }
    )
    caption = "Codebook" + (f": {variable}" if variable else ": the coded variables that call for judgement, their codes and decision rules")
    return Table(
        frame,
        caption,
        widths={"variable: code": "24%", "definition and rules": "42%", "worked hard case": "34%"},
        name="tbl-codebook" + (f"-{slug(variable)}" if variable else ""),
    )


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
            "statement": [linked_text(ds.package, x) for x in inf.statement],
            "confidence": inf.confidence,
            "boxed in": [Ref(titles.get(c, c.split("/")[-1]), box_anchor(i)) for i, c in zip(inf.inference_id, inf.chapter)],
        }
    )
    return Table(frame, "Every inference of the book, where it is boxed and how far it is trusted", widths={"statement": "55%"}, name="tbl-inferences")


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
            "meaning": [linked_text(ds.package, x) for x in n.meaning],
            "confidence": n.confidence,
            "rows it affects": [row_refs(ds.package, a) for a in n.findings_affected],
            "inference": [inference_cell(i) for i in n.inference_id],
        }
    )
    return Table(
        frame,
        "Phrases of the English text that render Chinese terms of art: likely original, meaning and what depends on them",
        widths={"meaning": "30%", "English as printed": "17%", "likely Chinese (word for word)": "22%"},
        name="tbl-translation",
    )


def activities_table(ds: Dataset, caption: str, name: str | None = None) -> Table:
    """Every activity of the delegation at the visit's stops, in order of the text, with place, topics and quote."""
    a = pd.concat([activities_at(ds, s) for s in stops(ds)], ignore_index=True).sort_values("start", ignore_index=True)
    topics = ds.topics.groupby("activity_id")["topic"].agg("; ".join)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in a.activity_id],
            "stop": [short_name(ds, s) for s in a.stop_id],
            "kind": a.activity_type,
            "where": [ds.row("entities", x)["canonical_name"] if isinstance(x, str) else None for x in a.location_id],
            "topics raised": [topics.get(i) for i in a.activity_id],
            "quote": [quote_cell(q, i) for q, i in zip(a.quote, a.activity_id)],
        }
    )
    return Table(frame, caption, widths={"quote": "38%"}, name=name)


def quantified_table(ds: Dataset, caption: str) -> Table:
    """The quantified claims; the qualifier is shown only where the article gives one."""
    q = quantified(ds)
    frame = pd.DataFrame(
        {
            "id": [source_link(i) for i in q.claim_id],
            "about": [short_name(ds, e) for e in q.entity_id],
            "figure as stated": [f"{qual + ' ' if isinstance(qual, str) else ''}{v:,.0f} {u}" for v, qual, u in zip(q.value, q.qualifier, q.unit)],
            "quote": [quote_cell(x, i) for x, i in zip(q.quote, q.claim_id)],
        }
    )
    return Table(frame, caption)


def context_table(ds: Dataset, entity_ids: list[str], caption: str, name: str | None = None) -> Table:
    """Outside facts about any of the given entities, as :func:`facts_table` shows them."""
    return facts_table(ds, context_about(ds, entity_ids).fact_id.tolist(), caption, name)


def facts_table(ds: Dataset, fact_ids: list[str] | None, caption: str, name: str | None = None) -> Table:
    """Outside facts (all, or those given, in that order) with kind, confidence, citations and the sources' independence.

    The table of all facts anchors each row (``fact-x38``); a table of some facts links each id to that row.

    The independence column lists, once each, the ``independence`` grades of the fact's
    sources in ``sources.csv`` (``independent``, ``company``, ``same_publisher``,
    ``government_self_report``); a gap has no source.
    """
    facts = ds.external_facts
    x = facts.set_index("fact_id").loc[fact_ids].reset_index() if fact_ids is not None else facts.reset_index(drop=True)
    grade = ds.sources.set_index("bib_key").independence if "sources" in ds.tables else pd.Series(dtype=str)

    def independence(keys: tuple[str, ...]) -> str | None:
        found = [grade.get(k) for k in keys]
        return ", ".join(dict.fromkeys(g.replace("_", " ") for g in found if isinstance(g, str))) or None

    frame = pd.DataFrame(
        {
            "id": [Anchor(i, fact_anchor(i)) if fact_ids is None else Ref(i, fact_anchor(i)) for i in x.fact_id],
            "kind": x.kind,
            "confidence": x.confidence,
            "outside fact (the book's words)": [linked_text(ds.package, t) for t in x.statement],
            "sources": [Cite(list(keys)) for keys in x.bib_keys],
            "independence of the sources": [independence(keys) for keys in x.bib_keys],
        }
    )
    return Table(frame, caption, widths={"outside fact (the book's words)": "50%"}, name=name)


def reliability_listing(table: pd.DataFrame, caption: str, name: str | None = None) -> Table:
    """A rounds table (:func:`analysis.queries.reliability.rounds_table`) as a readable table.

    Per round, alpha to three places ("undefined" where it is, empty where that round did not code
    the variable), percent agreement to a whole number (to one place where any disagreement would
    round to 100) and the units compared; then Krippendorff's reading of the variable's lowest
    alpha in any round, the reading the book's caveats follow.
    """
    from ..queries.reliability import standing

    rounds = [c[len("alpha (") : -1] for c in table.columns if c.startswith("alpha (")]
    out = table[["variable", "level"]].copy()
    for r in rounds:
        alpha, percent = table[f"alpha ({r})"], table[f"percent ({r})"]
        out[f"alpha, {r}"] = ["" if p != p else "undefined" if a != a else f"{a:.3f}" for a, p in zip(alpha, percent, strict=True)]
        out[f"% agreement, {r}"] = ["" if p != p else f"{p:.1f}" if 99.5 <= p < 100 else f"{p:.0f}" for p in percent]
        out[f"units, {r}"] = ["" if n != n else f"{n:.0f}" for n in table[f"units ({r})"]]
    out["reading, lowest round"] = table.lowest.map(standing)
    return Table(out, caption, name=name)
