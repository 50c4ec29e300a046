"""Rule-table views as DataFrames: heatmap, type comparison, source disagreements, flat tables, bibliography, CSV."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from checker.model import FREQUENCIES, GROUPS, KnowledgeBase, Link, Source, SourceNote
from checker.report import note_text
from checker.scoring.index import index_of, link_probability
from checker.sourcenotes import source_notes
from checker.tables import ROW_TYPES, TABLE_FILES
from checker.teaching.columns import browse_frame
from checker.text import csv_cell
from checker.wording import GROUP_NAMES

FREQUENCY_ORDINAL: dict[str, int] = {
    "obligate": 5,
    "very frequent": 4,
    "frequent": 3,
    "occasional": 2,
    "very rare": 1,
    "excluded": 0,
}
"""Frequency class -> ordinal for heatmaps (higher = more typical; no link = missing)."""


def heatmap_frame(
    kb: KnowledgeBase, groups: Iterable[str] | None = None, types: Iterable[str] | None = None, drop_empty: bool = True
) -> pd.DataFrame:
    """Symptom (rows, by id) x type (columns, by id) frequency ordinals (FREQUENCY_ORDINAL; NaN = no link).

    `groups` filters symptoms by body-system group id, `types` picks and orders the columns; rows with no
    link to any chosen type are dropped unless drop_empty is False.
    """
    group_set = set(groups) if groups else set(GROUPS)
    type_ids = list(types) if types else list(kb.types)
    symptoms = [s for s in kb.symptoms.values() if s.group in group_set]
    data = {t: [_ordinal(kb.links_by_type[t].get(s.id)) for s in symptoms] for t in type_ids}
    frame = pd.DataFrame(data, index=pd.Index([s.id for s in symptoms], name="symptom"), columns=type_ids, dtype="float64")
    if drop_empty:
        frame = frame.dropna(how="all")
    return frame


def _ordinal(link: Link | None) -> float:
    return float("nan") if link is None else float(FREQUENCY_ORDINAL[link.frequency])


def heatmap_long(kb: KnowledgeBase, groups: Iterable[str] | None = None, types: Iterable[str] | None = None) -> pd.DataFrame:
    """The heatmap as one row per linked (symptom, type) cell, with labels, for charting."""
    wide = heatmap_frame(kb, groups, types)
    rows = []
    for symptom_id, row in wide.iterrows():
        symptom = kb.symptoms[str(symptom_id)]
        for type_id, value in row.items():
            if pd.isna(value):
                continue
            link = kb.links_by_type[str(type_id)][symptom.id]
            rows.append(
                {
                    "symptom": symptom.id,
                    "finding": symptom.label,
                    "group": GROUP_NAMES[symptom.group],
                    "type": str(type_id),
                    "tumor type": kb.types[str(type_id)].name,
                    "frequency": link.frequency,
                    "ordinal": int(value),
                }
            )
    columns = ["symptom", "finding", "group", "type", "tumor type", "frequency", "ordinal"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Discriminator:
    """A finding whose typicality differs between two types (a minus b), with each side's sources."""

    symptom: str
    label: str
    frequency_a: str
    frequency_b: str
    weight_a: float
    weight_b: float
    sources_a: tuple[str, ...]
    sources_b: tuple[str, ...]

    @property
    def difference(self) -> float:
        return round(self.weight_a - self.weight_b, 3)


def compare_types(kb: KnowledgeBase, a: str, b: str, limit: int | None = 10) -> list[Discriminator]:
    """The findings that best tell type a from type b: largest likelihood ratio between them first.

    Each side's weight is log2 P(finding | type) as the scoring reads it (class mid-point; the finding's
    background rate when not linked), so the difference is log2 of how many times likelier the finding is in
    one type than the other. Ties are broken by how few conditions share the finding, then by label.
    """
    for type_id in (a, b):
        if type_id not in kb.types:
            raise KeyError(f"unknown tumor type '{type_id}'")
    links_a, links_b = kb.links_by_type[a], kb.links_by_type[b]
    index = index_of(kb)
    shared_by = {s: len(rows) for s, rows in index.direct["base"].items()}
    items = []
    for symptom_id in set(links_a) | set(links_b):
        la, lb = links_a.get(symptom_id), links_b.get(symptom_id)
        background = index.background[symptom_id]
        wa = round(math.log2(link_probability(la.frequency, background) if la else background), 3)
        wb = round(math.log2(link_probability(lb.frequency, background) if lb else background), 3)
        if wa == wb:
            continue
        items.append(
            Discriminator(
                symptom_id,
                kb.symptoms[symptom_id].label,
                la.frequency if la else "",
                lb.frequency if lb else "",
                wa,
                wb,
                _notes(kb, la),
                _notes(kb, lb),
            )
        )
    items.sort(key=lambda d: (-abs(d.difference), shared_by[d.symptom], d.label))
    return items[:limit] if limit else items


def _notes(kb: KnowledgeBase, link: Link | None) -> tuple[str, ...]:
    return tuple(note_text(kb, n) for n in link.sources) if link else ()


def compare_frame(kb: KnowledgeBase, a: str, b: str, limit: int | None = 10) -> pd.DataFrame:
    """compare_types as a table: finding, each side's frequency, which type it favours, and the sources."""
    name_a, name_b = kb.types[a].name, kb.types[b].name
    rows = [
        {
            "finding": d.label,
            f"in {name_a}": d.frequency_a or "not linked",
            f"in {name_b}": d.frequency_b or "not linked",
            "difference": d.difference,
            "favours": name_a if d.difference > 0 else name_b,
            "sources": " | ".join((*d.sources_a, *d.sources_b)),
        }
        for d in compare_types(kb, a, b, limit)
    ]
    return pd.DataFrame(rows, columns=["finding", f"in {name_a}", f"in {name_b}", "difference", "favours", "sources"])


@dataclass(frozen=True)
class Disagreement:
    """A cited source whose class differs from the link's reviewed class: an Orphanet row or a page/seed wording."""

    type_id: str
    symptom: str
    link_frequency: str
    suggests: str
    note: SourceNote
    reason: str = ""
    """The link's basis: why the reviewed class differs."""

    @property
    def direction(self) -> str:
        """'more typical' or 'less typical': what the source says compared with the reviewed class."""
        return "more typical" if FREQUENCIES.index(self.suggests) < FREQUENCIES.index(self.link_frequency) else "less typical"


def source_disagreements(kb: KnowledgeBase, orphanet_only: bool = True) -> list[Disagreement]:
    """Links whose cited sources give another class than the reviewed one.

    With orphanet_only (the default), only the Orphanet rows that the review overrode; otherwise also the seed and
    page notes whose wording suggests another class.
    """
    out = []
    for link in kb.links:
        for note in link.sources:
            claimed = note.frequency or ("" if orphanet_only else note.suggests)
            if claimed and claimed != link.frequency:
                out.append(Disagreement(link.type, link.symptom, link.frequency, claimed, note, link.basis))
    out.sort(key=lambda d: (d.type_id, d.symptom, d.note.source, d.note.hpo))
    return out


def disagreements_frame(kb: KnowledgeBase, orphanet_only: bool = True) -> pd.DataFrame:
    """source_disagreements as a table for browsing."""
    rows = [
        {
            "tumor type": kb.types[d.type_id].name,
            "finding": kb.symptoms[d.symptom].label,
            "reviewed class": d.link_frequency,
            "this source says": d.suggests,
            "source says it is": d.direction,
            "why the table differs": d.reason,
            "source": note_text(kb, d.note),
        }
        for d in source_disagreements(kb, orphanet_only)
    ]
    columns = [
        "tumor type",
        "finding",
        "reviewed class",
        "this source says",
        "source says it is",
        "why the table differs",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)


def table_frames(kb: KnowledgeBase) -> dict[str, pd.DataFrame]:
    """Every rule table as a flat DataFrame keyed by its file's name, columns derived from its row dataclass
    (checker.teaching.columns); the bibliography (`sources`) last, the symptoms first."""
    tables = [t for t in ROW_TYPES if t != "sources"]
    out = {Path(TABLE_FILES[t]).stem: browse_frame(_rows(kb, t), ROW_TYPES[t], partial(_joined, kb)) for t in tables}
    rejected = out["rejected_annotations"]  # plus the HPO term's name from the snapshot: not a field, a look-up
    terms = kb.snapshot.terms
    rejected.insert(
        rejected.columns.get_loc("hpo") + 1, "hpo_name", [terms[h].name if h in terms else "" for h in rejected["hpo"]]
    )
    out["sources"] = bibliography_frame(kb)
    return out


def _rows(kb: KnowledgeBase, table: str) -> Iterable[object]:
    """The rows of one table: the KnowledgeBase field of the same name (a dict's values, or a tuple)."""
    rows = getattr(kb, table)
    return rows.values() if isinstance(rows, dict) else rows


def _joined(kb: KnowledgeBase, notes: Iterable[SourceNote]) -> str:
    return " | ".join(note_text(kb, n) for n in notes)


def bibliography_frame(kb: KnowledgeBase) -> pd.DataFrame:
    """Every cited document (seeds, the Orphanet/HPO release, pages read), its fields as in sources.yaml, with how
    many notes cite it (every SourceNote in the knowledge base, whichever field holds it)."""
    counts = Counter(note.source for note in source_notes(kb))
    frame = browse_frame(kb.sources.values(), Source, partial(_joined, kb))
    frame["cited_by_notes"] = [counts.get(s, 0) for s in frame["id"]]
    return frame


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no cell, header or index entry can start a spreadsheet formula (checker.text.csv_cell).
    Pages show frames through this too, since the grid's own "Download as CSV" exports what it shows."""
    safe = frame.map(csv_cell)
    safe.columns = [csv_cell(str(c)) for c in frame.columns]
    safe.index = pd.Index([csv_cell(i) for i in frame.index], name=frame.index.name)
    return safe


def frame_csv(frame: pd.DataFrame) -> str:
    """A DataFrame as CSV text (index kept only when it is named), formula-safe."""
    return formula_safe(frame).to_csv(index=frame.index.name is not None)
