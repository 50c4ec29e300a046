"""Every SourceNote reachable from a dataclass tree, found by walking the fields: no sourced field named by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import cache
from typing import Any, get_args, get_type_hints

from checker.model import SourceNote


def source_notes(value: object) -> Iterator[SourceNote]:
    """The SourceNotes in `value`: itself, or inside its dataclass fields, tuples, lists and dict values, in order."""
    if isinstance(value, SourceNote):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name in _note_fields(type(value)):
            yield from source_notes(getattr(value, name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from source_notes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from source_notes(item)


def holds_notes(cls: type) -> bool:
    """Whether a row of dataclass `cls` can hold a SourceNote in some field."""
    return bool(_note_fields(cls))


@cache
def _note_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass `cls` whose declared type can hold a SourceNote (the others are not walked: the
    snapshot's 20,000 HPO terms hold none)."""
    hints = get_type_hints(cls)
    return tuple(f.name for f in dataclasses.fields(cls) if _can_hold(hints[f.name], frozenset({cls})))


def _can_hold(hint: Any, seen: frozenset[type]) -> bool:
    """Whether a value of type `hint` can be or contain a SourceNote (`seen`: the dataclasses being looked into)."""
    if hint is SourceNote:
        return True
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint in seen:
            return False
        hints = get_type_hints(hint)
        return any(_can_hold(h, seen | {hint}) for h in hints.values())
    return any(_can_hold(arg, seen) for arg in get_args(hint))
