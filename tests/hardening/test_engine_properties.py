"""Property tests of rank(): random queries never raise, scores are finite sums of their contributions,
input order does not matter, and a typical finding never lowers its type. Run on the shipped tables and
on a random knowledge base of the same shape with deep `refines` chains and every frequency class."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic_kb
from checker import KnowledgeBase, Query, QueryError, load_knowledge, rank
from checker.engine import Result, fit_of
from checker.labels import STRENGTHS, centi, monotone, raw_levels
from checker.model import QUERY_STATUSES

SHIPPED = load_knowledge()
SYNTHETIC = synthetic_kb(n_types=40, n_symptoms=160, links_per_type=20, seed=11)
KBS = {"shipped": SHIPPED, "synthetic": SYNTHETIC}
TYPICAL = ("obligate", "very frequent", "frequent")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def queries(draw: st.DrawFn, kb: KnowledgeBase) -> Query:
    ids = sorted(kb.symptoms)
    present = draw(st.lists(st.sampled_from(ids), max_size=12))
    absent = draw(st.lists(st.sampled_from(ids), max_size=6))
    syndrome = draw(st.one_of(st.none(), st.sampled_from(sorted(kb.hereditary)))) if kb.hereditary else None
    return Query(present=tuple(present), absent=tuple(absent), functional=draw(st.sampled_from(QUERY_STATUSES)),
                 syndrome=syndrome)


def _check_result(kb: KnowledgeBase, query: Query) -> None:
    result = rank(kb, query)
    assert len(result.candidates) == len(kb.types)
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    for cand in result.candidates:
        assert math.isfinite(cand.score)
        assert all(math.isfinite(c.points) for c in cand.contributions)
        # score_type rounds each finding to 3 decimals and the sum to 3 decimals: they agree within 1e-6.
        assert abs(sum(c.points for c in cand.contributions) - cand.score) <= 1e-6, cand.type.id
        assert cand.strength in ("strong", "moderate", "weak", "none")
        covered = set(query.present) | set(query.absent)
        assert not covered & {e.symptom for e in cand.expected_not_reported}


@pytest.mark.parametrize("name", sorted(KBS))
def test_random_queries_never_raise_and_scores_add_up(name: str) -> None:
    kb = KBS[name]

    @SETTINGS
    @given(query=queries(kb))
    def check(query: Query) -> None:
        _check_result(kb, query)

    check()


@st.composite
def refining_queries(draw: st.DrawFn, kb: KnowledgeBase) -> Query:
    """Queries that report a symptom together with a general one it refines: both may count through one row."""
    narrower = sorted(s.id for s in kb.symptoms.values() if s.refines)
    present = list(draw(queries(kb)).present)
    for symptom in draw(st.lists(st.sampled_from(narrower), min_size=1, max_size=3)):
        present += [symptom, kb.symptoms[symptom].refines]  # type: ignore[list-item]
    return Query(present=tuple(present), functional=draw(st.sampled_from(QUERY_STATUSES)))


def _labels_from_contributions(kb: KnowledgeBase, result: Result) -> list[tuple[str, str | None]]:
    """(label, explained_by) per candidate, worked out again from the candidates' own contributions, one by one."""
    best = max(result.mimics, key=lambda m: m.evidence, default=None)
    best_fit = fit_of(kb, best.score, best.contributions) if best is not None else None
    best_evidence = centi(best.evidence) if best_fit is not None and (best_fit[1] or best_fit[3]) else None
    levels, floors, explained = [], [], []
    for cand in result.candidates:
        fit = fit_of(kb, cand.score, cand.contributions)
        pointed = fit[1] > 0 or fit[3]
        explained.append(best.id if best is not None and pointed and best_evidence is not None
                         and best_evidence >= centi(cand.evidence) else None)
        level = int(raw_levels(*fit))
        levels.append(2 if level == 3 and explained[-1] else level)
        floors.append(int(pointed))
    for i in range(1, len(levels)):  # the rules written as loops: never rising, not below the floor...
        levels[i] = max(min(levels[i], levels[i - 1]), floors[i])
    for i in range(len(levels) - 2, -1, -1):  # ...and never 'none' above a pointed row
        if levels[i] == 0 and levels[i + 1] > 0:
            levels[i] = levels[i + 1]
    return [(STRENGTHS[level], why) for level, why in zip(levels, explained, strict=True)]


@settings(max_examples=300, deadline=None)
@given(levels=st.lists(st.integers(0, 3), max_size=30))
def test_monotone_matches_the_rules_written_as_loops(levels: list[int]) -> None:
    floors = [int(level > 0) for level in levels]  # a row's own level is 'none' exactly where nothing points to it
    expected = list(levels)
    for i in range(1, len(expected)):
        expected[i] = max(min(expected[i], expected[i - 1]), floors[i])
    for i in range(len(expected) - 2, -1, -1):
        if expected[i] == 0 and expected[i + 1] > 0:
            expected[i] = expected[i + 1]
    assert monotone(levels, floors).tolist() == expected


@pytest.mark.parametrize("name", sorted(KBS))
def test_labels_and_order_agree_with_the_contributions_shown(name: str) -> None:
    """The ranking tallies scores per type as numbers; every card's label, look-alike and place must follow from
    the contributions it shows, and equal scores must stand in name order."""
    kb = KBS[name]

    @SETTINGS
    @given(query=st.one_of(queries(kb), refining_queries(kb)))
    def check(query: Query) -> None:
        result = rank(kb, query)
        assert [(c.strength, c.explained_by) for c in result.candidates] == _labels_from_contributions(kb, result)
        keys = [(-c.score, c.type.name, c.type.id) for c in result.candidates]
        assert keys == sorted(keys)

    check()


@pytest.mark.parametrize("name", sorted(KBS))
def test_shuffled_input_gives_the_identical_result(name: str) -> None:
    kb = KBS[name]

    @SETTINGS
    @given(query=queries(kb), seed=st.integers(0, 2**32 - 1))
    def check(query: Query, seed: int) -> None:
        rng = random.Random(seed)
        present, absent = list(query.present), list(query.absent)
        rng.shuffle(present)
        rng.shuffle(absent)
        doubled = present + present[: rng.randint(0, len(present))]  # repeats must not matter either
        shuffled = Query(present=tuple(doubled), absent=tuple(absent), functional=query.functional,
                         syndrome=query.syndrome)
        assert rank(kb, shuffled) == rank(kb, query)

    check()


@pytest.mark.parametrize("name", sorted(KBS))
def test_adding_a_finding_that_points_to_a_type_never_lowers_it(name: str) -> None:
    kb = KBS[name]
    typical = sorted(link.id for link in kb.links if link.frequency in TYPICAL)
    by_id = {link.id: link for link in kb.links}

    @SETTINGS
    @given(query=queries(kb), link_id=st.sampled_from(typical))
    def check(query: Query, link_id: str) -> None:
        link = by_id[link_id]
        if link.symptom in query.present or link.symptom in query.absent:
            return
        before = {c.type.id: c for c in rank(kb, query).candidates}[link.type]
        more = Query(present=(*query.present, link.symptom), absent=query.absent, functional=query.functional,
                     syndrome=query.syndrome)
        after = {c.type.id: c for c in rank(kb, more).candidates}[link.type]
        added = [c for c in after.contributions if c.symptom == link.symptom]
        assert len(added) <= 1
        if added and added[0].points > 0 and len(after.matched) == len(before.matched) + 1:
            assert after.score > before.score, (link_id, before.score, after.score)
        # the score moves by exactly the new finding's contribution
        assert round(after.score - before.score - sum(c.points for c in added), 2) in (0.0, -0.0) or \
            len(after.matched) != len(before.matched) + 1

    check()


@SETTINGS
@given(present=st.lists(st.text(max_size=30), max_size=5), absent=st.lists(st.text(max_size=30), max_size=3),
       functional=st.text(max_size=15), syndrome=st.one_of(st.none(), st.text(max_size=15)))
def test_arbitrary_ids_either_rank_or_raise_query_error(present: list[str], absent: list[str], functional: str,
                                                         syndrome: str | None) -> None:
    query = Query(present=tuple(present), absent=tuple(absent), functional=functional, syndrome=syndrome)
    try:
        result = rank(SHIPPED, query)
    except QueryError as error:
        assert str(error)
    else:
        assert len(result.candidates) == len(SHIPPED.types)
