"""Domain checks of the peers table (a coded sample of readouts of the same genre).

They take the typed table as the loader builds it (indexed by file line) and return
:class:`~analysis.data.errors.Violation` objects.
"""

from __future__ import annotations

import re

import pandas as pd

from .errors import Violation
from .validate import is_missing

__all__ = ["SPECIFICITY_FLAGS", "SUBJECT_DERIVED", "REQUIRED_FOR_PEERS", "EVIDENCE_MAX_WORDS", "check_peers", "check_subject_leader"]

#: The four marks of a specific directive, as columns of the table.
SPECIFICITY_FLAGS: list[str] = ["has_quantity", "has_deadline", "has_budget", "has_unit"]

#: Columns the subject row leaves empty: the book computes them from the article's own tables
#: (:func:`analysis.queries.peers.table`), so the sample never holds a second copy that could disagree.
SUBJECT_DERIVED: list[str] = ["units_visited", "frames_learning", "firm_figures", "firm_credentials", "directive_clauses_visible", *SPECIFICITY_FLAGS]

#: Columns every other row must fill.
REQUIRED_FOR_PEERS: list[str] = ["units_visited", "frames_learning", "firm_figures", "firm_credentials"]

#: Longest evidence fragment allowed, in words.
EVIDENCE_MAX_WORDS = 8


_SENTENCE = re.compile(r"^[\"“'‘]?[A-Z].*[.!?][\"”'’]?$", re.DOTALL)


def _normal_url(url: str) -> str:
    return re.sub(r"^https?://", "", url.strip()).rstrip("/").lower()


def check_peers(table: pd.DataFrame, file: str) -> list[Violation]:
    """Domain checks of the peers table.

    Parameters
    ----------
    table : pandas.DataFrame
        The typed table, indexed by the line of the CSV file.
    file : str
        Path used in messages.

    Returns
    -------
    list of Violation
        Counts and marks given for text that is not visible; a zero count on a truncated page;
        marks missing where directives are counted; a purpose or trip outside a trip out;
        evidence too long or a whole sentence; dates whose precision and basis disagree;
        the same page twice (http/https or a trailing slash); more than one subject row.
    """
    out: list[Violation] = []
    seen: dict[str, int] = {}
    subjects: list[int] = []
    for line, row in table.iterrows():
        line = int(line)
        count = row["directive_clauses_visible"]
        truncated = row["visibility"] == "truncated"
        if row["is_subject"] is True:
            pass
        elif is_missing(count) or count == 0:
            for flag in SPECIFICITY_FLAGS:
                if not is_missing(row[flag]):
                    why = "no directive passage is visible" if is_missing(count) else "no directive clause is counted"
                    out.append(Violation(file, line, flag, f"a specificity mark is given but {why}; leave it empty"))
        else:
            for flag in SPECIFICITY_FLAGS:
                if is_missing(row[flag]):
                    out.append(Violation(file, line, flag, f"{int(count)} directive clause(s) are counted, so this mark must be true or false"))
        if not is_missing(count) and count == 0 and truncated:
            out.append(
                Violation(file, line, "directive_clauses_visible", "0 directives on a truncated page: the part not stored may hold them; leave the cell empty")
            )
        if row["genre"] == "delegation_out":
            if is_missing(row["purpose"]):
                out.append(Violation(file, line, "purpose", "a trip out (genre delegation_out) needs a purpose"))
            if is_missing(row["trip_id"]):
                out.append(Violation(file, line, "trip_id", "a trip out (genre delegation_out) needs a trip_id"))
        else:
            for column in ("purpose", "trip_id"):
                if not is_missing(row[column]):
                    out.append(Violation(file, line, column, f"only trips out (genre delegation_out) have a {column}; this row's genre is {row['genre']!r}"))
        evidence = row["evidence"]
        if not is_missing(evidence):
            words = len(str(evidence).split())
            if words > EVIDENCE_MAX_WORDS:
                out.append(Violation(file, line, "evidence", f"the fragment has {words} words; at most {EVIDENCE_MAX_WORDS} are allowed"))
            elif _SENTENCE.match(str(evidence).strip()):
                out.append(Violation(file, line, "evidence", "the fragment is a whole sentence; keep a part of it only"))
        precision, date = row["date_precision"], row["date"]
        if row["date_basis"] == "stated" and precision != "day":
            out.append(Violation(file, line, "date_precision", f"a stated date gives month and day, so its precision is 'day', not {precision!r}"))
        if not is_missing(date) and ((precision == "month" and date.day != 1) or (precision == "year" and (date.month, date.day) != (1, 1))):
            out.append(Violation(file, line, "date", f"a date of precision {precision!r} is written as the first day of that {precision}"))
        key = _normal_url(str(row["url"]))
        if key in seen:
            out.append(Violation(file, line, "url", f"the same page as line {seen[key]} (addresses differ only in http/https or a trailing slash)"))
        else:
            seen[key] = line
        if row["is_subject"] is True:
            subjects.append(line)
            for column in SUBJECT_DERIVED:
                if not is_missing(row[column]):
                    out.append(Violation(file, line, column, "the subject row leaves this empty: the book computes it from the article's own tables"))
            continue
        for column in REQUIRED_FOR_PEERS:
            if is_missing(row[column]):
                out.append(Violation(file, line, column, "every readout but the subject needs this value"))
    for line in subjects[1:]:
        out.append(Violation(file, line, "is_subject", f"only one row can be the subject; line {subjects[0]} already is"))
    return out


def check_subject_leader(peers: pd.DataFrame, entities: pd.DataFrame, file: str) -> list[Violation]:
    """The subject row's leader must be a person of the entities table, by its canonical name.

    The book finds the leader's other trips by that name, so a misspelt name would silently find none.
    """
    people = set(entities.loc[entities.entity_type.eq("person"), "canonical_name"])
    out = []
    for line, row in peers[peers.is_subject.eq(True)].iterrows():
        if row["leader"] not in people:
            out.append(
                Violation(
                    file,
                    int(line),
                    "leader",
                    f"the subject's leader {row['leader']!r} is not the canonical_name of a person in data/entities.csv ({', '.join(sorted(people))})",
                )
            )
    return out
