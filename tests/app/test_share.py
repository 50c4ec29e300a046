"""checker.share: shareable-link parsing is tolerant of anything and round-trips every valid query."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Query
from checker.model import AGE_BANDS, SEXES, KnowledgeBase
from checker.share import (
    MAX_NOTICES,
    parse_params,
    query_string,
    share_link,
    shown,
    to_params,
)


def test_round_trip_full_query(kb: KnowledgeBase) -> None:
    query = Query(present=("flushing", "diarrhea"), absent=("wheezing",), functional="functional", syndrome="men1")
    params = to_params(query)
    assert params == {"symptoms": "diarrhea,flushing", "absent": "wheezing", "functional": "functional", "syndrome": "men1"}
    assert parse_params(params, kb) == (query, [])


def test_defaults_are_left_out(kb: KnowledgeBase) -> None:
    assert to_params(Query()) == {}
    assert to_params(Query(present=("sweating",))) == {"symptoms": "sweating"}
    assert parse_params({}, kb) == (Query(), [])


def test_query_string_keeps_commas_readable() -> None:
    query = Query(present=("sweating", "flushing"), syndrome="men2")
    assert query_string(query) == "symptoms=flushing,sweating&syndrome=men2"


def test_share_link() -> None:
    query = Query(present=("sweating",))
    assert share_link("http://localhost:8501", query) == "http://localhost:8501/?symptoms=sweating"
    assert share_link("https://host/app/?old=1#x", query) == "https://host/app/?symptoms=sweating"
    assert share_link(None, query) == "?symptoms=sweating"
    assert share_link("http://[broken", query) == "?symptoms=sweating"


def test_lists_repeated_keys_case_and_spaces(kb: KnowledgeBase) -> None:
    query, notices = parse_params({"Symptoms": ["Sweating, flushing", "diarrhea"], "FUNCTIONAL": [" Functional "]}, kb)
    assert query.present == ("diarrhea", "flushing", "sweating")
    assert query.functional == "functional"
    assert notices == []


def test_pairs_are_accepted(kb: KnowledgeBase) -> None:
    query, notices = parse_params([("symptoms", "sweating"), ("symptoms", "flushing")], kb)
    assert query.present == ("flushing", "sweating")
    assert notices == []


@pytest.mark.parametrize(
    "params, words",
    [
        ({"symptoms": "sweating,nope"}, ["unknown symptom id 'nope'"]),
        ({"absent": "nope"}, ["unknown symptom id 'nope'"]),
        ({"functional": "sometimes"}, ["unknown hormone-symptom status 'sometimes'"]),
        ({"syndrome": "men9"}, ["unknown hereditary syndrome 'men9'"]),
        ({"colour": "red"}, ["unknown link setting 'colour'"]),
        ({"symptoms": "sweating", "absent": "sweating"}, ["'sweating' listed both as present and ruled out"]),
        ({"functional": ["functional", "nonfunctional"]}, ["more than one hormone-symptom status; kept 'functional'"]),
        ({"symptoms": 42}, ["not text"]),
    ],
)
def test_bad_input_is_dropped_with_a_notice(kb: KnowledgeBase, params: dict, words: list[str]) -> None:
    query, notices = parse_params(params, kb)
    text = " ".join(notices)
    for word in words:
        assert word in text, notices
    assert "nope" not in query.present + query.absent


def test_blank_and_none_syndrome(kb: KnowledgeBase) -> None:
    assert parse_params({"syndrome": ""}, kb) == (Query(), [])
    assert parse_params({"syndrome": "none"}, kb) == (Query(), [])
    assert parse_params({"functional": ""}, kb) == (Query(), [])


def test_embed_keys_are_ignored_silently(kb: KnowledgeBase) -> None:
    assert parse_params({"embed": "true", "embed_options": "light_theme"}, kb) == (Query(), [])


def test_html_is_never_echoed(kb: KnowledgeBase) -> None:
    evil = '<img src=x onerror="alert(1)">'
    query, notices = parse_params({"symptoms": evil, evil: "x", "syndrome": evil}, kb)
    assert query == Query()
    assert notices
    for notice in notices:
        assert "<" not in notice and ">" not in notice and '"' not in notice


def test_huge_input_is_capped(kb: KnowledgeBase) -> None:
    huge = ",".join(["sweating"] + [f"junk-{i}" for i in range(100_000)])
    query, notices = parse_params({"symptoms": huge}, kb)
    assert query.present == ("sweating",)
    assert len(notices) <= MAX_NOTICES + 1
    assert all(len(n) < 300 for n in notices)
    many_keys = {f"k{i}": "v" for i in range(1000)}
    _, notices = parse_params(many_keys, kb)
    assert len(notices) <= MAX_NOTICES + 1
    long_id = "a" * 100_000
    _, notices = parse_params({"symptoms": long_id}, kb)
    assert all(len(n) < 300 for n in notices)


@pytest.mark.parametrize(
    "odd",
    [
        None,
        "symptoms=sweating",
        b"bytes",
        12,
        object(),
        [1, 2, 3],
        [("a",)],
        {1: "x"},
        {"symptoms": None},
        {"symptoms": [None, b"sweating"]},
        {"symptoms": {"nested": "dict"}},
        {"symptoms": [["sweating"]]},
    ],
)
def test_odd_shapes_never_raise(kb: KnowledgeBase, odd: object) -> None:
    query, notices = parse_params(odd, kb)
    assert isinstance(query, Query)
    assert all(isinstance(n, str) for n in notices)


def test_bytes_values_are_decoded(kb: KnowledgeBase) -> None:
    query, _ = parse_params({"symptoms": [None, b"sweating"]}, kb)
    assert query.present == ("sweating",)


def test_shown_is_short_and_safe() -> None:
    assert shown("Sweating") == "'sweating'"
    assert shown("<b>" * 50).startswith("'?b??b?")
    assert shown("x" * 100).endswith("...'")
    assert set(shown("\u202e\x00`$*_[]")) <= set(string.ascii_lowercase + string.digits + "-_.:?'")


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.binary(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(["symptoms", "absent", "functional", "syndrome", "x", "", "SYMPTOMS"]) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_like, max_size=6))
def test_parse_never_raises_and_returns_a_valid_query(kb: KnowledgeBase, mapping: dict) -> None:
    query, notices = parse_params(mapping, kb)
    assert set(query.present) <= set(kb.symptoms)
    assert set(query.absent) <= set(kb.symptoms)
    assert query.functional in ("functional", "nonfunctional", "unknown")
    assert query.syndrome is None or query.syndrome in kb.hereditary
    assert len(notices) <= MAX_NOTICES + 1
    for notice in notices:
        assert "<" not in notice and ">" not in notice


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_valid_query_round_trips(kb: KnowledgeBase, data: st.DataObject) -> None:
    ids = sorted(kb.symptoms)
    present = data.draw(st.lists(st.sampled_from(ids), max_size=8))
    absent = data.draw(st.lists(st.sampled_from(ids), max_size=5))
    functional = data.draw(st.sampled_from(["functional", "nonfunctional", "unknown"]))
    syndrome = data.draw(st.none() | st.sampled_from(sorted(kb.hereditary)))
    history_items = sorted(i.id for i in kb.population.values() if i.kind == "history")
    history = data.draw(st.lists(st.sampled_from(history_items), max_size=3, unique=True))
    others = [h for h in history_items if h not in history]
    no_history = data.draw(st.lists(st.sampled_from(others), max_size=3, unique=True) if others else st.just([]))
    query = Query(
        present=tuple(present),
        absent=tuple(absent),
        functional=functional,
        syndrome=syndrome,
        age=data.draw(st.none() | st.sampled_from(sorted(AGE_BANDS))),
        sex=data.draw(st.none() | st.sampled_from(SEXES)),
        history=tuple(history),
        no_history=tuple(no_history),
    )
    params = to_params(query)
    assert parse_params(params, kb) == (query, [])
    # as Streamlit hands them over: every parameter a list of its values
    assert parse_params({key: [value] for key, value in params.items()}, kb) == (query, [])


def test_share_module_does_not_import_streamlit() -> None:
    import ast
    import inspect

    import checker.search
    import checker.share

    for module in (checker.share, checker.search):
        tree = ast.parse(inspect.getsource(module))
        names = [
            alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names
        ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not any(name.split(".")[0] == "streamlit" for name in names)


@pytest.mark.parametrize(
    ("params", "query", "notice"),
    [
        (
            {"functional": ["nonfunctional", "functional"]},
            Query(functional="nonfunctional"),
            "The link gives more than one hormone-symptom status; kept 'nonfunctional'.",
        ),
        ({"sex": ["male", "female"]}, Query(sex="male"), "The link gives more than one sex; kept 'male'."),
        ({"age": ["70", "30"]}, Query(age="age-60-plus"), "The link gives more than one age; kept 'age-60-plus'."),
        (
            {"syndrome": ["none", "men2", "men1"]},
            Query(syndrome="men2"),
            "The link gives more than one hereditary syndrome; kept 'men2'.",
        ),
    ],
)
def test_a_setting_given_twice_keeps_the_first_valid_value(kb: KnowledgeBase, params: dict, query: Query, notice: str) -> None:
    """A single-valued setting repeated in a link (``?sex=male&sex=female``): the first valid value is used, and
    the notice names the value kept."""
    assert parse_params(params, kb) == (query, [notice])
