"""What a person ticks never reaches the server's logs, and the app sends no usage statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening_guards import require

from benchmarks.browser_bench import open_checker, open_group, settle, tick
from benchmarks.servers import CHROMIUM, launch_chromium, streamlit_server
from checker import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
SHARED = ("watery-diarrhea", "flushing", "heart-valve-disease", "scan-mass-small-intestine")
TICKED_IN_BROWSER = "weight-loss"


def test_config_keeps_usage_statistics_off_and_logs_quiet() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config.get("logger", {}).get("level", "info") not in ("debug",)


@pytest.mark.browser
@pytest.mark.timeout(300)
@pytest.mark.parametrize("level", ["info", "debug"])
def test_server_log_holds_no_symptom_ids(level: str, tmp_path: Path) -> None:
    """At info and debug level too (the warning-level default says little): an operator who turns logging up to
    chase a problem must not start collecting what people tick."""
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    kb = load_knowledge()
    label = kb.symptoms[TICKED_IN_BROWSER].label
    group = "Whole body"
    log = tmp_path / "server.log"
    env = {"STREAMLIT_LOGGER_LEVEL": level}
    with streamlit_server(Path("app.py"), log, env=env) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            open_checker(page, server.url, "symptoms=" + ",".join(SHARED) + "&absent=fatigue&syndrome=men1")
            settle(page, page.get_by_text(kb.symptoms[SHARED[0]].label).first)
            open_group(page, group)
            tick(page, label)
            page.reload()
            settle(page, page.get_by_role("heading", name="Results"))
        finally:
            browser.close()
    text = log.read_text(encoding="utf-8", errors="replace")
    if level == "debug":  # Streamlit's log lines carry no level name; this message is logged at debug only
        assert "Runtime state:" in text, f"the server did not log at debug level:\n{text[-1000:]}"
    leaked = [s for s in (*SHARED, TICKED_IN_BROWSER, "fatigue", "syndrome=men1") if s in text]
    assert not leaked, f"server log mentions {leaked}:\n{text[-2000:]}"
