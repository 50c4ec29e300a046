"""The scoring engine: rank NET types and common look-alikes for a query with log2 likelihood ratios.

Each reported finding adds log2(P(finding | this condition) / P(finding | the average other condition));
a ruled-out finding adds log2((1 - P(. | this)) / (1 - P(. | the average other))). Hormone status and an
inherited syndrome are likelihood ratios of the same kind over the NET types; a look-alike adds its
prevalence class as prior odds against a rare NET. The contributions add up exactly to each score.
Method and worked example: README, "How the scoring works".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from checker.errors import QueryError
from checker.evidence import FLOOR, PRIOR_ODDS, Evidence, EvidenceIndex, ExpectedRow, Key, log2_ratio, mean_others
from checker.model import (
    FREQUENCY_MIDPOINTS,
    QUERY_STATUSES,
    Hereditary,
    KnowledgeBase,
    Mimic,
    RedFlag,
    SourceNote,
    TumorType,
)

STRENGTHS = ("none", "weak", "moderate", "strong")
"""Labels, weakest first."""
STRONG_BITS = round(math.log2(100), 2)
"""'strong': 6.64 points, the evidence makes it at least 100x more likely than the average alternative..."""
STRONG_MIN_FINDINGS = 2
"""...with at least two findings pointing to it."""
MODERATE_BITS = round(math.log2(10), 2)
"""'moderate': 3.32 points, at least 10x. 'weak': anything that points to it."""


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

    @property
    def is_empty(self) -> bool:
        return not (self.present or self.absent or self.functional != "unknown" or self.syndrome)


@dataclass(frozen=True)
class Contribution:
    """One labelled amount (log2 of a likelihood ratio) added to or taken from a score."""

    kind: str
    """finding | unexplained | excluded | absent | functional | syndrome | prior"""
    label: str
    points: float
    symptom: str | None = None
    frequency: str | None = None
    via: str | None = None
    sources: tuple[SourceNote, ...] = ()
    ratio: float = 1.0
    """The likelihood ratio (or prior odds ratio) the points are log2 of."""


@dataclass(frozen=True)
class ExpectedFinding:
    symptom: str
    label: str
    frequency: str
    sources: tuple[SourceNote, ...]
    ratio: float = 1.0


@dataclass(frozen=True)
class _Scored:
    """What NET types and look-alikes share: a score that is the sum of its contributions, and a label."""

    score: float
    strength: str
    contributions: tuple[Contribution, ...]
    expected: tuple[ExpectedFinding, ...] = field(repr=False, compare=False, default=())
    covered: frozenset[str] = field(repr=False, compare=False, default=frozenset())

    @property
    def expected_not_reported(self) -> tuple[ExpectedFinding, ...]:
        """Typical findings that were neither reported nor ruled out, the most telling first."""
        return tuple(e for e in self.expected if e.symptom not in self.covered)

    @property
    def matched(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.kind == "finding")

    @property
    def against(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.points < 0)

    @property
    def modifiers(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.kind in ("functional", "syndrome", "prior") and c.points >= 0)

    @property
    def evidence(self) -> float:
        """The score without the prevalence prior: how well the findings fit."""
        return round(sum(c.points for c in self.contributions if c.kind != "prior"), 2)


@dataclass(frozen=True)
class Candidate(_Scored):
    """A NET type in a ranking."""

    type: TumorType = field(default=None, kw_only=True)  # type: ignore[assignment]
    explained_by: str | None = field(default=None, kw_only=True)
    """The look-alike id that explains the findings at least as well, when there is one."""

    @property
    def id(self) -> str:
        return self.type.id


@dataclass(frozen=True)
class MimicCandidate(_Scored):
    """A common look-alike condition in a ranking."""

    mimic: Mimic = field(default=None, kw_only=True)  # type: ignore[assignment]

    @property
    def id(self) -> str:
        return self.mimic.id

    @property
    def shared(self) -> tuple[str, ...]:
        """The reported findings this look-alike is known for."""
        return tuple(c.symptom for c in self.matched if c.symptom)


@dataclass(frozen=True)
class RedFlagHit:
    flag: RedFlag
    triggered_by: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    query: Query
    candidates: tuple[Candidate, ...]
    mimics: tuple[MimicCandidate, ...]
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


class _Scorer:
    """Scores every condition for one query; conditions the query does not touch share one computation."""

    def __init__(self, kb: KnowledgeBase, query: Query) -> None:
        self.kb = kb
        self.query = query
        self.ev: EvidenceIndex = kb.evidence
        self.mode = "functional" if query.functional == "functional" else "base"
        self.present = self.ev.present[self.mode]
        self.present_total = self.ev.present_total[self.mode]
        self.hereditary: Hereditary | None = kb.hereditary.get(query.syndrome) if query.syndrome else None
        self.covered = _covered(kb, query)

    def _finding(self, key: Key, symptom: str) -> tuple[Contribution, str]:
        """How one reported symptom counts for one condition, and the row it counted through ('' when none)."""
        label = self.kb.symptoms[symptom].label
        evidence = self.present[symptom].get(key)
        own = evidence.p if evidence is not None else FLOOR
        ratio = own / mean_others(self.present_total[symptom], own, self.ev.n)
        if evidence is None:
            return Contribution("unexplained", label, log2_ratio(ratio), symptom, None, None, (), ratio), ""
        via = None if evidence.symptom == symptom else evidence.symptom
        kind = "excluded" if evidence.frequency == "excluded" else "finding"
        return (Contribution(kind, label, log2_ratio(ratio), symptom, evidence.frequency, via, evidence.sources, ratio),
                evidence.symptom)

    def _absent(self, key: Key, symptom: str) -> Contribution:
        evidence: Evidence | None = self.ev.absent[symptom].get(key)
        own = evidence.p if evidence is not None else FLOOR
        ratio = (1 - own) / (1 - mean_others(self.ev.absent_total[symptom], own, self.ev.n))
        frequency = evidence.frequency if evidence is not None else None
        sources = evidence.sources if evidence is not None else ()
        return Contribution("absent", self.kb.symptoms[symptom].label, log2_ratio(ratio), symptom, frequency, None,
                            sources, ratio)

    def _findings(self, key: Key) -> list[Contribution]:
        out: list[Contribution] = []
        used: set[str] = set()
        for symptom in self.query.present:
            contribution, row = self._finding(key, symptom)
            if row and row in used:
                continue  # a specific finding and its general parent count once through the same row
            used.add(row)
            out.append(contribution)
        out.extend(self._absent(key, s) for s in self.query.absent)
        return out

    def _status(self, tumor: TumorType) -> Contribution | None:
        status = self.query.functional
        if status == "unknown":
            return None
        share = self.ev.status_p[tumor.id]
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

    def _expected(self, key: Key) -> tuple[ExpectedFinding, ...]:
        rows: tuple[ExpectedRow, ...] = self.ev.expected[key]
        return tuple(ExpectedFinding(r.symptom, self.kb.symptoms[r.symptom].label, r.frequency, r.sources, r.ratio)
                     for r in rows)

    def tumor(self, tumor: TumorType, findings: Sequence[Contribution]) -> Candidate:
        contributions = list(findings)
        for extra in (self._status(tumor), self._syndrome(tumor)):
            if extra is not None:
                contributions.append(extra)
        score = round(sum(c.points for c in contributions), 2)
        return Candidate(score, "none", tuple(contributions), self._expected(("type", tumor.id)), self.covered,
                         type=tumor)

    def mimic(self, mimic: Mimic, findings: Sequence[Contribution]) -> MimicCandidate:
        odds = PRIOR_ODDS[mimic.prevalence] / PRIOR_ODDS["rare"]
        prior = Contribution("prior", f"{mimic.name} is {mimic.prevalence}", log2_ratio(odds),
                             sources=mimic.prevalence_sources, ratio=odds)
        contributions = (prior, *findings)
        score = round(sum(c.points for c in contributions), 2)
        return MimicCandidate(score, "none", contributions, self._expected(("mimic", mimic.id)), self.covered,
                              mimic=mimic)


def _covered(kb: KnowledgeBase, query: Query) -> frozenset[str]:
    """Reported symptoms plus the general symptoms that present ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom_id in query.present:
        covered.update(kb.evidence.chains[symptom_id])
    return frozenset(covered)


NOTABLE_RATIO = 1.25
"""Hormone status or a syndrome 'points to' a type when it makes it more than 1.25x likelier ('hardly changes' below)."""


def _points_to(item: _Scored) -> bool:
    """A linked finding that raises the odds, or hormone status / a syndrome that raises them notably."""
    return any((c.kind == "finding" and c.points > 0) or (c.kind in ("functional", "syndrome")
                                                          and c.ratio > NOTABLE_RATIO) for c in item.contributions)


def _raw_strength(kb: KnowledgeBase, item: _Scored) -> str:
    """The label the score earns on its own, before the rules that compare it with the rest of the ranking."""
    pointing = [c for c in item.matched if c.points > 0]
    if not _points_to(item):
        return "none"
    specific = [c for c in pointing if c.symptom and not kb.symptoms[c.symptom].nonspecific]
    others = [c for c in item.contributions if c.kind in ("functional", "syndrome") and c.ratio > NOTABLE_RATIO]
    if not specific and not others:
        return "weak"  # non-specific findings alone never earn more
    if item.score >= STRONG_BITS and len(pointing) >= STRONG_MIN_FINDINGS:
        return "strong"
    if item.score >= MODERATE_BITS:
        return "moderate"
    return "weak"


def _labelled(kb: KnowledgeBase, items: list, best_mimic: MimicCandidate | None) -> list:
    """Labels that never rise as the score falls, and never read 'none' for something the findings point to."""
    labels = []
    for item in items:
        label = _raw_strength(kb, item)
        if isinstance(item, Candidate) and best_mimic is not None and label == "strong" \
                and best_mimic.evidence >= item.evidence:
            label = "moderate"
        labels.append(label)
    for i in range(1, len(labels)):  # walking down the ranking, a label may only stay or fall...
        floor = "weak" if _points_to(items[i]) else "none"
        capped = min(labels[i], labels[i - 1], key=STRENGTHS.index)
        labels[i] = max(capped, floor, key=STRENGTHS.index)
    for i in range(len(labels) - 2, -1, -1):  # ...and an item above one that something points to is not 'none'
        if labels[i] == "none" and labels[i + 1] != "none":
            labels[i] = labels[i + 1]
    return [_with_label(item, label, best_mimic) for item, label in zip(items, labels, strict=True)]


def _with_label(item: _Scored, label: str, best_mimic: MimicCandidate | None) -> _Scored:
    if isinstance(item, Candidate):
        explained = best_mimic.id if best_mimic is not None and item.evidence <= best_mimic.evidence \
            and _points_to(item) and _points_to(best_mimic) else None
        return Candidate(item.score, label, item.contributions, item.expected, item.covered, type=item.type,
                         explained_by=explained)
    return MimicCandidate(item.score, label, item.contributions, item.expected, item.covered, mimic=item.mimic)


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """NET types and look-alikes, each best first (ties by name), with the red flags the query triggers."""
    check_query(kb, query)
    scorer = _Scorer(kb, query)
    ev = kb.evidence
    touched: set[str] = set(ev.syndrome_p.get(query.syndrome or "", {}))
    for symptom in query.present:
        touched |= ev.linked_types[scorer.mode][symptom]
    for symptom in query.absent:
        touched |= ev.absent_types[symptom]
    untouched = scorer._findings(("type", ""))  # every unlinked type gets the same finding contributions
    tumors = [scorer.tumor(t, scorer._findings(("type", t.id)) if t.id in touched else untouched)
              for t in _by_name(kb, "types")]
    tumors.sort(key=lambda c: -c.score)  # stable: ties keep name order
    mimics = [scorer.mimic(m, scorer._findings(("mimic", m.id))) for m in _by_name(kb, "mimics")]
    mimics = [m for m in mimics if m.matched]  # a look-alike is shown when it shares a reported finding
    mimics.sort(key=lambda m: -m.score)
    mimics = _labelled(kb, mimics, None)
    best_mimic = max(mimics, key=lambda m: m.evidence, default=None)
    candidates = _labelled(kb, tumors, best_mimic)
    present = frozenset(query.present)
    flags = [RedFlagHit(flag, hits) for flag in kb.red_flags.values() if (hits := flag.triggered_by(present))]
    return Result(query, tuple(candidates), tuple(mimics), tuple(flags))


def _by_name(kb: KnowledgeBase, table: str) -> list:
    """Rows in (name, id) order, so that a stable sort by score breaks ties by name."""
    return sorted(getattr(kb, table).values(), key=lambda row: (row.name, row.id))


def frequency_probability(frequency: str) -> float:
    """P(finding | condition) for a frequency class (documented mid-points)."""
    return FREQUENCY_MIDPOINTS[frequency]
