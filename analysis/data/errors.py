"""The report's own exception types."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Violation", "ReportDataError", "UnknownIdError"]


@dataclass(frozen=True)
class Violation:
    """One problem found in the data, with the place a person must look.

    Attributes
    ----------
    file : str
        Path of the file, relative to the repository root (``data/claims.csv``).
    line : int or None
        1-based line of the file (the header is line 1), or None for the whole file.
    column : str or None
        Column name, or None when the problem is not in one column.
    message : str
        What is wrong and, where it helps, what was expected.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        line, column = f", line {self.line}" if self.line is not None else "", f", column '{self.column}'" if self.column is not None else ""
        return f"{self.file}{line}{column}: {self.message}"


class ReportDataError(Exception):
    """The curated data or the source failed validation; lists every violation found.

    Parameters
    ----------
    violations : list of Violation
        Every problem found, in file and line order.
    """

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
