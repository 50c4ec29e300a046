"""Browser fixtures for the teaching pages, reused from tests/browser/conftest.py (not duplicated): one
Streamlit server per module (app_url), Debian Chromium (chromium), a fresh page per test (app_page), and a
screenshot in test-artifacts/ when a browser test fails.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_BROWSER_CONFTEST = Path(__file__).resolve().parents[1] / "browser" / "conftest.py"
_spec = importlib.util.spec_from_file_location("teaching_browser_fixtures", _BROWSER_CONFTEST)
assert _spec is not None and _spec.loader is not None, _BROWSER_CONFTEST
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

app_url = _fixtures.app_url
chromium = _fixtures.chromium
app_page = _fixtures.app_page
pytest_runtest_makereport = _fixtures.pytest_runtest_makereport
