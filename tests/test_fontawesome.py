"""Unit tests of the Font Awesome subsetting used by the build (_ext/fontawesome_subset.py)."""

import sys

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import fontawesome_subset as fa  # noqa: E402

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
    assert fa.used_icons(pages) == {("fab", "github"), ("fas", "sun"), ("fas", "fa-lg"[3:]), ("fas", "file-pdf")}


def test_subset_keeps_only_used_icons():
    script = fa.subset_script(BUNDLE, {("fas", "sun"), ("fab", "github"), ("fas", "nonexistent")})
    assert script.startswith(fa.MARKER)
    assert '"fas":{"sun":[500,500,"M4 4z"]}' in script and '"github"' in script
    assert "magnifying-glass" not in script and "file-pdf" not in script


def test_replace_bundle_once(tmp_path):
    scripts = tmp_path / "_static/scripts"
    scripts.mkdir(parents=True)
    (scripts / "fontawesome.js").write_text(BUNDLE)
    (scripts / "fontawesome.js.map").write_text("{}")
    (tmp_path / "page.html").write_text('<i class="fa-solid fa-sun"></i>')
    old, new = fa.replace_bundle(tmp_path)
    assert old == len(BUNDLE) and (scripts / "fontawesome.js").read_text().startswith(fa.MARKER)
    assert not (scripts / "fontawesome.js.map").exists()
    assert fa.replace_bundle(tmp_path) is None  # already replaced
