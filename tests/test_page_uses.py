"""What a page took from the data when it was read: a page is re-read only when those values change."""

from __future__ import annotations

import sys

import pytest

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import page_uses

QUOTES = {"C07": "exported to more than 60 countries", "S01": "The mayor led a delegation."}
REGISTER = {"I01": {"inference_id": "I01", "statement": "A side trip."}}


def values(quotes=QUOTES, register=REGISTER):
    return lambda key: page_uses.value(key, quotes, register)


def test_each_use_reads_its_own_value():
    assert page_uses.value("quote:C07", QUOTES, REGISTER) == QUOTES["C07"]
    assert page_uses.value("quote:C99", QUOTES, REGISTER) is None
    assert page_uses.value("quoted:S01", QUOTES, REGISTER) is True
    assert page_uses.value("quoted:X01", QUOTES, REGISTER) is False
    assert page_uses.value("inference:I01", QUOTES, REGISTER) == REGISTER["I01"]
    assert page_uses.value("anchors", QUOTES, REGISTER) == ["C07", "S01"]
    with pytest.raises(ValueError, match="unknown page use"):
        page_uses.value("table:claims", QUOTES, REGISTER)


def test_the_digest_changes_with_a_used_value_and_only_with_it():
    keys = ["quote:C07", "inference:I01"]
    base = page_uses.digest(keys, values(), "code")
    assert page_uses.digest(list(reversed(keys)) + ["quote:C07"], values(), "code") == base  # order and repeats do not count
    assert page_uses.digest(keys, values(quotes={**QUOTES, "S01": "Another sentence."}), "code") == base  # an unused row
    assert page_uses.digest(keys, values(quotes={**QUOTES, "C07": "exported to 70"}), "code") != base
    assert page_uses.digest(keys, values(register={"I01": {"statement": "Edited."}}), "code") != base
    assert page_uses.digest(keys, values(quotes={"S01": "x"}), "code") != base  # a quoted row removed
    assert page_uses.digest(keys, values(), "other code") != base
    # whether a basis id links to the source depends on the set of rows with quotes
    assert page_uses.digest(["quoted:X01"], values(), "code") != page_uses.digest(["quoted:X01"], values(quotes={**QUOTES, "X01": "q"}), "code")


class _Env:
    def __init__(self):
        self.temp_data = {}


def test_uses_are_noted_per_page_being_read():
    env = _Env()
    assert page_uses.noted(env) == set()
    page_uses.note(env, "quote:C07")
    page_uses.note(env, "quote:C07")
    page_uses.note(env, "anchors")
    assert page_uses.noted(env) == {"quote:C07", "anchors"}
    env.temp_data.clear()  # Sphinx clears temp_data after each page
    assert page_uses.noted(env) == set()
