"""The Streamlit app: the page links (a row across the top), the non-diagnostic notice and the rule tables.

In a clone ``streamlit run app.py`` runs it; installed from a wheel, ``net-checker-app`` runs this file. To add a page,
append an ``st.Page`` to ``pages()``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import app_pages
from app_pages import words
from app_pages.common import (
    FOCUS_KEEPER,
    PAGE_CSS,
    SHORT_NOTICE,
    serve_tables,
    show_last_good_banner,
    show_table_problems,
)
from checker import DISCLAIMER, TableError

# The folder holding app_pages/ (the clone, or site-packages): page paths are absolute, wherever the main script is.
HOME = Path(app_pages.__file__).resolve().parent.parent
# A local icon file: a ":material/...:" page icon makes the browser fetch it from a third-party font server.
ICON = HOME / "app_pages" / "icon.png"


def pages() -> list[st.Page]:
    """Every page, in menu order. Teaching pages (presentation, quiz, rule tables) are appended to this list."""
    return [
        st.Page(HOME / "app_pages/checker.py", title=words.PAGE_CHECKER, icon=":material/checklist:", default=True),
        st.Page(HOME / "app_pages/about.py", title=words.PAGE_ABOUT, icon=":material/info:", url_path="about"),
        st.Page(
            HOME / "app_pages/presentation.py",
            title=words.PAGE_PRESENTATION,
            icon=":material/co_present:",
            url_path="presentation",
        ),
        st.Page(HOME / "app_pages/quiz.py", title=words.PAGE_QUIZ, icon=":material/quiz:", url_path="quiz"),
        st.Page(HOME / "app_pages/live.py", title=words.PAGE_LIVE, icon=":material/groups:", url_path="live"),
        st.Page(
            HOME / "app_pages/rule_tables.py", title=words.PAGE_RULE_TABLES, icon=":material/table_chart:", url_path="rule-tables"
        ),
    ]


def main() -> None:
    st.set_page_config(page_title=words.BROWSER_TITLE, page_icon=str(ICON), layout="wide")
    # Our own row of page links instead of Streamlit's menu: on a phone the "top" menu turns into a sidebar that
    # stays open over the page after choosing one; a wrapping row of links never covers anything.
    listed = pages()
    page = st.navigation(listed, position="hidden")
    st.html(PAGE_CSS)
    with st.container(key="nav", horizontal=True, gap="small"):
        for item in listed:
            st.page_link(item, label=item.title, icon=item.icon)
    with st.container(key="notice_full"):
        st.warning(DISCLAIMER, icon=":material/school:")
    with st.container(key="notice_short"):  # phones: one line that opens to the rest
        st.html(SHORT_NOTICE)
    try:
        kb, broken = serve_tables()
    except TableError as error:
        show_table_problems(error)
        return
    if broken is not None:
        show_last_good_banner(broken, kb)
    page.run()
    st.html(FOCUS_KEEPER, unsafe_allow_javascript=True)  # last: no gap above the page's content


if __name__ == "__main__":  # Streamlit runs its main script as __main__ (net-checker-app); app.py imports main()
    main()
