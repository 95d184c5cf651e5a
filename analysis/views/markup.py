"""Text from the data, made safe to show as Markdown: nothing in it becomes markup.

Chapters that write Markdown from data (headings, descriptions) pass every data string
through :func:`escape_markdown`, so that HTML (``<script>``, ``<img onerror>``), MyST roles
and directives (``{glue:text}``), links, emphasis and block syntax show as the literal
characters they are.
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote

__all__ = ["escape_markdown", "download_link", "DOWNLOADS"]

#: Where the site offers the data package's files, relative to every chapter page
#: (written by the book's ``_ext/downloads.py``).
DOWNLOADS = "../downloads/"

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(text: object) -> str:
    """Markdown (CommonMark or MyST) that renders as ``text``, character for character.

    Every ASCII punctuation character is backslash-escaped, which CommonMark defines
    as a literal, and runs of white space, line breaks included, become one space,
    so the text cannot open a block (a heading, list, code block or directive).
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def download_link(path: str, label: str | None = None) -> str:
    """An HTML link to a file of the data package on the site (``data/claims.csv``)."""
    href = html.escape(DOWNLOADS + "/".join(quote(part) for part in path.split("/")), quote=True)
    return f'<a class="report-download" href="{href}" download>{html.escape(label if label is not None else path.rsplit("/", 1)[-1])}</a>'
