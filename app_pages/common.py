"""Shared helpers for the app pages: the rule tables served to each run, the broken-tables page, source lines and the page CSS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import streamlit as st

from app_pages import words
from checker import DISCLAIMER, KnowledgeBase, TableError, teaching
from checker.markup import Html, Markdown, escaped, html, md
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
/* Our own containers are styled through their key classes (.st-key-KEY), not Streamlit's internal names.
   No angle brackets anywhere in this CSS: st.html would drop the whole block. */
[class*="st-key-print_only"] { display: none; }
/* Points-per-finding bars (results.py): label, negative half, positive half, value; labels wrap. */
.points { font-size: 0.9rem; color: #1a1a1a; }
.points .title { font-weight: 600; margin: 0 0 0.3rem 0; }
.points .row { display: grid; grid-template-columns: minmax(0, 2.2fr) minmax(0, 1fr) minmax(0, 1fr) 3em;
  align-items: center; gap: 0 4px; padding: 2px 0; border-bottom: 1px solid #eee; }
.points .neg { display: flex; justify-content: flex-end; }
.points .bar { display: block; height: 0.8rem; border-radius: 2px; print-color-adjust: exact;
  -webkit-print-color-adjust: exact; }
.points .bar.for { background: #1f6fb4; }
.points .bar.against { background: #c0392b; }
.points .value { text-align: right; font-variant-numeric: tabular-nums; }
/* The notice: in full on wider screens; on a phone one line that opens to the rest (SHORT_NOTICE). */
.st-key-notice_short { display: none; }
.notice-short { background: rgba(255, 189, 69, 0.2); color: #6b4e00; border-radius: 0.5rem;
  padding: 0.5rem 0.9rem; font-size: 0.95rem; }
.notice-short summary { cursor: pointer; font-weight: 600; }
.notice-short summary span { font-weight: 400; text-decoration: underline; }
.notice-short p { margin: 0.4rem 0 0 0; }
@media (max-width: 640px) {
  .st-key-notice_full { display: none; }
  .st-key-notice_short { display: block; }
}
/* Long finding names wrap instead of being cut off: ticked tags, search matches (with their "also called")
   and the body-system and ask-next pills. */
.st-key-ticked [data-tag] { max-width: 100%; height: auto; }
.st-key-ticked [data-tag] span[title] { white-space: normal; overflow: visible; text-overflow: clip; max-width: none; }
[data-testid="stButtonGroup"] button { height: auto; max-width: 100%; text-align: left; }
[data-testid="stButtonGroup"] button p, [data-testid="stButtonGroup"] button div {
  white-space: normal; overflow: visible; text-overflow: clip; }
/* A focus ring that shows on a projector and for keyboard users: links, buttons, pills, tabs, fields. */
.stApp a:focus-visible, .stApp button:focus-visible, .stApp summary:focus-visible,
.stApp [role="tab"]:focus-visible, .stApp input:focus-visible, .stApp [tabindex]:focus-visible {
  outline: 3px solid #1f6fb4 !important; outline-offset: 2px; }
/* The page links replace Streamlit's menu, so the empty band kept for it at the top can go (phones). */
.stMainBlockContainer { padding-top: 1.5rem; }
@media print {
  .st-key-notice_short { display: none !important; }
  .st-key-notice_full { display: block !important; }
  header, .st-key-nav, .st-key-no_print, [class*="st-key-no_print"], [class*="st-key-dl_"],
  .stButton, .stDownloadButton, .stElementToolbar { display: none !important; }
  [class*="st-key-print_only"] { display: block !important; }
  details > div { display: block !important; }
  /* A page with a handout (the Checker's results) prints the handout alone: at every level, whatever neither
     is nor holds it is left out. */
  body:has(.st-key-print_only_handout) .stMain [data-testid="stVerticalBlock"]:not(.st-key-print_only_handout):not(
    .st-key-print_only_handout *) > *:not(.st-key-print_only_handout):not(:has(.st-key-print_only_handout)) {
    display: none !important; }
  body:has(.st-key-print_only_handout) .stMain [data-testid="stHorizontalBlock"] > *:not(
    :has(.st-key-print_only_handout)) { display: none !important; }
  .stColumn:has(.st-key-print_only_handout) { width: 100% !important; flex: 1 1 100% !important;
    min-width: 100% !important; }
  .st-key-print_only_handout p, .st-key-print_only_handout li { font-size: 10.5pt; line-height: 1.35; }
  .st-key-print_only_handout code { font-size: 8.5pt; white-space: normal; overflow-wrap: anywhere; }
}
</style>
"""


@st.cache_resource(show_spinner=words.LOADING_TABLES, max_entries=4)
def _load(folder: str, stamp: str) -> KnowledgeBase | TableError:
    """The tables or the error they raise: a failed load is cached too, until a file changes (``stamp``)."""
    return load_outcome(folder)


def _short_notice() -> Html:
    """The notice for a phone: its first sentence on one line, opening to the rest (the full text, split in two
    so that no one element repeats the wide screen's notice)."""
    first, _, rest = DISCLAIMER.partition(". ")
    return html(words.NOTICE_PHONE, first=first, rest=rest)


SHORT_NOTICE = _short_notice()


@dataclass(frozen=True)
class Loaded:
    """Tables loaded from one state of their files, and that state (folder and file stamps) as a cache key."""

    kb: KnowledgeBase
    key: str


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, Loaded]:
    """Per folder, the last tables that loaded in this process (empty at a fresh start)."""
    return {}


def tables_state() -> tuple[Loaded, TableError | None]:
    """The tables to serve, and the problems of the tables on disk when those are the last good ones instead
    (a table broke while the app runs). At a fresh start, or if they never loaded, raises TableError."""
    folder = str(default_rules_dir().resolve())
    stamp = repr(fingerprint(folder))  # a string: Streamlit hashes it far faster than the tuple
    outcome = _load(folder, stamp)
    good = _last_good()
    if isinstance(outcome, TableError):
        if folder in good:
            return good[folder], outcome
        raise outcome
    good[folder] = Loaded(outcome, f"{folder}|{hash(stamp)}")  # short: cached calls hash it every time
    return good[folder], None


RUN_TABLES = "_run_tables"
"""Session key of the tables served to this run's page (set by app.py on every full run)."""


def serve_tables() -> tuple[KnowledgeBase, TableError | None]:
    """Load the tables for this run and keep them for the page (current_tables), as tables_state.

    A fragment rerun or a widget callback does not pass through app.py: it sees the tables of the last full run,
    the ones its widgets were drawn from."""
    loaded, broken = tables_state()
    st.session_state[RUN_TABLES] = loaded
    return loaded.kb, broken


def _served() -> Loaded:
    return cast(Loaded, st.session_state[RUN_TABLES])


def current_tables() -> KnowledgeBase:
    """The tables app.py serves to this run (see serve_tables)."""
    return _served().kb


def knowledge_key() -> str:
    """Which tables this run is served (folder and file states): the cache key for anything derived from them."""
    return _served().key


def show_last_good_banner(error: TableError, kb: KnowledgeBase) -> None:
    """Say on every page that the tables on disk are broken and which tables are shown meanwhile."""
    count = error.total
    first = error.lines(limit=1)
    st.error(
        escaped(
            words.LAST_GOOD_BANNER.format(
                folder=default_rules_dir(),
                count=count,
                s="s" if count != 1 else "",
                version=kb.version,
                first=first[0] if first else error,
            )
        ),
        icon=":material/table_chart:",
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _steps(tables: str, case_id: str, _kb: KnowledgeBase) -> list[teaching.StepResult]:
    return teaching.steps(_kb, _kb.cases[case_id])


def case_steps(case_id: str) -> list[teaching.StepResult]:
    """This run's tables' ranking at every step of a case, kept until a table file changes (not just its version)."""
    loaded = _served()
    return _steps(loaded.key, case_id, loaded.kb)


def show_table_problems(error: TableError) -> None:
    """A readable page listing every problem in the rule tables, instead of a traceback."""
    st.title(words.PROBLEMS_TITLE)
    count = error.total
    st.error(
        md(words.PROBLEMS_COUNT, count=count, s="s" if count != 1 else ""),
        icon=":material/table_chart:",
    )
    st.markdown(words.PROBLEMS_LINE_FORMAT)
    st.code("\n".join(error.lines(limit=SHOWN_PROBLEMS)) or str(error), language=None, wrap_lines=True)
    folder = str(default_rules_dir())
    st.markdown(words.PROBLEMS_TO_FIX)
    st.code(f".venv/bin/python -m checker validate {folder}", language=None)


def source_line(kb: KnowledgeBase, note: SourceNote) -> Markdown:
    """One escaped Markdown line for a source note (see checker.report.note_markdown)."""
    return note_markdown(kb, note)


PROJECTOR_CSS = """
<style>
.st-key-projector p, .st-key-projector li, .st-key-projector td, .st-key-projector th,
.st-key-projector label { font-size: 1.45rem !important; line-height: 1.4; }
.st-key-projector h1 { font-size: 2.6rem !important; padding-top: 0 !important; }
.st-key-projector h2 { font-size: 2rem !important; }
.st-key-projector h3 { font-size: 1.6rem !important; }
.st-key-projector button p { font-size: 1.2rem !important; }
</style>
"""
"""Large type for a projector, scoped to the page's own container (key 'projector')."""


def projector_toggle(key: str) -> bool:
    """A 'Projector mode' switch (off by default: large type does not suit a phone); adds the CSS when on."""
    on = st.toggle(words.PROJECTOR_MODE, key=key, help=words.PROJECTOR_HELP)
    if on:
        st.html(PROJECTOR_CSS)
    return on


PRESENTATION_KEYS = """<script>
if (!window.netcPresentationKeys) {
  window.netcPresentationKeys = true;
  const buttons = {n: "pres_next", b: "pres_back", a: "pres_answer"};
  // Streamlit's own shortcuts (N, B, A) stay quiet while a form control has focus: right after choosing a case
  // (the closed case list) or switching projector mode (the switch). Those two take the keys here instead.
  document.addEventListener("keydown", (event) => {
    const key = buttons[(event.key || "").toLowerCase()];
    const target = event.target;
    if (!key || event.ctrlKey || event.metaKey || event.altKey || !target || !target.closest) return;
    const toggle = target.tagName === "INPUT" && (target.type === "checkbox" || target.type === "radio");
    const closedCaseList = !!target.closest(".st-key-pres_case_pick")
      && target.getAttribute("aria-expanded") !== "true";
    if (!toggle && !closedCaseList) return;
    const button = document.querySelector(".st-key-" + key + " button");
    event.preventDefault();
    event.stopImmediatePropagation();
    target.blur();
    if (button && !button.disabled) button.click();
  }, true);
}
</script>"""
"""N, B and A whatever has focus on the Presentation page (one listener per browser tab). Holds no table or link
text (tests/hardening/hostile_inputs.TRUSTED_HTML lets exactly the app's fixed scripts through)."""

FOCUS_KEEPER = """<script>
if (!window.netcFocusKeeper) {
  window.netcFocusKeeper = true;
  // A control whose list changes on a tick is drawn anew (an "ask next" pill leaves its list once ticked): the
  // element that had focus is gone and focus falls to the page. Put it back on the same control (same name, or the
  // same place in its list), as long as nothing else was clicked or focused since.
  const CONTROLS = "button:not([disabled]), input:not([disabled]), [tabindex='0']";
  let last = null;
  const controls = (box) => [...box.querySelectorAll(CONTROLS)];
  const name = (el) => el.getAttribute("aria-label") || el.innerText || "";
  document.addEventListener("focusin", (event) => {
    const box = event.target.closest && event.target.closest("[class*='st-key-']");
    const key = box && [...box.classList].find((c) => c.startsWith("st-key-"));
    last = key ? {el: event.target, key, index: controls(box).indexOf(event.target), name: name(event.target),
                  at: Date.now()} : null;
  }, true);
  document.addEventListener("pointerdown", () => { last = null; }, true);
  new MutationObserver(() => {
    if (!last || last.el.isConnected || Date.now() - last.at > 10000) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const box = document.querySelector("." + CSS.escape(last.key));
    const found = box ? controls(box) : [];
    if (!found.length) return;
    const target = found.find((c) => name(c) === last.name) || found[Math.min(Math.max(last.index, 0), found.length - 1)];
    target.focus({preventScroll: true});
  }).observe(document.body, {childList: true, subtree: true});
}
</script>"""
"""Keyboard focus stays on the control that was used when a tick redraws it (every page; one observer per tab)."""
TRUSTED_HTML = frozenset({PRESENTATION_KEYS, FOCUS_KEEPER})
