"""The scoring engine: rank every tumor type for a query, with contributions that add up to each score.

Method (also in the README): each present finding earns points = typicality x distinctiveness.
Typicality comes from the link's Orphanet frequency class; distinctiveness is higher for findings
that few catalog types share. Ruled-out findings that a type usually has, findings a type is not
known for, functional status and a hereditary syndrome add or subtract fixed, labelled amounts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    Symptom,
    TumorType,
)

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
    expected_not_reported: tuple[ExpectedFinding, ...]

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
    notices: tuple[str, ...] = field(default=())


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


def distinctiveness(kb: KnowledgeBase) -> dict[str, float]:
    """Per symptom: 0.5 + 0.5*log2(types / weighted number of types linked to it). Cached on the kb."""
    cached = kb.__dict__.get("_distinctiveness")
    if cached is not None:
        return cached
    weight: dict[str, float] = {s: 0.0 for s in kb.symptoms}
    for link in kb.links:
        weight[link.symptom] += TYPICALITY[link.frequency] / TYPICALITY["obligate"]
    n_types = max(len(kb.types), 1)
    out = {s: 0.5 + 0.5 * math.log2(n_types / max(w, 1.0)) for s, w in weight.items()}
    object.__setattr__(kb, "_distinctiveness", out)
    return out


def _resolve_link(kb: KnowledgeBase, links: dict[str, Link], symptom: Symptom) -> tuple[Link | None, str | None]:
    """The type's link for this symptom, else for the nearest symptom it refines."""
    current: Symptom | None = symptom
    while current is not None:
        link = links.get(current.id)
        if link is not None:
            return link, (None if current.id == symptom.id else current.id)
        current = kb.symptoms.get(current.refines) if current.refines else None
    return None, None


def score_type(kb: KnowledgeBase, tumor: TumorType, query: Query, hereditary: Hereditary | None,
               covered: frozenset[str] | None = None) -> Candidate:
    links = kb.links_by_type.get(tumor.id, {})
    weights = distinctiveness(kb)
    contributions: list[Contribution] = []
    used_links: set[str] = set()
    for symptom_id in query.present:
        symptom = kb.symptoms[symptom_id]
        link, via = _resolve_link(kb, links, symptom)
        if link is None:
            contributions.append(Contribution("unexplained", f"{symptom.label}: not a known feature of this type",
                                              UNEXPLAINED_PENALTY, symptom_id))
        elif link.frequency == "excluded":
            contributions.append(Contribution("excluded", f"{symptom.label}: the sources say this type does not cause it",
                                              EXCLUDED_PENALTY, symptom_id, link.frequency, via, link.sources))
        elif link.id in used_links:
            continue
        else:
            used_links.add(link.id)
            points = TYPICALITY[link.frequency] * weights[link.symptom]
            contributions.append(Contribution("finding", symptom.label, round(points, 3), symptom_id,
                                              link.frequency, via, link.sources))
    for symptom_id in query.absent:
        link = links.get(symptom_id)
        if link is not None and ABSENT_PENALTY[link.frequency] < 0:
            label = f"{kb.symptoms[symptom_id].label}: ruled out, though {link.frequency} in this type"
            contributions.append(Contribution("absent", label, ABSENT_PENALTY[link.frequency], symptom_id,
                                              link.frequency, None, link.sources))
    status_points = FUNCTIONAL_POINTS.get((query.functional, tumor.functional), 0.0)
    if status_points:
        contributions.append(Contribution("functional", _status_label(query.functional, tumor.functional),
                                          status_points, sources=tumor.sources))
    if hereditary is not None:
        for raised in hereditary.raises:
            if raised.type == tumor.id:
                contributions.append(Contribution("syndrome", f"{hereditary.name} raises the risk of this type",
                                                  SYNDROME_BONUS, sources=raised.sources))
    score = round(sum(c.points for c in contributions), 3)
    if covered is None:
        covered = _covered(kb, query)
    return Candidate(tumor, score, _strength(score, contributions), tuple(contributions),
                     _expected(kb, tumor.id, covered))


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
    """Per type, its typical links ordered most typical then most distinctive (fixed per kb, so cached)."""
    cached = kb.__dict__.get("_expected_order")
    if cached is not None:
        return cached
    weights = distinctiveness(kb)
    out = {}
    for type_id, links in kb.links_by_type.items():
        items = [k for k in links.values() if k.frequency in EXPECTED_FREQUENCIES]
        items.sort(key=lambda k: (FREQUENCIES.index(k.frequency), -weights[k.symptom], k.symptom))
        out[type_id] = tuple(items)
    object.__setattr__(kb, "_expected_order", out)
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
    covered = _covered(kb, query)
    candidates = [score_type(kb, tumor, query, hereditary, covered) for tumor in kb.types.values()]
    candidates.sort(key=lambda c: (-c.score, c.type.name, c.type.id))
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
