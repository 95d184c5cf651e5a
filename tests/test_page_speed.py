"""Unit tests of what makes the pages fast on a phone: deferred scripts, the theme's head markup
filters (_ext/page_speed.py), the solid icon font subset (_ext/fontawesome_subset.py) and the
purge of unused CSS rules (_ext/css_purge.py). The built site is checked in tests/test_site.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

from sphinx.builders.html._assets import _JavaScript

import css_purge
import fontawesome_subset as fa
import page_speed


# --- deferred scripts ---------------------------------------------------------------------------
def _render(scripts) -> list[tuple]:
    return [(js.filename, js.priority, dict(js.attributes)) for js in scripts]


def test_every_script_file_is_deferred_and_inline_scripts_keep_their_order():
    scripts = [
        _JavaScript("_static/documentation_options.js", priority=200),
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body="let toggleHintShow = 'Click to show';"),
        _JavaScript("_static/design-tabs.js", **{"data-sd-tabs-storage-prefix": "x-"}),
        _JavaScript("_static/already.js", defer="defer"),
        _JavaScript("_static/async.js", **{"async": "async"}),
        _JavaScript(None, body="var togglebuttonSelector = '.toggle, .admonition.dropdown';"),
        _JavaScript(None, body="DOCUMENTATION_OPTIONS.pagename = 'chapters/visit';"),
        _JavaScript(None, body="DOCUMENTATION_OPTIONS.search_as_you_type = false;"),
    ]
    assert _render(page_speed.deferred(scripts)) == [
        ("_static/documentation_options.js", 200, {"defer": "defer"}),
        ("_static/doctools.js", 200, {"defer": "defer"}),
        (None, 500, {"body": "let toggleHintShow = 'Click to show';"}),  # a literal: runs where it stands
        ("_static/design-tabs.js", 500, {"data-sd-tabs-storage-prefix": "x-", "defer": "defer"}),
        ("_static/already.js", 500, {"defer": "defer"}),
        ("_static/async.js", 500, {"async": "async"}),
        (None, 500, {"body": "var togglebuttonSelector = '.toggle, .admonition.dropdown';"}),
        # needs documentation_options.js: a module script runs in order with the deferred files
        (None, 500, {"body": "DOCUMENTATION_OPTIONS.pagename = 'chapters/visit';", "type": "module"}),
        (None, 500, {"body": "DOCUMENTATION_OPTIONS.search_as_you_type = false;", "type": "module"}),
    ]


@pytest.mark.parametrize(
    "body",
    ["window.MathJax = {tex: {}};", "let x = compute();", "DOCUMENTATION_OPTIONS.x = f();", "document.body.classList.add('a')"],
)
def test_an_unknown_inline_script_is_refused(body):
    with pytest.raises(page_speed.UnknownInlineScript):
        page_speed.deferred([_JavaScript("_static/a.js"), _JavaScript(None, body=body)])


# --- the theme's head markup --------------------------------------------------------------------
PRE_ASSETS = """
  <!-- Loaded before other Sphinx assets -->
  <link href="../_static/styles/theme.css?digest=55c26ed414f5f8a31ebb" rel="stylesheet" />
<link href="../_static/styles/pydata-sphinx-theme.css?digest=55c26ed414f5f8a31ebb" rel="stylesheet" />
"""
JS_PRELOAD = """
  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>
  <!-- Pre-loaded scripts that we'll load fully later -->
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=55c26ed414f5f8a31ebb" />
<link rel="preload" as="script" href="../_static/scripts/pydata-sphinx-theme.js?digest=55c26ed414f5f8a31ebb" />
"""


def test_basic_css_is_linked_instead_of_the_theme_css_that_imports_it():
    out = page_speed.basic_css_directly(PRE_ASSETS)
    assert '<link href="../_static/basic.css" rel="stylesheet" />' in out
    assert "styles/theme.css" not in out and "pydata-sphinx-theme.css?digest=" in out


def test_the_script_preloads_are_dropped_and_the_icon_script_kept():
    out = page_speed.without_script_preloads(JS_PRELOAD)
    assert "preload" not in out.replace("Pre-loaded", "") and "fontawesome.js" in out


def test_changed_theme_markup_stops_the_build():
    with pytest.raises(page_speed.ThemeMarkupChanged):
        page_speed.basic_css_directly(PRE_ASSETS.replace("styles/theme.css", "styles/base.css"))
    with pytest.raises(page_speed.ThemeMarkupChanged):
        page_speed.without_script_preloads(JS_PRELOAD.replace('rel="preload" as="script"', 'rel="modulepreload"'))


def test_the_installed_themes_head_markup_is_the_one_the_filters_read():
    import pydata_sphinx_theme

    macros = (Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/webpack-macros.html").read_text(encoding="utf-8")
    pre = macros.split("{% macro head_pre_assets() %}")[1].split("{% endmacro %}")[0].replace("{{ pathto('_static/", "../_static/").replace("', 1) }}", "")
    preload = macros.split("{% macro head_js_preload() %}")[1].split("{% endmacro %}")[0].replace("{{ pathto('_static/", "../_static/").replace("', 1) }}", "")
    page_speed.basic_css_directly(pre)
    page_speed.without_script_preloads(preload)


# --- the solid icon font ------------------------------------------------------------------------
def test_font_codepoints_are_those_the_css_uses_and_the_icon_classes_in_the_pages():
    css = [
        ':root{--pst-icon-bell:"\uf0f3"}.admonition>.admonition-title:after{content:var(--pst-icon-admonition-default)}',
        '.a:before{content:"\\f107"}.fa-bars:before{content:"\\f0c9"}.fa-house:before,.fa-home:before{content:"\uf015"}.fa-x:before{content:"\\f00d"}',
        ".b:before{content:'x'}",
    ]
    pages = ['<span class="fa-solid fa-bars"></span>', "el.className = 'fa-home';"]
    assert fa.font_codepoints(css, pages) == {0xF0F3, 0xF107, 0xF0C9, 0xF015}  # not fa-x: no page names it


def test_the_installed_themes_font_face_is_the_one_subset_font_rewrites():
    import pydata_sphinx_theme

    css = (Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert css.count(fa.SOLID_SRC) == 1


def test_subset_font_stops_on_an_unknown_font_face(tmp_path):
    (tmp_path / "_static/styles").mkdir(parents=True)
    (tmp_path / "_static/vendor/fontawesome/webfonts").mkdir(parents=True)
    (tmp_path / "_static/styles/pydata-sphinx-theme.css").write_text("@font-face{src:url(fa.woff2)}")
    (tmp_path / fa.SOLID_FONT).write_bytes(b"")
    with pytest.raises(fa.IconSubsetError, match="no longer declares"):
        fa.subset_font(tmp_path)
    with pytest.raises(fa.IconSubsetError, match="no longer ships"):
        fa.subset_font(tmp_path / "elsewhere")


def _mini_site(root: Path) -> Path:
    import pydata_sphinx_theme

    static = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static"
    (root / "_static/styles").mkdir(parents=True)
    (root / fa.SOLID_FONT).parent.mkdir(parents=True)
    (root / "_static/styles/pydata-sphinx-theme.css").write_text((static / "styles/pydata-sphinx-theme.css").read_text(encoding="utf-8"), encoding="utf-8")
    (root / fa.SOLID_FONT).write_bytes((static / "vendor/fontawesome/webfonts/fa-solid-900.ttf").read_bytes())
    (root / "index.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    return root


def test_subset_font_on_the_same_site_again_parses_no_font(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = fa.subset_font(_mini_site(tmp_path / "a"), cache)
    made = (tmp_path / "a" / fa.SOLID_FONT).with_name(fa.SUBSET_FONT).read_bytes()
    monkeypatch.setitem(sys.modules, "fontTools", None)  # an import of fontTools would now fail
    again = _mini_site(tmp_path / "b")
    assert fa.subset_font(again, cache) == first
    assert (again / fa.SOLID_FONT).with_name(fa.SUBSET_FONT).read_bytes() == made
    other = _mini_site(tmp_path / "c")
    (other / "index.html").write_text('<i class="fa-solid fa-house"></i>', encoding="utf-8")
    with pytest.raises(ImportError):  # other pages: the glyphs are read from the font again
        fa.subset_font(other, cache)


def test_subset_font_is_reproducible(tmp_path, monkeypatch):
    """Two sites made apart in time, without a cache, get the same bytes (the font keeps the source's date, not now)."""
    import time

    fa.subset_font(_mini_site(tmp_path / "a"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # fontTools stamps head.modified with the time now
    fa.subset_font(_mini_site(tmp_path / "b"))
    made = [(tmp_path / site / fa.SOLID_FONT).with_name(fa.SUBSET_FONT).read_bytes() for site in "ab"]
    assert made[0] == made[1]


# --- unused CSS rules ---------------------------------------------------------------------------
WORDS = {"used", "btn", "show", "html", "admonition", "note"}


def _purge(css: str, words=WORDS, prefixes=("bs-",)) -> str:
    return css_purge.purge(css, set(words), prefixes)


def test_rules_naming_an_absent_class_are_removed():
    assert _purge(".used{a:1}.absent{b:2}.used .absent{c:3}.btn.show{d:4}") == ".used{a:1}.btn.show{d:4}"


def test_a_rule_stays_if_one_of_its_selectors_may_match():
    assert _purge(".absent,.used>p{a:1}") == ".absent,.used>p{a:1}"


def test_only_class_names_decide():
    css = 'p{a:1}#x{b:2}[class*=fa-]{c:3}a[href$=".pdf"]{d:4}html[data-theme=dark] .used{e:5}*{f:6}'
    assert _purge(css) == css


def test_classes_inside_functional_pseudo_classes_do_not_remove_a_rule():
    css = ".used:not(.absent){a:1}.used:is(.absent,.other)>p{b:2}:where(.absent) p{c:3}.used::before{d:4}"
    assert _purge(css) == css


def test_classes_that_scripts_join_to_a_variable_are_kept():
    assert _purge(".bs-tooltip-auto .x{a:1}.bs-popover-top{b:2}.zz-1{c:3}", words={"x"}) == ".bs-tooltip-auto .x{a:1}.bs-popover-top{b:2}"
    words, prefixes = css_purge.vocabulary(['el.classList.add(`toggle-${x}`); c = "bs-" + name; <div class="used note">'])
    assert {"used", "note", "classList"} <= words and prefixes == ("bs-", "toggle-")


def test_grouping_at_rules_are_purged_inside_and_dropped_when_empty_other_at_rules_kept():
    css = (
        '@charset "UTF-8";@media (min-width:960px){.used{a:1}.absent{b:2}}@media print{.absent{c:3}}'
        "@supports (display:grid){.absent{d:4}}@font-face{font-family:X;src:url(x.woff)}@keyframes spin{0%{e:5}to{f:6}}"
    )
    assert _purge(css) == '@charset "UTF-8";@media (min-width:960px){.used{a:1}}@font-face{font-family:X;src:url(x.woff)}@keyframes spin{0%{e:5}to{f:6}}'


def test_unreadable_css_stops_the_build():
    with pytest.raises(css_purge.CSSPurgeError):
        _purge(".used{a:1}}")  # a stray brace


def test_purge_site_purges_once_and_stops_when_a_stylesheet_is_missing(tmp_path):
    (tmp_path / "_static/styles").mkdir(parents=True)
    (tmp_path / "_static/styles/pydata-sphinx-theme.css").write_text(".used{a:1}.absent{b:2}")
    (tmp_path / "_static/sphinx-design.min.css").write_text(".sd-x{a:1}")
    (tmp_path / "_static/mystnb.abc.css").write_text(".cell{a:1}")
    (tmp_path / "page.html").write_text('<p class="used cell">')
    done = css_purge.purge_site(tmp_path)
    assert [d[0] for d in done] == ["_static/styles/pydata-sphinx-theme.css", "_static/sphinx-design.min.css", "_static/mystnb.abc.css"]
    assert (tmp_path / "_static/styles/pydata-sphinx-theme.css").read_text() == ".used{a:1}" + css_purge.MARKER
    assert (tmp_path / "_static/sphinx-design.min.css").read_text() == css_purge.MARKER
    assert css_purge.purge_site(tmp_path) == []  # already purged
    (tmp_path / "_static/sphinx-design.min.css").unlink()
    with pytest.raises(css_purge.CSSPurgeError, match="no stylesheet"):
        css_purge.purge_site(tmp_path)


# --- figures sized before they load -------------------------------------------------------------
def test_figures_get_their_intrinsic_size(tmp_path):
    (tmp_path / "a.svg").write_text('<?xml version="1.0"?>\n<svg xmlns:xlink="x" width="504pt" height="210.96pt" viewBox="0 0 504 210.96">')
    (tmp_path / "b.svg").write_text('<svg width="300" height="150">')
    (tmp_path / "c.svg").write_text('<svg width="100%" height="20em">')
    (tmp_path / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08\x06\x00\x00\x00")
    assert page_speed.intrinsic_size(tmp_path / "a.svg") == (672, 281)  # pt to CSS px
    assert page_speed.intrinsic_size(tmp_path / "b.svg") == (300, 150)
    assert page_speed.intrinsic_size(tmp_path / "c.svg") is None  # relative units: left to the browser
    assert page_speed.intrinsic_size(tmp_path / "d.png") == (640, 480)
    files = {n: tmp_path / n for n in ("a.svg", "c.svg", "d.png")}
    body = '<img alt="A" src="../_images/a.svg" /><img src="../_images/c.svg"><img src="_images/d.png" width="10"><img src="../_static/logo.svg"><img src="../_images/x.svg">'
    assert page_speed.sized_images(body, files) == (
        '<img alt="A" src="../_images/a.svg" width="672" height="281" /><img src="../_images/c.svg"><img src="_images/d.png" width="10">'
        '<img src="../_static/logo.svg"><img src="../_images/x.svg">'
    )


def test_purge_site_reuses_a_stylesheet_purged_before_for_the_same_site(tmp_path, monkeypatch):
    def site(folder):
        (folder / "_static/styles").mkdir(parents=True)
        (folder / "_static/styles/pydata-sphinx-theme.css").write_text(".used{a:1}.absent{b:2}")
        (folder / "_static/sphinx-design.min.css").write_text(".sd-x{a:1}")
        (folder / "_static/mystnb.abc.css").write_text(".cell{a:1}")
        (folder / "page.html").write_text('<p class="used cell">')
        return folder

    cache = tmp_path / "cache"
    first = css_purge.purge_site(site(tmp_path / "a"), cache)
    monkeypatch.setattr(css_purge, "purge", lambda *a: pytest.fail("purged again"))
    assert css_purge.purge_site(site(tmp_path / "b"), cache) == first  # Sphinx copied the originals again: taken from the cache
    assert (tmp_path / "b/_static/styles/pydata-sphinx-theme.css").read_text() == ".used{a:1}" + css_purge.MARKER
    (tmp_path / "b/page.html").write_text('<p class="used absent">')  # the site changed: purged again
    (tmp_path / "b/_static/styles/pydata-sphinx-theme.css").write_text(".used{a:1}.absent{b:2}")
    with pytest.raises(pytest.fail.Exception, match="purged again"):
        css_purge.purge_site(tmp_path / "b", cache)
