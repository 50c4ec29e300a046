"""What the scoring reads from one knowledge base, derived once and kept with it: each finding's probability
for each condition, background rates, the hormone syndromes' causes, priors and the context rows.

Conditions are numbered: the NET types in name order, then the look-alikes in name order, so that a stable
sort by score breaks ties by name within each list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar, cast, get_args

import numpy as np
from numpy.typing import NDArray

from checker.model import TYPICAL, ContextLink, Frequency, KnowledgeBase, SourceNote
from checker.scoring.constants import (
    BACKGROUND_RATES,
    DEFAULT_FUNCTIONAL_REFERENCE,
    EXCLUDED_RATIO,
    FREQUENCY_MIDPOINTS,
    FUNCTIONAL_REFERENCE,
    INCIDENCE_ODDS,
    PRIOR_ODDS,
    SYNDROME_PRESENT,
    centi,
    log2_points,
)

Ints = NDArray[np.int64]
T = TypeVar("T")
Mode = Literal["base", "functional"]
MODES: tuple[Mode, ...] = get_args(Mode)
"""'base': links read at their class among everyone with the condition; 'functional': among people who have
the type's hormone syndrome (`when_functional`, where the tables give one)."""


@dataclass(frozen=True)
class Evidence:
    """One condition's probability for one finding, and the table row it comes from."""

    p: float
    frequency: Frequency
    sources: tuple[SourceNote, ...]
    symptom: str
    """The symptom the row is about (a general one when the reported symptom refines it)."""
    share: float = 1.0
    """When the row is a general one: the share of it that the reported, narrower finding makes up."""


@dataclass(frozen=True)
class ExpectedFinding:
    """A typical finding of a condition, with how strongly it would point there if reported."""

    symptom: str
    label: str
    frequency: Frequency
    sources: tuple[SourceNote, ...]
    ratio: float = 1.0


def link_probability(frequency: Frequency, background: float) -> float:
    """P(finding | condition) for a link class; 'excluded' is a tenth of the background rate."""
    if frequency == "excluded":
        return background * EXCLUDED_RATIO
    return FREQUENCY_MIDPOINTS[frequency]


def index_of(kb: KnowledgeBase) -> ScoringIndex:
    """The scoring index of a knowledge base, built on first use and kept with it."""
    index = kb.__dict__.get("_scoring_index")
    if index is None:
        index = kb.__dict__["_scoring_index"] = ScoringIndex(kb)
    return index


class ScoringIndex:
    """Per knowledge base: probabilities, priors and groups, as arrays over every condition."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.types = tuple(sorted(kb.types.values(), key=lambda t: (t.name, t.id)))
        self.mimics = tuple(sorted(kb.mimics.values(), key=lambda m: (m.name, m.id)))
        self.n_types = len(self.types)
        self.n = self.n_types + len(self.mimics)
        self.position = {("type", t.id): i for i, t in enumerate(self.types)}
        self.position.update({("mimic", m.id): self.n_types + i for i, m in enumerate(self.mimics)})
        self.background = {s.id: BACKGROUND_RATES[s.background] for s in kb.symptoms.values()}
        self.chains = _chains(kb)
        self.descendants = _descendants(kb, self.chains)
        self.direct = {mode: self._direct(mode) for mode in MODES}
        self.mode_sensitive = frozenset(s for s in kb.symptoms if self.direct["base"][s] != self.direct["functional"][s])
        """Symptoms whose rows change when the hormone syndrome is present (a `when_functional` class somewhere)."""
        self._memo: dict[tuple[object, ...], object] = {}
        """Rarely used values (see `memo`); the hot paths below have one typed cache each."""
        self._rows: dict[tuple[str, str], dict[int, Evidence]] = {}
        self._present_points: dict[tuple[str, str], Ints] = {}
        self._absent_rows: dict[str, dict[int, Evidence]] = {}
        self._absent_points: dict[str, Ints] = {}
        self._caps: dict[tuple[str, str], Ints] = {}
        self._shifts: dict[tuple[str, str], int] = {}
        self._groups: dict[str, Ints] = {}
        self.prior = np.array(
            [centi(log2_points(INCIDENCE_ODDS[t.incidence] / INCIDENCE_ODDS["rare"])) for t in self.types]
            + [centi(log2_points(PRIOR_ODDS[m.prevalence] / PRIOR_ODDS["rare"])) for m in self.mimics],
            dtype=np.int64,
        )
        reference = kb.population.get(FUNCTIONAL_REFERENCE)
        self.functional_reference = reference.rate if reference is not None else DEFAULT_FUNCTIONAL_REFERENCE
        """The share of all NETs that present with a hormone syndrome."""
        self.share = [link_probability(t.syndrome_share or "excluded", self.functional_reference) for t in self.types]
        """P(hormone syndrome | type) per type: the middle of its syndrome share class ('excluded': a tenth of the
        share of all NETs, as for an excluded finding)."""
        self.context_links = self._context_links()
        self.hereditary_prevalence = {h.id: BACKGROUND_RATES[h.prevalence] for h in kb.hereditary.values()}
        self.siblings = self._siblings()
        self.syndromes = self._syndromes()
        self.expected = self._expected()

    def memo(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """A value that depends on the tables alone, made once per knowledge base."""
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = make()
        return cast(T, hit)  # one cache for values of several types, keyed by the caller

    # ----- findings -------------------------------------------------------------------------------------------
    def _direct(self, mode: Mode) -> dict[str, dict[int, Evidence]]:
        kb = self.kb
        out: dict[str, dict[int, Evidence]] = {s: {} for s in kb.symptoms}
        for link in kb.links:
            frequency = link.when_functional if mode == "functional" and link.when_functional else link.frequency
            out[link.symptom][self.position[("type", link.type)]] = Evidence(
                link_probability(frequency, self.background[link.symptom]), frequency, link.sources, link.symptom
            )
        for mimic in kb.mimics.values():
            for finding in mimic.findings:
                out[finding.symptom][self.position[("mimic", mimic.id)]] = Evidence(
                    link_probability(finding.frequency, self.background[finding.symptom]),
                    finding.frequency,
                    finding.sources,
                    finding.symptom,
                )
        return out

    def present_rows(self, mode: Mode, symptom: str) -> dict[int, Evidence]:
        """Per condition: the row a reported symptom counts through. Its own link; else the likeliest link of a
        narrower symptom (a general finding is at least as common as any of its kinds); else the nearest general
        link, times the share of it that this narrower kind makes up. Conditions with none are left out."""
        key = (mode, symptom)
        hit = self._rows.get(key)
        if hit is None:
            direct = self.direct[mode]
            rows = dict(direct[symptom])
            for narrower in self.descendants[symptom][1:]:
                for position, evidence in direct[narrower].items():
                    if position not in direct[symptom] and (position not in rows or evidence.p > rows[position].p):
                        rows[position] = evidence
            share = 1.0
            for child, general in zip(self.chains[symptom], self.chains[symptom][1:], strict=False):
                share *= self.kb.symptoms[child].share or 1.0
                for position, evidence in direct[general].items():
                    if position not in rows:
                        rows[position] = Evidence(
                            evidence.p * share, evidence.frequency, evidence.sources, general, round(share, 6)
                        )
            hit = self._rows[key] = rows
        return hit

    def picture_feature(self, syndrome: str, symptom: str) -> Evidence | None:
        """How the tables describe a feature among people with the syndrome's picture: the likeliest row of the causes
        of the syndrome (and of those sharing its picture) with the syndrome present; None when none links it."""

        def make() -> Evidence | None:
            direct = self.direct["functional"][symptom]
            causes = [p for g in self.same_picture(syndrome) for p in self.syndromes[g].causes]
            known = [direct[p] for p in causes if p in direct and direct[p].frequency != "excluded"]
            return max(known, key=lambda e: e.p) if known else None

        return self.memo(("picture-feature", syndrome, symptom), make)

    def same_picture(self, syndrome: str) -> tuple[str, ...]:
        """The syndrome and those that share its clinical picture (`picture_of`, either way)."""
        kb = self.kb
        own = kb.hormone_syndromes[syndrome].picture_of
        return tuple(
            s.id
            for s in kb.hormone_syndromes.values()
            if s.id == syndrome or s.id == own or s.picture_of in (syndrome, own) and s.picture_of
        )

    def present_points(self, mode: Mode, symptom: str) -> Ints:
        """A reported symptom's centi-points for every condition: log2(P(finding | condition) / background)."""
        key = (mode, symptom)
        hit = self._present_points.get(key)
        if hit is None:
            background = self.background[symptom]
            points = np.zeros(self.n, dtype=np.int64)
            for position, evidence in self.present_rows(mode, symptom).items():
                points[position] = centi(log2_points(evidence.p / background))
            hit = self._present_points[key] = points
        return hit

    def absent_rows(self, symptom: str) -> dict[int, Evidence]:
        """A ruled-out symptom also rules out every narrower kind: per condition, the likeliest of those rows."""
        hit = self._absent_rows.get(symptom)
        if hit is None:
            rows: dict[int, Evidence] = {}
            for narrower in self.descendants[symptom]:
                for position, evidence in self.direct["base"][narrower].items():
                    if position not in rows or evidence.p > rows[position].p:
                        rows[position] = evidence
            for position, evidence in self.present_rows("base", symptom).items():
                rows.setdefault(position, evidence)
            hit = self._absent_rows[symptom] = rows
        return hit

    def absent_points(self, symptom: str) -> Ints:
        """A ruled-out symptom's centi-points: log2((1 - P(finding | condition)) / (1 - background))."""
        hit = self._absent_points.get(symptom)
        if hit is None:
            background = self.background[symptom]
            points = np.zeros(self.n, dtype=np.int64)
            for position, evidence in self.absent_rows(symptom).items():
                points[position] = centi(log2_points((1 - evidence.p) / (1 - background)))
            hit = self._absent_points[symptom] = points
        return hit

    def _siblings(self) -> dict[int, tuple[int, ...]]:
        """Per subtype (a type with a parent group): the other subtypes of its group."""
        groups: dict[str, list[int]] = {}
        for position, tumor in enumerate(self.types):
            if tumor.parent:
                groups.setdefault(tumor.parent, []).append(position)
        return {p: tuple(q for q in members if q != p) for members in groups.values() for p in members if len(members) > 1}

    def _context_links(self) -> dict[str, dict[int, ContextLink]]:
        """Per context item: the conditions that link it, and how."""
        out: dict[str, dict[int, ContextLink]] = {}
        for key, rows in (("type", self.types), ("mimic", self.mimics)):
            for row in rows:
                for link in row.context:
                    out.setdefault(link.item, {})[self.position[(key, row.id)]] = link
        return out

    # ----- hormone syndromes ----------------------------------------------------------------------------------
    def _syndromes(self) -> dict[str, SyndromeGroup]:
        """Each hormone syndrome's causes, and which reported findings count in its picture for each cause."""
        kb = self.kb
        causes: dict[int, list[str]] = {}
        for syndrome in kb.hormone_syndromes.values():
            for type_id in syndrome.types:
                if type_id in kb.types:
                    causes.setdefault(self.position[("type", type_id)], []).append(syndrome.id)
        for tumor in kb.types.values():
            for syndrome_id in tumor.syndromes:
                listed = causes.setdefault(self.position[("type", tumor.id)], [])
                if syndrome_id not in listed:
                    listed.append(syndrome_id)
        for mimic in kb.mimics.values():
            causes.setdefault(self.position[("mimic", mimic.id)], []).extend(mimic.syndromes)
        out: dict[str, SyndromeGroup] = {}
        for syndrome in kb.hormone_syndromes.values():
            picture = set(syndrome.findings) - set(syndrome.tells_apart)
            features = frozenset(s for s in kb.symptoms if any(g in picture for g in self.chains[s]))
            positions = sorted(p for p, listed in causes.items() if syndrome.id in listed)
            out[syndrome.id] = SyndromeGroup(syndrome.id, features, tuple(positions), BACKGROUND_RATES[syndrome.background])
        self.cause_order = {p: tuple(listed) for p, listed in causes.items()}
        """Per condition: the hormone syndromes it causes, in table order (a shared feature counts in the first)."""
        self.syndrome_order = tuple(out)
        """Hormone syndrome ids in table order."""
        self.feature_owner: dict[str, str] = {}
        """Per symptom: the first hormone syndrome (table order) whose picture has it."""
        for group in out.values():
            for symptom in group.features:
                self.feature_owner.setdefault(symptom, group.id)
        return out

    def syndrome_probability(self, position: int, mode: Mode) -> float:
        """P(syndrome | condition): a type's syndrome share (SYNDROME_PRESENT with the syndrome present); a
        look-alike that produces the picture: SYNDROME_PRESENT."""
        if position >= self.n_types or mode == "functional":
            return SYNDROME_PRESENT
        return self.share[position]

    def cause_caps(self, syndrome: str, mode: Mode) -> Ints:
        """Per condition, for the syndrome's causes: the most its picture can add, in centi-points,
        log2(P(syndrome | condition) / P(picture | no listed condition)); 0 for every other condition (see
        `cause_mask`)."""
        key = (syndrome, mode)
        hit = self._caps.get(key)
        if hit is None:
            group = self.syndromes[syndrome]
            hit = np.zeros(self.n, dtype=np.int64)
            for position in group.causes:
                q = self.syndrome_probability(position, mode)
                hit[position] = centi(log2_points(q / group.background)) if q else 0
            self._caps[key] = hit
        return hit

    def cause_mask(self, syndrome: str) -> NDArray[np.bool_]:
        """Per condition: whether it causes the syndrome."""

        def make() -> NDArray[np.bool_]:
            mask = np.zeros(self.n, dtype=bool)
            mask[list(self.syndromes[syndrome].causes)] = True
            return mask

        return self.memo(("causes", syndrome), make)

    def picture_shift(self, syndrome: str, symptom: str) -> int:
        """centi(log2(background of the finding / background of the picture)): added to a finding's points it gives
        log2(P(finding | condition) / P(picture | no listed condition)), the cap for a condition that is not a cause."""
        key = (syndrome, symptom)
        hit = self._shifts.get(key)
        if hit is None:
            hit = self._shifts[key] = centi(log2_points(self.background[symptom] / self.syndromes[syndrome].background))
        return hit

    def picture_groups(self, symptom: str) -> Ints:
        """Per condition: the position in `syndrome_order` of the picture a reported symptom counts in (-1: none).
        A condition's own syndromes first (the first of them that has the feature), else the first in the table."""
        hit = self._groups.get(symptom)
        if hit is None:
            owner = self.feature_owner.get(symptom)
            hit = np.full(self.n, self.syndrome_order.index(owner) if owner else -1, dtype=np.int64)
            for position, own in self.cause_order.items():
                mine = next((g for g in own if symptom in self.syndromes[g].features), None)
                if mine is not None:
                    hit[position] = self.syndrome_order.index(mine)
            self._groups[symptom] = hit
        return hit

    # ----- typical findings -----------------------------------------------------------------------------------
    def _expected(self) -> list[tuple[ExpectedFinding, ...]]:
        """Per condition: its typical findings, the most telling first (highest ratio, then class, then id)."""
        out: list[list[ExpectedFinding]] = [[] for _ in range(self.n)]
        for symptom, rows in self.direct["base"].items():
            label = self.kb.symptoms[symptom].label
            for position, evidence in rows.items():
                if evidence.frequency in TYPICAL:
                    ratio = evidence.p / self.background[symptom]
                    out[position].append(ExpectedFinding(symptom, label, evidence.frequency, evidence.sources, ratio))
        order = ("obligate", "very frequent", "frequent")
        return [tuple(sorted(v, key=lambda e: (-e.ratio, order.index(e.frequency), e.symptom))) for v in out]


@dataclass(frozen=True)
class SyndromeGroup:
    """A hormone syndrome as the scoring uses it: its features (and their narrower kinds) and its causes."""

    id: str
    features: frozenset[str]
    causes: tuple[int, ...]
    background: float
    """P(the syndrome's picture | none of the listed conditions)."""


def _chains(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Per symptom: itself, then each symptom it refines, nearest first."""
    out = {}
    for symptom in kb.symptoms.values():
        chain = [symptom.id]
        parent = symptom.refines
        while parent and parent not in chain and parent in kb.symptoms:
            chain.append(parent)
            parent = kb.symptoms[parent].refines
        out[symptom.id] = tuple(chain)
    return out


def _descendants(kb: KnowledgeBase, chains: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Per symptom: itself and every symptom that refines it (directly or not)."""
    out: dict[str, list[str]] = {s: [] for s in kb.symptoms}
    for symptom, chain in chains.items():
        for general in chain:
            out[general].append(symptom)
    return {s: tuple(v) for s, v in out.items()}
