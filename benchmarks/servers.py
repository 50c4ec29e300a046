"""Start and stop local Streamlit servers (and the nginx replica set) for benchmarks and hardening tests.

Everything listens on 127.0.0.1 only; every wait is bounded; each server runs in its own process group,
which is the only thing `stop` signals.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("NET_CHECKER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
STARTUP_SECONDS = 90
RUN_SCRIPT = ROOT / "deploy" / "run_replicas.sh"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def healthy(base_url: str, timeout: float = 2.0) -> bool:
    # Only loopback servers of our own are checked, some behind a test certificate: no verification.
    context = ssl._create_unverified_context() if base_url.startswith("https:") else None
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout, context=context) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(
    base_url: str, proc: subprocess.Popen | None = None, seconds: float = STARTUP_SECONDS, interval: float = 0.05
) -> float:
    """Poll /_stcore/health until it answers 200; return the seconds waited. Raises RuntimeError."""
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        if healthy(base_url, timeout=1.0):
            return time.perf_counter() - start
        time.sleep(interval)
    raise RuntimeError(f"{base_url} not healthy within {seconds:.0f} s")


def stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the process group this Popen started (start_new_session=True), then SIGKILL if needed."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def streamlit_command(app: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path
    started_s: float
    """Seconds from spawning the process to the first healthy answer."""
    pids: list[int] = field(default_factory=list)


@contextmanager
def streamlit_server(app: Path, log: Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Iterator[Server]:
    """Run `streamlit run app` on a free loopback port until the block ends."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "NET_CHECKER_RULES"}
    environment.update(env or {})
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            streamlit_command(app, port), cwd=cwd, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://{HOST}:{port}"
    try:
        wait_healthy(url, proc)
        yield Server(url, proc, log, time.perf_counter() - start, [proc.pid])
    finally:
        stop_group(proc)


def nginx_available() -> bool:
    return shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists()


@contextmanager
def replica_set(
    replicas: int,
    log_dir: Path,
    listen_port: int | None = None,
    first_port: int | None = None,
    cores: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run deploy/run_replicas.sh: N app servers behind nginx (routing cookie, websockets) on loopback, all pinned
    to `cores` (a taskset list such as "0") when given; `env` adds settings (FRAME_ANCESTORS, TLS_CERT, ...)."""
    listen_port = listen_port or free_port()
    first_port = first_port or _free_block(replicas)
    log_dir.mkdir(parents=True, exist_ok=True)
    with reachable_dir(log_dir / "run") as run_dir:
        yield from _run_replicas(replicas, log_dir, listen_port, first_port, cores, run_dir, env or {})


@contextmanager
def reachable_dir(target: Path) -> Iterator[Path]:
    """A fresh folder that nginx's workers (www-data, when run as root) can reach, whatever the parents of `target`
    allow (pytest's temp folders are private): made under /tmp, linked from `target` while in use, and moved to
    `target` afterwards with everything written in it (sockets left out). Yields the real folder."""
    real = Path(tempfile.mkdtemp(prefix="netc-run-"))
    real.chmod(0o755)
    target.symlink_to(real, target_is_directory=True)
    try:
        yield real
    finally:
        target.unlink()
        for sock in real.glob("*.sock"):
            sock.unlink()
        shutil.move(str(real), str(target))


def _run_replicas(
    replicas: int, log_dir: Path, listen_port: int, first_port: int, cores: str | None, run_dir: Path, settings: dict[str, str]
) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if k != "NET_CHECKER_RULES"}
    env.update(settings)
    env.update(
        {"LISTEN_PORT": str(listen_port), "FIRST_PORT": str(first_port), "RUN_DIR": str(run_dir), "PYTHON": sys.executable}
    )  # the replicas run in this interpreter's environment (e.g. .venv)
    log = log_dir / "replicas.log"
    with open(log, "wb") as out:
        start = time.perf_counter()
        pin = ["taskset", "-c", cores] if cores and shutil.which("taskset") else []
        proc = subprocess.Popen(
            [*pin, "bash", str(RUN_SCRIPT), str(replicas)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"{'https' if settings.get('TLS_CERT') else 'http'}://{HOST}:{listen_port}"
    try:
        wait_healthy(url, proc)
        for index in range(replicas):
            wait_healthy(f"http://{HOST}:{first_port + index}", proc)
        yield Server(url, proc, log, time.perf_counter() - start, [proc.pid])
    finally:
        stop_group(proc, grace=15.0)


def _free_block(count: int, start: int = 8601, tries: int = 200) -> int:
    """The first port p >= start such that p..p+count-1 are all free on loopback (bounded search)."""
    for offset in range(tries):
        first = start + offset * count
        if all(_port_free(first + i) for i in range(count)):
            return first
    raise RuntimeError(f"no block of {count} free ports from {start}")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def process_rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (psutil)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def streamlit_pids(root_pid: int) -> list[int]:
    """The streamlit server processes under root_pid (itself included when it is one)."""
    import psutil

    out = []
    try:
        procs = [psutil.Process(root_pid), *psutil.Process(root_pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return out
    for proc in procs:
        try:
            if "streamlit" in " ".join(proc.cmdline()):
                out.append(proc.pid)
        except psutil.NoSuchProcess:
            continue
    return out


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium through Playwright, with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
