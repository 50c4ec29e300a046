"""Helpers shared by the AppTest modules (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TEXT_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


def run(at: AppTest) -> AppTest:
    """Run the app and fail on any exception it shows."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Markdown source with backslash escapes removed, to compare with plain text."""
    return re.sub(r"\\([^A-Za-z0-9\s])", r"\1", text)


def texts(at: AppTest) -> str:
    """Every text-like element's value, unescaped and joined, to search for content."""
    return plain("\n".join(str(el.value) for kind in TEXT_KINDS for el in getattr(at, kind)))


def walk(node) -> Iterator:
    """Every element below a node, in page order."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


def card_titles(at: AppTest) -> list[str]:
    """The ranked type cards' titles ("1. Name"), in order."""
    return [
        plain(block.children[0].value)
        for block in walk(at.main)
        if type(block).__name__ == "Block" and str(getattr(block, "key", "") or "").startswith("card_")
    ]


def link_notices(at: AppTest) -> list[str]:
    """The link notices: warnings with the broken-link icon (not the disclaimer, not a card's look-alike note)."""
    return [w.value for w in at.warning if w.value != DISCLAIMER and "link_off" in str(w.proto.icon)]


def param(at: AppTest, key: str) -> str:
    """One query parameter as a string, whether AppTest stores it as a str or a one-item list."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value
