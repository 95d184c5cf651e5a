"""Unit tests of analysis.views.tables: the three display forms of a Table and the link cells."""

from __future__ import annotations

import pickle

import pandas as pd

from analysis.views import tables
from analysis.views.tables import SourceLink, Table, anchor, escape_markdown, quote_cell, slug, source_link


def test_anchor_is_a_safe_lower_case_id():
    assert anchor("TD01") == "q-td01"
    assert anchor("a b/(c)") == "q-a-b-c"


def test_links_are_text_that_knows_its_row():
    link = source_link("A01")
    assert link == "A01" and isinstance(link, str) and link.row_id == "A01"
    assert source_link("A01", "x<y") == "x<y"
    q = quote_cell("a “b” & c", "TD01")
    assert q == "\u201ca “b” & c\u201d" and q.row_id == "TD01"
    assert pickle.loads(pickle.dumps(q)).row_id == "TD01"


def test_link_markdown_escapes_its_text():
    assert source_link("A01").markdown() == "[A01](#q-a01)"
    assert source_link("A01", "[x](y)").markdown() == r"[\[x\]\(y\)](#q-a01)"


def test_escape_markdown_makes_every_markup_character_literal():
    assert escape_markdown("**x** {glue:text}`y` $z$ <b>\n[a](javascript:1)") == r"\*\*x\*\* \{glue\:text\}\`y\` \$z\$ \<b\> \[a\]\(javascript\:1\)"
    assert escape_markdown("plain words 你好") == "plain words 你好"


def test_slug_is_stable_and_short():
    assert slug("The article's claims about Tiandy") == "the-article-s-claims-about-tiandy"
    assert len(slug("word " * 40)) <= 60
    assert slug("—") == "table"


def test_markdown_is_a_named_numbered_list_table():
    t = Table(
        pd.DataFrame({"id": [source_link("A01")], "n": [1000.0], "q": [quote_cell("x", "A01")], "e": [None]}, index=[7]), "Cap & *tion*", widths={"q": "40%"}
    )
    md = t.to_markdown()
    lines = md.splitlines()
    assert lines[0] == r"~~~{list-table} Cap \& \*tion\*"
    assert ":name: tbl-cap-tion" in lines and ":header-rows: 1" in lines and ":widths: 20 20 40 20" in lines
    assert "* - id" in lines and "* - [A01](#q-a01)" in lines and r"  - 1\,000" in lines and "  - [\u201cx\u201d](#q-a01)" in lines and "  - \u2014" in lines
    assert "7" not in md.replace("~~~", "")  # the index is never shown
    assert lines[-1] == "~~~"
    assert Table(pd.DataFrame({"a": [1]}), "c", name="tbl-mine").to_markdown().splitlines()[1] == ":name: tbl-mine"
    assert ":widths: auto" in Table(pd.DataFrame({"a": [1]}), "c").to_markdown()


def test_an_empty_table_still_has_a_body_row():
    md = Table(pd.DataFrame({"a": [], "b": []}), "Nothing").to_markdown().splitlines()
    assert md[-3:] == ["* - \u2014", "  - \u2014", "~~~"]


def test_html_for_jupyter_has_caption_no_index_and_no_links():
    t = Table(pd.DataFrame({"id": [source_link("A01")], "b": ["<x>"]}, index=[5]), "Cap & tion", html_columns=["id"])
    h = t._repr_html_()
    assert "<caption>Cap &amp; tion</caption>" in h and "&lt;x&gt;" in h and ">A01<" in h
    assert "href" not in h and ">5<" not in h


def test_text_form_for_terminals_and_nbval():
    t = Table(pd.DataFrame({"q": [quote_cell("a & b", "TD01")]}), "Caption")
    assert [line.strip() for line in repr(t).splitlines()] == ["Caption", "q", "\u201ca & b\u201d"]


def test_display_bundle_offers_markdown_and_html():
    from IPython.core.formatters import format_display_data

    bundle, _ = format_display_data(Table(pd.DataFrame({"a": [1]}), "c"))
    assert {"text/markdown", "text/html", "text/plain"} <= set(bundle)


def test_public_names():
    assert {"Table", "SourceLink", "anchor", "source_link", "quote_cell"} <= set(tables.__all__)
    assert isinstance(quote_cell("x", "A"), SourceLink)


def test_text_form_of_a_long_table_is_a_preview():
    t = Table(pd.DataFrame({"n": range(25)}), "Caption")
    lines = repr(t).splitlines()
    assert lines[0] == "Caption" and lines[-1] == "(25 rows; all of them in .frame)"
    assert len(lines) < 25 and lines[2].strip() == "0" and lines[-2].strip() == "24"  # first and last rows
