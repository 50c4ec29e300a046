"""The pages' own sentences live in app_pages/words.py: no page module writes shown text as a literal.

The check walks the source (AST) of every page module (app_pages/*.py but words.py, and checker_app/main.py) and
fails on a string literal with a letter in it given as shown text: the label or body of a Streamlit call, its
``help``/``placeholder``/``caption``/``alt``/``title`` keyword, a ``format_func``'s result, or the template of a
checker.markup builder (field names in braces and HTML tags are not text). Widget keys, icons, CSS, JavaScript,
URLs and query parameters are never in those places, so they stay where they are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from string import Formatter

import pytest
from shown_calls import SHOWN_CALLS

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p for p in (ROOT / "app_pages").glob("*.py") if p.name != "words.py") + [ROOT / "checker_app" / "main.py"]

SHOWN_KEYWORDS = frozenset({"body", "label", "help", "placeholder", "caption", "alt", "title", "page_title", "show_spinner"})
"""Keywords whose text is shown, on any call (``st.Page(title=...)``, ``st.image(caption=...)``, ``st.set_page_config``)."""
TEMPLATE_BUILDERS = frozenset({"md", "md_file", "trusted", "html", "escaped", "link"})
"""checker.markup builders whose first argument is fixed app text (a template, a whole text or a link label)."""
TAG = re.compile(r"<[^<>]*>")


def _has_words(text: str, builder: str = "") -> bool:
    """Whether fixed text holds a letter, leaving out template fields (and HTML tags in an html template)."""
    if builder in ("md", "md_file", "html"):
        text = "".join(literal for literal, *_ in Formatter().parse(text))
    if builder == "html":
        text = TAG.sub("", text)
    return any(c.isalpha() for c in text)


def _literals(node: ast.expr, builder: str = "") -> list[ast.expr]:
    """The string literals with words in them that `node` shows: itself, or inside a condition, a sum, a list,
    a dict's values or a lambda's result (not inside another call, which is checked on its own)."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and _has_words(node.value, builder) else []
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        return [node] if _has_words("".join(parts)) else []
    children: list[ast.expr] = []
    if isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, ast.BinOp):
        children = [node.left, node.right]
    elif isinstance(node, ast.BoolOp):
        children = list(node.values)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        children = list(node.elts)
    elif isinstance(node, ast.Dict):
        children = list(node.values)
    elif isinstance(node, ast.Subscript):
        children = [node.value]
    elif isinstance(node, ast.Lambda):
        children = [node.body]
    return [found for child in children for found in _literals(child, builder)]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _shown(call: ast.Call) -> list[tuple[ast.expr, str]]:
    """The arguments of `call` that are shown as text, each with the builder that takes it ('' for Streamlit)."""
    name = _name(call.func)
    if name in TEMPLATE_BUILDERS and isinstance(call.func, ast.Name):
        return [(arg, name) for arg in call.args[:1]]
    shown: list[ast.expr] = []
    if name in SHOWN_CALLS and (name != "write" or _name(getattr(call.func, "value", call.func)) == "st"):
        shown += call.args[:1]
    shown += [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS or k.arg == "format_func"]
    return [(arg, "") for arg in shown]


def offenders(path: Path, root: Path = ROOT) -> list[str]:
    """'file:line: text' for each word-bearing literal a page module shows, in source order."""
    where = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for arg, builder in _shown(node):
                found += [(lit.lineno, lit.col_offset, ast.unparse(lit)) for lit in _literals(arg, builder)]
    return [f"{where}:{line}: {text[:60]}" for line, _, text in sorted(found)]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_page_sentence_outside_words(path: Path) -> None:
    """Every sentence a page shows is a constant of app_pages/words.py."""
    found = offenders(path)
    assert not found, "sentences to move to app_pages/words.py:\n" + "\n".join(found)


def test_the_check_bites(tmp_path: Path) -> None:
    """Each place a page shows text is caught; keys, icons, separators, fields and tags are not."""
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "st.title('Quiz')\n"
        "col.button('Hide' if showing else words.SHOW, key='live_show', icon=':material/bar_chart:')\n"
        "st.expander(label=f'{n} more')\n"
        "st.toggle(words.PROJECTOR, help='Large type')\n"
        "st.text_input(words.SEARCH, placeholder='for example: flushing')\n"
        "st.tabs(['Heatmap', words.COMPARE])\n"
        "st.radio(words.HOW, modes, format_func=lambda m: {'live': 'Live, in class'}[m])\n"
        "st.Page(path, title='Checker', icon=':material/checklist:', url_path='about')\n"
        "st.markdown(md('**Ruled out:** {names}', names=x))\n"
        "st.caption(md('{index}. {label}', index=1, label=x))\n"
        "st.html(html('<p class=\"title\">{rows}</p>', rows=x))\n"
        "st.html(html('<p>Points per finding</p>{rows}', rows=x))\n"
        "st.warning(escaped('Left out: ' + names))\n"
        "bits.append(link('Link', url))\n"
        "st.caption(join(' · ', parts))\n"
        "st.write(words.CONFIRM)\n"
        "other.write('not Streamlit')\n"
        "st.caption(md(words.SOURCES_COUNT, n=3))\n",
        encoding="utf-8",
    )
    assert offenders(page, root=tmp_path) == [
        "page.py:2: 'Quiz'",
        "page.py:3: 'Hide'",
        "page.py:4: f'{n} more'",
        "page.py:5: 'Large type'",
        "page.py:6: 'for example: flushing'",
        "page.py:7: 'Heatmap'",
        "page.py:8: 'Live, in class'",
        "page.py:9: 'Checker'",
        "page.py:10: '**Ruled out:** {names}'",
        "page.py:13: '<p>Points per finding</p>{rows}'",
        "page.py:14: 'Left out: '",
        "page.py:15: 'Link'",
    ]
