"""Unit tests of the analysis modules the chapters call."""

import html
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import UnknownIdError, actors, annotate, compare, directives, figures, language, ledger, overview, profiles, sourcemap, style, tables, timeline  # noqa: E402


# --- tables: see test_tables.py ---------------------------------------------


# --- annotated source and source map ----------------------------------------
def test_annotated_source_anchors_every_row_once(ds):
    h = annotate.annotated_html(ds)
    ids = re.findall(r'id="([^"]+)"', h)
    assert len(ids) == len(set(ids))
    for table, key in [("claims", "claim_id"), ("activities", "activity_id"), ("directives", "directive_id"), ("topics", "topic_id"), ("sentences", "sentence_id"), ("glossary", "term_id")]:
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
    zone = entities[entities.id == "binhai_htz"]
    assert len(zone) == 5  # both spellings, one entity
    assert all(ds.text[a:b] in ds.entity("binhai_htz").variants.split("|") for a, b in zip(zone.start, zone.end))


def test_annotated_source_marks_entities(ds):
    h = annotate.annotated_html(ds)
    assert '<mark class="c-entity" title="lu_lin">Lu Lin</mark>' in h


def test_paragraph_map_and_metadata(ds):
    pm = sourcemap.paragraph_map(ds)
    assert pm.paragraph.tolist() == [1, 2, 3, 4, 5, 6]
    assert pm.words.sum() == 600 and pm.sentences.sum() == 15
    assert pm.loc[pm.paragraph == 5, "directives"].item() == 11
    assert pm.loc[pm.paragraph == 6, "what it does"].item() == "attendance"
    meta = sourcemap.metadata_table(ds)
    assert meta.loc[meta.field == "SHA-256 of the stored copy", "value"].item() == ds.source["sha256"]


# --- profiles and comparison ------------------------------------------------
def test_claims_and_activities_by_entity(ds):
    assert profiles.claims_about(ds, "tiandy").claim_id.tolist()[:2] == ["TD01", "TD02"]
    assert profiles.claims_about(ds, "tiandy").start.is_monotonic_increasing
    assert profiles.activities_at(ds, "concorde").activity_type.tolist() == ["tour", "briefing", "inspection", "briefing"]
    assert profiles.topics_at(ds, "tiandy").topic_id.tolist() == ["T02", "T03"]
    with pytest.raises(UnknownIdError):
        profiles.claims_about(ds, "huawei")


def test_quantified_claims(ds):
    q = profiles.quantified(ds)
    assert sorted(q.value.tolist()) == [28, 60, 1000]
    assert profiles.quantified(ds, "tellyes").qualifier.isna().tolist() == [True, False]
    t = profiles.quantified_table(ds, "c", "tiandy")
    assert "more than" in t.to_html() and ">60<" in t.to_html()


def test_words_per_stop_counts_whole_sentences(ds):
    w = profiles.words_per_stop(ds)
    assert w.index.tolist() == profiles.STOPS
    assert w.loc["tiandy", "words"] == len(ds.sentences.set_index("sentence_id").loc[["S04", "S05"], "quote"].str.cat(sep=" ").split())
    assert w.loc["concorde", "words"] == len(ds.row("sentences", "S10").quote.split())
    assert w.words.sum() < 600  # directives, headline and attendance belong to no stop


def test_profile_and_absences(ds):
    p = profiles.profile(ds, "concorde")
    assert p.frame.iloc[0, 1] == ds.name("concorde")
    assert profiles.absent_claim_types(ds, "concorde") == ["business", "credential", "product", "market"]
    assert profiles.absent_claim_types(ds, "tiandy") == ["product", "research"]


def test_context_is_selected_by_entity(ds):
    c = profiles.context_about(ds, ["tiandy"])
    assert set(c.fact_id) == {"X16", "X17", "X18"}
    assert profiles.context_about(ds, ["yi_qingtao"]).fact_id.tolist() == ["X14"]
    assert "taipeitimes2019" in profiles.context_table(ds, ["tiandy"], "c").to_html()


def test_comparison_matrix(ds):
    m = compare.comparison_matrix(ds)
    assert m.columns.tolist() == ["Tiandy", "Tellyes", "Concorde"]
    assert m.loc["claims"].tolist() == [8, 6, 5]
    assert m.loc["of which credentials", "Tiandy"] == 3
    assert m.loc["figures stated", "Tellyes"] == "28 international pioneering products; more than 1,000 kinds of medical virtual teaching products"
    assert m.loc["outside sources that corroborate a claim"].tolist() == [0, 0, 2]
    ct = compare.claim_type_matrix(ds)
    assert ct.to_numpy().sum() == 19
    at = compare.activity_type_matrix(ds)
    assert at.to_numpy().sum() == len(ds.activities)


# --- directives ---------------------------------------------------------------
def test_directive_categories_and_specificity(ds):
    c = directives.category_counts(ds)
    assert c.sum() == 11 and c.index[0] == "Implement higher guidance"
    s = directives.specificity(ds)
    assert s.loc[["D08", "D10"], "quantity"].tolist() == ["a number of", "a number of"]
    assert s.score.sum() == 2 and s.deadline.isna().all()


def test_directive_evidence(ds):
    m = directives.evidence_matrix(ds)
    assert m.index.tolist() == ds.directives.directive_id.tolist()
    assert m.loc["D03"].tolist() == [1, 2, 1, 1]
    assert directives.evidence_counts(ds).loc[["D01", "D02"]].tolist() == [0, 0]


# --- actors -------------------------------------------------------------------
def test_mentions_use_variants_and_count_once_per_sentence(ds):
    m = actors.mentions(ds, ("organisation",))
    tellyes = m[m.entity_id == "tellyes"]
    assert tellyes.sentence_id.tolist() == ["S06", "S09"]
    zone = actors.mentions(ds, ("place",))
    assert (zone.entity_id == "binhai_htz").sum() == 5


def test_cooccurrence_by_paragraph_and_sentence(ds):
    by_para = actors.cooccurrence(ds)
    pair = by_para[(by_para.source == "tan_chengxu") & (by_para.target == "tiandy")]
    assert pair.together.tolist() == [1]
    by_sentence = actors.cooccurrence(ds, unit="sentence")
    assert by_sentence[(by_sentence.source == "tan_chengxu") & (by_sentence.target == "tiandy")].empty
    g = actors.actor_graph(ds)
    assert isinstance(g, nx.Graph) and g.nodes["lu_lin"]["side"] == "dalian_delegation"
    assert g.has_edge("lu_lin", "zhang_shijun") and not g.has_edge("lu_lin", "tan_chengxu")


def test_side_counts(ds):
    s = actors.side_counts(ds)
    assert s.loc["dalian_delegation", "person"] == 3 and s.to_numpy().sum() == len(ds.entities)


# --- language -------------------------------------------------------------------
def test_top_words_and_phrases():
    text = "Innovation zone. Innovation and high - tech zone. High-tech zone."
    assert language.top_words(text, 2).values.tolist() == [["zone", 3], ["high-tech", 2]]
    p = language.top_phrases("a b c. x b c", length=2)
    assert p.values.tolist() == [["b c", 2]]


def test_key_terms_zero_out_common_words():
    k = language.key_terms("alpha common\n\nbeta common beta")
    assert k["key terms"].tolist() == ["alpha", "beta"]
    assert k.words.tolist() == [2, 3]


def test_register_balance(ds):
    r = language.register_balance(ds)
    assert r.index.tolist() == ["factual", "evaluative", "normative"]
    assert r.words.sum() == 600 and r["share of words"].sum() == pytest.approx(1)
    assert r.loc["normative", "sentences"] == 2


# --- ledger ---------------------------------------------------------------------
def test_ledger_grades(ds):
    led = ledger.ledger(ds).set_index("claim_id")
    assert led.loc["CS04", "grade"] == "corroborated"
    assert led.loc["TD08", "grade"] == "observed"  # the exhibition hall the mayor entered
    assert led.loc["TL05", "grade"] == "quantified, asserted"
    assert led.loc["Z04", "grade"] == "evaluative"
    assert led.loc["TD03", "grade"] == "asserted" and led.loc["TD03", "no_source_found"]
    counts = ledger.grade_counts(ds)
    assert counts.index.tolist() == list(ledger.GRADES) and counts.sum() == len(ds.claims)


# --- timeline and overview ----------------------------------------------------
def test_timeline(ds):
    start, end = timeline.visit_window(ds)
    assert (start, end) == (pd.Timestamp("2018-09-17"), pd.Timestamp("2018-09-20"))
    ev = timeline.timeline_events(ds, since="2013-01-01")
    assert ev.date_start.is_monotonic_increasing and ev.date_start.min().year == 2013
    assert "Binhai zone set up (year)" in timeline.timeline_events(ds).label.tolist()
    assert timeline.date_phrases(ds) == {"visit_from": "17", "visit_to": "20 September 2018", "davos_from": "18", "davos_to": "20 September 2018"}


def test_overview(ds):
    s = overview.table_summary(ds)
    assert s.rows.sum() == sum(len(t) for t in ds.tables.values())
    assert overview.checks_table().check.str.startswith("check_").all()
    k = overview.key_figures(ds)
    assert k["words"] == 600 and k["directives"] == 11 and k["directives_with_deadline"] == 0
    assert k["claims_quantified"] == 3 and k["directives_inferred_issuer"] == 6


# --- figures and style ----------------------------------------------------------
def test_house_style_is_colour_blind_safe():
    style.use_house_style()
    cycle = [c["color"].upper() for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert set(cycle) <= {v.upper() for v in style.OKABE_ITO.values()}
    assert set(style.SIDE_COLOURS) == set(style.SIDE_LABELS) == set(style.SIDE_MARKERS)


@pytest.mark.parametrize(
    "make",
    [
        lambda ds: figures.bar_chart(pd.Series({"a": 2, "b": 1}), "n"),
        lambda ds: figures.heatmap(compare.claim_type_matrix(ds), "claims"),
        lambda ds: figures.timeline(timeline.timeline_events(ds)),
        lambda ds: figures.network(actors.actor_graph(ds)),
        lambda ds: figures.stacked_shares(pd.Series({"x": 0.25, "y": 0.75}), {"x": "#000000", "y": "#E69F00"}, "share"),
    ],
)
def test_figures_draw(ds, make):
    fig = make(ds)
    assert isinstance(fig, plt.Figure) and fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    fig.canvas.draw()
    plt.close(fig)


def test_bar_chart_labels_each_bar():
    fig = figures.bar_chart(pd.Series({"a": 2, "b": 1}), "n")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(texts) == ["1", "2"]
    plt.close(fig)


# --- glue ------------------------------------------------------------------------
@pytest.mark.parametrize("value", [42, 0.2851, "20 September 2018", pd.Series([1, 2])])
@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_what_myst_nb_glue_writes(monkeypatch, value, display):
    import myst_nb.ext.glue as mystnb_glue

    from analysis import glue as ours

    calls = {}
    monkeypatch.setattr(mystnb_glue, "ipy_display", lambda *a, **k: calls.setdefault("myst_nb", (a, k)))
    monkeypatch.setattr(ours, "ipy_display", lambda *a, **k: calls.setdefault("ours", (a, k)))
    mystnb_glue.glue("key", value, display=display)
    ours.glue("key", value, display=display)
    assert calls["ours"] == calls["myst_nb"]
    assert ours.GLUE_PREFIX == mystnb_glue.GLUE_PREFIX
