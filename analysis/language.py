"""The language of the readout: word and phrase frequencies, key terms, register."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from .load import Dataset
from .text import paragraphs, words

__all__ = ["top_words", "top_phrases", "key_terms", "register_balance"]


def top_words(text: str, n: int = 15) -> pd.DataFrame:
    """The ``n`` most frequent content words after normalisation (ties broken alphabetically)."""
    counts = Counter(words(text))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return pd.DataFrame(ranked, columns=["word", "count"])


def top_phrases(text: str, n: int = 10, length: int = 2) -> pd.DataFrame:
    """The most frequent runs of ``length`` content words inside a paragraph (seen at least twice)."""
    counts: Counter[str] = Counter()
    for para in paragraphs(text):
        tokens = words(para.text)
        counts.update(" ".join(tokens[i : i + length]) for i in range(len(tokens) - length + 1))
    ranked = sorted(((p, c) for p, c in counts.items() if c >= 2), key=lambda kv: (-kv[1], kv[0]))[:n]
    return pd.DataFrame(ranked, columns=["phrase", "count"])


def key_terms(text: str, per_paragraph: int = 4) -> pd.DataFrame:
    """The terms most characteristic of each paragraph, by tf-idf over the article's paragraphs.

    tf is the count in the paragraph; idf is ``log(N / df)`` with N the number of
    paragraphs. Terms found in every paragraph score zero and are never key.
    """
    paras = paragraphs(text)
    counts = [Counter(words(p.text)) for p in paras]
    df = Counter(w for c in counts for w in c)
    rows = []
    for p, c in zip(paras, counts):
        scored = sorted(((w, n * math.log(len(paras) / df[w])) for w, n in c.items()), key=lambda kv: (-kv[1], kv[0]))
        rows.append({"paragraph": p.number, "key terms": ", ".join(w for w, s in scored[:per_paragraph] if s > 0), "words": len(p.text.split())})
    return pd.DataFrame(rows)


def register_balance(ds: Dataset) -> pd.DataFrame:
    """Sentences and words by register (factual, evaluative, normative)."""
    s = ds.sentences.assign(words=ds.sentences.quote.str.split().str.len())
    out = s.groupby("register").agg(sentences=("sentence_id", "size"), words=("words", "sum"))
    out = out.reindex(["factual", "evaluative", "normative"], fill_value=0)
    out["share of words"] = out["words"] / out["words"].sum()
    return out
