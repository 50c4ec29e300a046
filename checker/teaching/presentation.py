"""The presentation page's logic: a case's ranking after each revealed finding, and the leading types' trajectory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from checker.model import Case, KnowledgeBase
from checker.scoring import Result, rank
from checker.teaching.cases import case_query


@dataclass(frozen=True)
class TypeScore:
    """One tumor type's place in a ranking."""

    type_id: str
    name: str
    score: float
    strength: str


@dataclass(frozen=True)
class StepResult:
    """The ranking after `step` findings of a case are revealed.

    Step 0 reveals no finding: only what the story tells from the start (hormone status, a hereditary
    syndrome, ruled-out findings). Step k (1..len(findings)) adds the case's first k findings.
    """

    step: int
    revealed: tuple[str, ...]
    new_finding: str | None
    result: Result

    def top(self, n: int = 5) -> tuple[TypeScore, ...]:
        """The n leading types at this step, best first."""
        return tuple(TypeScore(c.type.id, c.type.name, c.score, c.strength) for c in self.result.candidates[:n])

    def position(self, type_id: str) -> int:
        """1-based rank of a type at this step."""
        return [c.type.id for c in self.result.candidates].index(type_id) + 1


def steps(kb: KnowledgeBase, case: Case) -> list[StepResult]:
    """Rankings for steps 0..len(case.findings); the last equals rank() on all of the case's findings."""
    out = []
    for k in range(len(case.findings) + 1):
        out.append(
            StepResult(
                step=k,
                revealed=case.findings[:k],
                new_finding=case.findings[k - 1] if k else None,
                result=rank(kb, case_query(case, k)),
            )
        )
    return out


def leading_types(step_results: Sequence[StepResult], top: int = 3, limit: int = 6) -> list[str]:
    """Type ids that reach the top `top` at any step (at most `limit`), ordered by their rank at the last step."""
    if not step_results:
        return []
    seen: set[str] = set()
    for item in step_results[1:] or step_results:
        seen.update(t.type_id for t in item.top(top))
    last = step_results[-1]
    return sorted(seen, key=last.position)[:limit]


def trajectory_frame(
    kb: KnowledgeBase,
    step_results: Sequence[StepResult],
    upto: int | None = None,
    top: int = 3,
    limit: int = 6,
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Scores of the leading types (columns, by name) at each step (rows, index 'step'), up to step `upto`.

    The leading types are `ids` when given (the list beside the chart), else chosen from the steps shown; either
    way the chart never hints at later findings.
    """
    shown = list(step_results[: (upto + 1) if upto is not None else None])
    ids = list(ids) if ids is not None else leading_types(shown, top=top, limit=limit)
    rows = []
    for item in shown:
        scores = {c.type.id: c.score for c in item.result.candidates}
        rows.append({kb.types[t].name: scores[t] for t in ids})
    frame = pd.DataFrame(rows, index=pd.Index([s.step for s in shown], name="step"))
    return frame
