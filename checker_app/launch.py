"""`net-checker-app`: ``streamlit run`` on the installed app (checker_app/main.py); extra arguments are passed on.

Streamlit reads the app's settings from checker_app/.streamlit/config.toml beside main.py (the clone's .streamlit).
The rule tables are the installed ones unless $NET_CHECKER_RULES names a folder.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from streamlit.web import cli

MAIN = Path(__file__).resolve().with_name("main.py")


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the app until interrupted; ``argv`` (default: the command line) goes to ``streamlit run`` after it."""
    args = sys.argv[1:] if argv is None else list(argv)
    cli.main(["run", str(MAIN), *args], prog_name="net-checker-app")
