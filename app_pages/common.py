"""Shared helpers for the app pages: the cached rule tables, the broken-tables page, escaping and print CSS."""

from __future__ import annotations

import streamlit as st

from checker import KnowledgeBase, TableError
from checker.model import SourceNote
from checker.report import note_markdown
from checker.tablecache import fingerprint, load_outcome
from checker.tables import default_rules_dir

SHOWN_PROBLEMS = 50
"""The error page lists at most this many problems (root causes first) and counts the rest."""

PAGE_CSS = """
<style>
/* Streamlit's grey captions fall below WCAG AA contrast (3.9:1); keep the theme colour, slightly muted. */
.stApp [data-testid="stCaptionContainer"] { color: inherit; opacity: 0.85; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stCode"],
  .st-key-picker, .no-print { display: none !important; }
  [data-testid="stColumn"] { width: 100% !important; flex: 1 1 100% !important; min-width: 100% !important; }
  [data-testid="stExpanderDetails"] { display: block !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
}
</style>
"""


@st.cache_resource(show_spinner="Loading the rule tables...", max_entries=4)
def _load(folder: str, stamp: tuple) -> KnowledgeBase | TableError:
    """The tables or the error they raise: a failed load is cached too, until a file changes (``stamp``)."""
    return load_outcome(folder)


def knowledge() -> KnowledgeBase:
    """The rule tables, loaded once per process per folder state ($NET_CHECKER_RULES or rules/). Raises TableError."""
    folder = str(default_rules_dir().resolve())
    outcome = _load(folder, fingerprint(folder))
    if isinstance(outcome, TableError):
        raise outcome
    return outcome


def show_table_problems(error: TableError) -> None:
    """A readable page listing every problem in the rule tables, instead of a traceback."""
    st.title("The rule tables have problems")
    count = error.total
    st.error(f"The checker cannot start: {count} problem{'s' if count != 1 else ''} found in the rule tables. "
             "Nothing is shown until they are fixed.", icon=":material/table_chart:")
    st.markdown("Each line gives **file:line: field: message**; files that cannot be read come first.")
    st.code("\n".join(error.lines(limit=SHOWN_PROBLEMS)) or str(error), language=None, wrap_lines=True)
    st.markdown("To fix: edit the named rows in `rules/*.yaml`, then run `python -m checker validate` until it "
                "reports no problems, and reload this page.")


def source_line(kb: KnowledgeBase, note: SourceNote) -> str:
    """One escaped Markdown line for a source note (see checker.report.note_markdown)."""
    return note_markdown(kb, note)
