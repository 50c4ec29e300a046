"""A wheel built from the repository installs a working CLI and app with the shipped rules, used from outside the
clone (slow: builds the wheel and installs it into throwaway venvs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path

import pytest

from benchmarks.servers import HOST, free_port, stop_group, wait_healthy
from checker import DISCLAIMER

ROOT = Path(__file__).resolve().parents[2]
APP_PROBE = """
import json
from pathlib import Path

import app_pages, checker, checker_app
from checker.tables import default_rules_dir
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(str(Path(checker_app.__file__).with_name("main.py")), default_timeout=120).run()
print(json.dumps({"files": [checker.__file__, app_pages.__file__, checker_app.__file__, str(default_rules_dir())],
                  "exceptions": [e.value for e in at.exception], "titles": [t.value for t in at.title],
                  "warnings": [w.value for w in at.warning]}))
"""
"""Runs the installed app's main script once under AppTest, inside the throwaway venv."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the repository, without its dependencies."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)], check=True, timeout=600
    )
    return next(wheels.glob("net_checker-*.whl"))


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_wheel_ships_the_rules_and_a_working_cli(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], check=True, timeout=900
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    valid = subprocess.run([str(python), "-m", "checker", "validate"], cwd=outside, capture_output=True, text=True, timeout=300)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "checker_rules is valid" in valid.stdout
    ranked = subprocess.run(
        [
            str(env_dir / "bin" / "net-checker"),
            "rank",
            "--symptom",
            "migrating-blistering-rash",
            "--format",
            "json",
            "--top",
            "1",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ranked.returncode == 0, ranked.stderr
    assert json.loads(ranked.stdout)["candidates"][0]["id"] == "glucagonoma"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_serves_the_app_from_outside_the_clone(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python, app = env_dir / "bin" / "python", env_dir / "bin" / "net-checker-app"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    site = next(env_dir.glob("lib/python*/site-packages")).resolve()
    # Third-party dependencies come from this environment (no download); written after the install, so pip never
    # sees this environment's own (editable) net-checker. A path in a .pth line is not itself scanned for .pth files.
    (site / "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "NET_CHECKER_RULES"}}

    probe = subprocess.run([str(python), "-c", APP_PROBE], cwd=outside, env=env, capture_output=True, text=True, timeout=300)
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout.splitlines()[-1])
    outside_site = [f for f in seen["files"] if not Path(f).resolve().is_relative_to(site)]
    assert not outside_site, f"imported from outside the venv: {outside_site}"
    assert seen["exceptions"] == []
    assert seen["titles"] == ["NET checker"]
    assert DISCLAIMER in seen["warnings"]
    # Streamlit reads the app's settings (magic off, theme, ...) from .streamlit/ beside the installed main script
    assert (site / "checker_app" / ".streamlit" / "config.toml").read_text(encoding="utf-8") == (
        ROOT / ".streamlit" / "config.toml"
    ).read_text(encoding="utf-8")

    port = free_port()
    with open(tmp_path / "server.log", "wb") as log:
        server = subprocess.Popen(
            [str(app), "--server.port", str(port), "--server.headless", "true", "--server.address", HOST],
            cwd=outside,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_healthy(f"http://{HOST}:{port}", server, seconds=120)
        with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=10) as response:
            assert response.read() == b"ok"
    finally:
        stop_group(server)
    assert server.returncode is not None
