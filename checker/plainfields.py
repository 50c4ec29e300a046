"""Every plain field of a row, read by one function from the field's type and its Read metadata (checker/model.py):
the row builders in checker/tables.py read only what is special (mapping blocks, nested rows, cross-field checks)."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Collection, Mapping
from functools import cache
from typing import Any, Literal, Protocol, Union, get_args, get_origin, get_type_hints

from checker.model import READ, YAML_KEYS, Read, Snapshot, Source, SourceNote
from checker.rowreader import RowReader

REFERENCE_NAMES: dict[str, str] = {
    "symptoms": "symptom",
    "types": "tumor type",
    "hormone_syndromes": "hormone syndrome",
    "education": "education fact",
    "type_groups": "type group (type_groups.yaml)",
    "hereditary": "hereditary syndrome",
    "history": "history item",
    "context": "context item (population.yaml)",
}
"""What an id of each table that a field can refer to (Read.ref) is called in an 'unknown ...' problem."""
_EMPTY = ("", None, ())
"""What a RowReader method gives for a missing or bad value."""


class Tables(Protocol):
    """What reading a row needs from the load under way."""

    @property
    def sources(self) -> Mapping[str, Source]: ...

    @property
    def snapshot(self) -> Snapshot: ...

    def known(self, table: str) -> Collection[str]:
        """The row ids of `table` (a key of REFERENCE_NAMES)."""
        ...


Reading = Callable[[RowReader, Tables], Any]


@dataclasses.dataclass(frozen=True)
class _Plan:
    readings: tuple[tuple[str, Reading], ...]
    own_words: tuple[str, ...]


def read_plain_fields(r: RowReader, row_type: type, tables: Tables) -> dict[str, Any]:
    """Every field of dataclass `row_type` that is not marked custom, by name, read from `r` in field order; then
    the American spelling of its own-words fields."""
    plan = _plan(row_type)
    values = {name: read(r, tables) for name, read in plan.readings}
    r.american(*plan.own_words)
    return values


def plain_fields(row_type: type) -> tuple[str, ...]:
    """The fields read_plain_fields reads; raises TypeError for a field that is neither readable nor custom."""
    return tuple(name for name, _ in _plan(row_type).readings)


@cache
def _plan(row_type: type) -> _Plan:
    hints = get_type_hints(row_type)
    readings: list[tuple[str, Reading]] = []
    own_words: list[str] = []
    for f in dataclasses.fields(row_type):
        read: Read = f.metadata.get(READ, Read())
        if read.custom:
            continue
        if f.metadata.get(YAML_KEYS, (f.name,)) != (f.name,):
            raise TypeError(f"{row_type.__name__}.{f.name} is read from other keys: mark it custom (model.CUSTOM)")
        has_default = f.default is not dataclasses.MISSING
        required = read.required if read.required is not None else not has_default
        reading = _reading(f.name, hints[f.name], read, required)
        if reading is None:
            raise TypeError(f"{row_type.__name__}.{f.name}: no plain reading for {hints[f.name]}; mark it custom")
        fallback = read.fallback if read.fallback is not None else f.default if has_default else ""
        readings.append((f.name, reading if fallback in ("", ()) else _or(reading, fallback)))
        if read.own_words:
            own_words.append(f.name)
    return _Plan(tuple(readings), tuple(own_words))


def _or(reading: Reading, fallback: object) -> Reading:
    """`reading`, with `fallback` in place of a missing or bad value."""

    def read(r: RowReader, tables: Tables) -> Any:
        value = reading(r, tables)
        return fallback if value in _EMPTY else value

    return read


def _reading(key: str, hint: Any, read: Read, required: bool) -> Reading | None:
    """How the field `key` of type `hint` is read, or None when its type says nothing the RowReader can read."""
    if read.ref:
        what = REFERENCE_NAMES[read.ref]
        if hint == tuple[str, ...]:
            return lambda r, t: r.refs(key, t.known(read.ref), what, required=required)
        return lambda r, t: r.ref(key, t.known(read.ref), what, required=required)
    if read.how == "date":
        return lambda r, _: r.date(key, required=required)
    if read.how == "orpha":
        return lambda r, t: r.orpha_codes(key, t.snapshot)
    if key == "id" and hint is str:
        return lambda r, _: r.identifier()
    if hint is str:
        return lambda r, _: r.text(key, required=required)
    if hint is bool:
        return lambda r, _: r.boolean(key)
    if hint is float:
        return lambda r, _: r.fraction(key, required=required)
    if hint == int | None:
        low, high = read.bounds
        return lambda r, _: r.whole_number(key, low, high, required=required)
    if hint == tuple[str, ...]:
        return lambda r, _: r.texts(key, required=required)
    if hint == tuple[SourceNote, ...]:
        return lambda r, t: r.notes(key, t.sources, t.snapshot, required=required)
    words = _words(hint)
    if words:
        return lambda r, _: r.choice(key, words, required=required)
    return None


def _words(hint: Any) -> tuple[str, ...]:
    """The words of a Literal type (or of a union of Literals and None), without ''."""
    if get_origin(hint) is Literal:
        return tuple(word for word in get_args(hint) if word != "")
    if get_origin(hint) in (Union, types.UnionType):
        parts = [arg for arg in get_args(hint) if arg is not type(None)]
        if all(get_origin(arg) is Literal for arg in parts):
            return tuple(word for arg in parts for word in _words(arg))
    return ()
