"""Each table file is parsed once: rows are built straight from the parser's events, with the lines, values and
problems that PyYAML's compose-then-construct gave."""

from __future__ import annotations

from typing import Any

import pytest

from checker import load_knowledge, yamlio
from checker.errors import Problem
from checker.tables import forget_parses
from checker.yamlio import LineDict, LineList
from tests.conftest import RULES


def _shape(data: Any) -> Any:
    """Data with every line a reader can ask for."""
    if isinstance(data, LineDict):
        return "map", data.line, [(key, data.key_lines[key], _shape(value)) for key, value in data.items()]
    if isinstance(data, LineList):
        return "list", data.line, data.item_lines, [_shape(item) for item in data]
    return type(data).__name__, data


def _one_pass(text: str) -> tuple[Any, list[str]]:
    problems: list[Problem] = []
    return _shape(yamlio._parse_into(text, problems)), [str(p) for p in problems]


def _pyyaml(text: str) -> tuple[Any, list[str]]:
    problems: list[Problem] = []
    return _shape(yamlio._compose_and_construct(text, problems)), [str(p) for p in problems]


SAME_AS_PYYAML = {
    "rows": "- id: a\n  label: A\n  synonyms: [x, 'y']\n- id: b\n  share: {value: 0.5, basis: half}\n",
    "typed scalars": "- [1, 1.5, yes, no, ~, '', 2024-01-02, '1', !!str 2, 0x1F, .inf, -.nan, 'true']\n",
    "non-text keys": "1: a\ntrue: b\n~: c\n",
    "duplicate keys": "- {a: 1, a: 2}\n- b: 1\n  b: {c: 1, c: 2}\n",
    "duplicate key, then a syntax error": "a: 1\na: 2\nb: [\n",
    "bad value, then a duplicate key": "- !!int abc\n- {a: 1, a: 2}\n",
    "duplicate key, then a bad value": "- {a: 1, a: 2}\n- !!bool some text\n",
    "bad value under a duplicate key": "a: 1\na: !!int x\nb: 2\n",
    "bad value, then a syntax error": "a: !!int x\nb: [\n",
    "syntax error": "a: b: c\n",
    "alias": "- &x a\n- *x\n" + "#" * 100_001,
    "anchor": "a: &x 1\nb: 2\n",
    "anchor, then a syntax error": "a: &x 1\nb: &x 2\nc: [\n",
    "merge key": "x: {<<: [{a: 1}, {b: 2}], c: 3}\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "set": "!!set {a: null}\n",
    "nesting 70 deep in a small file": "[" * 70 + "]" * 70,
    "nesting 300 deep in a small file": "[" * 300 + "]" * 300,
    "nesting 70 deep, checked": "[" * 70 + "]" * 70 + "\n# *",
    "5001 rows": "- 1\n" * 5001 + "# *",
    "empty": "",
}


@pytest.mark.parametrize("text", SAME_AS_PYYAML.values(), ids=SAME_AS_PYYAML.keys())
def test_one_pass_gives_what_pyyaml_gives(text: str) -> None:
    assert _one_pass(text) == _pyyaml(text)


def test_rows_keep_their_lines_and_duplicate_keys_their_message() -> None:
    data, problems = _one_pass("- id: a\n  id: b\n  tags:\n    - x\n    - 2\n")
    assert data == (
        "list",
        1,
        [1],
        [("map", 1, [("id", 1, ("str", "a")), ("tags", 3, ("list", 4, [4, 5], [("str", "x"), ("int", 2)]))])],
    )
    assert problems == [":2: id: duplicate key 'id' (first on line 1)"]


def test_every_shipped_table_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsers: list[str] = []
    base_init = yamlio._Loader.__init__

    def counted(self: Any, stream: str, problems: list[Problem], path: str) -> None:
        parsers.append(stream[:40])
        base_init(self, stream, problems, path)

    monkeypatch.setattr(yamlio._Loader, "__init__", counted)
    monkeypatch.setattr(yamlio, "_compose_and_construct", None)  # never needed for the shipped tables
    forget_parses()
    load_knowledge(RULES)
    assert len(parsers) == len(list(RULES.glob("*.yaml"))) == 14
