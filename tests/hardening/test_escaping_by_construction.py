"""Escaping by construction: pages and exports build shown text only with checker.markup (md, md_file, trusted,
join, link, code, html), never by formatting raw text themselves.

The check walks the source (AST) of every page module and checker/report.py and fails on
- a Streamlit text element or widget label (and a ``format_func``) given an f-string, a ``%``/``+`` expression,
  a ``.format(...)`` call or a ``str.join`` call: text put together by hand, which may hold unescaped table text;
- any call of md_escape or html.escape: escaping remembered by hand instead of done by the builder;
- a builder's template (or join separator) that is neither a string literal nor a constant of the pages' wording
  module (``words.NAME``, where app_pages/words.py assigns NAME a string literal): mypy reads ``LiteralString`` as
  plain ``str``, so this check is what keeps table text out of templates.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from shown_calls import SHOWN_CALLS

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "checker" / "report.py", ROOT / "checker_app" / "main.py"]

TEXT_CALLS = SHOWN_CALLS | {"html"}
"""Streamlit calls whose first argument (or ``body=``/``label=``) is shown as Markdown, HTML or plain text."""

HAND_ESCAPES = frozenset({"md_escape", "escape"})
BUILDERS = frozenset({"md", "md_file", "trusted", "html", "join", "html_join", "fill"})
"""checker.markup's builders, whose first argument is fixed app text (``fill`` is md or md_file in report.py)."""

WORDS = ROOT / "app_pages" / "words.py"

EXCEPTIONS: dict[str, str] = {}
"""``module:line`` -> why a flagged call is fine (none at present)."""


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def fixed_words(path: Path = WORDS) -> frozenset[str]:
    """The names the pages' wording module assigns a string literal at module level: fixed app text."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
            names.add(target.id)
    return frozenset(names)


def _fixed_text(node: ast.expr, words: frozenset[str]) -> bool:
    """A string literal, or ``words.NAME`` for a literal constant of the pages' wording module."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Attribute) and _name(node.value) == "words" and node.attr in words


def _hand_built(node: ast.expr) -> str | None:
    """How `node` puts text together by hand, or None when it is a literal, a name or a builder's result."""
    if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
        return "f-string"
    if isinstance(node, ast.BinOp):
        return f"{type(node.op).__name__} expression"
    if isinstance(node, ast.IfExp):
        return _hand_built(node.body) or _hand_built(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return f".{node.func.attr}() call"
    return None


def _shown_text(call: ast.Call) -> list[ast.expr]:
    """The arguments of a Streamlit text call that are shown: the first, ``body``/``label``, a format_func's result."""
    shown = list(call.args[:1]) + [k.value for k in call.keywords if k.arg in ("body", "label")]
    for keyword in call.keywords:
        if keyword.arg == "format_func" and isinstance(keyword.value, ast.Lambda):
            shown.append(keyword.value.body)
    return shown


def _is_streamlit(func: ast.expr) -> bool:
    """A method call such as ``st.markdown`` or ``col.markdown`` (a container); ``write`` only as ``st.write``."""
    if not isinstance(func, ast.Attribute) or func.attr not in TEXT_CALLS:
        return False
    return func.attr != "write" or _name(func.value) == "st"


def violations(path: Path, root: Path = ROOT, words_path: Path = WORDS) -> list[str]:
    """Every hand-built text given to a Streamlit text call and every hand escape in one module, by line."""
    words = fixed_words(words_path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
        if name in HAND_ESCAPES:
            found.append((node.lineno, f"{where}: {name}() called by hand"))
        elif name in BUILDERS and isinstance(node.func, ast.Name) and not (node.args and _fixed_text(node.args[0], words)):
            found.append((node.lineno, f"{where}: {name}() template is not a literal"))
        elif _is_streamlit(node.func):
            found += [(node.lineno, f"{where}: {name}() shows an {how}") for how in map(_hand_built, _shown_text(node)) if how]
    return [v for _, v in sorted(found) if v.split(": ")[0] not in EXCEPTIONS]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_hand_built_text(path: Path) -> None:
    assert violations(path) == []


def test_the_check_bites(tmp_path: Path) -> None:
    """Each hand-built form is caught (a page with one of each, in a throwaway module)."""
    words = tmp_path / "words.py"
    words.write_text(
        'FIXED = "**{name}**"\nBUILT = f"**{NAME}**"\nPARTS = "a" + "b"\nANNOTATED: str = "Fixed"\n', encoding="utf-8"
    )
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\nfrom checker.text import md_escape\n"
        "st.markdown(f'**{row.name}**')\n"
        "st.caption('Site: ' + row.site)\n"
        "st.info('%s' % row.note)\n"
        "st.warning('{}'.format(row.note))\n"
        "st.markdown('\\n'.join(lines))\n"
        "col.subheader(row.name if row else f'{row.id}')\n"
        "st.pills('Ask', ids, format_func=lambda s: f'{labels[s]}')\n"
        "st.expander(label=f'{n} more')\n"
        "st.error(md_escape(row.message))\n"
        "st.markdown(md('**{name}**', name=row.name))\n"
        "st.markdown(md(f'**{row.name}**'))\n"
        "st.caption(join(row.sep, parts))\n"
        "st.caption(trusted('Fixed text'))\n"
        "st.markdown(text)\n"
        "st.markdown(md(words.FIXED, name=row.name))\n"
        "st.caption(trusted(words.ANNOTATED))\n"
        "st.markdown(md(words.BUILT))\n"
        "st.markdown(md(words.PARTS))\n"
        "st.markdown(md(words.MISSING))\n"
        "st.markdown(md(other.FIXED))\n"
        "st.markdown(md(FIXED))\n",
        encoding="utf-8",
    )
    found = [v.split(": ", 1)[1] for v in violations(page, root=tmp_path, words_path=words)]
    assert found == [
        "markdown() shows an f-string",
        "caption() shows an Add expression",
        "info() shows an Mod expression",
        "warning() shows an .format() call",
        "markdown() shows an .join() call",
        "subheader() shows an f-string",
        "pills() shows an f-string",
        "expander() shows an f-string",
        "md_escape() called by hand",
        "md() template is not a literal",
        "join() template is not a literal",
        "md() template is not a literal",
        "md() template is not a literal",
        "md() template is not a literal",
        "md() template is not a literal",
        "md() template is not a literal",
    ]
