"""The ranking: NET types and common look-alikes, each scored by `checker.scoring.score`, best first.

A row's score is its prior plus its fit; its label is its fit alone (`checker.scoring.labels`). Rows that nothing
reported points to come after every row that something points to, labelled 'none'.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, overload

import numpy as np
from numpy.typing import NDArray

from checker.errors import QueryError
from checker.model import AGE_BANDS, QUERY_STATUSES, SEXES, KnowledgeBase, Mimic, RedFlag, TumorType
from checker.scoring.constants import STRENGTHS, Strength, centi
from checker.scoring.contributions import Parts, Pictures, column
from checker.scoring.index import ExpectedFinding, Ints, ScoringIndex, index_of
from checker.scoring.labels import NOTABLE, fit_levels, fits_as_well, nearly_explained, outfitted, points_to
from checker.scoring.query import Contribution, Query
from checker.scoring.score import Breakdown, readings


@dataclass(frozen=True)
class _Scored:
    """What NET types and look-alikes share: a score that is the sum of its contributions, and a fit label."""

    score: float
    strength: Strength
    fit: float
    """The score without the prior: how well what was reported fits (what the label says)."""
    expected: tuple[ExpectedFinding, ...] = field(repr=False, compare=False, default=())
    covered: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    made_from: tuple[ScoringIndex, Breakdown, int] | None = field(repr=False, compare=False, default=None)
    """The breakdown column the contributions are read from when first asked for."""

    @cached_property
    def _column(self) -> tuple[Parts, Pictures]:
        assert self.made_from is not None
        return column(*self.made_from)

    @property
    def parts(self) -> Parts:
        """The contributions in runs (prior, findings, then status, syndrome and context)."""
        return self._column[0]

    @property
    def pictures(self) -> Pictures:
        """Per hormone syndrome picture among the findings: (syndrome name, its findings, the other findings that
        point here)."""
        return self._column[1]

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
        return tuple(c for c in self.contributions if c.kind == "finding" and c.points > 0)

    @property
    def against(self) -> tuple[Contribution, ...]:
        """Amounts that count against it (a reading of an unknown hormone status is neutral, not against)."""
        return tuple(c for c in self.contributions if c.points < 0 and c.kind not in ("prior", "reading", "picture"))

    @property
    def modifiers(self) -> tuple[Contribution, ...]:
        """Everything that is not a finding and does not count against (prior, hormone status, syndrome...)."""
        return tuple(
            c for c in self.contributions if c.kind not in ("finding", "unexplained", "implied") and c not in self.against
        )

    @property
    def evidence(self) -> float:
        return self.fit


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
class RuledOut:
    """A condition the context rules out (it always comes with a context item that was ruled out)."""

    kind: Literal["type", "mimic"]
    id: str
    name: str
    items: tuple[str, ...]


class Ranking(Sequence[Candidate]):
    """The ranked NET types; each Candidate is made when first read, from the breakdown it was ranked by."""

    def __init__(
        self,
        index: ScoringIndex,
        order: Ints,
        levels: Ints,
        chosen: Sequence[Breakdown],
        explained: NDArray[np.bool_],
        explained_by: str | None,
        covered: frozenset[str],
    ) -> None:
        self._index, self._order, self._levels, self._chosen = index, order, levels, chosen
        self._explained, self._explained_by, self._covered = explained, explained_by, covered
        self._made: dict[int, Candidate] = {}

    def _make(self, rank: int) -> Candidate:
        made = self._made.get(rank)
        if made is None:
            position = int(self._order[rank])
            b = self._chosen[position]
            total = int(b.total[position])
            made = self._made[rank] = Candidate(
                total / 100,
                STRENGTHS[self._levels[position]],
                (total - int(b.prior[position])) / 100,
                self._index.expected[position],
                self._covered,
                (self._index, b, position),
                type=self._index.types[position],
                explained_by=self._explained_by if self._explained[position] else None,
            )
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
    ruled_out: tuple[RuledOut, ...] = ()


def check_query(kb: KnowledgeBase, query: Query) -> None:
    """Raise QueryError naming every id or value the knowledge base does not have."""
    problems = []
    for kind, ids in (("symptom", query.present), ("absent symptom", query.absent)):
        unknown = [s for s in ids if s not in kb.symptoms]
        if unknown:
            problems.append(f"unknown {kind} id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    if query.functional not in QUERY_STATUSES:
        problems.append(f"functional must be one of {', '.join(QUERY_STATUSES)}, not '{query.functional}'")
    if query.syndrome is not None and query.syndrome not in kb.hereditary:
        problems.append(f"unknown hereditary syndrome '{query.syndrome}' (known: {', '.join(kb.hereditary)})")
    if query.age is not None and query.age not in AGE_BANDS:
        problems.append(f"age must be years (0-120) or one of {', '.join(AGE_BANDS)}, not '{query.age}'")
    if query.sex is not None and query.sex not in SEXES:
        problems.append(f"sex must be one of {', '.join(SEXES)}, not '{query.sex}'")
    history = [i for i in kb.population.values() if i.kind == "history"]
    unknown = [h for h in (*query.history, *query.no_history) if h not in {i.id for i in history}]
    if unknown:
        problems.append(
            f"unknown history item{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} "
            f"(known: {', '.join(i.id for i in history)})"
        )
    if problems:
        raise QueryError("; ".join(problems))


def rank(kb: KnowledgeBase, query: Query) -> Result:
    """NET types and look-alikes, each best first (ties by name), with the red flags the query triggers."""
    check_query(kb, query)
    index = index_of(kb)
    options = readings(kb, query)
    totals = [b.total for b in options]
    choice = np.zeros(index.n, dtype=np.int64)
    if len(options) > 1:
        choice[: index.n_types] = (totals[1][: index.n_types] > totals[0][: index.n_types]).astype(np.int64)
    chosen = [options[int(c)] for c in choice]
    columns = np.arange(index.n)
    total = np.choose(choice, totals)
    fit = total - index.prior
    findings = [b.findings for b in options]
    pointing_rows = [f > 0 for f in findings]
    pointing = np.choose(choice, [p.sum(axis=0) for p in pointing_rows])
    specific_mask = np.array([not kb.symptoms[s].nonspecific for s in options[0].present], dtype=bool)
    specific = np.choose(
        choice, [p[specific_mask].sum(axis=0) if p.size else np.zeros(index.n, dtype=np.int64) for p in pointing_rows]
    )
    notable = np.choose(choice, [_notable(b, query.functional == "functional") for b in options]).astype(bool)
    chosen_findings = np.choose(choice, findings) if options[0].present else findings[0]
    tells = _tells_apart(index, chosen_findings, {p: set(s) for p, s in index.siblings.items()})
    levels = fit_levels(fit, pointing, specific, notable, tells)
    pointed = points_to(pointing, notable)
    dropped = options[0].dropped
    listed_types = pointed & ~dropped
    listed_types[index.n_types :] = False
    levels[(levels == 3) & outfitted(fit, listed_types)] = 2

    covered = _covered(index, query)
    mimic_positions = _listed_mimics(index, options[0], dropped)
    mimic_positions = [p for p in mimic_positions if levels[p] > 0]  # a look-alike nothing points to is not listed
    mimics = _mimic_rows(index, options[0], mimic_positions, total, levels, covered)
    best = max(mimics, key=lambda m: centi(m.fit), default=None)  # max keeps the first in the list on a tie
    best_fit = centi(best.fit) if best is not None and best.strength != "none" else None
    pointed_types = pointed.copy()
    pointed_types[index.n_types :] = False
    explained = pointed_types & fits_as_well(fit, best_fit)
    levels[(levels >= 2) & explained] = 1
    levels[(levels == 3) & pointed_types & nearly_explained(fit, best_fit)] = 2
    types = columns[: index.n_types][~dropped[: index.n_types]]
    order = types[np.lexsort((-total[types], ~pointed[types]))]
    candidates = Ranking(index, order, levels, chosen, explained, best.id if best is not None else None, covered)
    present = frozenset(query.present)
    flags = [RedFlagHit(flag, hits) for flag in kb.red_flags.values() if (hits := flag.triggered_by(present))]
    return Result(query, candidates, tuple(mimics), tuple(flags), _ruled_out(index, options[0], query))


def _notable(b: Breakdown, functional: bool) -> NDArray[np.bool_]:
    """Reported hormone symptoms, an inherited syndrome or a context item that holds, raising the odds notably
    (no hormone symptoms, like a ruled-out finding, never points to anything)."""
    given = [i for i, holds in enumerate(b.context_given) if holds]
    context = b.context[given].max(axis=0) if given else np.zeros(b.status.shape, dtype=np.int64)
    status = b.status if functional else np.zeros(b.status.shape, dtype=np.int64)
    return (status > NOTABLE) | (b.hereditary > NOTABLE) | (context > NOTABLE)


def _tells_apart(index: ScoringIndex, findings: Ints, competitors: dict[int, set[int]]) -> NDArray[np.bool_]:
    """Per condition: nothing to tell it from, or a reported finding points to it more than to each competitor."""
    out = np.ones(index.n, dtype=bool)
    for position, others in competitors.items():
        if not others:
            continue
        if not findings.size:
            out[position] = False
            continue
        mine = findings[:, position]
        best_other = findings[:, sorted(others)].max(axis=1)
        out[position] = bool(((mine > 0) & (mine > best_other)).any())
    return out


def _covered(index: ScoringIndex, query: Query) -> frozenset[str]:
    """Reported and ruled-out symptoms, plus the general symptoms that reported ones refine."""
    covered = set(query.present) | set(query.absent)
    for symptom in query.present:
        covered.update(index.chains[symptom])
    return frozenset(covered)


def _listed_mimics(index: ScoringIndex, b: Breakdown, dropped: NDArray[np.bool_]) -> list[int]:
    """Look-alikes that share a reported finding (and are not ruled out by the context), in name order."""
    shared: set[int] = set()
    for symptom in (*b.present, *b.implied):
        shared.update(p for p in index.present_rows("base", symptom) if p >= index.n_types)
    return sorted(p for p in shared if not dropped[p])


def _mimic_rows(
    index: ScoringIndex, b: Breakdown, positions: list[int], total: Ints, levels: Ints, covered: frozenset[str]
) -> list[MimicCandidate]:
    rows = []
    for position in sorted(positions, key=lambda p: -int(total[p])):  # stable: name order on ties
        rows.append(
            MimicCandidate(
                int(total[position]) / 100,
                STRENGTHS[levels[position]],
                int(total[position] - index.prior[position]) / 100,
                index.expected[position],
                covered,
                (index, b, position),
                mimic=index.mimics[position - index.n_types],
            )
        )
    return rows


def _ruled_out(index: ScoringIndex, b: Breakdown, query: Query) -> tuple[RuledOut, ...]:
    answers = query.context_answers()
    out = []
    for position in (int(p) for p in np.flatnonzero(b.dropped)):
        items = tuple(
            item
            for item, links in index.context_links.items()
            if position in links and links[position].frequency == "obligate" and answers.get(item) is False
        )
        if position < index.n_types:
            tumor = index.types[position]
            out.append(RuledOut("type", tumor.id, tumor.name, items))
        else:
            mimic = index.mimics[position - index.n_types]
            out.append(RuledOut("mimic", mimic.id, mimic.name, items))
    return tuple(out)
