"""The case library: every case ranks as the issue requires, mimic cases show their mimic, coverage is complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import load_knowledge, rank
from checker.model import Case, KnowledgeBase
from checker.teaching import case_query

KB = load_knowledge(Path(__file__).resolve().parents[2] / "rules")
NET_CASES = [c for c in KB.cases.values() if c.kind == "net"]
MIMIC_CASES = [c for c in KB.cases.values() if c.kind == "mimic"]
TOP_1_SHARE = 0.9


def _ids(cases: list[Case]) -> list[str]:
    return [f"cases:{c.id}" for c in cases]


def _position(kb: KnowledgeBase, case: Case) -> int:
    result = rank(kb, case_query(case))
    ids = [c.type.id for c in result.candidates]
    return min(ids.index(e) for e in case.expected) + 1


def test_library_size_and_coverage(kb: KnowledgeBase) -> None:
    assert len(NET_CASES) >= 24
    assert len(MIMIC_CASES) >= 4
    covered = {e for c in NET_CASES for e in c.expected}
    assert covered == set(kb.types), f"types without a case: {sorted(set(kb.types) - covered)}"


def test_cases_vary_in_presentation() -> None:
    assert {c.functional for c in NET_CASES} == {"functional", "nonfunctional", "unknown"}
    assert sum(1 for c in NET_CASES if c.syndrome) >= 3
    assert any(c.absent for c in NET_CASES)


@pytest.mark.parametrize("case", NET_CASES, ids=_ids(NET_CASES))
def test_expected_type_in_top_three(kb: KnowledgeBase, case: Case) -> None:
    result = rank(kb, case_query(case))
    top = [c.type.id for c in result.candidates[:3]]
    assert case.expected[0] in top, f"{case.id}: expected {case.expected[0]}, top three {top}"


def test_most_cases_rank_their_type_first(kb: KnowledgeBase) -> None:
    first = [c.id for c in NET_CASES if _position(kb, c) == 1]
    share = len(first) / len(NET_CASES)
    misses = sorted(c.id for c in NET_CASES if c.id not in first)
    assert share >= TOP_1_SHARE, f"{share:.0%} first; not first: {misses}"


@pytest.mark.parametrize("case", MIMIC_CASES, ids=_ids(MIMIC_CASES))
def test_mimic_case_shows_its_mimic(kb: KnowledgeBase, case: Case) -> None:
    result = rank(kb, case_query(case))
    assert case.expected[0] in [m.mimic.id for m in result.mimics]


@pytest.mark.parametrize("case", list(KB.cases.values()), ids=_ids(list(KB.cases.values())))
def test_case_row_is_well_formed(case: Case) -> None:
    assert 2 <= len(case.teaching_points) <= 4
    assert 1 <= len(case.findings) <= 8
    assert not set(case.findings) & set(case.absent), "a finding cannot be both present and ruled out"
    assert case.sources, "every case cites its sources"
    sentences = [s for s in case.story.replace("?", ".").split(". ") if s.strip()]
    assert 2 <= len(sentences) <= 4, f"story has {len(sentences)} sentences"
