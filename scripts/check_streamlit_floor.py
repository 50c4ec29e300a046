"""Check that pyproject.toml's streamlit floor is the oldest version the app really runs on.

    python scripts/check_streamlit_floor.py [--below VERSION]

Makes a throwaway virtual environment that sees no other packages, installs the project's own dependencies
(pyproject.toml), the test runner and exactly the floor version of streamlit into it, and runs the AppTest smoke
tests (every page, the checker's widgets). With --below, also installs that older version and expects the smoke
tests to FAIL (so the floor is not too low by accident). Needs pip to reach a package index. Exit status 0 when the floor holds.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE = [
    "tests/app/test_app_about.py::test_every_page_shows_the_notice_first",
    "tests/app/test_app_checker.py",
    "tests/teaching/test_teaching_pages.py",
]


def floor() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'"streamlit>=([0-9.]+)"', text)  # e.g. 1.64 (installed as 1.64 = 1.64.0)
    if not match:
        raise SystemExit("pyproject.toml declares no streamlit>= floor")
    return match.group(1)


def requirements(version: str) -> list[str]:
    """What the smoke tests need: the project's dependencies with streamlit pinned, and the test runner."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [spec for spec in project["dependencies"] if not re.match(r"streamlit\b", spec)]
    test = [spec for spec in project["optional-dependencies"]["test"] if re.match(r"(pytest|hypothesis)", spec)]
    return [*runtime, *test, f"streamlit=={version}"]


def smoke(version: str) -> int:
    """Exit status of the smoke tests under streamlit==version in a fresh venv."""
    with tempfile.TemporaryDirectory(prefix=f"st-{version}-") as folder:
        env_dir = Path(folder) / "venv"
        venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
        python = env_dir / "bin" / "python"
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements(version)], check=True
        )
        shown = subprocess.run(
            [str(python), "-c", "import streamlit; print(streamlit.__version__)"], check=True, capture_output=True, text=True
        ).stdout.strip()
        if shown.split(".")[: len(version.split("."))] != version.split(".") and shown != version:
            raise SystemExit(f"expected streamlit {version} in the venv, found {shown}")
        print(f"--- streamlit {version}: AppTest smoke tests", flush=True)
        return subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *SMOKE], cwd=ROOT).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--below", help="an older version that must fail the smoke tests")
    args = parser.parse_args()
    version = floor()
    if smoke(version) != 0:
        print(f"FAIL: the app does not run on streamlit {version}, the floor in pyproject.toml")
        return 1
    print(f"OK: the app runs on streamlit {version}")
    if args.below:
        if smoke(args.below) == 0:
            print(f"FAIL: the app also runs on streamlit {args.below}; the floor could be lower")
            return 1
        print(f"OK: streamlit {args.below} fails, so {version} is the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
