"""What a class answered: the projector's tally for a step, the debrief after the reveal, a student's own path,
and the anonymous CSV of every answer. Pure functions over the stored answers and the engine's steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from checker import teaching
from checker.live.classroom import Answer
from checker.model import Case, KnowledgeBase
from checker.notice import DISCLAIMER
from checker.text import csv_text


def latest(answers: Iterable[Answer]) -> dict[tuple[int, int], Answer]:
    """Each student's last answer at each step, keyed by (student number, step)."""
    out: dict[tuple[int, int], Answer] = {}
    for item in answers:
        out[(item.student, item.step)] = item
    return out


@dataclass(frozen=True)
class Tally:
    """One step's class picture: how many answered, their leading answers, and how many had the answer."""

    step: int
    answered: int
    leads: tuple[tuple[str, int], ...]
    """Leading answers with their counts, most common first (ties by the choice id, so the order is stable)."""
    in_top3: tuple[tuple[str, int], ...]
    """How many students had each choice anywhere in their three."""
    right_first: int
    right_top3: int


def tally(answers: Iterable[Answer], step: int, expected: Sequence[str]) -> Tally:
    """The latest answer of each student at `step`, counted."""
    final = [a for (_, s), a in latest(answers).items() if s == step]
    leads = Counter(a.lead for a in final)
    anywhere = Counter(c for a in final for c in (a.lead, *a.others))
    right_first = sum(a.lead in expected for a in final)
    right_top3 = sum(any(c in expected for c in (a.lead, *a.others)) for a in final)
    order = lambda counter: tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
    return Tally(step, len(final), order(leads), order(anywhere), right_first, right_top3)


def engine_rank(case: Case, step: teaching.StepResult) -> int | None:
    """Where the engine puts the case's answer at a step: among NET types, or among the listed look-alikes."""
    if case.kind == "net":
        return step.position(case.expected[0])
    listed = [m.mimic.id for m in step.result.mimics]
    return listed.index(case.expected[0]) + 1 if case.expected[0] in listed else None


@dataclass(frozen=True)
class StepDebrief:
    step: int
    finding: str
    """The finding revealed at this step ('' at step 0, the story alone)."""
    answered: int
    right_first: int
    right_top3: int
    engine_rank: int | None


@dataclass(frozen=True)
class MindChange:
    """The step at which the most students changed their leading answer."""

    step: int
    finding: str
    changed: int
    of: int
    """Students who answered both this step and the one before."""


@dataclass(frozen=True)
class Debrief:
    steps: tuple[StepDebrief, ...]
    wrong: tuple[tuple[str, int], ...]
    """The most common wrong leading answers at the last step anyone answered (at most five)."""
    mind_change: MindChange | None
    class_right_from: int | None
    """The first step from which the right answer was the class's most common leading answer (alone, not tied),
    through to the last step anyone answered."""


def finding_at(kb: KnowledgeBase, case: Case, step: int) -> str:
    return kb.symptoms[case.findings[step - 1]].label if 1 <= step <= len(case.findings) else ""


def debrief(kb: KnowledgeBase, case: Case, answers: Sequence[Answer], step_results: Sequence[teaching.StepResult]) -> Debrief:
    """The whole class against the answer and the engine, step by step."""
    last = latest(answers)
    rows = []
    tallies = []
    for k in range(len(case.findings) + 1):
        t = tally(answers, k, case.expected)
        tallies.append(t)
        rows.append(
            StepDebrief(k, finding_at(kb, case, k), t.answered, t.right_first, t.right_top3, engine_rank(case, step_results[k]))
        )
    answered_steps = [t for t in tallies if t.answered]
    wrong: tuple[tuple[str, int], ...] = ()
    if answered_steps:
        wrong = tuple((c, n) for c, n in answered_steps[-1].leads if c not in case.expected)[:5]
    best: MindChange | None = None
    for k in range(1, len(case.findings) + 1):
        pairs = [(last[(s, k - 1)], a) for (s, step), a in last.items() if step == k and (s, k - 1) in last]
        changed = sum(before.lead != after.lead for before, after in pairs)
        if changed and (best is None or changed > best.changed):
            best = MindChange(k, finding_at(kb, case, k), changed, len(pairs))
    right_from = None
    for t in reversed(answered_steps):
        leads = t.leads
        if leads[0][0] not in case.expected or (len(leads) > 1 and leads[1][1] == leads[0][1]):
            break  # a tie with a wrong answer is not the class agreeing on the right one
        right_from = t.step
    return Debrief(tuple(rows), wrong, best, right_from)


@dataclass(frozen=True)
class PathStep:
    """A student's own answer at one step, against the answer and the engine."""

    step: int
    finding: str
    lead: str | None
    others: tuple[str, ...]
    right_first: bool
    right_top3: bool
    engine_rank: int | None


def path(kb: KnowledgeBase, case: Case, mine: dict[int, Answer], step_results: Sequence[teaching.StepResult]) -> list[PathStep]:
    out = []
    for k in range(len(case.findings) + 1):
        answer = mine.get(k)
        picks = (answer.lead, *answer.others) if answer else ()
        out.append(
            PathStep(
                k,
                finding_at(kb, case, k),
                answer.lead if answer else None,
                answer.others if answer else (),
                bool(answer and answer.lead in case.expected),
                any(p in case.expected for p in picks),
                engine_rank(case, step_results[k]),
            )
        )
    return out


def share(part: int, whole: int) -> str:
    """'12 of 30 (40%)': counts first, so a small class is not hidden behind a percentage."""
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else "nobody answered"


CSV_HEADER = [
    "step",
    "finding_revealed",
    "student",
    "first_choice",
    "second_choice",
    "third_choice",
    "first_choice_right",
    "seconds_after_start",
    "answered_at_utc",
    "final_for_step",
]


def answers_csv(kb: KnowledgeBase, case: Case, answers: Sequence[Answer], started_at: float) -> str:
    """Every answer sent, oldest first: anonymous student numbers only, formula-safe cells, the notice on top."""
    last = latest(answers)
    rows: list[Sequence[object]] = [["# notice", DISCLAIMER], ["# case", case.title], CSV_HEADER]
    for item in answers:
        others = [teaching.choice_label(kb, o) for o in item.others] + ["", ""]
        when = datetime.fromtimestamp(item.at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(
            [
                item.step,
                finding_at(kb, case, item.step),
                item.student,
                teaching.choice_label(kb, item.lead),
                others[0],
                others[1],
                "yes" if item.lead in case.expected else "no",
                f"{item.at - started_at:.1f}",
                when,
                "yes" if last[(item.student, item.step)] is item else "no",
            ]
        )
    return csv_text(rows, lineterminator="\n")
