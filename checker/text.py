"""Text that leaves the package for a reader: Markdown escaping, safe links, CSV cells, terminal lines, URL checks.

Every string that comes from a URL or a rule table passes through one of these before a page, an export or a
terminal shows it. Pure logic; this module never imports streamlit.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = [
    "MAX_URL_CHARS",
    "csv_cell",
    "csv_row",
    "csv_text",
    "md_escape",
    "md_link",
    "safe_link_target",
    "terminal_safe",
    "url_problem",
]

MAX_URL_CHARS = 2000
"""A URL longer than this is refused (no real page address needs more)."""

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PUNCT = re.compile(r"([\\`*_\[\]$~|:@!])")
"""Markdown punctuation that starts emphasis, code, links, images, maths, tables, directives (:red[..]),
URL schemes (https: mailto: javascript:) or e-mail autolinks (@)."""
_PUNCT_FILE = re.compile(r"([\\`*_\[\]$~|@!])")
_WWW = re.compile(r"(?i)(www)\.")
"""Every ``www.``, also after a letter, digit or underscore (``_www.x`` has no word boundary but still autolinks)."""
_SCHEME_SLASHES = re.compile(r"\\:(?=//)")
_COLON_WORD = re.compile(r"\\:(?=[A-Za-z])")
WORD_JOINER = "\u2060"
"""An invisible character that breaks GFM autolinks. Streamlit's Markdown (remark-gfm) finds autolinks in the
text *after* backslash escapes are resolved, so ``www\\.x`` or ``https\\://x`` would still become links; a word
joiner after ``www``, before ``://`` and after ``@`` stops the match without changing what is shown. Icons and
emoji (``:material/warning:``, ``:smile:``) are found the same way; a word joiner after ``:`` stops those."""
_LINE_START = re.compile(r"(?m)^(\s*)([#+\-=])")
_NUMBERED = re.compile(r"(?m)^(\s*\d+)([.)])")


@lru_cache(maxsize=16384)
def md_escape(text: str, streamlit: bool = True) -> str:
    """Text for Markdown that shows exactly as written: no HTML, emphasis, code, links, images, autolinks
    (``www.x.example``, ``https://...``, ``a@b.example``), LaTeX or line-start blocks.

    ``streamlit=True`` (pages) also escapes every ``:``, for Streamlit's ``:red[...]`` directives and
    ``:material/...:`` icons; ``streamlit=False`` (the handout file) leaves colons readable, since other
    Markdown viewers have no directives, and breaks ``://`` with a word joiner only."""
    text = str(text).translate(_HTML)
    text = (_PUNCT if streamlit else _PUNCT_FILE).sub(r"\\\1", text)
    text = _WWW.sub(rf"\1{WORD_JOINER}\\.", text)
    if streamlit:
        text = _SCHEME_SLASHES.sub(rf"{WORD_JOINER}\\:", text)
        text = _COLON_WORD.sub(rf"\\:{WORD_JOINER}", text)
    else:
        text = text.replace("://", f"{WORD_JOINER}://")
    text = text.replace("\\@", f"\\@{WORD_JOINER}")
    text = _LINE_START.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\\\2", text)


def code_span(text: str) -> str:
    """Text as a Markdown code span (shown as written, never a link): a fence longer than any backtick run in it."""
    text = " ".join(str(text).split())
    run = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def url_problem(url: str, https_only: bool = True) -> str | None:
    """Why a URL from a table must not be shown as a link, or None when it is a plain web address.

    Accepted: ``https://host/...`` (or ``http://`` when ``https_only`` is false) with a host, no user name or
    password, no whitespace or control characters, at most MAX_URL_CHARS characters.
    """
    if not isinstance(url, str) or not url:
        return "empty URL"
    if len(url) > MAX_URL_CHARS:
        return f"URL is {len(url)} characters; the limit is {MAX_URL_CHARS}"
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return "URL contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "URL cannot be parsed"
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme.lower() not in allowed:
        return f"URL must start with {' or '.join(s + '://' for s in allowed)} (got '{terminal_safe(url, 30)}')"
    if url[: len(parts.scheme) + 3].lower() != parts.scheme.lower() + "://":
        return "URL must start with the scheme and '://'"
    if not host:
        return "URL has no host"
    if parts.username is not None or parts.password is not None:
        return "URL must not carry a user name or password"
    return None


def safe_link_target(url: str, https_only: bool = False) -> str | None:
    """The URL ready to sit inside Markdown ``(...)``, or None when it must not become a link."""
    if url_problem(url, https_only=https_only):
        return None
    return quote(url, safe="/:?#&=;%~+,.-_!*'@$")


def md_link(label: str, url: str, https_only: bool = False) -> str:
    """``[label](url)`` with the label escaped; just the escaped label when the URL is not a safe web address."""
    target = safe_link_target(url, https_only=https_only)
    shown = md_escape(label)
    return f"[{shown}]({target})" if target else shown


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_AFTER_SEPARATOR = re.compile(r"([;,\t|]\s*)([=+@]|-(?=[^\d\s.]))")
"""A formula start right after a separator: a spreadsheet that splits on ';' (or tab, '|') would start a cell there."""


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ tab or a line break gets a
    leading apostrophe (OWASP's advice), and so does a formula start right after a separator inside the text
    (``a;=HYPERLINK(...)`` where ';' separates cells); numbers, and text that is just a number, are left as they
    are."""
    if not isinstance(value, str) or not value:
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'\2", value)
    if not value.startswith(_FORMULA_START) or _NUMBER.match(value):
        return value
    return "'" + value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def csv_text(rows: Iterable[Iterable[Any]], lineterminator: str = "\r\n") -> str:
    """CSV text with every cell made formula-safe by csv_cell (the one way exports write CSV)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()


_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def terminal_safe(text: Any, limit: int = 80) -> str:
    """Untrusted text for a terminal line: escape sequences, control and bidi-format characters removed, cut to
    ``limit`` characters (with an ellipsis)."""
    text = text if isinstance(text, str) else repr(text)
    text = _ANSI.sub("", text)
    text = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp") else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
