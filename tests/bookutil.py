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
