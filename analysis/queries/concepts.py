"""Every concept the book counts or qualifies, defined once, with the coding rule it applies.

A chapter never counts for itself: it reads ``c.<name>`` (:class:`Concepts`) in its prose, or a
registered statement (:mod:`analysis.queries.statements`) built on these names. Two chapters
that state the same thing therefore show the same figure, and a data edit changes it everywhere.
Each concept names the rule it applies: a codebook row (``K083``) or a field of the data
dictionary (``peers.frames_learning``). Concepts read only the tables they need, so a chapter's
declared reads stay small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..data.load import Dataset
from . import ledger, peers, roles
from .directives import names_quantity

__all__ = ["Text", "Concept", "CONCEPTS", "Concepts", "concept_table", "SUBJECT_WINDOW", "BASELINE_MIN"]

#: The years around the subject readout in which the mayor's trips out are compared (inclusive).
SUBJECT_WINDOW = ("2018-01-01", "2019-12-31")


class Text(str):
    """A concept's text value, shown as it is (no quotation marks) where a notebook or the book displays it."""

    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Concept:
    """One defined concept: its name, the rule it applies and how it is computed from the data.

    A concept ``per_entity`` takes an entity id as well (``claims_of``): a chapter reads it as
    ``c.claims_of("tiandy")``, a statement as ``claims_of@tiandy``.
    """

    name: str
    rule: str
    definition: str
    compute: Callable[..., Any]
    per_entity: bool = False


CONCEPTS: dict[str, Concept] = {}


def _concept(rule: str, per_entity: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        doc = (fn.__doc__ or "").strip().splitlines()[0]
        CONCEPTS[fn.__name__] = Concept(fn.__name__, rule, doc, fn, per_entity)
        return fn

    return register


class Concepts:
    """The concepts of one dataset, computed on first use: ``c.claims_corroborated``.

    An unknown name raises :class:`AttributeError` naming the known ones, so a typo in a chapter
    fails its build.
    """

    def __init__(self, ds: Dataset) -> None:
        self._ds = ds
        self._values: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in CONCEPTS:
            raise AttributeError(f"no concept named {name!r} (defined: {', '.join(sorted(CONCEPTS))})")
        if CONCEPTS[name].per_entity:
            return lambda entity_id: self[f"{name}@{entity_id}"]
        if name not in self._values:
            value = CONCEPTS[name].compute(self._ds)
            self._values[name] = Text(value) if isinstance(value, str) else value
        return self._values[name]

    def __getitem__(self, key: str) -> Any:
        """A concept by name, or ``name@entity_id`` for a concept per entity."""
        name, _, entity = key.partition("@")
        if not entity:
            return getattr(self, name)
        if name not in CONCEPTS or not CONCEPTS[name].per_entity:
            raise KeyError(f"{name!r} is not a concept per entity")
        if key not in self._values:
            value = CONCEPTS[name].compute(self._ds, entity)
            self._values[key] = Text(value) if isinstance(value, str) else value
        return self._values[key]


def concept_table() -> pd.DataFrame:
    """Every concept with the rule it applies and its one-line definition (for the method appendix)."""
    return pd.DataFrame({"concept": list(CONCEPTS), "rule": [c.rule for c in CONCEPTS.values()], "definition": [c.definition for c in CONCEPTS.values()]})


# --- the source --------------------------------------------------------------------------


@_concept("SOURCE.yaml: words are split at whitespace")
def words(ds: Dataset) -> int:
    """Words of the article, split at whitespace, as the source's metadata counts them."""
    return len(ds.text.split())


@_concept("K001")
def sentences(ds: Dataset) -> int:
    """Sentences of the article (the title counts as one)."""
    return len(ds.sentences)


# --- claims ------------------------------------------------------------------------------


@_concept("K011")
def claims(ds: Dataset) -> int:
    """Claims the article makes about the zone, the enterprises or the mayor."""
    return len(ds.claims)


def _enterprise_claims(ds: Dataset) -> pd.DataFrame:
    return ds.claims[ds.claims.entity_id.isin(roles.enterprises(ds))]


@_concept("K087, K011")
def enterprises(ds: Dataset) -> int:
    """Enterprises the delegation visited."""
    return len(roles.enterprises(ds))


@_concept("K011")
def claims_enterprises(ds: Dataset) -> int:
    """Claims about the enterprises visited."""
    return len(_enterprise_claims(ds))


@_concept("K018")
def credentials(ds: Dataset) -> int:
    """Claims about the enterprises coded credential (an official title or accreditation, whether or not the text names its awarding body)."""
    return int(_enterprise_claims(ds).claim_type.eq("credential").sum())


@_concept("claims.value")
def figures(ds: Dataset) -> int:
    """Claims about the enterprises that state a number."""
    return int(_enterprise_claims(ds).value.notna().sum())


def _zone_claims(ds: Dataset) -> pd.DataFrame:
    return ds.claims[ds.claims.entity_id == roles.host_zone(ds)]


@_concept("K011")
def claims_zone(ds: Dataset) -> int:
    """Claims about the host zone."""
    return len(_zone_claims(ds))


@_concept("K024")
def claims_zone_judgement(ds: Dataset) -> int:
    """Claims about the host zone coded evaluative (judgements)."""
    return int(_zone_claims(ds).evaluative.astype(bool).sum())


@_concept("K025")
def claims_zone_checkable(ds: Dataset) -> int:
    """Claims about the host zone that a record could settle."""
    return int((~_zone_claims(ds).evaluative.astype(bool)).sum())


@_concept("claims.value")
def claims_zone_figures(ds: Dataset) -> int:
    """Claims about the host zone that state a number."""
    return int(_zone_claims(ds).value.notna().sum())


@_concept("K083")
def claims_corroborated(ds: Dataset) -> int:
    """Claims an independent outside source states (grade corroborated)."""
    return int(ledger.grade_counts(ds)["corroborated"])


@_concept("K084")
def claims_checkable(ds: Dataset) -> int:
    """Claims a record could settle that no independent source states (grade checkable, not corroborated)."""
    return int(ledger.grade_counts(ds)["checkable, not corroborated"])


@_concept("K085")
def claims_judgement(ds: Dataset) -> int:
    """Claims coded evaluative (grade judgement)."""
    return int(ledger.grade_counts(ds)["judgement"])


@_concept("K082")
def claims_no_source_found(ds: Dataset) -> int:
    """Claims searched for, with no source found."""
    return int(ledger.check_counts(ds)["no_source_found"])


@_concept("claim_context")
def claims_not_searched(ds: Dataset) -> int:
    """Claims with no outside fact linked: not searched for."""
    return int(ledger.check_counts(ds)["not_searched"])


@_concept("K083")
def claims_enterprises_corroborated(ds: Dataset) -> int:
    """Claims about the enterprises that an independent outside source states."""
    led = ledger.ledger(ds)
    return int((led.entity_id.isin(roles.enterprises(ds)) & led.grade.eq("corroborated")).sum())


# --- directives --------------------------------------------------------------------------


@_concept("K044")
def directives(ds: Dataset) -> int:
    """Directive clauses: actions the article says were asked of Dalian."""
    return len(ds.directives)


@_concept("K044")
def directive_paragraph(ds: Dataset) -> int:
    """The paragraph that holds every directive clause (the title is paragraph 1), or 0 when they lie in several."""
    found = sorted(set(ds.directives.paragraph))
    return int(found[0]) if len(found) == 1 else 0


@_concept("K047")
def directives_stated_issuer(ds: Dataset) -> int:
    """Directive clauses whose issuer the article names."""
    return int(ds.directives.issuer_basis.eq("stated").sum())


@_concept("K048")
def directives_inferred_issuer(ds: Dataset) -> int:
    """Directive clauses whose issuer the book infers."""
    return int(ds.directives.issuer_basis.eq("inferred").sum())


@_concept("K058")
def directives_with_quantity(ds: Dataset) -> int:
    """Directive clauses that name an amount (a stock quantifier such as 'a number of' is not one)."""
    return int(ds.directives.quantity.map(names_quantity).sum())


@_concept("K058")
def directives_with_stock_quantifier(ds: Dataset) -> int:
    """Directive clauses whose only quantity is a stock quantifier ('a number of')."""
    q = ds.directives.quantity
    return int((q.notna() & ~q.map(names_quantity)).sum())


@_concept("K060")
def directives_with_deadline(ds: Dataset) -> int:
    """Directive clauses that name a deadline."""
    return int(ds.directives.deadline.notna().sum())


@_concept("K062")
def directives_with_budget(ds: Dataset) -> int:
    """Directive clauses that name a budget."""
    return int(ds.directives.budget.notna().sum())


@_concept("K064")
def directives_with_unit(ds: Dataset) -> int:
    """Directive clauses that name a responsible unit."""
    return int(ds.directives.responsible_unit.notna().sum())


@_concept("K058, K060, K062, K064")
def directives_with_any_mark(ds: Dataset) -> int:
    """Directive clauses that name an amount, a deadline, a budget or a responsible unit."""
    d = ds.directives
    marked = d.quantity.map(names_quantity) | d.deadline.notna() | d.budget.notna() | d.responsible_unit.notna()
    return int(marked.sum())


@_concept("K068")
def directives_linked(ds: Dataset) -> int:
    """Directive clauses the book links to a row of the visit."""
    return int(ds.directive_evidence.directive_id.nunique())


# --- activities --------------------------------------------------------------------------


@_concept("K028")
def activities(ds: Dataset) -> int:
    """Activities of the delegation the article reports."""
    return len(ds.activities)


# --- peers -------------------------------------------------------------------------------


@_concept("peers.is_subject")
def peers_others(ds: Dataset) -> int:
    """Readouts in the sample other than the subject."""
    return len(peers.peers_of(peers.table(ds)))


@_concept("peers.visibility")
def peers_others_truncated(ds: Dataset) -> int:
    """Other readouts whose stored copy stops mid-text."""
    return int(peers.peers_of(peers.table(ds)).visibility.eq("truncated").sum())


@_concept("peers.date_basis")
def peers_others_date_inferred(ds: Dataset) -> int:
    """Other readouts whose date is inferred, not stated."""
    return int(peers.peers_of(peers.table(ds)).date_basis.eq("inferred").sum())


def _trips(ds: Dataset) -> pd.DataFrame:
    p = peers.table(ds)
    subject = peers.subject_of(p)
    trips = peers.trips_out(p, subject.leader, *SUBJECT_WINDOW)
    if not trips.is_subject.fillna(False).astype(bool).any():
        raise LookupError(
            f"the subject readout ({subject.peer_id}, leader {subject.leader!r}) is not among its leader's trips out in {SUBJECT_WINDOW}: "
            "check its genre, date and leader in data/peers.csv"
        )
    return trips


@_concept("peers.genre, peers.trip_id")
def trip_readouts(ds: Dataset) -> int:
    """Readouts of the subject's leader's trips out of the city in the comparison window (the subject included)."""
    return len(_trips(ds))


@_concept("peers.trip_id")
def trips(ds: Dataset) -> int:
    """Trips out of the city by the subject's leader in the comparison window (the subject's trip included)."""
    return int(_trips(ds).trip_id.nunique())


@_concept("peers.trip_id")
def trip_readouts_others(ds: Dataset) -> int:
    """Readouts of those trips other than the subject."""
    return len(peers.peers_of(_trips(ds)))


@_concept("peers.frames_learning")
def trips_framed_as_learning(ds: Dataset) -> int:
    """Trips (the subject's included) with a readout that names what is to be learnt from the hosts."""
    return int(peers.trip_table(_trips(ds)).learning.sum())


@_concept("peers.firm_credentials")
def peers_others_with_credentials(ds: Dataset) -> int:
    """Other readouts that give a visited firm any credential."""
    return int((peers.peers_of(peers.table(ds)).firm_credentials > 0).sum())


@_concept("peers.firm_figures")
def peers_others_with_figures(ds: Dataset) -> int:
    """Other readouts reporting a visit that give a visited firm any figure."""
    return int((_visiting_others(ds).firm_figures > 0).sum())


@_concept("peers.frames_learning")
def subject_framed_as_learning(ds: Dataset) -> int:
    """1 when the subject readout names what is to be learnt from its hosts, else 0."""
    return int(bool(peers.subject_of(peers.table(ds)).frames_learning))


def _visiting_others(ds: Dataset) -> pd.DataFrame:
    others = peers.peers_of(peers.table(ds))
    return others[others.units_visited > 0]


@_concept("peers.units_visited")
def peers_others_visiting(ds: Dataset) -> int:
    """Other readouts in which the leader visits at least one site, firm or institution."""
    return len(_visiting_others(ds))


@_concept("peers.units_visited, peers.scope")
def peers_others_visiting_out(ds: Dataset) -> int:
    """Of those, readouts of a visit outside Dalian (the rest are inspections at home)."""
    return int(_visiting_others(ds).scope.ne("dalian").sum())


@_concept("peers.units_visited, peers.visibility")
def peers_others_visiting_truncated(ds: Dataset) -> int:
    """Of those, readouts whose stored copy stops mid-text."""
    return int(_visiting_others(ds).visibility.eq("truncated").sum())


@_concept("peers.firm_credentials")
def peers_others_visiting_with_credentials(ds: Dataset) -> int:
    """Of those, readouts that give a visited firm any credential."""
    return int((_visiting_others(ds).firm_credentials > 0).sum())


@_concept("K083, K018")
def credentials_corroborated(ds: Dataset) -> int:
    """Credentials of the enterprises that an independent source states."""
    led = ledger.ledger(ds)
    return int((led.entity_id.isin(roles.enterprises(ds)) & led.claim_type.eq("credential") & led.grade.eq("corroborated")).sum())


@_concept("K083, claims.value")
def figures_corroborated(ds: Dataset) -> int:
    """Figures about the enterprises that an independent source states."""
    led = ledger.ledger(ds)
    return int((led.entity_id.isin(roles.enterprises(ds)) & led.quantified & led.grade.eq("corroborated")).sum())


#: Fewest comparable directive passages the book would call a baseline.
BASELINE_MIN = 5


@_concept("peers.directive_clauses_visible")
def trip_readouts_others_with_directives(ds: Dataset) -> int:
    """Other readouts of the leader's trips out that show a directive passage (one clause or more)."""
    return int((peers.peers_of(_trips(ds)).directive_clauses_visible.fillna(0) > 0).sum())


@_concept("method: a baseline needs BASELINE_MIN comparable passages")
def baseline_min(ds: Dataset) -> int:
    """The fewest comparable passages the book would call a baseline."""
    return BASELINE_MIN


@_concept("SOURCE.yaml: paragraphs are split at runs of blank lines")
def paragraphs(ds: Dataset) -> int:
    """Paragraphs of the article, the title counting as one."""
    from ..data.text import paragraphs as split

    return len(split(ds.text))


@_concept("translation_notes")
def translation_notes(ds: Dataset) -> int:
    """Phrases of the English text read as renderings of Chinese terms of art."""
    return len(ds.translation_notes)


@_concept("translation_notes.confidence")
def translation_notes_high(ds: Dataset) -> int:
    """Translation notes read with high confidence."""
    return int(ds.translation_notes.confidence.eq("high").sum())


# --- per entity ----------------------------------------------------------------------------


@_concept("K011", per_entity=True)
def claims_of(ds: Dataset, entity_id: str) -> int:
    """Claims about one entity."""
    ds.row("entities", entity_id)  # an unknown entity is an error, not a zero
    return int(ds.claims.entity_id.eq(entity_id).sum())


@_concept("K018", per_entity=True)
def credentials_of(ds: Dataset, entity_id: str) -> int:
    """Claims about one entity coded credential."""
    ds.row("entities", entity_id)
    return int((ds.claims.entity_id.eq(entity_id) & ds.claims.claim_type.eq("credential")).sum())


@_concept("claims.value", per_entity=True)
def figures_of(ds: Dataset, entity_id: str) -> int:
    """Claims about one entity that state a number."""
    ds.row("entities", entity_id)
    return int((ds.claims.entity_id.eq(entity_id) & ds.claims.value.notna()).sum())


@_concept("K083", per_entity=True)
def claims_corroborated_of(ds: Dataset, entity_id: str) -> int:
    """Claims about one entity that an independent outside source states."""
    ds.row("entities", entity_id)
    led = ledger.ledger(ds)
    return int((led.entity_id.eq(entity_id) & led.grade.eq("corroborated")).sum())


@_concept("K083, claims.claim_type", per_entity=True)
def corroborated_kinds_of(ds: Dataset, entity_id: str) -> str:
    """What the corroborated claims about one entity assert (their claim types), or "none"."""
    ds.row("entities", entity_id)
    led = ledger.ledger(ds)
    kinds = led[led.entity_id.eq(entity_id) & led.grade.eq("corroborated")].claim_type.drop_duplicates().tolist()
    return " and ".join(kinds) if kinds else "none"


@_concept("K087, activities.location_id", per_entity=True)
def facilities_visited_of(ds: Dataset, entity_id: str) -> int:
    """Facilities of one enterprise where an activity of the visit took place."""
    ds.row("entities", entity_id)
    at = ds.activities[ds.activities.stop_id.eq(entity_id)]
    return int(at.location_id.dropna().nunique())


@_concept("entities.side")
def host_officials(ds: Dataset) -> int:
    """People of the host side the article names."""
    e = ds.entities
    return int((e.entity_type.eq("person") & e.side.eq("tianjin_host")).sum())


def _facility_stops(ds: Dataset) -> set[str]:
    a = ds.activities
    return set(a[a.location_id.notna()].stop_id)


@_concept("activities.location_id")
def enterprises_with_facility(ds: Dataset) -> int:
    """Enterprises at which an activity of the visit took place in a facility of theirs."""
    return len(_facility_stops(ds) & set(roles.enterprises(ds)))


@_concept("K030, K033")
def enterprises_briefed_or_asked(ds: Dataset) -> int:
    """Enterprises at which the delegation was briefed or talked with the hosts."""
    a = ds.activities
    talk = set(a[a.activity_type.isin(["briefing", "discussion"])].stop_id)
    return len(talk & set(roles.enterprises(ds)))


@_concept("K047, K048")
def directive_issuers(ds: Dataset) -> int:
    """People or bodies that issue the directive clauses, stated or inferred."""
    return int(ds.directives.issuer_id.nunique())


# --- peers: the sample and the mayor's trips out ----------------------------------------------


@_concept("peers")
def peers_rows(ds: Dataset) -> int:
    """Readouts in the sample, the subject included."""
    return len(ds.peers)


def _trip_rows(ds: Dataset) -> pd.DataFrame:
    return peers.trip_table(_trips(ds))


@_concept("peers.scope")
def trips_elsewhere_in_china(ds: Dataset) -> int:
    """Of the leader's trips out, those elsewhere in China outside the home province."""
    return int(_trip_rows(ds).scope.eq("elsewhere_in_china").sum())


@_concept("peers.scope")
def trips_in_province(ds: Dataset) -> int:
    """Of the leader's trips out, those within the home province."""
    return int(_trip_rows(ds).scope.eq("liaoning").sum())


@_concept("peers.scope")
def trips_abroad(ds: Dataset) -> int:
    """Of the leader's trips out, those abroad."""
    return int(_trip_rows(ds).scope.eq("abroad").sum())


def _other_trip_readouts(ds: Dataset) -> pd.DataFrame:
    return peers.peers_of(_trips(ds))


@_concept("peers.visibility")
def trip_readouts_others_complete(ds: Dataset) -> int:
    """Other readouts of the leader's trips out whose stored page is complete, so that their closing passage shows."""
    return int(_other_trip_readouts(ds).visibility.eq("complete").sum())


@_concept("peers.directive_clauses_visible")
def trip_readouts_others_complete_with_directives(ds: Dataset) -> int:
    """Of the other readouts of the leader's trips out stored whole, those that show a directive passage."""
    others = _other_trip_readouts(ds)
    return int((others.visibility.eq("complete") & (others.directive_clauses_visible.fillna(0) > 0)).sum())


@_concept("directives.category")
def directives_learn_from_host(ds: Dataset) -> int:
    """Directive clauses that ask the city to learn from its hosts (K052)."""
    return int(ds.directives.category.eq("learn_from_host").sum())


@_concept("peers.purpose")
def trip_readouts_others_promotion(ds: Dataset) -> int:
    """Other readouts of the leader's trips out whose stated aim is investment promotion."""
    return int(_other_trip_readouts(ds).purpose.eq("investment_promotion").sum())


@_concept("peers.purpose")
def trip_readouts_others_pairing(ds: Dataset) -> int:
    """Other readouts of the leader's trips out whose stated aim is cooperation assigned from above (pairing, assistance, provincial liaison)."""
    return int(_other_trip_readouts(ds).purpose.eq("counterpart_cooperation").sum())


@_concept("peers.purpose")
def trip_readouts_others_events(ds: Dataset) -> int:
    """Other readouts of the leader's trips out whose stated aim is attending an event."""
    return int(_other_trip_readouts(ds).purpose.eq("event_attendance").sum())


@_concept("peers.frames_learning")
def trip_readouts_others_learning(ds: Dataset) -> int:
    """Other readouts of the leader's trips out that name what is to be learnt from the hosts."""
    return int(_other_trip_readouts(ds).frames_learning.fillna(False).astype(bool).sum())


@_concept("peers.frames_learning")
def trip_readouts_others_learning_pct(ds: Dataset) -> int:
    """That count as a whole percentage of the other readouts of the leader's trips out."""
    others = _other_trip_readouts(ds)
    return round(100 * int(others.frames_learning.fillna(False).astype(bool).sum()) / len(others)) if len(others) else 0


def _all_out_others(ds: Dataset) -> pd.DataFrame:
    others = peers.peers_of(peers.table(ds))
    return others[others.genre.eq("delegation_out")]


@_concept("peers.genre")
def out_readouts_others(ds: Dataset) -> int:
    """Other readouts of trips out of the city by any leader, at any date in the sample."""
    return len(_all_out_others(ds))


@_concept("peers.frames_learning")
def out_readouts_others_learning(ds: Dataset) -> int:
    """Of those, readouts that name what is to be learnt from the hosts."""
    return int(_all_out_others(ds).frames_learning.fillna(False).astype(bool).sum())


@_concept("peers.directive_clauses_visible")
def out_readouts_others_with_directives(ds: Dataset) -> int:
    """Of those, readouts that show a directive passage."""
    return int((_all_out_others(ds).directive_clauses_visible.fillna(0) > 0).sum())


@_concept("peers.visibility")
def out_readouts_others_truncated(ds: Dataset) -> int:
    """Of those, readouts whose stored copy stops mid-text."""
    return int(_all_out_others(ds).visibility.eq("truncated").sum())


@_concept("peers.trip_id")
def subject_trip_other_readouts(ds: Dataset) -> int:
    """Other readouts of the subject's own trip (the same stay)."""
    p = peers.table(ds)
    trip = peers.subject_of(p).trip_id
    return int((peers.peers_of(p).trip_id == trip).sum())


@_concept("peers.firm_figures")
def peers_others_max_figures(ds: Dataset) -> int:
    """The most figures any other readout reporting a visit gives for a visited firm."""
    return int(_visiting_others(ds).firm_figures.max())


def _passages(ds: Dataset) -> pd.DataFrame:
    others = peers.peers_of(peers.table(ds))
    return others[others.directive_clauses_visible.fillna(0) > 0]


@_concept("peers.directive_clauses_visible")
def passages(ds: Dataset) -> int:
    """Other readouts that show a directive passage, of any genre."""
    return len(_passages(ds))


@_concept("peers.genre")
def passages_meetings(ds: Dataset) -> int:
    """Of those, readouts of meetings."""
    return int(_passages(ds).genre.eq("meeting").sum())


@_concept("peers.has_quantity, peers.has_deadline, peers.has_budget, peers.has_unit")
def passages_no_mark(ds: Dataset) -> int:
    """Of those, passages that set none of the four marks (amount, deadline, budget, responsible body)."""
    from ..data.peers import SPECIFICITY_FLAGS

    return int((~_passages(ds)[SPECIFICITY_FLAGS].fillna(False).astype(bool).any(axis=1)).sum())


@_concept("peers.has_deadline")
def passages_with_deadline(ds: Dataset) -> int:
    """Of those, passages that set a deadline."""
    return int(_passages(ds).has_deadline.fillna(False).astype(bool).sum())


@_concept("peers.has_quantity")
def passages_with_quantity(ds: Dataset) -> int:
    """Of those, passages that set an amount."""
    return int(_passages(ds).has_quantity.fillna(False).astype(bool).sum())


@_concept("peers.has_unit")
def passages_with_unit(ds: Dataset) -> int:
    """Of those, passages that name a responsible body."""
    return int(_passages(ds).has_unit.fillna(False).astype(bool).sum())


@_concept("peers.has_budget")
def passages_with_budget(ds: Dataset) -> int:
    """Of those, passages that name a budget."""
    return int(_passages(ds).has_budget.fillna(False).astype(bool).sum())


@_concept("peers.date")
def window_start_year(ds: Dataset) -> str:
    """The first year of the window in which the leader's trips are compared."""
    return str(pd.Timestamp(SUBJECT_WINDOW[0]).year)


@_concept("peers.date")
def window_end_year(ds: Dataset) -> str:
    """The last year of that window."""
    return str(pd.Timestamp(SUBJECT_WINDOW[1]).year)


@_concept("K083")
def corroborated_claims(ds: Dataset) -> str:
    """The book's statements of the claims an independent source confirms, with their ids, or "none"."""
    led = ledger.ledger(ds)
    hit = led[led.grade.eq("corroborated")]
    return "; ".join(f"{s.rstrip('.')} ({i})" for s, i in zip(hit.statement, hit.claim_id)) or "none"


@_concept("K082")
def claims_searched(ds: Dataset) -> int:
    """Claims with at least one outside fact linked: searched for."""
    return int(ds.claim_context.claim_id.nunique())


# --- the data and their re-checks --------------------------------------------------------------


@_concept("datapackage.yaml")
def tables(ds: Dataset) -> int:
    """Tables of the data package."""
    return len(ds.package["resources"])


@_concept("datapackage.yaml")
def rows_total(ds: Dataset) -> int:
    """Rows in all tables of the data package."""
    return sum(ds.rows(r["name"]) for r in ds.package["resources"])


@_concept("datapackage.yaml: provenance")
def rows_quoted(ds: Dataset) -> int:
    """Rows that carry a quote checked against the source."""
    return sum(ds.rows(r["name"]) for r in ds.package["resources"] if r.get("provenance"))


@_concept("codebook")
def codebook_variables(ds: Dataset) -> int:
    """Variables the codebook gives rules for."""
    return int(ds.codebook.variable.nunique())


def _log(ds: Dataset, edition: str) -> pd.DataFrame:
    return ds.recoding_log[ds.recoding_log.edition == edition]


@_concept("recoding_log.edition")
def changes_second_edition(ds: Dataset) -> int:
    """Changes the second edition's re-check made."""
    return len(_log(ds, "2.0"))


@_concept("recoding_log.edition")
def rows_changed_second_edition(ds: Dataset) -> int:
    """Rows the second edition's re-check changed."""
    return len(_log(ds, "2.0")[["table", "row_id"]].drop_duplicates())


@_concept("recoding_log.edition")
def changes_this_edition(ds: Dataset) -> int:
    """Changes this edition's corrections made."""
    return len(_log(ds, "2.1"))


@_concept("recoding_log.edition")
def rows_changed_this_edition(ds: Dataset) -> int:
    """Rows this edition's corrections changed."""
    return len(_log(ds, "2.1")[["table", "row_id"]].drop_duplicates())


@_concept("statements")
def statements(ds: Dataset) -> int:
    """Registered statements: sentences of the book whose truth depends on the data."""
    return len(ds.statements)


@_concept("statements.check")
def statements_checked(ds: Dataset) -> int:
    """Registered statements that carry a check."""
    return int(ds.statements.check.notna().sum())


@_concept("analysis.queries.concepts")
def concepts(ds: Dataset) -> int:
    """Concepts defined once in analysis.queries.concepts."""
    return len(CONCEPTS)


@_concept("external_facts.date_start", per_entity=True)
def year_of(ds: Dataset, fact_id: str) -> str:
    """The year an outside fact is dated to (its start)."""
    hit = ds.external_facts[ds.external_facts.fact_id == fact_id]
    if hit.empty or pd.isna(hit.iloc[0]["date_start"]):
        raise KeyError(f"no dated outside fact {fact_id!r}")
    return str(hit.iloc[0]["date_start"].year)


@_concept("external_facts.date_start", per_entity=True)
def month_year_of(ds: Dataset, fact_id: str) -> str:
    """The month and year an outside fact is dated to (its start), in words: "September 2018"."""
    hit = ds.external_facts[ds.external_facts.fact_id == fact_id]
    if hit.empty or pd.isna(hit.iloc[0]["date_start"]):
        raise KeyError(f"no dated outside fact {fact_id!r}")
    return f"{hit.iloc[0]['date_start']:%B %Y}"


@_concept("external_facts.topic, external_facts.kind")
def aftermath_ties_found(ds: Dataset) -> int:
    """Outside facts (not gaps) of what happened next that concern an enterprise of the visit: ties found after it."""
    f = ds.external_facts
    firms = set(roles.enterprises(ds))
    about = f.entity_ids.map(lambda ids: bool(firms & set(ids)))
    return int((f.topic.eq("what happened next") & f.kind.eq("fact") & about).sum())


@_concept("peers.purpose")
def trip_readouts_others_study_or_other(ds: Dataset) -> int:
    """Other readouts of the leader's trips out whose stated aim is study or none of the listed aims."""
    return int(_other_trip_readouts(ds).purpose.isin(["study", "other"]).sum())


# --- other cities' tours of the host area -------------------------------------------------


@_concept("other_tours")
def other_tours(ds: Dataset) -> int:
    """Readouts found of other cities' delegations touring the host area."""
    return len(ds.other_tours)


@_concept("other_tours.names_htz")
def other_tours_naming_zone(ds: Dataset) -> int:
    """Of those, readouts that name the host zone itself."""
    return int(ds.other_tours.names_htz.astype(bool).sum())


@_concept("other_tours.frames_learning")
def other_tours_learning(ds: Dataset) -> int:
    """Of those, readouts that name what is to be learnt from the hosts."""
    return int(ds.other_tours.frames_learning.astype(bool).sum())


@_concept("other_tours.firm_credentials")
def other_tours_with_credentials(ds: Dataset) -> int:
    """Of those, readouts that give a visited firm a credential."""
    return int((ds.other_tours.firm_credentials > 0).sum())


@_concept("other_tours.shares_praise")
def other_tours_praise(ds: Dataset) -> int:
    """Of those, readouts that praise the hosts in the article's stock words."""
    return int(ds.other_tours.shares_praise.astype(bool).sum())
