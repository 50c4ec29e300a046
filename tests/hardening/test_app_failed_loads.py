"""The app with broken tables (issue 11): a failed load is cached until a file changes, and the error page lists
the first problems (root causes first) with a count, instead of a 148 MB code block rebuilt on every visit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.common import SHOWN_PROBLEMS
from checker import DISCLAIMER, tablecache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    (folder / "links.yaml").write_text("- {}\n" * 3000, encoding="utf-8")
    (folder / "mimics.yaml").write_text("- [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("NET_CHECKER_RULES", str(folder))
    return folder


def _visit() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.warning[0].value == DISCLAIMER
    assert at.title[0].value == "The rule tables have problems"
    return at


def test_failed_load_is_cached_until_a_file_changes(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = tablecache.load_knowledge

    def counting(folder):  # type: ignore[no-untyped-def]
        calls.append(folder)
        return real(folder)

    monkeypatch.setattr(tablecache, "load_knowledge", counting)
    for _ in range(3):
        _visit()
    assert len(calls) == 1, "a failed load was repeated on every visit"
    links = broken / "links.yaml"
    links.write_text("- {}\n" * 2999, encoding="utf-8")
    stat = links.stat()
    os.utime(links, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    _visit()
    assert len(calls) == 2, "a changed file must be read again"


def test_error_page_lists_the_first_problems_root_causes_first(broken: Path) -> None:
    at = _visit()
    lines = at.code[0].value.splitlines()
    assert len(lines) == SHOWN_PROBLEMS + 1
    assert lines[0].startswith("rules/mimics.yaml:") and ": yaml: " in lines[0]
    assert lines[-1].startswith("... and ") and lines[-1].endswith("more problems (fix the ones above first)")
    assert len(at.code[0].value) < 20_000
