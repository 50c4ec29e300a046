"""The live-class store: one schema in SQLAlchemy Core for SQLite (default) and PostgreSQL, with versioned migrations.

SQLite is one file in a data folder (``$NET_CHECKER_DATA``, default ``./data``), in WAL mode, nothing to install.
``$NET_CHECKER_DB`` set to a ``postgresql://`` URL puts every replica on one PostgreSQL database, so an educator
and the students may land on different replicas. Nothing here stores an IP address or a user agent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

metadata = sa.MetaData()

schema_version = sa.Table(
    "live_schema_version",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

sessions = sa.Table(
    "live_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("host_hash", sa.String(64), nullable=False),
    sa.Column("case_id", sa.String(80), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),  # 'live' or 'self-paced'
    sa.Column("step", sa.Integer, nullable=False, default=0),
    sa.Column("show_answers", sa.Boolean, nullable=False, default=False),
    sa.Column("ended", sa.Boolean, nullable=False, default=False),
    sa.Column("revision", sa.Integer, nullable=False, default=0),  # bumped on every educator action
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("step_at", sa.Float, nullable=False),  # when the current step began
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("opens_at", sa.Float, nullable=True),  # self-paced window
    sa.Column("closes_at", sa.Float, nullable=True),
)

students = sa.Table(
    "live_students",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 1, 2, ... in join order: the only name in exports
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("nickname", sa.String(24), nullable=True),
    sa.Column("step", sa.Integer, nullable=False, default=0),  # own step in a self-paced session
    sa.Column("joined_at", sa.Float, nullable=False),
    sa.UniqueConstraint("session_id", "number", name="uq_live_student_number"),
)

answers = sa.Table(
    "live_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("student_id", sa.Integer, sa.ForeignKey("live_students.id", ondelete="CASCADE"), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("lead", sa.String(80), nullable=False),
    sa.Column("second", sa.String(80), nullable=True),
    sa.Column("third", sa.String(80), nullable=True),
    sa.Column("answered_at", sa.Float, nullable=False),
    sa.Index("ix_live_answers_session_step", "session_id", "step"),
    sa.Index("ix_live_answers_student_step", "student_id", "step"),
)

join_failures = sa.Table(
    "live_join_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_hash", sa.String(64), nullable=False),  # a hash of the browser tab's session, never an address
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_live_join_failures_at", "at"),
)


def _v1(conn: Connection) -> None:
    """Sessions, students, answers and failed joins."""
    for table in (sessions, students, answers, join_failures):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1,)
"""Migration k+1 takes the schema from version k to k+1. Append; never edit one that has shipped."""
SCHEMA_VERSION = len(MIGRATIONS)

DEFAULT_FILE = "live.sqlite3"


def database_url(env: dict[str, str] | None = None) -> str:
    """$NET_CHECKER_DB (a postgresql:// URL), else a SQLite file in $NET_CHECKER_DATA (default ./data)."""
    env = dict(os.environ) if env is None else env
    url = env.get("NET_CHECKER_DB", "").strip()
    if url:
        return url
    folder = Path(env.get("NET_CHECKER_DATA", "").strip() or "data")
    return f"sqlite:///{folder / DEFAULT_FILE}"


def _driver_url(url: str) -> str:
    """SQLAlchemy's name for the psycopg 3 driver; a plain postgresql:// URL would ask for psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None) -> Engine:
    """An engine for the store, its schema migrated to the current version."""
    url = _driver_url(url or database_url())
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
    elif url.startswith("postgresql"):
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    else:
        raise ValueError("NET_CHECKER_DB must be a postgresql:// URL (or unset for the SQLite file)")
    migrate(engine)
    return engine


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table(schema_version.name):
        return 0
    value = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(value or 0)


def migrate(engine: Engine) -> int:
    """Bring the schema to SCHEMA_VERSION; replicas starting together take turns (PostgreSQL advisory lock)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7105321)"))
        schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"the live-class database has schema version {version}; this code knows up to {SCHEMA_VERSION}: update the app"
            )
        for number in range(version, SCHEMA_VERSION):
            MIGRATIONS[number](conn)
            conn.execute(sa.delete(schema_version))
            conn.execute(sa.insert(schema_version).values(version=number + 1))
        return SCHEMA_VERSION
