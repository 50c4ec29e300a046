"""Minimal reproductions of loader crashes found by the table fuzzer (test_table_fuzz.py).

Each builds a copy of the shipped rules with one small change and expects the loader's contract:
`TableError` with file and line, never another exception.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import TableError, load_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    return folder


def _first_type_row(folder: Path) -> str:
    text = (folder / "types.yaml").read_text(encoding="utf-8")
    start = text.index("\n- id: ") + 1
    end = text.index("\n- id: ", start)
    return text[start:end]


def _expect_table_error(folder: Path) -> TableError:
    with pytest.raises(TableError) as info:
        load_knowledge(folder)
    for problem in info.value.problems:
        assert problem.file and type(problem.line) is int and problem.line >= 0
    return info.value


def test_integer_longer_than_python_str_limit_is_a_table_error(rules: Path) -> None:
    """PyYAML's int() of a >4300-digit plain scalar raises ValueError inside read_yaml (not a YAMLError)."""
    manifest = rules / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "extra: " + "7" * 5000 + "\n", encoding="utf-8")
    _expect_table_error(rules)


def test_huge_hex_integer_value_is_a_table_error(rules: Path) -> None:
    """A hex int parses fine, but RowReader.text's str(value) raises ValueError past 4300 decimal digits."""
    manifest = rules / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('version: "', "version: 0x" + "f" * 5000 + '\nold: "'), encoding="utf-8")
    _expect_table_error(rules)


def test_numeric_type_id_is_a_table_error(rules: Path) -> None:
    """`id: 77` reads as text '77' in RowReader but _Context.ids skips non-str ids: KeyError in
    _check_types_have_links (and in _check_symptom_graph for symptoms)."""
    row = _first_type_row(rules).replace("- id: small-intestine-net", "- id: 77", 1)
    with (rules / "types.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + row + "\n")
    _expect_table_error(rules)


def test_overlong_type_id_is_a_table_error(rules: Path) -> None:
    """RowReader.text cuts values to 4000 characters but _Context.ids keeps the whole id: KeyError."""
    row = _first_type_row(rules).replace("- id: small-intestine-net", "- id: " + "x" * 5000, 1)
    with (rules / "types.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + row + "\n")
    _expect_table_error(rules)
