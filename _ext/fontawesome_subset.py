"""Replace the theme's 1.5 MB Font Awesome bundle by the few icons the site uses.

pydata-sphinx-theme ships the whole Font Awesome Free JavaScript bundle
(``_static/scripts/fontawesome.js``, about 1.5 MB) to draw a dozen icons. This module
reads the icon definitions out of that bundle, keeps those that the built pages use,
and writes a small script in its place that swaps each ``<i class="fa-...">`` for an
inline SVG, as the full bundle does. Icons: Font Awesome Free, CC BY 4.0
(https://fontawesome.com/license/free).

It reads the minified bundle of Font Awesome 6 as pydata-sphinx-theme 0.17 ships it. If
a theme upgrade changes that format, :func:`replace_bundle` raises
:class:`IconSubsetError` and the build stops, instead of writing a script that draws no
icons (the site's stylesheet hides the font glyphs of the ``<i>`` placeholders).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

MARKER = "/* report: Font Awesome subset */"
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+",("(?:[^"\\]|\\.)*")\]')
_PACK = re.compile(r'\b\w+\("(fa[bsr])",\w+\)')
_STYLES = {"fa-solid": "fas", "fas": "fas", "fa-brands": "fab", "fab": "fab", "fa-regular": "far", "far": "far"}
_CLASSES = re.compile(r'<i class="([^"]*\bfa-[^"]*)"')
#: Classes that change how an icon is drawn, not which icon it is.
_MODIFIERS = {
    "fa-fw",
    "fa-lg",
    "fa-xs",
    "fa-sm",
    "fa-xl",
    "fa-2xs",
    "fa-2xl",
    "fa-spin",
    "fa-pulse",
    "fa-border",
    "fa-inverse",
    "fa-flip",
    "fa-beat",
    "fa-fade",
    "fa-bounce",
    "fa-shake",
}
_MODIFIERS |= {f"fa-{n}x" for n in range(1, 11)} | {
    "fa-rotate-90",
    "fa-rotate-180",
    "fa-rotate-270",
    "fa-flip-horizontal",
    "fa-flip-vertical",
    "fa-pull-left",
    "fa-pull-right",
    "fa-stack-1x",
    "fa-stack-2x",
}
#: Fewer icon definitions than this in the bundle means its format is not the one this module reads.
MIN_BUNDLE_ICONS = 500


class IconSubsetError(RuntimeError):
    """The theme's icon bundle is not in the format this module reads, or lacks icons the site uses."""


_RUNTIME = r"""
(function () {
  var STYLE = %(styles)s;
  var css = ".svg-inline--fa{display:var(--fa-display,inline-block);height:1em;overflow:visible;vertical-align:-.125em;box-sizing:content-box}"
    + ".svg-inline--fa.fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.2em}"
    + ".svg-inline--fa.fa-fw{width:1.25em;text-align:center}";
  var sheet = document.createElement("style");
  sheet.textContent = css;
  document.head.appendChild(sheet);
  function draw(el) {
    var style = "fas", name = null;
    el.classList.forEach(function (c) { if (STYLE[c]) { style = STYLE[c]; } });
    el.classList.forEach(function (c) { if (c.indexOf("fa-") === 0 && ICONS[style] && ICONS[style][c.slice(3)]) { name = c.slice(3); } });
    if (!name) { return; }
    var icon = ICONS[style][name], ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 " + icon[0] + " " + icon[1]);
    svg.setAttribute("class", el.getAttribute("class") + " svg-inline--fa");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    Array.prototype.forEach.call(el.attributes, function (a) { if (a.name.indexOf("data-") === 0) { svg.setAttribute(a.name, a.value); } });
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", icon[2]);
    svg.appendChild(path);
    el.replaceWith(svg);
  }
  function drawAll(root) { (root.querySelectorAll ? root : document).querySelectorAll("i[class*='fa-']").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { drawAll(document); }); } else { drawAll(document); }
  new MutationObserver(function (changes) {
    changes.forEach(function (c) { c.addedNodes.forEach(function (n) { if (n.nodeType === 1) { if (n.matches("i[class*='fa-']")) { draw(n); } else { drawAll(n); } } }); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
"""


def icon_definitions(bundle: str) -> dict[str, dict[str, list]]:
    """Icons of the Font Awesome bundle by pack (``fas``, ``far``, ``fab``): name -> [width, height, path]."""
    packs = [(m.start(), m.group(1)) for m in _PACK.finditer(bundle)]
    icons: dict[str, dict[str, list]] = {}
    for m in _ICON.finditer(bundle):
        pack = next((p for pos, p in packs if pos > m.start()), None)
        if pack:
            icons.setdefault(pack, {})[m.group(1) or m.group(2)] = [int(m.group(3)), int(m.group(4)), json.loads(m.group(5))]
    return icons


def used_icons(pages: list[str]) -> set[tuple[str, str]]:
    """(pack, name) of every icon the pages ask for with ``<i class="fa-...">``."""
    used = set()
    for html in pages:
        for classes in _CLASSES.findall(html):
            names = classes.split()
            style = next((_STYLES[c] for c in names if c in _STYLES), "fas")
            used |= {(style, c[3:]) for c in names if c.startswith("fa-") and c not in _STYLES and c not in _MODIFIERS}
    return used


def subset_script(bundle: str, used: set[tuple[str, str]], min_icons: int = MIN_BUNDLE_ICONS) -> str:
    """The replacement script: the runtime and the definitions of the used icons only.

    Raises
    ------
    IconSubsetError
        If the bundle holds fewer than ``min_icons`` icons (an unknown format)
        or lacks an icon that the pages use.
    """
    defs = icon_definitions(bundle)
    total = sum(len(icons) for icons in defs.values())
    if total < min_icons:
        raise IconSubsetError(
            f"the theme's Font Awesome bundle yields {total} icon definitions (at least {min_icons} expected): "
            "its format is not the one _ext/fontawesome_subset.py reads; update the module or stop subsetting"
        )
    missing = sorted(f"{pack} {name}" for pack, name in used if name not in defs.get(pack, {}))
    if missing:
        raise IconSubsetError(f"the pages use icons that the theme's bundle does not define: {', '.join(missing)}")
    keep: dict[str, dict[str, list]] = {}
    for pack, name in sorted(used):
        keep.setdefault(pack, {})[name] = defs[pack][name]
    return MARKER + "\nvar ICONS = " + json.dumps(keep, separators=(",", ":")) + ";\n" + _RUNTIME % {"styles": json.dumps(_STYLES)}


def replace_bundle(outdir: Path, min_icons: int = MIN_BUNDLE_ICONS, cache: Path | None = None) -> tuple[int, int] | None:
    """Swap ``_static/scripts/fontawesome.js`` in a built site for the subset; returns (old, new) sizes.

    With ``cache`` (a folder), the subset is kept there under a digest of the bundle and the
    icons used, so a rebuild that changes neither reuses it instead of parsing the bundle again.
    """
    target = outdir / "_static" / "scripts" / "fontawesome.js"
    if not target.exists():
        raise IconSubsetError(f"no icon bundle at {target}: the theme no longer ships Font Awesome this way")
    bundle = target.read_text(encoding="utf-8")
    if bundle.startswith(MARKER):
        return None
    pages = [p.read_text(encoding="utf-8") for p in outdir.rglob("*.html")]
    used = used_icons(pages)
    key = hashlib.sha256(f"{bundle}\0{sorted(used)}\0{min_icons}".encode()).hexdigest()[:32]
    kept = cache / f"fontawesome-subset-{key}.js" if cache is not None else None
    if kept is not None and kept.is_file():
        script = kept.read_text(encoding="utf-8")
    else:
        script = subset_script(bundle, used, min_icons)
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            for old in kept.parent.glob("fontawesome-subset-*.js"):
                old.unlink()
            kept.write_text(script, encoding="utf-8")
    target.write_text(script, encoding="utf-8")
    target.with_name("fontawesome.js.map").unlink(missing_ok=True)
    return len(bundle.encode()), len(script.encode())


# --- The solid icon font, cut to the glyphs the site draws with it ------------------------------
#
# Besides the <i> icons (drawn as SVG by the script above), the theme draws some icons with the
# solid Font Awesome font (157 kB as woff2): the admonition titles' and download links' icons
# (CSS ``content`` in pseudo-elements), and <span class="fa-solid fa-bars"> and the like in the
# header. subset_font() cuts the font to the glyphs the site's CSS and pages can ask for, writes it
# as WOFF beside the original, and points the theme's @font-face at it.

SOLID_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.ttf"
SUBSET_FONT = "fa-solid-900.report-subset.woff"
#: The theme's @font-face source for the solid font, as pydata-sphinx-theme 0.17 writes it.
SOLID_SRC = 'src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) format("woff2"),url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")'
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_ICON_CLASS_RULE = re.compile(r"\s*\.fa-([a-z0-9-]+):{1,2}before\s*")
_PRIVATE_USE = re.compile(r"\\([0-9a-fA-F]{4,6})\s?|([\ue000-\uf8ff])")
_NAMES = re.compile(r"\bfa-([a-z0-9-]+)")


def _codepoints(text: str) -> set[int]:
    found = set()
    for escape, char in _PRIVATE_USE.findall(text):
        cp = int(escape, 16) if escape else ord(char)
        if 0xE000 <= cp <= 0xF8FF:
            found.add(cp)
    return found


def font_codepoints(css_texts: list[str], pages: list[str]) -> set[int]:
    """The private-use code points the site can draw with the icon fonts.

    Every code point that a CSS rule uses (``content``, ``--pst-icon-*`` variables), except
    Font Awesome's own ``.fa-NAME:before`` class rules, which count only for the names that
    occur in the pages or scripts (``<span class="fa-solid fa-bars">``).
    """
    by_name: dict[str, set[int]] = {}
    used: set[int] = set()
    for css in css_texts:
        for selectors, body in _RULE.findall(css):
            cps = _codepoints(body)
            if not cps:
                continue
            names = [_ICON_CLASS_RULE.fullmatch(s) for s in selectors.split(",")]
            if all(names):
                for m in names:
                    by_name.setdefault(m.group(1), set()).update(cps)
            else:
                used |= cps
    for text in pages:
        for name in set(_NAMES.findall(text)):
            used |= by_name.get(name, set())
    return used


def subset_font(outdir: Path, cache: Path | None = None) -> tuple[int, int, int] | None:
    """Cut the solid icon font to the glyphs the site uses; returns (old woff2 size, new size, glyphs).

    With ``cache`` (a folder), a subset made before from the same font for the same glyphs is
    copied from there (Sphinx copies the theme's files afresh on every build).

    Raises
    ------
    IconSubsetError
        If the theme's font or its @font-face rule is not where and what this module expects.
    """
    styles = outdir / "_static/styles/pydata-sphinx-theme.css"
    source = outdir / SOLID_FONT
    if not styles.exists() or not source.exists():
        raise IconSubsetError(f"no {styles.name} or {source.name} in {outdir}: the theme no longer ships its icon font this way")
    css = styles.read_text(encoding="utf-8")
    new_src = f'src:url(../vendor/fontawesome/webfonts/{SUBSET_FONT}) format("woff")'
    if new_src in css:
        return None
    if css.count(SOLID_SRC) != 1:
        raise IconSubsetError(
            f"{styles.name} no longer declares the solid icon font as {SOLID_SRC!r}: update SOLID_SRC in _ext/fontawesome_subset.py or stop subsetting"
        )
    css_texts = [p.read_text(encoding="utf-8") for p in sorted((outdir / "_static").rglob("*.css"))]
    scripts = [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]  # the icon library names every icon
    texts = [p.read_text(encoding="utf-8") for p in [*sorted(outdir.rglob("*.html")), *sorted(scripts)]]
    woff2 = source.with_suffix(".woff2")
    old_size = woff2.stat().st_size if woff2.exists() else 0
    target = source.with_name(SUBSET_FONT)
    # the same font, stylesheets and pages as a build before: its subset, without parsing anything
    inputs = hashlib.sha256(source.read_bytes())
    for t in [*css_texts, *texts]:
        inputs.update(b"\0" + t.encode())
    memo = cache / f"inputs-{inputs.hexdigest()}.json" if cache else None
    if memo and memo.exists():
        made = json.loads(memo.read_text(encoding="utf-8"))
        cached = cache / f"{made['key']}.woff"
        if cached.exists():
            shutil.copyfile(cached, target)
            styles.write_text(css.replace(SOLID_SRC, new_src), encoding="utf-8")
            return old_size, target.stat().st_size, made["glyphs"]
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the source font's date, not now: the same inputs give the same bytes
    available = set(font.getBestCmap())
    wanted = font_codepoints(css_texts, texts) & available
    if not wanted:
        raise IconSubsetError("no glyph of the solid icon font is used: the CSS format changed, or the site no longer needs the font")
    key = hashlib.sha256(source.read_bytes() + ",".join(map(str, sorted(wanted))).encode()).hexdigest()
    cached = cache / f"{key}.woff" if cache else None
    if memo:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps({"key": key, "glyphs": len(wanted)}), encoding="utf-8")
    if cached and cached.exists():
        shutil.copyfile(cached, target)
        styles.write_text(css.replace(SOLID_SRC, new_src), encoding="utf-8")
        return old_size, target.stat().st_size, len(wanted)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(target)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, cached)
    styles.write_text(css.replace(SOLID_SRC, new_src), encoding="utf-8")
    return old_size, target.stat().st_size, len(wanted)
