"""Browse columns derived from a row dataclass: one per field in declaration order, named by its YAML keys, and one
`sources` column with every SourceNote of the row, whichever field holds it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import cache
from operator import attrgetter
from typing import Any, get_type_hints

import pandas as pd

from checker.model import YAML_KEYS, ContextLink, Finding, Hallmark, HpoRef, RaisedType, SourceNote
from checker.sourcenotes import holds_notes, source_notes

SUMMARIES: dict[type, Callable[[Any], str]] = {
    HpoRef: attrgetter("id"),
    Hallmark: lambda h: " + ".join(h.findings),
    Finding: lambda f: f"{f.symptom} ({f.frequency})",
    RaisedType: lambda r: f"{r.type} ({r.frequency})",
    ContextLink: lambda c: f"{c.item} ({c.frequency})",
}
"""How a nested dataclass shows in one cell (a list of them is joined with '; '); its notes go to `sources`."""

NOTES = tuple[SourceNote, ...]
Column = tuple[str, Callable[[Any], object]]


def cell(value: object) -> object:
    """A field's value as a grid cell: scalars as they are, lists joined with '; ', nested rows by SUMMARIES."""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(cell(item)) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        summary = SUMMARIES.get(type(value))
        if summary is None:
            raise TypeError(f"no browse summary for {type(value).__name__}: add one to SUMMARIES")
        return summary(value)
    return value


@cache
def columns(row_type: type) -> tuple[Column, ...]:
    """(name, getter) per column of `row_type`'s browse table: each field under its YAML key (a field read from
    inside a class block under its own name), a field read from several keys as one column per key (the nested
    dataclass's fields in order); fields holding only source notes are left to the `sources` column."""
    hints = get_type_hints(row_type)
    out: list[Column] = []
    for f in dataclasses.fields(row_type):
        if hints[f.name] == NOTES:
            continue
        keys = f.metadata.get(YAML_KEYS, (f.name,)) or (f.name,)
        if len(keys) == 1:
            out.append((keys[0], _field_cell(f.name)))
        else:
            parts = dataclasses.fields(hints[f.name])
            out.extend((key, _field_cell(f"{f.name}.{part.name}")) for key, part in zip(keys, parts, strict=True))
    return tuple(out)


def _field_cell(path: str) -> Callable[[Any], object]:
    get = attrgetter(path)
    return lambda row: cell(get(row))


def browse_frame(rows: Iterable[Any], row_type: type, notes_text: Callable[[Iterable[SourceNote]], str]) -> pd.DataFrame:
    """`rows` of `row_type` as a DataFrame of its browse columns; a `sources` column (notes_text of every note of the
    row) last when the type can hold notes."""
    named = columns(row_type)
    names = [name for name, _ in named]
    with_notes = holds_notes(row_type)
    records = []
    for row in rows:
        record = {name: get(row) for name, get in named}
        if with_notes:
            record["sources"] = notes_text(source_notes(row))
        records.append(record)
    frame = pd.DataFrame(records, columns=[*names, "sources"] if with_notes else names)
    return _blanks(frame, row_type)


def _blanks(frame: pd.DataFrame, row_type: type) -> pd.DataFrame:
    """Missing values (None) as empty text in text columns, as <NA> in whole-number columns (an age stays 45, not
    45.0); a missing fraction stays NaN."""
    hints = get_type_hints(row_type)
    for name in [f.name for f in dataclasses.fields(row_type) if hints[f.name] == int | None and f.name in frame]:
        frame[name] = frame[name].astype("Int64")
    text = [name for name in frame.columns if not pd.api.types.is_numeric_dtype(frame[name])]
    frame[text] = frame[text].fillna("")
    return frame
