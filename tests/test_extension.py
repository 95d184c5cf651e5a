"""Tests of the local Sphinx extension (_ext/report_build.py).

Pure parts are tested directly. The seam between ``analysis.views.tables`` and Sphinx (a table
written by :class:`analysis.views.tables.Table`, numbered and cited; its links and the
``{quote}`` role resolved in ``html`` and ``singlehtml``; quote errors reported at their
place) is tested on a three-page Sphinx project, which builds in a few seconds.
"""

from __future__ import annotations

import io
import re
import sys

import pandas as pd
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RstParser
from docutils.utils import new_document

from analysis.views.tables import Table, quote_cell, source_link

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import report_build as rb


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


def test_files_digest_follows_the_named_files_only(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.csv").write_text("a\n1\n")
    (tmp_path / "data/b.csv").write_text("b\n1\n")
    first = rb.files_digest(tmp_path, ["data/a.csv", "data/gone.csv"])
    (tmp_path / "data/b.csv").write_text("b\n2\n")
    assert rb.files_digest(tmp_path, ["data/gone.csv", "data/a.csv"]) == first  # order and other files do not matter
    (tmp_path / "data/gone.csv").write_text("now here\n")
    assert rb.files_digest(tmp_path, ["data/a.csv", "data/gone.csv"]) != first  # a file that appears counts


def test_dependencies_map_tables_to_their_files(tmp_path):
    (tmp_path / "data/source").mkdir(parents=True)
    (tmp_path / "data/source/article.txt").write_text("text")
    (tmp_path / "data/datapackage.yaml").write_text("resources:\n  - {name: peers, path: peers.csv}\n  - {name: claims, path: claims.csv}\n")
    (tmp_path / "data/peers.csv").write_text("x\n")
    (tmp_path / "data/claims.csv").write_text("x\n")
    reads = {"files": ["analysis/peers.py", "CITATION.cff"], "parts": ["peers", "bibliography"], "loader": True}
    assert rb.dependencies(tmp_path, reads) == [
        "CITATION.cff",
        "analysis/peers.py",
        "data/datapackage.yaml",
        "data/peers.csv",
        "data/source/article.txt",
        "references.bib",
    ]
    assert rb.dependencies(tmp_path, {"files": [], "parts": [], "loader": False}) == []
    # a part the dictionary does not name: every data file, to be safe
    assert "data/claims.csv" in rb.dependencies(tmp_path, {"files": [], "parts": ["unknown"], "loader": True})


def test_a_chapter_that_counts_rows_follows_the_count_not_the_cells(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/datapackage.yaml").write_text(
        "resources:\n  - name: links\n    path: links.csv\n    schema:\n      foreignKeys:\n        - {fields: target, reference: {resource: t, fields: id}}\n",
        encoding="utf-8",
    )
    table = tmp_path / "data/links.csv"
    files = rb.dependencies(tmp_path, {"files": [], "parts": ["rows:links", "references:links"], "loader": False})
    assert files == ["@references:data/links.csv", "@rows:data/links.csv"]

    def digests(text: str) -> tuple[str, str]:
        table.write_text(text, encoding="utf-8")
        return rb.files_digest(tmp_path, ["@rows:data/links.csv"]), rb.files_digest(tmp_path, ["@references:data/links.csv"])

    rows, refs = digests('id,target,note\nL1,a,"one\nline"\nL2,b,two\n')
    assert digests('id,target,note\nL1,a,"one\nline, edited"\nL2,b,two\n') == (rows, refs)  # a cell outside the keys
    rows2, refs2 = digests('id,target,note\nL1,c,"one\nline"\nL2,b,two\n')  # a key changed
    assert rows2 == rows and refs2 != refs
    rows3, refs3 = digests('id,target,note\nL1,c,"one\nline"\nL2,b,two\nL3,b,three\n')  # a row added
    assert rows3 != rows and refs3 != refs2
    table.unlink()
    assert rb._aspect_digest(tmp_path, "@rows:data/links.csv") == b"missing"


def test_parallel_jobs_vouch_only_for_the_checked_multitoc_version(monkeypatch):
    import types

    warned = []
    monkeypatch.setattr(rb.logger, "warning", lambda msg, *a, **k: warned.append(msg))
    monkeypatch.delenv("REPORT_SPHINX_JOBS", raising=False)

    def app(version: str, jobs: int = 0):
        ext = types.SimpleNamespace(parallel_read_safe=None, module=types.SimpleNamespace(__version__=version))
        return types.SimpleNamespace(parallel=0, extensions={"sphinx_multitoc_numbering": ext}, config=types.SimpleNamespace(report_sphinx_jobs=jobs))

    checked = app(rb.MULTITOC_CHECKED, jobs=2)
    rb._parallel_jobs(checked, checked.config)
    assert checked.parallel == 2 and checked.extensions["sphinx_multitoc_numbering"].parallel_read_safe is True and warned == []
    other = app("9.9.9", jobs=2)
    rb._parallel_jobs(other, other.config)
    assert other.extensions["sphinx_multitoc_numbering"].parallel_read_safe is None and "9.9.9" in warned[0]
    one = app("9.9.9", jobs=1)
    rb._parallel_jobs(one, one.config)
    assert one.parallel == 0 and len(warned) == 1  # one process: nothing to vouch for


def test_accessibility_repairs_apply_to_the_page_body():
    context = {"body": '<summary aria-label="Toggle hidden content">x</summary><div role="doc-biblioentry">'}
    rb._repair_accessibility(None, "p", "page.html", context, None)
    assert context["body"] == '<summary>x</summary><div role="listitem">'


def test_an_accessibility_repair_that_no_longer_matches_is_reported(monkeypatch):
    warned = []
    monkeypatch.setattr(rb.logger, "warning", lambda msg, **kw: warned.append((msg, kw)))
    context = {"body": '<summary class="x" aria-label="Show code">x</summary>'}  # upstream changed the label
    rb._repair_accessibility(None, "chapters/p", "page.html", context, None)
    assert len(warned) == 1 and "no longer matches" in warned[0][0] and warned[0][1]["location"] == "chapters/p"
    rb._repair_accessibility(None, "chapters/p", "page.html", {"body": "<summary>x</summary>"}, None)
    assert len(warned) == 1  # nothing left to repair: nothing to say


def test_single_page_fragments_keep_only_the_target_id():
    doc = new_document("<test>", get_default_settings(RstParser))
    para = nodes.paragraph()
    refs = [nodes.reference("", "x", refuri=u) for u in ("#document-chapters/source#q-td06", "#document-chapters/zone", "#local", "https://example.org/#a")]
    para.extend(refs)
    doc.append(para)
    rb.SinglePageFragments(doc).run()
    assert [r["refuri"] for r in refs] == ["#q-td06", "#document-chapters/zone", "#local", "https://example.org/#a"]


def test_quote_error_examples_name_one_id_per_kind():
    assert rb._quote_examples({"A01": "", "A02": "", "TD06": "", "S01": ""}) == "A01, TD06, S01"


# --- the seam with Sphinx, on a tiny project --------------------------------------------

HOSTILE = ["<script>alert(1)</script>", "{glue:text}`x`", "**x**", "[a](javascript:alert(1))", "$x$", "{{ sub }}"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A Sphinx project whose root document lies in a folder, as the book's does."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("tiny")
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'report_build']\n"
        "root_doc = 'book/index'\nreport_source_doc = 'book/source'\nnumfig = True\n"
        "myst_enable_extensions = ['colon_fence', 'substitution', 'dollarmath', 'html_image']\n"
    )
    book = src / "book"
    book.mkdir()
    (book / "index.md").write_text("# Tiny\n\n```{toctree}\nsource\npage\nbad\n```\n")
    (book / "source.md").write_text('# Source\n\n<span id="q-a01"></span>the first quoted words. <span id="q-b02"></span>Second.\n')
    table = Table(
        pd.DataFrame({"id": [source_link("A01"), source_link("B02")], "quote": [quote_cell("the first quoted words", "A01"), "—"], "note": HOSTILE[:2]}),
        "Rows & <things>",
        name="tbl-rows",
    )
    hostile = Table(pd.DataFrame({"value": HOSTILE}), "Hostile cells")
    (book / "page.md").write_text(
        f"# Page\n\n{table.to_markdown()}\n{hostile.to_markdown()}\nSee {{numref}}`tbl-rows`, {{numref}}`{hostile.label}` and {{quote}}`A01:first quoted`.\n"
    )
    (book / "bad.md").write_text("# Bad\n\nOne {quote}`NOPE`.\n\nTwo {quote}`A01:absent words`.\n")
    rb._QUOTES[str(src.resolve())] = {"A01": "the first quoted words", "B02": "Second."}
    out = {}
    for builder in ("html", "singlehtml"):
        warnings = io.StringIO()
        app = Sphinx(src, src, src / "_build" / builder, src / "_build" / "doctrees", builder, status=None, warning=warnings, freshenv=True)
        app.build()
        out[builder] = warnings.getvalue()
    return {"src": src, "warnings": out, "html": src / "_build/html/book", "single": src / "_build/singlehtml/book/index.html"}


def test_tables_are_numbered_and_cited(tiny):
    page = (tiny["html"] / "page.html").read_text()
    assert re.search(
        r'<table class="report-table[^"]*" id="tbl-rows">\s*<caption><span class="caption-number">Table 1 </span><span class="caption-text">Rows &amp; &lt;things&gt;</span>',
        page,
    )
    assert 'id="tbl-hostile-cells"' in page and '<span class="caption-number">Table 2 </span>' in page
    assert '<a class="reference internal" href="#tbl-rows"><span class="std std-numref">Table 1</span></a>' in page
    assert '<span class="std std-numref">Table 2</span>' in page


def test_table_links_and_quotes_resolve_in_html_and_singlehtml(tiny):
    page = (tiny["html"] / "page.html").read_text()
    assert 'href="source.html#q-a01"><span class="std std-ref">A01</span>' in page
    assert 'href="source.html#q-a01"><span class="std std-ref">“the first quoted words”</span>' in page
    assert 'href="source.html#q-a01"><span class="std std-ref">“first quoted”</span>' in page  # the {quote} role
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


def test_quote_errors_are_reported_at_their_place_and_all_listed(tiny):
    errors = [line for line in tiny["warnings"]["html"].splitlines() if "ERROR" in line]
    assert any(re.search(r"bad\.md:3: ERROR: \{quote\}`NOPE` names no coded row \(ids look like A01, B02\)", e) for e in errors), errors
    assert any(re.search(r"bad\.md:5: ERROR: \{quote\}`A01:absent words`: 'absent words' is not part of the quote of A01", e) for e in errors), errors
    assert "page.md" not in tiny["warnings"]["html"]  # the good page is clean
