"""A wheel built from the repository installs a working CLI with the shipped rules, used from outside the clone
(slow: builds the wheel and installs its dependencies into a throwaway venv)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_wheel_ships_the_rules_and_a_working_cli(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)], check=True,
                   timeout=600)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    wheel = next(wheels.glob("net_checker-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], check=True,
                   timeout=900)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    valid = subprocess.run([str(python), "-m", "checker", "validate"], cwd=outside, capture_output=True, text=True,
                           timeout=300)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "checker_rules is valid" in valid.stdout
    ranked = subprocess.run([str(env_dir / "bin" / "net-checker"), "rank", "--symptom", "migrating-blistering-rash",
                             "--format", "json", "--top", "1"], cwd=outside, capture_output=True, text=True, timeout=300)
    assert ranked.returncode == 0, ranked.stderr
    assert json.loads(ranked.stdout)["candidates"][0]["id"] == "glucagonoma"
