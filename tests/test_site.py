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
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import css_purge
import fontawesome_subset as fa

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
AXE_VIOLATIONS = "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0].target})"


AT_A_TIME = 4  # pages open at once in the audit


@pytest.fixture(scope="session")
def audit(site, browser):
    """Every page opened once in light and once in dark mode, as ``visit`` opens a page: for each
    light visit, the record of its loading (console, requests), and for each visit, axe-core's
    violations. The root index (a redirect to the front page) is opened in light mode only, for
    its record. A few pages are open at a time, each in its own browser context, so that one loads
    or runs axe while another waits for its network to go idle. Returns {(path, mode): result}.
    """
    jobs = [("index.html", "light")] + [(path, mode) for path in pages(site["root"]) for mode in ("light", "dark")]
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    results = {}
    for start in range(0, len(jobs), AT_A_TIME):
        opened = {job: _open(browser, urljoin(site["url"], job[0]), job[1] == "dark", "commit") for job in jobs[start : start + AT_A_TIME]}
        for (path, mode), (_, page, record) in opened.items():
            page.wait_for_load_state("networkidle")  # what visit() waits for
            # the record as visit() returns it, before axe is added to the page
            results[(path, mode)] = {"record": {k: list(v) for k, v in record.items()}, "axe": None}
            if path != "index.html" and AXE.exists():  # axe starts in each page before any result is awaited
                page.add_script_tag(path=str(AXE))
                page.evaluate(f"(o) => {{ window.reportAxe = axe.run(document, o).then(r => r.violations.map({AXE_VIOLATIONS})); }}", options)
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


# --- fast on a phone (_ext/page_speed.py, _ext/css_purge.py, _ext/fontawesome_subset.py) ------------------------


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_no_script_in_head_blocks_the_first_paint(site):
    """Every script file in <head> is deferred (or async, or a module); no script is preloaded ahead of the stylesheets."""
    blocking = []
    for path in pages(site["root"]):
        head = _head((site["root"] / path).read_text(encoding="utf-8"))
        for tag in re.findall(r"<script\b[^>]*>", head):
            if "src=" in tag and not re.search(r"\b(defer|async)\b|type=\"module\"", tag):
                blocking.append(f"{path}: {tag}")
        blocking += [f"{path}: {tag}" for tag in re.findall(r'<link rel="preload" as="script"[^>]*>', head)]
        if path != "search.html":  # the search index only where the search runs
            blocking += [f"{path}: {tag}" for tag in re.findall(r"<script[^>]*(?:searchindex|searchtools)\.js[^>]*>", head)]
    assert blocking == []


def test_the_full_icon_fonts_are_never_loaded(site, browser):
    """The admonition icons come from the solid font cut to the glyphs the site uses (a few kB), not the 157 kB font."""
    context, page, rec = visit(browser, urljoin(site["url"], "chapters/glossary.html"))
    page.wait_for_function("document.fonts.status === 'loaded'")
    fonts = [u for u in rec["requests"] if re.search(r"\.(woff2?|ttf)\b", u)]
    assert [u for u in fonts if "report-subset" not in u] == []
    assert any("fa-solid-900.report-subset.woff" in u for u in fonts)  # the page has an admonition: its icon is drawn
    assert rec["errors"] == []
    context.close()


def test_the_icon_font_subset_has_every_glyph_the_site_draws_with_it(site):
    """Every icon code point of the theme's stylesheets (as the theme ships them) and of the icon classes on the pages."""
    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static"
    full = TTFont(theme / "vendor/fontawesome/webfonts/fa-solid-900.ttf").getBestCmap()
    subset = TTFont(site["root"] / "_static/vendor/fontawesome/webfonts" / fa.SUBSET_FONT).getBestCmap()
    css = [(theme / "styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (site["root"] / "_static").rglob("*.css") if "pydata-sphinx-theme" not in p.name
    ]
    texts = [(site["root"] / p).read_text(encoding="utf-8") for p in pages(site["root"])]
    wanted = fa.font_codepoints(css, texts) & set(full)
    assert wanted and wanted <= set(subset), sorted(hex(c) for c in wanted - set(subset))
    assert {0xF0F3, 0xF05A, 0xF0C9} <= set(subset)  # the admonitions' bell and info circle, the header's bars


#: Every element's (and ::before/::after's) computed style, in document order, each written as
#: what differs from its parent's (an element's) or its element's (a pseudo-element's): the
#: properties whose value differs, and those the parent has and it lacks. Two pages whose
#: elements (at the same depth, with the same tag, in the same order) write the same lines have
#: the same computed style everywhere, by induction from the root, which writes all of its own,
#: and the other way round. Standard properties are read by name (the browser lists the same
#: ones for every element). Custom properties are read only where a rule that declares one
#: matches the element (its selector, whatever its @media), or its style attribute declares one:
#: elsewhere they are inherited as they are (none is registered with @property, or every element
#: reads them), so they are the parent's. Every element's count of properties is checked against
#: the browser's. On this site's pages this writes the same lines as reading every property of
#: every element, in a third of the time. With ``named``, one "path hash" line an element, to
#: name the elements that differ; without, one digest of them all. Entries are sorted: custom
#: properties come in declaration order.
_STYLES = """async (named) => {
  const out = [], seen = new Map();
  const hash = (s) => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(16); };
  const selectors = new Set();
  let registered = false;
  const walk = (rules) => { for (const rule of rules) {
    if (rule.style && rule.selectorText !== undefined) { for (let i = 0; i < rule.style.length; i++) if (rule.style[i].startsWith('--')) { selectors.add(rule.selectorText); break; } }
    if (rule.constructor.name === 'CSSPropertyRule') registered = true;
    if (rule.cssRules) walk(rule.cssRules);
    if (rule.styleSheet) walk(rule.styleSheet.cssRules);
  } };
  for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets]) walk(sheet.cssRules);
  const matchers = [...selectors].map(s => { try { document.querySelector(s); return s; } catch (e) { return null; } });
  const declares = (el) => {
    if (registered || matchers.includes(null)) return true;
    if (el.style) for (let i = 0; i < el.style.length; i++) if (el.style[i].startsWith('--')) return true;
    for (const s of matchers) if (el.matches(s)) return true;
    return false;
  };
  const root = getComputedStyle(document.documentElement);
  const standard = [];
  for (let i = 0; i < root.length; i++) if (!root[i].startsWith('--')) standard.push(root[i]);
  const S = standard.length;
  const names = standard.filter(n => !n.startsWith('transition') && !n.startsWith('animation'));
  const read = (cs, inherited, what) => {
    const std = new Map();
    for (const n of names) std.set(n, cs.getPropertyValue(n));
    let custom = inherited;
    if (!custom) { custom = new Map(); for (let i = S; i < cs.length; i++) custom.set(cs[i], cs.getPropertyValue(cs[i])); }
    if (cs.length !== S + custom.size) throw new Error(what + ': the browser lists ' + cs.length + ' properties, ' + (S + custom.size) + ' expected');
    return { std, custom };
  };
  const diff = (values, base) => {
    const d = [];
    for (const part of ['std', 'custom']) {
      const m = values[part], b = base && base[part];
      if (b === m) continue;
      for (const [n, v] of m) if (!b || b.get(n) !== v) d.push(n + ':' + v);
      if (b) for (const n of b.keys()) if (!m.has(n)) d.push('-' + n);
    }
    return d.sort().join(';');
  };
  for (const el of document.querySelectorAll('*')) {
    const parent = el.parentElement && seen.get(el.parentElement);
    const me = { depth: parent ? parent.depth + 1 : 0, path: el.tagName };
    if (named && parent) me.path = parent.path + '>' + el.tagName + '[' + Array.prototype.indexOf.call(el.parentElement.children, el) + ']';
    const inherit = parent && !declares(el) ? parent.values.custom : null;
    me.values = read(getComputedStyle(el), inherit, me.path);
    seen.set(el, me);
    const where = named ? me.path : me.depth + ' ' + el.tagName;
    const style = diff(me.values, parent && parent.values);
    out.push(where + ' ' + (named ? hash(style) : style));
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (cs.content === 'none') continue;
      const own = diff(read(cs, null, me.path + pseudo), me.values);
      out.push(where + pseudo + ' ' + (named ? hash(own) : own));
    }
  }
  if (named) return out;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(out.join(String.fromCharCode(10))));
  return out.length + ' ' + Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""

#: Starts ``_STYLES`` after the call returns (a task of the page's own, posted by message: not a
#: timer, which a browser may throttle) and keeps its promise, so that several pages, each in a
#: renderer process of its own, work at once; ``_RESULT`` waits for it.
_START = (
    "(named) => { window.__styles = new Promise((resolve, reject) => { const c = new MessageChannel(); c.port1.onmessage = () => ("
    + _STYLES
    + ")(named).then(resolve, reject); c.port2.postMessage(0); }); }"
)
_RESULT = "() => window.__styles"


def _computed(browser, bases: tuple[str, ...], paths: list[str], configs: list[tuple[bool, int]], named: bool):
    """``_STYLES`` on each of ``paths`` of each site in each (dark, width): yields ``path`` and a dict
    keyed ``(base, dark, width)``. One tab a site and configuration, in a context of its own, loads
    each page in turn (a new document each time); the tabs load and measure side by side."""
    tabs = {}
    try:
        for base in bases:
            for dark, width in configs:
                mode = "dark" if dark else "light"
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode, reduced_motion="reduce")
                context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
                tabs[base, dark, width] = (context, context.new_page())
        for path in paths:
            for (base, _, _), (_, page) in tabs.items():
                page.goto(urljoin(base, path), wait_until="commit")  # the tabs load meanwhile
            for _, page in tabs.values():
                page.wait_for_load_state("networkidle")
                page.evaluate(_START, named)
            yield path, {key: page.evaluate(_RESULT) for key, (_, page) in tabs.items()}
    finally:
        for context, _ in tabs.values():
            context.close()


_TINY = """<!doctype html><html><head><style>
:root { --gap: 4px; --tone: navy; }
.box { padding: var(--gap); }
.box .inner { --tone: teal; color: var(--tone); }
%s
</style></head><body><div class="box"><p class="inner">a <span>b</span></p></div><p>c</p></body></html>"""


def _tiny_digest(browser, extra_css: str) -> str:
    context = browser.new_context()
    page = context.new_page()
    html = _TINY % extra_css  # served from localhost (never reached): a secure context, which the digest needs
    page.route("http://localhost/tiny.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://localhost/tiny.html")
    digest = page.evaluate(_STYLES, False)
    context.close()
    return digest


def test_the_style_digest_sees_every_change_of_computed_style_and_nothing_else(browser):
    """The digest that the purged-stylesheet check compares: a rule that matches nothing, or declares
    what the element has anyway, changes nothing; a custom property changed where it is declared or
    only inherited, and a standard property, change it."""
    base = _tiny_digest(browser, "")
    assert _tiny_digest(browser, ".absent { color: red; --tone: red; }") == base  # unused rules
    assert _tiny_digest(browser, "span { --tone: teal; }") == base  # what it inherits anyway
    for changed in (".box .inner { --tone: olive; }", "span { --tone: olive; }", ":root { --gap: 5px; }", "span { margin-left: 1px; }"):
        assert _tiny_digest(browser, changed) != base, changed


def test_purged_stylesheets_style_the_pages_as_the_originals_do(site, browser, tmp_path):
    """Every element (and ::before/::after) of the pages that together use every class of the site has the same
    computed style with the purged stylesheets as with the packages' originals: light and dark, phone and desktop."""
    import myst_nb
    import pydata_sphinx_theme
    import sphinx_design

    original = tmp_path / "original"
    shutil.copytree(site["root"], original)
    theme_css = (Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    purged_theme = (site["root"] / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    font_src = re.search(r'src:url\([^)]*report-subset\.woff\) format\("woff"\)', purged_theme).group(0)
    assert fa.SOLID_SRC in theme_css
    (original / "_static/styles/pydata-sphinx-theme.css").write_text(theme_css.replace(fa.SOLID_SRC, font_src), encoding="utf-8")  # the same font file
    shutil.copy(Path(sphinx_design.__file__).parent / "static/sphinx-design.min.css", original / "_static/sphinx-design.min.css")
    for path in (original / "_static").glob("mystnb.*.css"):
        shutil.copy(Path(myst_nb.__file__).parent / "static/mystnb.css", path)
    for pattern in css_purge.PURGED:  # the copy really has the originals
        assert all(css_purge.MARKER not in p.read_text(encoding="utf-8") for p in original.glob(pattern))

    # the fewest pages that together use every class the site's pages use (greedy cover)
    classes = {p: set(" ".join(re.findall(r'class="([^"]*)"', (site["root"] / p).read_text(encoding="utf-8"))).split()) for p in pages(site["root"])}
    left, chosen = set().union(*classes.values()), []
    while left:
        best = max(classes, key=lambda p: len(classes[p] & left))
        chosen.append(best)
        left -= classes[best]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(original)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    original_url = f"http://127.0.0.1:{server.server_address[1]}/"
    differences = []
    configs = [(dark, width) for dark in (False, True) for width in (412, 1280)]
    bases = (site["url"], original_url)
    try:
        for path, digests in _computed(browser, bases, chosen, configs, named=False):
            for dark, width in configs:
                where = f"{path} ({'dark' if dark else 'light'}, {width} px)"
                ours, theirs = digests[bases[0], dark, width], digests[bases[1], dark, width]
                if ours == theirs:
                    continue
                [(_, styles)] = _computed(browser, bases, [path], [(dark, width)], named=True)  # they differ: name the elements
                a_list, b_list = styles[bases[0], dark, width], styles[bases[1], dark, width]
                if a_list == b_list:
                    differences.append(f"{where}: the digests differ ({ours}, {theirs}), the element hashes do not")
                differences += [f"{where}: {a}" for a, b in zip(a_list, b_list) if a != b]
                if len(a_list) != len(b_list):
                    differences.append(f"{where}: {len(a_list)} styled elements, {len(b_list)} with the originals")
    finally:
        server.shutdown()
    assert differences == [], differences[:20]


def test_figures_carry_their_size(site):
    """Every image of _images/ on the pages has width and height, so its place is kept before it loads."""
    unsized = []
    for path in pages(site["root"]):
        for tag in re.findall(r"<img\b[^>]*>", (site["root"] / path).read_text(encoding="utf-8")):
            if "_images/" in tag and not (re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag)):
                unsized.append(f"{path}: {tag[:120]}")
    assert unsized == []
