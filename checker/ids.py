"""The one definition of what a row id, an HPO id and an ORPHA code look like, used by the loader, links and CLI."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A row id: lowercase letters and digits in words joined by single hyphens."""
HPO_PATTERN = re.compile(r"^HP:\d{7}$")
ORPHA_PATTERN = re.compile(r"^ORPHA:\d+$")
MAX_ID_CHARS = 100
"""The longest id a table may use; links and the command line accept the same."""


def is_id(value: object) -> bool:
    """True for a well-formed row id (after stripping spaces)."""
    return isinstance(value, str) and len(value.strip()) <= MAX_ID_CHARS and bool(ID_PATTERN.match(value.strip()))


def normal_id(value: str) -> str:
    """How a user-typed id is looked up: spaces stripped, lower case (ids in the tables are lower case)."""
    return value.strip().lower()
