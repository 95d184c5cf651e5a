"""The PDF of the whole book: built, linked from the front page, and every link in it works.

Links are read from the PDF's link annotations with pypdf: none goes to the local server
the PDF was printed from, links to the annotated source and between chapters are jumps
to named destinations inside the PDF, and links to the outside keep their real addresses.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlparse, urlsplit, urlunsplit

import pytest

pypdf = pytest.importorskip("pypdf")

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("shared")]  # they read the shared build: one per run


@pytest.fixture(scope="module")
def pdf(built_book):
    run = built_book["pdf"]
    assert run is not None and run.returncode == 0, (run.stdout + run.stderr)[-3000:] if run else "HTML build failed"
    path = built_book["html"] / "report.pdf"
    reader = pypdf.PdfReader(path)
    uris, jumps = [], []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot["/A"].get_object() if "/A" in annot else None
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
            elif "/Dest" in annot:
                jumps.append((number, str(annot["/Dest"])))
            else:
                raise AssertionError(f"page {number + 1}: a link of an unexpected kind: {annot}")
    return {"path": path, "reader": reader, "uris": uris, "jumps": jumps, "named": reader.named_destinations}


def test_pdf_is_built_and_linked_from_the_front_page(built_book, pdf):
    assert pdf["path"].read_bytes().startswith(b"%PDF-")
    assert len(pdf["reader"].pages) >= 30
    front = (built_book["html"] / "chapters/index.html").read_text(encoding="utf-8")
    assert 'href="../report.pdf"' in front


def test_pdf_starts_with_the_title_on_page_one(pdf):
    assert "Dalian learns from Tianjin" in pdf["reader"].pages[0].extract_text()


def test_no_link_goes_to_the_local_server_or_a_file(pdf):
    local = [u for u in pdf["uris"] if urlparse(u).hostname in ("127.0.0.1", "localhost") or urlparse(u).scheme not in ("http", "https", "mailto")]
    assert local == []


def test_internal_links_jump_to_destinations_inside_the_pdf(pdf):
    assert len(pdf["jumps"]) >= 300
    unresolved = sorted({name for _, name in pdf["jumps"] if name not in pdf["named"]})
    assert unresolved == []
    names = {name for _, name in pdf["jumps"]}
    assert any(n.startswith("/q-") for n in names), "no link to the annotated source"
    assert any(n.startswith("/document-chapters/") for n in names), "no link between chapters"


def test_a_quote_link_lands_on_the_page_with_the_quote(pdf):
    reader = pdf["reader"]
    target = reader.get_destination_page_number(pdf["named"]["/q-td06"])
    here = " ".join(reader.pages[target].extract_text().split())
    # the quote starts on the page the link lands on (it may run on to the next)
    following = " ".join(reader.pages[target + 1].extract_text().split()) if target + 1 < len(reader.pages) else ""
    assert "exported" in here and "60 countries and regions" in here + " " + following


def _normal(url: str) -> str:
    """The URL as a browser writes it (``http://host`` and ``http://host/`` are one address)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path or "/"))


def test_outside_links_keep_their_addresses(built_book, pdf):
    single = (built_book["singlehtml"] / "chapters/index.html").read_text(encoding="utf-8")
    outside = {_normal(html.unescape(u)) for u in re.findall(r'href="(https?://[^"]+)"', single)}
    assert pdf["uris"], "no outside link in the PDF"
    # files the site offers for download are linked at their published address (html.baseurl)
    import yaml

    base = yaml.safe_load((built_book["root"] / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"].rstrip("/") + "/"
    # so are rows of the reference tables the print leaves out (the registers, the sample listing): on their site page
    downloads = {u for u in pdf["uris"] if u.startswith(base)}
    assert any(u.startswith(base + "downloads/") for u in downloads)
    assert all((built_book["html"] / (urlsplit(u[len(base) :]).path or "index.html")).is_file() for u in downloads), sorted(downloads)
    assert {_normal(u) for u in pdf["uris"] if u not in downloads} <= outside
    assert any(urlparse(u).hostname == "en.dl.gov.cn" for u in pdf["uris"])  # the source article


def test_table_numbers_in_the_pdf_match_the_site(built_book, pdf):
    # NFKC undoes the typographic ligatures of the PDF's text ("ﬁ" in "Profile")
    text = " ".join(unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf["reader"].pages)).split())
    page = (built_book["html"] / "chapters/findings.html").read_text(encoding="utf-8")
    site = re.findall(r'<span class="caption-number">Table (\d+) </span><span class="caption-text">([^<]+)</span>', page)
    assert site
    for number, caption in site:
        start = " ".join(html.unescape(caption).split()[:4])
        assert f"Table {number} {start}" in text, (number, start)


def _outline(reader) -> list[tuple[int, str, int]]:
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, " ".join(str(item.title).split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def test_the_outline_follows_the_chapters_and_their_sections(built_book, pdf):
    outline = _outline(pdf["reader"])
    chapters = [t for d, t, _ in outline if d == 1]
    sections = [t for d, t, _ in outline if d == 2]
    toc = (built_book["root"] / "_toc.yml").read_text(encoding="utf-8")
    assert len(chapters) >= toc.count("file:") and len(sections) > len(chapters)
    for firm in ("Tiandy", "Tellyes", "Concorde"):  # the walk through each enterprise
        assert any(t.startswith(firm) for _, t, _ in outline), firm
    pages = [n for _, _, n in outline]
    assert pages == sorted(pages), "the outline's entries are in page order"


def test_the_contents_page_gives_each_chapter_and_section_its_page(pdf):
    reader = pdf["reader"]
    contents = " ".join(unicodedata.normalize("NFKC", reader.pages[1].extract_text()).split())
    assert contents.startswith("Contents")
    for depth, title, page in _outline(reader):
        if depth == 1:
            start = " ".join(unicodedata.normalize("NFKC", title).split()[:3])
            assert re.search(re.escape(start) + r"[^0-9]*?\b" + str(page) + r"\b", contents), (title, page)


def _filled(page) -> float:
    """How far down the page its text reaches, as a share of the page's height."""
    ys = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) if text.strip() else None)
    height = float(page.mediabox.height)
    body = [y for y in ys if 0.06 * height < y < height * 0.96]  # leave out the footer line
    return (height - min(body)) / height if body else 0.0


def test_no_page_is_less_than_a_quarter_full_but_the_last(pdf):
    pages = pdf["reader"].pages
    sparse = []
    for number, page in enumerate(pages[:-1], start=1):
        resources = page.get("/Resources") or {}
        has_image = bool(resources.get("/XObject")) if hasattr(resources, "get") else False
        if not has_image and _filled(page) < 0.25:
            sparse.append((number, round(_filled(page), 2)))
    assert sparse == []
