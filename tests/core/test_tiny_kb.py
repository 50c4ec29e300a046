"""Literal scores, labels and tie order on a tiny hand-built knowledge base (tests/data/tiny_rules).

The tiny tables hold 3 NET types (two subtypes of 'gut-net' and one islet tumor) and 2 look-alikes, so every number
can be redone by hand. A reported finding adds log2(P(finding | condition) / background rate); background rates:
flushing, diarrhea and wheezing 'common' (0.03), watery diarrhea 'uncommon' (0.003; one tenth of diarrhea), fatigue
'very common' (0.2), low blood sugar and the scan findings 'rare' (0.0003). A quarter of NETs are functional.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import Query, load_knowledge, rank
from checker.model import KnowledgeBase
from checker.scoring.constants import (
    BACKGROUND_RATES,
    DEFAULT_FUNCTIONAL_REFERENCE,
    EXCLUDED_RATIO,
    FREQUENCY_MIDPOINTS,
    MODERATE_BITS,
    NOTABLE_RATIO,
    PRIOR_ODDS,
    STRONG_BITS,
)
from checker.scoring.labels import NOTABLE
from checker.wording import picture_sentences, ratio_phrase, sentence

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny_rules"


@pytest.fixture(scope="module")
def tiny() -> KnowledgeBase:
    return load_knowledge(TINY)


def _row(result, ident):  # type: ignore[no-untyped-def]
    return next(c for c in (*result.candidates, *result.mimics) if c.id == ident)


def _parts(row):  # type: ignore[no-untyped-def]
    return [(c.kind, c.symptom, c.points) for c in row.contributions]


def test_the_documented_constants() -> None:
    assert FREQUENCY_MIDPOINTS == {
        "obligate": 0.99,
        "very frequent": 0.895,
        "frequent": 0.545,
        "occasional": 0.17,
        "very rare": 0.025,
    }
    assert EXCLUDED_RATIO == 0.1
    assert BACKGROUND_RATES == {
        "very common": 0.2,
        "common": 0.03,
        "uncommon": 0.003,
        "rare": 0.0003,
        "very rare": 0.00003,
        "extremely rare": 0.000003,
    }
    assert PRIOR_ODDS == {"very common": 0.1, "common": 0.01, "uncommon": 0.001, "rare": 0.0001}
    assert (STRONG_BITS, MODERATE_BITS) == (6.64, 3.32)
    assert (NOTABLE_RATIO, NOTABLE) == (1.25, 32)
    assert DEFAULT_FUNCTIONAL_REFERENCE == 0.25


def test_tables_without_the_functional_reference_row_use_a_quarter(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    population = folder / "population.yaml"
    text = population.read_text(encoding="utf-8")
    population.write_text(
        text.replace("rate: 0.25", "rate: 0.5").replace("reference-functional-share", "reference-unused-share"), encoding="utf-8"
    )
    result = rank(load_knowledge(folder), Query(present=("flushing",), functional="nonfunctional"))
    # The same points as with the tiny row (a quarter): the default, not the renamed row's 0.5, is used.
    assert _parts(_row(result, "gut-net-alpha")) == [("finding", "flushing", 4.18), ("functional", None, -0.72)]


def test_one_finding_against_its_background_rate(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing",), functional="nonfunctional"))
    # alpha: log2(.545 / .03) = 4.18; no hormone symptoms: log2((1 - .545) / (1 - .25)) = -0.72
    assert _parts(_row(result, "gut-net-alpha")) == [("finding", "flushing", 4.18), ("functional", None, -0.72)]
    # beta does not link flushing: it counts at the background rate, 0 points; (1 - .025) / .75 -> +0.38
    assert _parts(_row(result, "gut-net-beta")) == [("unexplained", "flushing", 0.0), ("functional", None, 0.38)]
    # the islet tumor excludes flushing: a tenth of the background rate, log2(0.1) = -3.32; (1 - .99) / .75 -> -6.23
    assert _parts(_row(result, "islet-tumor")) == [("excluded", "flushing", -3.32), ("functional", None, -6.23)]
    # 'no hormone symptoms' is like a ruled-out finding: it never points, so beta reads 'none' despite +0.38;
    # alpha's fit 3.46 would be 'moderate', but common flushing fits flushing at least as well (4.90): 'weak'
    assert [(c.id, c.score, c.strength, c.explained_by) for c in result.candidates] == [
        ("gut-net-alpha", 3.46, "weak", "common-flush"),
        ("gut-net-beta", 0.38, "none", None),
        ("islet-tumor", -9.55, "none", None),
    ]
    # common flushing: prior log2(.01 / .0001) = 6.64, flushing log2(.895 / .03) = 4.90; the label is the fit alone
    flush = _row(result, "common-flush")
    assert (_parts(flush), flush.score, flush.fit, flush.strength) == (
        [("prior", None, 6.64), ("finding", "flushing", 4.9)],
        11.54,
        4.9,
        "moderate",
    )
    assert [m.id for m in result.mimics] == ["common-flush"]  # the tummy bug shares nothing reported


def test_a_narrow_finding_counts_through_its_general_link_times_its_share(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("watery-diarrhea", "diarrhea")))
    # beta links only diarrhea (.545): watery diarrhea is .545 x .1 = .0545 against .003 -> log2(18.17) = 4.18;
    # diarrhea itself is implied by the watery kind and adds nothing
    assert _parts(_row(result, "gut-net-beta")) == [("finding", "watery-diarrhea", 4.18), ("implied", "diarrhea", 0.0)]
    # the islet tumor links watery diarrhea itself (occasional .17): log2(.17 / .003) = 5.82
    assert _parts(_row(result, "islet-tumor"))[0] == ("finding", "watery-diarrhea", 5.82)
    tummy = _row(result, "tummy-bug")
    assert (tummy.score, tummy.strength) == (17.48, "moderate")  # 9.97 + log2(.545 / .003) = 7.51


def test_a_syndrome_picture_counts_once(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing", "watery-diarrhea")))
    alpha = _row(result, "gut-net-alpha")
    # flushing 4.18 + watery diarrhea (through diarrhea) 4.18 = 8.36, but both are the flush syndrome's picture:
    # together at most log2(P(syndrome | alpha) / P(picture | no listed condition)) = log2(.545 / .03) = 4.18
    assert _parts(alpha) == [("finding", "flushing", 4.18), ("finding", "watery-diarrhea", 4.18), ("picture", None, -4.18)]
    picture = alpha.contributions[-1]
    assert (picture.label, picture.members) == ("Flush syndrome", ("flushing", "watery-diarrhea"))
    assert picture_sentences(alpha, {s.id: s.label for s in tiny.symptoms.values()}) == [
        "These 2 findings (flushing and watery diarrhea) make a flush syndrome picture likely; they count once."
    ]
    # read with its syndrome: 4.90 + 4.18 capped at log2(.99 / .03) = 5.04, and log2(.545) = -0.88 -> 4.16 < 4.18
    # alpha and beta tie at 4.18: ties go by name (Alpha gut NET before Beta gut NET); the tummy bug fits both
    # findings better (7.51), so each NET type reads 'weak'
    assert [(c.id, c.score, c.strength, c.explained_by) for c in result.candidates] == [
        ("gut-net-alpha", 4.18, "weak", "tummy-bug"),
        ("gut-net-beta", 4.18, "weak", "tummy-bug"),
        ("islet-tumor", 2.5, "weak", "tummy-bug"),
    ]


def test_unknown_hormone_status_keeps_the_likelier_reading_and_reads_as_neutral(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing", "wheezing")))
    alpha = _row(result, "gut-net-alpha")
    # with its syndrome: flushing at 'very frequent' log2(.895 / .03) = 4.90, weighted log2(.545) = -0.88 -> 4.02
    # beats 4.18? no: without the reading flushing is 4.18 and wheezing 0, so 4.18 is kept
    assert _parts(alpha) == [("finding", "flushing", 4.18), ("unexplained", "wheezing", 0.0)]
    functional = rank(tiny, Query(present=("flushing", "wheezing"), functional="functional"))
    # hormone symptoms reported: flushing at 'very frequent' 4.90, and log2(.545 / .25) = 1.12
    assert _parts(_row(functional, "gut-net-alpha")) == [
        ("finding", "flushing", 4.9),
        ("unexplained", "wheezing", 0.0),
        ("functional", None, 1.12),
    ]
    islet = _row(rank(tiny, Query(present=("low-blood-glucose",))), "islet-tumor")
    assert not islet.against  # an unknown status is never listed against a type


def test_a_subtype_is_strong_only_with_a_finding_that_tells_it_from_its_siblings(tiny: KnowledgeBase) -> None:
    both = rank(tiny, Query(present=("diarrhea", "scan-mass-gut"), functional="nonfunctional"))
    # diarrhea log2(.545 / .03) = 4.18 and the gut mass log2(.99 / .0003) = 11.69 point to alpha and beta alike
    beta = _row(both, "gut-net-beta")
    assert (beta.fit, beta.strength) == (16.25, "moderate")
    telling = rank(tiny, Query(present=("wheezing", "scan-mass-gut"), functional="nonfunctional"))
    assert _row(telling, "gut-net-beta").strength == "strong"  # wheezing points to beta, not to alpha


def test_ruled_out_findings_and_the_inherited_syndrome(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("low-blood-glucose",), absent=("fatigue",), syndrome="syn1"))
    islet = _row(result, "islet-tumor")
    # low blood sugar log2(.99 / .0003) = 11.69; syn1 in 'frequent' islet patients against 1 in ~33,000: 14.15
    assert _parts(islet) == [("finding", "low-blood-glucose", 11.69), ("absent", "fatigue", 0.0), ("syndrome", None, 14.15)]
    alpha = _row(result, "gut-net-alpha")
    # alpha: fatigue occasional, ruled out: log2((1 - .17) / (1 - .2)) = 0.05; syn1 very rare: log2(.025 / .00003)
    assert _parts(alpha) == [("unexplained", "low-blood-glucose", 0.0), ("absent", "fatigue", 0.05), ("syndrome", None, 9.7)]
    assert (islet.score, islet.strength, alpha.strength) == (25.84, "moderate", "moderate")


def test_context_counts_and_rules_out(tiny: KnowledgeBase) -> None:
    base = _row(rank(tiny, Query(present=("flushing",))), "common-flush")
    woman = _row(rank(tiny, Query(present=("flushing",), sex="female", age="age-40-59")), "common-flush")
    # female (obligate): log2(.99 / .5) = 0.99; aged 40-59 (very frequent): log2(.895 / .25) = 1.84
    assert [(c.kind, c.points) for c in woman.contributions[2:]] == [("context", 1.84), ("context", 0.99)]
    assert [sentence(c) for c in woman.contributions[2:]] == [
        "Aged 40 to 59: very frequent among people with this condition; makes this about 3.6x more likely.",
        "Female: obligate among people with this condition; makes this about 2.0x more likely.",
    ]
    assert round(woman.score - base.score, 2) == 2.83
    young = _row(rank(tiny, Query(present=("flushing",), sex="female", age="age-18-39")), "common-flush")
    assert [c.points for c in young.contributions if c.kind == "context"] == [-2.84, 0.99]  # log2(.105 / .75)
    man = rank(tiny, Query(present=("flushing",), sex="male"))
    assert [m.id for m in man.mimics] == []
    assert [(r.kind, r.id, r.items) for r in man.ruled_out] == [("mimic", "common-flush", ("female",))]


def test_a_row_nothing_points_to_is_none_and_comes_after_every_pointed_row(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("low-blood-glucose",), functional="nonfunctional"))
    assert [(c.id, c.strength) for c in result.candidates] == [
        ("islet-tumor", "moderate"),
        ("gut-net-beta", "none"),
        ("gut-net-alpha", "none"),
    ]
    # the islet tumor scores 11.69 - 6.23 = 5.46 but one finding alone never makes 'strong'
    assert result.candidates[0].score == 5.46


def test_one_nonspecific_finding_is_at_most_weak(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("fatigue",)))
    flush = _row(result, "common-flush")
    assert (flush.fit, flush.strength) == (1.45, "weak")  # log2(.545 / .2)


def test_wording_says_what_each_amount_did(tiny: KnowledgeBase) -> None:
    result = rank(tiny, Query(present=("flushing",), functional="nonfunctional"))
    alpha = _row(result, "gut-net-alpha")
    assert sentence(alpha.contributions[0]) == (
        "Flushing: a known feature here (frequent: present in 30-79%); against its usual rate (in about 3 in 100 "
        "people without any listed condition) this makes it about 18x more likely."
    )
    assert sentence(_row(result, "gut-net-beta").contributions[0]) == (
        "Flushing: not a known feature here, so it counts as in anyone: neither for nor against."
    )
    assert ratio_phrase(1.1) == "hardly more or less likely"


def test_label_thresholds_are_inclusive() -> None:
    from checker.scoring.labels import fit_levels

    # fit, pointing findings, specific ones, notable status, tells apart from siblings
    levels = fit_levels(
        [332, 331, 664, 664, 663, 664], [1, 1, 2, 1, 2, 2], [1, 1, 2, 1, 2, 2], [False] * 6, [True, True, True, True, True, False]
    )
    assert levels.tolist() == [2, 1, 3, 2, 2, 2]  # moderate from 3.32, strong from 6.64 with two findings and a tell


TIE_ROW = """- type: islet-tumor
  symptom: wheezing
  frequency: obligate
  when_functional: very frequent
  syndrome_note: Tiny tie row.
  reviewed: "2026-12-01"
  sources:
  - source: page-tiny
    excerpt: islet wheeze
"""


def test_readings_that_tie_keep_the_one_among_everyone(tmp_path: Path) -> None:
    """Hormone status not given: each type keeps the likelier reading, and on a tie the one among everyone with
    the type (no 'reading' line), not the one among those with its hormone syndrome."""
    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    links = folder / "links.yaml"
    mass = "  symptom: scan-mass-pancreas\n  frequency: very frequent\n"
    text = links.read_text(encoding="utf-8")
    assert text.count(mass) == 1
    links.write_text(text.replace(mass, mass + "  when_functional: obligate\n") + TIE_ROW, encoding="utf-8")
    kb = load_knowledge(folder)
    query = Query(present=("scan-mass-pancreas", "wheezing"))
    # among everyone: log2(.895 / .0003) = 11.54 and log2(.99 / .03) = 5.04 -> 16.58
    islet = _row(rank(kb, query), "islet-tumor")
    assert (_parts(islet), islet.score) == ([("finding", "scan-mass-pancreas", 11.54), ("finding", "wheezing", 5.04)], 16.58)
    # with its syndrome: log2(.99 / .0003) = 11.69 and log2(.895 / .03) = 4.90, weighted log2(.99) = -0.01: 16.58 too
    functional = _row(rank(kb, Query(present=query.present, functional="functional")), "islet-tumor")
    assert [points for _, _, points in _parts(functional)][:2] == [11.69, 4.9]


def test_wording_names_the_related_finding_a_line_was_counted_through(tiny: KnowledgeBase) -> None:
    narrow = rank(tiny, Query(present=("watery-diarrhea",), functional="nonfunctional"))
    assert sentence(_row(narrow, "gut-net-alpha").contributions[0]) == (
        "Watery diarrhea: it is a kind of diarrhea, which is a known feature here (frequent: present in 30-79%); "
        "against its usual rate (in about 3 in 1,000 people without any listed condition) this makes it about 18x "
        "more likely."
    )
    broad = rank(tiny, Query(present=("diarrhea",), functional="nonfunctional"))
    assert sentence(_row(broad, "islet-tumor").contributions[0]) == (
        "Diarrhea: its narrower kind, watery diarrhea, is a known feature here (occasional: present in 5-29%); "
        "against its usual rate (in about 3 in 100 people without any listed condition) this makes it about 5.7x "
        "more likely."
    )
    ruled_out = rank(tiny, Query(present=("flushing",), absent=("watery-diarrhea",), functional="nonfunctional"))
    lines = {c.type.id: [sentence(k) for k in c.contributions if k.kind == "absent"] for c in ruled_out.candidates}
    assert lines["gut-net-alpha"] == [
        "Watery diarrhea: ruled out; it is a kind of diarrhea, which is frequent here; makes this hardly more or less likely."
    ]
    assert lines["islet-tumor"] == ["Watery diarrhea: ruled out; it is occasional here; makes this hardly more or less likely."]
    # ruling out diarrhea rules out its narrower kinds too: the islet tumor links only watery diarrhea (occasional)
    broad_out = rank(tiny, Query(present=("flushing",), absent=("diarrhea",), functional="nonfunctional"))
    islet = _row(broad_out, "islet-tumor").contributions
    assert [(k.points, k.via, sentence(k)) for k in islet if k.kind == "absent"] == [
        (
            -0.22,
            "watery-diarrhea",
            "Diarrhea: ruled out; its narrower kind, watery diarrhea, is occasional here; makes this hardly more or less likely.",
        )
    ]


def test_a_type_another_type_outfits_tenfold_is_not_strong(tiny: KnowledgeBase) -> None:
    both = ("flushing", "scan-mass-gut", "low-blood-glucose", "scan-mass-pancreas")
    # hormone status unknown: the islet tumor fits at 19.91, 4.04 points (over 10x) above alpha's 15.87, so alpha,
    # 'strong' on its own numbers (two findings, flushing tells it from beta), reads 'moderate'
    unknown = rank(tiny, Query(present=both))
    assert [(c.id, c.fit, c.strength) for c in unknown.candidates] == [
        ("islet-tumor", 19.91, "strong"),
        ("gut-net-alpha", 15.87, "moderate"),
        ("gut-net-beta", 11.69, "moderate"),
    ]
    # no hormone symptoms: alpha 15.15 and the islet tumor 13.68 are within 10x (1.47 points), so both stay 'strong'
    nonfunctional = rank(tiny, Query(present=both, functional="nonfunctional"))
    assert [(c.id, c.fit, c.strength) for c in nonfunctional.candidates] == [
        ("gut-net-alpha", 15.15, "strong"),
        ("islet-tumor", 13.68, "strong"),
        ("gut-net-beta", 12.07, "moderate"),
    ]


def test_outfitted_threshold_is_inclusive_and_counts_only_listed_types() -> None:
    from checker.scoring.labels import outfitted

    # the best listed type fits at 10.00; 10.00 - 3.32 = 6.68: 6.68 is outfitted, 6.69 is not; an unlisted type
    # (nothing points to it, or the context dropped it) neither outfits nor is outfitted
    assert outfitted([1000, 668, 669, 100], [True, True, True, False]).tolist() == [False, True, False, False]
    assert outfitted([2000, 668, 669], [False, True, True]).tolist() == [False, False, False]
    assert outfitted([500, 100], [False, False]).tolist() == [False, False]


def test_a_type_a_look_alike_fits_nearly_as_well_is_not_strong(tiny: KnowledgeBase) -> None:
    # beta: watery diarrhea through its 'frequent' diarrhea, log2(.545 * .1 / .003) = 4.18, wheezing log2(.545 / .03)
    # = 4.18, no hormone symptoms +0.38: 8.74, 'strong' on its own numbers; the tummy bug fits watery diarrhea at
    # log2(.545 / .003) = 7.51, within 10x (8.74 - 3.32 = 5.42 <= 7.51), so beta reads 'moderate'
    result = rank(tiny, Query(present=("watery-diarrhea", "wheezing"), functional="nonfunctional"))
    beta, bug = _row(result, "gut-net-beta"), _row(result, "tummy-bug")
    assert (beta.fit, beta.strength, beta.explained_by, bug.fit) == (8.74, "moderate", None, 7.51)
    # low blood sugar and diarrhea: the islet tumor 7.96, the tummy bug 4.90 (diarrhea only), 3.06 points apart
    islet = _row(rank(tiny, Query(present=("diarrhea", "low-blood-glucose"), functional="nonfunctional")), "islet-tumor")
    assert (islet.fit, islet.strength) == (7.96, "moderate")


def test_nearly_explained_threshold_is_inclusive() -> None:
    from checker.scoring.labels import nearly_explained

    # a look-alike fitting at 6.68 is within 10x of 10.00 (10.00 - 3.32 = 6.68) but not of 10.01
    assert nearly_explained([1000, 1001, 600], 668).tolist() == [True, False, True]
    assert nearly_explained([1000], None).tolist() == [False]
