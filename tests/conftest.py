"""Shared fixtures: the repository root, the loaded dataset, a scratch copy of the data, and
one strict build of a copy of the whole book (site, single page and PDF) per run.

The build is made in a temporary copy of the book, never in the developer's ``_build``. The
tests that read it form the ``shared`` group (``@pytest.mark.xdist_group("shared")``), so in a
run on several workers (``-n 2 --dist loadgroup``, the README's test command) one worker makes
it and runs them, then the rebuild sequence, which edits that build in place; the other groups
(the mutation suite, the payload build, JupyterLab, each chapter under nbval) run beside it.
"""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """A strict build of a copy of the book, then its PDF; read by the tests of the ``shared`` group.

    Returns a dict: ``proc`` (the HTML build), ``pdf`` (the PDF script's run, None if the HTML build
    failed), ``root`` (the copy), ``html`` and ``singlehtml`` (output folders).
    """
    book = copy_book(tmp_path_factory.mktemp("built") / "book")
    proc = build(book, "-W", "-n", "--keep-going")
    pdf = None
    if proc.returncode == 0:
        pdf = subprocess.run([sys.executable, str(ROOT / "tools/build_pdf.py"), str(book)], capture_output=True, text=True, timeout=900)
    return {"proc": proc, "pdf": pdf, "root": book, "html": book / "_build" / "html", "singlehtml": book / "_build" / "singlehtml"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    """Each chapter's nbval cells run on one worker, in order (they share the chapter's kernel); the
    rebuild sequence, which edits the shared build, runs after every other test."""
    for item in items:
        if item.path.suffix == ".ipynb" and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(f"nbval-{item.path.stem}"))
    items.sort(key=lambda item: item.path.name == "test_rebuild.py")  # stable: the rest keep their order
