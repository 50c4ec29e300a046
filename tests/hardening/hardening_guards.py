"""Skip-or-fail guards for tests that need a tool outside Python (Chromium, nginx)."""

from __future__ import annotations

import os

import pytest


def require(available: bool, what: str) -> None:
    """Skip when a tool is missing, except under CI=true, where a missing tool fails the test."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"{what} not available")
