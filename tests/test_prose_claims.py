"""No data-dependent word outside the statement register: every qualifier or count in the chapters' prose is generated.

A word such as "none", "only", "most" or "first", or a number, is true or false by the data. In a
chapter's prose it must come from the data: inside ``{eval}`` (a concept's value or a registered
statement). Every other occurrence fails this test, unless ``tests/prose_allowlist.csv`` lists it
with the reason it does not depend on the data (a rule of the method, a quotation's own words).
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from bookutil import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
ALLOWLIST = ROOT / "tests" / "prose_allowlist.csv"
#: Appendices whose prose is rule text or reference matter, not findings (the issue's "appendices' rule text aside").
APPENDICES = {"dictionary", "glossary", "facts"}

QUALIFIERS = (
    "none|no|not one|nothing|nobody|never|all|every|each|both|neither|only|sole|most|mostly|almost|majority|minority|"
    "first|last|more|fewer|less|least|rare|rarely|seldom|often|usually|always|many|few|several|some|"
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|half|twice|once|single"
)
WORD = re.compile(rf"\b({QUALIFIERS})\b", re.I)
NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*(?![\w])")


def prose(text: str) -> str:
    """The words a reader reads, without what is generated or is not prose (roles, links' targets, code, labels, directive options)."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S) if "```{note}" not in text and "```{caution}" not in text else re.sub(r"^```.*$", " ", text, flags=re.M)
    text = re.sub(r"\{eval\}`[^`]*`", " ", text)
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " ", text)  # cite, numref, ref, doc roles
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"^\(.*\)=\s*$", " ", text, flags=re.M)  # labels
    text = re.sub(r"^:[a-z-]+:.*$", " ", text, flags=re.M)  # directive options
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def allowed() -> set[tuple[str, str]]:
    with ALLOWLIST.open(encoding="utf-8", newline="") as handle:
        return {(row["chapter"], row["phrase"]) for row in csv.DictReader(handle)}


def findings(path) -> list[tuple[str, str]]:
    """``(word, the sentence it stands in)`` for every qualifier or number outside ``{eval}`` in the chapter's prose."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        text = prose("".join(cell["source"]))
        text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.M)  # numbered-list markers
        for sentence in re.split(r"(?<=[.;:!?])\s+|\n+", text):
            for match in [*WORD.finditer(sentence), *NUMBER.finditer(sentence)]:
                out.append((match.group(0), " ".join(sentence.split())))
    return out


@pytest.mark.parametrize("path", [p for p in CHAPTERS if p.stem not in APPENDICES], ids=lambda p: p.stem)
def test_every_qualifier_or_count_in_prose_is_generated_or_allowed(path):
    ok = allowed()
    chapter = f"chapters/{path.stem}"
    stray = [(word, sentence) for word, sentence in findings(path) if not any(c == chapter and phrase in sentence for c, phrase in ok)]
    assert not stray, (
        f"{chapter}: words the data could make false, typed by hand (generate them with a statement, or allow them in {ALLOWLIST.name} with the reason):\n"
        + "\n".join(f"  {word!r} in: {sentence}" for word, sentence in stray)
    )


def test_every_allowlisted_phrase_is_still_in_its_chapter():
    for chapter, phrase in allowed():
        path = ROOT / f"{chapter}.ipynb"
        text = " ".join(prose("".join(c["source"])) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
        assert phrase in " ".join(text.split()), f"{chapter}: the allowed phrase {phrase!r} is no longer in the chapter; remove it from {ALLOWLIST.name}"
