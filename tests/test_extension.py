"""Tests of the local Sphinx extensions (``_ext/report.py``, ``_ext/downloads.py``).

Pure parts are tested directly. The seam between ``analysis.views`` and Sphinx (a table written by
:class:`analysis.views.tables.Table`, numbered and cited; its links and prose quotations resolved in
``html`` and ``singlehtml``; hostile data kept as text) is tested on a three-page Sphinx project,
which builds in a few seconds.
"""

from __future__ import annotations

import io
import json
import re
import sys

import pandas as pd
import pytest
import report

from analysis.views.prose import Quote
from analysis.views.tables import Table, quote_cell, source_link

import downloads  # _ext/ is on pytest's pythonpath (pyproject.toml)
from bookutil import ROOT


def test_fingerprint_changes_with_watched_files_only(tmp_path):
    for name in ("analysis", "data"):
        (tmp_path / name).mkdir()
    (tmp_path / "analysis/a.py").write_text("x = 1\n")
    (tmp_path / "data/t.csv").write_text("a\n1\n")
    (tmp_path / "references.bib").write_text("@misc{k}\n")
    first = report.fingerprint(tmp_path)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters/x.ipynb").write_text("{}")
    (tmp_path / "analysis/__pycache__").mkdir()
    (tmp_path / "analysis/__pycache__/a.cpython-311.pyc").write_bytes(b"\0")
    assert report.fingerprint(tmp_path) == first  # chapters and caches are not watched
    (tmp_path / "data/t.csv").write_text("a\n2\n")
    assert report.fingerprint(tmp_path) != first


def test_the_build_sets_the_loaders_cache_variable():
    from analysis.data.load import CACHE_ENV

    assert report.CACHE_ENV == CACHE_ENV


def test_a_chapter_declares_what_it_reads():
    assert report.declared_reads({"metadata": {"report": {"reads": ["claims", "peers"]}}}) == ["claims", "peers"]
    assert report.declared_reads({"metadata": {}}) is None and report.declared_reads({"metadata": {"report": "x"}}) is None


def test_every_chapter_of_the_book_declares_its_reads():
    for path in (ROOT / "chapters").glob("*.ipynb"):
        assert report.declared_reads(json.loads(path.read_text(encoding="utf-8"))) is not None, path.name


def test_a_page_is_described_by_its_first_real_paragraph():
    from docutils import nodes

    doc = nodes.document(None, None)
    doc += nodes.paragraph(text="Edition 2.1.0 (what changed).")
    doc += nodes.paragraph(text="The mayor took a delegation round the zone " + "and its firms " * 20)
    text = report.page_description(doc, limit=80)
    assert text.startswith("The mayor took") and text.endswith("…") and len(text) <= 80
    assert report.page_description(None) == "" and report.page_description(nodes.document(None, None)) == ""


def test_local_paths_are_found_with_file_and_line(tmp_path):
    (tmp_path / "page.html").write_text("<p>fine</p>\n<pre>/home/someone/book/analysis/load.py</pre>\n")
    (tmp_path / "ok.txt").write_text("nothing local here\n")
    (tmp_path / "image.png").write_bytes(b"/home/someone/in a binary")
    assert report.local_paths(tmp_path, ["/home/someone/"]) == ["page.html:2: /home/someone/book/analysis/load.py</pre>"]


def test_private_prefixes_name_the_book_the_interpreter_home_and_temp(tmp_path):
    prefixes = report.private_prefixes(tmp_path)
    assert str(tmp_path.resolve()) + "/" in prefixes and sys.prefix.rstrip("/") + "/" in prefixes and all(p.endswith("/") for p in prefixes)


def test_unreferenced_images_are_the_ones_no_page_names(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images/used.svg").write_text("<svg/>")
    (tmp_path / "_images/stale.svg").write_text("<svg/>")
    (tmp_path / "page.html").write_text('<img src="_images/used.svg">')
    assert [p.name for p in report.unreferenced_images(tmp_path)] == ["stale.svg"]


def test_the_data_package_zip_is_reproducible(tmp_path):
    first = downloads.build_package(ROOT)
    assert downloads.build_package(ROOT).data == first.data and first.filename.endswith(".zip")
    assert {"data/datapackage.yaml", "references.bib", "CITATION.cff"} <= {f for f, _ in first.files}


# --- the seam with Sphinx, on a tiny project --------------------------------------------

HOSTILE = ["<script>alert(1)</script>", "{glue:text}`x`", "**x**", "[a](javascript:alert(1))", "$x$", "{{ sub }}"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A Sphinx project whose root document lies in a folder, as the book's does."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("tiny")
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'report']\n"
        "root_doc = 'book/index'\nreport_source_doc = 'book/source'\nnumfig = True\n"
        "myst_enable_extensions = ['colon_fence', 'substitution', 'dollarmath', 'html_image', 'attrs_inline']\n"
    )
    book = src / "book"
    book.mkdir()
    (book / "index.md").write_text("# Tiny\n\n```{toctree}\nsource\npage\n```\n")
    (book / "source.md").write_text('# Source\n\n<span id="q-a01"></span>the first quoted words. <span id="q-b02"></span>Second.\n')
    table = Table(
        pd.DataFrame({"id": [source_link("A01"), source_link("B02")], "quote": [quote_cell("the first quoted words", "A01"), "—"], "note": HOSTILE[:2]}),
        "Rows & <things>",
        name="tbl-rows",
    )
    hostile = Table(pd.DataFrame({"value": HOSTILE}), "Hostile cells")
    quote = Quote("A01", "first quoted")._repr_markdown_()
    (book / "page.md").write_text(
        f"# Page\n\n{table.to_markdown()}\n{hostile.to_markdown()}\nSee {{numref}}`tbl-rows`, {{numref}}`{hostile.label}` and {quote}.\n"
    )
    report._ROWS[(str(src.resolve()), report.fingerprint(src))] = ["A01", "B02"]  # the rows whose anchors the source page carries
    out = {}
    for builder in ("html", "singlehtml"):
        warnings = io.StringIO()
        app = Sphinx(src, src, src / "_build" / builder, src / "_build" / "doctrees", builder, status=None, warning=warnings, freshenv=True)
        app.build()
        out[builder] = warnings.getvalue()
    return {"src": src, "warnings": out, "html": src / "_build/html/book", "single": src / "_build/singlehtml/book/index.html"}


def test_the_tiny_project_builds_without_warnings(tiny):
    assert tiny["warnings"]["html"] == ""
    # a second Sphinx application in the same process registers Sphinx's own nodes again: nothing of ours
    assert [line for line in tiny["warnings"]["singlehtml"].splitlines() if "is already registered" not in line] == []


def test_tables_are_numbered_and_cited(tiny):
    page = (tiny["html"] / "page.html").read_text()
    assert re.search(
        r'<table class="report-table[^"]*" id="tbl-rows">\s*<caption><span class="caption-number">Table 1 </span><span class="caption-text">Rows &amp; &lt;things&gt;</span>',
        page,
    )
    assert 'id="tbl-hostile-cells"' in page and '<span class="caption-number">Table 2 </span>' in page
    assert '<a class="reference internal" href="#tbl-rows"><span class="std std-numref">Table 1</span></a>' in page


def test_table_links_and_quotes_resolve_in_html_and_singlehtml(tiny):
    page = (tiny["html"] / "page.html").read_text()
    assert re.search(r'href="source.html#q-a01"><span class="std std-ref">A01</span>', page)
    assert re.search(r'href="source.html#q-a01"><span class="std std-ref">“the first quoted words”</span>', page)
    assert re.search(r'href="source.html#q-a01"><span class="std std-ref">“first quoted”</span>', page)  # a prose quotation
    single = tiny["single"].read_text()
    assert 'href="#q-a01"' in single and 'href="#q-b02"' in single
    assert "source.html" not in single and "index.html#" not in single


def test_data_in_table_cells_stays_text(tiny):
    page = (tiny["html"] / "page.html").read_text()
    body = page[page.index('id="tbl-hostile-cells"') :]
    body = body[: body.index("</table>")]
    cells = re.findall(r"<td><p>(.*?)</p></td>", body, flags=re.S)
    assert cells == ["&lt;script&gt;alert(1)&lt;/script&gt;", "{glue:text}`x`", "**x**", "[a](javascript:alert(1))", "$x$", "{{ sub }}"]
    assert "<script>alert" not in page and "javascript:" not in re.sub(r"<td><p>.*?</p></td>", "", page)


CITATIONS = """Text [A]_ and [B]_.

.. [A] First entry, https://example.org/a.
.. [B] Second entry.

Between.

.. [C] A list of its own.
"""


def _html(translator=None) -> str:
    from docutils.core import publish_parts
    from docutils.writers.html5_polyglot import Writer

    writer = Writer()
    if translator is not None:
        writer.translator_class = translator
    return publish_parts(CITATIONS, writer=writer, settings_overrides={"report_level": 5})["body"]


def test_bibliography_entries_are_list_items_of_their_list():
    from docutils.writers.html5_polyglot import HTMLTranslator

    class Translator(HTMLTranslator):
        visit_citation = report.visit_citation
        depart_citation = report.depart_citation

    body = _html(Translator)
    assert body.count('<div role="list" class="citation-list">') == 2
    assert body.count('role="listitem"') == 3 and "doc-biblioentry" not in body
    assert body.count("<div") == body.count("</div>")


def test_docutils_still_writes_doc_biblioentry():
    # When this fails, Docutils writes list items itself: remove visit_citation and
    # depart_citation from _ext/report.py (point 5 of its docstring) and this test.
    assert 'role="doc-biblioentry"' in _html()
