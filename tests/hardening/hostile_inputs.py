"""Hostile shared-link query strings and helpers to inspect what an AppTest run would render."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from streamlit.testing.v1 import AppTest

from checker import KnowledgeBase

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MARKUP = (
    SCRIPT,
    IMG,
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![track](https://example.invalid/pixel.png)",
    "**bold**",
    "_em_",
    "`code`",
    "# heading",
    "> quote",
    ":red[alarm]",
    ":material/warning:",
    "$$x^2$$",
    "{{7*7}}",
    "${7*7}",
    "<!--",
    "]]>",
    "&lt;b&gt;",
    "&#60;b&#62;",
    "<iframe src=//x>",
    "<style>*{display:none}</style>",
    "\\",
    "|a|b|\n|-|-|",
)
UNICODE = (
    "\u202eevil",
    "flush\u200bing",
    "\ufefffatigue",
    "\U0001f9ec",
    "\uff46lushing",
    "fl\u0443shing",
    "e\u0301",
    "\u0000",
    "\u2028",
    "\u00a0flushing",
    "FLUSHING",
    "Flushing",
    "\u0130",
    "\ufffd",
)
PERCENT_JUNK = (
    "%",
    "%%",
    "%zz",
    "%2",
    "%E0%A4%A",
    "%C0%AF",
    "%ED%A0%80",
    "%FF%FE",
    "%00",
    "%253Cscript%253E",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "+++",
    "%2C%2C%2C",
    "a%26symptoms%3Dfatigue",
    "%0d%0aSet-Cookie:x=1",
)
SEPARATORS = (",", ";", "|", " ", "\t", ",,", ", ")


@dataclass(frozen=True)
class HostileLink:
    id: str
    query_string: str
    drops_input: bool
    """True when some of the input cannot be used, so the app must say it ignored something."""


def _valid_ids(kb: KnowledgeBase) -> list[str]:
    return sorted(kb.symptoms)


def hostile_links(kb: KnowledgeBase, count: int = 520, seed: int = 5) -> list[HostileLink]:
    """Deterministic hostile query strings; the first ones are hand-written, the rest random mixes."""
    rng = random.Random(seed)
    valid = _valid_ids(kb)
    syndromes = sorted(kb.hereditary)
    fixed: list[tuple[str, str, bool]] = [
        ("empty", "", False),
        ("question-mark", "?", False),
        ("ampersands", "&&&", False),
        ("lone-equals", "=", True),
        ("blank-symptoms", "symptoms=", False),
        ("bare-key", "symptoms", False),
        ("value-without-key", "=fatigue", True),
        ("script", "symptoms=" + quote(SCRIPT), True),
        ("img", "symptoms=" + quote(IMG), True),
        ("script-key", quote(SCRIPT) + "=1", True),
        ("long-value", "symptoms=" + "a" * 100_000, True),
        ("long-key", "k" * 50_000 + "=1", True),
        ("many-commas", "symptoms=" + "," * 20_000, False),
        ("many-keys", "&".join(f"k{i}=v" for i in range(300)), True),
        ("repeated-symptoms", "&".join(f"symptoms={rng.choice(valid)}" for _ in range(400)), True),
        ("repeated-unknown", "&".join("symptoms=nope" for _ in range(400)), True),
        ("two-statuses", "functional=functional&functional=nonfunctional", True),
        ("bad-status", "functional=" + quote(SCRIPT), True),
        ("bad-syndrome", "syndrome=men9", True),
        ("both-present-and-absent", f"symptoms={valid[0]}&absent={valid[0]}", True),
        ("upper-case-key", f"SYMPTOMS={valid[0]}", False),
        ("proto", "__proto__=x&constructor=y", True),
        ("unknown-key", "foo=bar", True),
        ("embed", "embed=true", False),
        ("double-encoded", "symptoms=%253Cscript%253E", True),
        ("nul", "symptoms=%00", True),
        ("crlf", "symptoms=%0d%0aX-Injected:1", True),
        ("invalid-utf8", "symptoms=%ff%fe%fd", True),
        ("lone-surrogate", "symptoms=%ED%A0%80", True),
        ("rtl", "symptoms=" + quote("\u202eevil"), True),
        ("zero-width-valid", "symptoms=" + quote(valid[0][:2] + "\u200b" + valid[0][2:]), True),
        ("valid-only", f"symptoms={valid[0]},{valid[1]}&functional=functional&syndrome={syndromes[0]}", False),
    ]
    out = [HostileLink(name, qs, drops) for name, qs, drops in fixed]
    # Pieces that always leave at least one unknown token (so a notice is due) once decoded and split.
    harmless = {"+++", "%2C%2C%2C", "\u2028", "FLUSHING", "Flushing", "\u00a0flushing"}
    pieces_bad = [p for p in (*MARKUP, *UNICODE, *PERCENT_JUNK, "unknown-id", "x" * 81, "a" * 5000) if p not in harmless]
    number = 0
    while len(out) < count:
        number += 1
        parts: list[str] = []
        drops = False
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.35:
                key = rng.choice(("symptoms", "absent"))
                tokens = []
                for _ in range(rng.randint(1, 5)):
                    if rng.random() < 0.5:
                        tokens.append(rng.choice(valid))
                    else:
                        tokens.append(rng.choice(pieces_bad))
                        drops = True
                value = rng.choice(SEPARATORS).join(tokens)
                parts.append(f"{key}={_encode(rng, value)}")
            elif roll < 0.5:
                parts.append("functional=" + _encode(rng, rng.choice((*MARKUP, "maybe", "FUNCTIONAL?", "1"))))
                drops = True
            elif roll < 0.6:
                parts.append("syndrome=" + _encode(rng, rng.choice((*MARKUP, "men3", "vhl2", "MEN 1"))))
                drops = True
            elif roll < 0.75:
                parts.append(
                    _encode(rng, rng.choice((*MARKUP, *UNICODE, "foo", "utm_source", "x" * 300)))
                    + "="
                    + _encode(rng, rng.choice(MARKUP))
                )
                drops = True
            elif roll < 0.9:
                parts.append(rng.choice(PERCENT_JUNK))
                drops = True
            else:
                parts.append(rng.choice(("", "&", "=", "==", "symptoms==", "symptoms=&=symptoms")))
        out.append(HostileLink(f"random-{number:03d}", "&".join(parts), drops))
    return out


def _encode(rng: random.Random, value: str) -> str:
    mode = rng.randrange(3)
    if mode == 0:
        return quote(value, safe="")
    if mode == 1:
        return quote(value, safe=",;| ")
    return value.replace("&", "%26").replace("#", "%23")


def streamlit_params(query_string: str) -> dict[str, list[str]]:
    """What st.query_params holds for a URL query string (the server parses it with parse_qs, blanks kept)."""
    return parse_qs(query_string.lstrip("?"), keep_blank_values=True)


RAW_HTML = re.compile(r"<\s*[a-zA-Z/!]")
MARKDOWN_ACTIVE = re.compile(r"\]\(\s*javascript:|!\[[^\]]*\]\(")
"""The old, narrow detector (kept for plain-text notices): only javascript: links and images."""

_ESCAPED = re.compile(r"\\.", re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
ACTIVE_MARKDOWN: dict[str, re.Pattern[str]] = {
    "image": re.compile(r"!\["),
    "link": re.compile(r"\[([^\]\n]*)\]\s*\(([^)\s]*)[^)]*\)"),
    "link reference": re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:"),
    "angle autolink": re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"),
}
"""Markdown syntax that makes a link or an image, looked for in text whose backslash escapes are blanked out."""
AUTOLINKS: dict[str, re.Pattern[str]] = {
    "www autolink": re.compile(r"(?i)(?<![A-Za-z0-9.-])www\.[\w-]"),
    "scheme autolink": re.compile(r"(?i)(?<![A-Za-z0-9.+-])(https?|ftp)://"),
    "mailto autolink": re.compile(r"(?i)(?<![\w.+-])(mailto|xmpp):[\w.+-]+@[\w-]"),  # an address must follow
    "e-mail autolink": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*\w"),
}
"""GFM autolink literals (after `_`, `*`, `~` or `(` too: `_www.x` is a link). remark-gfm finds them in the text
*after* escapes are resolved, so they are looked for
in text whose backslashes are removed (an escaped ``www\\.x`` is still a link in the browser)."""

APP_LINK_LABELS = frozenset({"Jump to results", "open source", "Link", "Download address", "hpo.jax.org/license"})
"""Link texts the app itself writes; a link is allowed only with one of these and an allowed target."""


def app_link_targets(kb: KnowledgeBase) -> frozenset[str]:
    """Targets of the links the app itself writes: its anchor, the HPO licence, the tables' own source URLs."""
    from checker.text import safe_link_target

    targets = {"#results", "https://hpo.jax.org/license"}
    targets |= {t for s in kb.sources.values() if s.url and (t := safe_link_target(s.url))}
    return frozenset(targets)


def active_markdown(text: str, allowed_targets: frozenset[str] = frozenset()) -> list[str]:
    """Every active link, image or autolink in Markdown source, except the app's own links to allowed targets."""
    plain = _ESCAPED.sub("  ", text)  # escaped characters cannot start Markdown syntax
    spans = [m.span() for m in _CODE_SPAN.finditer(plain)]  # code spans show text, never links
    found = [f"image {text[m.start() : m.start() + 100]!r}" for m in ACTIVE_MARKDOWN["image"].finditer(plain)]
    for match in ACTIVE_MARKDOWN["link"].finditer(plain):
        label, target = match.group(1).strip(), match.group(2)
        if not (label in APP_LINK_LABELS and target in allowed_targets):
            found.append(f"link {text[match.start() : match.end()][:100]!r}")
        spans.append(match.span())
    for kind in ("link reference", "angle autolink"):
        found += [f"{kind} {text[m.start() : m.end() + 20]!r}" for m in ACTIVE_MARKDOWN[kind].finditer(plain)]
    kept = list(text)
    for begin, end in spans:
        kept[begin:end] = " " * (end - begin)
    resolved = _ESCAPED.sub(lambda m: m.group(0)[1], "".join(kept))
    for kind, pattern in AUTOLINKS.items():
        found += [f"{kind} {resolved[max(0, m.start() - 20) : m.end() + 20]!r}" for m in pattern.finditer(resolved)]
    return found


def rendered_texts(at) -> Iterator[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    """(element kind, text Streamlit renders as Markdown or HTML, allows raw HTML?) for every element."""
    for element in _walk_all(at):
        proto = getattr(element, "proto", None)
        if proto is None:
            continue
        kind = type(element).__name__
        if kind == "Html":
            yield kind, str(getattr(proto, "body", "")), True
            continue
        descriptor = getattr(proto, "DESCRIPTOR", None)
        fields = descriptor.fields_by_name if descriptor is not None else {}
        for name in ("body", "label", "help", "placeholder"):
            if name in fields:
                value = getattr(proto, name)
                if isinstance(value, str) and value:
                    yield kind, value, bool(getattr(proto, "allow_html", False))


def _walk_all(at) -> Iterator:  # type: ignore[no-untyped-def]
    stack = [at._tree]
    while stack:
        node = stack.pop()
        yield node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(reversed(list(children.values())))


_ACTIVE_TAGS = frozenset(
    {
        "a",
        "img",
        "script",
        "iframe",
        "svg",
        "object",
        "embed",
        "link",
        "meta",
        "form",
        "input",
        "base",
        "video",
        "audio",
        "source",
    }
)


def _active_html(text: str, needles: tuple[str, ...]) -> list[str]:
    """Tags, attributes and URLs in raw HTML that could act (any untrusted input there is a defect too)."""
    from html.parser import HTMLParser  # noqa: PLC0415

    found: list[str] = []

    class Walker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _ACTIVE_TAGS:
                found.append(f"has an active <{tag}> tag")
            for name, value in attrs:
                if name.startswith("on") or (value and "javascript:" in value.lower()):
                    found.append(f"has an active attribute {name}={str(value)[:40]!r}")
                for needle in needles:
                    if needle and (needle in name or (value and needle in value)):
                        found.append(f"puts input {needle[:40]!r} in a <{tag}> attribute")

    Walker().feed(text)
    for needle in needles:  # input with markup characters must never appear as written
        if needle and any(ch in needle for ch in "<>\"'") and needle in text:
            found.append(f"contains input {needle[:40]!r} unescaped")
    return found


def unsafe_html_defects(
    at,
    needles: tuple[str, ...] = (),  # type: ignore[no-untyped-def]
    allowed_targets: frozenset[str] = frozenset(),
) -> list[str]:
    """Rendered texts that would let input through as HTML, or hold any active link, image or autolink other
    than the app's own links to ``allowed_targets``."""
    from app_pages.common import TRUSTED_HTML  # noqa: PLC0415 (the app's own fixed scripts)

    defects = []
    for kind, text, allows_html in rendered_texts(at):
        if kind == "Html" and text in TRUSTED_HTML:
            continue
        if kind == "Html" or allows_html:
            # Raw HTML may show untrusted input only as escaped text: never as a tag, an attribute or a link.
            for problem in _active_html(text, needles):
                defects.append(f"{kind} with raw HTML {problem}")
            continue
        if RAW_HTML.search(text):
            defects.append(f"{kind} renders a raw tag: {text[:120]!r}")
        for active in active_markdown(text, allowed_targets):
            defects.append(f"{kind} renders an active {active}")
    return defects


LINK_FORMS = (
    "_www.evil-a.example x.evil-b.example http://evil-c.example/p mailto:x@evil-d.example y@evil-e.example "
    "[l](http://evil-f.example) ![i](http://evil-g.example/p.png) <https://evil-h.example> "
    "www\uff0eevil-i.example <img src=http://evil-j.example/x.png>"
)
"""Every form of link or image text might turn into: www. after an underscore, a bare domain, http://, mailto:, a
bare e-mail address, Markdown link and image, an angle autolink, a full-width dot, raw HTML (hosts say evil)."""
NOT_PROSE = frozenset(
    {
        # ids and references to other rows, which the loader resolves
        "id",
        "source",
        "symptom",
        "type",
        "item",
        "absent",
        "expected",
        "findings",
        "history",
        "no_history",
        "picture",
        "syndromes",
        "tests",
        "treatments",
        "types",
        "tells_apart",
        "when_all",
        "when_any",
        "hpo",
        "orpha",
        "disease",
        "via",
        "primary",
        # checked against the seed documents or the HPO release, which the loader would refuse if changed
        "excerpt",
        # codes, dates, versions and addresses with a format of their own (the URL sweep poisons addresses)
        "evidence",
        "qualifier",
        "reference",
        "frequency",
        "url",
        "seed_file",
        "version",
        "hpo_release",
        "folder",
        "reviewed",
        "date_read",
        "dates",
    }
)
"""Text fields of the model that hold no prose."""


def _text_fields() -> frozenset[str]:
    """Every ``str`` or ``tuple[str, ...]`` field of the table rows in checker.model, wherever it occurs."""
    import dataclasses
    import inspect

    from checker import model

    return frozenset(
        field.name
        for _, row in inspect.getmembers(model, dataclasses.is_dataclass)
        for field in dataclasses.fields(row)
        if field.type in ("str", "tuple[str, ...]")
    )


PROSE_FIELDS = _text_fields() - NOT_PROSE
"""Table fields of free text (with a space in them), wherever they occur: taken from the model, so a new text
field is poisoned too. Left out: NOT_PROSE."""


def poison_rules(source: Path, target: Path, payload: str = LINK_FORMS) -> Path:
    """A copy of a rules folder with `payload` appended to every prose field of every table."""
    import shutil

    import yaml

    def poison(value: object, key: str | None = None) -> object:
        if isinstance(value, dict):
            return {k: v if k == "also_hpo" else poison(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(v, key) for v in value]
        if isinstance(value, str) and key in PROSE_FIELDS and " " in value:
            return f"{value} {payload}"
        return value

    shutil.copytree(source, target)
    for path in target.glob("*.yaml"):
        if path.name != "manifest.yaml":
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(yaml.safe_dump(poison(data), allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return target


ROOT = Path(__file__).resolve().parents[2]
MAIN_PAGE = "app_pages/checker.py"
TICKED = ("flushing", "diarrhea", "abdominal-pain", "scan-mass-small-intestine", "fainting")
"""Findings ticked when a test opens a page on poisoned tables: the rows they reach carry the payload."""


def app_on_page(rules: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app run on `rules` with TICKED and MEN1 in the link, switched to `page` (a file under app_pages/)."""
    monkeypatch.setenv("NET_CHECKER_RULES", str(rules))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["symptoms"] = ",".join(TICKED)
    at.query_params["syndrome"] = "men1"
    at.run()
    if page != MAIN_PAGE:
        at.switch_page(page).run()
    return at
