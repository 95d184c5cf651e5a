"""A tiny synthetic visit (one zone, two firms, a handful of sentences), built in memory.

Rule tests run on it so that each rule is tested on data whose answer is known by
construction, not only on this article's numbers. Its tables are as the loader returns them:
list fields (``separator`` in the dictionary) hold tuples. Besides the visit's tables it has one
row or a few of each register (sources, inferences, codebook, recoding log, translation
notes), a three-row peers table, source metadata, and a data dictionary whose ``claims``
and ``entities`` resources are complete (:data:`CLAIMS_RESOURCE`, :data:`ENTITIES_RESOURCE`).
"""

from __future__ import annotations

import copy
import io

import pandas as pd

from analysis.data.load import Dataset


def _provenance_fields() -> list[dict]:
    """The four quote fields; each resource gets its own copies (shared objects are refused as YAML aliases)."""
    return copy.deepcopy(PROVENANCE_FIELDS)


PROVENANCE_FIELDS = [
    {"name": "quote", "type": "string", "constraints": {"required": True}},
    {"name": "paragraph", "type": "integer", "constraints": {"required": True, "minimum": 1}},
    {"name": "start", "type": "integer", "constraints": {"required": True, "minimum": 0}},
    {"name": "end", "type": "integer", "constraints": {"required": True, "minimum": 0}},
]

ENTITIES_RESOURCE = {
    "name": "entities",
    "path": "entities.csv",
    "description": "Every person, place and organisation named.",
    "provenance": True,
    "schema": {
        "primaryKey": "entity_id",
        "fields": [
            {"name": "entity_id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "[a-z_]+"}},
            {"name": "entity_type", "type": "string", "constraints": {"required": True, "enum": ["person", "place", "organisation", "facility", "event"]}},
            {"name": "canonical_name", "type": "string", "constraints": {"required": True}},
            {"name": "variants", "type": "string", "separator": "|", "constraints": {"required": True}},
            {"name": "visit_role", "type": "string", "constraints": {"enum": ["host_zone", "enterprise", "setting_event"]}},
            {"name": "short_name", "type": "string"},
            *_provenance_fields(),
        ],
    },
}

CLAIMS_RESOURCE = {
    "name": "claims",
    "path": "claims.csv",
    "description": "Every assertion about the zone and the firms.",
    "provenance": True,
    "schema": {
        "primaryKey": "claim_id",
        "foreignKeys": [{"fields": "entity_id", "reference": {"resource": "entities", "fields": "entity_id"}}],
        "fields": [
            {"name": "claim_id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "C[0-9]"}},
            {"name": "entity_id", "type": "string", "constraints": {"required": True}},
            {"name": "claim_type", "type": "string", "constraints": {"required": True, "enum": ["attribute", "product", "credential", "facility"]}},
            {"name": "evaluative", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}},
            {"name": "statement", "type": "string", "constraints": {"required": True}},
            {"name": "value", "type": "number", "appearsInQuote": True, "constraints": {"minimum": 0}},
            {"name": "qualifier", "type": "string", "constraints": {"enum": ["more than"]}},
            {"name": "unit", "type": "string"},
            *_provenance_fields(),
        ],
    },
}

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
    # fmt: off
    # (one row a line: the tables read as tables)
    entities = _frame(
        [
            {"entity_id": "zone_z", "entity_type": "place", "canonical_name": "Zone Z", "variants": ("Zone Z",), "visit_role": "host_zone", "short_name": "Z", **_span("Zone Z")},
            {"entity_id": "firm_g", "entity_type": "organisation", "canonical_name": "Firm G Ltd", "variants": ("Firm G",), "visit_role": "enterprise", "short_name": "G", **_span("Firm G")},
            {"entity_id": "firm_f", "entity_type": "organisation", "canonical_name": "Firm F Ltd", "variants": ("Firm F", "F"), "visit_role": "enterprise", "short_name": None, **_span("Firm F")},
            {"entity_id": "hall_f", "entity_type": "facility", "canonical_name": "Hall of F", "variants": ("hall of F",), "visit_role": None, "short_name": None, **_span("the hall of F")},
            {"entity_id": "mayor", "entity_type": "person", "canonical_name": "Mayor A", "variants": ("Mayor A", "the mayor"), "visit_role": None, "short_name": None, **_span("Mayor A")},
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
    facts = _frame(
        [
            {"fact_id": "F1", "topic": "firms", "entity_ids": ("firm_f", "firm_g"), "kind": "fact", "confidence": "high", "statement": "s", "bib_keys": ("news",)},
            {"fact_id": "F2", "topic": "zone", "entity_ids": ("zone_z",), "kind": "fact", "confidence": "medium", "statement": "The zone opened.", "bib_keys": ("news", "gazette")},
        ]
    ).assign(
        date_start=pd.to_datetime([None, "2019-03-01"]),
        date_end=pd.to_datetime([None, None]),
        date_precision=[None, "month"],
        timeline_label=[None, "Zone Z opens"],
    )
    sources = _frame(
        [
            {"bib_key": "news", "publisher": "A newspaper", "independence": "independent", "mirror_of": None, "note": "Reports on both firms."},
            {"bib_key": "gazette", "publisher": "The zone's gazette", "independence": "same_publisher", "mirror_of": None, "note": "The zone's own notice."},
        ]
    )
    inferences = _frame(
        [{"inference_id": "I1", "title": "The tour came first", "statement": "The mayor saw the zone before the firms.", "basis": ("S1", "V1", "news"), "confidence": "high", "chapter": "chapters/visit"}]
    )
    codebook = _frame(
        [
            {"code_id": "K1", "variable": "directives.category", "code": "talent", "definition": "Gathering people.", "include": "Teams.", "exclude": None, "hard_case": "D2 is talent."},
            {"code_id": "K2", "variable": "claims.evaluative", "code": "true", "definition": "A judgement.", "include": None, "exclude": "Numbers.", "hard_case": "C1."},
        ]
    )
    recoding = _frame(
        [
            {"change_id": "R1", "table": "claims", "row_id": "C1", "column": "evaluative", "old": "false", "new": "true", "rule": "praise is a judgement"},
            {"change_id": "R2", "table": "claims", "row_id": "C9", "column": "(row)", "old": "C9", "new": None, "rule": "a duplicate of C2"},
        ]
    )
    notes = _frame(
        [
            {"note_id": "N1", "likely_original": "考察", "literal_sense": "inspect", "meaning": "A study visit.", "confidence": "high", "findings_affected": ("S1", "V1"), "inference_id": "I1", **_span("visits")},
            {"note_id": "N2", "likely_original": "人才", "literal_sense": "talent", "meaning": "Skilled people.", "confidence": "medium", "findings_affected": ("D2",), "inference_id": None, **_span("teams")},
        ]
    )
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
    # fmt: on
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
        "sources": sources,
        "inferences": inferences,
        "codebook": codebook,
        "recoding_log": recoding,
        "translation_notes": notes,
        "peers": peers_frame(),
        "statements": _frame(
            [
                {
                    "statement_id": "ST01",
                    "chapter": "chapters/visit",
                    "text": "Of {claims} claims, {claims_corroborated:none} is corroborated",
                    "check": "claims_corroborated <= 1",
                },
                {"statement_id": "ST02", "chapter": "chapters/index", "text": "No measures", "check": "directives_with_any_mark == 0"},
            ]
        ),
    }
    keys = {
        "entities": "entity_id",
        "claims": "claim_id",
        "activities": "activity_id",
        "topics": "topic_id",
        "directives": "directive_id",
        "external_facts": "fact_id",
        "sentences": "sentence_id",
        "sources": "bib_key",
        "inferences": "inference_id",
        "codebook": "code_id",
        "recoding_log": "change_id",
        "translation_notes": "note_id",
        "peers": "peer_id",
        "statements": "statement_id",
    }
    resources = [{"name": n, "path": f"{n}.csv", "description": n, "schema": {"primaryKey": keys.get(n, "link_id"), "fields": []}} for n in tables]
    for r in resources:
        if r["name"] == "directives":
            r["schema"]["fields"] = [
                {"name": "category", "constraints": {"enum": ["learn_from_host", "talent", "platforms"]}, "categoryLabels": {"talent": "Talent"}}
            ]
        if r["name"] in ("activities", "directives", "sentences", "translation_notes"):
            r["provenance"] = True
    resources = [ENTITIES_RESOURCE if r["name"] == "entities" else CLAIMS_RESOURCE if r["name"] == "claims" else r for r in resources]
    package = {"name": "mini", "source": {"path": "source/article.txt", "sha256": "0" * 64}, "resources": resources}
    return Dataset(text=TEXT, source=SOURCE, package=package, tables=tables, bibliography=BIBLIOGRAPHY)


SOURCE = {
    "title": "Mayor A visits Zone Z",
    "publisher": "A city government",
    "address": "http://example.org/visit",
    "language": "English",
    "date_status": "Not printed; inferred.",
    "rights": "Synthetic text.",
    "size": {"paragraphs": 1, "words": len(TEXT.split()), "bytes": len(TEXT.encode()), "encoding": "UTF-8"},
    "sha256": "0" * 64,
    "visit_date_inferred": {"earliest": "2020-05-01", "latest": "2020-05-03", "basis": "inference"},
    "abbreviations": [],
}

BIBLIOGRAPHY = {
    "news": {"title": "Firms of Zone Z", "url": "https://example.org/news"},
    "gazette": {"title": "Zone Z opens", "url": "https://example.org/gazette"},
}


def with_setting_event(ds: Dataset) -> Dataset:
    """The dataset with a trade fair marked as the setting event and a dated fact about it (2-4 May 2020)."""
    tables = {k: v.copy() for k, v in ds.tables.items()}
    fair = {
        "entity_id": "fair",
        "entity_type": "event",
        "canonical_name": "Trade Fair",
        "variants": ("Mayor A",),
        "visit_role": "setting_event",
        "short_name": "Fair",
        **_span("Mayor A"),
    }
    tables["entities"] = pd.concat([tables["entities"], pd.DataFrame([fair])], ignore_index=True)
    fact = {
        "fact_id": "F3",
        "topic": "fair",
        "entity_ids": ("fair",),
        "kind": "fact",
        "confidence": "high",
        "statement": "The fair ran for three days.",
        "bib_keys": ("news",),
    }
    fact |= {"date_start": pd.Timestamp("2020-05-02"), "date_end": pd.Timestamp("2020-05-04"), "date_precision": "day", "timeline_label": "Trade fair"}
    tables["external_facts"] = pd.concat([tables["external_facts"], pd.DataFrame([fact])], ignore_index=True)
    return Dataset(text=ds.text, source=ds.source, package=ds.package, tables=tables, bibliography=ds.bibliography)


#: Three readouts, as peers.csv would hold them: the subject (a study trip out, whose counts the book computes from
#: the visit's own tables), a trip out to invest, a meeting at home.
PEERS_CSV = """\
peer_id,is_subject,url,title_summary,leader,other_leaders,date,date_precision,genre,destination,purpose,trip_id,frames_learning,firm_figures,firm_credentials,directive_clauses_visible,has_quantity,has_deadline,has_budget,has_unit,visibility,evidence
P1,true,http://example.org/1,The visit,Mayor A,,2020-05-01,month,delegation_out,City Z,study,t1,,,,,,,,,complete,learn from Zone Z
P2,false,https://example.org/2,A fair,Mayor B,Mayor A,2020-07-01,month,delegation_out,City Y,investment_promotion,t2,false,0,0,,,,,,truncated,signed deals
P3,false,http://example.org/3,A meeting,Mayor A,,2020-06-01,month,meeting,Home,,,false,2,0,3,false,true,false,true,complete,complete the work
"""


def peers_frame() -> pd.DataFrame:
    """The typed peers table of :data:`PEERS_CSV`, as the loader returns it (booleans, integers, dates, tuples)."""
    frame = pd.read_csv(io.StringIO(PEERS_CSV), dtype=str)
    frame = frame.astype(object).where(frame.notna(), None)
    frame = frame.assign(
        leader_role="Mayor", date_basis="inferred", date_note=None, scope="elsewhere", units_visited=[None, 3, 3], outcomes_stated=None, note=None
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["other_leaders"] = [tuple(v.split("|")) if isinstance(v, str) else () for v in frame["other_leaders"]]
    for column in ("directive_clauses_visible", "firm_figures", "firm_credentials", "units_visited"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("is_subject", "frames_learning", "has_quantity", "has_deadline", "has_budget", "has_unit"):
        frame[column] = frame[column].map({"true": True, "false": False}).astype("boolean")
    return frame
