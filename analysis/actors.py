"""The actors: people and organisations, their sides, and who appears with whom."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pandas as pd

from .load import Dataset
from .text import find_all

__all__ = ["mentions", "cooccurrence", "actor_graph", "side_counts"]


def mentions(ds: Dataset, types: tuple[str, ...] = ("person", "organisation", "place", "event", "programme", "facility")) -> pd.DataFrame:
    """Every mention of an entity: one row per (entity, sentence), with the sentence's paragraph.

    Mentions are found from the entity's name variants; overlapping variants
    ("Tellyes" inside "Tellyes Technology Co., Ltd.") count once per sentence.
    """
    rows = []
    e = ds.entities[ds.entities.entity_type.isin(types)]
    for ent in e.itertuples():
        for variant in ent.variants.split("|"):
            for start in find_all(variant, ds.text):
                s = ds.sentences[(ds.sentences.start <= start) & (ds.sentences.end > start)].iloc[0]
                rows.append({"entity_id": ent.entity_id, "sentence_id": s.sentence_id, "paragraph": int(s.paragraph)})
    return pd.DataFrame(rows).drop_duplicates().reset_index(drop=True)


def cooccurrence(ds: Dataset, types: tuple[str, ...] = ("person", "organisation"), unit: str = "paragraph") -> pd.DataFrame:
    """Pairs of entities named in the same paragraph (or sentence), with the number of such units.

    Parameters
    ----------
    unit : {"paragraph", "sentence"}
        The stretch of text within which two names count as appearing together.
        Paragraphs are the default because the article often refers back to an
        enterprise as "the enterprise" in the sentence after naming it.
    """
    key = {"paragraph": "paragraph", "sentence": "sentence_id"}[unit]
    m = mentions(ds, types)
    pairs = []
    for where, group in m.groupby(key):
        for a, b in combinations(sorted(set(group.entity_id)), 2):
            pairs.append({"source": a, "target": b, "unit": where})
    p = pd.DataFrame(pairs, columns=["source", "target", "unit"])
    return p.groupby(["source", "target"]).size().rename("together").reset_index()


def actor_graph(ds: Dataset, types: tuple[str, ...] = ("person", "organisation")) -> nx.Graph:
    """A graph of entities (nodes with name, side, type) joined when named in the same paragraph."""
    g = nx.Graph()
    for ent in ds.entities[ds.entities.entity_type.isin(types)].itertuples():
        g.add_node(ent.entity_id, name=ent.canonical_name, side=ent.side, type=ent.entity_type)
    for row in cooccurrence(ds, types).itertuples():
        g.add_edge(row.source, row.target, weight=row.together)
    return g


def side_counts(ds: Dataset) -> pd.DataFrame:
    """Entities by side (rows) and type (columns)."""
    return pd.crosstab(ds.entities.side, ds.entities.entity_type)
