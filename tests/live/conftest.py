"""Fixtures for the live-class tests: a store on SQLite and on a throwaway PostgreSQL, and a clock the test moves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_support import Clock
from pg_support import fresh_database

from checker.live import Classroom, make_engine
from checker.model import KnowledgeBase


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.sqlite3'}"
    server = request.getfixturevalue("postgres_url")
    return fresh_database(server, f"live_{uuid.uuid4().hex[:12]}")


@pytest.fixture()
def room(store_url: str, kb: KnowledgeBase, clock: Clock) -> Iterator[Classroom]:
    engine = make_engine(store_url)
    yield Classroom(engine, kb, clock)
    engine.dispose()
