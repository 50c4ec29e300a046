"""checker.text: the one escaping path for Markdown, links, CSV cells and terminal lines (literal cases)."""

from __future__ import annotations

import re

import pytest

from checker.text import csv_cell, csv_text, md_escape, md_link, safe_link_target, terminal_safe, url_problem


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a *b* _c_ [x](y) $x$", r"a \*b\* \_c\_ \[x\](y) \$x\$"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("1. one\n# h\n- l\n> q", "1\\. one\n\\# h\n\\- l\n&gt; q"),
        (":red[x] :smile: HP:0001 Flushing: red", "\\:\u2060red\\[x\\] \\:\u2060smile\\: HP\\:0001 Flushing\\: red"),
        ("Pituitary NET (pituitary adenoma)", "Pituitary NET (pituitary adenoma)"),
        # autolinks: www. domains, scheme URLs and e-mail addresses lose their trigger characters
        ("www.evil-login.example", "www\u2060\\.evil-login.example"),
        ("see WWW.Evil.example now", "see WWW\u2060\\.Evil.example now"),
        ("https://evil.example/login", "https\u2060\\://evil.example/login"),
        ("mailto:a@b.example", "mailto\\:\u2060a\\@\u2060b.example"),
        ("x@evil.example", "x\\@\u2060evil.example"),
        ("![](http://host/pixel.png)", "\\!\\[\\](http\u2060\\://host/pixel.png)"),
        ("[Log in again](http://evil.example/login)", "\\[Log in again\\](http\u2060\\://evil.example/login)"),
        ("javascript:alert(1)", "javascript\\:\u2060alert(1)"),
    ],
    ids=[
        "emphasis",
        "html",
        "line-starts",
        "directives",
        "plain",
        "www",
        "www-upper",
        "https",
        "mailto",
        "email",
        "image",
        "link",
        "javascript",
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


@pytest.mark.parametrize(
    ("url", "https_only", "problem"),
    [
        ("https://www.example.org/a?b=c#d", True, None),
        ("http://www.example.org/a", True, "URL must start with https://"),
        ("http://www.example.org/a", False, None),
        ("javascript:alert(1)", False, "URL must start with"),
        ("JAVASCRIPT://example.org/%0aalert(1)", False, "URL must start with"),
        ("data:text/html,<b>x</b>", False, "URL must start with"),
        ("https://exa mple.org/", True, "whitespace"),
        ("https://example.org/\nInjected", True, "whitespace"),
        ("https://example.org/\u202e", True, "control"),
        ("https:example.org", True, "scheme and '://'"),
        ("https:///path", True, "no host"),
        ("https://user:pw@example.org/", True, "user name"),
        ("https://[::1", True, "cannot be parsed"),
        ("", True, "empty"),
        ("https://e.org/" + "a" * 2000, True, "limit is 2000"),
    ],
    ids=[
        "https",
        "http-refused",
        "http-allowed",
        "javascript",
        "javascript-upper",
        "data",
        "space",
        "newline",
        "bidi",
        "no-slashes",
        "no-host",
        "credentials",
        "unparsable",
        "empty",
        "too-long",
    ],
)
def test_url_problem(url: str, https_only: bool, problem: str | None) -> None:
    found = url_problem(url, https_only=https_only)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


def test_md_escape_changes_nothing_but_escapes_and_word_joiners() -> None:
    text = "Flushing: www.x.example https://y.example/a_b a@b.example :material/warning: *1.* [x](y) <b>"
    shown = re.sub(r"\\(.)", r"\1", md_escape(text)).replace("\u2060", "")
    assert shown == text.replace("<", "&lt;").replace(">", "&gt;")


def test_md_link_encodes_brackets_and_refuses_unsafe_targets() -> None:
    assert md_link("Open *it*", "https://e.org/a_(b)[c]") == r"[Open \*it\*](https://e.org/a_%28b%29%5Bc%5D)"
    assert md_link("Open", "javascript:alert(1)") == "Open"
    assert md_link("Open", "http://e.org/", https_only=True) == "Open"
    assert safe_link_target("https://e.org/x y") is None


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-1.25", "-1.25"),
        ("+0.5", "+0.5"),
        ("Flushing", "Flushing"),
        (3, 3),
        ("", ""),
    ],
    ids=["hyperlink", "plus-dde", "minus", "at", "tab", "cr", "negative-number", "plus-number", "text", "int", "empty"],
)
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_terminal_safe_strips_escapes_and_controls() -> None:
    assert terminal_safe("\x1b[31mred\x1b[0m\x1b]0;title\x07id") == "redid"
    assert terminal_safe("a\x00b\u202ec\nd") == "a?b?c?d"
    assert terminal_safe("x" * 100, limit=10) == "xxxxxxx..."


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Present: Flushing", "Present: Flushing"),
        ("see https://evil.example", "see https\u2060://evil.example"),
        ("www.evil.example [x](y) a@b.example", "www\u2060\\.evil.example \\[x\\](y) a\\@\u2060b.example"),
        ("![](http://e.example/p.png)", "\\!\\[\\](http\u2060://e.example/p.png)"),
    ],
    ids=["colon-readable", "scheme", "www-link-email", "image"],
)
def test_md_escape_for_files_keeps_colons_readable(raw: str, escaped: str) -> None:
    assert md_escape(raw, streamlit=False) == escaped


def test_csv_text_makes_every_cell_formula_safe() -> None:
    assert csv_text([["kind", "=1+1"], ["a;=b", -2, "-3"]]) == "kind,'=1+1\r\na;'=b,-2,-3\r\n"
    assert csv_text([["@x"]], lineterminator="\n") == "'@x\n"
