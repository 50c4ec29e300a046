"""Constants and the fake clock shared by the live-class tests."""

from __future__ import annotations

CASE = "glucagonoma-migrating-rash"
"""Five findings; answer glucagonoma. Every literal below is about this case in the shipped tables."""
START = 1_800_000_000.0


class Clock:
    """Time as the store sees it; tests move it on."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
