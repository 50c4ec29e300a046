"""The checker's errors (one base class) and the problem lines a broken table lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ROOT_FIELDS = frozenset({"folder", "file", "yaml", "header"})
"""Problems that stop a whole file from being read; they are listed first, since they cause many others."""
MAX_PROBLEMS = 200
"""At most this many problems are kept (and shown); the rest are only counted."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a table, printed like a compiler message."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    @property
    def is_root(self) -> bool:
        """True for a file that could not be read or parsed at all."""
        return self.field in ROOT_FIELDS


class ProblemList(list):
    """A list of Problems that keeps the first ``limit`` and counts the rest, so a hostile table of a million
    bad rows costs a counter, not a million objects. A root problem (a file that cannot be read) is kept even past
    the limit, since it explains the others. ``len()`` is the total found (kept or not)."""

    def __init__(self, items: Iterable[Problem] = (), limit: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.limit = limit
        self.total = 0
        for item in items:
            self.append(item)

    def append(self, item: Problem) -> None:
        self.total += 1
        kept = super().__len__()
        if kept < self.limit or (item.is_root and kept < 2 * self.limit):
            super().append(item)

    def extend(self, items: Iterable[Problem]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0


def _order(problem: Problem) -> tuple[bool, str, int, str, str]:
    return (not problem.is_root, problem.file, problem.line, problem.field, problem.message)


class CheckerError(Exception):
    """The base of every error the checker raises on purpose (bad tables, bad queries)."""


class TableError(CheckerError):
    """Raised once by the loader with every problem it found (root causes first, at most MAX_PROBLEMS kept)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        kept = list(problems)
        self.total = max(len(problems) if isinstance(problems, ProblemList) else len(kept), len(kept))
        self.problems = sorted(kept, key=_order)[:MAX_PROBLEMS]
        super().__init__(str(self))

    @property
    def more(self) -> int:
        """How many problems were found beyond those listed."""
        return self.total - len(self.problems)

    def lines(self, limit: int | None = None) -> list[str]:
        """The problems as text lines, the first ``limit`` of them, then one line counting the rest."""
        shown = self.problems if limit is None else self.problems[:limit]
        rest = self.total - len(shown)
        tail = [f"... and {rest} more problem{'s' if rest != 1 else ''} (fix the ones above first)"] if rest else []
        return [str(p) for p in shown] + tail

    def __str__(self) -> str:
        count = self.total
        head = f"{count} problem{'s' if count != 1 else ''} in the rule tables:"
        return "\n".join([head, *self.lines()])


class QueryError(CheckerError, ValueError):
    """A query named an id the knowledge base does not have."""
