"""A throwaway PostgreSQL cluster for the live-class tests (Debian's postgresql package; scripts/test.sh installs it).

One cluster per test session in its own temporary folder, on a free loopback port, trust authentication, stopped
and deleted at the end. As root the server runs as Debian's ``postgres`` user. Without the server binaries the
PostgreSQL tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.servers import free_port


def server_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def require_server() -> Path:
    found = server_bin()
    if found is not None:
        return found
    message = "PostgreSQL server not found (apt-get install -y postgresql)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_cluster() -> tuple[str, Path, Path]:
    """Start a cluster; returns (URL, its folder, its bin folder)."""
    bin_dir = require_server()
    folder = Path(tempfile.mkdtemp(prefix="net-checker-pg-"))
    folder.chmod(0o755)
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return f"postgresql://postgres@127.0.0.1:{port}/postgres", folder, bin_dir


def stop_cluster(folder: Path, bin_dir: Path) -> None:
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"]),
        capture_output=True,
        timeout=60,
    )
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL for the whole test session ($NET_CHECKER_TEST_PG, or a throwaway cluster)."""
    given = os.environ.get("NET_CHECKER_TEST_PG")
    if given:
        yield given
        return
    url, folder, bin_dir = start_cluster()
    try:
        yield url
    finally:
        stop_cluster(folder, bin_dir)


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the server at `url`; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
