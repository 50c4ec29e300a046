"""Golden outputs on the tiny tables: CLI JSON, Markdown handout and CSV, byte for byte.

Regenerate after a deliberate change with `NET_CHECKER_UPDATE_GOLDEN=1 pytest tests/core/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from checker import Query, load_knowledge, rank
from checker.cli import main
from checker.report import markdown_handout, print_handout, results_csv

DATA = Path(__file__).resolve().parent.parent / "data"
TINY = DATA / "tiny_rules"
GOLDEN = DATA / "golden"
DAY = date(2026, 12, 1)
QUERY = Query(present=("flushing", "diarrhea", "wheezing"), absent=("low-blood-glucose",), functional="unknown", syndrome="syn1")


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NET_CHECKER_UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing golden file {path}"
    assert text == path.read_bytes().decode("utf-8")  # bytes: CSV keeps its \r\n line ends


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "rank",
        "--rules",
        str(TINY),
        "--format",
        "json",
        "--symptom",
        "flushing",
        "--symptom",
        "diarrhea",
        "--symptom",
        "wheezing",
        "--absent",
        "low-blood-glucose",
        "--syndrome",
        "syn1",
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    _check("rank.json", json.dumps(out, indent=2, ensure_ascii=False) + "\n")


def test_markdown_handout() -> None:
    kb = load_knowledge(TINY)
    _check("handout.md", markdown_handout(kb, rank(kb, QUERY), today=DAY))


def test_printed_handout() -> None:
    kb = load_knowledge(TINY)
    _check("printed_handout.md", print_handout(kb, rank(kb, QUERY), today=DAY))


def test_csv() -> None:
    kb = load_knowledge(TINY)
    _check("results.csv", results_csv(kb, rank(kb, QUERY), today=DAY))
