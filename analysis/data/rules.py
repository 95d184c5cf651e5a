"""The codebook's mechanical rules, checked by the loader: what can be decided from the data is never left to a coder.

Each check takes typed tables indexed by file line and returns :class:`~analysis.data.errors.Violation`
objects naming the file, line and column. The rule each applies is cited by its codebook row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from .errors import Violation

__all__ = ["STOPWORDS", "content_words", "sentence_of", "check_check_routes", "check_subjects", "check_summaries"]

#: Words that carry no content of their own: a summary may add or drop them freely.
STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but as that this these those its it his her their our be is are was were been "
    "should will would shall can could may must do does did not no into up down out over under about such than then there here which who "
    "whom whose what when where how all any each every some more most other also so very has have had".split()
)


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("ses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The stems of the words of ``text`` that carry content (lower case, stop words dropped, light stemming)."""
    return {_stem(w) for w in re.findall(r"[a-z0-9&]+(?:'s)?", str(text).lower()) if w not in STOPWORDS}


def sentence_of(sentences: pd.DataFrame, start: int, end: int) -> str | None:
    """The quote of the sentence that holds the span ``[start, end)``, or None."""
    for s, e, quote in zip(sentences.start, sentences.end, sentences.quote):
        if s <= start and e >= end:
            return str(quote)
    return None


def check_check_routes(claims: pd.DataFrame, file: str) -> list[Violation]:
    """K025: a claim coded checkable names the record that could settle it (``check_route``); a judgement names none (K024)."""
    out = []
    if "evaluative" not in claims or "check_route" not in claims:
        return out  # the dictionary decides the columns; a table without them is checked against it elsewhere
    for line, row in claims.iterrows():
        route = row.get("check_route")
        has = isinstance(route, str) and route.strip() != ""
        if not bool(row["evaluative"]) and not has:
            out.append(
                Violation(
                    file,
                    line,
                    "check_route",
                    f"{row['claim_id']} is coded checkable (evaluative false) but names no record or awarding body that could settle it (K025)",
                )
            )
        elif bool(row["evaluative"]) and has:
            out.append(
                Violation(
                    file,
                    line,
                    "check_route",
                    f"{row['claim_id']} is coded a judgement (evaluative true), so no record can settle it; leave check_route empty (K024)",
                )
            )
    return out


def check_subjects(activities: pd.DataFrame, entities: pd.DataFrame, sentences: pd.DataFrame, file: str) -> list[Violation]:
    """K038, K039: an activity's actor is the grammatical subject, recorded in ``subject`` as the sentence writes it.

    The subject must stand in the sentence that holds the activity's quote and contain one of the
    actor's name variants.
    """
    out: list[Violation] = []
    if "subject" not in activities or "variants" not in entities:
        return out
    variants = {str(r.entity_id): [v for v in r.variants] for r in entities.itertuples()}
    for line, row in activities.iterrows():
        subject = row.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            out.append(Violation(file, line, "subject", f"{row['activity_id']}: record the grammatical subject as the sentence writes it (K038)"))
            continue
        sentence = sentence_of(sentences, int(row["start"]), int(row["end"]))
        if sentence is None or subject not in sentence:
            out.append(Violation(file, line, "subject", f"{row['activity_id']}: {subject!r} does not stand in the sentence that holds the quote"))
        elif not any(v in subject for v in variants.get(str(row["actor_id"]), [])):
            out.append(
                Violation(
                    file,
                    line,
                    "actor_id",
                    f"{row['activity_id']}: the subject {subject!r} does not name the actor {row['actor_id']!r} (K038: the actor is the grammatical subject)",
                )
            )
    return out


def check_summaries(
    rows: pd.DataFrame, column: str, inference_column: str, sentences: pd.DataFrame, names: dict[str, Iterable[str]], file: str, inference_ids: set[str]
) -> list[Violation]:
    """A summary adds nothing the article says: its content words stand in the row's sentence, or the row names the inference that adds them.

    ``names`` maps a row's index (file line) to names the summary may use for what the row refers
    to (an entity's canonical name, say), since a summary may name what the quote calls "it" or "his".
    """
    out: list[Violation] = []
    if column not in rows:
        return out
    for line, row in rows.iterrows():
        sentence = sentence_of(sentences, int(row["start"]), int(row["end"])) or str(row["quote"])
        allowed = content_words(sentence) | content_words(" ".join(names.get(line, ())))
        extra = sorted(content_words(row[column]) - allowed)
        inference = row.get(inference_column)
        named = isinstance(inference, str) and inference.strip() != ""
        if extra and not named:
            out.append(
                Violation(
                    file,
                    line,
                    column,
                    f"the summary adds words the article does not say here ({', '.join(extra)}): use the sentence's words, or name in {inference_column} the inference that adds them",
                )
            )
        elif named and inference not in inference_ids:
            out.append(Violation(file, line, inference_column, f"{inference!r} is not an inference of inferences.csv"))
    return out
