"""Word tables that carry Streamlit Markdown directives (badge colours, icons); plain words are in checker.wording."""

from __future__ import annotations

from checker.scoring.constants import Strength

STRENGTH_COLOURS: dict[Strength, str] = {"strong": "blue", "moderate": "violet", "weak": "gray", "none": "gray"}
"""The colour of a strength's :colour-badge[...] on a NET type's card."""

VERDICT_ICONS = {"correct": ":material/check_circle:", "in-differential": ":material/adjust:", "missed": ":material/cancel:"}
"""The icon of each quiz verdict's box."""
