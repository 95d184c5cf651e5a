"""A tiny synthetic visit (one zone, two firms, a handful of sentences), built in memory.

Rule tests run on it so that each rule is tested on data whose answer is known by
construction, not only on this article's numbers.
"""

from __future__ import annotations

import pandas as pd

from analysis.load import Dataset

TEXT = (
    "Mayor A visits Zone Z. Zone Z is a paradise. Firm F has 5 patents. "
    "Firm G is a key enterprise. In the hall of F the mayor listened. He asked about research. "
    "He stressed that we must learn. It is demanded to gather a number of teams."
)


def _span(quote: str) -> dict:
    start = TEXT.index(quote)
    return {"quote": quote, "paragraph": 1, "start": start, "end": start + len(quote)}


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def mini_dataset() -> Dataset:
    """Return the synthetic dataset."""
    entities = _frame(
        [
            {"entity_id": "zone_z", "entity_type": "place", "canonical_name": "Zone Z", "visit_role": "host_zone", "short_name": "Z", **_span("Zone Z")},
            {"entity_id": "firm_g", "entity_type": "organisation", "canonical_name": "Firm G Ltd", "visit_role": "enterprise", "short_name": "G", **_span("Firm G")},
            {"entity_id": "firm_f", "entity_type": "organisation", "canonical_name": "Firm F Ltd", "visit_role": "enterprise", "short_name": None, **_span("Firm F")},
            {"entity_id": "hall_f", "entity_type": "facility", "canonical_name": "Hall of F", "visit_role": None, "short_name": None, **_span("the hall of F")},
            {"entity_id": "mayor", "entity_type": "person", "canonical_name": "Mayor A", "visit_role": None, "short_name": None, **_span("Mayor A")},
        ]
    )
    claims = _frame(
        [
            {"claim_id": "C1", "entity_id": "zone_z", "claim_type": "attribute", "evaluative": True, "statement": "a paradise", "value": None, "qualifier": None, "unit": None, **_span("Zone Z is a paradise")},
            {"claim_id": "C2", "entity_id": "firm_f", "claim_type": "product", "evaluative": False, "statement": "5 patents", "value": 5.0, "qualifier": None, "unit": "patents", **_span("Firm F has 5 patents")},
            {"claim_id": "C3", "entity_id": "firm_g", "claim_type": "credential", "evaluative": False, "statement": "key enterprise", "value": None, "qualifier": None, "unit": None, **_span("Firm G is a key enterprise")},
            {"claim_id": "C4", "entity_id": "firm_f", "claim_type": "facility", "evaluative": False, "statement": "has a hall", "value": None, "qualifier": None, "unit": None, **_span("the hall of F")},
        ]
    )
    activities = _frame(
        [
            {"activity_id": "V1", "sequence": 1, "stop_id": "zone_z", "actor_id": "mayor", "activity_type": "tour", "location_id": None, **_span("visits Zone Z")},
            {"activity_id": "V2", "sequence": 2, "stop_id": "firm_f", "actor_id": "mayor", "activity_type": "briefing", "location_id": "hall_f", **_span("the mayor listened")},
            {"activity_id": "V3", "sequence": 3, "stop_id": "firm_f", "actor_id": "mayor", "activity_type": "discussion", "location_id": "hall_f", **_span("He asked about research")},
        ]
    )
    topics = _frame([{"topic_id": "T1", "activity_id": "V3", "theme": "research", "topic": "research", **_span("research")}])
    directives = _frame(
        [
            {"directive_id": "D1", "issuer_basis": "stated", "category": "learn_from_host", "quantity": None, "deadline": None, "budget": None, "responsible_unit": None, **_span("we must learn")},
            {"directive_id": "D2", "issuer_basis": "inferred", "category": "talent", "quantity": "a number of", "deadline": None, "budget": None, "responsible_unit": None, **_span("gather a number of teams")},
        ]
    )
    evidence = _frame(
        [
            {"link_id": "E1", "directive_id": "D1", "evidence_id": "V1", "rationale": "toured"},
            {"link_id": "E2", "directive_id": "D1", "evidence_id": "C1", "rationale": "praise of the zone"},
            {"link_id": "E3", "directive_id": "D1", "evidence_id": "C3", "rationale": "a firm's title"},
        ]
    )
    facts = _frame([{"fact_id": "F1", "entity_ids": "firm_f|firm_g", "kind": "fact", "statement": "s", "bib_keys": "news"}])
    context = _frame(
        [
            {"link_id": "L1", "claim_id": "C2", "fact_id": "F1", "relation": "no_source_found"},
            {"link_id": "L2", "claim_id": "C3", "fact_id": "F1", "relation": "contextualises"},
            {"link_id": "L3", "claim_id": "C3", "fact_id": "F1", "relation": "corroborates"},
            {"link_id": "L4", "claim_id": "C4", "fact_id": "F1", "relation": "company_statement"},
        ]
    )
    sentences = _frame(
        [
            {"sentence_id": "S1", "function": "visit", "register": "factual", **_span("Mayor A visits Zone Z.")},
            {"sentence_id": "S2", "function": "evaluation", "register": "evaluative", **_span("Zone Z is a paradise.")},
            {"sentence_id": "S3", "function": "claim", "register": "factual", **_span("Firm F has 5 patents.")},
            {"sentence_id": "S4", "function": "directive", "register": "normative", **_span("He stressed that we must learn.")},
        ]
    )
    tables = {
        "entities": entities,
        "claims": claims,
        "activities": activities,
        "topics": topics,
        "directives": directives,
        "directive_evidence": evidence,
        "external_facts": facts,
        "claim_context": context,
        "sentences": sentences,
    }
    keys = {"entities": "entity_id", "claims": "claim_id", "activities": "activity_id", "topics": "topic_id", "directives": "directive_id"}
    resources = [{"name": n, "path": f"{n}.csv", "description": n, "schema": {"primaryKey": keys.get(n, "link_id"), "fields": []}} for n in tables]
    for r in resources:
        if r["name"] == "directives":
            r["schema"]["fields"] = [{"name": "category", "constraints": {"enum": ["learn_from_host", "talent", "platforms"]}, "categoryLabels": {"talent": "Talent"}}]
    return Dataset(text=TEXT, source={}, package={"resources": resources}, tables=tables)
