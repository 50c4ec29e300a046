"""The class's tally, the debrief and the anonymous CSV, on a hand-made class of three (no store needed)."""

from __future__ import annotations

import pytest
from live_support import CASE, START

from checker import DISCLAIMER, teaching
from checker.live import Answer
from checker.live import debrief as d
from checker.model import KnowledgeBase

T2D, VIP, GLU = "type-2-diabetes", "vipoma", "glucagonoma"
CLASS = [
    Answer(1, 0, T2D, (), START + 10),
    Answer(2, 0, VIP, (), START + 11),
    Answer(3, 0, T2D, (), START + 12),
    Answer(1, 1, T2D, (), START + 30),
    Answer(2, 1, GLU, (VIP,), START + 31),
    Answer(3, 1, T2D, (GLU,), START + 32),
    Answer(1, 2, VIP, (), START + 50),
    Answer(1, 2, GLU, (VIP, T2D), START + 55),
    Answer(2, 2, GLU, (), START + 51),
    Answer(3, 2, VIP, (), START + 52),
    Answer(1, 3, GLU, (), START + 70),
    Answer(2, 3, GLU, (), START + 71),
    Answer(3, 3, "=cmd|' /C calc'!A0", (), START + 72),
]
"""Three students, steps 0-3 of five findings; student 1 changes their answer at step 2; student 3's last answer
is a hostile string (the store would refuse it, but the export must stay inert whatever it holds)."""


@pytest.fixture(scope="module")
def steps(kb: KnowledgeBase) -> list[teaching.StepResult]:
    return teaching.steps(kb, kb.cases[CASE])


def test_the_tally_counts_each_students_last_answer(kb: KnowledgeBase) -> None:
    assert d.tally(CLASS, 2, ("glucagonoma",)) == d.Tally(
        step=2, answered=3, leads=((GLU, 2), (VIP, 1)), in_top3=((GLU, 2), (VIP, 2), (T2D, 1)), right_first=2, right_top3=2
    )
    assert d.tally(CLASS, 1, ("glucagonoma",)) == d.Tally(
        step=1, answered=3, leads=((T2D, 2), (GLU, 1)), in_top3=((GLU, 2), (T2D, 2), (VIP, 1)), right_first=1, right_top3=2
    )
    assert d.tally(CLASS, 5, ("glucagonoma",)).answered == 0


def test_the_engine_ranks_the_answer_at_every_step(kb: KnowledgeBase, steps: list[teaching.StepResult]) -> None:
    case = kb.cases[CASE]
    assert [d.engine_rank(case, s) for s in steps] == [23, 13, 1, 1, 1, 1]
    mimic = kb.cases["mimic-asthma"]
    assert [d.engine_rank(mimic, s) for s in teaching.steps(kb, mimic)] == [None, 1, 1, 1]


def test_the_debrief_names_the_steps_the_wrong_answers_and_the_change_of_mind(
    kb: KnowledgeBase, steps: list[teaching.StepResult]
) -> None:
    summary = d.debrief(kb, kb.cases[CASE], CLASS, steps)
    assert [(r.step, r.finding, r.answered, r.right_first, r.right_top3, r.engine_rank) for r in summary.steps] == [
        (0, "", 3, 0, 0, 23),
        (1, "Unexplained weight loss", 3, 1, 2, 13),
        (2, "High blood sugar (diabetes)", 3, 2, 2, 1),
        (3, "Sore, red, smooth tongue or sore mouth", 3, 2, 2, 1),
        (4, "Red, blistering rash that moves around the body", 0, 0, 0, 1),
        (5, "Scan shows a growth in the pancreas", 0, 0, 0, 1),
    ]
    assert summary.wrong == (("=cmd|' /C calc'!A0", 1),)
    assert summary.mind_change == d.MindChange(2, "High blood sugar (diabetes)", 2, 3)
    assert summary.class_right_from == 2


def test_a_tie_with_a_wrong_answer_is_not_the_class_agreeing(kb: KnowledgeBase, steps: list[teaching.StepResult]) -> None:
    split = [Answer(1, 0, GLU, (), START), Answer(2, 0, VIP, (), START)]
    assert d.debrief(kb, kb.cases[CASE], split, steps).class_right_from is None
    assert d.debrief(kb, kb.cases[CASE], [], steps).mind_change is None


def test_a_students_path_against_the_answer(kb: KnowledgeBase, steps: list[teaching.StepResult]) -> None:
    mine = {k: a for (s, k), a in d.latest(CLASS).items() if s == 3}
    rows = d.path(kb, kb.cases[CASE], mine, steps)
    assert [(r.step, r.lead, r.right_first, r.right_top3, r.engine_rank) for r in rows] == [
        (0, T2D, False, False, 23),
        (1, T2D, False, True, 13),
        (2, VIP, False, False, 1),
        (3, "=cmd|' /C calc'!A0", False, False, 1),
        (4, None, False, False, 1),
        (5, None, False, False, 1),
    ]


def test_shares_say_counts_first() -> None:
    assert d.share(2, 3) == "2 of 3 (67%)"
    assert d.share(0, 0) == "nobody answered"


def test_the_csv_is_anonymous_formula_safe_and_carries_the_notice(kb: KnowledgeBase) -> None:
    text = d.answers_csv(kb, kb.cases[CASE], CLASS, START)
    lines = text.splitlines()
    assert lines[0] == f'# notice,"{DISCLAIMER}"'
    assert lines[1] == '# case,"New diabetes, weight loss and a sore mouth"'
    assert lines[2] == (
        "step,finding_revealed,student,first_choice,second_choice,third_choice,first_choice_right,"
        "seconds_after_start,answered_at_utc,final_for_step"
    )
    assert lines[3] == "0,,1,Common condition: Type 2 diabetes,,,no,10.0,2027-01-15T08:00:10Z,yes"
    assert lines[9] == "2,High blood sugar (diabetes),1,VIPoma,,,no,50.0,2027-01-15T08:00:50Z,no"
    assert lines[10] == (
        "2,High blood sugar (diabetes),1,Glucagonoma,VIPoma,Common condition: Type 2 diabetes,yes,55.0,2027-01-15T08:00:55Z,yes"
    )
    assert lines[-1] == "3,\"Sore, red, smooth tongue or sore mouth\",3,'=cmd|' /C calc'!A0,,,no,72.0,2027-01-15T08:01:12Z,yes"
    assert len(lines) == 3 + len(CLASS)
    assert "Student" not in text and "nickname" not in text
