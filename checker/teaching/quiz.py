"""Quiz grading: answer choices, the verdict on a guess and its differential, and what each finding points to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checker.model import Case, KnowledgeBase, SourceNote
from checker.report import note_text
from checker.scoring import Query, rank
from checker.teaching.cases import case_query

POINTS_CORRECT = 2
POINTS_IN_DIFFERENTIAL = 1
MAX_DIFFERENTIAL = 3


@dataclass(frozen=True)
class Support:
    """How much one finding, on its own, supports one type, and why."""

    type_id: str
    name: str
    frequency: str
    points: float
    sources: tuple[str, ...]
    """One line per source note (checker.report.note_text)."""
    notes: tuple[SourceNote, ...] = ()


@dataclass(frozen=True)
class FindingPointer:
    """Where one revealed finding points: the types it supports most and the common conditions sharing it."""

    symptom: str
    label: str
    supports: tuple[Support, ...]
    mimics: tuple[str, ...]


def finding_pointers(
    kb: KnowledgeBase, symptoms: Iterable[str], per_finding: int = 3, sources_per_type: int = 2
) -> tuple[FindingPointer, ...]:
    """For each symptom: the types it supports most on its own (engine points, best first), with sources."""
    out = []
    for symptom_id in symptoms:
        result = rank(kb, Query(present=(symptom_id,)))
        supports = []
        for cand in result.candidates:
            for item in cand.matched:
                if item.symptom == symptom_id and item.points > 0:
                    notes = item.sources[:sources_per_type]
                    supports.append(
                        Support(
                            cand.type.id,
                            cand.type.name,
                            item.frequency or "",
                            item.points,
                            tuple(note_text(kb, n) for n in notes),
                            notes,
                        )
                    )
        supports.sort(key=lambda s: (-s.points, s.name))
        mimics = tuple(m.name for m in kb.mimics.values() if symptom_id in m.shares)
        out.append(FindingPointer(symptom_id, kb.symptoms[symptom_id].label, tuple(supports[:per_finding]), mimics))
    return tuple(out)


@dataclass(frozen=True)
class QuizGrade:
    """The verdict on one quiz answer, with what the engine and the findings say."""

    case_id: str
    guess: str
    differential: tuple[str, ...]
    expected: tuple[str, ...]
    verdict: str
    """'correct' (first guess right), 'in-differential' (answer among the other picks) or 'missed'."""
    points: int
    message: str
    engine_rank: int | None
    """Where the engine ranks the expected type on all findings (None for mimic cases)."""
    pointers: tuple[FindingPointer, ...]

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"


def choice_label(kb: KnowledgeBase, choice_id: str) -> str:
    """Display name for a quiz choice: a tumor type, or a common condition (mimic)."""
    if choice_id in kb.types:
        return kb.types[choice_id].name
    if choice_id in kb.mimics:
        return f"Common condition: {kb.mimics[choice_id].name}"
    return choice_id


def quiz_choices(kb: KnowledgeBase) -> list[str]:
    """Every answer a student can pick: the tumor types (by name), then the common conditions (by name)."""
    types = sorted(kb.types, key=lambda t: kb.types[t].name)
    mimics = sorted(kb.mimics, key=lambda m: kb.mimics[m].name)
    return types + mimics


def grade(kb: KnowledgeBase, case: Case, guess: str, differential: Sequence[str] = ()) -> QuizGrade:
    """Grade a guess (and an optional differential of up to three more picks) against a case."""
    picks = tuple(dict.fromkeys(d for d in differential if d and d != guess))[:MAX_DIFFERENTIAL]
    answer = ", ".join(choice_label(kb, e) for e in case.expected)
    if guess in case.expected:
        verdict, points, message = "correct", POINTS_CORRECT, f"Correct: {answer}."
    elif any(p in case.expected for p in picks):
        verdict, points = "in-differential", POINTS_IN_DIFFERENTIAL
        message = f"Not your first choice, but your differential included the answer: {answer}."
    else:
        verdict, points, message = "missed", 0, f"Not this time. The answer was: {answer}."
    engine_rank = None
    if case.kind == "net":
        result = rank(kb, case_query(case))
        engine_rank = [c.type.id for c in result.candidates].index(case.expected[0]) + 1
    return QuizGrade(
        case.id, guess, picks, case.expected, verdict, points, message, engine_rank, finding_pointers(kb, case.findings)
    )
