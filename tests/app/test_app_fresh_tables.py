"""AppTest: a rule table edited while the app runs, without a new version, changes every page on the next rerun
(caches are keyed by the tables' file states, and every page gets the tables served to its run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from app_helpers import APP, ROOT, card_titles, plain, run, texts
from streamlit.testing.v1 import AppTest

CASE = "small-intestine-carcinoid-syndrome"  # its findings include flushing; its answer is the small intestine NET
OLD_LABEL, NEW_LABEL = "Flushing: redness and warmth of the face or neck", "Flushing EDITED: warm red face"
OLD_TYPE, NEW_TYPE = "Small intestine NET (midgut carcinoid)", "Midgut NET EDITED"
OLD_TITLE, NEW_TITLE = "Belly pains for years, then something new", "Belly pains EDITED"
EDITS = {  # file: (old text, new text), each found once; the manifest's version stays as it is
    "symptoms.yaml": (
        f"  label: '{OLD_LABEL}'\n  clinical: Flushing\n  group: skin\n",
        f"  label: '{NEW_LABEL}'\n  clinical: Flushing\n  group: heart\n",
    ),
    "types.yaml": (f"  name: {OLD_TYPE}\n", f"  name: {NEW_TYPE}\n"),
    "cases.yaml": (f"  title: {OLD_TITLE}\n", f"  title: {NEW_TITLE}\n"),
}


def _edit(folder: Path) -> None:
    """Apply EDITS, moving each file's modification time on so that it counts as changed within one second."""
    for name, (old, new) in EDITS.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, name
        path.write_text(text.replace(old, new), encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _open(at: AppTest, page: str, **params: str) -> AppTest:
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return run(at)


def _group_pills(at: AppTest, group: str) -> list[str]:
    """The findings offered when browsing one body system, as shown."""
    at.session_state["browse"] = group
    run(at)
    return [plain(option) for option in at.pills(key=f"grp_{group}").options]


def _checker(at: AppTest) -> dict[str, object]:
    _open(at, "app_pages/checker.py")
    return {
        "ticked": [plain(o) for o in at.multiselect(key="ticked").options],
        "first card": card_titles(at)[0],
        "skin": _group_pills(at, "skin"),
        "heart": _group_pills(at, "heart"),
    }


def _presentation(at: AppTest) -> str:
    return texts(_open(at, "app_pages/presentation.py", case=CASE, step="7"))  # the answer (6 findings)


def _quiz(at: AppTest) -> tuple[str, list[str]]:
    _open(at, "app_pages/quiz.py", case=CASE)
    return texts(at), list(at.selectbox(key="quiz_guess").options)


def _rule_tables(at: AppTest) -> tuple[list[str], list[str], list[str]]:
    """The heatmap grid's findings and types, and the symptoms table's row for flushing (label, group)."""
    _open(at, "app_pages/rule_tables.py")
    grid = at.dataframe[0].value
    symptoms = next(d.value for d in at.dataframe if "clinical" in d.value.columns)
    row = symptoms[symptoms["id"] == "flushing"].iloc[0]
    return list(grid.index), list(grid.columns), [row["label"], row["group"]]


@pytest.fixture()
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    monkeypatch.setenv("NET_CHECKER_RULES", str(folder))
    return folder


def test_a_table_edited_under_a_running_app_changes_every_page(rules: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["symptoms"] = "flushing"  # read on the session's first run: flushing stays ticked after it
    run(at)
    checker = _checker(at)
    assert checker["ticked"] == [OLD_LABEL]
    assert checker["first card"] == f"1. {OLD_TYPE}"
    assert OLD_LABEL in checker["skin"] and OLD_LABEL not in checker["heart"]
    assert OLD_LABEL in texts(_open(at, "app_pages/about.py"))
    shown = _presentation(at)
    assert OLD_TITLE in shown and OLD_LABEL in shown and OLD_TYPE in shown
    quiz, choices = _quiz(at)
    assert OLD_TITLE in quiz and OLD_LABEL in quiz and OLD_TYPE in choices
    findings, types, row = _rule_tables(at)
    assert OLD_LABEL in findings and OLD_TYPE in types and row == [OLD_LABEL, "skin"]

    _edit(rules)
    checker = _checker(at)
    assert checker["ticked"] == [NEW_LABEL]
    assert checker["first card"] == f"1. {NEW_TYPE}"
    assert NEW_LABEL in checker["heart"] and not {OLD_LABEL, NEW_LABEL} & set(checker["skin"])
    about = texts(_open(at, "app_pages/about.py"))
    assert NEW_LABEL in about and OLD_LABEL not in about
    shown = _presentation(at)
    assert NEW_TITLE in shown and NEW_LABEL in shown and NEW_TYPE in shown
    assert OLD_TITLE not in shown and OLD_LABEL not in shown and OLD_TYPE not in shown
    quiz, choices = _quiz(at)
    assert NEW_TITLE in quiz and NEW_LABEL in quiz and NEW_TYPE in choices
    assert OLD_TITLE not in quiz and OLD_LABEL not in quiz and OLD_TYPE not in choices
    findings, types, row = _rule_tables(at)
    assert NEW_LABEL in findings and OLD_LABEL not in findings
    assert NEW_TYPE in types and OLD_TYPE not in types
    assert row == [NEW_LABEL, "heart"]
