"""The fixed vocabularies: each Literal type's words, in order, and the runtime tuples and dicts made from it.

The words are what the tables accept, what the loader's messages list and what the pages show, so each is pinned
here as a user sees it; the runtime copy of each (a tuple from get_args, or a dict keyed by it) must equal it.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest

from checker import model, wording
from checker.errors import Problem
from checker.live import classroom
from checker.rowreader import RowReader
from checker.scoring import constants, index, query
from checker.yamlio import LineDict

VOCABULARIES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("Frequency", model.Frequency, ("obligate", "very frequent", "frequent", "occasional", "very rare", "excluded")),
    ("Background", model.Background, ("very common", "common", "uncommon", "rare", "very rare", "extremely rare")),
    ("ContextKind", model.ContextKind, ("history", "sex", "age", "reference")),
    ("Sex", model.Sex, ("female", "male")),
    ("Group", model.Group, ("general", "skin", "digestive", "heart", "breathing", "metabolism", "nervous", "urinary", "tests")),
    ("FunctionalStatus", model.FunctionalStatus, ("functional", "nonfunctional", "either")),
    ("Prevalence", model.Prevalence, ("very common", "common", "uncommon", "rare")),
    ("Incidence", model.Incidence, ("rare", "very rare", "extremely rare")),
    (
        "RejectionReason",
        model.RejectionReason,
        ("associated-syndrome", "sibling-entity", "too-broad", "not-a-presenting-finding", "wrong-population", "duplicate"),
    ),
    ("Urgency", model.Urgency, ("emergency", "urgent", "soon")),
    ("QueryStatus", model.QueryStatus, ("functional", "nonfunctional", "unknown")),
    ("GutRegion", model.GutRegion, ("foregut", "midgut", "hindgut")),
    ("SourceKind", model.SourceKind, ("seed", "annotation", "ontology", "page")),
    (
        "EducationTopic",
        model.EducationTopic,
        (
            "overview",
            "causes",
            "epidemiology",
            "zebra",
            "functional-status",
            "grading",
            "staging",
            "metastasis",
            "diagnostics",
            "treatment",
            "monitoring",
            "classification",
        ),
    ),
    ("CaseKind", model.CaseKind, ("net", "mimic")),
    ("Strength", constants.Strength, ("none", "weak", "moderate", "strong")),
    (
        "ContributionKind",
        query.ContributionKind,
        (
            "finding",
            "unexplained",
            "excluded",
            "implied",
            "absent",
            "picture",
            "functional",
            "reading",
            "syndrome",
            "context",
            "prior",
        ),
    ),
    ("Mode", index.Mode, ("base", "functional")),
    ("SessionMode", classroom.SessionMode, ("live", "self-paced")),
]


@pytest.mark.parametrize(("name", "vocabulary", "words"), VOCABULARIES, ids=[row[0] for row in VOCABULARIES])
def test_each_vocabulary_has_exactly_these_words(name: str, vocabulary: Any, words: tuple[str, ...]) -> None:
    assert get_args(vocabulary) == words, name


RUNTIME_COPIES: list[tuple[str, Any, Any]] = [
    ("FREQUENCIES", model.FREQUENCIES, model.Frequency),
    ("BACKGROUNDS", model.BACKGROUNDS, model.Background),
    ("CONTEXT_KINDS", model.CONTEXT_KINDS, model.ContextKind),
    ("SEXES", model.SEXES, model.Sex),
    ("GROUPS", model.GROUPS, model.Group),
    ("FUNCTIONAL_STATUSES", model.FUNCTIONAL_STATUSES, model.FunctionalStatus),
    ("PREVALENCES", model.PREVALENCES, model.Prevalence),
    ("INCIDENCES", model.INCIDENCES, model.Incidence),
    ("REJECTION_REASONS", model.REJECTION_REASONS, model.RejectionReason),
    ("URGENCIES", model.URGENCIES, model.Urgency),
    ("QUERY_STATUSES", model.QUERY_STATUSES, model.QueryStatus),
    ("GUT_REGIONS", model.GUT_REGIONS, model.GutRegion),
    ("SOURCE_KINDS", model.SOURCE_KINDS, model.SourceKind),
    ("EDUCATION_TOPICS", model.EDUCATION_TOPICS, model.EducationTopic),
    ("CASE_KINDS", model.CASE_KINDS, model.CaseKind),
    ("BACKGROUND_RATES", tuple(constants.BACKGROUND_RATES), model.Background),
    ("BACKGROUND_WORDS", tuple(wording.BACKGROUND_WORDS), model.Background),
    ("PRIOR_ODDS", tuple(constants.PRIOR_ODDS), model.Prevalence),
    ("INCIDENCE_ODDS", tuple(constants.INCIDENCE_ODDS), model.Incidence),
    ("STRENGTHS", constants.STRENGTHS, constants.Strength),
    ("MODES", index.MODES, index.Mode),
    ("classroom MODES", classroom.MODES, classroom.SessionMode),
]


@pytest.mark.parametrize(("name", "runtime", "vocabulary"), RUNTIME_COPIES, ids=[row[0] for row in RUNTIME_COPIES])
def test_runtime_copies_equal_their_literal(name: str, runtime: Any, vocabulary: Any) -> None:
    assert runtime == get_args(vocabulary), name


def test_dicts_keyed_by_part_of_a_vocabulary() -> None:
    assert tuple(constants.FREQUENCY_MIDPOINTS) == model.FREQUENCIES[:-1]  # 'excluded' is a ratio, not a rate
    assert set(model.FREQUENCY_BY_HPO.values()) == set(model.FREQUENCIES)
    assert model.TYPICAL == ("obligate", "very frequent", "frequent")
    assert tuple(wording.STRENGTH_EXPLANATIONS) == ("strong", "moderate", "weak", "none")


def test_member_narrows_a_word_and_refuses_others() -> None:
    assert model.member("very rare", model.FREQUENCIES) == "very rare"
    assert model.member("Very rare", model.FREQUENCIES) is None
    assert model.member("", model.SEXES) is None
    assert model.member("soon", model.URGENCIES) == "soon"  # a dict keyed by a vocabulary works too


def test_choice_reports_a_word_outside_the_vocabulary_with_the_whole_list() -> None:
    row = LineDict({"urgency": "later", "gut": "sidegut"})
    row.key_lines = {"urgency": 3, "gut": 4}
    problems: list[Problem] = []
    reader = RowReader(row, "rules/red_flags.yaml", problems, ("urgency", "gut"))
    assert reader.choice("urgency", tuple(model.URGENCIES)) == ""
    assert reader.choice("gut", model.GUT_REGIONS, required=False) == ""
    assert [str(p) for p in problems] == [
        "rules/red_flags.yaml:3: urgency: 'later' is not one of: emergency, urgent, soon",
        "rules/red_flags.yaml:4: gut: 'sidegut' is not one of: foregut, midgut, hindgut",
    ]
