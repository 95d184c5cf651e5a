"""The bibliography and the numbering are skipped only when nothing they read changed (_ext/unchanged_steps.py).

A four-page Sphinx project with citations and numbered tables is built again and again in
one folder; after each build the pages are compared with a fresh build of the same sources.
"""

from __future__ import annotations

import io
import shutil
import sys

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

BIB = """@misc{alpha, title = {{Alpha report}}, author = {A. Author}, year = {2018}}
@misc{beta, title = {{Beta report}}, author = {B. Author}, year = {2019}}
@misc{gamma, title = {{Gamma report}}, author = {C. Author}, year = {2020}}
"""
TABLE = "```{{list-table}} {caption}\n:name: {name}\n\n* - a\n```\n"


def _project(src) -> None:
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinxcontrib.bibtex', 'unchanged_steps']\n"
        "bibtex_bibfiles = ['refs.bib']\nbibtex_default_style = 'unsrt'\nbibtex_reference_style = 'label'\nnumfig = True\n"
    )
    (src / "refs.bib").write_text(BIB)
    (src / "index.md").write_text("# Tiny\n\n```{toctree}\none\ntwo\nrefs\n```\n")
    (src / "one.md").write_text("# One\n\nAs {cite:p}`beta` says.\n\n" + TABLE.format(caption="First", name="t-first") + "\nSee {numref}`t-second`.\n")
    (src / "two.md").write_text("# Two\n\nNothing cited here.\n\n" + TABLE.format(caption="Second", name="t-second"))
    (src / "refs.md").write_text("# References\n\n```{bibliography}\n```\n")


def _build(src, fresh: bool = False) -> str:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    status = io.StringIO()
    warnings = io.StringIO()
    with patch_docutils(src), docutils_namespace():  # as sphinx-build does: one app's registrations do not leak into the next
        app = Sphinx(src, src, src / "_build/html", src / "_build/doctrees", "html", status=status, warning=warnings, freshenv=fresh)
        app.build()
    # (another test's Sphinx app in this process may have left its registrations: Sphinx says so, harmlessly)
    problems = [line for line in warnings.getvalue().splitlines() if line.strip() and "is already registered" not in line]
    assert problems == [], problems
    return status.getvalue()


def _pages(src) -> dict[str, str]:
    return {name: (src / f"_build/html/{name}.html").read_text(encoding="utf-8") for name in ("one", "two", "refs")}


def _same_as_fresh(src, tmp_path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(src, fresh, ignore=shutil.ignore_patterns("_build"))
    _build(fresh, fresh=True)
    assert _pages(src) == _pages(fresh)


def test_steps_are_skipped_only_when_their_inputs_are_unchanged(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _project(src)
    log = _build(src)
    assert "unchanged" not in log and "Beta report" in _pages(src)["refs"]

    log = _build(src)  # nothing changed: both skipped
    assert "[report] bibliography unchanged" in log and "[report] numbering unchanged" in log
    _same_as_fresh(src, tmp_path)

    # a page read again with the same citations: numbering redone, bibliography kept, its citation still resolves
    (src / "one.md").write_text((src / "one.md").read_text() + "\nMore prose.\n")
    log = _build(src)
    assert "[report] bibliography unchanged" in log and "numbering unchanged" not in log
    assert "More prose." in _pages(src)["one"]
    _same_as_fresh(src, tmp_path)

    # a new citation, a new table: both redone
    (src / "two.md").write_text(
        "# Two\n\nNow {cite:p}`alpha` is cited.\n\n" + TABLE.format(caption="Extra", name="t-extra") + "\n" + TABLE.format(caption="Second", name="t-second")
    )
    log = _build(src)
    assert "unchanged" not in log
    assert "Alpha report" in _pages(src)["refs"] and "Table 3" in _pages(src)["two"]
    _same_as_fresh(src, tmp_path)

    # the bib file changed: the bibliography is formatted again
    (src / "refs.bib").write_text(BIB.replace("Beta report", "Beta paper"))
    log = _build(src)
    assert "bibliography unchanged" not in log and "Beta paper" in _pages(src)["refs"]
    _same_as_fresh(src, tmp_path)


def test_a_listener_that_moved_is_reported(tmp_path):
    import unchanged_steps

    class App:
        extensions = {"sphinxcontrib.bibtex": object()}

        class events:
            listeners: dict = {"env-updated": [], "env-get-updated": []}

    warned = []
    original = unchanged_steps.logger.warning
    unchanged_steps.logger.warning = warned.append
    try:
        unchanged_steps._wrap_listeners(App(), None)
    finally:
        unchanged_steps.logger.warning = original
    assert warned and "bibliography and numbering" in warned[0]
