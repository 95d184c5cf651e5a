"""Write the "How to cite" box (``chapters/_cite.md``) from ``CITATION.cff``.

    .venv/bin/python tools/cite.py          rewrite chapters/_cite.md
    .venv/bin/python tools/cite.py --check  exit 1 if chapters/_cite.md is not what CITATION.cff gives

The front page and the reuse appendix include the box; ``tests/test_reuse.py`` checks that it
agrees with ``CITATION.cff``, so the edition, date and address are typed in one place only.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CFF = ROOT / "CITATION.cff"
BOX = ROOT / "chapters" / "_cite.md"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def load_citation(path: Path = CFF) -> dict:
    """The preferred citation of ``CITATION.cff``, with the edition and release date of the whole."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    ref = dict(cff.get("preferred-citation", cff))
    ref.setdefault("edition", cff["version"])
    ref["date"] = dt.date.fromisoformat(str(ref.get("date-published", cff["date-released"])))
    return ref


def _authors(ref: dict) -> list[str]:
    return [a["name"] if "name" in a else f"{a['given-names']} {a['family-names']}" for a in ref["authors"]]


def bibtex(ref: dict) -> str:
    """A BibTeX entry for the citation (``@techreport``; an entity author is braced whole)."""
    names = " and ".join("{" + n + "}" if " " in n and "," not in n else n for n in _authors(ref))
    key = "".join(w for w in ref["title"].lower().split()[:2] if w.isalpha()) + str(ref["date"].year)
    fields = {
        "author": "{" + names + "}",
        "title": "{" + ref["title"] + "}",
        "type": "{Reproducible analytical report}",
        "institution": "{" + names + "}",
        "year": "{" + str(ref["date"].year) + "}",
        "month": MONTHS[ref["date"].month - 1],
        "edition": "{" + ref["edition"] + "}",
        "url": "{" + ref["url"] + "}",
        "note": "{Edition " + ref["edition"] + ", " + f"{ref['date'].day} {ref['date']:%B %Y}" + "}",
    }
    body = ",\n".join(f"  {k} = {v}" for k, v in fields.items())
    return f"@techreport{{{key},\n{body}\n}}"


def render(ref: dict) -> str:
    """The MyST text of the "How to cite" admonition."""
    authors = ", ".join(_authors(ref))
    date = f"{ref['date'].day} {ref['date']:%B %Y}"
    return f"""% Generated from CITATION.cff by tools/cite.py; do not edit by hand.
::::{{admonition}} How to cite this report
:class: tip report-cite

{authors} ({ref["date"].year}). *{ref["title"]}*. Edition {ref["edition"]}, {date}. <{ref["url"]}>

```bibtex
{bibtex(ref)}
```

Every page has a stable address under <{ref["url"]}>: the address in your browser's bar, which is also the page's canonical link. Cite a chapter by that address and this edition. Text, figures and data: CC BY 4.0; code: MIT; the source article is not ours (see {{doc}}`the reuse appendix <reuse>`).
::::
"""


def main(argv: list[str]) -> int:
    text = render(load_citation())
    if "--check" in argv:
        if BOX.read_text(encoding="utf-8") != text:
            print(f"{BOX.relative_to(ROOT)} does not match CITATION.cff: run python tools/cite.py", file=sys.stderr)
            return 1
        return 0
    BOX.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
