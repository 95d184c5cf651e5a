"""Pages that paint before their scripts load: every script of a page is deferred.

Sphinx and its extensions add their scripts (``doctools.js``, ``copybutton.js``,
``togglebutton.js``, the theme's own...) as classic ``<script src>`` in ``<head>``: each
one blocks the first paint until it is downloaded and run, which on a phone on a slow
network costs more than the page itself. None of them draws anything before the page
is parsed (they act on ``DOMContentLoaded`` or on clicks), so this extension gives each
one ``defer``, through the page context that Sphinx lets extensions edit
(``html-page-context``): deferred scripts still run in document order, after parsing and
before ``DOMContentLoaded``.

Inline scripts cannot be deferred; they run where they stand, before the deferred files.
Two kinds are known to be safe:

* a declaration of a literal (``let toggleHintShow = 'Click to show';``), which depends
  on nothing and stays inline;
* an assignment to ``DOCUMENTATION_OPTIONS`` (``DOCUMENTATION_OPTIONS.pagename = ...``),
  which needs ``documentation_options.js`` to have run: it becomes an inline module
  script, which browsers run in the same ordered list as the deferred files, so it
  still runs right after the files before it.

Any other inline script may depend on a file that is now deferred: it is reported as a
warning (``-W`` fails the build), so that an upgrade that adds one is looked at rather
than broken silently. The theme's own search scripts in ``<head>`` are handled by the
report's copies of its templates (``_templates/layout.html``, ``_templates/search.html``),
which also use two template filters defined here:

* ``report_basic_css_directly``: links Sphinx's ``basic.css`` instead of the theme's
  ``styles/theme.css``, a file that does nothing but ``@import`` it (so basic.css could
  only be requested once theme.css had arrived);
* ``report_without_script_preloads``: drops the theme's ``<link rel="preload">`` of its two
  deferred scripts, which took the network from the stylesheets before the first paint.

Each filter stops the build (a template error) when the theme's markup is not the one it
expects. Figures get their intrinsic ``width`` and ``height`` (:func:`sized_images`), so
that the text does not jump when they arrive. Finally, after the build, the solid icon font
is cut to the glyphs the site uses (``fontawesome_subset.subset_font``) and the largest
stylesheets lose the rules that can match nothing on the site (``css_purge.purge_site``);
both stop the build when what they read is not what they expect, and both keep their
results in ``_build/.doctrees/report-assets`` so that a no-op rebuild does not redo them.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: ``let/var/const name = <string, number or boolean literal>;``: depends on nothing.
_LITERAL_DECLARATION = re.compile(r"""\s*(?:let|var|const)\s+[A-Za-z_$][\w$]*\s*=\s*(?:'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|true|false)\s*;?\s*""")
#: ``DOCUMENTATION_OPTIONS.name = <literal>;``: needs documentation_options.js, which is deferred.
_OPTION_ASSIGNMENT = re.compile(r"""\s*DOCUMENTATION_OPTIONS\.[A-Za-z_$][\w$]*\s*=\s*(?:'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|true|false)\s*;?\s*""")


class UnknownInlineScript(ValueError):
    """An inline script that may depend on a script that is now deferred."""


def deferred(script_files: list) -> list:
    """The page's scripts, each file deferred and each inline script made safe to run beside them.

    Raises
    ------
    UnknownInlineScript
        For an inline script of a kind not known to be safe (see the module's docstring).
    """
    out = []
    for js in script_files:
        attrs = dict(js.attributes)
        if js.filename:
            if not ({"defer", "async"} & set(attrs) or attrs.get("type") == "module"):
                attrs["defer"] = "defer"
        else:
            body = attrs.get("body", "")
            if _OPTION_ASSIGNMENT.fullmatch(body):
                attrs["type"] = "module"
            elif not (_LITERAL_DECLARATION.fullmatch(body) or attrs.get("type") == "module"):
                raise UnknownInlineScript(body)
        out.append(type(js)(js.filename, priority=js.priority, **attrs))
    return out


def _defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    try:
        context["script_files"] = deferred(context.get("script_files", []))
    except UnknownInlineScript as exc:
        logger.warning(
            f"[report] an inline script of a kind _ext/page_speed.py does not know would run before the deferred scripts it may need: {str(exc)[:200]!r}",
            location=pagename,
        )


# --- figures sized before they load -----------------------------------------------------------
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>")
_SRC = re.compile(r'\bsrc="(?:\.\./)*_images/(?P<name>[^"/]+)"')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)(?P<wu>pt|px|)"[^>]*?\bheight="(?P<h>[\d.]+)(?P<hu>pt|px|)"', re.S)
_PX = {"pt": 4 / 3, "px": 1.0, "": 1.0}


def intrinsic_size(path: Path) -> tuple[int, int] | None:
    """Width and height in CSS pixels of an SVG (``width``/``height`` in pt or px) or PNG image; None if unknown."""
    data = path.read_bytes()
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if path.suffix == ".svg":
        m = _SVG_SIZE.search(data[:4000].decode("utf-8", "replace"))
        if m:
            return round(float(m["w"]) * _PX[m["wu"]]), round(float(m["h"]) * _PX[m["hu"]])
    return None


def sized_images(body: str, files: dict[str, Path]) -> str:
    """The page body with ``width`` and ``height`` on each image of ``_images/`` that has neither.

    The browser then reserves the figure's place before the image arrives (no layout shift);
    ``report.css`` keeps such images scaled to the column (``height: auto``). ``files`` maps
    an image's name in ``_images/`` to its source file.
    """

    def size(m: re.Match) -> str:
        attrs = m["attrs"]
        src = _SRC.search(attrs)
        if not src or re.search(r"\b(width|height)=", attrs) or src["name"] not in files:
            return m.group(0)
        wh = intrinsic_size(files[src["name"]])
        return f'<img{attrs} width="{wh[0]}" height="{wh[1]}" />' if wh else m.group(0)

    return _IMG.sub(size, body)


def _size_images(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    images = getattr(app.builder, "images", None)
    if body and images and "_images/" in body:
        files = {dest: Path(app.srcdir, src) for src, dest in images.items()}
        context["body"] = sized_images(body, files)


THEME_CSS_IMPORT = '@import "../basic.css";'
_THEME_CSS_LINK = re.compile(r'<link href="([^"]*)styles/theme\.css\?digest=[0-9a-f]+" rel="stylesheet" />')
_SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*" />')


class ThemeMarkupChanged(RuntimeError):
    """The theme's head markup is not the one the report's template filters expect."""


def basic_css_directly(markup: str) -> Markup:
    """The theme's head stylesheets with ``styles/theme.css`` (an ``@import`` of basic.css) replaced by basic.css."""
    import pydata_sphinx_theme

    theme_css = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/theme.css"
    rules = [line for line in theme_css.read_text(encoding="utf-8").splitlines() if line.strip() and not line.lstrip().startswith("/*")]
    if rules != [THEME_CSS_IMPORT]:
        raise ThemeMarkupChanged(f"{theme_css} is no longer just {THEME_CSS_IMPORT!r}: link it again (_templates/layout.html)")
    new, n = _THEME_CSS_LINK.subn(lambda m: f'<link href="{m.group(1)}basic.css" rel="stylesheet" />', str(markup))
    if n != 1:
        raise ThemeMarkupChanged(f"the theme's head stylesheets no longer link styles/theme.css as expected: {str(markup)[:300]!r}")
    return Markup(new)


def without_script_preloads(markup: str) -> Markup:
    """The theme's head scripts without the ``<link rel="preload">`` of its deferred scripts."""
    new, n = _SCRIPT_PRELOAD.subn("", str(markup))
    if n != 2 or "fontawesome.js" not in new:
        raise ThemeMarkupChanged(f"the theme's head scripts are no longer two preloads and the icon script: {str(markup)[:300]!r}")
    return Markup(new)


def _filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["report_basic_css_directly"] = basic_css_directly
        templates.environment.filters["report_without_script_preloads"] = without_script_preloads


def _lighten_assets(app: Sphinx, exception: Exception | None) -> None:
    """After the build: the solid icon font cut to the glyphs used, then the stylesheets purged of unused rules."""
    if exception is None and app.builder.format == "html" and "pydata_sphinx_theme" in app.extensions:
        from css_purge import purge_site
        from fontawesome_subset import subset_font

        cache = Path(app.doctreedir) / "report-assets"  # cleared with the build's other caches
        sizes = subset_font(Path(app.outdir), cache)  # first: it reads the theme's stylesheet as the theme wrote it
        if sizes:
            logger.info(f"[report] solid icon font cut from {sizes[0]:,} to {sizes[1]:,} bytes ({sizes[2]} glyphs)")
        for name, old, new in purge_site(Path(app.outdir), cache):
            logger.info(f"[report] {name}: unused rules removed, {old:,} -> {new:,} bytes")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _filters)
    app.connect("html-page-context", _defer_scripts, priority=900)  # after the extensions that add scripts to the page
    app.connect("html-page-context", _size_images)
    app.connect("build-finished", _lighten_assets, priority=600)  # after report_build has replaced the icon script
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
