"""The app with broken tables (issue 11): a failed load is cached until a file changes, and the error page lists
the first problems (root causes first) with a count, instead of a 148 MB code block rebuilt on every visit."""

from __future__ import annotations

import os
import re
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


def _touch(path: Path, text: str) -> None:
    """Write `text` and move the modification time on, so the file counts as changed even within one second."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_table_broken_while_running_keeps_the_last_good_tables_with_a_banner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    monkeypatch.setenv("NET_CHECKER_RULES", str(folder))

    def visit(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["symptoms"] = "flushing"
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    at = visit()
    assert at.title[0].value == "NET checker" and not at.error
    mimics = folder / "mimics.yaml"
    good = mimics.read_text(encoding="utf-8")
    _touch(mimics, "- [unclosed\n")
    for page in (None, "app_pages/about.py", "app_pages/presentation.py", "app_pages/quiz.py"):
        at = visit(page)
        banner = at.error[0].value.replace("\\", "")
        assert re.match(
            rf"The rule tables in {re.escape(str(folder))} changed and now have \d+ problems\. The app "
            r"keeps showing the last tables that loaded \(version 20\d\d\.\d\d\.\d\d\) until they are "
            "fixed; a fresh start would show the error page",
            banner,
        ), banner
        assert f"First problem: {folder.name}/mimics.yaml:" in banner and ": yaml: " in banner
        assert banner.endswith(f"Check them with: .venv/bin/python -m checker validate --rules {folder}")
        assert at.title[0].value != "The rule tables have problems"
    assert visit().title[0].value == "NET checker"
    _touch(mimics, good)  # fixed: the banner goes
    at = visit()
    assert at.title[0].value == "NET checker" and not at.error
    _touch(mimics, "- [unclosed\n")
    from app_pages.common import _last_good

    _last_good.clear()  # a fresh start: no last good tables, so the error page
    at = visit()
    assert at.title[0].value == "The rule tables have problems"
