"""The Streamlit calls whose first argument (or ``body=``/``label=``) is shown to the user: text elements and widget
labels. Shared by the AST checks of the pages' wording (tests/core/test_page_wording.py) and of escaping
(tests/hardening/test_escaping_by_construction.py)."""

from __future__ import annotations

SHOWN_CALLS = frozenset(
    {
        "button",
        "caption",
        "checkbox",
        "dialog",
        "download_button",
        "error",
        "expander",
        "form_submit_button",
        "header",
        "info",
        "link_button",
        "markdown",
        "metric",
        "multiselect",
        "number_input",
        "page_link",
        "pills",
        "popover",
        "radio",
        "segmented_control",
        "select_slider",
        "selectbox",
        "slider",
        "subheader",
        "success",
        "tabs",
        "text_area",
        "text_input",
        "title",
        "toast",
        "toggle",
        "warning",
        "write",
    }
)
