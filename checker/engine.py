"""The ranking: NET types and common look-alikes scored with log2 likelihood ratios, best first.

The amounts come from `checker.amounts`: the ranking sums them per type as whole numbers over every type at
once, and each card's labelled contributions are made from the same tables when the card is first read.
Labels follow the rules in `checker.labels`. Method and worked example: README, "How the scoring works".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from checker.amounts import Contribution, Ints, Query, Scorer, Tally, notable
from checker.errors import QueryError
from checker.evidence import ExpectedFinding
from checker.labels import STRENGTHS, centi, fits_as_well, monotone, points_to, raw_levels
from checker.model import QUERY_STATUSES, KnowledgeBase, Mimic, RedFlag, TumorType

__all__ = ["Candidate", "Contribution", "ExpectedFinding", "MimicCandidate", "Query", "Ranking", "RedFlagHit", "Result",
           "check_query", "rank"]

T = TypeVar("T")


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


class Ranking(Sequence[Candidate]):
    """The ranked NET types; each Candidate and its contributions are made when first read (most readers look at
    the top few), from the same tables the scores were tallied from."""

    def __init__(self, kb: KnowledgeBase, order: Ints, score: Ints, levels: Ints, reading: Ints,
                 explained: NDArray[np.bool_], explained_by: str | None, covered: frozenset[str],
                 scorers: Sequence[Scorer]) -> None:
        """order: type positions (name order) best first; the other arrays by position, `levels` by rank."""
        self._types = kb.evidence.types_by_name
        self._expected = kb.evidence.expected
        self._order, self._score, self._levels, self._reading = order, score, levels, reading
        self._explained, self._explained_by = explained, explained_by
        self._covered = covered
        self._scorers = scorers
        self._made: dict[int, Candidate] = {}

    def _make(self, index: int) -> Candidate:
        made = self._made.get(index)
        if made is None:
            position = int(self._order[index])
            tumor = self._types[position]
            scorer = self._scorers[int(self._reading[position])]
            extras = scorer.extras(tumor)
            parts = (extras.before, tuple(scorer.findings(("type", tumor.id))), extras.after)
            made = self._made[index] = _built(Candidate, {
                "score": int(self._score[position]) / 100, "strength": STRENGTHS[self._levels[index]],
                "parts": parts, "expected": self._expected[("type", tumor.id)], "covered": self._covered,
                "type": tumor, "explained_by": self._explained_by if self._explained[position] else None})
        return made

    def __len__(self) -> int:
        return len(self._order)

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


def fit_of(kb: KnowledgeBase, score: float, contributions: Sequence[Contribution]) -> tuple[int, int, int, bool]:
    """What a row's label depends on, read off its contributions: the arguments of `raw_levels`."""
    pointing = [c for c in contributions if c.kind == "finding" and c.points > 0]
    return (centi(score), len(pointing),
            sum(1 for c in pointing if c.symptom and not kb.symptoms[c.symptom].nonspecific),
            notable(contributions))


def _built(cls: type[T], fields: dict[str, object]) -> T:
    """A frozen result row made without its per-field __setattr__ calls (a reader may walk thousands)."""
    row = object.__new__(cls)
    row.__dict__.update(fields)
    return row


def _scored_mimics(kb: KnowledgeBase, scorer: Scorer) -> list[MimicCandidate]:
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
            rows.append((-sum(centi(c.points) for c in contributions), len(rows), mimic, contributions))
    rows.sort(key=lambda row: row[:2])
    fits = np.array([fit_of(kb, -score / 100, contributions) for score, _, _, contributions in rows],
                    dtype=np.int64).reshape(-1, 4)
    levels = monotone(raw_levels(*fits.T), points_to(fits[:, 1], fits[:, 3]))
    return [MimicCandidate(-score / 100, STRENGTHS[level], (contributions[:1], contributions[1:]),
                           ev.expected[("mimic", mimic.id)], scorer.covered, mimic=mimic)
            for (score, _, mimic, contributions), level in zip(rows, levels, strict=True)]


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """NET types and look-alikes, each best first (ties by name), with the red flags the query triggers."""
    check_query(kb, query)
    ev = kb.evidence
    if query.functional == "unknown":  # read the findings both ways; each type keeps the likelier reading
        scorers = [Scorer(kb, query, "nonfunctional"), Scorer(kb, query, "functional")]
    else:
        scorers = [Scorer(kb, query)]
    mimics = _scored_mimics(kb, scorers[0])
    best = max(mimics, key=lambda m: m.evidence, default=None)
    best_fit = fit_of(kb, best.score, best.contributions) if best is not None else None
    best_evidence = centi(best.evidence) if best_fit is not None and (best_fit[1] or best_fit[3]) else None
    # both readings count the findings alike unless a reported finding has a class of its own among hormone syndromes
    tallies = [scorers[0].tally()]
    if len(scorers) > 1:
        tallies.append(tallies[0] if not any(s in ev.mode_sensitive for s in query.present) else scorers[1].tally())
    score, pointing, specific, notable, prior, reading = _likelier_reading(scorers, tallies)
    pointed = points_to(pointing, notable)
    explained = pointed & fits_as_well(score - prior, best_evidence)
    own = raw_levels(score, pointing, specific, notable)
    own[(own == 3) & explained] = 2  # a look-alike explains the findings at least as well: not 'strong'
    order = np.argsort(-score, kind="stable")  # types stand in name order: equal scores stay in name order
    levels = monotone(own[order], pointed[order])
    candidates = Ranking(kb, order, score, levels, reading, explained, best.id if best is not None else None,
                         scorers[0].covered, scorers)
    present = frozenset(query.present)
    flags = [RedFlagHit(flag, hits) for flag in kb.red_flags.values() if (hits := flag.triggered_by(present))]
    return Result(query, candidates, tuple(mimics), tuple(flags))


def _likelier_reading(scorers: Sequence[Scorer], tallies: Sequence[Tally]) -> tuple[Ints, ...]:
    """Per type (arrays in name order): score, pointing, specific, notable, prior and the reading they come from,
    taking the reading of the hormone status that scores the type highest (the first on a tie)."""
    readings = []
    for scorer, tally in zip(scorers, tallies, strict=True):
        extras = scorer.extras_table()
        readings.append((tally.score + extras.amount, tally.pointing, tally.specific, extras.notable, extras.prior))
    first = readings[0]
    if len(readings) == 1:
        return (*first, np.zeros(len(first[0]), dtype=np.int64))
    second = readings[1]
    chosen = second[0] > first[0]
    return (*(np.where(chosen, b, a) for a, b in zip(first, second, strict=True)), chosen.astype(np.int64))
