"""Shared fixtures: the repository root, the loaded dataset, a scratch copy of the data, and
one strict build of the whole book (site, single page and PDF) per test run.

The build is made in a temporary copy of the book, never in the developer's ``_build``.
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
    """A strict, full build of a copy of the book, then its PDF; shared by the build, PDF and browser tests.

    Returns a dict: ``proc`` (the HTML build), ``pdf`` (the PDF script's run, None if the
    HTML build failed), ``root`` (the copy), ``html`` and ``singlehtml`` (output folders).
    """
    book = copy_book(tmp_path_factory.mktemp("built") / "book")
    proc = build(book, "--all", "-W", "-n", "--keep-going")
    pdf = None
    if proc.returncode == 0:
        pdf = subprocess.run([sys.executable, str(ROOT / "tools/build_pdf.py"), str(book)], capture_output=True, text=True, timeout=900)
    return {"proc": proc, "pdf": pdf, "root": book, "html": book / "_build" / "html", "singlehtml": book / "_build" / "singlehtml"}
