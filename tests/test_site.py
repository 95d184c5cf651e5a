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

from bookutil import ROOT, browser_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("shared")]

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
    pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Chromium is missing: run bash tools/setup.sh --test"
    b, stop = browser_in_thread(CHROMIUM, ARGS)
    yield b
    stop()


def pages(root: Path) -> list[str]:
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if not p.relative_to(root).parts[0].startswith("_"))
    return [p for p in found if p != "index.html"]  # the root index is a redirect, visited separately


def _open(browser, url: str, dark: bool, wait_until: str):
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
    page.goto(url, wait_until=wait_until)
    return context, page, record


def visit(browser, url: str, dark: bool = False):
    """Open a page, recording console errors, failed requests and every request's host."""
    return _open(browser, url, dark, "networkidle")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DARK_RULES = ["color-contrast", "link-in-text-block"]  # axe-core's rules that read colours
AXE_VIOLATIONS = "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0].target})"


AT_A_TIME = 4  # pages open at once in the audit


@pytest.fixture(scope="session")
def audit(site, browser):
    """Every page opened once in light and once in dark mode, as ``visit`` opens a page: for each
    light visit, the record of its loading (console, requests), and for each visit, axe-core's
    violations. The root index (a redirect to the front page) is opened in light mode only, for
    its record. A few pages are open at a time, each in its own browser context, so that one loads
    or runs axe while another waits for its network to go idle. Returns {(path, mode): result}.

    Dark mode changes only colours (the theme sets ``data-theme`` on the same page), so in dark mode
    axe runs the rules that depend on colour (``DARK_RULES``); in light mode it runs every rule of ``AXE_TAGS``.
    """
    jobs = [("index.html", "light")] + [(path, mode) for path in pages(site["root"]) for mode in ("light", "dark")]
    options = {"light": {"runOnly": {"type": "tag", "values": AXE_TAGS}}, "dark": {"runOnly": {"type": "rule", "values": DARK_RULES}}}
    results = {}
    for start in range(0, len(jobs), AT_A_TIME):
        opened = {job: _open(browser, urljoin(site["url"], job[0]), job[1] == "dark", "commit") for job in jobs[start : start + AT_A_TIME]}
        for (path, mode), (_, page, record) in opened.items():
            page.wait_for_load_state("networkidle")  # what visit() waits for
            # the record as visit() returns it, before axe is added to the page
            results[(path, mode)] = {"record": {k: list(v) for k, v in record.items()}, "axe": None}
            if path != "index.html" and AXE.exists():  # axe starts in each page before any result is awaited
                page.add_script_tag(path=str(AXE))
                page.evaluate(f"(o) => {{ window.reportAxe = axe.run(document, o).then(r => r.violations.map({AXE_VIOLATIONS})); }}", options[mode])
        for (path, mode), (context, page, _) in opened.items():
            if path != "index.html" and AXE.exists():
                results[(path, mode)]["axe"] = page.evaluate("() => window.reportAxe")
            context.close()
    return results


def test_pages_load_offline_without_errors(site, audit):
    host = urlparse(site["url"]).netloc
    problems = []
    for path in ["index.html", *pages(site["root"])]:
        rec = audit[(path, "light")]["record"]
        outside = [u for u in rec["requests"] if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host]
        for kind, items in (
            ("console error", rec["errors"]),
            ("failed request", rec["failed"]),
            ("HTTP error", rec["bad_status"]),
            ("request to another host", outside),
        ):
            problems += [f"{path}: {kind}: {i}" for i in items]
    assert problems == []


def test_root_redirects_to_the_front_page(site, browser):
    context, page, _ = visit(browser, site["url"])
    page.wait_for_url(re.compile(r".*/chapters/index\.html$"))
    assert "Dalian learns from Tianjin" in page.title()
    context.close()


def test_accessibility_no_serious_or_critical_violation(site, audit):
    assert AXE.exists(), "axe-core is missing: run bash tools/setup.sh --test"
    serious, report = [], {}
    for path in pages(site["root"]):
        for mode in ("light", "dark"):
            violations = audit[(path, mode)]["axe"]
            report[f"{path} ({mode})"] = violations
            serious += [
                f"{path} ({mode}): {v['id']} [{v['impact']}] {v['help']} at {v['target']}" for v in violations if v["impact"] in ("serious", "critical")
            ]
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
    [("Tellyes", "chapters/visit.html"), ("directive", "chapters/directives.html"), ("codebook", "chapters/method.html")],
)
def test_search_finds_the_right_pages(site, browser, query, expected):
    context, page, rec = visit(browser, urljoin(site["url"], f"search.html?q={query}"))
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(l.split("?")[0].split("#")[0] == expected for l in links[:5]), links
    assert rec["errors"] == []
    context.close()
