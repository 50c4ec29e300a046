"""The scoring engine: additive, explainable, deterministic, frequency-aware."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Query, QueryError, load_knowledge, rank
from checker.engine import TYPICALITY, score_type
from tests.conftest import RULES

KB = load_knowledge(RULES)
SYMPTOMS = sorted(KB.symptoms)
TYPICAL = [k for k in KB.links if k.frequency in ("obligate", "very frequent", "frequent")]


def _by_id(result) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {c.type.id: c for c in result.candidates}


def test_every_type_is_ranked_best_first_with_contributions_adding_up() -> None:
    result = rank(KB, Query(present=("flushing", "diarrhea", "wheezing"), functional="functional"))
    assert len(result.candidates) == len(KB.types)
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    for cand in result.candidates:
        assert math.isclose(sum(c.points for c in cand.contributions), cand.score, abs_tol=1e-6)


def test_a_typical_finding_counts_more_than_an_occasional_one() -> None:
    weights = [TYPICALITY[f] for f in ("obligate", "very frequent", "frequent", "occasional", "very rare")]
    assert weights == sorted(weights, reverse=True)
    insulinoma = _by_id(rank(KB, Query(present=("low-blood-glucose",))))["insulinoma"]
    anxiety = _by_id(rank(KB, Query(present=("anxiety",))))["insulinoma"]
    assert insulinoma.score > anxiety.score


def test_ruling_out_a_typical_finding_lowers_the_type() -> None:
    base = _by_id(rank(KB, Query(present=("watery-diarrhea",))))["vipoma"]
    ruled = _by_id(rank(KB, Query(present=("watery-diarrhea",), absent=("low-potassium",))))["vipoma"]
    assert ruled.score < base.score
    assert any(c.kind == "absent" and c.symptom == "low-potassium" for c in ruled.against)


def test_functional_status_moves_functional_and_nonfunctional_types_apart() -> None:
    present = ("abdominal-pain", "weight-loss")
    functional = _by_id(rank(KB, Query(present=present, functional="functional")))
    nonfunctional = _by_id(rank(KB, Query(present=present, functional="nonfunctional")))
    assert functional["vipoma"].score > nonfunctional["vipoma"].score
    assert (nonfunctional["pancreatic-net-nonfunctional"].score
            > functional["pancreatic-net-nonfunctional"].score)


def test_hereditary_syndrome_adds_a_sourced_bonus_to_the_types_it_raises() -> None:
    plain = _by_id(rank(KB, Query(present=("recurrent-peptic-ulcers",))))
    men1 = _by_id(rank(KB, Query(present=("recurrent-peptic-ulcers",), syndrome="men1")))
    assert men1["gastrinoma"].score > plain["gastrinoma"].score
    bonus = [c for c in men1["gastrinoma"].contributions if c.kind == "syndrome"]
    assert bonus and bonus[0].sources
    assert men1["merkel-cell-carcinoma"].score == plain["merkel-cell-carcinoma"].score


def test_refined_symptom_counts_for_its_parent_once() -> None:
    one = _by_id(rank(KB, Query(present=("nighttime-diarrhea",))))["gastrinoma"]
    both = _by_id(rank(KB, Query(present=("nighttime-diarrhea", "diarrhea"))))["gastrinoma"]
    assert one.matched and one.matched[0].via == "diarrhea"
    assert both.score == one.score


def test_expected_not_reported_lists_typical_findings_not_yet_asked() -> None:
    cand = _by_id(rank(KB, Query(present=("low-blood-glucose",))))["insulinoma"]
    asked = {e.symptom for e in cand.expected_not_reported}
    assert "low-blood-glucose" not in asked
    assert {"sweating", "shakiness"} <= asked


def test_strength_is_a_label_with_an_explanation_never_a_probability() -> None:
    result = rank(KB, Query(present=("low-blood-glucose", "sweating", "confusion", "shakiness")))
    top = result.candidates[0]
    assert top.type.id == "insulinoma" and top.strength == "strong"
    assert "%" not in top.strength_explanation and "probab" not in top.strength_explanation.lower()
    assert result.candidates[-1].strength in ("none", "weak")


def test_red_flags_and_mimics_are_triggered_by_the_query() -> None:
    result = rank(KB, Query(present=("low-blood-glucose", "confusion", "flushing")))
    assert {"low-glucose-with-confusion", "low-blood-glucose"} & {h.flag.id for h in result.red_flags}
    assert any("flushing" in m.shared for m in result.mimics)
    assert not rank(KB, Query(present=("bloating",))).red_flags


def test_unknown_ids_give_one_clear_error() -> None:
    with pytest.raises(QueryError, match="unknown symptom id: nope"):
        rank(KB, Query(present=("nope",)))
    with pytest.raises(QueryError, match="unknown hereditary syndrome 'men9'"):
        rank(KB, Query(syndrome="men9"))
    with pytest.raises(QueryError, match="functional must be one of"):
        rank(KB, Query(functional="maybe"))


queries = st.builds(
    Query,
    present=st.lists(st.sampled_from(SYMPTOMS), max_size=8).map(tuple),
    absent=st.lists(st.sampled_from(SYMPTOMS), max_size=4).map(tuple),
    functional=st.sampled_from(["functional", "nonfunctional", "unknown"]),
    syndrome=st.sampled_from([None, *KB.hereditary]),
)


@settings(max_examples=150, deadline=None)
@given(query=queries, data=st.data())
def test_input_order_does_not_matter(query: Query, data: st.DataObject) -> None:
    shuffled = Query(present=tuple(data.draw(st.permutations(query.present))),
                     absent=tuple(data.draw(st.permutations(query.absent))),
                     functional=query.functional, syndrome=query.syndrome)
    assert rank(KB, query) == rank(KB, shuffled)


@settings(max_examples=200, deadline=None)
@given(query=queries, link=st.sampled_from(TYPICAL))
def test_adding_a_typical_finding_never_lowers_that_type(query: Query, link) -> None:  # type: ignore[no-untyped-def]
    tumor = KB.types[link.type]
    hereditary = KB.hereditary.get(query.syndrome) if query.syndrome else None
    before = score_type(KB, tumor, query, hereditary).score
    after_query = Query(present=(*query.present, link.symptom), absent=tuple(a for a in query.absent if a != link.symptom),
                        functional=query.functional, syndrome=query.syndrome)
    ruled_out_before = link.symptom in query.absent
    after = score_type(KB, tumor, after_query, hereditary).score
    if not ruled_out_before:
        assert after >= before


@settings(max_examples=100, deadline=None)
@given(bad=st.text(min_size=1, max_size=20).filter(lambda s: s not in KB.symptoms))
def test_any_unknown_symptom_id_gives_the_clear_error(bad: str) -> None:
    with pytest.raises(QueryError, match="unknown symptom"):
        rank(KB, Query(present=(bad,)))
