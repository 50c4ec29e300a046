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
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, TypeVar, overload

from checker.errors import QueryError
from checker.evidence import (
    FLOOR,
    INCIDENCE_ODDS,
    PRIOR_ODDS,
    EvidenceIndex,
    ExpectedFinding,
    Key,
    log2_ratio,
    mean_others,
)
from checker.labels import NOTABLE_RATIO, STRENGTHS, centi, fits_as_well, monotone, raw_level
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


class _Row(NamedTuple):
    """One touched type, or the types a query leaves untouched alike (a group), in ranking order."""

    minus_score: int
    """Minus the score in centi-points: rows sort best first..."""
    name_rank: int
    """...then by name."""
    level: int
    """The label it earns on its own, as an index into STRENGTHS (before `monotone`)."""
    floor: int
    """1 when something points to the row (it is never 'none'), else 0."""
    explained: bool
    """A look-alike explains the findings at least as well."""
    reading: int
    """Which of the query's readings of the hormone status the amounts come from."""
    members: list[TumorType]
    """The type, or the group's types in name order (touched ones included: `Ranking` leaves them out)."""
    count: int
    """How many types the row stands for."""


class Ranking(Sequence[Candidate]):
    """The ranked NET types; each Candidate and its contributions are made when first read (most readers look at
    the top few), from the same tables the scores were tallied from."""

    def __init__(self, rows: list[_Row], levels: list[int], explained_by: str | None, touched: set[str],
                 expected: dict[Key, tuple[ExpectedFinding, ...]], covered: frozenset[str],
                 scorers: Sequence[_Scorer]) -> None:
        """levels: each row's label after `monotone` (a row's own `level` is what it earns on its own)."""
        self._rows = rows
        self._levels = levels
        self._starts = list(itertools.accumulate((row.count for row in rows), initial=0))
        self._explained_by = explained_by
        self._touched = touched
        self._expected = expected
        self._covered = covered
        self._scorers = scorers
        self._made: dict[int, Candidate] = {}

    def _make(self, index: int) -> Candidate:
        made = self._made.get(index)
        if made is None:
            at = bisect.bisect_right(self._starts, index) - 1
            row = self._rows[at]
            members = row.members
            if len(members) > 1:  # a group: leave out the types the query touched
                members = [t for t in members if t.id not in self._touched]
                self._rows[at] = row._replace(members=members)
            tumor = members[index - self._starts[at]]
            scorer = self._scorers[row.reading]
            extras = scorer.extras(tumor)
            parts = (extras.before, tuple(scorer.findings(("type", tumor.id))), extras.after)
            made = self._made[index] = _built(Candidate, {
                "score": -row.minus_score / 100, "strength": STRENGTHS[self._levels[at]], "parts": parts,
                "expected": self._expected[("type", tumor.id)], "covered": self._covered, "type": tumor,
                "explained_by": self._explained_by if row.explained else None})
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


class _Tally(NamedTuple):
    """One reported or ruled-out symptom's amounts over the NET types, in centi-points."""

    unlinked: int
    """What every type it is not linked to gets."""
    delta: dict[str, int]
    """Type id -> its own amount minus `unlinked`."""
    rows: dict[str, str]
    """Type id -> the table row it counts through (a ruled-out symptom: none)."""
    pointing: frozenset[str]
    """Types for which it is a linked finding that raises the odds."""
    specific: bool
    """Not a non-specific symptom."""


class _QueryTally(NamedTuple):
    """A query's findings summed per NET type, in centi-points: `base` for every type plus its `delta`."""

    base: int
    delta: dict[str, int]
    pointing: Counter[str]
    specific: Counter[str]


class _Extras(NamedTuple):
    """A type's amounts besides its findings: the prior (before), hormone status and syndrome (after)."""

    before: tuple[Contribution, ...]
    after: tuple[Contribution, ...]
    amount: int
    """Their sum, in centi-points."""
    prior: int
    """The prior's part of it."""
    notable: bool
    """Hormone status or the syndrome makes the type more than NOTABLE_RATIO times likelier."""


class _Scorer:
    """Scores conditions for one query and one reading of its hormone status.

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
        self._extras: dict[str, _Extras] = \
            self.ev.memo.setdefault(("extras", query.functional, reading, query.syndrome), {})  # type: ignore[assignment, arg-type]
        self.covered = _covered(kb, query)

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

    def _present_tally(self, symptom: str) -> _Tally:
        """What `findings` gives each NET type for one reported symptom, as numbers (built once per table)."""
        memo_key = ("tally", self.mode, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is None:
            unlinked = centi(self._finding(None, symptom)[0].points)
            by_class: dict[str, int] = {}
            delta, rows, pointing = {}, {}, set()
            for (kind, type_id), evidence in self.present[symptom].items():
                if kind != "type":
                    continue
                amount = by_class.get(evidence.frequency)
                if amount is None:
                    amount = by_class[evidence.frequency] = centi(log2_ratio(self._present_ratio(symptom, evidence.p)))
                delta[type_id] = amount - unlinked
                rows[type_id] = evidence.symptom
                if amount > 0 and evidence.frequency != "excluded":
                    pointing.add(type_id)
            hit = self.ev.memo[memo_key] = _Tally(unlinked, delta, rows, frozenset(pointing),
                                                  not self.kb.symptoms[symptom].nonspecific)
        return hit  # type: ignore[return-value]

    def _absent_tally(self, symptom: str) -> _Tally:
        memo_key = ("absent-tally", None, symptom)
        hit = self.ev.memo.get(memo_key)
        if hit is None:
            unlinked = centi(self._absent(None, symptom).points)
            delta = {type_id: centi(log2_ratio(self._absent_ratio(symptom, evidence.p))) - unlinked
                     for (kind, type_id), evidence in self.ev.absent[symptom].items() if kind == "type"}
            hit = self.ev.memo[memo_key] = _Tally(unlinked, delta, {}, frozenset(), False)
        return hit  # type: ignore[return-value]

    def tally(self) -> _QueryTally:
        """The query's findings summed for every NET type at once: what `findings` adds up to, type by type."""
        present = [self._present_tally(s) for s in self.query.present]
        absent = [self._absent_tally(s) for s in self.query.absent]
        base = sum(t.unlinked for t in present) + sum(t.unlinked for t in absent)
        delta: dict[str, int] = {}
        pointing: Counter[str] = Counter()
        specific: Counter[str] = Counter()
        shared = _shared_rows(present)
        seen: set[tuple[str, str]] = set()
        for tally in present:
            if shared:  # two reported symptoms count through one row for some types: the first one counts
                for type_id, amount in tally.delta.items():
                    row = tally.rows[type_id]
                    if row in shared:
                        if (type_id, row) in seen:
                            delta[type_id] = delta.get(type_id, 0) - tally.unlinked  # this symptom adds nothing
                            continue
                        seen.add((type_id, row))
                    delta[type_id] = delta.get(type_id, 0) + amount
                    if type_id in tally.pointing:
                        pointing[type_id] += 1
                        specific[type_id] += tally.specific
                continue
            _add(delta, tally.delta)
            pointing.update(tally.pointing)
            if tally.specific:
                specific.update(tally.pointing)
        for tally in absent:
            _add(delta, tally.delta)
        return _QueryTally(base, delta, pointing, specific)

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

    def extras(self, tumor: TumorType) -> _Extras:
        """The type's prior, and its hormone-status and syndrome amounts (kept per knowledge base)."""
        hit = self._extras.get(tumor.id)
        if hit is None:
            prior = _incidence_prior(tumor)
            before = (prior,) if prior is not None else ()
            after = tuple(c for c in (self._status(tumor), self._syndrome(tumor)) if c is not None)
            prior_amount = sum(centi(c.points) for c in before)
            hit = self._extras[tumor.id] = _Extras(before, after, prior_amount + sum(centi(c.points) for c in after),
                                                   prior_amount,
                                                   any(c.ratio > NOTABLE_RATIO for c in after if c.kind != "reading"))
        return hit

    def mimic_contributions(self, mimic: Mimic, findings: Sequence[Contribution]) -> tuple[Contribution, ...]:
        odds = PRIOR_ODDS[mimic.prevalence] / PRIOR_ODDS["rare"]
        prior = Contribution("prior", f"{mimic.name} is {mimic.prevalence}", log2_ratio(odds),
                             sources=mimic.prevalence_sources, ratio=odds)
        return (prior, *findings)


def _add(total: dict[str, int], amounts: dict[str, int]) -> None:
    """Add amounts into a running total, type by type."""
    if not total:
        total.update(amounts)
        return
    get = total.get
    for type_id, amount in amounts.items():
        total[type_id] = get(type_id, 0) + amount


def _shared_rows(tallies: Sequence[_Tally]) -> set[str]:
    """Rows that two or more of the reported symptoms count through (a symptom and one it refines, say)."""
    if len(tallies) < 2:
        return set()
    seen: set[str] = set()
    shared: set[str] = set()
    for tally in tallies:
        rows = set(tally.rows.values())
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


def _covered(kb: KnowledgeBase, query: Query) -> frozenset[str]:
    """Reported symptoms plus the general symptoms that present ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom_id in query.present:
        covered.update(kb.evidence.chains[symptom_id])
    return frozenset(covered)


def fit_of(kb: KnowledgeBase, score: float, contributions: Sequence[Contribution]) -> tuple[int, int, int, bool]:
    """What a row's label depends on, read off its contributions: the arguments of `raw_level`."""
    pointing = [c for c in contributions if c.kind == "finding" and c.points > 0]
    return (centi(score), len(pointing),
            sum(1 for c in pointing if c.symptom and not kb.symptoms[c.symptom].nonspecific),
            any(c.kind in ("functional", "syndrome") and c.ratio > NOTABLE_RATIO for c in contributions))


def _evidence(contributions: Sequence[Contribution]) -> int:
    """The amounts besides the prior, in centi-points."""
    return sum(centi(c.points) for c in contributions if c.kind != "prior")


def _built(cls: type[T], fields: dict[str, object]) -> T:
    """A frozen result row made without its per-field __setattr__ calls (thousands per query at Orphanet scale)."""
    row = object.__new__(cls)
    row.__dict__.update(fields)
    return row


def _scored_mimics(kb: KnowledgeBase, scorer: _Scorer) -> list[MimicCandidate]:
    """The look-alikes that share a reported finding, best first (ties by name), labelled."""
    ev = kb.evidence
    linked = set().union(*(ev.linked_mimics[scorer.mode][s] for s in scorer.query.present))
    rows = []
    for mimic in ev.mimics_by_name:
        if mimic.id not in linked:
            continue
        findings = scorer.findings(("mimic", mimic.id))
        if any(c.kind == "finding" for c in findings):  # shown when it shares a reported finding
            contributions = scorer.mimic_contributions(mimic, findings)
            score = sum(centi(c.points) for c in contributions)
            rows.append((-score, len(rows), mimic, contributions))
    rows.sort(key=lambda row: row[:2])
    fits = [fit_of(kb, -score / 100, contributions) for score, _, _, contributions in rows]
    levels = monotone([raw_level(*fit) for fit in fits], [int(fit[1] > 0 or fit[3]) for fit in fits])
    return [MimicCandidate(-score / 100, STRENGTHS[level], (contributions[:1], contributions[1:]),
                           ev.expected[("mimic", mimic.id)], scorer.covered, mimic=mimic)
            for (score, _, mimic, contributions), level in zip(rows, levels, strict=True)]


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """NET types and look-alikes, each best first (ties by name), with the red flags the query triggers."""
    check_query(kb, query)
    ev = kb.evidence
    if query.functional == "unknown":  # read the findings both ways; each type keeps the likelier reading
        scorers = [_Scorer(kb, query, "nonfunctional"), _Scorer(kb, query, "functional")]
    else:
        scorers = [_Scorer(kb, query)]
    mimics = _scored_mimics(kb, scorers[0])
    best = max(mimics, key=lambda m: m.evidence, default=None)
    best_evidence = _evidence(best.contributions) if best is not None and _points_to(best.contributions) else None
    # both readings count the findings alike unless a reported finding has a class of its own among hormone syndromes
    tallies = [scorers[0].tally()]
    if len(scorers) > 1:
        tallies.append(tallies[0] if not any(s in ev.mode_sensitive for s in query.present) else scorers[1].tally())
    touched: set[str] = set(ev.syndrome_p.get(query.syndrome or "", {}))
    for tally in tallies:
        touched.update(tally.delta)
    rows = _type_rows(kb, scorers, tallies, touched, best_evidence)
    levels = monotone([row.level for row in rows], [row.floor for row in rows])
    candidates = Ranking(rows, levels, best.id if best is not None else None, touched, ev.expected,
                         scorers[0].covered, scorers)
    present = frozenset(query.present)
    flags = [RedFlagHit(flag, hits) for flag in kb.red_flags.values() if (hits := flag.triggered_by(present))]
    return Result(query, candidates, tuple(mimics), tuple(flags))


def _type_rows(kb: KnowledgeBase, scorers: Sequence[_Scorer], tallies: Sequence[_QueryTally], touched: set[str],
               best_evidence: int | None) -> list[_Row]:
    """One row per touched type and per group of untouched alike types, sorted by score then name.

    Each row takes the likelier reading of the hormone status, the label it earns on its own and whether
    something points to it. 'strong' falls to 'moderate' where a look-alike explains the findings at least as well.
    """
    ev = kb.evidence
    name_rank = ev.name_rank
    likelier = _likelier_extras(scorers) if len(tallies) == 1 or tallies[0] is tallies[1] else None
    per_group = Counter(map(ev.alike_key.__getitem__, touched))
    groups = [(next(t for t in members if t.id not in touched), members, count)  # one sample type stands for them
              for key, members in ev.alike_types.items() if (count := len(members) - per_group.get(key, 0))]
    rows: list[_Row] = []
    for tumor, members, count in itertools.chain(((kb.types[t], None, 1) for t in touched), groups):
        tid = tumor.id
        if likelier is not None:  # the findings count alike under both readings: the extras decide
            tally = tallies[0]
            reading, extras = likelier.get(tid) or likelier.add(tumor, scorers)
            score = tally.base + tally.delta.get(tid, 0) + extras.amount
        else:
            score, reading, extras, tally = _likelier_reading(scorers, tallies, tumor)
        pointing = tally.pointing.get(tid, 0)
        points_to = pointing > 0 or extras.notable
        level = raw_level(score, pointing, tally.specific.get(tid, 0), extras.notable)
        explained = points_to and fits_as_well(score - extras.prior, best_evidence)
        if level == 3 and explained:
            level = 2
        rows.append(_tuple_new(_Row, (-score, name_rank[tid], level, int(points_to), explained, reading,
                                      members or [tumor], count)))
    rows.sort()
    return _ties_by_name(rows, name_rank, touched) if groups else rows


_tuple_new = tuple.__new__
"""Makes a NamedTuple row without the Python-level __new__ call (a thousand rows per query at Orphanet scale)."""


def _likelier_reading(scorers: Sequence[_Scorer], tallies: Sequence[_QueryTally],
                      tumor: TumorType) -> tuple[int, int, _Extras, _QueryTally]:
    """(score, reading, extras, tally) of the reading that scores the type highest (the first on a tie)."""
    best = None
    for reading, (scorer, tally) in enumerate(zip(scorers, tallies, strict=True)):
        extras = scorer.extras(tumor)
        score = tally.base + tally.delta.get(tumor.id, 0) + extras.amount
        if best is None or score > best[0]:
            best = (score, reading, extras, tally)
    assert best is not None
    return best


class _Likelier(dict[str, tuple[int, _Extras]]):
    """Type id -> the reading whose prior, hormone status and syndrome amounts are the highest (the first on a tie)."""

    def add(self, tumor: TumorType, scorers: Sequence[_Scorer]) -> tuple[int, _Extras]:
        options = [scorer.extras(tumor) for scorer in scorers]
        reading = max(range(len(options)), key=lambda i: (options[i].amount, -i))
        hit = self[tumor.id] = (reading, options[reading])
        return hit


def _likelier_extras(scorers: Sequence[_Scorer]) -> _Likelier:
    """The per-type choice of reading when both readings count the findings alike (kept per knowledge base)."""
    query = scorers[0].query
    return scorers[0].ev.memo.setdefault(("likelier", query.functional, query.syndrome), _Likelier())  # type: ignore[return-value]


def _ties_by_name(rows: list[_Row], name_rank: dict[str, int], touched: set[str]) -> list[_Row]:
    """Sorted rows with each group of untouched types split into single types where it ties with another row."""
    out: list[_Row] = []
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and rows[end].minus_score == rows[start].minus_score:
            end += 1
        run = rows[start:end]
        if len(run) > 1 and any(len(row.members) > 1 for row in run):
            singles = [row._replace(name_rank=name_rank[t.id], members=[t], count=1)
                       for row in run for t in row.members if len(row.members) == 1 or t.id not in touched]
            out.extend(sorted(singles))
        else:
            out.extend(run)
        start = end
    return out


def _points_to(contributions: Sequence[Contribution]) -> bool:
    """A linked finding that raises the odds, or hormone status / a syndrome that raises them notably."""
    return any((c.kind == "finding" and c.points > 0) or (c.kind in ("functional", "syndrome")
                                                          and c.ratio > NOTABLE_RATIO) for c in contributions)
