"""The theme templates copied into _templates/ still match the upstream version they were copied from.

``_templates/UPSTREAM.json`` records the pydata-sphinx-theme version and the sha256 of each
upstream file at that version: components (``path``) and the page templates whose blocks
are copied (``page_path``: ``layout.html``, ``search.html``), and the Sphinx version whose
``basic/layout.html`` macros those blocks repeat. When an installed upstream file changes,
this test fails: compare the new upstream file with our copy, carry the change over, and
record the new version and hash.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pytest

from bookutil import ROOT

UPSTREAM = json.loads((ROOT / "_templates/UPSTREAM.json").read_text(encoding="utf-8"))
SITE_PACKAGES = Path(__import__("pydata_sphinx_theme").__file__).parents[1]


def upstream_path(name: str) -> Path:
    return SITE_PACKAGES / (UPSTREAM["page_path"] if name in UPSTREAM["pages"] else UPSTREAM["path"]) / name


def test_every_copied_template_is_recorded():
    copies = {p.name for p in (ROOT / "_templates").glob("*.html")}
    assert copies == set(UPSTREAM["sha256"])
    for name in copies:
        assert f"pydata-sphinx-theme {UPSTREAM['version']}" in (ROOT / "_templates" / name).read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("name", sorted(UPSTREAM["sha256"]))
def test_upstream_template_is_the_version_we_copied(name):
    upstream = upstream_path(name)
    assert upstream.exists(), f"pydata-sphinx-theme {version('pydata-sphinx-theme')} has no template {upstream}"
    digest = hashlib.sha256(upstream.read_bytes()).hexdigest()
    assert digest == UPSTREAM["sha256"][name], (
        f"_templates/{name} was copied from pydata-sphinx-theme {UPSTREAM['version']}; the installed "
        f"{version('pydata-sphinx-theme')} changed it: merge the change and update _templates/UPSTREAM.json"
    )


def test_sphinx_basic_layout_is_the_version_whose_macros_we_repeat():
    record = UPSTREAM["sphinx"]
    digest = hashlib.sha256((SITE_PACKAGES / record["path"]).read_bytes()).hexdigest()
    assert digest == record["sha256"], (
        f"_templates/layout.html and search.html repeat the css() and script() loops of Sphinx {record['version']}'s basic/layout.html; "
        f"Sphinx {version('sphinx')} changed that file: compare, carry the change over and update _templates/UPSTREAM.json"
    )


def test_page_templates_extend_the_theme():
    """The page templates override blocks only: the rest of the page stays the theme's."""
    for name in UPSTREAM["pages"]:
        lines = [l for l in (ROOT / "_templates" / name).read_text(encoding="utf-8").splitlines() if "{%" in l]
        assert lines[0].strip() == f'{{%- extends "!{name}" %}}'
