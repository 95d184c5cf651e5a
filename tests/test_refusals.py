"""Builds that refuse: a chapter that prints a local path, a statement the data make false, a quote
its row does not hold. Each raises, so Sphinx deletes its saved environment; they run on a partial book
of their own (the glossary and the directives), built leniently, so that the build fails for the error
it names and for nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bookutil import Restore, apply_mutation, build, copy_book, edit_notebook, keep_pages, mutation, why

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("refusals")]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    path = keep_pages(copy_book(tmp_path_factory.mktemp("refusals") / "book"), "chapters/glossary", "chapters/directives")
    first = lenient(path)
    assert first.returncode == 0, why(first)
    return path


def lenient(book: Path):
    """Warnings allowed (links to pages the partial book leaves out): only an error fails the build."""
    return build(book, "-n", "--keep-going")


def test_a_chapter_that_prints_a_local_path_stops_the_build_naming_page_and_line(book):
    """The check runs as the build finishes and raises."""
    with Restore(book, "chapters/glossary.ipynb"):
        edit_notebook(book / "chapters/glossary.ipynb", "code", lambda s: s + "\nimport analysis\nprint(analysis.__file__)\n")
        proc = lenient(book)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0 and "the site would publish local paths" in out, why(proc)
        assert re.search(r"chapters/glossary\.html:\d+: .*analysis/", out), "the message names the page and line of the path"


def test_a_false_statement_stops_the_build_naming_it(book):
    """The mutation M01 gives a clause a deadline, making a checked heading false: its chapter raises, naming the statement."""
    m = mutation("M01")
    with Restore(book, m["file"]):
        apply_mutation(book, m)
        proc = lenient(book)
        assert proc.returncode != 0 and "statement ST44" in proc.stdout + proc.stderr, why(proc)


def test_a_chapter_that_quotes_words_its_row_does_not_hold_stops_the_build(book):
    with Restore(book, "chapters/glossary.ipynb"):
        edit_notebook(
            book / "chapters/glossary.ipynb", "code", lambda s: s + "\nfrom analysis.views.prose import quoter\nq = quoter(ds)\nq('TD06:70 countries')\n"
        )
        proc = lenient(book)
        assert proc.returncode != 0 and "'70 countries' is not part of the quote of TD06" in proc.stdout + proc.stderr, why(proc)
