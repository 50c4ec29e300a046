"""Shared by the live-class pages: the store (one per process), links, the QR code and the class's answer chart."""

from __future__ import annotations

import io
import os
from urllib.parse import urlencode, urlsplit, urlunsplit

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from app_pages import words
from app_pages.common import current_tables
from checker import teaching
from checker.live import Classroom, make_engine
from checker.live.debrief import Tally
from checker.live.store import database_url
from checker.markup import md
from checker.model import KnowledgeBase

POLL_S = 2.0
"""Phones and the projector ask the store for news this often (the 'within a few seconds' of the class mode)."""
PUBLIC_URL_ENV = "NET_CHECKER_PUBLIC_URL"
"""Set behind a proxy whose public address the browser does not report, e.g. https://class.example.org"""
DEFAULT_BASE = "http://localhost:8501"


@st.cache_resource(show_spinner=False, max_entries=2)
def _engine(url: str) -> Engine:
    return make_engine(url)


def classroom() -> Classroom:
    """The live-class store for this process (SQLite file, or PostgreSQL from $NET_CHECKER_DB), with this run's tables."""
    return Classroom(_engine(database_url()), current_tables())


def store_problem(error: Exception) -> None:
    """A readable notice when the store cannot be reached, instead of a traceback."""
    st.error(
        md(words.STORE_PROBLEM, kind=type(error).__name__),
        icon=":material/database:",
    )


def app_base() -> str:
    """The app's address as the browser sees it, without a page: $NET_CHECKER_PUBLIC_URL wins."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if configured:
        return configured
    try:
        seen = st.context.url
    except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
        seen = None
    if not seen:
        return DEFAULT_BASE
    parts = urlsplit(seen)
    path = parts.path.rstrip("/")
    for page in ("/presentation", "/live"):
        if path.endswith(page):
            path = path[: -len(page)]
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def join_link(code: str) -> str:
    return f"{app_base()}/live?{urlencode({'code': code})}"


def host_link(code: str, token: str) -> str:
    return f"{app_base()}/presentation?{urlencode({'live': code, 'host': token})}"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes, made on this server (segno; no network)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2, dark="#111111")
    return buffer.getvalue()


def tally_chart(kb: KnowledgeBase, tally: Tally, large: bool, top: int = 8) -> alt.Chart:
    """Horizontal bars: how many students lead with each answer (dark), and how many have it in their three (light)."""
    in_top3 = dict(tally.in_top3)
    rows = [{"answer": teaching.choice_label(kb, c), "measure": "leading answer", "students": n} for c, n in tally.leads[:top]]
    rows += [
        {"answer": teaching.choice_label(kb, c), "measure": "in their top three", "students": in_top3.get(c, 0)}
        for c, _ in tally.leads[:top]
    ]
    frame = pd.DataFrame(rows, columns=["answer", "measure", "students"])
    order = [teaching.choice_label(kb, c) for c, _ in tally.leads[:top]]
    size = 20 if large else 13
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("answer:N", sort=order, title=None, axis=alt.Axis(labelLimit=520 if large else 220)),
            yOffset=alt.YOffset("measure:N", sort=["leading answer", "in their top three"]),
            x=alt.X("students:Q", title=words.STORE_AXIS_STUDENTS, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "measure:N",
                sort=["leading answer", "in their top three"],
                scale=alt.Scale(range=["#1f4e79", "#9cc3e6"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["answer", "measure", "students"],
        )
        .properties(height=max(160, 70 * len(order)))
        .configure_axis(
            labelFontSize=size,
            titleFontSize=size,
            labelColor="#1a1a1a",
            titleColor="#1a1a1a",
        )
        .configure_legend(labelFontSize=size)
    )
