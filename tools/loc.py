"""Count the lines of the build machinery and of the report's own code (issue: lean machinery).

Build machinery is code in ``_ext/``, ``tools/`` and ``tests/conftest.py`` that does not implement the
report's own roles, registers, downloads or PDF. Every file there must be classified below, so a new
file cannot go uncounted. Lines are non-blank lines that are not only a comment (docstrings count).

    python tools/loc.py          # prints the table and the two totals
    python tools/loc.py --json   # the same as JSON
    python tools/loc.py --data   # the data layer's loading and validation (issue: lean data layer), counted the same way
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What each file of _ext/, tools/ and tests/conftest.py is for: "report" (the report's own roles,
#: registers, downloads, PDF and citation) or "machinery" (building, executing, setting up, measuring).
CLASSES = {
    "_ext/report.py": "machinery",
    "_ext/registers.py": "report",
    "_ext/downloads.py": "report",
    "tools/build_pdf.py": "report",
    "tools/cite.py": "report",
    "tools/execute_chapters.py": "machinery",
    "tools/binder_requirements.py": "machinery",
    "tools/prose_words.py": "machinery",
    "tools/loc.py": "machinery",
    "tools/setup.sh": "machinery",
    "tools/build.sh": "machinery",
    "tests/conftest.py": "machinery",
}


#: The data layer's loading and validation, counted against the review's baseline and the issue's target (40 % below it).
DATA_FILES = ["analysis/data/errors.py", "analysis/data/load.py", "analysis/data/schema.py", "analysis/data/validate.py"]
DATA_BASELINE, DATA_TARGET = 1283, 770


def files() -> list[str]:
    """Every file the count covers, as paths relative to the repository."""
    found = [p for folder in ("_ext", "tools") for p in (ROOT / folder).iterdir() if p.suffix in (".py", ".sh")]
    return sorted(p.relative_to(ROOT).as_posix() for p in [*found, ROOT / "tests/conftest.py"])


def lines(path: Path) -> int:
    """Non-blank lines that are not only a comment."""
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.strip().startswith("#"))


def count() -> dict[str, object]:
    """Lines per file and the totals per class.

    Raises
    ------
    SystemExit
        If a file is not classified in ``CLASSES``.
    """
    unknown = [f for f in files() if f not in CLASSES]
    if unknown:
        raise SystemExit(f"classify these files in tools/loc.py CLASSES first: {', '.join(unknown)}")
    per_file = {f: lines(ROOT / f) for f in files()}
    totals = {c: sum(n for f, n in per_file.items() if CLASSES[f] == c) for c in ("machinery", "report")}
    return {"files": per_file, "totals": totals}


def count_data() -> dict[str, object]:
    """Lines of each loading-and-validation file of ``analysis/data/``, their total, the baseline and the target."""
    per_file = {f: lines(ROOT / f) for f in DATA_FILES}
    return {"files": per_file, "total": sum(per_file.values()), "baseline": DATA_BASELINE, "target": DATA_TARGET}


if __name__ == "__main__":
    result = count_data() if "--data" in sys.argv else count()
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
    elif "--data" in sys.argv:
        for f, n in result["files"].items():
            print(f"{n:5d}  {f}")
        print(f"loading and validation: {result['total']:,} lines (baseline {DATA_BASELINE:,}, target at most {DATA_TARGET})")
    else:
        for f, n in result["files"].items():
            print(f"{n:5d}  {CLASSES[f]:9s}  {f}")
        print(
            f"build machinery: {result['totals']['machinery']} lines; the report's own roles, registers, downloads, PDF and citation: {result['totals']['report']}"
        )
