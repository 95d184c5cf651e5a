"""Unit tests of the Font Awesome subsetting used by the build (_ext/fontawesome_subset.py)."""

import sys
from pathlib import Path

import pytest

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import fontawesome_subset as fa

BUNDLE = (
    'var p={github:[496,512,[],"f09b","M1 1z"]};d("fab",p);'
    'var q={"magnifying-glass":[512,512,[128269,"search"],"f002","M2 2z"],sun:[512,512,[],"f185","M3 3z"]};d("far",q);'
    'var r={sun:[500,500,[],"f185","M4 4z"],"file-pdf":[384,512,[],"f1c1","M5 5z"]};d("fas",r);'
)


def test_icon_definitions_by_pack():
    defs = fa.icon_definitions(BUNDLE)
    assert defs["fab"] == {"github": [496, 512, "M1 1z"]}
    assert defs["far"]["sun"] == [512, 512, "M3 3z"]
    assert defs["fas"]["sun"] == [500, 500, "M4 4z"]


def test_used_icons_reads_style_and_name():
    pages = ['<i class="fa-brands fa-github"></i><i class="fa-solid fa-sun fa-lg" data-mode="light"></i>', '<i class="fas fa-file-pdf">']
    assert fa.used_icons(pages) == {("fab", "github"), ("fas", "sun"), ("fas", "file-pdf")}  # fa-lg is a size, not an icon


def test_subset_keeps_only_used_icons():
    script = fa.subset_script(BUNDLE, {("fas", "sun"), ("fab", "github")}, min_icons=1)
    assert script.startswith(fa.MARKER)
    assert '"fas":{"sun":[500,500,"M4 4z"]}' in script and '"github"' in script
    assert "magnifying-glass" not in script and "file-pdf" not in script


def test_replace_bundle_once(tmp_path):
    scripts = tmp_path / "_static/scripts"
    scripts.mkdir(parents=True)
    (scripts / "fontawesome.js").write_text(BUNDLE)
    (scripts / "fontawesome.js.map").write_text("{}")
    (tmp_path / "page.html").write_text('<i class="fa-solid fa-sun"></i>')
    old, new = fa.replace_bundle(tmp_path, min_icons=1)
    assert old == len(BUNDLE) and (scripts / "fontawesome.js").read_text().startswith(fa.MARKER)
    assert not (scripts / "fontawesome.js.map").exists()
    assert fa.replace_bundle(tmp_path, min_icons=1) is None  # already replaced


def test_an_unknown_bundle_format_stops_the_build():
    with pytest.raises(fa.IconSubsetError, match="format is not the one"):
        fa.subset_script("import{library}from'@fortawesome/svg-core';", {("fas", "sun")})
    with pytest.raises(fa.IconSubsetError, match="yields 5 icon definitions"):
        fa.subset_script(BUNDLE, {("fas", "sun")})  # the real bundle has about 2,000


def test_an_icon_the_pages_use_but_the_bundle_lacks_stops_the_build():
    with pytest.raises(fa.IconSubsetError, match="fas nonexistent"):
        fa.subset_script(BUNDLE, {("fas", "sun"), ("fas", "nonexistent")}, min_icons=1)


def test_a_missing_bundle_stops_the_build(tmp_path):
    with pytest.raises(fa.IconSubsetError, match="no icon bundle"):
        fa.replace_bundle(tmp_path)


def test_the_installed_themes_bundle_is_in_the_known_format():
    import pydata_sphinx_theme

    bundle = (Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/scripts/fontawesome.js").read_text(encoding="utf-8")
    defs = fa.icon_definitions(bundle)
    assert sum(map(len, defs.values())) >= fa.MIN_BUNDLE_ICONS
    used = {
        ("fab", "github"),
        ("fas", "magnifying-glass"),
        ("fas", "sun"),
        ("fas", "moon"),
        ("fas", "circle-half-stroke"),
        ("fas", "download"),
        ("fas", "file-pdf"),
    }
    assert fa.subset_script(bundle, used).startswith(fa.MARKER)
