"""Stylesheets without the rules that can match nothing on the site.

The theme's stylesheet (``pydata-sphinx-theme.css``, 400 kB, 65 kB compressed) carries the
whole of Bootstrap and a rule for each of Font Awesome's 1,900 icons; a page uses under a
tenth of it, yet a browser downloads and parses all of it before it paints anything. After
the build, :func:`purge_site` removes from the largest stylesheets every rule whose selectors
all name a class that occurs nowhere on the site: not in any page, nor in any script
(``fontawesome.js`` excepted, the icon library naming every icon).

The test is deliberately conservative, so that nothing the site can show loses its style:

* a class counts as present if it occurs as a word anywhere in the pages or scripts (in
  text, in an attribute, in a string of a script), and every class that starts with a prefix
  that a script joins to a variable (``"bs-" + name``, `` `toggle-${x}` ``) counts as present;
* only class names decide: element, id and attribute selectors keep their rules, and the
  arguments of ``:not()``, ``:is()``, ``:has()`` and the like, and attribute values, are
  ignored (which can only keep more rules);
* at-rules other than ``@media``, ``@supports``, ``@layer`` and ``@container`` (``@font-face``,
  ``@keyframes``...) are kept whole; an at-rule left with no rule inside is dropped.

A stylesheet that does not parse cleanly stops the build (:class:`CSSPurgeError`) instead of
being written half-understood.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

#: The stylesheets purged, relative to the output folder (glob patterns); others are left alone.
PURGED = ("_static/styles/pydata-sphinx-theme.css", "_static/sphinx-design.min.css", "_static/mystnb.*.css")
MARKER = "\n/* report: rules that match nothing on the site removed (_ext/css_purge.py) */\n"  # at the end: @charset must stay first
_GROUPING = {"media", "supports", "layer", "container"}
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_JOINED_PREFIX = re.compile(r"""[`"']([A-Za-z][\w]*-)(?:\$\{|[`"']\s*\+)""")


class CSSPurgeError(RuntimeError):
    """A stylesheet that this module cannot read safely."""


def vocabulary(texts: list[str]) -> tuple[set[str], tuple[str, ...]]:
    """The words of the site's pages and scripts, and the class prefixes that scripts join to variables."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(text))
        prefixes.update(_JOINED_PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


def _strip(selector: str) -> str:
    """The selector without strings, attribute selectors and arguments of functional pseudo-classes."""
    selector = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', "", selector)
    previous = None
    while previous != selector:  # innermost first, for nested brackets
        previous = selector
        selector = re.sub(r"\[[^\[\]]*\]|\([^()]*\)", "", selector)
    return selector


def _split(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def may_match(selector: str, words: set[str], prefixes: tuple[str, ...]) -> bool:
    """False only if the selector names a class that occurs nowhere on the site."""
    stripped = _strip(selector)
    if "\\" in stripped:  # escaped characters in a class name: not worth reading, keep
        return True
    return all(c in words or c.startswith(prefixes) for c in _CLASS.findall(stripped))


def purge(css: str, words: set[str], prefixes: tuple[str, ...]) -> str:
    """The stylesheet without the rules whose every selector names a class absent from the site."""
    import tinycss2

    def walk(rules) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "error":
                raise CSSPurgeError(f"unreadable CSS at line {rule.source_line}: {rule.message}")
            if rule.type == "qualified-rule":
                if any(may_match(s, words, prefixes) for s in _split(tinycss2.serialize(rule.prelude))):
                    out.append(tinycss2.serialize([rule]))
            elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING and rule.content is not None:
                inner = walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            elif rule.type in ("at-rule", "qualified-rule"):
                out.append(tinycss2.serialize([rule]))
        return out

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(walk(rules))


def purge_site(outdir: Path, cache: Path | None = None) -> list[tuple[str, int, int]]:
    """Purge the site's largest stylesheets (:data:`PURGED`) in place; returns (file, old size, new size) each.

    Sphinx copies the theme's stylesheets afresh on every build, so this runs on every build;
    with ``cache`` (a folder), a stylesheet purged before for the same site vocabulary is
    taken from there instead of being parsed again (a no-op rebuild stays fast).
    """
    scripts = [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]
    texts = [p.read_text(encoding="utf-8") for p in [*sorted(outdir.rglob("*.html")), *sorted(scripts)]]
    words, prefixes = vocabulary(texts)
    done = []
    for pattern in PURGED:
        files = sorted(outdir.glob(pattern))
        if not files:
            raise CSSPurgeError(f"no stylesheet {pattern} in {outdir}: update PURGED in _ext/css_purge.py")
        for path in files:
            css = path.read_text(encoding="utf-8")
            if MARKER in css:
                continue
            key = hashlib.sha256("\0".join([css, *sorted(words), *prefixes]).encode()).hexdigest()
            cached = cache / f"{key}.css" if cache else None
            if cached and cached.exists():
                new = cached.read_text(encoding="utf-8")
            else:
                new = purge(css, words, prefixes) + MARKER
                if cached:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    cached.write_text(new, encoding="utf-8")
            path.write_text(new, encoding="utf-8")
            done.append((path.relative_to(outdir).as_posix(), len(css.encode()), len(new.encode())))
    return done
