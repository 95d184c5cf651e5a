"""The code is kept to the project's habits: ruff's lint and format, and no dead code in the chapters.

The rules live in ``pyproject.toml`` (``[tool.ruff]``); ``.pre-commit-config.yaml`` runs the same
ruff before each commit. The chapters' code cells are linted (not formatted: they keep the
layout they were executed with); pyflakes does not report a top-level variable that is never
read, so :func:`dead_names` checks that for the chapters, which run as one script.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CODE = ["analysis", "_ext", "tests", "tools", "benchmarks"]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_check_passes_on_code_and_chapters():
    r = ruff("check", "--no-cache", "--output-format", "concise", *CODE, *(str(p.relative_to(ROOT)) for p in CHAPTERS))
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_leaves_the_code_unchanged():
    r = ruff("format", "--no-cache", "--check", "--diff", *CODE)
    assert r.returncode == 0, "run `.venv/bin/ruff format` (then commit):\n" + r.stdout[-4000:] + r.stderr


def test_ruff_catches_dead_imports(tmp_path):
    """The configuration really selects pyflakes and import order (a guard against an empty rule set)."""
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nimport os\n\n\ndef f():\n    x = 1\n", encoding="utf-8")
    r = ruff("check", "--no-cache", "--output-format", "concise", "--config", str(ROOT / "pyproject.toml"), str(bad))
    assert {"F401", "F841", "I001"} <= set(re.findall(r"\b([A-Z]+\d+)\b", r.stdout)), r.stdout


def dead_names(source: str) -> list[str]:
    """Names assigned at the top level of ``source`` and never read anywhere in it (``_x`` names excepted)."""
    stored: dict[str, int] = {}
    loaded: set[str] = set()

    class Visitor(ast.NodeVisitor):
        depth = 0

        def _nested(self, node: ast.AST) -> None:
            if self.depth == 0 and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                stored.setdefault(node.name, node.lineno)
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _nested

        def visit_Name(self, node: ast.Name) -> None:
            if isinstance(node.ctx, ast.Load):
                loaded.add(node.id)
            elif self.depth == 0 and isinstance(node.ctx, ast.Store):
                stored.setdefault(node.id, node.lineno)

    Visitor().visit(ast.parse(source))
    return sorted(n for n in stored if n not in loaded and not n.startswith("_"))


def chapter_code(path: Path) -> str:
    """The chapter's code as one script: its code cells (IPython magics and shell lines left out), then
    the ``{eval}`` expressions of its prose, which read the names the code cells define."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = [line for c in cells if c["cell_type"] == "code" for line in "".join(c["source"]).splitlines() if not line.lstrip().startswith(("%", "!"))]
    lines += [expr for c in cells if c["cell_type"] == "markdown" for expr in re.findall(r"\{eval\}`([^`]+)`", "".join(c["source"]))]
    return "\n".join(lines)


def test_dead_names_finds_unread_variables():
    assert dead_names("a = 1\nb = a\nfor i, r in []:\n    print(r)\n_c = 2\ndef f():\n    d = 3\n") == ["b", "f", "i"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_have_no_dead_variables(path):
    assert dead_names(chapter_code(path)) == []


def test_pre_commit_runs_the_pinned_ruff():
    """The hooks run the ruff the lock pins, with the project's configuration."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format"} <= set(hooks) and "nbstripout" not in hooks  # chapters are stored with outputs
    lock = re.search(r"^ruff==(\S+)$", (ROOT / "requirements.lock").read_text(encoding="utf-8"), re.M).group(1)
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["test"]
    assert f"ruff=={lock}" in extra
    for hook in ("ruff", "ruff-format"):
        assert hooks[hook].get("additional_dependencies") == [f"ruff=={lock}"], hook
