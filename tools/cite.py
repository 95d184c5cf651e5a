"""Write the "How to cite" box (``chapters/_cite.md``) and the citation exports (``_extra/citation.bib``,
``_extra/citation.json``, CSL-JSON) from ``CITATION.cff``.

    .venv/bin/python tools/cite.py          rewrite them
    .venv/bin/python tools/cite.py --check  exit 1 if any is not what CITATION.cff gives

The reuse appendix includes the box and the site serves the exports at its root;
``tests/test_reuse.py`` checks that they agree with ``CITATION.cff``, so the edition, date and
address are typed in one place only. Titles keep their capitals: BibTeX's title is braced, and
CSL-JSON protects its words with ``<span class="nocase">``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CFF = ROOT / "CITATION.cff"
BOX = ROOT / "chapters" / "_cite.md"
BIB = ROOT / "_extra" / "citation.bib"
CSL = ROOT / "_extra" / "citation.json"
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
        "title": "{{" + ref["title"] + "}}",  # braced twice: styles keep its capitals (Tianjin, not tianjin)
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


def csl_json(ref: dict) -> str:
    """The citation as CSL-JSON (one item), its title protected from case changes."""
    import json

    item = {
        "id": "dalianlearns" + str(ref["date"].year),
        "type": "report",
        "title": f'<span class="nocase">{ref["title"]}</span>',
        "author": [{"literal": a} for a in _authors(ref)],
        "publisher": ", ".join(_authors(ref)),
        "genre": "Reproducible analytical report",
        "edition": ref["edition"],
        "issued": {"date-parts": [[ref["date"].year, ref["date"].month, ref["date"].day]]},
        "URL": ref["url"],
    }
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


def outputs(ref: dict) -> dict[Path, str]:
    """Every file generated from the citation, with its text."""
    return {BOX: render(ref), BIB: bibtex(ref) + "\n", CSL: csl_json(ref)}


def render(ref: dict) -> str:
    """The MyST text of the "How to cite" admonition."""
    authors = ", ".join(_authors(ref))
    date = f"{ref['date'].day} {ref['date']:%B %Y}"
    return f"""% Generated from CITATION.cff by tools/cite.py; do not edit by hand.
::::{{admonition}} How to cite this report
:class: tip report-cite

{authors} ({ref["date"].year}). *{ref["title"]}*. Edition {ref["edition"]}, {date}. <{ref["url"]}>

Download the citation as <a href="../citation.bib" download>BibTeX</a> or <a href="../citation.json" download>CSL-JSON</a>.

```bibtex
{bibtex(ref)}
```

Every page has a stable address under <{ref["url"]}>: the address in your browser's bar, which is also the page's canonical link. Cite a chapter by that address and this edition. Text, figures and data: CC BY 4.0; code: MIT; the source article is not ours (see {{doc}}`the reuse appendix <reuse>`).
::::
"""


def main(argv: list[str]) -> int:
    stale = []
    for path, text in outputs(load_citation()).items():
        if "--check" in argv:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.relative_to(ROOT).as_posix())
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"{', '.join(stale)} do not match CITATION.cff: run python tools/cite.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
