"""The inference register: every place the book goes beyond the text, checked and listed.

Each row of ``inferences.csv`` is boxed once in the book by the ``{inference}``
directive (``_ext/registers.py``); this module checks what the rows rest on and
builds the list the findings chapter shows.
"""

from __future__ import annotations

__all__ = ["box_anchor", "page_link"]


def box_anchor(inference_id: str) -> str:
    """The HTML id of an inference's box (``inference-i03``)."""
    return f"inference-{inference_id.lower()}"


def page_link(chapter: str, inference_id: str, from_chapters: bool = True) -> str:
    """A relative link to an inference's box, from a page in ``chapters/`` by default."""
    page = chapter.split("/", 1)[1] if from_chapters and chapter.startswith("chapters/") else chapter
    return f"{page}.html#{box_anchor(inference_id)}"
