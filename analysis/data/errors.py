"""The report's own exception types."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Violation", "ReportDataError", "UnknownIdError"]


@dataclass(frozen=True)
class Violation:
    """One problem found in the data: ``file`` (relative to the root), its 1-based ``line`` (the header is 1) and ``column``,
    each None when it is not in one, and the ``message``, saying what is wrong and what was expected."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        line, column = f", line {self.line}" if self.line is not None else "", f", column '{self.column}'" if self.column is not None else ""
        return f"{self.file}{line}{column}: {self.message}"


class ReportDataError(Exception):
    """The curated data or the source failed validation: ``violations`` lists every problem, in file and line order."""

    def __init__(self, violations: list[Violation]):
        self.violations = sorted(violations, key=lambda v: (v.file, v.line or 0, v.column or "", v.message))
        n = len(self.violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the report's data:\n{lines}")


class UnknownIdError(KeyError):
    """An identifier asked for does not exist in the named table."""

    def __init__(self, table: str, key: str, known: list[str]):
        self.table, self.key = table, key
        hint = ", ".join(sorted(known)[:8]) + (" ..." if len(known) > 8 else "")
        super().__init__(f"unknown id {key!r} in table '{table}' (known ids include: {hint})")

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])
