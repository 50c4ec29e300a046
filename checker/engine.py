"""The scoring engine: rank every tumor type for a query, with contributions that add up to each score.

Method (also in the README): each present finding earns points = typicality x distinctiveness.
Typicality comes from the link's Orphanet frequency class; distinctiveness is higher for findings
that few catalog types share. Ruled-out findings that a type usually has, findings a type is not
known for, functional status and a hereditary syndrome add or subtract fixed, labelled amounts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TypeVar

from checker.errors import QueryError
from checker.model import (
    FREQUENCIES,
    QUERY_STATUSES,
    Hereditary,
    KnowledgeBase,
    Link,
    Mimic,
    RedFlag,
    SourceNote,
    TumorType,
)

T = TypeVar("T")

TYPICALITY: dict[str, float] = {
    "obligate": 3.0,
    "very frequent": 2.5,
    "frequent": 1.5,
    "occasional": 0.75,
    "very rare": 0.25,
    "excluded": 0.0,
}
ABSENT_PENALTY: dict[str, float] = {
    "obligate": -3.0,
    "very frequent": -1.5,
    "frequent": -0.5,
    "occasional": 0.0,
    "very rare": 0.0,
    "excluded": 0.0,
}
EXCLUDED_PENALTY = -3.0
UNEXPLAINED_PENALTY = -0.4
SYNDROME_BONUS = 2.0
FUNCTIONAL_POINTS: dict[tuple[str, str], float] = {
    ("functional", "functional"): 1.5,
    ("functional", "either"): 0.5,
    ("functional", "nonfunctional"): -2.5,
    ("nonfunctional", "nonfunctional"): 1.0,
    ("nonfunctional", "either"): 0.5,
    ("nonfunctional", "functional"): -4.0,
}
STRONG_SCORE = 7.0
MODERATE_SCORE = 3.5
EXPECTED_FREQUENCIES = ("obligate", "very frequent", "frequent")

STRENGTH_EXPLANATIONS: dict[str, str] = {
    "strong": "Several reported findings are typical of this type, including distinctive ones.",
    "moderate": "Some reported findings fit this type, but they are shared with other conditions or few in number.",
    "weak": "Only a little of what was reported fits this type.",
    "none": "Nothing reported points to this type.",
}


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
    """One labelled amount added to (or taken from) a type's score."""

    kind: str
    label: str
    points: float
    symptom: str | None = None
    frequency: str | None = None
    via: str | None = None
    sources: tuple[SourceNote, ...] = ()


@dataclass(frozen=True)
class ExpectedFinding:
    symptom: str
    label: str
    frequency: str
    sources: tuple[SourceNote, ...]


@dataclass(frozen=True)
class Candidate:
    type: TumorType
    score: float
    strength: str
    contributions: tuple[Contribution, ...]
    kb: KnowledgeBase = field(repr=False, compare=False)
    covered: frozenset[str] = field(repr=False, compare=False, default=frozenset())

    @cached_property
    def expected_not_reported(self) -> tuple[ExpectedFinding, ...]:
        """Typical findings of this type that were neither reported nor ruled out (built on first use)."""
        return _expected(self.kb, self.type.id, self.covered)

    @property
    def matched(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.kind == "finding")

    @property
    def against(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.points < 0)

    @property
    def modifiers(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.kind in ("functional", "syndrome") and c.points >= 0)

    @property
    def strength_explanation(self) -> str:
        return STRENGTH_EXPLANATIONS[self.strength]


@dataclass(frozen=True)
class MimicMatch:
    mimic: Mimic
    shared: tuple[str, ...]


@dataclass(frozen=True)
class RedFlagHit:
    flag: RedFlag
    triggered_by: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    query: Query
    candidates: tuple[Candidate, ...]
    mimics: tuple[MimicMatch, ...]
    red_flags: tuple[RedFlagHit, ...]


def check_query(kb: KnowledgeBase, query: Query) -> None:
    """Raise QueryError naming every id the knowledge base does not have."""
    problems = []
    for kind, ids in (("symptom", query.present), ("absent symptom", query.absent)):
        unknown = [s for s in ids if s not in kb.symptoms]
        if unknown:
            problems.append(f"unknown {kind} id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    if query.functional not in QUERY_STATUSES:
        problems.append(f"functional must be one of {', '.join(QUERY_STATUSES)}, not '{query.functional}'")
    if query.syndrome is not None and query.syndrome not in kb.hereditary:
        problems.append(f"unknown hereditary syndrome '{query.syndrome}' (known: {', '.join(kb.hereditary)})")
    if problems:
        raise QueryError("; ".join(problems))


def _kb_cached(kb: KnowledgeBase, name: str, build: Callable[[KnowledgeBase], T]) -> T:
    """Something derived from the kb alone, built on first use and kept on the (immutable) kb."""
    cached = kb.__dict__.get(name)
    if cached is None:
        cached = build(kb)
        object.__setattr__(kb, name, cached)
    return cached


def distinctiveness(kb: KnowledgeBase) -> dict[str, float]:
    """Per symptom: 0.5 + 0.5*log2(types / weighted number of types linked to it)."""
    return _kb_cached(kb, "_distinctiveness", _build_distinctiveness)


def _build_distinctiveness(kb: KnowledgeBase) -> dict[str, float]:
    weight: dict[str, float] = {s: 0.0 for s in kb.symptoms}
    for link in kb.links:
        weight[link.symptom] += TYPICALITY[link.frequency] / TYPICALITY["obligate"]
    n_types = max(len(kb.types), 1)
    return {s: 0.5 + 0.5 * math.log2(n_types / max(w, 1.0)) for s, w in weight.items()}


def _chains(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Per symptom: itself, then each symptom it refines, nearest first."""
    return _kb_cached(kb, "_chains", _build_chains)


def _build_chains(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    out = {}
    for symptom in kb.symptoms.values():
        chain = [symptom.id]
        while kb.symptoms[chain[-1]].refines and kb.symptoms[chain[-1]].refines not in chain:
            chain.append(kb.symptoms[chain[-1]].refines)  # type: ignore[arg-type]
        out[symptom.id] = tuple(chain)
    return out


def _by_name(kb: KnowledgeBase) -> tuple[TumorType, ...]:
    """Types in (name, id) order, so that a stable sort by score breaks ties by name."""
    return _kb_cached(kb, "_by_name", lambda k: tuple(sorted(k.types.values(), key=lambda t: (t.name, t.id))))


def _types_touched(kb: KnowledgeBase) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Per symptom: the types linked to it or to a symptom it refines; and the types linked to it directly."""
    return _kb_cached(kb, "_touched", _build_types_touched)


def _build_types_touched(kb: KnowledgeBase) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    direct: dict[str, set[str]] = {s: set() for s in kb.symptoms}
    for link in kb.links:
        direct[link.symptom].add(link.type)
    chains = _chains(kb)
    via_chain = {s: frozenset().union(*(direct[c] for c in chains[s])) for s in kb.symptoms}
    return via_chain, {s: frozenset(t) for s, t in direct.items()}


class _Scorer:
    """What one query needs for every type, computed once: resolved chains, weights, shared penalties."""

    def __init__(self, kb: KnowledgeBase, query: Query, hereditary: Hereditary | None) -> None:
        self.kb = kb
        self.query = query
        self.hereditary = hereditary
        self.covered = _covered(kb, query)
        self.weights = distinctiveness(kb)
        chains = _chains(kb)
        via_chain, _ = _types_touched(kb)
        self.present = [(s, kb.symptoms[s].label, chains[s], via_chain[s]) for s in query.present]
        self.unexplained = {
            s: Contribution("unexplained", f"{label}: not a known feature of this type", UNEXPLAINED_PENALTY, s)
            for s, label, _, _ in self.present
        }
        self.raised = {r.type: r for r in hereditary.raises} if hereditary is not None else {}
        self.status = _status_table(kb, query.functional)
        self.findings: dict[tuple[str, str], tuple[str, Contribution]] = kb.__dict__.setdefault("_findings", {})
        self.base = tuple(self.unexplained.values())
        self.base_points = sum(c.points for c in self.base)
        self.base_score = round(self.base_points, 3)

    def _finding(self, tumor_id: str, symptom_id: str, label: str, chain: tuple[str, ...]) -> tuple[str, Contribution]:
        """How one present symptom counts for one type: (link id, contribution); ('', ...) when unexplained."""
        links = self.kb.links_by_type.get(tumor_id, {})
        for candidate_id in chain:
            link = links.get(candidate_id)
            if link is None:
                continue
            via = None if candidate_id == symptom_id else candidate_id
            if link.frequency == "excluded":
                return "", Contribution("excluded", f"{label}: the sources say this type does not cause it",
                                        EXCLUDED_PENALTY, symptom_id, link.frequency, via, link.sources)
            points = round(TYPICALITY[link.frequency] * self.weights[link.symptom], 3)
            return link.id, Contribution("finding", label, points, symptom_id, link.frequency, via, link.sources)
        return "", self.unexplained[symptom_id]

    def score(self, tumor: TumorType) -> Candidate:
        contributions: list[Contribution] = []
        used_links: set[str] = set()
        for symptom_id, label, chain, linked_types in self.present:
            if tumor.id not in linked_types:
                contributions.append(self.unexplained[symptom_id])
                continue
            key = (tumor.id, symptom_id)
            hit = self.findings.get(key)
            if hit is None:
                hit = self._finding(tumor.id, symptom_id, label, chain)
                self.findings[key] = hit  # depends only on the kb, so it is kept for later queries
            link_id, contribution = hit
            if not link_id:
                contributions.append(contribution)
            elif link_id not in used_links:
                used_links.add(link_id)
                contributions.append(contribution)
        links = self.kb.links_by_type.get(tumor.id, {})
        for symptom_id in self.query.absent:
            link = links.get(symptom_id)
            if link is not None and ABSENT_PENALTY[link.frequency] < 0:
                text = f"{self.kb.symptoms[symptom_id].label}: ruled out, though {link.frequency} in this type"
                contributions.append(Contribution("absent", text, ABSENT_PENALTY[link.frequency], symptom_id,
                                                  link.frequency, None, link.sources))
        status = self.status[tumor.id]
        if status is not None:
            contributions.append(status)
        raised = self.raised.get(tumor.id)
        if raised is not None and self.hereditary is not None:
            contributions.append(Contribution("syndrome", f"{self.hereditary.name} raises the risk of this type",
                                              SYNDROME_BONUS, sources=raised.sources))
        score = round(sum(c.points for c in contributions), 3)
        return Candidate(tumor, score, _strength(score, contributions), tuple(contributions), self.kb, self.covered)

    def score_unlinked(self, tumor: TumorType) -> Candidate:
        """A type linked to nothing in the query: only the shared penalties and its functional status."""
        status = self.status[tumor.id]
        if status is None:
            return Candidate(tumor, self.base_score, "none", self.base, self.kb, self.covered)
        return Candidate(tumor, round(self.base_points + status.points, 3), "none", (*self.base, status), self.kb,
                         self.covered)


def score_type(kb: KnowledgeBase, tumor: TumorType, query: Query, hereditary: Hereditary | None) -> Candidate:
    """Score one type for a query (rank() does this for every type at once)."""
    return _Scorer(kb, query, hereditary).score(tumor)


def _status_table(kb: KnowledgeBase, functional: str) -> dict[str, Contribution | None]:
    """Per type: the amount a reported functional status adds or takes, or None (cached on the kb per status)."""
    tables: dict[str, dict[str, Contribution | None]] = kb.__dict__.setdefault("_status", {})
    table = tables.get(functional)
    if table is None:
        table = {}
        for tumor in kb.types.values():
            points = FUNCTIONAL_POINTS.get((functional, tumor.functional), 0.0)
            table[tumor.id] = Contribution("functional", _status_label(functional, tumor.functional), points,
                                           sources=tumor.sources) if points else None
        tables[functional] = table
    return table


def _status_label(query_status: str, type_status: str) -> str:
    wording = {"functional": "usually makes hormones", "nonfunctional": "usually makes no troublesome hormone",
               "either": "can be functional or nonfunctional"}
    told = "hormone symptoms present" if query_status == "functional" else "no hormone symptoms"
    return f"Reported {told}; this type {wording[type_status]}"


def _strength(score: float, contributions: Iterable[Contribution]) -> str:
    findings = [c for c in contributions if c.kind == "finding"]
    typical = [c for c in findings if c.frequency in EXPECTED_FREQUENCIES]
    if not findings or score <= 0:
        return "none"
    if score >= STRONG_SCORE and len(typical) >= 2:
        return "strong"
    if score >= MODERATE_SCORE and typical:
        return "moderate"
    return "weak"


def _expected_order(kb: KnowledgeBase) -> dict[str, tuple[Link, ...]]:
    """Per type, its typical links ordered most typical then most distinctive."""
    return _kb_cached(kb, "_expected_order", _build_expected_order)


def _build_expected_order(kb: KnowledgeBase) -> dict[str, tuple[Link, ...]]:
    weights = distinctiveness(kb)
    out = {}
    for type_id, links in kb.links_by_type.items():
        items = [k for k in links.values() if k.frequency in EXPECTED_FREQUENCIES]
        items.sort(key=lambda k: (FREQUENCIES.index(k.frequency), -weights[k.symptom], k.symptom))
        out[type_id] = tuple(items)
    return out


def _covered(kb: KnowledgeBase, query: Query) -> frozenset[str]:
    """Reported symptoms plus the general symptoms that present ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom_id in query.present:
        parent = kb.symptoms[symptom_id].refines
        while parent:
            covered.add(parent)
            parent = kb.symptoms[parent].refines
    return frozenset(covered)


def _expected(kb: KnowledgeBase, type_id: str, covered: frozenset[str]) -> tuple[ExpectedFinding, ...]:
    return tuple(ExpectedFinding(k.symptom, kb.symptoms[k.symptom].label, k.frequency, k.sources)
                 for k in _expected_order(kb)[type_id] if k.symptom not in covered)


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """Every tumor type, best first (ties by name), with the mimics and red flags the query triggers."""
    check_query(kb, query)
    hereditary = kb.hereditary.get(query.syndrome) if query.syndrome else None
    scorer = _Scorer(kb, query, hereditary)
    via_chain, direct = _types_touched(kb)
    touched: set[str] = set(scorer.raised)
    for symptom_id in query.present:
        touched |= via_chain[symptom_id]
    for symptom_id in query.absent:
        touched |= direct[symptom_id]
    candidates = [scorer.score(tumor) if tumor.id in touched else scorer.score_unlinked(tumor)
                  for tumor in _by_name(kb)]
    candidates.sort(key=attrgetter("score"), reverse=True)  # stable: ties keep name order
    present = frozenset(query.present)
    mimics = []
    for mimic in kb.mimics.values():
        shared = tuple(s for s in mimic.shares if s in present)
        if shared:
            mimics.append(MimicMatch(mimic, shared))
    mimics.sort(key=lambda m: (-len(m.shared), m.mimic.name))
    flags = []
    for flag in kb.red_flags.values():
        hits = flag.triggered_by(present)
        if hits:
            flags.append(RedFlagHit(flag, hits))
    return Result(query, tuple(candidates), tuple(mimics), tuple(flags))
