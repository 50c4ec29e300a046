"""Shared fixtures: the shipped knowledge base and the seed documents."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from checker import load_knowledge
from checker.model import KnowledgeBase

pytest_plugins = ["browser_support", "pg_support"]
"""Browser fixtures (app_url, chromium, app_page) and the screenshot-on-failure hook; a throwaway PostgreSQL
(postgres_url), for every test folder."""

# Live-class stores the tests open (the app's default SQLite file included) go to a throwaway folder, never ./data.
os.environ["NET_CHECKER_DATA"] = tempfile.mkdtemp(prefix="net-checker-test-data-")
os.environ.pop("NET_CHECKER_DB", None)

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = Path(os.environ.get("NET_CHECKER_SEEDS") or ROOT.parent / "shared" / "seeds")
SEEDS_SKIP = (
    "needs the four seed documents (the *.txt files named in rules/sources.yaml) in ../shared/seeds/ "
    "beside this clone, or in $NET_CHECKER_SEEDS; see README, 'Tests that need the seed documents'"
)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(RULES)


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Seed file name -> text; skips (or fails under CI=true) when the seed folder is absent."""
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SEEDS_SKIP} (looked in {SEEDS})")
        pytest.skip(SEEDS_SKIP)
    return {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file()}
