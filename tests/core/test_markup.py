"""checker.markup: every str put into a template is escaped; Markdown/Html and numbers go in as they are."""

from __future__ import annotations

import pytest

from checker.markup import Html, Markdown, bare_url, code, escaped, html, html_join, identifier, join, link, md, md_file, trusted


def test_md_escapes_text_and_keeps_markdown_and_numbers() -> None:
    shown = md("**{name}** {points:+.1f} {note}", name="*x* [a](https://e.example)", points=1.25, note=trusted("_kept_"))
    assert shown == "**\\*x\\* \\[a\\](https\u2060\\://e.example)** +1.2 _kept_"
    assert isinstance(shown, Markdown)


def test_md_file_leaves_colons_readable() -> None:
    assert md_file("- {text}", text="Note: see https://e.example") == "- Note: see https\u2060://e.example"


def test_escaped_link_and_code() -> None:
    assert escaped("# not a heading") == "\\# not a heading"
    assert link("open [it]", "https://e.example/a b") == "open \\[it\\]"
    assert link("open", "https://e.example/a") == "[open](https://e.example/a)"
    assert code("a`b") == "``a`b``"


def test_join_refuses_text_that_was_never_escaped() -> None:
    assert join("; ", [md("{a}", a="*"), trusted("b")]) == "\\*; b"
    with pytest.raises(TypeError, match="join\\(\\) takes Markdown parts, got str"):
        join("; ", [trusted("a"), "*raw*"])  # type: ignore[list-item]


def test_html_escapes_text_and_keeps_html() -> None:
    row = html('<span title="{t}">{inner}</span>', t='"><script>', inner=html("<b>{n:.0f}</b>", n=2.4))
    assert row == '<span title="&quot;&gt;&lt;script&gt;"><b>2</b></span>'
    assert isinstance(row, Html)
    assert html("{x}", x=md("{y}", y="a")) == "a"
    assert html_join("\n", [row, html("<i>&</i>")]).count("\n") == 1
    with pytest.raises(TypeError, match="html_join\\(\\) takes Html parts, got str"):
        html_join("", ["<b>"])  # type: ignore[list-item]


def test_identifier_takes_plain_code_names_only() -> None:
    assert identifier("rejected_annotations") == "rejected_annotations"
    for name in ("_x", "a__b", "a b", "A", "x_"):
        with pytest.raises(ValueError, match="not a plain identifier"):
            identifier(name)


def test_bare_url_keeps_a_plain_address_only() -> None:
    assert bare_url("http://localhost:8501/live") == "http://localhost:8501/live"
    assert bare_url("javascript:alert(1)") == "javascript\\:\u2060alert(1)"
