"""Evidence in two clicks: every link of the built site to a place in the book lands on an element with that id."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("shared")]

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.I)
ID = re.compile(r'\bid="([^"]+)"')


def unresolved_links(html_dir: Path) -> list[str]:
    """``page: href`` for every internal link whose page is missing or has no element with the fragment's id."""
    pages = {p.relative_to(html_dir).as_posix(): p.read_text(encoding="utf-8") for p in html_dir.rglob("*.html")}
    ids = {name: set(ID.findall(text)) for name, text in pages.items()}
    out = []
    for name, text in pages.items():
        here = Path(name).parent
        for href in HREF.findall(text):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (here / unquote(parts.path)).as_posix() if parts.path else name
            target = Path(target).as_posix()
            target = str(Path(target)).replace("\\", "/")
            norm = []
            for piece in target.split("/"):
                if piece == "..":
                    norm.pop() if norm else None
                elif piece not in ("", "."):
                    norm.append(piece)
            target = "/".join(norm)
            if not target.endswith(".html"):
                continue  # downloads, images, the PDF: checked elsewhere
            if target not in pages:
                out.append(f"{name}: {href} (no page {target})")
            elif parts.fragment and unquote(parts.fragment) not in ids[target]:
                out.append(f"{name}: {href} (no id {parts.fragment!r} on {target})")
    return out


def test_every_id_link_of_the_site_resolves(built_book):
    html = built_book["html"]
    bad = unresolved_links(html)
    assert not bad, f"{len(bad)} links land nowhere:\n" + "\n".join(bad[:40])
