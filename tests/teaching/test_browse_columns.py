"""checker.teaching.columns: browse columns come from the row dataclasses, and a row's sources column has every note."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import get_args, get_type_hints

import pytest

from checker import teaching as T
from checker.model import YAML_KEYS, Finding, HpoRef, KnowledgeBase, SourceNote
from checker.report import note_text
from checker.sourcenotes import source_notes
from checker.tables import ROW_TYPES
from checker.teaching.columns import SUMMARIES, browse_frame, columns


@dataclass(frozen=True)
class _Row:
    id: str
    tags: tuple[str, ...]
    term: HpoRef = field(metadata={YAML_KEYS: ("term", "term_name")})
    shares: tuple[Finding, ...] = field(default=(), metadata={YAML_KEYS: ("links",)})
    sources: tuple[SourceNote, ...] = ()
    grade_sources: tuple[SourceNote, ...] = ()
    brand_new: int | None = None


def _names(notes: object) -> str:
    return " | ".join(n.source for n in notes)  # type: ignore[attr-defined]


def test_a_new_field_is_a_column_without_touching_the_frames() -> None:
    row = _Row(
        "r1",
        ("a", "b"),
        HpoRef("HP:1", "Term one"),
        (Finding("flushing", "frequent", (SourceNote("s3"),)),),
        (SourceNote("s1"),),
        (SourceNote("s2"),),
        7,
    )
    frame = browse_frame([row, _Row("r2", (), HpoRef("HP:2", "Term two"))], _Row, _names)
    assert list(frame.columns) == ["id", "tags", "term", "term_name", "links", "brand_new", "sources"]
    assert frame.iloc[0].to_dict() == {
        "id": "r1",
        "tags": "a; b",
        "term": "HP:1",
        "term_name": "Term one",
        "links": "flushing (frequent)",
        "brand_new": 7,
        "sources": "s3 | s1 | s2",
    }
    assert frame.iloc[1]["links"] == "" and frame.iloc[1]["sources"] == ""
    assert str(frame["brand_new"].dtype) == "Int64"


@dataclass(frozen=True)
class Unknown:
    x: str


@dataclass(frozen=True)
class Holder:
    item: Unknown


def test_a_nested_row_without_a_summary_is_refused() -> None:
    with pytest.raises(TypeError, match="no browse summary for Unknown: add one to SUMMARIES"):
        browse_frame([Holder(Unknown("x"))], Holder, _names)


def _nested(hint: object) -> set[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {hint}
    return {t for arg in get_args(hint) for t in _nested(arg)}


def test_every_nested_row_type_of_the_tables_has_a_summary() -> None:
    nested = {t for row_type in ROW_TYPES.values() for hint in get_type_hints(row_type).values() for t in _nested(hint)}
    assert nested - {SourceNote} <= set(SUMMARIES)


def test_browse_columns_are_the_yaml_keys(kb: KnowledgeBase) -> None:
    frames = T.table_frames(kb)
    assert list(frames) == [
        "symptoms",
        "type_groups",
        "types",
        "links",
        "hormone_syndromes",
        "hereditary",
        "mimics",
        "red_flags",
        "education",
        "cases",
        "rejected_annotations",
        "population",
        "sources",
    ]
    assert list(frames["types"].columns) == [
        "id", "name", "aliases", "site", "family", "functional", "summary", "gut", "hormones", "syndromes", "tests",
        "treatments", "orpha", "parent", "site_finding", "syndrome_share", "syndrome_share_basis", "incidence",
        "incidence_basis", "hallmarks", "context", "sources",
    ]  # fmt: skip
    assert list(frames["mimics"].columns) == [
        "id", "name", "links", "tell_apart", "prevalence", "syndromes", "context", "picture", "sources",
    ]  # fmt: skip
    assert list(frames["rejected_annotations"].columns) == [
        "type", "orpha", "hpo", "hpo_name", "frequency", "reason", "note", "moved_to",
    ]  # fmt: skip
    assert list(frames["sources"].columns) == [
        "id", "kind", "title", "publisher", "url", "dates", "date_read", "seed_file", "version", "licence", "note",
        "cited_by_notes",
    ]  # fmt: skip
    for table, frame in frames.items():
        assert frame.columns.is_unique, table
    assert [name for name, _ in columns(ROW_TYPES["links"])] == [
        "type", "symptom", "frequency", "basis", "when_functional", "reviewed", "syndrome_note",
    ]  # fmt: skip


def test_a_types_sources_column_counts_every_note(kb: KnowledgeBase) -> None:
    tumor = kb.types["small-intestine-net"]
    row = T.table_frames(kb)["types"].set_index("id").loc["small-intestine-net"]
    assert row["incidence"] == "rare" and row["hallmarks"] == "flushing + diarrhea + high-serotonin"
    assert row["sources"] == " | ".join(note_text(kb, n) for n in source_notes(tumor))
    incidence = note_text(kb, tumor.incidence_sources[0])
    assert incidence.startswith("Small Intestinal Cancer: a Population-Based Study")
    assert incidence in row["sources"] and tumor.incidence_sources[0] not in tumor.sources
    assert len(list(source_notes(tumor))) > len(tumor.sources)
