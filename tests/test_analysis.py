"""Unit tests of the analysis modules the chapters call."""

import html
import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from analysis.queries import sourcemap, timeline
from analysis.views import annotate, style, tables

# --- tables: see test_tables.py ---------------------------------------------


# --- annotated source and source map ----------------------------------------
def test_annotated_source_anchors_every_row_once(ds):
    h = annotate.annotated_html(ds)
    ids = re.findall(r'id="([^"]+)"', h)
    assert len(ids) == len(set(ids))
    for table, key in [
        ("claims", "claim_id"),
        ("activities", "activity_id"),
        ("directives", "directive_id"),
        ("topics", "topic_id"),
        ("sentences", "sentence_id"),
        ("glossary", "term_id"),
    ]:
        for rid in ds.tables[table][key]:
            assert f'id="{tables.anchor(rid)}"' in h, rid


def test_annotated_source_keeps_the_text(ds):
    h = annotate.annotated_html(ds)
    body = re.sub(r"<sup[^>]*>.*?</sup>|<span class=\"para-no\">.*?</span>|<ul class=\"legend\".*?</ul>", "", h)
    plain = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert " ".join(plain.split()) == " ".join(ds.text.split())


def test_coded_spans(ds):
    spans = annotate.coded_spans(ds)
    entities = annotate.entity_spans(ds)
    assert len(spans) == len(ds.claims) + len(ds.activities) + len(ds.directives) + len(entities)
    assert set(spans.css) == {"c-claim", "c-activity", "c-directive", "c-entity"}
    assert all(ds.text[a:b] in ds.row("entities", i).variants for i, a, b in zip(entities.id, entities.start, entities.end))


def test_annotated_source_marks_entities(ds):
    h = annotate.annotated_html(ds)
    assert '<mark class="c-entity" title="lu_lin">Lu Lin</mark>' in h


def test_paragraph_map_and_metadata(ds):
    # this article's numbers are in tests/test_golden.py
    pm = sourcemap.paragraph_map(ds)
    assert pm.sentences.sum() == len(ds.sentences) and pm.directives.sum() == len(ds.directives)
    meta = sourcemap.metadata_table(ds)
    assert meta.loc[meta.field == "SHA-256 of the stored copy", "value"].item() == ds.source["sha256"]


# --- profiles and comparison ------------------------------------------------
# --- timeline and overview ----------------------------------------------------
def test_timeline(ds):
    # this article's dates are in tests/test_golden.py
    ev = timeline.timeline_events(ds)
    assert ev.date_start.is_monotonic_increasing and len(ev) == ds.external_facts.date_start.notna().sum()


# --- figures and style: see tests/test_figures.py ---------------------------------------------------
def test_house_style_is_colour_blind_safe():
    with style.house_style():
        cycle = [c["color"].upper() for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert set(cycle) <= {v.upper() for v in style.OKABE_ITO.values()}


# --- glue ------------------------------------------------------------------------
@pytest.mark.parametrize("value", [42, 0.2851, "20 September 2018", pd.Series([1, 2])])
@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_what_myst_nb_glue_writes(monkeypatch, value, display):
    import myst_nb.ext.glue as mystnb_glue

    from analysis.views import glue as ours

    calls = {}
    monkeypatch.setattr(mystnb_glue, "ipy_display", lambda *a, **k: calls.setdefault("myst_nb", (a, k)))
    monkeypatch.setattr(ours, "ipy_display", lambda *a, **k: calls.setdefault("ours", (a, k)))
    mystnb_glue.glue("key", value, display=display)
    ours.glue("key", value, display=display)
    assert calls["ours"] == calls["myst_nb"]
    assert ours.GLUE_PREFIX == mystnb_glue.GLUE_PREFIX
