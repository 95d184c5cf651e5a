"""Helpers for the tests that build the book: copying it and running jupyter-book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
SKIP = {"_build", ".venv", ".git", "node_modules", ".pytest_cache", "__pycache__", ".ipynb_checkpoints", "benchmarks"}


def copy_book(dest: Path) -> Path:
    """Copy the book's sources (no build output, environment or git) to ``dest``."""
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    return dest


def keep_pages(book: Path, root: str, *chapters: str) -> Path:
    """Make a copy a partial book of the pages given (``"chapters/reuse"``), the other pages removed
    (a page outside the table of contents would be reported as an orphan)."""
    listed = "".join(f"  - file: {c}\n" for c in chapters)
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: {root}\n" + (f"chapters:\n{listed}" if chapters else ""), encoding="utf-8")
    keep = {Path(page).name for page in (root, *chapters)} | {"_cite"}
    for page in (book / "chapters").iterdir():
        if page.stem not in keep and page.suffix in {".md", ".ipynb"}:
            page.unlink()
    return book


def keep_appendices_only(book: Path) -> Path:
    """A partial book of the reuse appendix and the data dictionary."""
    return keep_pages(book, "chapters/reuse", "chapters/dictionary")


class Restore:
    """Keep the bytes of some files of a copy and put them back afterwards."""

    def __init__(self, book: Path, *names: str) -> None:
        self.saved = {book / n: (book / n).read_bytes() for n in names}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for path, data in self.saved.items():
            path.write_bytes(data)


def mutation(mutation_id: str) -> dict[str, str]:
    """A row of the mutation suite (``tests/mutations.csv``)."""
    import csv

    with (ROOT / "tests" / "mutations.csv").open(encoding="utf-8", newline="") as handle:
        return next(m for m in csv.DictReader(handle) if m["mutation_id"] == mutation_id)


def set_cell(path: Path, id_column: str, row_id: str, column: str, value: str) -> str:
    """Set one cell of a CSV file, found by its id (CSV quoting kept correct); returns the value it held."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    hits = [r for r in rows[1:] if r and r[header.index(id_column)] == row_id]
    assert len(hits) == 1, f"{path.name}: no single row {row_id}"
    old, hits[0][header.index(column)] = hits[0][header.index(column)], value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return old


def apply_mutation(root: Path, m: dict[str, str]) -> None:
    """Set the one cell a mutation edits, in the copy at ``root``."""
    old = set_cell(root / m["file"], m["key"], m["row_id"], m["column"], m["value"])
    assert old != m["value"], f"{m['mutation_id']}: the edit changes nothing"


def build(root: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build <root> <args>`` and return the finished process (output as text)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([str(JUPYTER_BOOK), "build", str(root), *args], capture_output=True, text=True, timeout=timeout, env=env)


def why(proc: subprocess.CompletedProcess, size: int = 3000) -> str:
    """What a failed build printed that says why: the end of its log and the first traceback,
    where the error is raised (its end shows only the command line's own wrapping of it)."""
    err = proc.stderr
    first = err.find("Traceback (most recent call last)")
    head = err[first : first + size] if first >= 0 else ""
    return f"--- stdout (end) ---\n{proc.stdout[-size:]}\n--- stderr (first traceback) ---\n{head}\n--- stderr (end) ---\n{err[-size // 2 :]}"


def executed(proc: subprocess.CompletedProcess) -> int:
    """How many notebooks a build executed (myst-nb logs one line per execution)."""
    return (proc.stdout + proc.stderr).count("Executed notebook in")


def executed_docs(proc: subprocess.CompletedProcess) -> set[str]:
    """The chapters a build executed, as ``chapters/<name>`` (from myst-nb's log lines)."""
    import re

    return {f"chapters/{m}" for m in re.findall(r"chapters/(\w+)\.ipynb: Executed notebook in", proc.stdout + proc.stderr)}


def warnings(proc: subprocess.CompletedProcess) -> list[str]:
    """Sphinx warnings in a build's output (the kernel's own TCP notice excluded)."""
    return [l for l in (proc.stdout + proc.stderr).splitlines() if "WARNING" in l and "IPKernelApp" not in l]


def edit_notebook(path: Path, cell_type: str, edit) -> None:
    """Apply ``edit(source) -> source`` to the first cell of ``cell_type`` of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == cell_type)
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = edit(source)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


class InThread:
    """A Playwright object used through the one thread that owns it.

    Playwright's sync API refuses to start in a thread whose asyncio loop is running, and an earlier
    test in the same pytest worker may leave one (a kernel client, for example). So the browser is
    started in a thread of its own, and every call on it, and on the pages and contexts it returns,
    is run in that thread; callers use it as they would the object itself.
    """

    def __init__(self, obj, pool) -> None:
        self._obj, self._pool = obj, pool

    def __getattr__(self, name: str):
        attr = self._pool.submit(getattr, self._obj, name).result()
        if callable(attr):
            return lambda *args, **kwargs: _in_thread(self._pool.submit(attr, *args, **kwargs).result(), self._pool)
        return _in_thread(attr, self._pool)


def _in_thread(value, pool):
    if isinstance(value, list | tuple):
        return type(value)(_in_thread(v, pool) for v in value)
    return InThread(value, pool) if type(value).__module__.startswith("playwright.") else value


def browser_in_thread(executable: str, args: list[str]):
    """Start Chromium with Playwright in a thread of its own; returns (browser, stop)."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    pool = ThreadPoolExecutor(max_workers=1)
    playwright = pool.submit(lambda: sync_playwright().start()).result()
    browser = pool.submit(lambda: playwright.chromium.launch(executable_path=executable, args=args)).result()

    def stop() -> None:
        pool.submit(browser.close).result()
        pool.submit(playwright.stop).result()
        pool.shutdown()

    return InThread(browser, pool), stop
