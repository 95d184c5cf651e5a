"""The shared strict build of the book: no warning, every chapter run, pages and single page as they should be.

Edits and rebuilds (what a changed table, prose or code re-runs, and what a bad input stops) are in
``tests/test_rebuild.py``; they work on a copy of their own.
"""

from __future__ import annotations

import html
import re

import pytest
import yaml

from bookutil import ROOT, executed, warnings, why

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("shared")]


def test_strict_full_build_has_no_warning(built_book):
    proc = built_book["proc"]
    assert proc.returncode == 0, why(proc)
    assert warnings(proc) == []
    chapters = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert chapters <= {p.stem for p in (built_book["html"] / "chapters").glob("*.html")}
    assert executed(proc) == len(chapters)


def test_the_pdf_is_made_from_the_same_environment_without_running_a_chapter_again(built_book):
    assert built_book["pdf"] is not None and built_book["pdf"].returncode == 0, built_book["pdf"] and built_book["pdf"].stderr[-3000:]
    assert "Executed notebook" not in built_book["pdf"].stdout + built_book["pdf"].stderr


def test_the_download_button_offers_the_chapter_as_this_build_ran_it(built_book):
    import json

    notebook = json.loads((built_book["html"] / "_sources/chapters/glossary.ipynb").read_text(encoding="utf-8"))
    executed_here = json.loads((built_book["root"] / "_build/jupyter_execute/chapters/glossary.ipynb").read_text(encoding="utf-8"))
    assert notebook == executed_here


def test_every_figure_is_numbered_captioned_and_has_alt_text(built_book):
    for page in (built_book["html"] / "chapters").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for img in re.findall(r"<img [^>]*>", text):
            if "_images/" not in img:  # theme icons (Binder logo) carry their own short alt text
                assert re.search(r'alt="[^"]+"', img), f"{page.name}: {img[:120]}"
                continue
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 30 and not alt.group(1).endswith(".png"), f"{page.name}: {img[:120]}"
        figures = re.findall(r'<figure class="[^"]*".*?</figure>', text, flags=re.S)
        for fig in figures:
            assert re.search(r'<span class="caption-number">Fig\. \d+ </span>', fig), f"{page.name}: figure without number"


def test_every_page_has_a_meta_description_and_favicon(built_book):
    for page in list((built_book["html"] / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert re.search(r'<meta name="description" content="[^"]{40,}"', text), page.name
        assert 'rel="icon"' in text and "favicon.svg" in text, page.name


def test_site_offers_downloads_repository_and_launch_buttons(built_book):
    text = (built_book["html"] / "chapters/visit.html").read_text(encoding="utf-8")
    assert "../_sources/chapters/visit.ipynb" in text  # download .ipynb
    assert "Launch Binder" in text or "mybinder.org" in text
    assert "repository" in text.lower() and "github.com" in text
    assert "sphinx-thebe" not in text  # no live-code scripts: thebe is left out of the extensions


def test_prose_quotes_link_to_the_annotated_source(built_book):
    text = (built_book["html"] / "chapters/directives.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="source.html#q-d08"><span class="std std-ref">“a number of”</span></a>', text), (
        "the quotation of D08 does not link to its row"
    )


def _captions(page: str) -> list[tuple[int, str]]:
    return [
        (int(n), html.unescape(re.sub(r"<[^>]+>", "", c)))
        for n, c in re.findall(r'<span class="caption-number">Table (\d+) </span><span class="caption-text">(.*?)</span>', page)
    ]


def _toc_pages(root) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_tables_are_numbered_across_the_book_the_same_on_the_site_and_in_the_single_page(built_book):
    site = [c for doc in _toc_pages(built_book["root"]) for c in _captions((built_book["html"] / f"{doc}.html").read_text(encoding="utf-8"))]
    assert [n for n, _ in site] == list(range(1, len(site) + 1))
    assert len(site) >= 20  # numbered across the book, not per page
    single = _captions((built_book["singlehtml"] / "chapters/index.html").read_text(encoding="utf-8"))
    assert single == site


def test_tables_link_to_the_source_rows_in_every_builder(built_book):
    page = (built_book["html"] / "chapters/findings.html").read_text(encoding="utf-8")
    assert 'href="source.html#q-td06"' in page
    single = (built_book["singlehtml"] / "chapters/index.html").read_text(encoding="utf-8")
    assert 'href="#q-td06"' in single and 'id="q-td06"' in single
    assert "source.html#" not in single and 'href="chapters/index.html#' not in single


def test_prose_cites_a_table_by_its_number(built_book):
    page = (built_book["html"] / "chapters/glossary.html").read_text(encoding="utf-8")
    cited = re.findall(r'<a class="reference internal" href="#(tbl-[^"]+)"><span class="std std-numref">Table (\d+)</span></a>', page)
    assert cited, "no {numref} to a table on the glossary page"
    numbers = {t: n for t, n in re.findall(r'<table [^>]*id="(tbl-[^"]+)">\s*<caption><span class="caption-number">Table (\d+) ', page)}
    assert all(numbers.get(t) == n for t, n in cited), (cited, numbers)
