"""Safe by construction: data that carries markup reaches no reader live; nothing private is published;
no chapter silently drops out of the site.

The build tests (marker ``build``) build copies of the book in temporary folders:

* ``payload_book``: the whole book from data whose free-text cells, data dictionary, source
  metadata and bibliography carry payloads (``<script>``, ``<img onerror>``, ``javascript:``
  links, ``$...$`` text, MyST roles). No payload may be live in any page, and the site (HTML,
  ``_sources``, downloads, the PDF when Chromium is there) may name no local path.
* ``small_book``: two chapters listed, the others left out of ``_toc.yml``, and one chapter
  that writes a local path to stderr. The strict build must fail on both; a lenient build
  must keep the stderr off the page.

Two assertions depend on other branches of the second edition and are marked as such:
``test_dictionary_page_renders_its_text_inertly`` needs the dictionary appendix to escape
resource titles and descriptions (helper "reuse"), and ``test_figures_never_parse_mathtext``
needs figure text drawn without mathtext (helper "figures").
"""

from __future__ import annotations

import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bookutil import build, copy_book, set_cell, why

# --- payloads --------------------------------------------------------------------------------

ROLE = "{glue:text}`n_rows`"
MATH = "$x^2$"
FIGURE_MATH = "Davos: $5m to $6m"  # drawn in the timeline figure

#: (file, id column, id, column, payload). Each marker INJ-... must never run.
CELLS = [
    ("topics.csv", "topic_id", "T02", "topic", "<script>alert('INJ-directive')</script>"),
    ("directive_evidence.csv", "link_id", "E12", "rationale", "<img src=x onerror=alert('INJ-evidence')>"),
    ("claims.csv", "claim_id", "TD01", "statement", f"Tiandy {ROLE} **bold** {MATH} [link](javascript:alert('INJ-claim')) <script>alert('INJ-claim')</script>"),
    # a statement may add words to its sentence only by naming the inference that adds them (a loader rule)
    ("claims.csv", "claim_id", "TD01", "statement_inference", "I14"),
    ("external_facts.csv", "fact_id", "X16", "statement", "</td></table><script>alert('INJ-fact')</script> costs $5m to $6m"),
    ("external_facts.csv", "fact_id", "X01", "timeline_label", FIGURE_MATH),
    ("entities.csv", "entity_id", "tiandy_hall", "canonical_name", "<a href=\"javascript:alert('INJ-role')\">Hall</a>"),
    ("entities.csv", "entity_id", "lu_lin", "canonical_name", "Lu Lin $\\alpha$"),
    ("glossary.csv", "term_id", "G01", "explanation", "<a href=\"javascript:alert('INJ-glossary')\">x</a> <style>/*INJ-style*/body{display:none}</style>"),
    ("sources.csv", "bib_key", "chinastemcell", "note", "<script>alert('INJ-source')</script>"),
]

#: (old, new) in data/datapackage.yaml: the dictionary's own text.
DICTIONARY = [
    ("    title: Topics raised\n", "    title: \"Topics raised <script>alert('INJ-dict-title')</script>\"\n"),
    (
        "    description: The subjects raised in conversations and briefings, one subject a row.\n",
        f"    description: 'Subjects <img src=\"x\" onerror=\"alert(''INJ-dict-desc'')\"> {ROLE} {MATH}'\n",
    ),
    ("          description: Stable identifier of the topic.\n", "          description: \"<script>alert('INJ-dict-field')</script>\"\n"),
    ("          coding: T and a number in order of the text.\n", "          coding: \"<img src=x onerror=alert('INJ-dict-coding')>\"\n"),
]

#: (old, new) in references.bib. A javascript: *url* is refused by the loader (tests/test_load.py).
BIBLIOGRAPHY = [
    ("  title        = {{Targeting Tiandy}},\n", "  title        = {{Targeting Tiandy <script>alert('INJ-bib-title')</script>}},\n"),
    ("  howpublished = {100md.com},\n", "  howpublished = {100md.com javascript:alert('INJ-bib-how') <img src=x onerror=alert('INJ-bib-how')>},\n"),
]

SOURCE_META = (
    'publisher: "Dalian Municipal People\'s Government, English-language website"',
    "publisher: \"Dalian Municipal People's Government <script>alert('INJ-meta')</script>\"",
)

#: Text that names a place on the machine that built the site.
PRIVATE = re.compile(rb"(?<![\w.~-])/(?:work|root|home|tmp)/[\w.-]|site-packages|dist-packages")
#: Addresses of servers that lived only while the site was built.
EPHEMERAL = re.compile(rb"https?://(?:127\.0\.0\.1|localhost|0\.0\.0\.0)[:/]")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def plant_payloads(book: Path) -> None:
    for file, id_column, row_id, column, value in CELLS:
        set_cell(book / "data" / file, id_column, row_id, column, value)
    for old, new in DICTIONARY:
        replace(book / "data/datapackage.yaml", old, new)
    for old, new in BIBLIOGRAPHY:
        replace(book / "references.bib", old, new)
    replace(book / "data/source/SOURCE.yaml", *SOURCE_META)


# --- what counts as live -------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


class _Live(HTMLParser):
    """Collects what a browser would run or follow: script text, event handlers, link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}={value}")
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def live_payloads(page: str) -> list[str]:
    """Every payload of this test that is live in one HTML page (empty when all are inert)."""
    live = _Live()
    live.feed(page)
    found = [f"script: {s.strip()[:80]}" for s in live.scripts if "INJ-" in s]
    found += [f"handler: {h[:80]}" for h in live.handlers if "INJ-" in h]
    found += [f"link: {u[:80]}" for u in live.urls if re.sub(r"[\s\x00-\x1f]", "", u).lower().startswith(("javascript:", "vbscript:", "data:text/html"))]
    found += [f"style: {s.strip()[:80]}" for s in live.styles if "INJ-" in s]
    return found


def private_paths(site: Path, extra: tuple[bytes, ...] = ()) -> list[str]:
    """Every file of a built site that names a local path (PDF streams inflated), with the match."""
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        chunks = [data]
        if path.suffix == ".pdf":
            for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
                try:
                    chunks.append(zlib.decompress(stream))
                except zlib.error:
                    pass
        for chunk in chunks:
            hit = PRIVATE.search(chunk) or next((re.search(re.escape(x), chunk) for x in extra if x in chunk), None)
            if hit:
                found.append(f"{path.relative_to(site)}: {chunk[max(0, hit.start() - 40) : hit.end() + 40]!r}")
                break
    return found


def test_live_payload_detection():
    assert live_payloads("<p>&lt;script&gt;alert('INJ-x')&lt;/script&gt; <a href=\"https://example.org\">x</a></p>") == []
    assert live_payloads("<script>alert('INJ-x')</script>")
    assert live_payloads("<img src=x onerror=\"alert('INJ-x')\">")
    assert live_payloads("<a href=' JaVaScRiPt:alert(1)'>x</a>")


def test_private_path_detection(tmp_path):
    (tmp_path / "ok.html").write_text("<a href='https://example.org/home/x'>/work is a word</a>", encoding="utf-8")
    assert private_paths(tmp_path) == []
    (tmp_path / "bad.html").write_text("<pre>/work/wt-x/.venv/lib/python3.11/site-packages/x.py:1: Warning</pre>", encoding="utf-8")
    pdf = b"%PDF-1.4\nstream\n" + zlib.compress(b"(/home/someone/book) Tj") + b"\nendstream\n"
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert [p.split(":")[0] for p in private_paths(tmp_path)] == ["bad.html", "report.pdf"]


# --- the payload build -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def payload_book(tmp_path_factory):
    book = copy_book(tmp_path_factory.mktemp("payload") / "book")
    plant_payloads(book)
    proc = build(book, "--all", "-n", "--keep-going")  # lenient: every page is written, so every sink can be inspected
    # no PDF: it is printed from these pages, and the shared build's PDF is checked below
    return {"book": book, "proc": proc, "html": book / "_build/html"}


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_the_payloads_pass_the_loader_and_the_book_builds(payload_book):
    proc = payload_book["proc"]
    assert proc.returncode == 0, why(proc)


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_no_payload_is_live_in_any_page(payload_book):
    pages = _pages(payload_book["html"])
    live = {name: found for name, text in pages.items() if name != "chapters/dictionary.html" and (found := live_payloads(text))}
    assert live == {}
    # the payloads did reach the pages, as text
    shown = "\n".join(pages.values()).lower()  # the bibliography style lower-cases titles
    for marker in (
        "INJ-directive",
        "INJ-evidence",
        "INJ-claim",
        "INJ-fact",
        "INJ-role",
        "INJ-glossary",
        "INJ-style",
        "INJ-bib-title",
        "INJ-bib-how",
        "INJ-meta",
    ):
        assert marker.lower() in shown, f"{marker} was not rendered anywhere: the test no longer exercises that sink"


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_roles_and_dollars_in_data_stay_literal_text(payload_book):
    pages = _pages(payload_book["html"])
    with_role = [name for name, text in pages.items() if ROLE in text and name != "chapters/dictionary.html"]
    assert with_role, "the MyST role in claims.csv was interpreted (or not shown)"
    assert any(MATH in pages[name] for name in with_role)


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_dictionary_page_renders_its_text_inertly(payload_book):
    """NEEDS helper "reuse": chapters/dictionary.ipynb must escape resource titles and descriptions.

    The first edition displays them as Markdown, so a <script> in a title runs and a MyST role is
    interpreted. This test fails until that sink is fixed; it is not marked xfail on purpose.
    """
    page = _pages(payload_book["html"])["chapters/dictionary.html"]
    assert live_payloads(page) == []
    assert ROLE in page and "INJ-dict-title" in page and "INJ-dict-desc" in page


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_figures_never_parse_mathtext(payload_book):
    """NEEDS helper "figures": text drawn by matplotlib must never be read as mathtext.

    Draws the figures that show data text (timeline labels) from the
    payload data and checks that no text object would be typeset as mathematics.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.text import Text

    from analysis import load_all
    from analysis.queries.timeline import timeline_events
    from analysis.views import figures

    ds = load_all(payload_book["book"])
    drawn = {"timeline": figures.timeline(timeline_events(ds))}
    math = []
    for name, fig in drawn.items():
        fig.canvas.draw()
        for text in fig.findobj(Text):
            if "$" in text.get_text() and text._preprocess_math(text.get_text())[1]:
                math.append(f"{name}: {text.get_text()!r}")
    assert any("$5m to $6m" in t.get_text() for t in drawn["timeline"].findobj(Text)), "the payload label was not drawn"
    assert math == []


@pytest.mark.build
@pytest.mark.xdist_group("payload")
def test_the_site_names_no_local_path(payload_book):
    book = payload_book["book"]
    site = payload_book["html"]
    assert (site / "_sources").is_dir()
    assert private_paths(site, extra=(str(book).encode(), str(Path.home()).encode() + b"/")) == []


@pytest.mark.build
@pytest.mark.xdist_group("shared")
def test_the_pdf_names_no_local_path_and_no_server_of_the_build(built_book):
    """The shared build's PDF: no path of the machine that built it, and no link to the server it was printed from.

    The first edition's PDF linked its quotes to http://127.0.0.1:<port>/..., dead for every reader.
    """
    pdf = built_book["pdf"]
    if pdf is None:
        pytest.skip("no PDF: the HTML build failed")
    assert pdf.returncode == 0, (pdf.stdout + pdf.stderr)[-3000:]
    assert private_paths(built_book["html"], extra=(str(built_book["root"]).encode(),)) == []
    data = (built_book["html"] / "report.pdf").read_bytes()
    assert sorted(set(m.group(0) for m in EPHEMERAL.finditer(data))) == []
