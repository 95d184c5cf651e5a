"""The book builds strictly, fails on a broken chapter or bad data, and rebuilds correctly."""

from __future__ import annotations

import json
import re

import pytest

from bookutil import ROOT, build, copy_book, edit_notebook, executed, warnings

pytestmark = pytest.mark.build


def test_strict_full_build_has_no_warning(built_book):
    proc = built_book["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert warnings(proc) == []
    chapters = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert chapters <= {p.stem for p in (built_book["html"] / "chapters").glob("*.html")}
    assert executed(proc) == len(chapters)


def test_a_chapter_that_raises_fails_the_build(tmp_path):
    book = copy_book(tmp_path / "book")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n", encoding="utf-8")
    edit_notebook(book / "chapters/glossary.ipynb", "code", lambda s: s + "\nraise RuntimeError('deliberately broken chapter')\n")
    proc = build(book, "--all")
    assert proc.returncode != 0
    assert "deliberately broken chapter" in proc.stdout + proc.stderr


def test_bad_data_stops_the_build_with_the_loaders_message(tmp_path):
    book = copy_book(tmp_path / "book")
    claims = book / "data/claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("exported to more than 60", "exported to more than 70", 1), encoding="utf-8")
    proc = build(book, "--all")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "data/claims.csv, line 16, column 'quote': quote not found in the source" in out
    assert not (book / "_build/html/chapters/tiandy.html").exists()


def test_rebuilds_reexecute_only_when_code_or_data_change(tmp_path):
    book = copy_book(tmp_path / "book")
    chapters = len(list((book / "chapters").glob("*.ipynb")))

    cold = build(book)
    assert cold.returncode == 0 and executed(cold) == chapters

    noop = build(book)
    assert noop.returncode == 0 and executed(noop) == 0

    # a prose-only edit re-reads that page and executes nothing
    edit_notebook(book / "chapters/glossary.ipynb", "markdown", lambda s: s.replace("The official terms the article uses", "The official terms that the article uses"))
    prose = build(book)
    assert prose.returncode == 0 and executed(prose) == 0
    assert "The official terms that the article uses" in (book / "_build/html/chapters/glossary.html").read_text(encoding="utf-8")

    # a one-cell data edit re-executes every chapter that uses analysis, and the page shows the new data
    glossary = book / "data/glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Networked devices and sensors", "Networked sensors and devices"), encoding="utf-8")
    data = build(book)
    assert data.returncode == 0 and executed(data) == chapters
    assert "Networked sensors and devices" in (book / "_build/html/chapters/glossary.html").read_text(encoding="utf-8")

    # a change in analysis/ does too
    (book / "analysis/style.py").write_text((book / "analysis/style.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code = build(book)
    assert code.returncode == 0 and executed(code) == chapters


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
    text = (built_book["html"] / "chapters/tiandy.html").read_text(encoding="utf-8")
    assert "../_sources/chapters/tiandy.ipynb" in text  # download .ipynb
    assert "Launch Binder" in text or "mybinder.org" in text
    assert "repository" in text.lower() and "github.com" in text
    assert "thebe" not in text.lower()


def test_pdf_of_the_whole_book_is_built_and_linked(built_book):
    pdf = built_book["pdf"]
    assert pdf is not None and pdf.returncode == 0, (pdf.stdout + pdf.stderr)[-3000:] if pdf else "HTML build failed"
    path = built_book["html"] / "report.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 300_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 30, pages
    front = (built_book["html"] / "chapters/index.html").read_text(encoding="utf-8")
    assert 'href="../report.pdf"' in front


def test_icon_bundle_is_reduced_to_the_icons_used(built_book):
    script = (built_book["html"] / "_static/scripts/fontawesome.js").read_text(encoding="utf-8")
    assert script.startswith("/* report: Font Awesome subset */")
    assert len(script.encode()) < 50_000
    for icon in ('"magnifying-glass"', '"github"', '"circle-half-stroke"', '"download"'):
        assert icon in script


@pytest.mark.parametrize(
    "role, message",
    [("{quote}`ZZ99`", "names no coded row"), ("{quote}`TD06:70 countries`", "is not part of the quote of TD06")],
)
def test_a_quote_not_in_the_data_stops_the_build(tmp_path, role, message):
    book = copy_book(tmp_path / "book")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n", encoding="utf-8")
    edit_notebook(book / "chapters/glossary.ipynb", "markdown", lambda s: s + f"\n\nA quotation: {role}.\n")
    proc = build(book, "--all")
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr


def test_prose_quotes_link_to_the_annotated_source(built_book):
    text = (built_book["html"] / "chapters/directives.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="quote report-quote reference external" href="source.html#q-d08">“a number of”</a>', text)
