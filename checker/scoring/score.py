"""The scoring formula, once: every amount a query gives every condition, as whole centi-points in arrays.

The ranking sums these arrays; a card reads its own column of the same arrays, so a card's contributions add up
to the score it was ranked by. Method and worked example: README, "How the scoring works".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from checker.model import KnowledgeBase
from checker.scoring.constants import centi, log2_points
from checker.scoring.index import Evidence, Ints, Mode, ScoringIndex, index_of, link_probability
from checker.scoring.query import Query


@dataclass(frozen=True)
class Picture:
    """A hormone syndrome's features among the reported findings, counted once for each of its causes."""

    syndrome: str
    members: NDArray[np.bool_]
    """(counted findings x conditions): the findings that are part of the picture for each condition."""
    adjustment: Ints
    """Per condition: what counting the picture once takes off the features' sum (0 or less)."""


@dataclass(frozen=True)
class Breakdown:
    """Every amount of one query, read one way (`mode`), for every condition (columns)."""

    mode: Mode
    """'base' (links among everyone with the condition) or 'functional' (among people with its hormone syndrome)."""
    reading: bool
    """Hormone status not given, and this is the reading 'with its hormone syndrome'."""
    present: tuple[str, ...]
    """The reported findings that count (one implied by a narrower reported finding is left out)."""
    implied: tuple[str, ...]
    findings: Ints
    imputed: dict[tuple[int, int], Evidence]
    """(row, condition) -> the syndrome row a cause's unlinked picture feature was counted through."""
    absent_ids: tuple[str, ...]
    absent: Ints
    pictures: tuple[Picture, ...]
    status: Ints
    syndrome: str | None
    """The inherited syndrome reported, if any."""
    hereditary: Ints
    context_items: tuple[str, ...]
    context_given: tuple[bool, ...]
    """Per context item: whether it was given as holding (True) or ruled out (False)."""
    context: Ints
    prior: Ints
    dropped: NDArray[np.bool_]
    """Ruled out by the context (a context item it always has was ruled out)."""

    @cached_property
    def total(self) -> Ints:
        out = self.prior + self.status + self.hereditary
        out = out + self.findings.sum(axis=0) + self.absent.sum(axis=0) + self.context.sum(axis=0)
        for picture in self.pictures:
            out = out + picture.adjustment
        return out

    @property
    def fit(self) -> Ints:
        """The score without the prior: how well the findings (and status, syndrome, context) fit."""
        return self.total - self.prior


def counted(index: ScoringIndex, present: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reported findings that count, and those implied by a narrower reported one (watery diarrhea implies
    diarrhea: the general finding adds nothing more)."""
    implied = {general for s in present for general in index.chains[s][1:] if general in present}
    return tuple(s for s in present if s not in implied), tuple(s for s in present if s in implied)


def breakdown(kb: KnowledgeBase, query: Query, mode: Mode, reading: bool = False) -> Breakdown:
    """Every amount for every condition, for one reading of the hormone status."""
    index = index_of(kb)
    n = index.n
    present, implied = counted(index, query.present)
    findings = _stack([index.present_points(mode, s) for s in present], n)
    imputed = _picture_features(index, present, findings, mode)
    absent = _stack([index.absent_points(s) for s in query.absent], n)
    pictures = tuple(_pictures(index, present, findings, mode))
    status = _status(index, query.functional, reading)
    hereditary = _hereditary(index, query.syndrome)
    items, context, dropped = _context(index, query)
    answers = query.context_answers()
    return Breakdown(
        mode,
        reading,
        present,
        implied,
        findings,
        imputed,
        query.absent,
        absent,
        pictures,
        status,
        query.syndrome if query.syndrome in kb.hereditary else None,
        hereditary,
        items,
        tuple(answers[i] for i in items),
        context,
        index.prior,
        dropped,
    )


def _picture_features(
    index: ScoringIndex, present: tuple[str, ...], findings: Ints, mode: Mode
) -> dict[tuple[int, int], Evidence]:
    """With the hormone syndrome present and two or more features of its picture reported, a cause that does not link
    one of them counts it as the tables describe it among people with the syndrome (`picture_feature`). Changes
    `findings` in place; returns what was counted that way, for the cards."""
    imputed: dict[tuple[int, int], Evidence] = {}
    if mode != "functional" or len(present) < 2:
        return imputed
    for syndrome in index.syndrome_order:
        group = index.syndromes[syndrome]
        rows = [i for i, s in enumerate(present) if s in group.features]
        if len(rows) < 2:
            continue
        for position in group.causes:
            if position >= index.n_types:
                continue
            for i in rows:
                symptom = present[i]
                if position in index.present_rows(mode, symptom) or (i, position) in imputed:
                    continue
                evidence = index.picture_feature(syndrome, symptom)
                if evidence is not None:
                    findings[i, position] = centi(log2_points(evidence.p / index.background[symptom]))
                    imputed[(i, position)] = evidence
    return imputed


def _stack(rows: list[Ints], n: int) -> Ints:
    return np.vstack(rows) if rows else np.zeros((0, n), dtype=np.int64)  # a copy: safe to change in place


def _pictures(index: ScoringIndex, present: tuple[str, ...], findings: Ints, mode: Mode) -> list[Picture]:
    """For each hormone syndrome with reported features: per condition, its features count together at most as
    much as the picture itself says about the condition, and never less than the strongest of them alone.

    For a cause the cap is log2(P(syndrome | condition) / P(picture | no listed condition)) (`cause_caps`); for
    any other condition the picture is at most as common as its commonest reported feature of it, so the cap is
    that feature's points plus log2(its background / the picture's background) (`picture_shift`).
    """
    if not present:
        return []
    groups = np.vstack([index.picture_groups(s) for s in present])
    positive = np.maximum(findings, 0)
    out = []
    for g in np.unique(groups[groups >= 0]):
        syndrome = index.syndrome_order[int(g)]
        members = (groups == g) & (positive > 0)
        counted = members.any(axis=0)
        if not counted.any():
            continue
        shift = np.array([[index.picture_shift(syndrome, s)] for s in present], dtype=np.int64)
        derived = np.where(members, findings + shift, np.iinfo(np.int64).min).max(axis=0)
        caps = index.cause_caps(syndrome, mode)
        cap = np.where(index.cause_mask(syndrome), caps, derived)
        cap = np.maximum(cap, np.where(members, positive, 0).max(axis=0))
        adjustment = np.where(counted, np.minimum(0, cap - np.where(members, positive, 0).sum(axis=0)), 0)
        out.append(Picture(syndrome, members, adjustment.astype(np.int64)))
    return out


def _status(index: ScoringIndex, functional: str, reading: bool) -> Ints:
    """Hormone status for each NET type (look-alikes: 0). Reported: log2(P(status | type) / P(status | any NET));
    not given: 0, or log2(share) in the reading 'with its hormone syndrome'. Kept per knowledge base."""
    return index.memo(("status", functional, reading), lambda: _status_row(index, functional, reading))


def _status_row(index: ScoringIndex, functional: str, reading: bool) -> Ints:
    out = np.zeros(index.n, dtype=np.int64)
    reference = index.functional_reference
    for position, share in enumerate(index.share):
        if functional == "functional":
            ratio = share / reference
        elif functional == "nonfunctional":
            ratio = (1 - share) / (1 - reference)
        elif reading:
            ratio = share
        else:
            continue
        out[position] = centi(log2_points(ratio))
    return out


def _hereditary(index: ScoringIndex, syndrome: str | None) -> Ints:
    """An inherited syndrome: log2(share of people with the type who have it / its population prevalence)."""
    out = np.zeros(index.n, dtype=np.int64)
    hereditary = index.kb.hereditary.get(syndrome) if syndrome else None
    if hereditary is None:
        return out
    prevalence = index.hereditary_prevalence[hereditary.id]
    for raised in hereditary.raises:
        position = index.position[("type", raised.type)]
        out[position] = centi(log2_points(link_probability(raised.frequency, prevalence) / prevalence))
    return out


def _context(index: ScoringIndex, query: Query) -> tuple[tuple[str, ...], Ints, NDArray[np.bool_]]:
    """Each context item given: log2(P(item | condition) / its population rate) when it holds, log2 of the
    complements when it does not; a condition that always has the item drops out when it does not hold."""
    answers = query.context_answers()
    items = tuple(item for item in sorted(answers) if item in index.context_links)
    rows = np.zeros((len(items), index.n), dtype=np.int64)
    dropped = np.zeros(index.n, dtype=bool)
    population = index.kb.population
    for row, item in enumerate(items):
        rate = population[item].rate
        for position, link in index.context_links[item].items():
            p = link_probability(link.frequency, rate)
            if answers[item]:
                rows[row, position] = centi(log2_points(p / rate))
            elif link.frequency == "obligate":
                dropped[position] = True
            else:
                rows[row, position] = centi(log2_points((1 - p) / (1 - rate)))
    return items, rows, dropped


def readings(kb: KnowledgeBase, query: Query) -> tuple[Breakdown, ...]:
    """The breakdowns a query is scored by: one when the hormone status is given; with it not given, the findings
    read among everyone with each type and, for NET types, among those with its hormone syndrome (weighted by the
    share who have it). Each type keeps the likelier reading; on a tie, the first (among everyone)."""
    if query.functional == "functional":
        return (breakdown(kb, query, "functional"),)
    if query.functional == "nonfunctional":
        return (breakdown(kb, query, "base"),)
    return breakdown(kb, query, "base"), breakdown(kb, query, "functional", reading=True)
