"""Build checks of the report's structure (a local Sphinx extension).

1. **No orphan chapters.** Every notebook or Markdown file in ``chapters/`` (files whose
   names start with ``_`` excepted) must be listed in ``_toc.yml``. With
   ``only_build_toc_files: true`` a file left out of the table of contents silently
   disappears from the site; here it raises a build warning instead, so the strict build
   (``-W``) fails and says which file is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

CHAPTERS = "chapters"
SUFFIXES = (".ipynb", ".md")


def toc_documents(toc: Any) -> set[str]:
    """Every document a jupyter-book ``_toc.yml`` names (``root`` and each ``file``), without suffix."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("root", "file") and isinstance(value, str):
                    found.add(str(Path(value).with_suffix("")) if Path(value).suffix in SUFFIXES else value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def orphan_chapters(srcdir: Path, toc: Any) -> list[str]:
    """Files of ``chapters/`` (relative paths) that the table of contents does not list."""
    listed = toc_documents(toc)
    folder = srcdir / CHAPTERS
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(srcdir).as_posix()
        for p in folder.rglob("*")
        if p.suffix in SUFFIXES
        and p.is_file()
        and not p.name.startswith("_")
        and ".ipynb_checkpoints" not in p.parts
        and p.relative_to(srcdir).with_suffix("").as_posix() not in listed
    )


def _toc_path(app: Sphinx) -> Path:
    configured = getattr(app.config, "external_toc_path", None) or "_toc.yml"
    path = Path(configured)
    return path if path.is_absolute() else Path(app.srcdir) / path


def _check_orphans(app: Sphinx) -> None:
    path = _toc_path(app)
    try:
        toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        logger.warning(f"[report] cannot read the table of contents {path.name}: {exc}", type="report", subtype="toc")
        return
    for orphan in orphan_chapters(Path(app.srcdir), toc):
        logger.warning(
            f"[report] {orphan} is not in {path.name}: add it to the table of contents, or rename it to start with '_' if it is not a page",
            type="report",
            subtype="orphan",
        )


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _check_orphans)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
