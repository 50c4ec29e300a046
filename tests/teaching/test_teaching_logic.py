"""checker.teaching: step rankings, quiz grading and feedback, comparison, heatmap, disagreements, table views."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from checker import Query, load_knowledge, rank
from checker import teaching as T
from checker.model import FREQUENCIES, Case, KnowledgeBase
from checker.scoring.query import age_band
from checker.wording import GROUP_NAMES

KB = load_knowledge(Path(__file__).resolve().parents[2] / "rules")
CASES = list(KB.cases.values())


def _case(kb: KnowledgeBase, case_id: str) -> Case:
    return kb.cases[case_id]


def test_teaching_module_does_not_import_streamlit() -> None:
    code = "import sys, checker.teaching; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ------------------------------------------------------------------------------------------ steps


@pytest.mark.parametrize("case", CASES, ids=[f"cases:{c.id}" for c in CASES])
def test_steps_reveal_one_finding_at_a_time(kb: KnowledgeBase, case: Case) -> None:
    results = T.steps(kb, case)
    assert len(results) == len(case.findings) + 1
    for k, item in enumerate(results):
        assert item.step == k
        assert item.revealed == case.findings[:k]
        assert item.new_finding == (case.findings[k - 1] if k else None)
        assert set(item.result.query.present) == set(case.findings[:k])
        assert item.result.query.absent == tuple(sorted(case.absent))


@pytest.mark.parametrize("case", CASES, ids=[f"cases:{c.id}" for c in CASES])
def test_last_step_equals_rank_on_all_findings(kb: KnowledgeBase, case: Case) -> None:
    final = T.steps(kb, case)[-1].result
    direct = rank(
        kb,
        Query(
            case.findings,
            case.absent,
            case.functional,
            case.syndrome,
            age_band(case.age),
            case.sex,
            case.history,
            case.no_history,
        ),
    )
    assert [(c.type.id, c.score) for c in final.candidates] == [(c.type.id, c.score) for c in direct.candidates]
    assert [m.mimic.id for m in final.mimics] == [m.mimic.id for m in direct.mimics]


def test_step_zero_knows_only_the_context(kb: KnowledgeBase) -> None:
    case = _case(kb, "gastrinoma-men1-kidney-stones")
    zero = T.steps(kb, case)[0]
    assert zero.result.query.present == ()
    assert zero.result.query.syndrome == "men1"
    assert zero.top(1)[0].score > 0


def test_the_differential_narrows_to_the_answer(kb: KnowledgeBase) -> None:
    case = _case(kb, "insulinoma-fasting-spells")
    results = T.steps(kb, case)
    assert results[-1].position("insulinoma") == 1
    scores = [item.result.candidates[0].score for item in results]
    assert scores[-1] > scores[1]


def test_trajectory_frame_grows_with_the_steps(kb: KnowledgeBase) -> None:
    case = _case(kb, "pheochromocytoma-pounding-spells")
    results = T.steps(kb, case)
    full = T.trajectory_frame(kb, results)
    assert list(full.index) == list(range(len(case.findings) + 1))
    assert full.index.name == "step"
    assert 1 <= full.shape[1] <= 6
    assert kb.types["pheochromocytoma"].name == full.columns[0]
    partial = T.trajectory_frame(kb, results, upto=2)
    assert list(partial.index) == [0, 1, 2]


def test_trajectory_uses_only_the_steps_shown(kb: KnowledgeBase) -> None:
    """The chart must not hint at the answer before the findings that reveal it."""
    case = _case(kb, "pituitary-prolactinoma")
    results = T.steps(kb, case)
    early = T.trajectory_frame(kb, results, upto=0)
    assert set(early.columns) == {t.name for t in results[0].top(3)}


# ------------------------------------------------------------------------------------------- quiz


def test_grade_correct_first_choice(kb: KnowledgeBase) -> None:
    grade = T.grade(kb, _case(kb, "vipoma-watery-diarrhea"), "vipoma")
    assert grade.verdict == "correct" and grade.correct
    assert grade.points == T.POINTS_CORRECT
    assert grade.engine_rank == 1
    assert "VIPoma" in grade.message


def test_grade_answer_in_differential(kb: KnowledgeBase) -> None:
    grade = T.grade(kb, _case(kb, "vipoma-watery-diarrhea"), "gastrinoma", ["somatostatinoma", "vipoma"])
    assert grade.verdict == "in-differential"
    assert grade.points == T.POINTS_IN_DIFFERENTIAL
    assert grade.differential == ("somatostatinoma", "vipoma")


def test_grade_missed(kb: KnowledgeBase) -> None:
    grade = T.grade(kb, _case(kb, "vipoma-watery-diarrhea"), "merkel-cell-carcinoma", ["lung-carcinoid"])
    assert grade.verdict == "missed" and grade.points == 0
    assert "VIPoma" in grade.message


def test_grade_differential_is_capped_and_deduplicated(kb: KnowledgeBase) -> None:
    grade = T.grade(
        kb,
        _case(kb, "vipoma-watery-diarrhea"),
        "gastrinoma",
        ["gastrinoma", "insulinoma", "insulinoma", "glucagonoma", "somatostatinoma", "vipoma"],
    )
    assert grade.differential == ("insulinoma", "glucagonoma", "somatostatinoma")
    assert grade.verdict == "missed"


def test_grade_mimic_case(kb: KnowledgeBase) -> None:
    case = _case(kb, "mimic-asthma")
    assert T.grade(kb, case, "asthma").correct
    wrong = T.grade(kb, case, "lung-carcinoid")
    assert wrong.verdict == "missed" and wrong.engine_rank is None
    assert "Asthma" in wrong.message


def test_feedback_says_where_each_finding_pointed(kb: KnowledgeBase) -> None:
    case = _case(kb, "gastrinoma-ulcers-return")
    grade = T.grade(kb, case, "gastrinoma")
    assert [p.symptom for p in grade.pointers] == list(case.findings)
    ulcers = next(p for p in grade.pointers if p.symptom == "recurrent-peptic-ulcers")
    assert ulcers.supports[0].type_id == "gastrinoma"
    assert ulcers.supports[0].frequency == "very frequent"  # 90-95% of gastrinomas (Orphanet: obligate)
    assert ulcers.supports[0].sources and all(isinstance(s, str) and s for s in ulcers.supports[0].sources)
    assert any("ORPHA:913" in s for s in ulcers.supports[0].sources)
    points = [s.points for s in ulcers.supports]
    assert points == sorted(points, reverse=True)
    assert (
        "Acid reflux (GERD) and peptic ulcer disease" in next(p for p in grade.pointers if p.symptom == "heartburn-reflux").mimics
    )


def test_pointer_shows_at_most_two_sources_per_type(kb: KnowledgeBase) -> None:
    (pointer,) = T.finding_pointers(kb, ["high-gastrin"])
    type_1 = next(s for s in pointer.supports if s.type_id == "gastric-net-type-1")
    link = next(k for k in kb.links if (k.type, k.symptom) == ("gastric-net-type-1", "high-gastrin"))
    assert len(link.sources) == 3
    assert type_1.notes == link.sources[:2] and len(type_1.sources) == 2


def test_pointer_for_a_refined_finding_uses_its_parent_link(kb: KnowledgeBase) -> None:
    (pointer,) = T.finding_pointers(kb, ["nighttime-diarrhea"])
    assert pointer.supports, "nighttime diarrhea resolves through diarrhea"


def test_quiz_choices_cover_types_and_mimics(kb: KnowledgeBase) -> None:
    choices = T.quiz_choices(kb)
    assert set(choices) == set(kb.types) | set(kb.mimics)
    assert T.choice_label(kb, "asthma").startswith("Common condition")
    assert T.choice_label(kb, "vipoma") == kb.types["vipoma"].name


# ------------------------------------------------------------------------------------ rule tables


def test_compare_insulinoma_gastrinoma_finds_the_discriminators(kb: KnowledgeBase) -> None:
    items = T.compare_types(kb, "insulinoma", "gastrinoma", limit=8)
    favour_a = {d.symptom for d in items if d.difference > 0}
    favour_b = {d.symptom for d in items if d.difference < 0}
    assert "low-blood-glucose" in favour_a
    assert favour_b & {"recurrent-peptic-ulcers", "high-gastrin"}
    diffs = [abs(d.difference) for d in items]
    assert diffs == sorted(diffs, reverse=True)
    low = next(d for d in items if d.symptom == "low-blood-glucose")
    assert low.frequency_b == "" and low.sources_a and not low.sources_b


def test_compare_is_antisymmetric(kb: KnowledgeBase) -> None:
    ab = {d.symptom: d.difference for d in T.compare_types(kb, "vipoma", "glucagonoma", limit=None)}
    ba = {d.symptom: d.difference for d in T.compare_types(kb, "glucagonoma", "vipoma", limit=None)}
    assert ab.keys() == ba.keys()
    assert all(math.isclose(ab[s], -ba[s]) for s in ab)


def test_compare_unknown_type_raises(kb: KnowledgeBase) -> None:
    with pytest.raises(KeyError):
        T.compare_types(kb, "insulinoma", "no-such-type")


def test_compare_frame_columns(kb: KnowledgeBase) -> None:
    frame = T.compare_frame(kb, "insulinoma", "gastrinoma", limit=5)
    assert len(frame) == 5
    assert {"finding", "difference", "favours", "sources"} <= set(frame.columns)


def test_heatmap_shape_and_values(kb: KnowledgeBase) -> None:
    full = T.heatmap_frame(kb, drop_empty=False)
    assert full.shape == (len(kb.symptoms), len(kb.types))
    linked = {link.symptom for link in kb.links}
    assert T.heatmap_frame(kb).shape == (len(linked), len(kb.types))
    assert full.loc["recurrent-peptic-ulcers", "gastrinoma"] == T.FREQUENCY_ORDINAL["very frequent"]
    assert math.isnan(full.loc["low-blood-glucose", "gastrinoma"])
    allowed = set(T.FREQUENCY_ORDINAL.values())
    assert set(full.stack().dropna().astype(int)) <= allowed


def test_heatmap_filters_by_group_and_type(kb: KnowledgeBase) -> None:
    frame = T.heatmap_frame(kb, groups=["tests"], types=["insulinoma", "vipoma"])
    assert list(frame.columns) == ["insulinoma", "vipoma"]
    assert all(kb.symptoms[s].group == "tests" for s in frame.index)
    assert "high-insulin" in frame.index and "low-potassium" in frame.index
    assert not frame.isna().all(axis=1).any()


def test_heatmap_long_matches_links(kb: KnowledgeBase) -> None:
    long = T.heatmap_long(kb)
    assert len(long) == len(kb.links)
    assert set(long["frequency"]) <= set(FREQUENCIES)
    assert set(long["group"]) <= set(GROUP_NAMES.values())


def test_source_disagreements(kb: KnowledgeBase) -> None:
    items = T.source_disagreements(kb)
    assert items
    by_link = {link.id: link for link in kb.links}
    for item in items:
        link = by_link[f"{item.type_id}/{item.symptom}"]
        assert item.note in link.sources and item.note.orpha
        assert item.suggests != link.frequency == item.link_frequency
        assert item.direction in ("more typical", "less typical")
    found = {(d.type_id, d.symptom, d.suggests): d for d in items}
    tremor = found[("insulinoma", "shakiness", "very frequent")]
    assert tremor.link_frequency == "occasional" and tremor.direction == "more typical" and "24%" in tremor.reason
    assert len(T.source_disagreements(kb, orphanet_only=False)) > len(items)
    frame = T.disagreements_frame(kb)
    assert len(frame) == len(items) and "why the table differs" in frame.columns


def test_table_frames_cover_every_table(kb: KnowledgeBase) -> None:
    frames = T.table_frames(kb)
    expected = {
        "sources": kb.sources,
        "symptoms": kb.symptoms,
        "types": kb.types,
        "hormone_syndromes": kb.hormone_syndromes,
        "hereditary": kb.hereditary,
        "mimics": kb.mimics,
        "red_flags": kb.red_flags,
        "education": kb.education,
        "cases": kb.cases,
        "type_groups": kb.type_groups,
        "population": kb.population,
    }
    assert set(frames) == set(expected) | {"links", "rejected_annotations"}
    assert len(frames["rejected_annotations"]) == len(kb.rejected) > 300
    for name, rows in expected.items():
        assert len(frames[name]) == len(rows), name
        assert isinstance(frames[name], pd.DataFrame)
    assert len(frames["links"]) == len(kb.links)
    csv = T.frame_csv(frames["links"])
    assert csv.splitlines()[0].startswith("type,symptom,frequency")


def test_bibliography_counts_citations(kb: KnowledgeBase) -> None:
    frame = T.bibliography_frame(kb).set_index("id")
    assert len(frame) == len(kb.sources)
    assert frame.loc["orphanet-hpoa-2025-01-16", "cited_by_notes"] > 100
    assert frame.loc["seed-000", "cited_by_notes"] > 0
    assert (frame["cited_by_notes"] >= 0).all()
