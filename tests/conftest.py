"""Shared fixtures: the repository root, the loaded dataset, a scratch copy of the data, and
one strict build of the whole book (site, single page and PDF) per test run.

The build is made in a temporary copy of the book, never in the developer's ``_build``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import load_all

from bookutil import build, copy_book

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def ds():
    return load_all(ROOT)


@pytest.fixture(scope="session")
def text(ds) -> str:
    return ds.text


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A copy of data/ and references.bib that a test may break."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    return tmp_path


_SHARED: dict[str, dict] = {}


def _shared_dir(config) -> Path:
    """Where the run's shared build lives: the run's temporary folder, which the workers of a
    parallel run (pytest-xdist) have in common, so the book is built once per run, not per worker."""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def _saved(path: Path) -> subprocess.CompletedProcess | None:
    if not path.is_file():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    return subprocess.CompletedProcess(d["args"], d["returncode"], d["stdout"], d["stderr"])


def _save(path: Path, proc: subprocess.CompletedProcess) -> None:
    record = {"args": [str(a) for a in proc.args], "returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
    path.write_text(json.dumps(record), encoding="utf-8")


def shared_build(config, pdf: bool = False) -> dict:
    """The one strict, full HTML build of a copy of the book in this run (made on first use), and its PDF if ``pdf``.

    Returns a dict: ``proc`` (the build), ``pdf`` (the PDF script's run, None if the HTML build
    failed; only with ``pdf``), ``root`` (the copy), ``html`` and ``singlehtml`` (output folders;
    the single page is made with the PDF). The first worker of a parallel run to need the build
    makes it, holding a lock; the others wait for it and read its results from the files it saved.
    """
    if "html" in _SHARED and (not pdf or "pdf" in _SHARED["html"]):
        return _SHARED["html"]
    import fcntl

    shared = _shared_dir(config)
    book = shared / "built" / "book"
    with open(shared / "built.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        proc = _saved(shared / "built-html.json")
        if proc is None:
            book.parent.mkdir(exist_ok=True)
            proc = build(copy_book(book), "--all", "-W", "-n", "--keep-going")
            _save(shared / "built-html.json", proc)
        built = {"proc": proc, "root": book, "html": book / "_build" / "html", "singlehtml": book / "_build" / "singlehtml"}
        if pdf:
            run = _saved(shared / "built-pdf.json")
            if run is None and proc.returncode == 0:
                run = subprocess.run([sys.executable, str(ROOT / "tools/build_pdf.py"), str(book)], capture_output=True, text=True, timeout=900)
                _save(shared / "built-pdf.json", run)
            built["pdf"] = run
    _SHARED["html"] = built
    return built


@pytest.fixture(scope="session")
def built_book(request):
    """A strict, full build of a copy of the book, then its PDF; shared by the build, PDF and browser tests.

    Returns a dict: ``proc`` (the HTML build), ``pdf`` (the PDF script's run, None if the
    HTML build failed), ``root`` (the copy), ``html`` and ``singlehtml`` (output folders).
    """
    return shared_build(request.config, pdf=True)


# --- nbval against the shared build ------------------------------------------------------------
#
# nbval's check: each chapter, executed afresh with the current code and data, gives the outputs
# stored in it. The shared build above has just executed every chapter afresh, from the same
# files, in a fresh kernel of this environment in the chapter's folder, as nbval would, and kept
# the outputs in its execution cache. So the nbval items take a chapter's fresh outputs from that
# cache instead of executing it a second time; everything else is nbval's own: one item per code
# cell, its markers and options, its sanitizers and its comparison (``IPyNbCell.compare_outputs``),
# an error output failing the cell, and an unrun cell with outputs failing. A chapter the build
# did not execute (it failed, or the chapter changed since) fails every cell. Set
# REPORT_NBVAL_KERNEL=1 to have nbval execute the chapters itself.


def _nbval_setup_from_build(self) -> None:
    import copy

    from jupyter_cache import get_cache

    self.setup_sanitize_files()
    built = shared_build(self.config)
    self.report_cells = None
    self.report_problem = None
    cache_path = built["root"] / "_build" / ".jupyter_cache"
    if cache_path.is_dir():
        try:
            _, merged = get_cache(str(cache_path)).merge_match_into_notebook(copy.deepcopy(self.nb))
            self.report_cells = [c for c in merged.cells if c.cell_type == "code"]
        except KeyError:
            pass
        # the kernel that executed it ran in this environment, as nbval's (--nbval-current-env) would
        try:
            record = json.loads((cache_path / "report-deps.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {"notebooks": {}}
        doc = Path(self.fspath).resolve().relative_to(ROOT).with_suffix("").as_posix()
        python = record["notebooks"].get(doc, {}).get("python")
        if self.report_cells is not None and python != sys.prefix:
            self.report_cells = None
            self.report_problem = f"the shared build executed this notebook in the environment {python!r}, not in this one ({sys.prefix!r})"


def _nbval_runtest_from_build(self) -> None:
    from nbval.plugin import coalesce_streams

    if self.options["skip"]:
        pytest.skip()
    cells = self.parent.report_cells
    if cells is None:
        self.raise_cell_error(
            getattr(self.parent, "report_problem", None)
            or "The shared build did not execute this notebook as it is now (the build failed, or the notebook changed since); see test_strict_full_build_has_no_warning"
        )
    outs = coalesce_streams(copy_outputs(cells[self.cell_num].get("outputs", [])))
    self.test_outputs = outs
    for out in outs:
        if out.get("output_type") == "error" and not self.options["check_exception"]:
            self.raise_cell_error("Cell execution caused an exception", "\n" + "\n".join(out.get("traceback", [])))
    unrun = self.cell.execution_count is None
    if unrun and self.cell.outputs:
        self.raise_cell_error("Unrun reference cell has outputs")
    if self.options["check"] and not unrun and not self.compare_outputs(outs, coalesce_streams(self.cell.outputs)):
        self.raise_cell_error("Cell outputs differ", "\n".join(self.comparison_traceback))


def copy_outputs(outputs: list) -> list:
    """Fresh copies of notebook outputs (nbval's comparison transforms them in place)."""
    import copy

    return [copy.deepcopy(out) for out in outputs]


def pytest_configure(config) -> None:
    if getattr(config.option, "nbval", False) and os.environ.get("REPORT_NBVAL_KERNEL") != "1":
        from nbval.plugin import IPyNbCell, IPyNbFile

        IPyNbFile.setup = _nbval_setup_from_build
        IPyNbCell.runtest = _nbval_runtest_from_build


# --- a full run on two workers ---------------------------------------------------------------------
#
# A run that includes the slow tiers (any -m other than the fast tier's default, e.g. the README's
# `-m "" --nbval`) runs on two pytest-xdist workers (REPORT_TEST_WORKERS sets another number, never
# more than the cores; `-n 0` or REPORT_TEST_WORKERS=1 runs in one process). Every test runs as it would in one process:
# the workers share the one build of the book (see ``shared_build``), and the tests that share a
# fixture or a built copy, or must run in order, run together on one worker, as one group
# (``--dist loadgroup``). Groups are handed out longest first, the shared build before all: a group
# that needs it waits for it, one that does not runs on the other worker meanwhile.

# (module, fixture or test name, rank, group): the first match wins. Rank 0 makes the shared build,
# rank 1 is the longest group that does not need it (it runs on the other worker meanwhile), rank 2
# the longest that do, rank 3 the next longest; then every other build, each a unit of its own
# (rank 4), and last the tests that match nothing, with the rest of their module (rank 5).
_GROUPS = [
    ("chapters", None, 0, "shared"),  # nbval: each notebook's cells in order, against the shared build
    ("test_build.py", "test_rebuilds_execute_only_the_chapters_whose_inputs_changed", 2, "rebuild"),
    ("test_build.py", "test_parallel_execution_gives_the_outputs_of_a_sequential_run", 4, "parallel"),
    ("test_build.py", "built_book", 0, "shared"),
    ("test_pdf.py", None, 0, "shared"),
    ("test_length.py", "built_book", 0, "shared"),
    ("test_safety.py", "payload_book", 1, "payload"),
    ("test_site.py", "test_purged_stylesheets_style_the_pages_as_the_originals_do", 2, "styles"),  # the longest browser test: beside the rest
    ("test_site.py", None, 2, "browser"),
    ("test_reuse.py", "site", 3, "reuse"),
    ("test_safety.py", "small_book", 3, "small"),
    ("test_jupyter.py", None, 4, "jupyter"),
]


def _unit(item) -> tuple[int, str]:
    module = item.path.name if item.path.suffix == ".py" else item.path.parent.name
    fixtures = getattr(item, "fixturenames", ())  # an nbval cell has none
    own_copy = "tmp_path" in fixtures  # a test that builds a copy of its own is not a check of the shared build
    for name, key, rank, group in _GROUPS:
        if module == name and (key is None or key == getattr(item, "originalname", None) or (key in fixtures and not (group == "shared" and own_copy))):
            return rank, group
    if item.get_closest_marker("build") or item.get_closest_marker("jupyter"):
        return 4, item.nodeid  # a build of its own: a unit of its own
    return 5, module


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config) -> None:
    option = config.option
    if not config.pluginmanager.hasplugin("xdist") or getattr(option, "numprocesses", None) is not None:
        return  # pytest-xdist is missing or disabled (-p no:xdist), or -n was given
    if hasattr(config, "workerinput") or os.environ.get("PYTEST_XDIST_WORKER") or option.collectonly:
        return  # a worker, or a pytest run started by a test
    default = config.getini("addopts")
    fast = default[default.index("-m") + 1] if "-m" in default else None
    if option.markexpr == fast:
        return  # the fast tier stays in one process
    workers = min(os.cpu_count() or 1, int(os.environ.get("REPORT_TEST_WORKERS") or 2))
    if workers > 1:
        option.numprocesses = workers
        option.dist = "loadgroup"
        option.loadscopereorder = False  # hand the groups out in the order set below


def _add_group_to_id(item, group: str) -> None:
    """What pytest-xdist does to the tests of a group with --dist loadgroup: the scheduler reads
    the group from the test's id (``nodeid@group``). xdist 3.8 writes ``item._nodeid``, which
    pytest 9.2 no longer reads (a node's id is ``item._id``), so the id is set here for both."""
    nodeid = f"{item.nodeid}@{group}"
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    # a worker parses the command line again, where --dist is not: tell it the groups are in use
    node.workerinput["report_loadgroup"] = node.config.option.dist == "loadgroup"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    if not hasattr(config, "workerinput"):
        return
    units = {id(item): _unit(item) for item in items}
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(units[id(item)][1]))
            if config.workerinput.get("report_loadgroup"):
                _add_group_to_id(item, units[id(item)][1])
    items.sort(key=lambda item: units[id(item)][0])  # stable: each module's tests keep their order
