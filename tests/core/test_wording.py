"""The word tables of the fixed vocabularies: each covers its whole vocabulary, and each is written only once.

A word table is a dict literal whose keys are the words of a fixed vocabulary (a Literal type) and whose values
are text. It belongs in checker/wording.py (the vocabularies' class meanings included; checker/model.py keeps only
their words), or in app_pages/words.py when it carries Streamlit Markdown.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from app_pages import words
from checker import model, wording
from checker.live import classroom
from checker.scoring import constants, index, query

ROOT = Path(__file__).resolve().parents[2]
WORDING_MODULES = ("checker/wording.py", "app_pages/words.py")

PARTIAL_TABLES = {"CONTRIBUTION_NAMES": {"functional", "syndrome", "prior", "reading", "picture"}}
"""Tables that name only part of their vocabulary; the rest are shown by their own label."""


def word_tables(module: ModuleType) -> dict[str, tuple[dict[Any, Any], tuple[str, ...]]]:
    """Each module-level dict annotated as keyed by a Literal: (the dict, that Literal's words)."""
    out = {}
    for name, hint in get_type_hints(module).items():
        if get_origin(hint) is dict and get_origin(get_args(hint)[0]) is Literal:
            out[name] = (getattr(module, name), get_args(get_args(hint)[0]))
    return out


TABLES = {f"{module.__name__}.{name}": table for module in (wording, words) for name, table in word_tables(module).items()}


def test_the_word_tables_found() -> None:
    assert sorted(TABLES) == [
        "app_pages.words.STRENGTH_COLOURS",
        "checker.wording.BACKGROUND_RANGES",
        "checker.wording.BACKGROUND_WORDS",
        "checker.wording.CONTRIBUTION_NAMES",
        "checker.wording.FREQUENCY_RANGES",
        "checker.wording.GROUP_NAMES",
        "checker.wording.HORMONE_STATUS_ANSWERS",
        "checker.wording.HORMONE_STATUS_TOLD",
        "checker.wording.HORMONE_STATUS_WORDS",
        "checker.wording.INCIDENCE_RANGES",
        "checker.wording.PREVALENCE_RANGES",
        "checker.wording.REJECTION_REASON_TEXTS",
        "checker.wording.SEX_WORDS",
        "checker.wording.STRENGTH_EXPLANATIONS",
        "checker.wording.STRENGTH_LABELS",
        "checker.wording.URGENCY_WORDS",
    ]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_table_covers_its_vocabulary(name: str) -> None:
    table, vocabulary = TABLES[name]
    expected = PARTIAL_TABLES.get(name.rsplit(".", 1)[1], set(vocabulary))
    assert set(table) == expected, name
    assert set(table) <= set(vocabulary), name
    assert all(isinstance(text, str) and text for text in table.values()), name


def test_the_words_a_user_reads() -> None:
    assert wording.STRENGTH_LABELS["moderate"] == "Moderate match"
    assert wording.HORMONE_STATUS_ANSWERS["functional"] == "Yes, hormone symptoms are present"
    assert wording.HORMONE_STATUS_TOLD["unknown"] == "Whether there are hormone symptoms is not known."
    assert wording.hormone_status_line("nonfunctional") == "Hormone symptoms: none"
    assert wording.URGENCY_WORDS["urgent"] == "Urgent: get medical care today."
    assert wording.BACKGROUND_WORDS["uncommon"] == "about 3 in 1,000"
    assert wording.CONTRIBUTION_NAMES["reading"] == "Hormone status not given"


def vocabularies() -> list[frozenset[str]]:
    """Every fixed vocabulary's words, and the key set of each partial word table."""
    found = {
        frozenset(get_args(value))
        for module in (model, constants, query, index, classroom)
        for value in vars(module).values()
        if get_origin(value) is Literal
    }
    return [*found, *(frozenset(keys) for keys in PARTIAL_TABLES.values())]


def is_text(node: ast.expr | None) -> bool:
    """A string, an f-string, or a call on strings (trusted("..."), md("...", ...))."""
    if isinstance(node, ast.Call):
        return bool(node.args) and all(map(is_text, node.args))
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def copies(tree: ast.AST, path: str, known: list[frozenset[str]]) -> list[str]:
    """'path:line NAME' for each dict literal of text keyed by exactly one vocabulary's words."""
    out = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if not isinstance(value, ast.Dict) or not value.keys:
            continue
        keys = [k.value for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if len(keys) != len(value.keys) or not all(map(is_text, value.values)) or frozenset(keys) not in known:
            continue
        if all(isinstance(v, ast.Constant) and any(v.value in words for words in known) for v in value.values):
            continue  # a map from one vocabulary to another (tables.FUNCTIONAL_BY_SHARE), not wording
        name = ast.unparse(targets[0])
        out.append(f"{path}:{node.lineno} {name}")
    return out


def test_no_word_table_outside_the_wording_modules() -> None:
    known = vocabularies()
    found = []
    for file in sorted([*ROOT.glob("checker/**/*.py"), *ROOT.glob("app_pages/*.py")]):
        path = file.relative_to(ROOT).as_posix()
        if path not in WORDING_MODULES:
            found += copies(ast.parse(file.read_text(encoding="utf-8")), path, known)
    assert found == []


def test_the_copy_check_bites() -> None:
    source = (
        'LABELS = {"strong": "Strong", "moderate": "Moderate", "weak": "Weak", "none": "None"}\n'
        'NAMES: dict[str, str] = {"functional": "a", "syndrome": "b", "prior": "c", "reading": "d", "picture": "e"}\n'
        'RATES = {"strong": 1 / 2, "moderate": 0.5, "weak": 0.1, "none": 0}\n'
        'URGENT = {"emergency": trusted("Now."), "urgent": f"{x} today", "soon": "Soon."}\n'
        'SOME = {"strong": "Strong", "weak": "Weak"}\n'
        'MAP = {"strong": "functional", "moderate": "either", "weak": "either", "none": "nonfunctional"}\n'
    )
    assert copies(ast.parse(source), "app_pages/x.py", vocabularies()) == [
        "app_pages/x.py:1 LABELS",
        "app_pages/x.py:2 NAMES",
        "app_pages/x.py:4 URGENT",
    ]
