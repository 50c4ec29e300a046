"""Markdown and HTML built by construction: a template of fixed app text, with every value put into it escaped.

``md("**{name}**: score {score:+.1f}", name=row.name, score=1.5)`` escapes ``row.name`` (a plain ``str``) with
checker.text.md_escape and formats numbers as the field says; a value that is already ``Markdown`` goes in as it is.
Fixed app text with no values goes in through ``trusted``. Pages and exports build their text only this way
(tests/hardening/test_escaping_by_construction.py checks that no page escapes by hand or formats raw text).
Pure logic; this module never imports streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape as _html_escape
from typing import TYPE_CHECKING

from checker.text import code_span, md_escape, md_link, safe_link_target

if TYPE_CHECKING:
    from typing import LiteralString  # Python 3.11+; only mypy reads this line (the floor is 3.10)

__all__ = [
    "Html",
    "Markdown",
    "bare_url",
    "code",
    "escaped",
    "html",
    "html_join",
    "identifier",
    "join",
    "link",
    "md",
    "md_file",
    "trusted",
]


class Markdown(str):
    """Text that is safe to render as Markdown: built by md/md_file/join/link/code, or fixed app text (trusted)."""

    __slots__ = ()


class Html(str):
    """Text that is safe to give to st.html: built by html/html_join from a fixed template."""

    __slots__ = ()


Value = str | int | float
"""What a template field takes: text (escaped unless it is already Markdown or Html) or a number."""


def _fill(template: str, values: dict[str, Value], escape: type[Markdown] | type[Html], streamlit: bool) -> str:
    def one(value: Value) -> Value:
        if isinstance(value, escape) or not isinstance(value, str):
            return value
        if escape is Html:
            return _html_escape(value)
        return md_escape(value, streamlit=streamlit)

    return template.format(**{key: one(value) for key, value in values.items()})


def md(template: LiteralString, /, **values: Value) -> Markdown:
    """Markdown for a page: ``template`` (fixed app text) with each named field filled, every ``str`` escaped."""
    return Markdown(_fill(template, values, Markdown, streamlit=True))


def md_file(template: LiteralString, /, **values: Value) -> Markdown:
    """Markdown for a downloaded file: as md, but colons stay readable (md_escape's ``streamlit=False``)."""
    return Markdown(_fill(template, values, Markdown, streamlit=False))


def escaped(text: str) -> Markdown:
    """A whole piece of text shown exactly as written (md with one field)."""
    return Markdown(md_escape(text))


def trusted(text: LiteralString) -> Markdown:
    """Fixed app text, written as Markdown on purpose (no table or URL text in it)."""
    return Markdown(text)


_IDENTIFIER = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")


def identifier(name: str) -> Markdown:
    """A name defined in code (a table name such as ``red_flags``), shown as written: lower-case words joined by
    single inner underscores, which Markdown never reads as emphasis; anything else is refused."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return Markdown(name)


def join(separator: LiteralString, parts: Iterable[Markdown]) -> Markdown:
    """Markdown parts joined by fixed text; a part that is not Markdown is refused (it was never escaped)."""
    parts = list(parts)
    for part in parts:
        if not isinstance(part, Markdown):
            raise TypeError(f"join() takes Markdown parts, got {type(part).__name__}")
    return Markdown(separator.join(parts))


def link(label: str, url: str, https_only: bool = False) -> Markdown:
    """``[label](url)`` with the label escaped; just the escaped label when the URL is not a safe web address."""
    return Markdown(md_link(label, url, https_only=https_only))


def bare_url(url: str) -> Markdown:
    """A web address as written (Markdown viewers make it a link) when it is a plain http(s) address that needs no
    quoting; anything else is shown as escaped text."""
    return Markdown(url) if safe_link_target(url) == url else escaped(url)


def code(text: str) -> Markdown:
    """Text as a Markdown code span (shown as written, never a link)."""
    return Markdown(code_span(text))


def html(template: LiteralString, /, **values: Value) -> Html:
    """HTML from a fixed template with each named field filled, every ``str`` escaped with html.escape."""
    return Html(_fill(template, values, Html, streamlit=True))


def html_join(separator: LiteralString, parts: Iterable[Html]) -> Html:
    """Html parts joined by fixed text; a part that is not Html is refused."""
    parts = list(parts)
    for part in parts:
        if not isinstance(part, Html):
            raise TypeError(f"html_join() takes Html parts, got {type(part).__name__}")
    return Html(separator.join(parts))
