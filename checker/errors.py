"""The checker's errors (one base class) and the problem lines a broken table lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a table, printed like a compiler message."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CheckerError(Exception):
    """The base of every error the checker raises on purpose (bad tables, bad queries)."""


class TableError(CheckerError):
    """Raised once by the loader with every problem it found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the rule tables:"
        return "\n".join([head, *(str(p) for p in self.problems)])


class QueryError(CheckerError, ValueError):
    """A query named an id the knowledge base does not have."""
