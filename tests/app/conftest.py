"""Fixtures for the AppTest suite: the shipped rule tables, and a fresh AppTest of app.py per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from checker import load_knowledge
from checker.model import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped rule tables (rules/), whatever $NET_CHECKER_RULES says."""
    return load_knowledge(ROOT / "rules")


@pytest.fixture()
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """An AppTest of app.py with the shipped rule tables (not yet run)."""
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    return AppTest.from_file(str(APP), default_timeout=30)
