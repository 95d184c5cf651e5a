"""Count the words of chapter prose in a built edition of the book.

Prose is what a reader reads as running text on the chapter pages: paragraphs, list
items, headings and admonitions. Tables, code, cell outputs, figure captions and the
appendices (the part of ``_toc.yml`` whose caption starts with "Appendices") are
excluded. The same script measures both editions, so their counts compare.

    python tools/prose_words.py _build/html --toc _toc.yml [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

DROP = [
    "table",
    "pre",
    "div.cell_output",
    "div.output",
    "figure",
    "div.figure",
    "script",
    "style",
    "nav",
    "div.toctree-wrapper",
    "a.headerlink",
    "span.caption-number",
]


def chapters(toc: dict) -> list[str]:
    """Docnames of the book's chapters that are not appendices, front page included."""
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        if str(part.get("caption", "")).lower().startswith("appendices"):
            continue
        docs += [c["file"] for c in part.get("chapters", [])]
    return docs


def prose_words(html: str) -> int:
    """Words of running prose in one built page."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    for sel in DROP:
        for node in main.select(sel):
            node.decompose()
    return len(main.get_text(" ").split())


def measure(html_dir: Path, toc_file: Path) -> dict[str, int]:
    """Prose words per chapter page, keyed by docname."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    return {doc: prose_words((html_dir / f"{doc}.html").read_text(encoding="utf-8")) for doc in chapters(toc)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("--toc", type=Path, default=Path("_toc.yml"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    counts = measure(args.html, args.toc)
    for doc, n in counts.items():
        print(f"{n:6d}  {doc}")
    print(f"{sum(counts.values()):6d}  total")
    if args.json:
        args.json.write_text(json.dumps({"pages": counts, "total": sum(counts.values())}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
