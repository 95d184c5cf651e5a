"""The book builds strictly, fails on a broken chapter or bad data, and rebuilds correctly."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from bookutil import ROOT, build, copy_book, edit_notebook, executed, reuse_execution, warnings, why

pytestmark = pytest.mark.build


def test_strict_full_build_has_no_warning(built_book):
    proc = built_book["proc"]
    assert proc.returncode == 0, why(proc)
    assert warnings(proc) == []
    chapters = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert chapters <= {p.stem for p in (built_book["html"] / "chapters").glob("*.html")}
    assert executed(proc) == len(chapters)


def test_a_chapter_that_raises_fails_the_build(tmp_path, built_book):
    book = copy_book(tmp_path / "book")
    reuse_execution(book, built_book)  # the front page comes from the cache; the edited chapter is executed
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n", encoding="utf-8")
    edit_notebook(book / "chapters/glossary.ipynb", "code", lambda s: s + "\nraise RuntimeError('deliberately broken chapter')\n")
    proc = build(book, "--all")
    assert proc.returncode != 0
    assert "deliberately broken chapter" in proc.stdout + proc.stderr


def test_bad_data_stops_the_build_with_the_loaders_message(tmp_path):
    book = copy_book(tmp_path / "book")
    claims = book / "data/claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("exported to more than 60", "exported to more than 70", 1), encoding="utf-8")
    proc = build(book, "--all")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "data/claims.csv, line 16, column 'quote': quote not found in the source" in out
    assert not (book / "_build/html/chapters/visit.html").exists()


def _executed_docs(proc) -> set[str]:
    """The chapters a build executed (the local extension logs each, as myst-nb would)."""
    return set(re.findall(r"Executed notebook in [\d.]+ seconds: (\S+)", proc.stdout + proc.stderr))


def _read_docs(proc) -> set[str]:
    """The pages a build read (parsed) again, from Sphinx's log."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log))


def _set_cell(path, row_id: str, column: str, value: str) -> None:
    """Set one cell of a CSV table, found by the row's id (first column)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r[0] == row_id)
    row[rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _deps(book) -> dict[str, list[str]]:
    record = json.loads((book / "_build/.jupyter_cache/report-deps.json").read_text(encoding="utf-8"))
    return {doc: entry["files"] for doc, entry in record["notebooks"].items()}


def test_rebuilds_execute_only_the_chapters_whose_inputs_changed(tmp_path, built_book):
    # Start from the shared build's execution cache and its record of what each chapter read (the
    # cold build of every chapter is checked by test_strict_full_build_has_no_warning), and keep
    # four chapters: the rules are the same for each chapter, and no chapter is executed more
    # often than the checks need.
    assert built_book["proc"].returncode == 0
    book = copy_book(tmp_path / "book")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/source\n  - file: chapters/glossary\n  - file: chapters/peers\n", encoding="utf-8"
    )
    shutil.copytree(built_book["root"] / "_build/.jupyter_cache", book / "_build/.jupyter_cache")
    chapters = {"chapters/index", "chapters/source", "chapters/glossary", "chapters/peers"}
    deps = _deps(book)
    page = lambda name: (book / f"_build/html/chapters/{name}.html").read_text(encoding="utf-8")  # noqa: E731

    noop = build(book)  # same code and data in a new folder: every chapter comes from the cache
    assert noop.returncode == 0 and executed(noop) == 0, noop.stdout[-2000:]
    assert "Networked devices and sensors" in page("glossary")

    # a prose-only edit (glossary: a reworded sentence and a number pasted from another chapter) and a
    # one-table edit (peers.csv) together: the build executes exactly the chapters that read that table,
    # and the pages show the new prose, the pasted number and the new data
    learning = re.compile(r"one of <span class=\"pasted-text\">(\d+)</span> framed as learning")
    before = int(learning.search(page("index")).group(1))
    paste = "\n\nPeers: one of {glue:text}`/chapters/peers.ipynb::peers_learning_trips:d` framed as learning.\n"
    edit_notebook(
        book / "chapters/glossary.ipynb",
        "markdown",
        lambda s: s.replace("The official terms the article uses", "The official terms that the article uses") + paste,
    )
    readers = {doc for doc in chapters if "data/peers.csv" in deps[doc]}
    assert readers == {"chapters/peers"}, readers
    peers = book / "data/peers.csv"
    assert "Hangzhou" not in page("peers") and ",Shanghai," in peers.read_text(encoding="utf-8")
    peers.write_text(peers.read_text(encoding="utf-8").replace(",Shanghai,", ",Hangzhou,"), encoding="utf-8")
    one = build(book)
    assert one.returncode == 0 and _executed_docs(one) == readers, why(one)
    assert "Hangzhou" in page("peers")
    assert "The official terms that the article uses" in page("glossary")
    assert int(learning.search(page("glossary")).group(1)) == before  # renaming a peer leaves the count as it was

    # a page that pastes a number from another chapter (glue) shows the new number when only that
    # chapter is executed again: the front page does, and so does the glossary
    _set_cell(peers, "P14", "frames_learning", "true")
    pasted = build(book)
    assert pasted.returncode == 0 and _executed_docs(pasted) == readers, why(pasted)
    assert "chapters/glossary" not in _read_docs(pasted)
    assert int(learning.search(page("index")).group(1)) == before + 1
    assert int(learning.search(page("glossary")).group(1)) == before + 1  # written again with the new number

    readers = {doc for doc in chapters if "data/glossary.csv" in deps[doc]}
    assert "chapters/glossary" in readers and readers != chapters, readers
    glossary = book / "data/glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Networked devices and sensors", "Networked sensors and devices"), encoding="utf-8")
    two = build(book)
    assert two.returncode == 0 and _executed_docs(two) == readers, why(two)
    assert "Networked sensors and devices" in page("glossary") and "Networked devices and sensors" not in page("glossary")
    # pages that take quotes or inference boxes from the data, but nothing from this table, are not read again
    assert _read_docs(two) == readers, _read_docs(two)

    # an edit to an inference boxed on a page re-reads that page, which shows the new text
    register = book / "data/inferences.csv"
    boxed = next(i for i in re.findall(r'id="inference-(i\d+)"', page("source")))
    statement = "A statement edited for this test, so that a stale box would show."
    _set_cell(register, boxed.upper(), "statement", statement)
    # and, in the same build, a change in analysis/ executes the chapters that imported the changed module
    # (not the page with the box: what it shows comes from reading the register, not from executing)
    importers = {doc for doc in chapters if "analysis/style.py" in deps[doc]}
    assert importers and importers != chapters and "chapters/source" not in importers, importers
    assert not any("data/inferences.csv" in deps[doc] for doc in chapters)
    (book / "analysis/style.py").write_text((book / "analysis/style.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code = build(book)
    assert code.returncode == 0 and _executed_docs(code) == importers, why(code)
    assert "chapters/source" in _read_docs(code) and statement in page("source")

    # bad data stop the build with the loader's message, even in a table that no chapter here reads
    log = book / "data/recoding_log.csv"
    good = log.read_text(encoding="utf-8")
    assert not any("data/recoding_log.csv" in deps[doc] for doc in chapters)
    log.write_text(good + "one,cell,too,few\n", encoding="utf-8")
    bad = build(book)
    assert bad.returncode != 0 and "data/recoding_log.csv, line" in bad.stdout + bad.stderr, why(bad)
    log.write_text(good, encoding="utf-8")

    # and a change to the loader executes every chapter that loads the data
    (book / "analysis/load.py").write_text((book / "analysis/load.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    loader = build(book)
    assert loader.returncode == 0 and _executed_docs(loader) == chapters, why(loader)


def _outputs(nb) -> list:
    """Each code cell's outputs, without the execution counts (which nbclient numbers the same way)."""
    return [[{k: v for k, v in out.items() if k != "execution_count"} for out in cell.get("outputs", [])] for cell in nb.cells if cell.cell_type == "code"]


def test_parallel_execution_gives_the_outputs_of_a_sequential_run(built_book):
    """The shared build executed the chapters in parallel; myst-nb's own sequential call gives the same outputs."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.executors.utils import single_nb_execution

    assert built_book["proc"].returncode == 0
    assert "at a time" in built_book["proc"].stdout  # the extension executed the chapters, not myst-nb
    book = built_book["root"]
    cache = get_cache(str(book / "_build/.jupyter_cache"))
    for name in ("glossary", "peers", "index"):  # plain tables, a figure, glue
        path = book / f"chapters/{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        parallel = cache.get_cache_bundle(cache.match_cache_notebook(nb).pk).nb
        result = single_nb_execution(nb, cwd=str(path.parent), timeout=120, allow_errors=False, meta_override=True)
        assert result.err is None, result.exc_string
        assert _outputs(parallel) == _outputs(result.nb), name


def test_every_figure_is_numbered_captioned_and_has_alt_text(built_book):
    for page in (built_book["html"] / "chapters").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for img in re.findall(r"<img [^>]*>", text):
            if "_images/" not in img:  # theme icons (Binder logo) carry their own short alt text
                assert re.search(r'alt="[^"]+"', img), f"{page.name}: {img[:120]}"
                continue
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 30 and not alt.group(1).endswith(".png"), f"{page.name}: {img[:120]}"
        figures = re.findall(r'<figure class="[^"]*".*?</figure>', text, flags=re.S)
        for fig in figures:
            assert re.search(r'<span class="caption-number">Fig\. \d+ </span>', fig), f"{page.name}: figure without number"


def test_every_page_has_a_meta_description_and_favicon(built_book):
    for page in list((built_book["html"] / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert re.search(r'<meta name="description" content="[^"]{40,}"', text), page.name
        assert 'rel="icon"' in text and "favicon.svg" in text, page.name


def test_site_offers_downloads_repository_and_launch_buttons(built_book):
    text = (built_book["html"] / "chapters/visit.html").read_text(encoding="utf-8")
    assert "../_sources/chapters/visit.ipynb" in text  # download .ipynb
    assert "Launch Binder" in text or "mybinder.org" in text
    assert "repository" in text.lower() and "github.com" in text
    assert "sphinx-thebe" not in text  # no live-code scripts: thebe is left out of the extensions


def test_icon_bundle_is_reduced_to_the_icons_used(built_book):
    script = (built_book["html"] / "_static/scripts/fontawesome.js").read_text(encoding="utf-8")
    assert script.startswith("/* report: Font Awesome subset */")
    assert len(script.encode()) < 50_000
    for icon in ('"magnifying-glass"', '"github"', '"circle-half-stroke"', '"download"'):
        assert icon in script


def test_quotes_not_in_the_data_are_errors_at_their_place_and_all_listed(tmp_path, built_book):
    book = copy_book(tmp_path / "book")
    reuse_execution(book, built_book)  # a prose edit: nothing needs executing
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n", encoding="utf-8")
    edit_notebook(book / "chapters/glossary.ipynb", "markdown", lambda s: s + "\n\nA quotation: {quote}`ZZ99`.\n\nAnother: {quote}`TD06:70 countries`.\n")
    proc = build(book, "--all", "-W", "--keep-going")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    errors = [l for l in out.splitlines() if "ERROR" in l and "glossary" in l]
    assert any("{quote}`ZZ99` names no coded row" in l for l in errors), out[-3000:]
    assert any("'70 countries' is not part of the quote of TD06" in l for l in errors), out[-3000:]


def test_prose_quotes_link_to_the_annotated_source(built_book):
    text = (built_book["html"] / "chapters/directives.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="source.html#q-d08"><span class="std std-ref">“a number of”</span></a>', text)


def _captions(page: str) -> list[tuple[int, str]]:
    return [
        (int(n), html.unescape(re.sub(r"<[^>]+>", "", c)))
        for n, c in re.findall(r'<span class="caption-number">Table (\d+) </span><span class="caption-text">(.*?)</span>', page)
    ]


def _toc_pages(root) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_tables_are_numbered_across_the_book_the_same_on_the_site_and_in_the_single_page(built_book):
    site = [c for doc in _toc_pages(built_book["root"]) for c in _captions((built_book["html"] / f"{doc}.html").read_text(encoding="utf-8"))]
    assert [n for n, _ in site] == list(range(1, len(site) + 1))
    assert len(site) >= 20  # numbered across the book, not per page
    single = _captions((built_book["singlehtml"] / "chapters/index.html").read_text(encoding="utf-8"))
    assert single == site


def test_tables_link_to_the_source_rows_in_every_builder(built_book):
    page = (built_book["html"] / "chapters/findings.html").read_text(encoding="utf-8")
    assert 'href="source.html#q-td06"' in page
    single = (built_book["singlehtml"] / "chapters/index.html").read_text(encoding="utf-8")
    assert 'href="#q-td06"' in single and 'id="q-td06"' in single
    assert "source.html#" not in single and 'href="chapters/index.html#' not in single


def test_prose_cites_a_table_by_its_number(built_book):
    page = (built_book["html"] / "chapters/glossary.html").read_text(encoding="utf-8")
    cited = re.findall(r'<a class="reference internal" href="#(tbl-[^"]+)"><span class="std std-numref">Table (\d+)</span></a>', page)
    assert cited, "no {numref} to a table on the glossary page"
    numbers = {t: n for t, n in re.findall(r'<table [^>]*id="(tbl-[^"]+)">\s*<caption><span class="caption-number">Table (\d+) ', page)}
    assert all(numbers.get(t) == n for t, n in cited), (cited, numbers)


def test_nbval_against_the_shared_build_fails_on_a_stale_stored_output(tmp_path):
    """nbval's check, with the fresh outputs taken from the shared build: a stored output that
    the current code and data no longer produce fails its cell, and only that cell."""
    import sys

    import nbformat

    book = copy_book(tmp_path / "book")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n", encoding="utf-8")
    path = book / "chapters/glossary.ipynb"
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    stale = next(i for i, c in enumerate(cells) if any("Networked devices and sensors" in str(o) for o in c.outputs))
    for out in cells[stale].outputs:
        for mime, value in out.get("data", {}).items():
            if isinstance(value, str):
                out["data"][mime] = value.replace("Networked devices and sensors", "Networked sensors and devices")
    nbformat.write(nb, path)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-m", "", "--nbval", "-q", "chapters/glossary.ipynb", "chapters/index.ipynb"],
        cwd=book,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "REPORT_TEST_WORKERS": "1"},  # one process, as in a run with -n 0
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert re.search(rf"FAILED chapters/glossary.ipynb::Cell {stale}\b", out), out[-3000:]
    assert len(re.findall(r"^FAILED ", out, flags=re.M)) == 1, out[-3000:]
    assert "Cell outputs differ" in out and "Networked devices and sensors" in out, out[-3000:]
