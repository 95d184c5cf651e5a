"""How the article's words divide between reporting, praising and prescribing."""

from __future__ import annotations

import pandas as pd

from ..data.load import Dataset

__all__ = ["register_balance", "factual_words"]

REGISTERS = ["factual", "evaluative", "normative"]


def _words(ds: Dataset) -> pd.DataFrame:
    return ds.sentences.assign(words=ds.sentences.quote.str.split().str.len())


def register_balance(ds: Dataset) -> pd.DataFrame:
    """Sentences and words by register (factual, evaluative, normative), with each register's share of words."""
    out = _words(ds).groupby("register").agg(sentences=("sentence_id", "size"), words=("words", "sum"))
    out = out.reindex(REGISTERS, fill_value=0)
    total = out["words"].sum()
    out["share of words"] = out["words"] / total if total else 0.0
    return out


def factual_words(ds: Dataset) -> pd.Series:
    """Words of the factual sentences by sentence function (visit narration, claims, headline, attendance)."""
    s = _words(ds)
    return s[s.register == "factual"].groupby("function")["words"].sum().sort_values(ascending=False).rename("words")
