"""The analysis rules, each tested on a synthetic visit whose answers are known by construction."""

import pandas as pd
import pytest

from analysis.queries import compare, directives, ledger, profiles, roles
from analysis.queries.concepts import Concepts

from synthetic import mini_dataset


@pytest.fixture(scope="module")
def mini():
    return mini_dataset()


def test_roles_come_from_the_data_in_order_of_first_mention(mini):
    assert roles.host_zone(mini) == "zone_z"
    assert roles.enterprises(mini) == ["firm_f", "firm_g"]  # F is named first in the text
    assert roles.stops(mini) == ["zone_z", "firm_f", "firm_g"]
    assert roles.setting_event(mini) is None
    assert roles.short_name(mini, "firm_g") == "G" and roles.short_name(mini, "firm_f") == "Firm F Ltd"


def test_host_zone_must_be_unique(mini):
    ds = mini_dataset()
    ds.tables["entities"].loc[ds.entities.entity_id == "firm_g", "visit_role"] = "host_zone"
    with pytest.raises(ValueError, match="exactly one"):
        roles.host_zone(ds)


def test_grades_rest_only_on_independent_outside_evidence(mini):
    led = ledger.ledger(mini).set_index("claim_id")
    # C3 has a context link and an independent corroboration: corroboration wins
    assert led.loc["C3", "grade"] == "corroborated" and led.loc["C3", "check"] == "corroborates" and led.loc["C3", "facts"] == "F1"
    # a company's own statement never corroborates; the article's own "hall" is not evidence either
    assert led.loc["C4", "grade"] == "checkable, not corroborated" and led.loc["C4", "check"] == "company_statement"
    assert led.loc["C2", "check"] == "no_source_found" and led.loc["C2", "quantified"]
    assert led.loc["C1", "grade"] == "judgement" and led.loc["C1", "check"] == "not_searched"
    assert list(ledger.grade_counts(mini)) == [1, 2, 1]
    assert ledger.check_counts(mini)["contextualises"] == 0  # C3's context link is outranked


def test_facilities_are_counted_once_however_many_activities_they_hold(mini):
    m = compare.comparison_matrix(mini)
    assert list(m.columns) == ["Firm F Ltd", "G"]
    assert m.loc["activities at the firm", "Firm F Ltd"] == 2
    assert m.loc["facilities an act is placed in", "Firm F Ltd"] == 1
    assert m.loc["claims corroborated by an independent source"].tolist() == [0, 1]
    assert m.loc["figures as stated", "Firm F Ltd"] == "5 patents"


def test_evidence_kind_follows_the_table_and_the_entity_role_not_the_id(mini):
    kinds = directives.evidence_kinds(mini).set_index("link_id").kind
    assert kinds.to_dict() == {"E1": "activity", "E2": "claim about the host zone", "E3": "claim about the enterprise"}
    assert directives.linked_directives(mini).to_dict() == {"D1": 3, "D2": 0}


def test_specificity_and_categories(mini):
    spec = directives.specificity(mini)
    assert spec.score.to_dict() == {"D1": 0, "D2": 1}
    counts = directives.category_counts(mini)
    assert counts.to_dict() == {"learn from host": 1, "Talent": 1, "platforms": 0}


def test_profiles_select_by_entity(mini):
    assert profiles.claims_about(mini, "firm_f").claim_id.tolist() == ["C2", "C4"]
    assert profiles.topics_at(mini, "firm_f").topic_id.tolist() == ["T1"]
    assert profiles.context_about(mini, ["firm_g"]).fact_id.tolist() == ["F1"]
    assert profiles.quantified(mini).claim_id.tolist() == ["C2"]


def test_concepts_are_generic(mini):
    c = Concepts(mini)
    assert c.claims_enterprises == 3 and c.claims_zone_judgement == 1
    assert c.directives_linked == 1 and c.directives_with_any_mark == 0 and c.directives_with_stock_quantifier == 1


def test_setting_event_dates_come_from_the_role_not_an_id():
    from analysis.queries import timeline

    ds = mini_dataset()
    assert roles.setting_event(ds) is None
    with pytest.raises(ValueError, match="setting event"):
        timeline.setting_event_dates(ds)
    ent = ds.tables["entities"]
    ds.tables["entities"] = pd.concat([ent, pd.DataFrame([{"entity_id": "fair", "visit_role": "setting_event", "start": 0}])], ignore_index=True)
    ds.tables["external_facts"] = pd.DataFrame(
        {
            "fact_id": ["F8", "F9"],
            "entity_ids": [("fair",), ("fair", "firm_f")],
            "kind": ["fact", "fact"],
            "date_start": pd.to_datetime(["2020-05-02", "2020-05-01"]),
            "date_end": pd.to_datetime([None, "2020-05-03"]),
        }
    )
    assert timeline.setting_event_dates(ds).fact_id == "F9"
