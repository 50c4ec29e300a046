"""Shared helpers for the app pages: the cached rule tables, the broken-tables page, escaping and print CSS."""

from __future__ import annotations

import streamlit as st

from checker import KnowledgeBase, TableError, load_knowledge
from checker.model import SourceNote
from checker.share import md_escape
from checker.tables import default_rules_dir

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


@st.cache_resource(show_spinner="Loading the rule tables...")
def _load(folder: str) -> KnowledgeBase:
    return load_knowledge(folder)


def knowledge() -> KnowledgeBase:
    """The rule tables, loaded once per process per folder ($NET_CHECKER_RULES or rules/). Raises TableError."""
    return _load(str(default_rules_dir().resolve()))


def show_table_problems(error: TableError) -> None:
    """A readable page listing every problem in the rule tables, instead of a traceback."""
    st.title("The rule tables have problems")
    count = len(error.problems)
    st.error(f"The checker cannot start: {count} problem{'s' if count != 1 else ''} found in the rule tables. "
             "Nothing is shown until they are fixed.", icon=":material/table_chart:")
    st.markdown("Each line gives **file:line: field: message**.")
    st.code("\n".join(str(problem) for problem in error.problems) or str(error), language=None, wrap_lines=True)
    st.markdown("To fix: edit the named rows in `rules/*.yaml`, then run `python -m checker validate` until it "
                "reports no problems, and reload this page.")


def source_line(kb: KnowledgeBase, note: SourceNote) -> str:
    """One Markdown line (escaped) for a source note: document, locator, excerpt and link."""
    source = kb.sources.get(note.source)
    if source is None:
        return md_escape(note.source)
    if source.kind == "annotation":
        text = (f"Orphanet {note.orpha} / {note.hpo}: {note.frequency}, HPO annotations release {source.version} "
                f"({source.licence})")
        return md_escape(text)
    title = source.title if not source.title.startswith("(no title") else ""
    if title and source.publisher:
        name = f"*{md_escape(title)}* ({md_escape(source.publisher)})"
    else:
        name = f"*{md_escape(title or source.publisher or source.id)}*"
    parts = [name]
    if note.section:
        parts.append(f"section: {md_escape(note.section)}")
    line = ", ".join(parts)
    if note.excerpt:
        line += f": \u201c{md_escape(note.excerpt)}\u201d"
    if note.suggests:
        line += f" (wording suggests: {md_escape(note.suggests)})"
    if source.url:
        url = source.url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        line += f" [open source]({url})"
    return line
