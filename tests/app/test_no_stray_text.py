"""Nothing reaches a page that is not meant for its audience: Streamlit's magic is off, and no page script keeps a
bare expression that magic would render (a string after a constant, say)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_magic_is_switched_off() -> None:
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"(?ms)^\[runner\].*?^magicEnabled\s*=\s*false", config)


def test_page_scripts_hold_no_bare_expressions() -> None:
    pages = re.findall(r"st\.Page\(\s*HOME / \"([^\"]+\.py)", (ROOT / "checker_app" / "main.py").read_text(encoding="utf-8"))
    assert pages, "checker_app/main.py names its pages with st.Page"
    stray = []
    for name in ["app.py", "checker_app/main.py", *pages]:
        body = ast.parse((ROOT / name).read_text(encoding="utf-8")).body
        for index, node in enumerate(body):
            if index and isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call):
                stray.append(f"{name}:{node.lineno}")
    assert not stray, f"bare expressions that magic would show on the page: {stray}"
