"""Write binder/requirements.txt from requirements.lock, for Binder's builder (repo2docker).

    .venv/bin/python tools/binder_requirements.py          rewrite binder/requirements.txt
    .venv/bin/python tools/binder_requirements.py --check  exit 1 if it is out of date

A launched chapter needs the project's own dependencies and JupyterLab (its ``lab``
extra), with everything they require in turn, at the lock's exact pins. The file keeps
exactly those lines of the lock. Left out, because repo2docker must not install them:
the test tools (the ``test`` extra: pytest, nbval, Playwright and its browser driver, the
linters), which a reader running a chapter never needs, and the project itself, which
``binder/postBuild`` installs from the checkout (``pip install --no-deps -e .``).
A requirement that the lock does not pin and that is not installed is one the lock leaves
out on purpose (rfc3987-syntax and lark: see ``tools/setup.sh``), so it is skipped.
The dependencies are followed through the installed packages' metadata, so run this in
an environment made from the lock (``bash tools/setup.sh``); their environment markers are
read for the Python that Binder runs (``binder/runtime.txt``), so any of the supported
interpreters writes the same file.
"""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
OUT = ROOT / "binder" / "requirements.txt"
EXTRAS = ("lab",)
HEADER = "# Generated from requirements.lock by tools/binder_requirements.py; do not edit by hand.\n"


def binder_python(root: Path = ROOT) -> str:
    """The Python version Binder launches (``binder/runtime.txt``, ``python-3.11``), whatever runs this script."""
    return (root / "binder" / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")


def _wanted(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    python = {"python_version": binder_python(), "python_full_version": binder_python() + ".0"}
    return any(req.marker.evaluate({"extra": e, **python}) for e in (extras or {""}))


def pinned(lock: str) -> set[str]:
    """Canonical names of the distributions that ``lock`` pins."""
    return {canonicalize_name(line.split("==")[0]) for line in lock.splitlines() if line.strip() and not line.startswith("#")}


def needed(root: Path = ROOT, extras: tuple[str, ...] = EXTRAS) -> set[str]:
    """Canonical names of every distribution that the project and its ``extras`` need, transitively."""
    locked = pinned((root / "requirements.lock").read_text(encoding="utf-8"))
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    todo += [Requirement(r) for e in extras for r in project.get("optional-dependencies", {}).get(e, [])]
    seen: dict[str, set[str]] = {}
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name not in locked:
            try:
                distribution(name)
            except PackageNotFoundError:
                continue  # left out of the lock on purpose
        if name in seen and set(req.extras) <= seen[name]:
            continue
        seen.setdefault(name, set()).update(req.extras)
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise SystemExit(f"{name} is not installed: run bash tools/setup.sh first") from None
        for text in dist.requires or []:
            sub = Requirement(text)
            if _wanted(sub, seen[name]):
                todo.append(sub)
    return set(seen)


def render(lock: str, names: set[str]) -> str:
    """The lock's lines for ``names``, in the lock's order."""
    keep = [line for line in lock.splitlines() if line.strip() and canonicalize_name(line.split("==")[0]) in names]
    return HEADER + "\n".join(keep) + "\n"


def main(argv: list[str]) -> int:
    text = render(LOCK.read_text(encoding="utf-8"), needed())
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/binder_requirements.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
