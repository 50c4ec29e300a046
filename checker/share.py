"""Shareable links: turn a Query into URL query parameters and back, tolerating anything a URL can carry.

The format is ``symptoms=ID,ID&absent=ID&functional=functional|nonfunctional|unknown&syndrome=men1``, with
optional context ``age=52`` (or an age band id), ``sex=female|male``, ``history=ID,ID`` and ``nohistory=ID``.
Parsing never raises: unknown ids, unknown keys, bad values, oversized input and odd types are dropped,
and each drop is described by a short notice. Notices never repeat raw input: values are reduced to a
few safe characters and cut short, so they can be shown to the user as plain text.

Pure logic; this module must never import streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from checker.ids import MAX_ID_CHARS
from checker.model import AGE_BANDS, QUERY_STATUSES, SEXES, KnowledgeBase, QueryStatus, Sex, Word, member
from checker.scoring import Query
from checker.scoring.query import age_band

IGNORED_KEYS = frozenset({"embed", "embed_options"})
"""Keys the hosting page may add; dropped without a notice."""

MAX_KEYS = 20
"""At most this many distinct keys are looked at; the rest are dropped with one notice."""
MAX_VALUES_PER_KEY = 50
"""At most this many repeated values of one key are read."""
MAX_VALUE_CHARS = 4000
"""A single value longer than this is cut to this length before it is split."""
MAX_IDS = 200
"""At most this many ids are read from one key (more than the tables hold)."""
MAX_NOTICES = 8
"""Notices beyond this are summarised in one final line."""
SHOWN_CHARS = 40
"""Dropped values are shown with at most this many (safe) characters."""

_SAFE = re.compile(r"[^a-z0-9\-_.:]")
_SPLIT = re.compile(r"[,\s;|]+")


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A harmless short rendering of untrusted input for a notice: lower-case letters, digits and -_.: only."""
    text = value if isinstance(value, str) else repr(value)
    text = text.strip().lower()
    cut = len(text) > limit
    text = _SAFE.sub("?", text[:limit])
    return f"'{text}{'...' if cut else ''}'"


class _Notices:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.extra = 0

    def add(self, message: str) -> None:
        if message in self.items:
            return
        if len(self.items) < MAX_NOTICES:
            self.items.append(message)
        else:
            self.extra += 1

    def result(self) -> list[str]:
        if self.extra:
            return [*self.items, f"... and {self.extra} more problem{'s' if self.extra != 1 else ''} in the link."]
        return list(self.items)


def _items(mapping: Any, notices: _Notices) -> list[tuple[str, list[str]]]:
    """(key, values) pairs from a mapping of str or list-of-str values; anything else is dropped."""
    if mapping is None:
        return []
    try:
        if isinstance(mapping, Mapping) or hasattr(mapping, "items"):
            pairs = list(mapping.items())
        elif isinstance(mapping, (str, bytes)):
            notices.add("The link settings could not be read, so they were ignored.")
            return []
        else:
            pairs = list(mapping)
    except Exception:  # noqa: BLE001 - any odd object must be tolerated
        notices.add("The link settings could not be read, so they were ignored.")
        return []
    merged: dict[str, list[str]] = {}
    for pair in pairs:
        try:
            key, raw = pair
        except Exception:  # noqa: BLE001
            notices.add("A link setting could not be read, so it was ignored.")
            continue
        if not isinstance(key, str):
            notices.add(f"Ignored a link setting with an unreadable name {shown(key)}.")
            continue
        name = key.strip().lower()
        if name in IGNORED_KEYS:
            continue
        if name not in merged and len(merged) >= MAX_KEYS:
            notices.add("The link has too many settings; the extra ones were ignored.")
            continue
        merged.setdefault(name, []).extend(_values(name, raw, notices))
    return list(merged.items())


def _values(name: str, raw: Any, notices: _Notices) -> list[str]:
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        raw = [raw]
    values: list[str] = []
    try:
        for index, item in enumerate(raw):
            if index >= MAX_VALUES_PER_KEY:
                notices.add(f"The link repeats {shown(name)} too often; the extra values were ignored.")
                break
            if isinstance(item, bytes):
                item = item.decode("utf-8", "replace")
            if item is None:
                continue
            if not isinstance(item, str):
                notices.add(f"Ignored a value of {shown(name)} that is not text: {shown(item)}.")
                continue
            if len(item) > MAX_VALUE_CHARS:
                notices.add(f"The value of {shown(name)} is too long; only its start was read.")
                item = item[:MAX_VALUE_CHARS]
            values.append(item)
    except Exception:  # noqa: BLE001
        notices.add(f"The value of {shown(name)} could not be read, so it was ignored.")
    return values


def _ids(name: str, values: list[str], known: Mapping[str, Any], what: str, notices: _Notices) -> list[str]:
    out: list[str] = []
    unknown: list[str] = []
    for value in values:
        for token in _SPLIT.split(value):
            token = token.strip().lower()
            if not token:
                continue
            if len(out) + len(unknown) >= MAX_IDS:
                notices.add(f"The link lists too many {what}s in {shown(name)}; the extra ones were ignored.")
                return out
            if len(token) <= MAX_ID_CHARS and token in known:
                if token not in out:
                    out.append(token)
            else:
                unknown.append(token)
    for token in dict.fromkeys(unknown):
        notices.add(f"Ignored unknown {what} id {shown(token)} from the link.")
    return out


def _single(
    name: str, values: list[str], allowed: Iterable[Word], what: str, notices: _Notices, blank: tuple[str, ...] = ()
) -> Word | None:
    """The one valid value of a single-valued key, or None."""
    allowed = tuple(allowed)
    chosen: Word | None = None
    for value in values:
        token = value.strip().lower()
        if token in blank or not token:
            continue
        word = member(token, allowed)
        if word is not None:
            if chosen is not None and chosen != word:
                notices.add(f"The link gives more than one {what}; kept {shown(chosen)}.")
            chosen = chosen or word
        else:
            notices.add(f"Ignored unknown {what} {shown(token)} from the link (known: {', '.join(allowed)}).")
    return chosen


def parse_params(mapping: Any, kb: KnowledgeBase) -> tuple[Query, list[str]]:
    """A valid Query from URL query parameters, and plain-text notices for everything dropped.

    ``mapping`` is normally ``{key: [values]}`` (repeated keys) or ``{key: value}``; any other shape,
    type or size is tolerated. Ids may be comma-separated and in any letter case. A symptom listed both
    as present and ruled out is kept as present. Never raises.
    """
    notices = _Notices()
    present: list[str] = []
    absent: list[str] = []
    functional: QueryStatus = "unknown"
    syndrome: str | None = None
    age: str | None = None
    sex: Sex | None = None
    history: list[str] = []
    no_history: list[str] = []
    for name, values in _items(mapping, notices):
        if name == "symptoms":
            present += _ids(name, values, kb.symptoms, "symptom", notices)
        elif name == "absent":
            absent += _ids(name, values, kb.symptoms, "symptom", notices)
        elif name == "functional":
            functional = _single(name, values, QUERY_STATUSES, "hormone-symptom status", notices) or "unknown"
        elif name == "syndrome":
            syndrome = _single(name, values, kb.hereditary, "hereditary syndrome", notices, blank=("none", "null"))
        elif name == "age":
            bands = [age_band(v.strip()) or v for v in values if v.strip()]
            age = _single(name, [b for b in bands if b], AGE_BANDS, "age", notices)
        elif name == "sex":
            sex = _single(name, values, SEXES, "sex", notices)
        elif name in ("history", "nohistory"):
            items = {i.id: i for i in kb.population.values() if i.kind == "history"}
            (history if name == "history" else no_history).extend(_ids(name, values, items, "history item", notices))
        else:
            notices.add(f"Ignored unknown link setting {shown(name)}.")
    both = [s for s in dict.fromkeys(absent) if s in present]
    if both:
        notices.add(f"{', '.join(shown(s) for s in both[:5])} listed both as present and ruled out; kept as present.")
    return Query(
        present=tuple(present),
        absent=tuple(absent),
        functional=functional,
        syndrome=syndrome,
        age=age,
        sex=sex,
        history=tuple(history),
        no_history=tuple(h for h in no_history if h not in history),
    ), notices.result()


def to_params(query: Query) -> dict[str, str]:
    """The query as URL parameters; defaults (nothing ruled out, status unknown, no syndrome) are left out."""
    out: dict[str, str] = {}
    if query.present:
        out["symptoms"] = ",".join(query.present)
    if query.absent:
        out["absent"] = ",".join(query.absent)
    if query.functional != "unknown":
        out["functional"] = query.functional
    if query.syndrome:
        out["syndrome"] = query.syndrome
    if query.age:
        out["age"] = query.age
    if query.sex:
        out["sex"] = query.sex
    if query.history:
        out["history"] = ",".join(query.history)
    if query.no_history:
        out["nohistory"] = ",".join(query.no_history)
    return out


def query_string(query: Query) -> str:
    """The URL query string for a query (commas kept readable), e.g. ``symptoms=flushing,diarrhea``."""
    return urlencode(to_params(query), safe=",")


def share_link(base_url: str | None, query: Query) -> str:
    """The full link that reopens a query: the page address (its own query and anchor dropped) plus
    query_string(query). Without a base address, just ``?query``."""
    qs = query_string(query)
    if not base_url:
        return f"?{qs}"
    try:
        parts = urlsplit(str(base_url))
    except ValueError:
        return f"?{qs}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", qs, ""))
