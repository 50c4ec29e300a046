"""The bibliography counts every SourceNote in the knowledge base, whichever field holds it."""

from __future__ import annotations

from dataclasses import dataclass

from checker import teaching as T
from checker.model import KnowledgeBase, SourceNote
from checker.sourcenotes import source_notes


@dataclass(frozen=True)
class _Leaf:
    name: str
    sources: tuple[SourceNote, ...] = ()


@dataclass(frozen=True)
class _Tree:
    leaves: dict[str, _Leaf]
    new_field: tuple[_Leaf, ...]
    plain: tuple[str, ...] = ()
    note: SourceNote | None = None


def test_walker_finds_notes_in_any_field_of_a_new_dataclass() -> None:
    tree = _Tree(
        leaves={"a": _Leaf("a", (SourceNote("s1"),))},
        new_field=(_Leaf("b", (SourceNote("s2"),)),),
        plain=("not a note",),
        note=SourceNote("s3"),
    )
    assert [n.source for n in source_notes(tree)] == ["s1", "s2", "s3"]


def test_every_note_of_the_shipped_tables_is_counted(kb: KnowledgeBase) -> None:
    notes = list(source_notes(kb))
    assert (len(notes), len({n.source for n in notes})) == (3098, 568)
    # The hand-written list this replaced counted 2707 notes citing 393 sources: it skipped these fields.
    assert sum(len(t.incidence_sources) for t in kb.types.values()) == 53
    assert sum(len(s.background_sources) + len(s.share_sources) for s in kb.symptoms.values()) == 136
    assert sum(len(h.sources) for t in kb.types.values() for h in t.hallmarks) == 74
    frame = T.bibliography_frame(kb)
    assert frame["cited_by_notes"].sum() == 3098
    assert frame.loc[frame["cited_by_notes"] == 0, "id"].tolist() == ["hpo-2025-01-16"]
