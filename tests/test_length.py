"""The second edition is at most two thirds as long as the first, and its PDF at most 40 pages.

Prose words are counted on the built chapter pages by ``tools/prose_words.py`` (appendices,
tables, code and figure captions excluded); the first edition's count, made by the same
script on its build, is kept in ``benchmarks/results/first-edition-prose.json``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("shared")]  # they read the shared build: one per run

ROOT = Path(__file__).resolve().parents[1]
MAX_SHARE = 0.65
MAX_PAGES = 40


def _prose_words():
    spec = importlib.util.spec_from_file_location("prose_words", ROOT / "tools" / "prose_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_counter_skips_tables_code_and_captions():
    words = _prose_words().prose_words(
        '<article class="bd-article"><h1>Two words</h1><p>three more words</p><table><tr><td>no no</td></tr></table>'
        '<div class="cell_output">no</div><figure><figcaption>no</figcaption></figure><pre>no</pre></article>'
    )
    assert words == 5


def test_chapter_prose_is_at_most_two_thirds_of_the_first_edition(built_book):
    first = json.loads((ROOT / "benchmarks/results/first-edition-prose.json").read_text())["total"]
    now = sum(_prose_words().measure(built_book["html"], built_book["root"] / "_toc.yml").values())
    assert now <= MAX_SHARE * first, f"{now} words of chapter prose, {now / first:.0%} of the first edition's {first}"


def test_the_pdf_has_at_most_forty_pages(built_book):
    run = built_book["pdf"]
    assert run is not None and run.returncode == 0
    pages = len(pypdf.PdfReader(built_book["html"] / "report.pdf").pages)
    assert pages <= MAX_PAGES, f"the PDF has {pages} pages"
