"""Loading a folder again re-parses only the files whose text changed, and a kept parse never leaks one folder's
name, line numbers or problems into another load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import TableError, load_knowledge
from checker.tables import forget_parses
from tests.conftest import RULES

INVALID = Path(__file__).resolve().parent.parent / "data" / "invalid"


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(RULES, folder)
    return folder


def test_an_edited_table_is_parsed_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "rules")
    assert len(load_knowledge(folder).mimics) == len(load_knowledge(RULES).mimics)
    mimics = folder / "mimics.yaml"
    good = mimics.read_text(encoding="utf-8")
    mimics.write_text(good.replace("- id: acute-appendicitis\n", "- id: acute-appendicitis\n  id: again\n", 1), encoding="utf-8")
    with pytest.raises(TableError) as caught:
        load_knowledge(folder)
    assert [str(p) for p in caught.value.problems if p.field == "id"][0].startswith("rules/mimics.yaml:")
    mimics.write_text(good, encoding="utf-8")
    assert len(load_knowledge(folder).mimics) == len(load_knowledge(RULES).mimics)


def test_a_kept_parse_reports_problems_under_each_folders_own_name(tmp_path: Path) -> None:
    fixture = (INVALID / "links__duplicate_key.yaml").read_text(encoding="utf-8")
    found = {}
    for name in ("first", "second"):
        folder = _copy(tmp_path, name)
        (folder / "links.yaml").write_text(fixture, encoding="utf-8")
        with pytest.raises(TableError) as caught:
            load_knowledge(folder)
        found[name] = [str(p) for p in caught.value.problems if "duplicate key" in p.message]
    assert found["first"] and [line.replace("first/", "second/", 1) for line in found["first"]] == found["second"]


def test_a_load_after_forgetting_parses_gives_the_same_tables() -> None:
    kept = load_knowledge(RULES)
    forget_parses()
    fresh = load_knowledge(RULES)
    assert fresh.version == kept.version and fresh.links == kept.links and fresh.snapshot == kept.snapshot
