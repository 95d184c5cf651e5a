"""Build a PDF of the whole book, offline: Sphinx's single-page HTML printed by headless Chromium.

Run after the HTML build (the single page shares its environment, so no chapter is run again):

    .venv/bin/python tools/build_pdf.py [BOOK_ROOT]

Writes ``<BOOK_ROOT>/_build/html/report.pdf`` (the repository by default), which the
front page links to. Every link in the PDF is either a jump inside it (the builder
resolves cross-references in the single page to fragments; see
``_ext/report.py``, ``SinglePageFragments``) or a link to an outside address: a
visible link to any other page of the local build stops the script, and the front
page's link to this PDF becomes plain text. Chromium is Debian's package (``bash
tools/setup.sh`` installs it); Chinese terms need a CJK font (fonts-wqy-zenhei, also
installed by the set-up).
"""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PRINT_CSS = """
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .prev-next-area,
.bd-footer, .bd-footer-article, .bd-footer-content, .search-button-field, .skip-link,
details.above-input, .cell_input, .toggle-details { display: none !important; }
.bd-page-width, .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-article {
  max-width: none !important; width: 100% !important; margin: 0 !important; padding: 0 !important; }
.pst-scrollable-table-container, div.cell_output .output { overflow: visible !important; }
table.report-table td { max-width: none; }
tr, figure { break-inside: avoid; }
/* long tables break between rows (their header repeats), so no page is left near-empty before one */
table, .pst-scrollable-table-container, div.cell, div.cell_output, div.output, .table-wrapper { break-inside: auto !important; page-break-inside: auto !important; }
thead { display: table-header-group; }
body { font-size: 9pt; line-height: 1.35; }
table.report-table, .pst-scrollable-table-container table { font-size: 7pt; line-height: 1.2; }
/* the column-by-column data dictionary stays on the site and in the data package (the appendix says so) */
section#appendix-data-dictionary .pst-scrollable-table-container, section#appendix-data-dictionary table.report-table { display: none !important; }
/* so do the rows of the codebook, the registers of concepts and statements, the listing of the sample and the adjudication of the
   blind codings: reference tables whose rows the site links to; each keeps its caption, marked, so its number and the links to it land */
:is(table#tbl-codebook, table#tbl-concepts, table#tbl-statements, table#tbl-peers-sample, table#tbl-adjudication) > :not(caption) { display: none !important; }
:is(table#tbl-codebook, table#tbl-concepts, table#tbl-statements, table#tbl-peers-sample, table#tbl-adjudication) > caption::after { content: " (its rows are on the site, not printed)"; }
table.report-table td, table.report-table th { padding: 0.15rem 0.3rem !important; }
.admonition { padding: 0.3rem 0.6rem !important; margin: 0.5rem 0 !important; }
/* the single page nests each chapter one level down: the book's title is h1, chapters h2, their sections h3 */
h1 { font-size: 17pt; } h2 { font-size: 14pt; margin-top: 0.8rem; } h3 { font-size: 11.5pt; margin-top: 0.6rem; } h4 { font-size: 10pt; }
p { margin-bottom: 0.45rem; }
figure img { max-width: 100%; max-height: 115mm; width: auto; }
span[id^="document-"] + section > h2 { break-after: avoid; margin-top: 1.2rem; padding-top: 0.6rem; border-top: 2px solid #555; }  /* chapters run on, each under a rule, to keep the PDF short */
h2, h3 { break-after: avoid; } table.report-table caption { break-after: avoid; } .pst-scrollable-table-container { display: block !important; }
a { color: inherit; text-decoration: none; }
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Links that would leave the printed page for another file of the local build: the front
# page's link to this PDF is made plain text; files the site offers for download (the data
# package, its tables, the citation exports) get their published address under the book's
# base URL; a link to another page is an error.
_LOCAL_LINKS = """(baseurl) => {
  const here = location.href.split("#")[0], found = [];
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.href.split("#")[0] === here) continue;
    if (!a.getClientRects().length) continue;  // not printed (hidden navigation)
    if (url.pathname.endsWith("/report.pdf")) { a.removeAttribute("href"); continue; }
    const download = !url.pathname.endsWith(".html") && !url.pathname.endsWith("/");
    if (baseurl && download) { a.href = baseurl + url.pathname.slice(1); continue; }
    found.push(a.getAttribute("href"));
  }
  // a jump to a row of a reference table the print leaves out goes to that row on the site
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (!baseurl || !target || target.getClientRects().length || !a.getClientRects().length) continue;
    let node = target, doc = null;
    while (node && !doc) {
      for (let sib = node.previousElementSibling; sib && !doc; sib = sib.previousElementSibling)
        if (sib.id && sib.id.startsWith("document-")) doc = sib.id.slice("document-".length);
      node = node.parentElement;
    }
    if (doc) a.href = baseurl + doc + ".html" + a.getAttribute("href");
  }
  return found;
}"""


# The contents page: every printed chapter (h2 in the single page) and section (h3), after the front
# page, each with its page number. The numbers start as placeholders of the same width, are read
# from the PDF's outline after a first printing, filled in, and checked against a second printing.
_CONTENTS = """() => {
  const heads = [...document.querySelectorAll("h2, h3")].filter(h => h.getClientRects().length && !h.closest("#pdf-contents"));
  const box = document.createElement("nav");
  box.id = "pdf-contents";
  box.setAttribute("aria-label", "Contents");
  box.innerHTML = '<p class="pdf-contents-title">Contents</p><ol></ol>';
  const list = box.querySelector("ol");
  for (const h of heads) {
    const target = h.closest("section[id]") || h;
    const li = document.createElement("li");
    li.className = h.tagName === "H2" ? "pdf-chapter" : "pdf-section";
    const label = h.cloneNode(true);
    label.querySelectorAll(".headerlink, .section-number").forEach(e => e.remove());
    li.innerHTML = `<a href="#${target.id}"></a><span class="pdf-page">000</span>`;
    li.querySelector("a").textContent = label.textContent.trim();
    list.append(li);
  }
  // the front page is the book's root document; the first included chapter follows it
  const first = document.querySelector('span[id^="document-"]');
  first ? first.before(box) : document.querySelector("h2").before(box);
  return heads.length;
}"""

_FILL_CONTENTS = """(pages) => {
  document.querySelectorAll("#pdf-contents .pdf-page").forEach((e, i) => { e.textContent = String(pages[i]); });
}"""

CONTENTS_CSS = """
#pdf-contents { break-before: page; break-after: page; font-size: 8.5pt; line-height: 1.25; }
#pdf-contents .pdf-contents-title { font-size: 14pt; font-weight: bold; margin: 0 0 0.4rem; }
#pdf-contents ol { list-style: none; padding: 0; margin: 0; columns: 2; column-gap: 8mm; }
#pdf-contents li { display: flex; gap: 0.4rem; break-inside: avoid; }
#pdf-contents li a { flex: 1; } #pdf-contents .pdf-page { font-variant-numeric: tabular-nums; }
#pdf-contents li.pdf-chapter { font-weight: bold; margin-top: 0.3rem; }
#pdf-contents li.pdf-section { padding-left: 0.8rem; }
"""


def outline_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every entry of a PDF's outline, in order."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def _config(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def book_title(root: Path) -> str:
    """The book's title from ``_config.yml``."""
    return str(_config(root).get("title", ""))


def base_url(root: Path) -> str:
    """The published address of the book (``html.baseurl`` in ``_config.yml``), ending in "/", or ""."""
    url = str((_config(root).get("html") or {}).get("baseurl") or "")
    return url if not url or url.endswith("/") else url + "/"


def build_singlehtml(root: Path = ROOT) -> Path:
    """Build the single-page HTML of the book and return its main page."""
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(root), "--builder", "singlehtml", "-W", "-n", "--keep-going"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit("singlehtml build failed")
    # Sphinx writes the single page as chapters/index.html but with its stylesheets and
    # images relative to the output root; a copy at the root makes them resolve.
    single = root / "_build" / "singlehtml"
    page = single / "book.html"
    shutil.copy(single / "chapters" / "index.html", page)
    return page


def print_pdf(page_path: Path, out: Path, title: str = "", baseurl: str = "") -> int:
    """Print one HTML page to PDF with Chromium; returns the PDF's size in bytes.

    Links to files offered for download are given their address under ``baseurl``.
    """
    from playwright.sync_api import sync_playwright

    site = page_path.parent
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page_path.relative_to(site).as_posix()}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="networkidle")
            page.add_style_tag(content=PRINT_CSS + CONTENTS_CSS)
            page.emulate_media(media="print")
            leaving = page.evaluate(_LOCAL_LINKS, baseurl)
            if leaving:
                raise SystemExit(f"{len(leaving)} link(s) in the single page lead to other local pages, not into the PDF: {leaving[:10]}")
            entries = page.evaluate(_CONTENTS)
            out.parent.mkdir(parents=True, exist_ok=True)

            def printed() -> list[int]:
                page.pdf(
                    path=str(out),
                    format="A4",
                    margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                    print_background=True,
                    outline=True,  # bookmarks from the headings: the book, its chapters, their sections
                    tagged=True,  # a tagged PDF, which screen readers and the outline rely on
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=f'<div style="font-size:8pt;width:100%;text-align:center;color:#444">{html.escape(title)} — page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
                )
                # the outline's entries below the book's title (depth 0) are the chapters and their sections
                pages = [n for depth, _, n in outline_pages(out) if depth in (1, 2)]
                if len(pages) != entries:
                    raise SystemExit(f"the PDF's outline has {len(pages)} chapters and sections, the contents page {entries}")
                return pages

            pages = printed()
            for _ in range(3):
                page.evaluate(_FILL_CONTENTS, pages)
                again = printed()
                if again == pages:
                    break
                pages = again
            else:
                raise SystemExit("the contents page's numbers did not settle after three printings")
            browser.close()
    finally:
        server.shutdown()
    return out.stat().st_size


def local_paths_in_pdf(pdf: Path, root: Path) -> list[str]:
    """Local paths (the build's own prefixes, as the site's check defines them) in the PDF's text, links and metadata."""
    from pypdf import PdfReader

    sys.path.insert(0, str(root / "_ext"))
    from report import private_prefixes

    prefixes = private_prefixes(root)
    reader = PdfReader(str(pdf))
    found = []
    for number, page in enumerate(reader.pages, start=1):
        texts = [page.extract_text()] + [str(a.get_object().get("/A", {}).get("/URI", "")) for a in page.get("/Annots") or []]
        found += [f"page {number}: {p}" for p in prefixes for t in texts if p in t]
    found += [f"metadata: {p}" for p in prefixes for v in (reader.metadata or {}).values() if p in str(v)]
    return found


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]).resolve() if args else ROOT
    out = root / "_build" / "html" / "report.pdf"
    page = build_singlehtml(root)
    size = print_pdf(page, out, book_title(root), base_url(root))
    leaks = local_paths_in_pdf(out, root)
    if leaks:
        out.unlink()
        raise SystemExit("the PDF would publish local paths (print relative paths, or none):\n" + "\n".join(leaks[:20]))
    print(f"PDF written to {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
