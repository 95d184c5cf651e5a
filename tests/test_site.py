"""The built site in a real browser (Debian's Chromium driven by Playwright).

Every page: loads with no console error, no failed request and no request to any
other host; passes axe-core with no serious or critical violation, in light and
dark mode; its internal links and anchors resolve; and the search finds the right pages.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from bookutil import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    assert built_book["proc"].returncode == 0, "the book did not build"
    html = built_book["html"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"root": html, "url": f"http://127.0.0.1:{server.server_address[1]}/"}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Chromium is missing: run bash tools/setup.sh --test"
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def pages(root: Path) -> list[str]:
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if not p.relative_to(root).parts[0].startswith("_"))
    return [p for p in found if p != "index.html"]  # the root index is a redirect, visited separately


def visit(browser, url: str, dark: bool = False):
    """Open a page, recording console errors, failed requests and every request's host."""
    context = browser.new_context(color_scheme="dark" if dark else "light")
    mode = "dark" if dark else "light"
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    record = {"errors": [], "failed": [], "requests": [], "bad_status": []}
    page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("requestfailed", lambda r: record["failed"].append(f"{r.url} ({r.failure})"))
    page.on("request", lambda r: record["requests"].append(r.url))
    page.on("response", lambda r: record["bad_status"].append(f"{r.url} {r.status}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return context, page, record


def test_pages_load_offline_without_errors(site, browser):
    host = urlparse(site["url"]).netloc
    problems = []
    for path in ["index.html", *pages(site["root"])]:
        context, page, rec = visit(browser, urljoin(site["url"], path))
        outside = [u for u in rec["requests"] if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host]
        for kind, items in (
            ("console error", rec["errors"]),
            ("failed request", rec["failed"]),
            ("HTTP error", rec["bad_status"]),
            ("request to another host", outside),
        ):
            problems += [f"{path}: {kind}: {i}" for i in items]
        context.close()
    assert problems == []


def test_root_redirects_to_the_front_page(site, browser):
    context, page, _ = visit(browser, site["url"])
    page.wait_for_url(re.compile(r".*/chapters/index\.html$"))
    assert "Dalian learns from Tianjin" in page.title()
    context.close()


def _axe(page, rules: list[str] | None = None) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    options = (
        {"runOnly": {"type": "rule", "values": rules}}
        if rules
        else {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
    )
    return page.evaluate(
        "async (o) => (await axe.run(document, o)).violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0].target}))",
        options,
    )


def test_accessibility_no_serious_or_critical_violation(site, browser):
    assert AXE.exists(), "axe-core is missing: run bash tools/setup.sh --test"
    serious, report = [], {}
    for path in pages(site["root"]):
        for dark in (False, True):
            context, page, _ = visit(browser, urljoin(site["url"], path), dark=dark)
            violations = _axe(page)
            mode = "dark" if dark else "light"
            report[f"{path} ({mode})"] = violations
            serious += [
                f"{path} ({mode}): {v['id']} [{v['impact']}] {v['help']} at {v['target']}" for v in violations if v["impact"] in ("serious", "critical")
            ]
            context.close()
    (site["root"].parent / "accessibility-report.json").write_text(json.dumps(report, indent=1))  # beside the test build
    assert serious == []


def test_internal_links_and_anchors_resolve(site):
    root = site["root"]
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in [root / p for p in pages(root)]:
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', text):
            if re.match(r"^(https?:|mailto:|javascript:)", href):
                continue
            target_path, _, fragment = href.partition("#")
            target_path = target_path.split("?")[0]
            target = (page.parent / target_path).resolve() if target_path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(root)} -> {href}")
                continue
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                if fragment not in ids[target]:
                    broken.append(f"{page.relative_to(root)} -> {href} (no such anchor)")
    assert broken == []


def test_every_quote_link_lands_on_its_quote(site):
    text = (site["root"] / "chapters/findings.html").read_text(encoding="utf-8")
    assert re.search(r'href="source\.html#q-td06"', text)
    source = (site["root"] / "chapters/source.html").read_text(encoding="utf-8")
    assert re.search(r'id="q-td06"></span><mark class="c-claim" title="TD06">its products are exported to more than 60 countries and regions</mark>', source)


@pytest.mark.parametrize(
    "query, expected",
    [("showrooms", "chapters/visit.html"), ("directive", "chapters/directives.html"), ("codebook", "chapters/method.html")],
)
def test_search_finds_the_right_pages(site, browser, query, expected):
    context, page, rec = visit(browser, urljoin(site["url"], f"search.html?q={query}"))
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(l.split("?")[0].split("#")[0] == expected for l in links[:5]), links
    assert rec["errors"] == []
    context.close()


def test_icons_are_drawn_from_the_subset(site, browser):
    context, page, rec = visit(browser, urljoin(site["url"], "chapters/visit.html"))
    page.wait_for_function("document.querySelectorAll('svg.svg-inline--fa').length > 5")
    assert page.evaluate("document.querySelectorAll('i[class*=\"fa-\"]').length") == 0
    assert rec["errors"] == []
    context.close()
