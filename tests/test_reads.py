"""Each chapter declares the tables it reads (notebook metadata ``report.reads``), and the declaration is right.

The build re-reads a chapter when a table it declares changes (``_ext/report.py``), so a table
read but not declared would leave a stale page. Here each chapter's code runs in this process
with a dataset that records every table it touches, and the record must equal the declaration.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import analysis
import analysis.data.load as load_module
from analysis.data.load import Dataset

from bookutil import ROOT

CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("*.ipynb"))
EVAL = re.compile(r"\{eval\}`([^`]+)`")


class _Recording(dict):
    """A mapping of tables that records every key read through it."""

    def __init__(self, data: dict, seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)

    def __iter__(self):
        self.seen.update(dict.keys(self))
        return super().__iter__()

    def items(self):
        self.seen.update(dict.keys(self))
        return super().items()

    def values(self):
        self.seen.update(dict.keys(self))
        return super().values()


def tracked_reads(notebook: Path, monkeypatch) -> set[str]:
    """The tables (and ``bibliography``) that running the chapter's code cells and the ``{eval}`` expressions of its prose reads."""
    seen: set[str] = set()
    real = analysis.load_all(ROOT)

    def tracked(*args, **kwargs) -> Dataset:
        return Dataset(real.text, real.source, real.package, _Recording(real.tables, seen), _BibRecording(real.bibliography, seen))

    monkeypatch.setattr(analysis, "load_all", tracked)
    monkeypatch.setattr(load_module, "load_all", tracked)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(notebook.parent)
    try:
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                exec(compile(source, f"{notebook.name}", "exec"), namespace)
            else:  # the prose's {eval} expressions read the data too
                for expression in EVAL.findall(source):
                    repr(eval(expression, namespace))
    finally:
        os.chdir(cwd)
    return seen


class _BibRecording(dict):
    def __init__(self, data: dict, seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def _note(self):
        self.seen.add("bibliography")

    def __getitem__(self, key):
        self._note()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note()
        return super().get(key, default)

    def __iter__(self):
        self._note()
        return super().__iter__()

    def items(self):
        self._note()
        return super().items()

    def __len__(self):
        self._note()
        return super().__len__()


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_declares_exactly_the_tables_it_reads(notebook, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    declared = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("report", {}).get("reads")
    assert declared is not None, f"{notebook.name}: no metadata report.reads"
    found = tracked_reads(notebook, monkeypatch)
    assert sorted(declared) == sorted(found), f"{notebook.name}: declares {sorted(declared)}, reads {sorted(found)}"
