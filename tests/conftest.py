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


def shared_build(config) -> dict:
    """The one strict, full HTML build of a copy of the book in this run (made on first use).

    Returns a dict: ``proc`` (the build), ``root`` (the copy), ``html`` and ``singlehtml``
    (output folders; the single page is made with the PDF, see ``built_book``).
    """
    if "html" not in _SHARED:
        book = copy_book(config._tmp_path_factory.mktemp("built") / "book")
        proc = build(book, "--all", "-W", "-n", "--keep-going")
        _SHARED["html"] = {"proc": proc, "root": book, "html": book / "_build" / "html", "singlehtml": book / "_build" / "singlehtml"}
    return _SHARED["html"]


@pytest.fixture(scope="session")
def built_book(request):
    """A strict, full build of a copy of the book, then its PDF; shared by the build, PDF and browser tests.

    Returns a dict: ``proc`` (the HTML build), ``pdf`` (the PDF script's run, None if the
    HTML build failed), ``root`` (the copy), ``html`` and ``singlehtml`` (output folders).
    """
    built = shared_build(request.config)
    if "pdf" not in built:
        built["pdf"] = None
        if built["proc"].returncode == 0:
            built["pdf"] = subprocess.run([sys.executable, str(ROOT / "tools/build_pdf.py"), str(built["root"])], capture_output=True, text=True, timeout=900)
    return built


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
