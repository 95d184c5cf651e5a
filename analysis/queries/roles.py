"""The parts entities play in a visit, read from the data (``entities.visit_role``).

Analysis functions select the host, the enterprises and the setting event through
these helpers, never by an entity's id, so they work for any visit coded the same way.
"""

from __future__ import annotations

from ..data.load import Dataset

__all__ = ["with_role", "host_zone", "enterprises", "stops", "setting_event", "short_name"]


def with_role(ds: Dataset, role: str) -> list[str]:
    """Ids of the entities with ``visit_role == role``, in the order the article first names them."""
    e = ds.entities[ds.entities.visit_role == role].sort_values("start")
    return e.entity_id.tolist()


def host_zone(ds: Dataset) -> str:
    """The id of the place that hosts the visit as a whole.

    Raises
    ------
    ValueError
        If the data do not mark exactly one entity as ``host_zone``.
    """
    ids = with_role(ds, "host_zone")
    if len(ids) != 1:
        raise ValueError(f"entities.csv must mark exactly one entity with visit_role 'host_zone'; found {ids or 'none'}")
    return ids[0]


def enterprises(ds: Dataset) -> list[str]:
    """The enterprises visited, in the order the article names them (not necessarily the order of the visit)."""
    return with_role(ds, "enterprise")


def stops(ds: Dataset) -> list[str]:
    """The host zone followed by the enterprises."""
    return [host_zone(ds), *enterprises(ds)]


def setting_event(ds: Dataset) -> str | None:
    """The event that brought the visitors to the host city, if the data mark one."""
    ids = with_role(ds, "setting_event")
    return ids[0] if ids else None


def short_name(ds: Dataset, entity_id: str) -> str:
    """The entity's short label, falling back to its canonical name."""
    row = ds.row("entities", entity_id)
    short = row.get("short_name")
    return str(short) if isinstance(short, str) and short else str(row["canonical_name"])
