"""The pinned environment leaves out what slows every import of jsonschema (see tools/setup.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bookutil import ROOT

LEFT_OUT = ("rfc3987-syntax", "lark")


def test_the_lock_leaves_out_the_iri_grammar_packages():
    names = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()}
    assert not names & set(LEFT_OUT), "requirements.lock pins rfc3987-syntax or lark: drop them (README, Updating the lock)"


def test_importing_jsonschema_compiles_no_grammar():
    code = "import sys, jsonschema; print(sorted(m for m in sys.modules if m.split('.')[0] in ('lark', 'rfc3987_syntax')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"importing jsonschema imported {out}: run bash tools/setup.sh to remove what the lock does not pin"


_STALE = """
import json, os, pathlib
import matplotlib, matplotlib.font_manager as fm
cache = next(pathlib.Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
data = json.loads(cache.read_text())
data["ttflist"] = [f for f in data["ttflist"] if "WenQuanYi" not in f["name"]]
cache.write_text(json.dumps(data))
"""

_DRAW = """
from analysis.views import figures
import pandas as pd
fig = figures.dot_chart(pd.Series({"市委常委 (Standing Committee)": 3, "other": 1}), "items")
fig.savefig("/dev/null", format="svg")
from analysis.views.style import undrawable
print("undrawable:", undrawable("市委常委"))
"""


def test_a_font_cache_written_before_the_cjk_font_was_installed_does_not_break_figures(tmp_path):
    """A matplotlib font cache that does not know WenQuanYi Zen Hei (written before fonts-wqy-zenhei was
    installed) must not make figures warn: the house style registers the installed font itself."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", _STALE], env=env, check=True, capture_output=True)
    stale = subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager as fm; print(any('WenQuanYi' in f.name for f in fm.fontManager.ttflist))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert stale.stdout.strip() == "False", "the simulated cache should not know the CJK font"
    run = subprocess.run([sys.executable, "-c", _DRAW], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "findfont" not in run.stderr and run.stderr.strip() == "", run.stderr
    assert "undrawable: []" in run.stdout


@pytest.mark.build
@pytest.mark.xdist_group("no-apt")
def test_without_apt_the_set_up_and_build_make_the_html_and_say_what_they_skipped(tmp_path):
    """On a machine without apt, Chromium, a CJK font or npm, tools/build.sh still builds the HTML and says, one line each, what it skipped."""
    from bookutil import copy_book, keep_appendices_only

    # a partial book, as tests/test_reuse.py builds: what differs without apt is the set-up and the PDF step, not the chapters
    book = keep_appendices_only(copy_book(tmp_path / "book"))
    # An environment of its own that sees the installed packages (a .pth file) and whose stamp says the
    # lock is installed, so set-up installs nothing into the developer's .venv; apt is what is absent.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3.*/site-packages"))
    real = next((ROOT / ".venv/lib").glob("python3.*/site-packages"))
    (site / "installed.pth").write_text(f"import site; site.addsitedir({str(real)!r})\n", encoding="utf-8")  # its .pth files too
    (venv / "bin/jupyter-book").write_text(f"#!{venv}/bin/python\nimport sys\nfrom jupyter_book.cli.main import main\nsys.exit(main())\n", encoding="utf-8")
    (venv / "bin/jupyter-book").chmod(0o755)
    shutil.copy(book / "requirements.lock", venv / ".installed-lock")
    later = (book / "pyproject.toml").stat().st_mtime + 10
    os.utime(venv / ".installed-lock", (later, later))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    hidden = ("apt", "dpkg", "chromium", "fc-", "npm", "node", "sudo")
    for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
        for tool in Path(folder).iterdir():
            if not tool.name.startswith(hidden) and not (bin_dir / tool.name).exists():
                (bin_dir / tool.name).symlink_to(tool)
    env = {**os.environ, "PATH": str(bin_dir), "VENV": str(venv)}
    run = subprocess.run(["bash", "tools/setup.sh", "--test"], cwd=book, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipped Chromium and the CJK font" in run.stdout and "skipped axe-core" in run.stdout
    run = subprocess.run(["bash", "tools/build.sh"], cwd=book, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert "skipped the PDF" in run.stdout
    assert (book / "_build/html/index.html").is_file() and not (book / "_build/html/report.pdf").exists()
    # and the developer's environment still imports this checkout's analysis
    where = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", "import analysis; print(analysis.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.strip().startswith(str(ROOT)), where.stdout
