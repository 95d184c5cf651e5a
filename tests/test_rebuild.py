"""Edits and rebuilds, on the shared build's copy of the book, edited in sequence once every other test that reads that build has run.

Each step edits the copy, builds it again (strictly, as the README's build does) and checks what
ran, what the pages say, and what the build refused; then it restores the copy. What a step ran
is read from myst-nb's log ("Executed notebook in"), and what Sphinx read again from its own.

- a rebuild with nothing changed runs no chapter;
- a prose edit runs only that chapter;
- a one-cell edit of a table runs exactly the chapters that declare they read it, and its new
  value reaches the pages and the notebooks offered for download; an image no page uses any
  more is not published;
- a chapter that writes to stderr stops the strict build, naming the place; so does a page left
  out of the table of contents (the cases that raise are in ``test_refusals.py``, on a partial book);
- the mutation suite's end-to-end cases: an edit that makes a checked sentence false stops the
  build naming the statement; an edit that changes a generated sentence changes the page; a
  registered statement that no page shows stops the build;
- last, bad data in a table no chapter reads stop the build with the loader's message, and are
  not recorded as checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import report  # _ext/ is on pytest's pythonpath (pyproject.toml)

from analysis import load_all
from analysis.data.load import CACHE_ENV, inputs_digest

from bookutil import Restore, apply_mutation, build, edit_notebook, executed, executed_docs, mutation, why

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("shared")]  # last in the group (conftest): it edits the shared build


@pytest.fixture(scope="module")
def book(built_book) -> Path:
    """The shared build's copy: built strictly, with its PDF, and read by the shared group's other tests before this module runs."""
    assert built_book["proc"].returncode == 0, why(built_book["proc"])
    return built_book["root"]


def strict(book: Path):
    return build(book, "-W", "-n", "--keep-going")


def page(book: Path, name: str) -> str:
    return (book / f"_build/html/chapters/{name}.html").read_text(encoding="utf-8")


def readers(book: Path, table: str) -> set[str]:
    return {
        f"chapters/{p.stem}" for p in (book / "chapters").glob("*.ipynb") if table in json.loads(p.read_text(encoding="utf-8"))["metadata"]["report"]["reads"]
    }


def test_a_rebuild_with_nothing_changed_runs_no_chapter(book):
    proc = strict(book)
    assert proc.returncode == 0 and executed(proc) == 0, why(proc)


def test_a_prose_edit_runs_only_that_chapter(book):
    with Restore(book, "chapters/glossary.ipynb"):
        edit_notebook(
            book / "chapters/glossary.ipynb", "markdown", lambda s: s.replace("The official terms the article uses", "The official terms that the article uses")
        )
        proc = strict(book)
        assert proc.returncode == 0 and executed_docs(proc) == {"chapters/glossary"}, why(proc)
        assert "The official terms that the article uses" in page(book, "glossary")
    # restored without a build of its own: the next step's build re-runs this chapter anyway


def test_a_table_edit_runs_its_readers_and_reaches_pages_and_downloads(book):
    """A table edit re-runs exactly its readers; the page and its download carry the new words, and an image no page uses is not published."""
    stale = book / "_build/html/_images/left-over-figure.svg"  # as a figure replaced by a data change would be
    stale.parent.mkdir(exist_ok=True)
    stale.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    glossary = book / "data/glossary.csv"
    with Restore(book, "data/glossary.csv"):
        glossary.write_text(glossary.read_text(encoding="utf-8").replace("Networked devices and sensors", "Networked sensors and devices"), encoding="utf-8")
        proc = strict(book)
        assert proc.returncode == 0 and executed_docs(proc) == readers(book, "glossary"), why(proc)
        assert "Networked sensors and devices" in page(book, "glossary") and "Networked devices and sensors" not in page(book, "glossary")
        download = (book / "_build/html/_sources/chapters/glossary.ipynb").read_text(encoding="utf-8")
        assert "Networked sensors and devices" in download and "Networked devices and sensors" not in download  # the download is this build's run
        assert not stale.exists(), "an image no page references was published"
    # restored without a build of its own, as above: the next step's build re-runs the table's readers


@pytest.mark.parametrize(
    "name, code, expected",
    # This one ends in a warning, so Sphinx keeps its saved environment and the next build runs only what
    # changed. A build that raises makes Sphinx delete it, so the cases that raise are in test_refusals.py,
    # on a partial book of their own.
    [
        ("writes to stderr", "import sys\nsys.stderr.write('a warning on stderr\\n')", "stderr"),
    ],
)
def test_a_broken_chapter_stops_the_strict_build(book, name, code, expected):
    with Restore(book, "chapters/glossary.ipynb"):
        edit_notebook(book / "chapters/glossary.ipynb", "code", lambda s: s + "\nfrom analysis.views.prose import quoter\nq = quoter(ds)\n" + code + "\n")
        proc = strict(book)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, f"{name}: the strict build passed"
        assert expected in out, why(proc)


def test_a_page_left_out_of_the_table_of_contents_stops_the_strict_build(book):
    """Its build also runs the chapter the step before broke and restored: that chapter builds again, and only the orphan stops the build."""
    orphan = book / "chapters/orphan.md"
    orphan.write_text("# A page nobody listed\n\nText.\n", encoding="utf-8")
    try:
        proc = strict(book)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0 and "orphan" in out and "toctree" in out, why(proc)
        assert executed_docs(proc) == {"chapters/glossary"} and "a warning on stderr" not in out, why(proc)
    finally:
        orphan.unlink()  # the next step's build starts without it


def test_mutations_end_to_end(book):
    """M22 changes the words on the page, and a registered statement its page no longer shows stops the strict build (one build,
    since the register's check only warns and the pages are still written)."""
    span = re.compile(r"terms of art \((.*?) read with high confidence\)", re.S)  # M22 lowers a translation note's confidence
    before = span.search(page(book, "source")).group(1)
    m = mutation("M22")  # a table few chapters read, and a column no blind coder codes (an edit of a coded one stops the book: the method's caveat check)
    visit = book / "chapters/visit.ipynb"
    with Restore(book, m["file"], "chapters/visit.ipynb"):
        apply_mutation(book, m)
        text = visit.read_text(encoding="utf-8")
        assert "{eval}`say.ST20`:" in text
        visit.write_text(text.replace("{eval}`say.ST20`:", "On the host side:"), encoding="utf-8")  # a registered sentence dropped from its page
        proc = strict(book)
        assert proc.returncode != 0 and "statement ST20 is registered for chapters/visit but no page shows it" in proc.stdout + proc.stderr, why(proc)
        assert span.search(page(book, "source")).group(1) != before, "M22 did not change the words it makes false"


def test_bad_data_in_a_table_no_chapter_reads_stops_the_build_with_the_loaders_message(book):
    """Last in the sequence: a build that raises makes Sphinx drop its saved environment, so a build after it would start cold."""
    unread = next(t for t in ("recoding_log", "codebook", "sources") if not readers(book, t) - {"chapters/method", "chapters/dictionary"})
    path = book / f"data/{unread}.csv"
    stamp, cache = book / "_build/.doctrees" / report.STAMP, book / "_build/.doctrees/dataset"
    assert stamp.is_file() and any(cache.glob("dataset-*.pickle")), "the shared build left no stamp or no validated dataset"
    with Restore(book, f"data/{unread}.csv"):
        path.write_text(path.read_text(encoding="utf-8") + "one,cell,too,few\n", encoding="utf-8")
        proc = strict(book)
        assert proc.returncode != 0 and f"data/{unread}.csv, line" in proc.stdout + proc.stderr, why(proc)
        assert not stamp.is_file() or stamp.read_text() != report.fingerprint(book), "the bad data were recorded as checked"
        assert not (cache / f"dataset-{inputs_digest(book)}.pickle").exists(), "the bad data were kept as validated"
    with pytest.MonkeyPatch.context() as mp:  # restored: the build's folder serves or validates the good data (no broken file left)
        mp.setenv(CACHE_ENV, str(cache))
        assert load_all(book).rows(unread) > 0
