"""CLI findings of the security review (issue 11): closed pipes, non-UTF-8 output, echoed escapes, typos, letter
case, empty queries, a missing snapshot folder, and one table load per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import DISCLAIMER, tablecache
from checker.cli import EXIT_PIPE, main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_rank_on_a_missing_folder_names_the_folder_without_a_line() -> None:
    done = _run("rank", "--symptom", "flushing", "--rules", "/nonexistent-rules")
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "",
        "1 problem in the rule tables:\n/nonexistent-rules:0: folder: rules folder not found\n",
    )


def test_closed_pipe_exits_quietly_with_its_own_status() -> None:
    """`| head -1` closed the pipe: before, a BrokenPipeError traceback and exit 1 (the 'tables invalid' code)."""
    proc = subprocess.Popen([sys.executable, "-m", "checker", "dump"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert first.startswith(b"{")
    assert err == "" and code == EXIT_PIPE


def test_snapshot_check_on_a_missing_folder_is_a_message() -> None:
    done = _run("snapshot", "--rules", "/nonexistent-rules", "--check")
    assert done.returncode == 2 and "rules folder not found" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "command",
    [["dump"], ["rank", "--symptom", "flushing", "--format", "json"], ["rank", "--symptom", "flushing"], ["symptoms"], ["types"]],
    ids=["dump", "rank-json", "rank-table", "symptoms", "types"],
)
def test_ascii_only_stdout_gets_ascii_safe_output(command: list[str]) -> None:
    done = _run(*command, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert done.returncode == 0, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    done.stdout.encode("ascii")
    if "json" in command or command == ["dump"]:
        assert json.loads(done.stdout)["disclaimer"] == DISCLAIMER
    else:
        assert done.stdout.startswith(f"NOTICE: {DISCLAIMER}")


def test_terminal_escapes_in_ids_are_not_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    hostile = "\x1b[2J\x1b]0;owned\x07evil\u202e\x9b31m"
    assert main(["rank", "--symptom", hostile, "--hpo", hostile]) == 2
    err = capsys.readouterr().err
    assert "evil" in err
    assert not any(ch in err for ch in "\x1b\x07\u202e\x9b"), repr(err)


def test_unmapped_hpo_ids_are_not_echoed_raw(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--symptom", "flushing", "--hpo", "\x1b[31mHP:1\x1b[0m"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "HP:1" in out


@pytest.mark.parametrize(("typo", "suggestion"), [("flushin", "flushing"), ("sweaty", "sweating"), ("wheezng", "wheezing")])
def test_a_typo_gets_did_you_mean(typo: str, suggestion: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--symptom", typo]) == 2
    err = capsys.readouterr().err
    assert f"unknown symptom id: {typo} (did you mean: " in err and suggestion in err


def test_ids_are_case_insensitive_like_syndromes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--format", "json", "--symptom", "Flushing", "--absent", "WHEEZING", "--syndrome", "MEN1"]) == 0
    upper = json.loads(capsys.readouterr().out)
    assert main(["rank", "--format", "json", "--symptom", "flushing", "--absent", "wheezing", "--syndrome", "men1"]) == 0
    assert upper == json.loads(capsys.readouterr().out)
    assert upper["query"]["symptoms"] == ["flushing"]


@pytest.mark.parametrize(
    "args",
    [[], ["--functional", "functional"], ["--absent", "wheezing"], ["--hpo", "HP:0000006"]],
    ids=["nothing", "status-only", "absent-only", "unmapped-hpo"],
)
def test_rank_with_nothing_to_rank_says_so(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "give at least one present finding" in captured.err


def test_tables_load_once_per_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[str] = []
    real = tablecache.load_knowledge

    def counting(folder):  # type: ignore[no-untyped-def]
        calls.append(folder)
        return real(folder)

    tablecache.clear()
    monkeypatch.setattr(tablecache, "load_knowledge", counting)
    for _ in range(3):
        assert main(["rank", "--symptom", "flushing", "--top", "1"]) == 0
    capsys.readouterr()
    assert len(calls) == 1


def test_validate_strips_escapes_that_a_table_carries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A custom table's text is quoted in problem lines; an escape sequence in it must not reach the terminal."""
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    links = folder / "links.yaml"
    text = links.read_text(encoding="utf-8")
    links.write_text(text.replace("symptom: flushing", 'symptom: "flush\\e[2J\\e]0;owned\\ading"', 1), encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "rules/links.yaml:" in out and "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize(
    "hidden",
    ["\\u202e", "\\u202a", "\\u2067", "\\e[31m", "\\x9b"],
    ids=["right-to-left-override", "left-to-right-embedding", "right-to-left-isolate", "terminal-escape", "c1-control"],
)
def test_table_text_with_controls_is_a_table_error(hidden: str, tmp_path: Path) -> None:
    """Each kind on its own is refused: bidi embeddings, overrides and isolates as well as C0/C1 controls."""
    import shutil

    from checker import TableError, load_knowledge

    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    types = folder / "types.yaml"
    text = types.read_text(encoding="utf-8")
    types.write_text(text.replace("name: Insulinoma", f'name: "Insulinoma{hidden} evil"', 1), encoding="utf-8")
    with pytest.raises(TableError) as info:
        load_knowledge(folder)
    assert [p.field for p in info.value.problems] == ["name"]
    assert info.value.problems[0].message == (
        "text contains control or direction-override characters (terminal escapes, U+202E and the like); remove them"
    )


def test_a_closed_stdout_ends_quietly() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        f"{sys.executable} -m checker rank --symptom flushing >&-",
        shell=True,
        cwd=ROOT,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (141, "")


def test_repeated_flags_are_dropped_early_and_distinct_ones_capped(capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import MAX_REPEATS, main

    assert main(["rank", "--symptom", "flushing", *(["--symptom", "Flushing"] * 20000), "--format", "json"]) == 0
    capsys.readouterr()
    many = [arg for i in range(MAX_REPEATS + 1) for arg in ("--symptom", f"nope-{i}")]
    assert main(["rank", *many]) == 2
    assert capsys.readouterr().err.strip() == f"error: --symptom was given {MAX_REPEATS + 1} different values; the limit is 500"


def test_csv_guard_covers_formulas_after_separators() -> None:
    from checker.text import csv_cell

    assert [csv_cell(v) for v in ("a;=HYPERLINK(1)", "b\t@SUM(1)", "c|+1", "weight, -5 kg", "=1", "-3")] == [
        "a;'=HYPERLINK(1)",
        "b\t'@SUM(1)",
        "c|'+1",
        "weight, -5 kg",
        "'=1",
        "-3",
    ]


def test_www_after_an_underscore_is_defused() -> None:
    from checker.text import WORD_JOINER, md_escape

    assert md_escape("_www.evil-login.com") == f"\\_www{WORD_JOINER}\\.evil-login.com"
