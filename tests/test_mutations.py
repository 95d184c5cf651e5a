"""The mutation suite: one-cell edits that make a sentence of the book false either change its words or stop the build.

``tests/mutations.csv`` lists plausible one-cell edits of the tables, each with the prose items it
falsifies (``say.ST05`` for a registered statement, ``c.name`` for a value shown in the prose). For
each edit, on a copy of the data:

- the chapters whose declared reads include the edited table (the same rule by which the build
  re-reads them) run as the build runs them: their code cells, then every ``{eval}`` of their prose;
- each falsified item must render different words than before the edit, or fail with a
  :class:`~analysis.queries.statements.StatementError` naming its statement. None may render
  the same words: that would be a stale sentence on a green build.

Two of the edits also go through ``jupyter-book build`` (``tests/test_rebuild.py``): one stops the
strict build naming the statement, the other changes the words on the page.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import analysis
from analysis.data.load import CACHE_ENV, load_all
from analysis.queries.statements import StatementError

from bookutil import ROOT, apply_mutation

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("mutations")]

MUTATIONS = ROOT / "tests" / "mutations.csv"
EVAL = re.compile(r"\{eval\}`([^`]+)`")
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def mutations() -> list[dict[str, str]]:
    with MUTATIONS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STOPPED = "(the chapter stopped)"


def data_copy(dest: Path) -> Path:
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copy(ROOT / "references.bib", dest / "references.bib")
    shutil.copy(ROOT / "CITATION.cff", dest / "CITATION.cff")
    return dest


def reads(notebook: Path) -> set[str]:
    return set(json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["report"]["reads"])


def table_of(package: dict, file: str) -> str:
    return next(r["name"] for r in package["resources"] if f"data/{r['path']}" == file)


def run_chapter(notebook: Path, root: Path) -> dict[str, str]:
    """Each ``{eval}`` of the chapter's prose -> the words it renders, or ``ERROR: <message>``, as the chapter runs on the data at ``root``.

    A code cell that raises a :class:`StatementError` stops the chapter, as it would stop the build;
    its message is kept under ``STOPPED``.
    """
    namespace: dict = {"__name__": "__main__"}
    out: dict[str, str] = {}
    old_env, old_cwd = os.environ.get("REPORT_ROOT"), os.getcwd()
    os.environ["REPORT_ROOT"] = str(root)
    os.chdir(notebook.parent)
    try:
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                try:
                    exec(compile(source, notebook.name, "exec"), namespace)
                except StatementError as error:  # the chapter stops (the method's caveat check): so would the build
                    out[STOPPED] = f"ERROR: {error}"
                    break
                continue
            for expression in EVAL.findall(source):
                try:
                    out[expression] = repr(eval(expression, namespace))
                except StatementError as error:
                    out[expression] = f"ERROR: {error}"
    finally:
        os.chdir(old_cwd)
        if old_env is None:
            os.environ.pop("REPORT_ROOT", None)
        else:
            os.environ["REPORT_ROOT"] = old_env
    return out


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, dict[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    root = data_copy(tmp_path_factory.mktemp("baseline"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(root / "cache"))  # as the build runs its chapters: the data are validated once between them
        return {nb.stem: run_chapter(nb, root) for nb in CHAPTERS}


def test_the_suite_has_at_least_twenty_edits_each_naming_what_it_falsifies():
    ms = mutations()
    assert len(ms) >= 20 and len({m["mutation_id"] for m in ms}) == len(ms)
    assert all(m["falsifies"].split() and m["what it tests"] for m in ms)


@pytest.mark.parametrize("m", mutations(), ids=lambda m: m["mutation_id"])
def test_an_edit_changes_the_words_it_makes_false_or_stops_the_build(m, baseline, tmp_path, monkeypatch):
    root = data_copy(tmp_path)
    apply_mutation(root, m)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))  # as in the build: the edited data are validated once, by the load below
    try:
        ds = load_all(root)
    except analysis.ReportDataError as error:
        pytest.fail(f"{m['mutation_id']}: the loader refuses the edit, so the suite does not test the words: {error}")
    table = table_of(ds.package, m["file"])
    readers = [nb for nb in CHAPTERS if table in reads(nb)]
    after: dict[str, str] = {}
    for nb in readers:
        after.update({f"{nb.stem}|{k}": v for k, v in run_chapter(nb, root).items()})
    for item in m["falsifies"].split():
        shown = {key: value for key, value in after.items() if key.split("|", 1)[1] == item}
        assert shown, f"{m['mutation_id']}: {item} is in no chapter that reads {table} (a chapter that shows it must declare the table)"
        for key, value in shown.items():
            chapter = key.split("|", 1)[0]
            before = baseline[chapter][item]
            statement = item.split(".")[1] if item.startswith("say.") else None  # say.ST05, or say.ST05.plain in a heading
            named = value.startswith("ERROR:") and statement is not None and f"statement {statement}" in value
            assert value != before or named, f"{m['mutation_id']} ({m['what it tests']}): {chapter} still says {before!r} ({item}), a stale sentence"
            if value.startswith("ERROR:"):
                assert named, f"{m['mutation_id']}: {item} failed without naming its statement: {value}"
    for key, value in after.items():
        if key.endswith(f"|{STOPPED}"):
            assert "statement ST" in value, f"{m['mutation_id']}: {key.split('|')[0]} stopped without naming a statement: {value}"
