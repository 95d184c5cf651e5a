"""No hand-typed numbers where a reader sees them: chapter prose, figure captions and alt text.

Numbers reach the page through glue or are generated from data. Allowed in prose: years
(1900-2099), and version numbers of named things (Python 3.11, CC BY 4.0). Inline code,
roles (``{glue:text}``, ``{quote}``, ``{numref}`` ...), link targets and directive options are
not prose. Files generated from data (first line says so) are skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
NOT_PROSE = [
    r"```.*?```",  # fenced blocks: directives, code
    r"\{[a-z:-]+\}`[^`]*`",  # roles
    r"`[^`]*`",  # inline code
    r"\]\([^)]*\)",  # link targets
    r"<[^>]+>",  # HTML tags and autolinks
    r"^\s*:[a-z-]+:.*$",  # directive options
    r"^\s*\d+\.\s",  # numbered-list markers
]
ALLOWED = re.compile(r"^(?:19|20)\d\d$")
NAMED_VERSION = re.compile(r"(?:Python|BY|Attribution)\s+$")
NUMBER = re.compile(r"(?<![\w.-])\d[\d,.]*\d|(?<![\w.-])\d(?![\w])")


def typed_numbers(text: str) -> list[str]:
    """The numbers typed into a piece of prose, after removing what is not prose."""
    for pattern in NOT_PROSE:
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    found = []
    for m in NUMBER.finditer(text):
        token = m.group(0).rstrip(".,")
        if ALLOWED.match(token) or NAMED_VERSION.search(text[: m.start()][-20:]):
            continue
        found.append(token)
    return found


def _texts() -> list[tuple[str, str]]:
    out = []
    for nb in sorted(CHAPTERS.glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                out.append((f"{nb.name} cell {i}", "".join(cell["source"])))
            meta = cell.get("metadata", {}).get("mystnb", {})
            for where, text in (("caption", meta.get("figure", {}).get("caption")), ("alt text", meta.get("image", {}).get("alt"))):
                if text:
                    out.append((f"{nb.name} cell {i} {where}", text))
    for md in sorted(CHAPTERS.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        if not text.lstrip("% ").lower().startswith("generated"):
            out.append((md.name, text))
    return out


def test_the_scanner_finds_typed_numbers_and_passes_the_rest():
    assert typed_numbers("There were 11 clauses and 3.5 per cent, 1,000 kinds.") == ["11", "3.5", "1,000"]
    assert typed_numbers("In 2018, {glue:text}`n` firms; `v1.2`; [x](#q-td06); Python 3.11; CC BY 4.0") == []
    assert typed_numbers("```{figure} a.png\n:width: 80%\n```") == []
    assert typed_numbers("1. **First.** Then 2 more.") == ["2"]


@pytest.mark.parametrize("where, text", _texts(), ids=lambda x: x if isinstance(x, str) and len(x) < 60 else "")
def test_no_hand_typed_numbers(where, text):
    assert typed_numbers(text) == [], f"{where}: numbers typed into prose; glue them or keep the text qualitative"
