"""Golden numbers of THIS ARTICLE (the 2018 Dalian readout): a regression layer, not rule tests.

Each figure below is what the book states about this one article, computed from its data. A change
here means the data or a rule changed what the book says: check the chapters before updating a
number. The rules themselves are tested on synthetic data (``tests/test_rules.py``,
``tests/test_synthetic.py``); a second article would replace this file, not the others.
"""

import pandas as pd

from analysis.queries import compare, directives, ledger, sourcemap, timeline
from analysis.queries.concepts import Concepts
from analysis.views import annotate

#: The article's headline figures (front page and findings), from ``analysis.queries.concepts``.
KEY_FIGURES = {
    "words": 600,
    "sentences": 15,
    "claims": 28,
    "enterprises": 3,
    "claims_enterprises": 19,
    "claims_zone": 8,
    "claims_zone_judgement": 7,
    "claims_corroborated": 1,
    "claims_judgement": 8,
    "activities": 13,
    "directives": 11,
    "directives_with_any_mark": 0,
    "directives_with_stock_quantifier": 2,
    "directives_linked": 6,
    "directive_paragraph": 5,
    "trips": 11,
    "trips_framed_as_learning": 2,
    "peers_others": 52,
    "peers_others_date_inferred": 28,
}


def test_key_figures_of_this_article(ds):
    c = Concepts(ds)
    assert {name: getattr(c, name) for name in KEY_FIGURES} == KEY_FIGURES


def test_claim_grades_of_this_article(ds):
    assert ledger.grade_counts(ds).to_dict() == {"corroborated": 1, "checkable, not corroborated": 19, "judgement": 8}


def test_claims_per_enterprise_of_this_article(ds):
    assert compare.comparison_matrix(ds).loc["claims about it"].to_dict() == {"Tiandy": 8, "Tellyes": 6, "Concorde": 5}


def test_directive_links_of_this_article(ds):
    linked = directives.linked_directives(ds)
    assert linked[linked > 0].index.tolist() == ["D03", "D05", "D06", "D08", "D09", "D11"] and linked.sum() == 15


def test_paragraphs_of_this_article(ds):
    pm = sourcemap.paragraph_map(ds)
    assert pm.paragraph.tolist() == [1, 2, 3, 4, 5, 6]
    assert pm.words.sum() == 600 and pm.sentences.sum() == 15
    assert pm.loc[pm.paragraph == 5, "directives"].item() == 11
    assert pm.loc[pm.paragraph == 6, "what it does"].item() == "attendance"


def test_zone_mentions_of_this_article(ds):
    entities = annotate.entity_spans(ds)
    assert (entities.id == "binhai_htz").sum() == 5  # both spellings, one entity


def test_dates_of_this_article(ds):
    assert timeline.visit_window(ds) == (pd.Timestamp("2018-09-17"), pd.Timestamp("2018-09-20"))
    assert timeline.timeline_events(ds).set_index("label").loc["Binhai zone set up", "when"] == "1988"
    assert timeline.date_phrases(ds) == {"visit_from": "17", "visit_to": "20 September 2018", "event_from": "18", "event_to": "20 September 2018"}
