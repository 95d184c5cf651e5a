"""Execute every chapter in a fresh kernel and store what it shows in the notebook itself.

    .venv/bin/python tools/execute_chapters.py [chapters/visit.ipynb ...]

For each chapter (all of ``chapters/*.ipynb`` by default): every code cell runs in order and keeps
its outputs, which nbval compares; and the ``{eval}`` expressions of each Markdown cell are
evaluated in the same kernel, after the code above them, and stored in the cell's metadata as
``user_expressions``, the form JupyterLab-MyST reads. A reader who opens a chapter in JupyterLab
therefore sees the numbers, quotations and statements in the prose before running anything; running
the chapter recomputes them from the data. Run it after changing ``analysis/`` or ``data/``.
Only public APIs of nbclient and jupyter_client are used.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
EVAL = re.compile(r"\{eval\}`([^`]+)`")


def user_expressions(client: NotebookClient, expressions: list[str]) -> list[dict]:
    """Evaluate expressions in the client's kernel; results in JupyterLab-MyST's ``user_expressions`` form."""
    msg_id = client.kc.execute("", silent=True, store_history=False, user_expressions={str(i): e for i, e in enumerate(expressions)})
    reply = client.wait_for_reply(msg_id)
    results = (reply or {}).get("content", {}).get("user_expressions", {})
    out = []
    for i, expression in enumerate(expressions):
        result = dict(results.get(str(i), {"status": "error", "ename": "NoResult", "evalue": expression, "traceback": []}))
        if result.get("status") != "ok":
            raise RuntimeError(f"{{eval}}`{expression}` failed: {result.get('ename')}: {result.get('evalue')}")
        out.append({"expression": expression, "result": result})
    return out


def execute(path: Path) -> None:
    """Run one chapter in place: outputs of its code cells, values of its prose's ``{eval}`` expressions."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}, record_timing=False)
    with client.setup_kernel():
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                count += 1
                client.execute_cell(cell, index, execution_count=count)
            elif cell.cell_type == "markdown":
                expressions = EVAL.findall(cell.source)
                if expressions:
                    cell.metadata["user_expressions"] = user_expressions(client, expressions)
                else:
                    cell.metadata.pop("user_expressions", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        execute(path)
        print(f"executed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
