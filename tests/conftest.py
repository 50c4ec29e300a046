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


BROWSER_RERUNS = 1
"""A browser test that fails is run once more before it counts as failed: on a shared, loaded machine a click can
land inside a redraw (pytest-rerunfailures; `-ra` lists every rerun, so a flaky test stays visible)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS, reruns_delay=2))


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
