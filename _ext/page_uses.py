"""What a page took from the data when it was read, so that a rebuild re-reads it only when that changes.

The roles and directives that write data into a page as it is read (``{quote}``, the
``{inference}`` box and role, the annotated source's anchors) note a *use* for the page
being read: ``quote:C07`` (the quote of row C07), ``quoted:X01`` (whether X01 is a row
with a quote, which decides whether it is linked), ``inference:I03`` (the register's row
I03), ``anchors`` (the ids of every row with a quote). When the page has been read, the
values of its uses are digested and kept in the environment. A later build compares that
digest with the values of the same uses in the current data: an edit that changes none of
them (a table the page quotes nothing from) does not re-read the page; any other does.
The code of ``analysis`` counts as a use of every such page (its functions make the
anchors and load the data).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

ATTR = "report_page_uses"  # env attribute: {docname: {"keys": [...], "watched": fingerprint, "digest": sha256}}
_TEMP = "report_uses"  # env.temp_data key: the uses noted while one page is read


def note(env: Any, key: str) -> None:
    """Note that the page being read uses ``key`` (``kind:id``)."""
    env.temp_data.setdefault(_TEMP, set()).add(key)


def noted(env: Any) -> set[str]:
    """The uses noted while the current page was read."""
    return set(env.temp_data.get(_TEMP, ()))


def value(key: str, quotes: dict[str, str], register: dict[str, dict[str, str]]) -> Any:
    """The current value of one use."""
    kind, _, ident = key.partition(":")
    if kind == "quote":
        return quotes.get(ident)
    if kind == "quoted":
        return ident in quotes
    if kind == "inference":
        return register.get(ident)
    if kind == "anchors":
        return sorted(quotes)
    raise ValueError(f"unknown page use {key!r}")


def digest(keys: Iterable[str], values: Callable[[str], Any], code: str) -> str:
    """SHA-256 over the uses' values (and the digest of the code that renders them)."""
    pairs = [[k, values(k)] for k in sorted(set(keys))]
    return hashlib.sha256(json.dumps([code, pairs], sort_keys=True, default=str).encode()).hexdigest()
