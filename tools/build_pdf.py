"""Build a PDF of the whole book, offline: Sphinx's single-page HTML printed by headless Chromium.

Run after the HTML build (it reuses the execution cache, so nothing is re-executed):

    .venv/bin/python tools/build_pdf.py

Writes ``_build/html/report.pdf``, which the front page links to. Chromium is Debian's
package (``bash tools/setup.sh`` installs it); Chinese terms need a CJK font
(fonts-wqy-zenhei, also installed by the set-up).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
OUT = BUILD / "html" / "report.pdf"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PRINT_CSS = """
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .prev-next-area,
.bd-footer, .bd-footer-article, .bd-footer-content, .search-button-field, .skip-link,
details.above-input, .cell_input, .toggle-details { display: none !important; }
.bd-page-width, .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-article {
  max-width: none !important; width: 100% !important; margin: 0 !important; padding: 0 !important; }
.report-table, div.cell_output .output { overflow: visible !important; }
.report-table table.report td { max-width: none; }
tr, figure, .admonition { break-inside: avoid; }
body { font-size: 10pt; }
figure img { max-width: 100%; }
h1 { break-before: page; }
section:first-of-type > h1 { break-before: avoid; }
a { color: inherit; text-decoration: none; }
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_singlehtml() -> Path:
    """Build the single-page HTML of the book and return its main page."""
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--builder", "singlehtml"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit("singlehtml build failed")
    # Sphinx writes the single page as chapters/index.html but with links relative to the
    # output root; a copy at the root makes its stylesheets and images resolve.
    page = BUILD / "singlehtml" / "book.html"
    shutil.copy(BUILD / "singlehtml" / "chapters" / "index.html", page)
    return page


def print_pdf(page_path: Path, out: Path) -> int:
    """Print one HTML page to PDF with Chromium; returns the PDF's size in bytes."""
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
            page.add_style_tag(content=PRINT_CSS)
            page.emulate_media(media="print")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(out),
                format="A4",
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template='<div style="font-size:8pt;width:100%;text-align:center;color:#444">Dalian learns from Tianjin, 2018 — page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
            )
            browser.close()
    finally:
        server.shutdown()
    return out.stat().st_size


def main() -> None:
    page = build_singlehtml()
    size = print_pdf(page, OUT)
    print(f"PDF written to {OUT.relative_to(ROOT)} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
