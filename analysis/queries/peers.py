"""The peers table: a coded sample of readouts of the same genre, its domain checks and its summaries.

The checks take the typed table as the loader builds it (indexed by file line) and return
:class:`~analysis.data.errors.Violation` objects; the summaries take the loaded table (plain index).
Nothing here names a particular readout: the subject row is found by its ``is_subject`` flag,
the person whose trips are counted is a parameter.
"""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset
from ..data.peers import SPECIFICITY_FLAGS, SUBJECT_DERIVED
from . import roles
from .directives import marks

__all__ = [
    "table",
    "subject_values",
    "genre_labels",
    "SPECIFICITY_FLAGS",
    "PURPOSE_LABELS",
    "peers_of",
    "subject_of",
    "trips_out",
    "trip_table",
    "purpose_counts",
    "learning_share",
    "firm_description",
    "directive_visibility",
    "specificity_shares",
    "trip_events",
]


#: Readable names of the purposes of a trip out.
PURPOSE_LABELS: dict[str, str] = {
    "investment_promotion": "Investment promotion",
    "counterpart_cooperation": "Assigned cooperation",
    "study": "Study",
    "event_attendance": "Event attendance",
    "other": "Other",
}


def genre_labels(ds: Dataset) -> dict[str, str]:
    """Readable labels of the genres, from the data dictionary's ``categoryLabels`` (else the codes)."""
    field = next(f for r in ds.package["resources"] if r["name"] == "peers" for f in r["schema"]["fields"] if f["name"] == "genre")
    labels = field.get("categoryLabels", {})
    return {g: labels.get(g, g.replace("_", " ")) for g in field.get("constraints", {}).get("enum", [])}


def subject_values(ds: Dataset) -> dict[str, object]:
    """The subject readout's coded fields that the article's own tables decide, by the sample's rules.

    Visits are the enterprises visited; the learning frame is a topic of the learning theme (K040) or
    a clause asking to learn from the host (K052); figures and credentials are the claims about the
    enterprises that state a number or are coded credential (K018); the directive clauses and their
    marks are the directives table's, with one definition of each mark (:func:`analysis.queries.directives.marks`).
    """
    firms = roles.enterprises(ds)
    claims = ds.claims[ds.claims.entity_id.isin(firms)]
    m = marks(ds)
    values: dict[str, object] = {
        "units_visited": len(firms),
        "frames_learning": bool(ds.topics.theme.eq("learning").any() or ds.directives.category.eq("learn_from_host").any()),
        "firm_figures": int(claims.value.notna().sum()),
        "firm_credentials": int(claims.claim_type.eq("credential").sum()),
        "directive_clauses_visible": len(ds.directives),
    }
    values.update({flag: bool(m[flag].any()) for flag in SPECIFICITY_FLAGS} if len(ds.directives) else {flag: pd.NA for flag in SPECIFICITY_FLAGS})
    return values


def table(ds: Dataset) -> pd.DataFrame:
    """The peers table with the subject's derived fields filled in from the article's own tables (:func:`subject_values`)."""
    p = ds.peers.copy()
    subject = p.index[p.is_subject.astype(bool)]
    for column, value in subject_values(ds).items():
        assert column in SUBJECT_DERIVED
        p[column] = p[column].astype(object)
        p.loc[subject, column] = value
        if column in ("units_visited", "firm_figures", "firm_credentials", "directive_clauses_visible"):
            p[column] = p[column].astype("Int64")
        else:
            p[column] = p[column].astype("boolean")
    return p


def peers_of(peers: pd.DataFrame) -> pd.DataFrame:
    """The sample without the subject row."""
    return peers[~peers.is_subject.fillna(False).astype(bool)]


def subject_of(peers: pd.DataFrame) -> pd.Series:
    """The subject row.

    Raises
    ------
    LookupError
        If no row is flagged as the subject.
    """
    hit = peers[peers.is_subject.fillna(False).astype(bool)]
    if hit.empty:
        raise LookupError("the peers table has no row with is_subject = true")
    return hit.iloc[0]


def trips_out(peers: pd.DataFrame, person: str, start: str, end: str) -> pd.DataFrame:
    """Readouts of trips out of the city in which ``person`` led or took part, dated within [start, end].

    Parameters
    ----------
    peers : pandas.DataFrame
        The loaded peers table.
    person : str
        A name as written in ``leader`` or ``other_leaders``.
    start, end : str
        ISO dates bounding the period (inclusive).
    """
    took_part = peers.leader.eq(person) | peers.other_leaders.map(lambda names: person in names)
    in_period = peers.date.between(pd.Timestamp(start), pd.Timestamp(end))
    return peers[peers.genre.eq("delegation_out") & took_part & in_period].sort_values("date")


def trip_table(trips: pd.DataFrame) -> pd.DataFrame:
    """One row per trip: first date, destination(s), purposes, number of readouts, whether it includes the subject.

    Returns
    -------
    pandas.DataFrame
        Columns ``trip_id``, ``start``, ``destination``, ``scope``, ``purposes``, ``readouts``,
        ``learning`` (any readout framed as learning) and ``subject``.
    """
    rows = []
    for trip, g in trips.groupby("trip_id", sort=False):
        purposes = [PURPOSE_LABELS[p] for p in dict.fromkeys(g.purpose)]
        rows.append(
            {
                "trip_id": trip,
                "start": g.date.min(),
                "destination": " / ".join(dict.fromkeys(g.destination)),
                "scope": g.scope.iloc[0],
                "purposes": ", ".join(purposes),
                "readouts": len(g),
                "learning": bool(g.frames_learning.fillna(False).any()),
                "subject": bool(g.is_subject.fillna(False).any()),
            }
        )
    return pd.DataFrame(rows).sort_values("start").reset_index(drop=True)


def purpose_counts(trips: pd.DataFrame) -> pd.Series:
    """Number of readouts per purpose, in the order of PURPOSE_LABELS (zeros kept)."""
    counts = trips.purpose.value_counts().reindex(list(PURPOSE_LABELS), fill_value=0)
    counts.index = [PURPOSE_LABELS[p] for p in counts.index]
    counts.name = "readouts"
    return counts


def learning_share(rows: pd.DataFrame) -> tuple[int, int]:
    """(readouts framed as learning, readouts) among ``rows``."""
    return int(rows.frames_learning.fillna(False).sum()), len(rows)


def firm_description(peers: pd.DataFrame) -> pd.DataFrame:
    """How firms are described: rows that give any firm figure or credential, subject first.

    Returns
    -------
    pandas.DataFrame
        Columns ``peer_id``, ``is_subject``, ``genre``, ``title_summary``, ``units_visited``,
        ``firm_figures``, ``firm_credentials``.
    """
    cols = ["peer_id", "is_subject", "genre", "title_summary", "units_visited", "firm_figures", "firm_credentials"]
    hit = peers[(peers.firm_figures > 0) | (peers.firm_credentials > 0)][cols]
    return hit.sort_values(["is_subject", "firm_credentials", "firm_figures"], ascending=False).reset_index(drop=True)


def directive_visibility(peers: pd.DataFrame) -> pd.DataFrame:
    """Per genre: readouts, truncated pages, readouts with a visible directive passage.

    Returns
    -------
    pandas.DataFrame
        Indexed by genre; columns ``readouts``, ``truncated``, ``directives visible``.
    """
    visible = peers.directive_clauses_visible.fillna(0) > 0
    out = pd.DataFrame(
        {
            "readouts": peers.groupby("genre").size(),
            "truncated": peers.visibility.eq("truncated").groupby(peers.genre).sum(),
            "directives visible": visible.groupby(peers.genre).sum(),
        }
    ).fillna(0)
    order = ["delegation_out", "local_inspection", "hosting", "meeting", "other"]
    return out.reindex([g for g in order if g in out.index]).astype(int)


def specificity_shares(rows: pd.DataFrame) -> pd.Series:
    """Among ``rows`` with a visible directive passage, how many set each mark of specificity.

    Returns
    -------
    pandas.Series
        Indexed by the flag names (``has_quantity`` ...), plus ``passages`` (the denominator).
    """
    with_directives = rows[rows.directive_clauses_visible.fillna(0) > 0]
    counts = pd.Series({flag: int(with_directives[flag].fillna(False).sum()) for flag in SPECIFICITY_FLAGS})
    counts["passages"] = len(with_directives)
    return counts


def trip_events(trips: pd.DataFrame) -> pd.DataFrame:
    """The readouts of trips out as events for a strip chart, one per readout.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime64; a date known only to the month is placed at mid-month),
        ``lane`` (the readout's purpose), ``highlight`` (the subject row) and ``label`` (destination).
    """
    shift = pd.to_timedelta(trips.date_precision.eq("month").map({True: 14, False: 0}), unit="D")
    return pd.DataFrame(
        {
            "date": (pd.to_datetime(trips.date) + shift).to_numpy(),
            "lane": trips.purpose.map(PURPOSE_LABELS).astype(str).to_numpy(),
            "highlight": trips.is_subject.fillna(False).astype(bool).to_numpy(),
            "label": trips.destination.astype(str).to_numpy(),
        }
    )
