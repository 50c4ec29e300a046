"""The loader's generic field reading (checker/plainfields.py): every field of every row type is read from its type
and Read metadata or marked custom, and a plain field's reading follows its declaration."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

import pytest

from checker.errors import Problem
from checker.model import (
    CUSTOM,
    READ,
    Case,
    ContextItem,
    ContextLink,
    Fact,
    Finding,
    Hallmark,
    Hereditary,
    HormoneSyndrome,
    Link,
    Mimic,
    RaisedType,
    Read,
    RedFlag,
    RejectedRow,
    Snapshot,
    Source,
    SourceNote,
    Symptom,
    TumorType,
    TypeGroup,
)
from checker.plainfields import plain_fields, read_plain_fields
from checker.rowreader import RowReader
from checker.tables import ROW_TYPES
from checker.yamlio import LineDict

CUSTOM_FIELDS: dict[type, tuple[str, ...]] = {
    Source: (),
    Symptom: (
        "hpo",
        "also_hpo",
        "background",
        "background_basis",
        "background_sources",
        "share",
        "share_basis",
        "share_sources",
    ),
    TypeGroup: (),
    TumorType: (
        "syndrome_share",
        "syndrome_share_sources",
        "syndrome_share_basis",
        "incidence",
        "incidence_basis",
        "incidence_sources",
        "hallmarks",
        "context",
    ),
    Link: (),
    HormoneSyndrome: ("background", "tells_apart", "background_basis", "background_sources"),
    Hereditary: ("raises", "features", "prevalence", "prevalence_basis", "prevalence_sources"),
    Mimic: ("findings", "context"),
    RedFlag: (),
    Fact: (),
    Case: ("expected",),
    RejectedRow: (),
    ContextItem: (),
    Hallmark: (),
    ContextLink: (),
    Finding: (),
    RaisedType: (),
}
"""The fields the builders in checker/tables.py read themselves (mapping blocks, nested rows, checked lists), for
each table's row type and each nested row type."""


def test_every_table_row_type_is_listed() -> None:
    assert set(ROW_TYPES.values()) <= set(CUSTOM_FIELDS)


@pytest.mark.parametrize("row_type", CUSTOM_FIELDS, ids=lambda t: t.__name__)
def test_every_field_is_read_generically_or_marked_custom(row_type: type) -> None:
    custom = tuple(f.name for f in dataclasses.fields(row_type) if f.metadata.get(READ, Read()).custom)
    assert custom == CUSTOM_FIELDS[row_type]
    assert plain_fields(row_type) == tuple(f.name for f in dataclasses.fields(row_type) if f.name not in custom)


def test_a_field_with_no_plain_reading_must_be_marked_custom() -> None:
    @dataclasses.dataclass(frozen=True)
    class Probe:
        id: str
        hallmarks: tuple[Hallmark, ...] = ()

    with pytest.raises(
        TypeError, match=r"^Probe\.hallmarks: no plain reading for tuple\[checker\.model\.Hallmark, \.\.\.\]; mark it custom$"
    ):
        plain_fields(Probe)

    @dataclasses.dataclass(frozen=True)
    class Marked:
        id: str
        hallmarks: tuple[Hallmark, ...] = dataclasses.field(default=(), metadata=CUSTOM)

    assert plain_fields(Marked) == ("id",)


class _Tables:
    sources: dict[str, Source] = {"page-a": Source("page-a", "page", "A page")}
    snapshot = Snapshot("", {}, ())

    def known(self, table: str) -> Collection[str]:
        return {"symptoms": {"flushing"}, "types": {"gut-net"}, "history": {"diabetes"}}.get(table, set())


def _read(row_type: type, row: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    data = LineDict(row)
    data.line, data.key_lines = 3, {key: 3 + index for index, key in enumerate(row)}
    problems: list[Problem] = []
    values = read_plain_fields(RowReader(data, "t.yaml", problems, tuple(row)), row_type, _Tables())
    return values, [str(p) for p in problems]


NOTE = [LineDict(source="page-a", excerpt="a words")]


def test_a_case_reads_its_plain_fields_with_their_defaults() -> None:
    values, problems = _read(
        Case,
        {
            "id": "case-a",
            "title": "A case",
            "story": "A tumour story.",
            "findings": ["flushing", "cough"],
            "functional": "unknown",
            "teaching_points": ["One."],
            "sources": NOTE,
            "age": 0,
            "sex": "female",
            "history": ["diabetes"],
        },
    )
    assert problems == [
        "t.yaml:6: findings: unknown symptom 'cough'",
        "t.yaml:5: story: 'tumour' is British spelling; user-facing text is American English",
    ]
    assert values == {
        "id": "case-a",
        "title": "A case",
        "story": "A tumour story.",
        "findings": ("flushing",),
        "functional": "unknown",
        "teaching_points": ("One.",),
        "sources": (SourceNote("page-a", excerpt="a words"),),
        "kind": "net",
        "absent": (),
        "syndrome": None,
        "age": 0,
        "sex": "female",
        "history": ("diabetes",),
        "no_history": (),
    }


def test_required_and_fallback_follow_the_declaration() -> None:
    _, problems = _read(Case, {"id": "case-b"})
    assert problems == [
        "t.yaml:3: title: missing required field",
        "t.yaml:3: story: missing required field",
        "t.yaml:3: findings: missing required field",
        "t.yaml:3: functional: missing required field",
        "t.yaml:3: teaching_points: missing required field",
        "t.yaml:3: sources: missing required field: every row needs at least one source note",
        "t.yaml:3: age: missing required field",
        "t.yaml:3: sex: missing required field",
    ]
    values, problems = _read(ContextItem, {"id": "diabetes", "label": "Diabetes", "kind": "history", "basis": "B."})
    assert (values["rate"], problems) == (0.5, ["t.yaml:3: rate: missing required field"])
    values, problems = _read(
        Link, {"type": "gut-net", "symptom": "flushing", "frequency": "often", "sources": NOTE, "reviewed": "1 May"}
    )
    assert problems == [
        "t.yaml:5: frequency: 'often' is not one of: obligate, very frequent, frequent, occasional, very rare, excluded",
        "t.yaml:7: reviewed: '1 May' is not a date (YYYY-MM-DD)",
    ]
    assert (values["when_functional"], values["reviewed"]) == ("", "")


def test_a_type_names_the_table_of_each_reference() -> None:
    values, problems = _read(TumorType, {"site_finding": "lump", "gut": "upper"})
    assert "t.yaml:3: site_finding: unknown symptom 'lump'" in problems
    assert "t.yaml:4: gut: 'upper' is not one of: foregut, midgut, hindgut" in problems
    assert (values["site_finding"], values["gut"], values["parent"]) == (None, None, None)
