"""The amounts one query gives each condition: log2 likelihood ratios, as labelled contributions for a card
and as whole-table tallies (numpy arrays over the NET types) for the ranking. Both read the same tables by the
same formulas, so a card's contributions add up to the score it was ranked by.

Each reported finding adds log2(P(finding | this condition) / P(finding | the average other condition));
a ruled-out finding adds log2((1 - P(. | this)) / (1 - P(. | the average other))). Hormone status and an
inherited syndrome are likelihood ratios of the same kind over the NET types; a look-alike adds its
prevalence class as prior odds against a rare NET. Method and worked example: README, "How the scoring works".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from checker.evidence import (
    FLOOR,
    INCIDENCE_ODDS,
    PRIOR_ODDS,
    EvidenceIndex,
    Key,
    log2_ratio,
    mean_others,
)
from checker.labels import NOTABLE_RATIO, centi
from checker.model import Hereditary, KnowledgeBase, Mimic, SourceNote, TumorType

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Query:
    """What the user reports: present and ruled-out symptom ids, functional status, hereditary syndrome."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    functional: str = "unknown"
    syndrome: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "present", tuple(sorted(set(self.present))))
        object.__setattr__(self, "absent", tuple(sorted(set(self.absent) - set(self.present))))
        if self.syndrome == "":
            object.__setattr__(self, "syndrome", None)


@dataclass(frozen=True)
class Contribution:
    """One labelled amount (log2 of a likelihood ratio) added to or taken from a score."""

    kind: str
    """finding | unexplained | excluded | absent | functional | reading | syndrome | prior"""
    label: str
    points: float
    symptom: str | None = None
    frequency: str | None = None
    via: str | None = None
    sources: tuple[SourceNote, ...] = ()
    ratio: float = 1.0
    """The likelihood ratio (or prior odds ratio) the points are log2 of."""


class SymptomTally(NamedTuple):
    """One reported or ruled-out symptom's amounts over the NET types (positions in name order), in centi-points."""

    unlinked: int
    """What every type it is not linked to gets."""
    types: Ints
    """The positions of the types it is linked to..."""
    delta: Ints
    """...and their own amounts minus `unlinked`."""
    rows: tuple[str, ...]
    """The table row each of them counts through (a ruled-out symptom: none)."""
    pointing: NDArray[np.bool_]
    """Where it is a linked finding that raises the odds."""
    specific: bool
    """Not a non-specific symptom."""


class Tally(NamedTuple):
    """A query's findings summed for every NET type (arrays in name order), in centi-points."""

    score: Ints
    pointing: Ints
    """Linked findings that raise the odds."""
    specific: Ints
    """Of those, the ones that are not non-specific."""


class Extras(NamedTuple):
    """A type's amounts besides its findings: the prior (before), hormone status and syndrome (after)."""

    before: tuple[Contribution, ...]
    after: tuple[Contribution, ...]
    amount: int
    """Their sum, in centi-points."""
    prior: int
    """The prior's part of it."""
    notable: bool
    """Hormone status or the syndrome makes the type more than NOTABLE_RATIO times likelier."""


class ExtrasTable(NamedTuple):
    """`Extras` for every NET type at once (arrays in name order)."""

    amount: Ints
    prior: Ints
    notable: NDArray[np.bool_]


class Scorer:
    """The amounts for one query and one reading of its hormone status.

    Everything that depends on the tables alone (one symptom's amounts, one type's prior and status amounts)
    is kept in the evidence index's memo, so later queries reuse it.
    """

    def __init__(self, kb: KnowledgeBase, query: Query, reading: str | None = None) -> None:
        """reading: with hormone status unknown, 'functional' or 'nonfunctional' (which way the findings are read)."""
        self.kb = kb
        self.query = query
        self.reading = reading
        self.ev: EvidenceIndex = kb.evidence
        self.mode = "functional" if "functional" in (query.functional, reading) else "base"
        self.present = self.ev.present[self.mode]
        self.present_total = self.ev.present_total[self.mode]
        self.hereditary: Hereditary | None = kb.hereditary.get(query.syndrome) if query.syndrome else None
        self._extras_key = ("extras", query.functional, reading, query.syndrome)
        self._extras: dict[str, Extras] = self.ev.memo.setdefault(self._extras_key, {})  # type: ignore[assignment]
        self.covered = covered(kb, query)

    def _present_ratio(self, symptom: str, own: float) -> float:
        return own / mean_others(self.present_total[symptom], own, self.ev.n)

    def _absent_ratio(self, symptom: str, own: float) -> float:
        return (1 - own) / (1 - mean_others(self.ev.absent_total[symptom], own, self.ev.n))

    def _finding(self, key: Key | None, symptom: str) -> tuple[Contribution, str]:
        """How one reported symptom counts for one condition, and the row it counted through ('' when none).

        Key None stands for every condition the symptom is not linked to (they all get the same contribution).
        """
        memo_key = (self.mode, key, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is not None:
            return hit  # type: ignore[return-value]
        label = self.kb.symptoms[symptom].label
        evidence = self.present[symptom].get(key) if key is not None else None
        ratio = self._present_ratio(symptom, evidence.p if evidence is not None else FLOOR)
        if evidence is None:
            hit = Contribution("unexplained", label, log2_ratio(ratio), symptom, None, None, (), ratio), ""
        else:
            via = None if evidence.symptom == symptom else evidence.symptom
            kind = "excluded" if evidence.frequency == "excluded" else "finding"
            hit = (Contribution(kind, label, log2_ratio(ratio), symptom, evidence.frequency, via, evidence.sources,
                                ratio), evidence.symptom)
        self.ev.memo[memo_key] = hit
        return hit

    def _absent(self, key: Key | None, symptom: str) -> Contribution:
        memo_key = ("absent", key, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is not None:
            return hit[0]  # type: ignore[return-value]
        evidence = self.ev.absent[symptom].get(key) if key is not None else None
        ratio = self._absent_ratio(symptom, evidence.p if evidence is not None else FLOOR)
        frequency = evidence.frequency if evidence is not None else None
        sources = evidence.sources if evidence is not None else ()
        contribution = Contribution("absent", self.kb.symptoms[symptom].label, log2_ratio(ratio), symptom, frequency,
                                    None, sources, ratio)
        self.ev.memo[memo_key] = (contribution, "")
        return contribution

    def findings(self, key: Key) -> list[Contribution]:
        """One condition's contributions for the reported and the ruled-out symptoms, in query order."""
        out: list[Contribution] = []
        used: set[str] = set()
        for symptom in self.query.present:
            contribution, row = self._finding(key if key in self.present[symptom] else None, symptom)
            if row and row in used:
                continue  # a specific finding and its general parent count once through the same row
            used.add(row)
            out.append(contribution)
        for symptom in self.query.absent:
            out.append(self._absent(key if key in self.ev.absent[symptom] else None, symptom))
        return out

    def _present_tally(self, symptom: str) -> SymptomTally:
        """What `findings` gives each NET type for one reported symptom, as arrays (built once per table)."""
        memo_key = ("tally", self.mode, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is None:
            unlinked = centi(self._finding(None, symptom)[0].points)
            by_class: dict[str, int] = {}
            positions, amounts, rows, pointing = [], [], [], []
            for (kind, type_id), evidence in self.present[symptom].items():
                if kind != "type":
                    continue
                amount = by_class.get(evidence.frequency)
                if amount is None:
                    amount = by_class[evidence.frequency] = centi(log2_ratio(self._present_ratio(symptom, evidence.p)))
                positions.append(self.ev.name_rank[type_id])
                amounts.append(amount - unlinked)
                rows.append(evidence.symptom)
                pointing.append(amount > 0 and evidence.frequency != "excluded")
            hit = self.ev.memo[memo_key] = SymptomTally(
                unlinked, np.array(positions, dtype=np.int64), np.array(amounts, dtype=np.int64), tuple(rows),
                np.array(pointing, dtype=bool), not self.kb.symptoms[symptom].nonspecific)
        return hit  # type: ignore[return-value]

    def _absent_tally(self, symptom: str) -> SymptomTally:
        memo_key = ("absent-tally", None, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is None:
            unlinked = centi(self._absent(None, symptom).points)
            linked = [(self.ev.name_rank[type_id], centi(log2_ratio(self._absent_ratio(symptom, evidence.p))) - unlinked)
                      for (kind, type_id), evidence in self.ev.absent[symptom].items() if kind == "type"]
            positions = np.array([p for p, _ in linked], dtype=np.int64)
            hit = self.ev.memo[memo_key] = SymptomTally(
                unlinked, positions, np.array([a for _, a in linked], dtype=np.int64), (),
                np.zeros(len(linked), dtype=bool), False)
        return hit  # type: ignore[return-value]

    def tally(self) -> Tally:
        """The query's findings summed for every NET type at once: what `findings` adds up to, type by type."""
        n = self.ev.n_types
        present = [self._present_tally(s) for s in self.query.present]
        absent = [self._absent_tally(s) for s in self.query.absent]
        deltas = [t.delta for t in present]
        pointing = [t.pointing for t in present]
        shared = _shared_rows(present)
        if shared:  # two reported symptoms count through one row for some types: only the first one counts there
            seen: set[tuple[int, str]] = set()
            for i, tally in enumerate(present):
                kept = np.ones(len(tally.rows), dtype=bool)
                for j, row in enumerate(tally.rows):
                    if row in shared:
                        key = (int(tally.types[j]), row)
                        kept[j] = key not in seen
                        seen.add(key)
                deltas[i] = np.where(kept, tally.delta, -tally.unlinked)  # a dropped one adds nothing at all
                pointing[i] = tally.pointing & kept
        everything = [*present, *absent]
        base = sum(t.unlinked for t in everything)
        score = _summed([t.types for t in everything], [*deltas, *(t.delta for t in absent)], n) + base
        return Tally(score, _counted([t.types[p] for t, p in zip(present, pointing, strict=True)], n),
                     _counted([t.types[p] for t, p in zip(present, pointing, strict=True) if t.specific], n))

    def _status(self, tumor: TumorType) -> Contribution | None:
        status = self.query.functional
        share = self.ev.status_p[tumor.id]
        if status == "unknown":
            if self.reading is None:
                return None
            own = share if self.reading == "functional" else 1 - share
            if log2_ratio(own) == 0:
                return None  # a type that nearly always presents this way: nothing to show
            words = "with" if self.reading == "functional" else "without"
            return Contribution("reading", f"Hormone status not given: read {words} a hormone syndrome",
                                log2_ratio(own), frequency=tumor.syndrome_share or None,
                                sources=tumor.syndrome_share_sources, ratio=own)
        total = self.ev.status_total
        if status == "functional":
            own, others = share, mean_others(total, share, self.ev.n_types)
            label = "Hormone symptoms reported"
        else:
            own, others = 1 - share, 1 - mean_others(total, share, self.ev.n_types)
            label = "No hormone symptoms reported"
        ratio = own / others
        return Contribution("functional", label, log2_ratio(ratio), frequency=tumor.syndrome_share or None,
                            sources=tumor.syndrome_share_sources, ratio=ratio)

    def _syndrome(self, tumor: TumorType) -> Contribution | None:
        if self.hereditary is None:
            return None
        rows = self.ev.syndrome_p[self.hereditary.id]
        own = rows.get(tumor.id, FLOOR)
        ratio = own / mean_others(self.ev.syndrome_total[self.hereditary.id], own, self.ev.n_types)
        raised = next((r for r in self.hereditary.raises if r.type == tumor.id), None)
        return Contribution("syndrome", self.hereditary.name, log2_ratio(ratio),
                            frequency=raised.frequency if raised is not None else None,
                            sources=raised.sources if raised is not None else (), ratio=ratio)

    def extras(self, tumor: TumorType) -> Extras:
        """The type's prior, and its hormone-status and syndrome amounts (kept per knowledge base)."""
        hit = self._extras.get(tumor.id)
        if hit is None:
            prior = _incidence_prior(tumor)
            before = (prior,) if prior is not None else ()
            after = tuple(c for c in (self._status(tumor), self._syndrome(tumor)) if c is not None)
            prior_amount = sum(centi(c.points) for c in before)
            hit = self._extras[tumor.id] = Extras(before, after, prior_amount + sum(centi(c.points) for c in after),
                                                  prior_amount,
                                                  notable(after))
        return hit

    def extras_table(self) -> ExtrasTable:
        """`extras` for every NET type, as arrays in name order (kept per knowledge base)."""
        memo_key = ("extras-table", *self._extras_key[1:])
        hit = self.ev.memo.get(memo_key)
        if hit is None:
            rows = [self.extras(t) for t in self.ev.types_by_name]
            hit = self.ev.memo[memo_key] = ExtrasTable(np.array([r.amount for r in rows], dtype=np.int64),
                                                       np.array([r.prior for r in rows], dtype=np.int64),
                                                       np.array([r.notable for r in rows], dtype=bool))
        return hit  # type: ignore[return-value]

    def mimic_contributions(self, mimic: Mimic, findings: Sequence[Contribution]) -> tuple[Contribution, ...]:
        odds = PRIOR_ODDS[mimic.prevalence] / PRIOR_ODDS["rare"]
        prior = Contribution("prior", f"{mimic.name} is {mimic.prevalence}", log2_ratio(odds),
                             sources=mimic.prevalence_sources, ratio=odds)
        return (prior, *findings)


def notable(contributions: Sequence[Contribution]) -> bool:
    """Hormone status or an inherited syndrome makes the condition more than NOTABLE_RATIO times likelier."""
    return any(c.kind in ("functional", "syndrome") and c.ratio > NOTABLE_RATIO for c in contributions)


def _summed(positions: Sequence[Ints], amounts: Sequence[Ints], n: int) -> Ints:
    """Amounts added up per position (0 where there are none)."""
    if not positions:
        return np.zeros(n, dtype=np.int64)
    total = np.bincount(np.concatenate(positions), weights=np.concatenate(amounts), minlength=n)
    return np.rint(total).astype(np.int64)  # whole numbers far below 2**53: the float sums are exact


def _counted(positions: Sequence[Ints], n: int) -> Ints:
    """How often each position occurs."""
    if not positions:
        return np.zeros(n, dtype=np.int64)
    return np.bincount(np.concatenate(positions), minlength=n).astype(np.int64)


def _shared_rows(tallies: Sequence[SymptomTally]) -> set[str]:
    """Rows that two or more of the reported symptoms count through (a symptom and one it refines, say)."""
    if len(tallies) < 2:
        return set()
    seen: set[str] = set()
    shared: set[str] = set()
    for tally in tallies:
        rows = set(tally.rows)
        shared |= seen & rows
        seen |= rows
    return shared


def _incidence_prior(tumor: TumorType) -> Contribution | None:
    """Prior odds against a 'rare' NET type (about 1 per 100,000 a year): none for the reference class."""
    odds = INCIDENCE_ODDS[tumor.incidence] / INCIDENCE_ODDS["rare"]
    if odds == 1:
        return None
    return Contribution("prior", f"{tumor.name} is {tumor.incidence}", log2_ratio(odds), sources=tumor.incidence_sources,
                        ratio=odds)


def covered(kb: KnowledgeBase, query: Query) -> frozenset[str]:
    """Reported symptoms plus the general symptoms that present ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom_id in query.present:
        covered.update(kb.evidence.chains[symptom_id])
    return frozenset(covered)
