"""Shared fixtures: the repository root, the loaded dataset, and a scratch copy of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import load_all

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
def built_book():
    """A clean, strict, full build of the book in the repository's own _build (shared by the site tests)."""
    import shutil
    from bookutil import build

    import subprocess
    import sys

    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    proc = build(ROOT, "--all", "-W", "-n", "--keep-going")
    pdf = None
    if proc.returncode == 0:
        pdf = subprocess.run([sys.executable, str(ROOT / "tools/build_pdf.py")], capture_output=True, text=True, timeout=600)
    return {"proc": proc, "pdf": pdf, "html": ROOT / "_build" / "html"}
