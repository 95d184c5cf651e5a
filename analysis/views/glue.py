"""Glue values into a chapter's outputs for myst-nb, without myst-nb's import cost.

``myst_nb.glue`` imports nbformat, whose JSON-schema validator compiles the grammars of
``rfc3987-syntax`` on import: 3.1 s measured here, paid by every chapter on its first
``glue`` call. This function writes the identical output (the same mime bundle, prefix
and ``scrapbook`` metadata; a test compares the two) with IPython alone.
"""

from __future__ import annotations

from typing import Any

from IPython.core.formatters import format_display_data
from IPython.display import display as ipy_display

__all__ = ["glue", "GLUE_PREFIX"]

#: The mime-type prefix myst-nb reads glued values from (``myst_nb.ext.glue.GLUE_PREFIX``).
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: Any, display: bool = False) -> None:
    """Store ``value``'s display form under ``name`` for ``{glue:text}`` and friends.

    Parameters
    ----------
    name : str
        The key the book's text refers to.
    value : object
        What to glue; its rich display forms are stored.
    display : bool, default False
        Also show the value in the cell output (myst-nb's default is True; the
        report glues numbers for prose, so it shows nothing by default).
    """
    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
