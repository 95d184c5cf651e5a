"""The report uses other packages through their public interfaces only (issue: lean machinery).

Scanned: every Python file of ``_ext/``, ``analysis/``, ``tools/``, ``benchmarks/`` and ``tests/``. Refused:
an underscore name imported from, or read off, anything but the report's own code; assigning
into another package's module, class or listener list (``setattr``, ``sys.modules[...]``,
``module.name = ...``); a forked theme template (``_templates/`` or ``templates_path``).
"""

from __future__ import annotations

import ast

import yaml

from bookutil import ROOT

SCANNED = ["_ext", "analysis", "tools", "benchmarks", "tests"]


def _own_modules() -> set[str]:
    """Top-level names of the report's own modules: the package, the extensions, tools and test helpers."""
    own = {"analysis"}
    for folder in SCANNED:
        own |= {p.stem for p in (ROOT / folder).glob("*.py")}
    return own


def _files():
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _imported_modules(tree: ast.AST, own: set[str]) -> dict[str, str]:
    """Local name -> third-party module it is bound to, for ``import x`` and ``from x import y``."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] not in own:
                    out[(a.asname or a.name).split(".")[0]] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] not in own:
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def findings(path) -> list[str]:
    """Every use of another package's internals in one file, as 'file:line: what'."""
    own = _own_modules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = _imported_modules(tree, own)
    where = path.relative_to(ROOT).as_posix()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] not in own:
            if _private(node.module.split(".")[-1]) or any(_private(a.name) for a in node.names):
                out.append(f"{where}:{node.lineno}: imports a private name from {node.module}")
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in foreign:
                out.append(f"{where}:{node.lineno}: reads {node.attr} of {foreign[base.id]}")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                base = t.value if isinstance(t, ast.Attribute | ast.Subscript) else None
                if isinstance(t, ast.Subscript) and isinstance(base, ast.Attribute) and base.attr == "modules":
                    out.append(f"{where}:{node.lineno}: replaces a module in sys.modules")
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(t, ast.Attribute) and isinstance(base, ast.Name) and base.id in foreign:
                    out.append(f"{where}:{node.lineno}: assigns {t.attr} on {foreign[base.id]}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id in foreign:
                out.append(f"{where}:{node.lineno}: setattr on {foreign[first.id]}")
    return out


def test_no_private_name_or_patch_of_another_package():
    found = [f for path in _files() for f in findings(path)]
    assert found == [], "\n".join(found)


def test_no_forked_theme_template():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "templates_path" not in config.get("sphinx", {}).get("config", {})
    assert not (ROOT / "_templates").exists()


def test_the_scan_finds_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import sphinx.application\nimport nbclient\nimport sys\nfrom nbval.plugin import _trim\n"
        "nbclient.client._x = 1\nsphinx.application.Sphinx._listeners\nsys.modules['x'] = None\nsetattr(nbclient, 'y', 2)\n",
        encoding="utf-8",
    )
    import test_public_interfaces as scan

    old = scan.ROOT
    scan.ROOT = tmp_path
    try:
        found = scan.findings(bad)
    finally:
        scan.ROOT = old
    assert {f.split(": ", 1)[1].split(" ")[0] for f in found} == {"imports", "assigns", "reads", "replaces", "setattr"}, found


def test_the_build_machinery_stays_small():
    import loc  # tools/, on pytest's pythonpath

    assert loc.count()["totals"]["machinery"] <= 700
