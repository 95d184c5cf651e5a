"""The statement register: every sentence of the book whose truth depends on the data, checked at build time.

Each row of ``statements.csv`` is one sentence (or clause) of a chapter: its ``text``, in which
``{name}`` stands for a concept's value (:mod:`analysis.queries.concepts`), and an optional
``check``, an assertion over concepts that must hold for the text to be true
(``claims_corroborated == 0``, ``passages_meetings * 2 > passages``; several joined by ``and``). A chapter shows the sentence with
``{eval}`say.ST05```: the check is evaluated and the values filled in when the chapter runs,
so a data edit either changes the words or stops the build with a :class:`StatementError`
that names the chapter, the statement and the values found.

Placeholders: ``{name}`` the value; ``{name:none}`` "none" for 0, else the value
(``{name:None}`` capitalised, ``{name:no}`` "no"); ``{name:s}`` "s" unless the value is 1 (plural nouns);
a concept per entity is written ``name@entity_id``;
``{name:word}`` the number in words up to ten, ``{name:Word}`` the same capitalised to open a sentence ("None" for 0).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..data.errors import ReportDataError, Violation
from ..data.load import Dataset
from .concepts import CONCEPTS, Concepts

__all__ = ["StatementError", "OPERATORS", "parse_check", "placeholders", "fill", "evaluate", "check_register", "rests_on", "check_caveats", "say"]

OPERATORS = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_NAME = r"[a-z_][a-z0-9_]*(?:@[a-z_][a-z0-9_]*)?"
_OPERAND = rf"(?:{_NAME}|-?\d+)(?:\s*\*\s*\d+)?"
_TERM = re.compile(rf"^\s*({_OPERAND})\s*(==|!=|>=|<=|>|<)\s*({_OPERAND})\s*$")
_PLACEHOLDER = re.compile(rf"\{{({_NAME})(?::(none|None|no|s|word|Word))?\}}")
_RULE_VARIABLE = re.compile(r"\b(K\d{3})\b|\b([a-z_]+\.[a-z_]+)\b")
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


class StatementError(ReportDataError):
    """A registered statement that the data no longer support (or that names no concept)."""


def parse_check(check: str) -> list[tuple[str, str, str]]:
    """Split a check into ``(left, operator, right)`` terms joined by ``and``.

    Raises
    ------
    ValueError
        When a term is not ``<concept or integer> <operator> <concept or integer>``.
    """
    terms = []
    for part in re.split(r"\s+and\s+", check.strip()):
        match = _TERM.match(part)
        if not match:
            raise ValueError(
                f"{part!r} is not '<concept or integer> <op> <concept or integer>', each side optionally '* <integer>' (ops: {' '.join(OPERATORS)})"
            )
        terms.append(match.groups())
    return terms


def placeholders(text: str) -> list[str]:
    """The concept names a statement's text fills in."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]


def _operand_name(operand: str) -> str | None:
    head = operand.split("*")[0].strip()
    return None if re.fullmatch(r"-?\d+", head) else head


def _value(operand: str, values: Mapping[str, Any]) -> Any:
    head, _, factor = operand.partition("*")
    head = head.strip()
    base = int(head) if re.fullmatch(r"-?\d+", head) else values[head]
    return base * int(factor) if factor.strip() else base


def _names(row: Mapping[str, Any]) -> set[str]:
    check = row.get("check")
    names = set(placeholders(str(row["text"])))
    if isinstance(check, str) and check.strip():
        names |= {n for term in parse_check(check) for n in (_operand_name(term[0]), _operand_name(term[2])) if n}
    return names


def _format(value: Any, style: str | None) -> str:
    if style in ("none", "None", "no") and value == 0:
        return style
    if style == "s":
        return "" if value == 1 else "s"
    if style == "word" and isinstance(value, int) and 0 <= value < len(_WORDS):
        return _WORDS[value]
    if style == "Word" and isinstance(value, int) and 0 <= value < len(_WORDS):
        return "None" if value == 0 else _WORDS[value].capitalize()
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def fill(text: str, values: Mapping[str, Any]) -> str:
    """The text with each placeholder replaced by its value, formatted as the placeholder asks."""
    return _PLACEHOLDER.sub(lambda m: _format(values[m.group(1)], m.group(2)), text)


def evaluate(row: Mapping[str, Any], concepts: Concepts) -> str:
    """Check one statement against the data and return its text with the values filled in.

    Raises
    ------
    StatementError
        When its check fails, naming the chapter, the statement, the check and every value found.
    """
    values = {name: concepts[name] for name in _names(row)}
    check = row.get("check")
    where = f"{row.get('chapter', '?')}: statement {row['statement_id']}"
    if isinstance(check, str) and check.strip():
        for left, op, right in parse_check(check):
            if not OPERATORS[op](_value(left, values), _value(right, values)):
                found = ", ".join(f"{k} = {v}" for k, v in sorted(values.items()))
                raise StatementError(
                    [Violation("data/statements.csv", int(row.get("line", 0) or 0), "check", f"{where} ({row['text']!r}) needs {check}; the data give {found}")]
                )
    caveat = row.get("caveat")
    text = fill(str(row["text"]), values)
    return f"{text} ({caveat.strip()})" if isinstance(caveat, str) and caveat.strip() else text


def rests_on(row: Mapping[str, Any], codebook: pd.DataFrame) -> set[str]:
    """The coded variables (``table.column``) a statement rests on.

    They are the variables that the rules of its concepts name: a codebook row (``K018``) stands
    for that row's variable, a dictionary field (``peers.purpose``) for itself.
    """
    variables = dict(zip(codebook["code_id"], codebook["variable"], strict=True))
    out: set[str] = set()
    for name in _names(row):
        for code, field in _RULE_VARIABLE.findall(CONCEPTS[name.partition("@")[0]].rule):
            out.add(variables[code] if code else field)
    return out


def check_caveats(statements: pd.DataFrame, codebook: pd.DataFrame, unreliable: Mapping[str, float], file: str = "data/statements.csv") -> list[Violation]:
    """Every statement that rests on an unreliable variable carries a caveat, and no other does.

    ``unreliable`` maps ``table.column`` to its alpha (below the threshold the caller chose). Lines are
    counted from the header, one row a line, as the register is written.
    """
    out: list[Violation] = []
    for line, (_, row) in enumerate(statements.iterrows(), start=2):
        weak = {v: unreliable[v] for v in sorted(rests_on(row, codebook)) if v in unreliable}
        caveat = row.get("caveat")
        has = isinstance(caveat, str) and bool(caveat.strip())
        where = f"{row['chapter']}: statement {row['statement_id']}"
        if weak and not has:
            found = ", ".join(f"{v} alpha = {a:.2f}" for v, a in weak.items())
            out.append(
                Violation(
                    file,
                    line,
                    "caveat",
                    f"{where} rests on a coding two coders did not reproduce ({found}) and carries no caveat: add one, or resolve the disagreement by rule (data/adjudication.csv)",
                )
            )
        elif has and not weak:
            out.append(Violation(file, line, "caveat", f"{where} carries a caveat, but no variable it rests on is below the threshold, or none is measured"))
    return out


def check_register(statements: pd.DataFrame, file: str = "data/statements.csv") -> list[Violation]:
    """Every check parses and every name a statement uses is a defined concept (indexed by file line)."""
    out: list[Violation] = []
    for line, row in statements.iterrows():
        try:
            names = _names(row)
        except ValueError as error:
            out.append(Violation(file, line, "check", str(error)))
            continue
        for name in sorted(n for n in names if n.partition("@")[0] not in CONCEPTS or bool(n.partition("@")[2]) != CONCEPTS[n.partition("@")[0]].per_entity):
            out.append(
                Violation(
                    file,
                    line,
                    "text" if name in placeholders(str(row["text"])) else "check",
                    f"{name!r} is not a concept of analysis.queries.concepts (a concept per entity is written name@entity_id)",
                )
            )
    return out


def say(ds: Dataset, statement_id: str, concepts: Concepts | None = None) -> str:
    """The text of one registered statement, checked (a convenience for tests and scripts)."""
    register = ds.statements.set_index("statement_id", drop=False)
    return evaluate(register.loc[statement_id], concepts or Concepts(ds))
