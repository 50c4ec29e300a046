"""The scoring engine: rank NET types and common look-alikes for a query with log2 likelihood ratios.

Each reported finding adds log2(P(finding | this condition) / P(finding | the average other condition));
a ruled-out finding adds log2((1 - P(. | this)) / (1 - P(. | the average other))). Hormone status and an
inherited syndrome are likelihood ratios of the same kind over the NET types; a look-alike adds its
prevalence class as prior odds against a rare NET. The contributions add up exactly to each score.
Method and worked example: README, "How the scoring works".
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, overload

from checker.errors import QueryError
from checker.evidence import (
    FLOOR,
    INCIDENCE_ODDS,
    PRIOR_ODDS,
    Evidence,
    EvidenceIndex,
    ExpectedFinding,
    Key,
    log2_ratio,
    mean_others,
)
from checker.model import (
    QUERY_STATUSES,
    Hereditary,
    KnowledgeBase,
    Mimic,
    RedFlag,
    SourceNote,
    TumorType,
)

T = TypeVar("T")

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


@dataclass(frozen=True)
class _Scored:
    """What NET types and look-alikes share: a score that is the sum of its contributions, and a label."""

    score: float
    strength: str
    parts: tuple[tuple[Contribution, ...], ...]
    """The contributions in runs (prior, findings, hormone status and syndrome): runs are shared between rows."""
    expected: tuple[ExpectedFinding, ...] = field(repr=False, compare=False, default=())
    covered: frozenset[str] = field(repr=False, compare=False, default=frozenset())

    @cached_property
    def contributions(self) -> tuple[Contribution, ...]:
        """Every labelled amount, in order; they add up to the score."""
        return tuple(c for part in self.parts for c in part)

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
        """Everything that is not a linked finding and does not count against (hormone status, syndrome, prior...)."""
        return tuple(c for c in self.contributions if c.kind != "finding" and c.points >= 0)

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


class _Segment:
    """Rows of the ranking that share score, label and amounts: one touched type, or the untouched types alike."""

    __slots__ = ("score", "label", "parts", "explained", "members", "touched", "count")

    def __init__(self, score: float, label: str, parts: _Parts, explained: str | None, members: list[TumorType],
                 touched: frozenset[str] | set[str], count: int) -> None:
        self.score, self.label, self.parts, self.explained = score, label, parts, explained
        self.members, self.touched, self.count = members, touched, count

    def types(self) -> list[TumorType]:
        """The segment's types in name order (an untouched group leaves out the types the query touched)."""
        if self.touched:
            self.members = [t for t in self.members if t.id not in self.touched]
            self.touched = frozenset()
        return self.members


class Ranking(Sequence[Candidate]):
    """The ranked NET types; each Candidate is made when first read (most readers look at the top few)."""

    def __init__(self, segments: list[_Segment], expected: dict[Key, tuple[ExpectedFinding, ...]],
                 covered: frozenset[str], scorers: Sequence[_Scorer],
                 untouched: Sequence[tuple[tuple[Contribution, ...], float]]) -> None:
        self._segments = segments
        self._starts = list(itertools.accumulate((s.count for s in segments), initial=0))
        self._expected = expected
        self._covered = covered
        self._scorers = scorers
        self._untouched = untouched
        self._made: dict[int, Candidate] = {}

    def _make(self, index: int) -> Candidate:
        made = self._made.get(index)
        if made is None:
            at = bisect.bisect_right(self._starts, index) - 1
            segment = self._segments[at]
            tumor = segment.types()[index - self._starts[at]]
            parts = segment.parts
            if len(parts) == 1:  # untouched types: (reading,) until read
                reading = parts[0]
                before, after, _ = self._scorers[reading].extras(tumor)  # type: ignore[index]
                parts = (before, self._untouched[reading][0], after)  # type: ignore[index]
            made = self._made[index] = _built(Candidate, {
                "score": segment.score, "strength": segment.label, "parts": parts,
                "expected": self._expected[("type", tumor.id)], "covered": self._covered, "type": tumor,
                "explained_by": segment.explained})
        return made

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Candidate, ...]: ...

    def __getitem__(self, index: int | slice) -> Candidate | tuple[Candidate, ...]:
        if isinstance(index, slice):
            return tuple(self._make(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[Candidate]:
        return (self._make(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ranking({len(self)} types)"


@dataclass(frozen=True)
class Result:
    query: Query
    candidates: Sequence[Candidate]
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
        self._by_symptom: dict[str, dict[Key | None, tuple[Contribution, str]]] = \
            self.ev.memo.setdefault(("present", self.mode), {})  # type: ignore[assignment, arg-type]
        extras_key = ("extras", query.functional, reading, query.syndrome)
        self._extras: dict[str, tuple[tuple[Contribution, ...], tuple[Contribution, ...], float]] = \
            self.ev.memo.setdefault(extras_key, {})  # type: ignore[assignment, arg-type]
        self.covered = _covered(kb, query)

    def _finding(self, key: Key | None, symptom: str) -> tuple[Contribution, str]:
        """How one reported symptom counts for one condition, and the row it counted through ('' when none).

        It depends on the tables alone, so it is kept in the index's memo for later queries; key None stands
        for every condition the symptom is not linked to (they all get the same contribution).
        """
        memo_key = (self.mode, key, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is not None:
            return hit
        label = self.kb.symptoms[symptom].label
        evidence = self.present[symptom].get(key) if key is not None else None
        own = evidence.p if evidence is not None else FLOOR
        ratio = own / mean_others(self.present_total[symptom], own, self.ev.n)
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
            return hit[0]
        evidence: Evidence | None = self.ev.absent[symptom].get(key) if key is not None else None
        own = evidence.p if evidence is not None else FLOOR
        ratio = (1 - own) / (1 - mean_others(self.ev.absent_total[symptom], own, self.ev.n))
        frequency = evidence.frequency if evidence is not None else None
        sources = evidence.sources if evidence is not None else ()
        contribution = Contribution("absent", self.kb.symptoms[symptom].label, log2_ratio(ratio), symptom, frequency,
                                    None, sources, ratio)
        self.ev.memo[memo_key] = (contribution, "")
        return contribution

    def _findings(self, key: Key | None) -> list[Contribution]:
        out: list[Contribution] = []
        used: set[str] = set()
        memo = self._by_symptom
        for symptom in self.query.present:
            per_key = memo.get(symptom)
            if per_key is None:
                per_key = memo[symptom] = {}
            hit = per_key.get(key)
            if hit is None:
                linked = key is not None and key in self.present[symptom]
                hit = per_key[key] = self._finding(key if linked else None, symptom)
            contribution, row = hit
            if row and row in used:
                continue  # a specific finding and its general parent count once through the same row
            used.add(row)
            out.append(contribution)
        for symptom in self.query.absent:
            out.append(self._absent(key if key is not None and key in self.ev.absent[symptom] else None, symptom))
        return out

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

    def extras(self, tumor: TumorType) -> tuple[tuple[Contribution, ...], tuple[Contribution, ...], float]:
        """(before, after, points): the type's prior, and its hormone-status and syndrome amounts (kept per kb)."""
        hit = self._extras.get(tumor.id)
        if hit is None:
            prior = _incidence_prior(tumor)
            before = (prior,) if prior is not None else ()
            after = tuple(c for c in (self._status(tumor), self._syndrome(tumor)) if c is not None)
            hit = (before, after, sum(c.points for c in (*before, *after)))
            self._extras[tumor.id] = hit
        return hit

    def mimic_contributions(self, mimic: Mimic, findings: Sequence[Contribution]) -> tuple[Contribution, ...]:
        odds = PRIOR_ODDS[mimic.prevalence] / PRIOR_ODDS["rare"]
        prior = Contribution("prior", f"{mimic.name} is {mimic.prevalence}", log2_ratio(odds),
                             sources=mimic.prevalence_sources, ratio=odds)
        return (prior, *findings)


def _incidence_prior(tumor: TumorType) -> Contribution | None:
    """Prior odds against a 'rare' NET type (about 1 per 100,000 a year): none for the reference class."""
    odds = INCIDENCE_ODDS[tumor.incidence] / INCIDENCE_ODDS["rare"]
    if odds == 1:
        return None
    return Contribution("prior", f"{tumor.name} is {tumor.incidence}", log2_ratio(odds), sources=tumor.incidence_sources,
                        ratio=odds)


_Parts = tuple[tuple[Contribution, ...], ...]


def _best_reading(scorers: Sequence[_Scorer], tumor: TumorType,
                  findings: Sequence[tuple[tuple[Contribution, ...], float]]) -> tuple[float, _Parts, int]:
    """The type's contributions under each reading of the hormone status; the higher-scoring one is kept."""
    best: tuple[float, _Parts, int] | None = None
    for index, (scorer, (found, found_points)) in enumerate(zip(scorers, findings, strict=True)):
        before, after, extra_points = scorer.extras(tumor)
        score = round(found_points + extra_points, 2)
        if best is None or score > best[0]:
            best = (score, (before, found, after), index)
    assert best is not None
    return best


def _covered(kb: KnowledgeBase, query: Query) -> frozenset[str]:
    """Reported symptoms plus the general symptoms that present ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom_id in query.present:
        covered.update(kb.evidence.chains[symptom_id])
    return frozenset(covered)


NOTABLE_RATIO = 1.25
"""Hormone status or a syndrome 'points to' a type when it makes it more than 1.25x likelier ('hardly changes' below)."""


def _points_to(contributions: Sequence[Contribution]) -> bool:
    """A linked finding that raises the odds, or hormone status / a syndrome that raises them notably."""
    return any((c.kind == "finding" and c.points > 0) or (c.kind in ("functional", "syndrome")
                                                          and c.ratio > NOTABLE_RATIO) for c in contributions)


def _raw_strength(kb: KnowledgeBase, score: float, contributions: Sequence[Contribution]) -> str:
    """The label a score earns on its own, before the rules that compare it with the rest of the ranking."""
    if not _points_to(contributions):
        return "none"
    pointing = [c for c in contributions if c.kind == "finding" and c.points > 0]
    specific = [c for c in pointing if c.symptom and not kb.symptoms[c.symptom].nonspecific]
    others = [c for c in contributions if c.kind in ("functional", "syndrome") and c.ratio > NOTABLE_RATIO]
    if not specific and not others and len(pointing) <= 1:
        return "weak"  # one non-specific finding alone never earns more
    if score >= STRONG_BITS and len(pointing) >= STRONG_MIN_FINDINGS:
        return "strong"
    if score >= MODERATE_BITS:
        return "moderate"
    return "weak"


def _built(cls: type[T], fields: dict[str, object]) -> T:
    """A frozen result row made without its per-field __setattr__ calls (thousands per query at Orphanet scale)."""
    row = object.__new__(cls)
    row.__dict__.update(fields)
    return row


def _summed(contributions: Sequence[Contribution]) -> tuple[tuple[Contribution, ...], float]:
    return tuple(contributions), sum(c.points for c in contributions)


def _evidence(contributions: Sequence[Contribution]) -> float:
    return round(sum(c.points for c in contributions if c.kind != "prior"), 2)


_Row = tuple[float, _Parts, object, object]
"""(score, contribution runs, the TumorType or Mimic, a key shared by rows whose amounts are all alike)."""


def _flat(parts: _Parts) -> tuple[Contribution, ...]:
    return tuple(c for part in parts for c in part)


def _labels(kb: KnowledgeBase, rows: list[_Row], best_mimic_evidence: float | None,
            samples: dict | None = None) -> list[str]:
    """Labels that never rise as the score falls, and never read 'none' for something the findings point to.

    Rows of one key have alike amounts; ``samples`` gives the contribution runs of keys whose rows hold none."""
    memo: dict[object, tuple[int, int]] = {}  # types the query does not touch share one key
    levels, floors = [], []  # label as an index into STRENGTHS; 1 ('weak') where something points to the row
    for score, parts, _, key in rows:
        if key not in memo:
            contributions = _flat(samples[key][2] if samples and key in samples else parts)
            label = _raw_strength(kb, score, contributions)
            if best_mimic_evidence is not None and label == "strong" and best_mimic_evidence >= _evidence(contributions):
                label = "moderate"  # a common condition explains the findings at least as well
            memo[key] = (STRENGTHS.index(label), 1 if _points_to(contributions) else 0)
        levels.append(memo[key][0])
        floors.append(memo[key][1])
    for i in range(1, len(levels)):  # walking down the ranking, a label may only stay or fall...
        levels[i] = max(min(levels[i], levels[i - 1]), floors[i])
    for i in range(len(levels) - 2, -1, -1):  # ...and a row above one that something points to is not 'none'
        if levels[i] == 0 and levels[i + 1] > 0:
            levels[i] = levels[i + 1]
    return [STRENGTHS[level] for level in levels]


def _count(members: list[TumorType], touched: set[str]) -> int:
    return len(members) - sum(1 for t in members if t.id in touched)


def _ties_by_name(rows: list[_Row], touched: set[str], name_rank: dict[str, int]) -> list[_Row]:
    """Rows of equal score in name order: a run that holds a group of untouched types is split into single types."""
    out: list[_Row] = []
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and rows[end][0] == rows[start][0]:
            end += 1
        run = rows[start:end]
        if len(run) > 1 and any(len(row[1]) == 1 for row in run):  # a group ties with something: merge by name
            singles = [(score, parts, [t], key) for score, parts, members, key in run
                       for t in members if len(parts) != 1 or t.id not in touched]
            singles.sort(key=lambda row: name_rank[row[2][0].id])  # type: ignore[index]
            out.extend(singles)  # type: ignore[arg-type]
        else:
            out.extend(run)
        start = end
    return out


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """NET types and look-alikes, each best first (ties by name), with the red flags the query triggers."""
    check_query(kb, query)
    ev = kb.evidence
    if query.functional == "unknown":  # read the findings both ways; each type keeps the likelier reading
        scorers = [_Scorer(kb, query, "nonfunctional"), _Scorer(kb, query, "functional")]
    else:
        scorers = [_Scorer(kb, query)]
    scorer = scorers[0]
    touched: set[str] = set(ev.syndrome_p.get(query.syndrome or "", {}))
    for symptom in query.present:
        for each in scorers:
            touched |= ev.linked_types[each.mode][symptom]
    for symptom in query.absent:
        touched |= ev.absent_types[symptom]
    # both readings count the findings alike unless a reported finding has a class of its own among hormone syndromes
    same_findings = len(scorers) == 1 or not any(s in ev.mode_sensitive for s in query.present)
    untouched = [_summed(each._findings(None)) for each in scorers]  # every unlinked type: the same findings
    alike: dict[object, tuple[float, int, _Parts]] = {}
    counts: dict[object, int] = {}  # untouched types per group
    tumor_rows: list[_Row] = []  # (score, parts, members, key): one row per touched type or per untouched group
    for type_id in sorted(touched, key=ev.name_rank.__getitem__):
        tumor = kb.types[type_id]
        first = _summed(scorers[0]._findings(("type", type_id)))
        found = [first] if len(scorers) == 1 else \
            [first, first if same_findings else _summed(scorers[1]._findings(("type", type_id)))]
        score, parts, _ = _best_reading(scorers, tumor, found)
        tumor_rows.append((score, parts, [tumor], type_id))
    for key, members in ev.alike_types.items():  # untouched types: amounts depend on share and incidence only
        count = _count(members, touched)
        if count:
            sample_type = next(t for t in members if t.id not in touched)
            score, sample, reading = _best_reading(scorers, sample_type, untouched)
            alike[key] = (score, reading, sample)
            tumor_rows.append((score, (reading,), members, key))  # type: ignore[arg-type]
            counts[key] = count
    tumor_rows.sort(key=lambda row: -row[0])
    tumor_rows = _ties_by_name(tumor_rows, touched, ev.name_rank)
    mimic_rows: list[_Row] = []
    for mimic in ev.mimics_by_name:
        findings = scorer._findings(("mimic", mimic.id))
        if any(c.kind == "finding" for c in findings):  # shown when it shares a reported finding
            contributions = scorer.mimic_contributions(mimic, findings)
            parts = (contributions[:1], contributions[1:])
            mimic_rows.append((round(sum(c.points for c in contributions), 2), parts, mimic, mimic.id))
    mimic_rows.sort(key=lambda row: -row[0])
    mimic_labels = _labels(kb, mimic_rows, None)
    mimics = [MimicCandidate(score, label, parts, ev.expected[("mimic", mimic.id)], scorer.covered,
                             mimic=mimic)  # type: ignore[arg-type]
              for (score, parts, mimic, _), label in zip(mimic_rows, mimic_labels, strict=True)]
    best = max(mimics, key=lambda m: m.evidence, default=None)
    best_evidence = best.evidence if best is not None and _points_to(best.contributions) else None
    explains: dict[object, str | None] = {}
    segments = []
    for (score, parts, members, key), label in zip(tumor_rows, _labels(kb, tumor_rows, best_evidence, alike),
                                                   strict=True):
        if key not in explains:
            explains[key] = None
            if best is not None and best_evidence is not None:
                contributions = _flat(alike[key][2] if key in alike else parts)  # type: ignore[index]
                if _points_to(contributions) and _evidence(contributions) <= best_evidence:
                    explains[key] = best.id
        group = key in alike and len(members) > 1
        segments.append(_Segment(score, label, parts, explains[key], members,  # type: ignore[arg-type]
                                 touched if group else frozenset(), counts[key] if group else 1))
    candidates = Ranking(segments, ev.expected, scorer.covered, scorers, untouched)  # type: ignore[arg-type]
    present = frozenset(query.present)
    flags = [RedFlagHit(flag, hits) for flag in kb.red_flags.values() if (hits := flag.triggered_by(present))]
    return Result(query, candidates, tuple(mimics), tuple(flags))

