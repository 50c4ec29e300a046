"""Literal scores, labels and tie order on a tiny hand-built knowledge base (tests/data/tiny_rules).

The tiny tables hold 3 NET types (two subtypes of 'gut-net' and one islet tumor) and 2 look-alikes, so
every number can be redone by hand: n = 5 conditions; a finding adds log2(P(this) / mean P(other 4)).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from checker import Query, load_knowledge, rank
from checker.engine import Contribution, fit_of
from checker.evidence import FLOOR, PRIOR_ODDS
from checker.labels import STRENGTHS, fits_as_well, monotone, raw_levels
from checker.model import FREQUENCY_MIDPOINTS, KnowledgeBase
from checker.wording import ratio_phrase, sentence

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny_rules"


@pytest.fixture(scope="module")
def tiny() -> KnowledgeBase:
    return load_knowledge(TINY)


def _row(result, ident):  # type: ignore[no-untyped-def]
    return next(c for c in (*result.candidates, *result.mimics) if c.id == ident)


def test_the_documented_constants() -> None:
    assert FREQUENCY_MIDPOINTS == {"obligate": 0.99, "very frequent": 0.895, "frequent": 0.545, "occasional": 0.17,
                                   "very rare": 0.025, "excluded": 0.001}
    assert FLOOR == 0.01
    assert PRIOR_ODDS == {"very common": 0.1, "common": 0.01, "uncommon": 0.001, "rare": 0.0001}


def test_flushing_and_diarrhea_hand_computed(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing", "diarrhea"), functional="nonfunctional"))
    alpha = _row(result, "gut-net-alpha")
    # flushing: P = .545 (alpha), .01 (beta), .001 (islet, excluded), .895 (common flushing), .01 (tummy bug)
    # mean of the other four for alpha = (1.461 - .545) / 4 = .229; ratio 2.38; log2 = 1.25
    flushing = next(c for c in alpha.contributions if c.symptom == "flushing")
    assert (flushing.kind, flushing.points, round(flushing.ratio, 2)) == ("finding", 1.25, 2.38)
    assert math.isclose(flushing.ratio, 0.545 / ((0.545 + 0.01 + 0.001 + 0.895 + 0.01 - 0.545) / 4))


def test_unknown_hormone_status_keeps_the_likelier_reading(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing", "diarrhea")))
    alpha = _row(result, "gut-net-alpha")
    # read with its hormone syndrome (frequent: P = .545): flushing counts at its 'when_functional' class,
    # very frequent (.895 against (1.811 - .895) / 4 = .229: 3.91x, +1.97), and the reading weighs log2(.545) = -0.88;
    # read without it: 1.25 + 0.43 + log2(1 - .545) = 0.54, so the first reading (1.52) is kept
    assert [(c.kind, c.symptom, c.frequency, c.points) for c in alpha.contributions] == [
        ("finding", "diarrhea", "frequent", 0.43), ("finding", "flushing", "very frequent", 1.97),
        ("reading", None, "frequent", -0.88)]
    assert [(c.id, c.score, c.strength) for c in result.candidates] == [
        ("gut-net-alpha", 1.52, "weak"), ("gut-net-beta", -4.79, "weak"), ("islet-tumor", -10.38, "none")]
    assert [(m.id, m.score, m.strength) for m in result.mimics] == [
        ("tummy-bug", 6.29, "moderate"), ("common-flush", 3.55, "moderate")]
    assert [(c.kind, c.points) for c in _row(result, "tummy-bug").contributions] == [
        ("prior", 9.97), ("finding", 1.5), ("unexplained", -5.18)]
    islet = _row(result, "islet-tumor")
    assert [(c.kind, c.symptom, c.points) for c in islet.contributions] == [
        ("finding", "diarrhea", -1.55), ("excluded", "flushing", -8.82), ("reading", None, -0.01)]
    assert alpha.explained_by is None and _row(result, "gut-net-beta").explained_by == "common-flush"
    assert islet.explained_by is None  # nothing points to it, so no look-alike "explains it better"


def test_contributions_add_up_exactly(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing", "wheezing", "watery-diarrhea"), absent=("fatigue",),
                              functional="functional", syndrome="syn1"))
    for item in (*result.candidates, *result.mimics):
        assert item.score == round(sum(c.points for c in item.contributions), 2)


def test_functional_and_syndrome_are_likelihood_ratios(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("low-blood-glucose", "scan-mass-pancreas"), functional="functional",
                              syndrome="syn1"))
    islet = _row(result, "islet-tumor")
    by_kind = {c.kind: c for c in islet.contributions}
    # hormone syndrome share: islet obligate .99 vs mean(alpha frequent .545, beta very rare .025) = .285
    assert by_kind["functional"].points == 1.8 and round(by_kind["functional"].ratio, 3) == 3.474
    # syn1: 'frequent' (.545) of islet tumors vs mean(alpha very rare .025, beta not raised .01) = .0175
    assert by_kind["syndrome"].points == 4.96 and round(by_kind["syndrome"].ratio, 2) == 31.14
    assert (islet.score, islet.strength) == (19.87, "strong")
    assert [(c.id, c.score, c.strength) for c in result.candidates[1:]] == [
        ("gut-net-alpha", -12.57, "none"), ("gut-net-beta", -18.97, "none")]
    assert result.mimics == ()


def test_when_functional_class_is_used_only_when_hormone_symptoms_are_reported(tiny: KnowledgeBase) -> None:
    plain = _row(rank(tiny, Query(present=("flushing",), functional="nonfunctional")), "gut-net-alpha")
    functional = _row(rank(tiny, Query(present=("flushing",), functional="functional")), "gut-net-alpha")
    assert plain.matched[0].frequency == "frequent" and plain.matched[0].points == 1.25
    assert functional.matched[0].frequency == "very frequent" and functional.matched[0].points == 1.97


def test_ruled_out_and_refined_findings(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("watery-diarrhea",), absent=("flushing",)))
    assert [(c.id, c.score, c.strength, c.explained_by) for c in result.candidates] == [
        ("gut-net-beta", 1.38, "weak", "tummy-bug"), ("islet-tumor", -0.63, "weak", None),
        ("gut-net-alpha", -0.86, "weak", "tummy-bug")]
    alpha = _row(result, "gut-net-alpha")
    watery = alpha.matched[0]
    assert (watery.symptom, watery.via, watery.frequency) == ("watery-diarrhea", "diarrhea", "frequent")
    absent = next(c for c in alpha.contributions if c.kind == "absent")
    assert (absent.points, absent.frequency) == (-0.76, "frequent")
    # the general symptom a reported one refines is covered: not asked again
    assert [e.symptom for e in alpha.expected_not_reported] == ["scan-mass-gut"]


def test_a_general_symptom_counts_a_narrower_link(tiny: KnowledgeBase) -> None:
    islet = _row(rank(tiny, Query(present=("diarrhea",))), "islet-tumor")
    assert (islet.matched[0].symptom, islet.matched[0].via, islet.matched[0].frequency) == (
        "diarrhea", "watery-diarrhea", "occasional")


def test_ties_are_broken_by_name_not_id(tiny: KnowledgeBase, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    types, links = folder / "types.yaml", folder / "links.yaml"
    text = types.read_text(encoding="utf-8")
    beta = text[text.index("- id: gut-net-beta"):text.index("- id: gut-net-alpha")]
    twin = beta.replace("id: gut-net-beta", "id: a-twin-net").replace("name: Beta gut NET", "name: Zebra twin NET")
    types.write_text(text + twin, encoding="utf-8")
    beta_links = [block for block in links.read_text(encoding="utf-8").split("- type: ") if block.startswith("gut-net-beta")]
    links.write_text(links.read_text(encoding="utf-8") + "".join("- type: " + b.replace("gut-net-beta", "a-twin-net", 1)
                                                               for b in beta_links), encoding="utf-8")
    twins = load_knowledge(folder)
    for query in (Query(present=("fatigue",)), Query(present=("wheezing",)), Query()):
        ids = [c.id for c in rank(twins, query).candidates]
        assert ids.index("gut-net-beta") + 1 == ids.index("a-twin-net"), (query, ids)  # 'Beta...' before 'Zebra...'
    result = rank(tiny, Query(present=("fatigue",)))
    assert [(c.id, c.score) for c in result.candidates] == [
        ("gut-net-alpha", -0.64), ("islet-tumor", -4.21), ("gut-net-beta", -4.24)]


def test_one_nonspecific_finding_gives_at_most_weak(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("fatigue",)))
    assert [(m.id, m.score, m.strength) for m in result.mimics] == [("common-flush", 10.09, "weak")]
    assert [c.strength for c in result.candidates] == ["weak", "none", "none"]


def test_labels_are_monotone_and_never_none_when_pointed(tiny: KnowledgeBase) -> None:
    queries = [Query(present=p, absent=a, functional=f) for p in (("flushing",), ("wheezing", "diarrhea"),
                                                                  ("flushing", "wheezing", "low-blood-glucose"))
               for a in ((), ("scan-mass-gut",)) for f in ("unknown", "functional", "nonfunctional")]
    for query in queries:
        result = rank(tiny, query)
        for items in (result.candidates, result.mimics):
            ranks = [STRENGTHS.index(c.strength) for c in items]
            assert ranks == sorted(ranks, reverse=True), query
            for item in items:
                if any(c.kind == "finding" and c.points > 0 for c in item.contributions):
                    assert item.strength != "none", (query, item.id)


def test_strong_threshold_is_100x_with_two_findings(tiny: KnowledgeBase) -> None:
    def findings(*points: float) -> tuple[Contribution, ...]:
        return tuple(Contribution("finding", "Wheezing", p, "wheezing", "frequent", ratio=2 ** p) for p in points)

    def label(*points: float) -> str:
        return STRENGTHS[raw_levels(*fit_of(tiny, round(sum(points), 2), findings(*points)))]

    assert label(3.32, 3.32) == "strong"  # 6.64 points: 2 ** 6.64 = 100x
    assert label(3.32, 3.31) == "moderate"
    assert label(9.0) == "moderate"  # one finding never makes 'strong'
    assert label(3.32) == "moderate"  # 2 ** 3.32 = 10x
    assert label(3.31) == "weak"
    assert label(-1.0) == "none"
    fatigue = (Contribution("finding", "Tiredness", 5.0, "fatigue", "frequent", ratio=32.0),)
    assert fit_of(tiny, 5.0, fatigue) == (500, 1, 0, False)
    assert STRENGTHS[raw_levels(*fit_of(tiny, 5.0, fatigue))] == "weak"  # one non-specific finding alone
    assert raw_levels(500, 2, 0, False) == 2  # two non-specific findings may go higher
    assert raw_levels(100, 0, 0, True) == 1  # hormone status or a syndrome alone points to it
    assert raw_levels(500, 1, 0, True) == 2  # one non-specific finding with a telling hormone status may go higher
    assert raw_levels([664, 664, 663], [2, 1, 2], [2, 1, 2], False).tolist() == [3, 2, 2]
    # a look-alike whose findings fit at least as well (its evidence >= the type's) caps 'strong' at 'moderate'
    assert fits_as_well([800, 800, 801], 800).tolist() == [True, True, False]
    assert fits_as_well([800], None).tolist() == [False]
    assert monotone([3, 1, 0], [1, 1, 0]).tolist() == [3, 1, 0]
    # a row that nothing points to never stands above a pointed row with a lower label...
    assert monotone([0, 1], [0, 1]).tolist() == [1, 1]
    assert monotone([0, 0, 2, 0], [0, 0, 1, 0]).tolist() == [1, 1, 1, 0]
    # ...and a label never rises as the score falls, but stays 'weak' where something points to the row
    assert monotone([1, 2], [1, 1]).tolist() == [1, 1]
    assert monotone([2, 0, 3, 1], [1, 0, 1, 1]).tolist() == [2, 1, 1, 1]


def test_a_common_condition_that_fits_as_well_caps_a_net_at_moderate(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("diarrhea", "wheezing", "scan-mass-gut")))
    beta = result.candidates[0]
    assert (beta.id, beta.score, beta.strength, beta.explained_by) == ("gut-net-beta", 8.12, "strong", None)


def test_parents_are_carried(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("scan-mass-gut",)))
    assert [(c.id, c.type.parent) for c in result.candidates] == [
        ("gut-net-beta", "gut-net"), ("gut-net-alpha", "gut-net"), ("islet-tumor", None)]
    assert tiny.type_groups["gut-net"].name == "Gut NET"


def test_red_flags_fire_on_all_of(tiny: KnowledgeBase) -> None:
    assert rank(tiny, Query(present=("flushing",))).red_flags == ()
    hit = rank(tiny, Query(present=("flushing", "wheezing"))).red_flags[0]
    assert (hit.flag.id, hit.flag.urgency, hit.triggered_by) == ("flush-and-wheeze", "emergency",
                                                                 ("flushing", "wheezing"))


def test_contribution_sentences(tiny: KnowledgeBase) -> None:
    alpha = _row(rank(tiny, Query(present=("flushing",), absent=("diarrhea",))), "gut-net-alpha")
    assert [sentence(c) for c in alpha.contributions] == [
        "Flushing: typical here (very frequent: present in 80-99% of people with it); makes this about 3.9x more "
        "likely than the average alternative.",
        "Diarrhea: ruled out; it is frequent here; makes this about 1.3x less likely than the average alternative.",
        "Hormone status not given: read with a hormone syndrome: about 55 in 100 people with this type present that "
        "way, so this reading is weighted by that share (the likelier reading is kept).",
    ]
    assert ratio_phrase(1.1) == "hardly changes the odds" and ratio_phrase(250.0) == "about 250x more likely"


def test_incidence_is_prior_odds_among_net_types(tiny: KnowledgeBase, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    types = folder / "types.yaml"
    text = types.read_text(encoding="utf-8")
    start = text.index("- id: islet-tumor")
    types.write_text(text[:start] + text[start:].replace("class: rare", "class: very rare", 1), encoding="utf-8")
    rarer = load_knowledge(folder)
    query = Query(present=("low-blood-glucose", "scan-mass-pancreas"), functional="functional", syndrome="syn1")
    before, after = _row(rank(tiny, query), "islet-tumor"), _row(rank(rarer, query), "islet-tumor")
    prior = after.contributions[0]
    assert (prior.kind, prior.points, round(prior.ratio, 3)) == ("prior", -3.32, 0.1)
    assert (after.score, after.evidence) == (16.55, before.evidence) and before.score == 19.87


def test_the_readme_worked_example(tiny: KnowledgeBase) -> None:
    readme = (TINY.parents[2] / "README.md").read_text(encoding="utf-8")
    for quoted in ("(0.01 + 0.001 + 0.895 + 0.01) / 4 = 0.229", "0.545 / 0.229 = 2.38", "log2(2.38) = **+1.25**",
                   "Ratio 0.924: **-0.11**", "Score **+1.14**: *weak*", "total **9.30**, *moderate*"):
        assert quoted in readme, quoted
    result = rank(tiny, Query(present=("flushing",), functional="nonfunctional"))
    alpha = _row(result, "gut-net-alpha")
    assert [(c.kind, c.points, round(c.ratio, 3)) for c in alpha.contributions] == [
        ("finding", 1.25, 2.38), ("functional", -0.11, 0.924)]
    assert (alpha.score, alpha.strength) == (1.14, "weak")
    assert [(m.id, m.score, m.strength) for m in result.mimics] == [("common-flush", 9.3, "moderate")]


def test_a_symptom_and_the_general_one_it_refines_count_once_per_row(tiny: KnowledgeBase) -> None:
    """Diarrhea and watery diarrhea reach alpha and beta through one 'diarrhea' row, islet through 'watery-diarrhea'."""
    from checker.amounts import Scorer

    query = Query(present=("diarrhea", "watery-diarrhea", "fatigue"), functional="nonfunctional")
    tally = Scorer(tiny, query).tally()  # per type in name order (alpha, islet, beta), as the ranking sums them
    assert [column.tolist() for column in tally] == [[67, -575, -377], [2, 0, 1], [1, 0, 1]]
    result = rank(tiny, query)
    assert [(c.id, c.score, c.strength, [(m.symptom, m.via) for m in c.matched]) for c in result.candidates] == [
        ("gut-net-alpha", 0.56, "weak", [("diarrhea", None), ("fatigue", None)]),
        ("gut-net-beta", -1.7, "weak", [("diarrhea", None)]),
        ("islet-tumor", -11.91, "none", [("diarrhea", "watery-diarrhea")])]


def test_look_alikes_that_tie_stand_in_name_order(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    mimics = folder / "mimics.yaml"
    text = mimics.read_text(encoding="utf-8")
    bug = text[text.index("- id: tummy-bug"):]
    twin = bug.replace("id: tummy-bug", "id: a-twin-bug").replace("name: Tummy bug", "name: Zebra twin bug")
    mimics.write_text(text.rstrip("\n") + "\n" + twin, encoding="utf-8")
    twins = load_knowledge(folder)
    result = rank(twins, Query(present=("diarrhea",)))
    assert [(m.id, m.score) for m in result.mimics] == [("tummy-bug", 11.02), ("a-twin-bug", 11.02)]  # 'Tummy' < 'Zebra'
