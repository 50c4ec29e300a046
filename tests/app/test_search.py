"""checker.search: finding symptoms by lay words, clinical terms, synonyms and spelling variants."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.model import KnowledgeBase
from checker.search import matched_name, search_symptoms


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("sweaty", "sweating"),
        ("hyperhidrosis", "sweating"),
        ("Sweating", "sweating"),
        ("SWEAT", "sweating"),
        ("night sweats", "sweating"),
        ("diarrhoea", "diarrhea"),
        ("diarr", "diarrhea"),
        ("haemoptysis", "coughing-blood"),
        ("red face", "flushing"),
        ("hot flush", "flushing"),
        ("low blood sugar", "low-blood-glucose"),
        ("hypoglycaemia", "low-blood-glucose"),
        ("NME", "migrating-blistering-rash"),
        ("zollinger", "recurrent-peptic-ulcers"),
        ("  wheeze  ", "wheezing"),
        ("light-headed", "lightheadedness"),
        # lay phrases people type (issue 10)
        ("tummy ache", "abdominal-pain"),
        ("hot flushes", "flushing"),
        ("shaky when hungry", "fasting-or-exercise-spells"),
        ("relieved by eating", "fasting-or-exercise-spells"),
        ("eating", "fasting-or-exercise-spells"),
        # typos and word order
        ("flushin", "flushing"),
        ("flusing", "flushing"),
        ("swetting", "sweating"),
        ("diarhea", "diarrhea"),
        ("pain belly", "abdominal-pain"),
        ("hungry shaky", "fasting-or-exercise-spells"),
    ],
)
def test_finds_by_any_name(kb: KnowledgeBase, typed: str, expected: str) -> None:
    found = search_symptoms(kb, typed)
    assert found and found[0] == expected, found[:5]


def test_label_matches_rank_first(kb: KnowledgeBase) -> None:
    found = search_symptoms(kb, "diarrhea")
    assert found[:3] == ["diarrhea", "nighttime-diarrhea", "watery-diarrhea"] or found[0] == "diarrhea"


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "<script>", "zzqqx", "x" * 100_000, "\x00\u202e"])
def test_nonsense_finds_nothing(kb: KnowledgeBase, typed: str) -> None:
    assert search_symptoms(kb, typed) == []


def test_results_are_known_ids_without_duplicates(kb: KnowledgeBase) -> None:
    for typed in ("blood", "pain", "a", "skin", "scan"):
        found = search_symptoms(kb, typed)
        assert len(found) == len(set(found))
        assert set(found) <= set(kb.symptoms)


def test_restricting_the_pool(kb: KnowledgeBase) -> None:
    skin = [s for s in kb.symptoms.values() if s.group == "skin"]
    found = search_symptoms(kb, "red", skin)
    assert found and all(kb.symptoms[s].group == "skin" for s in found)


def test_matched_name_explains_non_label_hits(kb: KnowledgeBase) -> None:
    assert matched_name(kb.symptoms["sweating"], "sweaty") == "sweaty"
    assert matched_name(kb.symptoms["sweating"], "hyperhidrosis") == "Hyperhidrosis"
    assert matched_name(kb.symptoms["sweating"], "sweating") is None
    assert matched_name(kb.symptoms["sweating"], "") is None


@pytest.mark.parametrize("typed, unwanted", [("eating", "sweating"), ("red face", "round-face")])
def test_near_words_do_not_match(kb: KnowledgeBase, typed: str, unwanted: str) -> None:
    assert unwanted not in search_symptoms(kb, typed)


def test_limit(kb: KnowledgeBase) -> None:
    assert search_symptoms(kb, "pain", limit=3) == search_symptoms(kb, "pain")[:3]


def test_typed_text_is_read_up_to_100_characters() -> None:
    from checker.search import _typed

    # the 100th character is the fifth letter of 'flushing': 'flush' is read, 'ing' is not
    assert _typed(" " * 95 + "flushing") == ("flush",)
    assert _typed(" " * 94 + "flushing") == ("flushi",)
    assert _typed(" " * 100 + "flushing") == ()


LAY_PHRASES_FILE = Path(__file__).resolve().parents[1] / "data" / "lay_search_phrases.yaml"


def test_lay_phrases_find_their_finding_first(kb: KnowledgeBase) -> None:
    """At least 80 phrases people type (tests/data/lay_search_phrases.yaml), each with the finding it must find
    first; every miss is reported at once."""
    rows = yaml.safe_load(LAY_PHRASES_FILE.read_text(encoding="utf-8"))
    assert len(rows) >= 80 and len({r["phrase"] for r in rows}) == len(rows)
    assert not [r["first"] for r in rows if r["first"] not in kb.symptoms]
    misses = [
        f"{r['phrase']!r}: wanted {r['first']}, got {found[:3]}"
        for r in rows
        if (found := search_symptoms(kb, r["phrase"]))[:1] != [r["first"]]
    ]
    assert misses == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("blood in poo", ["rectal-bleeding", "vomiting-blood-or-black-stools"]),  # was 12, low potassium among them
        ("peeing a lot", ["frequent-urination"]),  # offered sweating too
        ("tired all the time", ["fatigue", "anemia"]),  # found only low mood
        ("headaches", ["headache", "spells-of-high-blood-pressure"]),  # the plural is the whole name
        ("feeling down", ["depression"]),
    ],
)
def test_everyday_phrases_find_few_and_the_right_ones(kb: KnowledgeBase, typed: str, found: list[str]) -> None:
    assert search_symptoms(kb, typed) == found


def test_filler_words_are_dropped_unless_nothing_else_was_typed(kb: KnowledgeBase) -> None:
    assert search_symptoms(kb, "I keep getting hot flushes all the time")[:1] == ["flushing"]
    assert search_symptoms(kb, "the") == search_symptoms(kb, "the ")  # only filler: searched as typed
    assert search_symptoms(kb, "spider veins face")[:1] == ["facial-spider-veins"]  # words from two names


def test_scoring_every_name_at_once_agrees_with_scoring_one_finding(kb: KnowledgeBase) -> None:
    """search_symptoms scores all names as arrays; matched_name scores one finding's names in a loop (_best).
    Both must give the same score and best name position for every finding."""
    from checker.search import _best, _entry_scores, _index, _typed

    rows = yaml.safe_load(LAY_PHRASES_FILE.read_text(encoding="utf-8"))
    texts = [r["phrase"] for r in rows] + ["tummy ache", "sugar low", "headaches", "spider veins face", "the", "hypo"]
    for text in texts:
        typed = _typed(text)
        best, position = _entry_scores(kb, typed)
        for entry in _index(kb):
            score, where, _ = _best(entry, typed)
            assert (round(float(best[entry.order]), 6), int(position[entry.order]) if score else 0) == (round(score, 6), where), (
                text,
                entry.symptom_id,
            )


@pytest.mark.parametrize(
    ("typed", "first", "second"),
    [
        ("erythema", ("flushing", 105.0), ("migrating-blistering-rash", 100.0)),  # a synonym, whole; a label, in part
        ("weak", ("weakness", 105.0), ("heart-failure", 100.0)),  # the partial match has the earlier name position
    ],
)
def test_typing_a_whole_name_scores_five_more_and_comes_first(
    kb: KnowledgeBase, typed: str, first: tuple[str, float], second: tuple[str, float]
) -> None:
    """A typed text that is a finding's whole name gets 5 points over a name that only contains its words, in
    both the array scoring and the one-finding loop; without them the partial match would come first."""
    from checker.search import _best, _entry, _entry_scores, _typed

    assert search_symptoms(kb, typed)[:2] == [first[0], second[0]]
    best, _ = _entry_scores(kb, _typed(typed))
    order = list(kb.symptoms)
    for symptom, score in (first, second):
        assert float(best[order.index(symptom)]) == score
        assert _best(_entry(kb.symptoms[symptom]), _typed(typed))[0] == score
