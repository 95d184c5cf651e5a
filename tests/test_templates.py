"""The theme components copied into _templates/ still match the upstream version they were copied from.

``_templates/UPSTREAM.json`` records the pydata-sphinx-theme version and the sha256 of each
upstream component at that version. When the installed theme's component changes, this
test fails: compare the new upstream file with our copy, carry the change over, and
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


def test_every_copied_component_is_recorded():
    copies = {p.name for p in (ROOT / "_templates").glob("*.html")}
    assert copies == set(UPSTREAM["sha256"])
    for name in copies:
        assert f"pydata-sphinx-theme {UPSTREAM['version']}" in (ROOT / "_templates" / name).read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("name", sorted(UPSTREAM["sha256"]))
def test_upstream_component_is_the_version_we_copied(name):
    import pydata_sphinx_theme

    upstream = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/components" / name
    assert upstream.exists(), f"pydata-sphinx-theme {version('pydata-sphinx-theme')} has no component {name}"
    digest = hashlib.sha256(upstream.read_bytes()).hexdigest()
    assert digest == UPSTREAM["sha256"][name], (
        f"_templates/{name} was copied from pydata-sphinx-theme {UPSTREAM['version']}; the installed "
        f"{version('pydata-sphinx-theme')} changed it: merge the change and update _templates/UPSTREAM.json"
    )
