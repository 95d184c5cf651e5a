"""The site on a phone (390 x 844 CSS px, as an iPhone 12-15 shows it), in Debian's Chromium.

On the front page the first screen shows the bottom line's first point whole; on every page every
figure's smallest text is at least 9 px as rendered (the narrow figure the stylesheet picks, or the
wide one shrunk to the column), and no table is clipped: a table wider than the screen scrolls
inside its frame, and the page itself never scrolls sideways.
"""

from __future__ import annotations

import base64
import re

import pytest
from test_site import browser, pages, site  # noqa: F401  (the shared site and browser fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("shared")]

PHONE = {"width": 390, "height": 844}
MIN_PX = 9.0

_FIGURES = """() => [...document.querySelectorAll(".bd-article img")]
  .filter(img => img.getClientRects().length && img.src.startsWith("data:image/svg+xml"))
  .map(img => ({src: img.src, width: img.getBoundingClientRect().width, cls: img.className}))"""

_TABLES = """() => [...document.querySelectorAll(".bd-article table")].filter(t => t.getClientRects().length).map(t => {
  const frame = t.closest(".pst-scrollable-table-container") || t.parentElement;
  const r = frame.getBoundingClientRect();
  return {id: t.id, wide: t.scrollWidth > frame.clientWidth + 1, scrolls: ["auto", "scroll"].includes(getComputedStyle(frame).overflowX),
          right: r.right, viewport: innerWidth};
})"""


def smallest_text_px(src: str, rendered_width: float) -> float:
    """The smallest text of an SVG figure (matplotlib writes each text as paths scaled by its size/100) at the width it is shown."""
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [100 * float(s) for s in re.findall(r"scale\(([\d.]+) -\1\)", svg)]
    assert sizes, "no text found in the figure"
    return min(sizes) * rendered_width / view_width


@pytest.fixture(scope="module")
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_the_first_screen_shows_the_first_point_of_the_bottom_line_whole(site, phone):  # noqa: F811
    page = phone.new_page()
    page.goto(site["url"] + "chapters/index.html", wait_until="load")
    box = page.evaluate("""() => { const h = document.querySelector("#bottom-line"); const li = h && h.querySelector("ol > li");
        const r = li.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }""")
    page.close()
    assert 0 <= box["top"] and box["bottom"] <= PHONE["height"], (
        f"the first point spans {box['top']:.0f}-{box['bottom']:.0f} px of an {PHONE['height']} px screen"
    )


def test_every_figure_keeps_its_text_at_least_9_px_and_no_table_is_clipped(site, phone):  # noqa: F811
    problems = []
    figures = 0
    for path in pages(site["root"]):
        page = phone.new_page()
        page.goto(site["url"] + path, wait_until="load")
        for fig in page.evaluate(_FIGURES):
            figures += 1
            px = smallest_text_px(fig["src"], fig["width"])
            if px < MIN_PX:
                problems.append(f"{path}: a figure ({fig['cls']}) shows text at {px:.1f} px")
        for table in page.evaluate(_TABLES):
            if table["wide"] and not table["scrolls"]:
                problems.append(f"{path}: table {table['id'] or '(no id)'} is wider than its frame, which does not scroll")
            if table["right"] > table["viewport"] + 1:
                problems.append(f"{path}: table {table['id'] or '(no id)'} reaches beyond the screen")
        overflow = page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth")
        if overflow > 1:
            problems.append(f"{path}: the page scrolls sideways by {overflow} px")
        page.close()
    assert figures >= 2, "the figures were not found"
    assert problems == []
