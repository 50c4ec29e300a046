"""Where the shipped rules are found: beside the package in a clone, else the copy a wheel installs (checker_rules)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from checker.tables import DEFAULT_RULES, shipped_rules


def test_a_clone_uses_the_rules_folder_beside_the_package() -> None:
    assert DEFAULT_RULES == Path(__file__).resolve().parents[2] / "rules"


def test_an_install_uses_the_rules_installed_as_checker_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = types.ModuleType("checker_rules")
    installed.__path__ = [str(tmp_path / "site-packages" / "checker_rules")]
    monkeypatch.setitem(sys.modules, "checker_rules", installed)
    assert shipped_rules(tmp_path / "no-clone" / "rules") == tmp_path / "site-packages" / "checker_rules"


def test_without_either_the_missing_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "checker_rules", None)  # import checker_rules raises ImportError
    assert shipped_rules(tmp_path / "rules") == tmp_path / "rules"
