"""Unit tests of the local Sphinx extension's pure parts (_ext/report_build.py)."""

import sys

from docutils.core import publish_doctree

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import report_build as rb  # noqa: E402


def test_fingerprint_changes_with_watched_files_only(tmp_path):
    for name in ("analysis", "data"):
        (tmp_path / name).mkdir()
    (tmp_path / "analysis/a.py").write_text("x = 1\n")
    (tmp_path / "data/t.csv").write_text("a\n1\n")
    (tmp_path / "references.bib").write_text("@misc{k}\n")
    first = rb.fingerprint(tmp_path)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters/x.ipynb").write_text("{}")
    (tmp_path / "analysis/__pycache__").mkdir()
    (tmp_path / "analysis/__pycache__/a.cpython-311.pyc").write_bytes(b"\0")
    assert rb.fingerprint(tmp_path) == first  # chapters and caches are not watched
    (tmp_path / "data/t.csv").write_text("a\n2\n")
    assert rb.fingerprint(tmp_path) != first


def test_uses_analysis(tmp_path):
    nb = tmp_path / "n.ipynb"
    nb.write_text('{"cells": [{"cell_type": "code", "source": ["from analysis import load_all"]}]}')
    assert rb._uses_analysis(nb)
    nb.write_text('{"cells": [{"cell_type": "markdown", "source": "analysis"}]}')
    assert not rb._uses_analysis(nb)


def test_first_paragraph_for_meta_description():
    doc = publish_doctree("Title\n=====\n\nShort.\n\n" + "A long opening paragraph that says what the page is about. " * 8)
    text = rb._first_paragraph(doc)
    assert text.startswith("A long opening paragraph") and len(text) <= 300 and text.endswith("…")
    assert rb._first_paragraph(None) == ""


def test_number_tables_in_page_order():
    body = '<div class="report-table" role="region"><table class="table report"><caption>A</caption></table></div><div class="report-table"><table class="table report"><caption>B</caption>'
    out = rb.number_tables(body)
    assert '<table id="table-1" class="table report"><caption><span class="caption-number">Table 1: </span>A' in out
    assert '<span class="caption-number">Table 2: </span>B' in out
    assert rb.number_tables("<p>no tables</p>") == "<p>no tables</p>"


def test_accessibility_repairs_are_plain_substitutions():
    body = '<summary aria-label="Toggle hidden content">x</summary><div role="doc-biblioentry">'
    for old, new in rb.ACCESSIBILITY_REPAIRS:
        body = body.replace(old, new)
    assert body == '<summary>x</summary><div role="listitem">'
