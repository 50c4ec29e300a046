"""Strength labels: what a row's evidence earns on its own, then the rules that compare it with the rest of a ranking.

Amounts here are in centi-points (hundredths of a log2 point, so 664 is 6.64 points): every contribution is
rounded to two decimals, so sums in whole centi-points are exact and do not depend on the order they are added in.
The rules work on whole rankings at once (numpy arrays, one entry per row, in ranking order where it matters).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

STRENGTHS = ("none", "weak", "moderate", "strong")
"""Labels, weakest first; a level is an index into this tuple."""
STRONG_BITS = round(math.log2(100), 2)
"""'strong': 6.64 points, the evidence makes it at least 100x more likely than the average alternative..."""
STRONG_MIN_FINDINGS = 2
"""...with at least two findings pointing to it."""
MODERATE_BITS = round(math.log2(10), 2)
"""'moderate': 3.32 points, at least 10x. 'weak': anything that points to it."""
NOTABLE_RATIO = 1.25
"""Hormone status or a syndrome 'points to' a type when it makes it more than 1.25x likelier ('hardly changes' below)."""

STRONG = round(STRONG_BITS * 100)
MODERATE = round(MODERATE_BITS * 100)

Levels = NDArray[np.int64]


def centi(points: float) -> int:
    """A two-decimal amount in whole centi-points."""
    return round(points * 100)


def points_to(pointing: ArrayLike, notable: ArrayLike) -> NDArray[np.bool_]:
    """A linked finding that raises the odds, or hormone status / a syndrome that raises them notably."""
    return (np.asarray(pointing) > 0) | np.asarray(notable, dtype=bool)


def raw_levels(score: ArrayLike, pointing: ArrayLike, specific: ArrayLike, notable: ArrayLike) -> Levels:
    """The label each row earns on its own, as an index into STRENGTHS, before the rules that compare rows.

    score: centi-points; pointing: linked findings that raise the odds; specific: those of them that are not
    non-specific (fatigue, weight loss ...); notable: hormone status or a syndrome makes it more than
    NOTABLE_RATIO times likelier. (See `fits_as_well` for the cap the ranking adds.)
    """
    score, pointing, specific = np.asarray(score), np.asarray(pointing), np.asarray(specific)
    notable = np.asarray(notable, dtype=bool)
    level = np.where(score >= MODERATE, 2, 1)
    level = np.where((score >= STRONG) & (pointing >= STRONG_MIN_FINDINGS), 3, level)
    level = np.where((specific == 0) & ~notable & (pointing <= 1), 1, level)  # one non-specific finding alone
    return np.where(points_to(pointing, notable), level, 0).astype(np.int64)


def fits_as_well(evidence: ArrayLike, best_mimic_evidence: int | None) -> NDArray[np.bool_]:
    """A look-alike's findings fit at least as well as the row's (evidence: the score without its prior).

    Where this holds for a row that something points to, the look-alike "explains" it and 'strong' falls to
    'moderate'.
    """
    if best_mimic_evidence is None:
        return np.zeros(np.shape(evidence), dtype=bool)
    return best_mimic_evidence >= np.asarray(evidence)


def monotone(levels: ArrayLike, floors: ArrayLike) -> Levels:
    """Levels in ranking order made to never rise as the score falls, and never 'none' above a pointed row.

    floors: 1 where something points to the row (it is never 'none'), else 0; a row's own level is 0 exactly
    where its floor is 0. Walking down, a label may only stay or fall, but not below its floor; then a row
    above one that something points to is lifted from 'none'.
    """
    levels, floors = np.asarray(levels, dtype=np.int64), np.asarray(floors, dtype=np.int64)
    if not levels.size:
        return levels
    falling = np.minimum.accumulate(levels)
    # once the running minimum has reached 'none', each row keeps just its floor: 'weak' if pointed, else 'none'
    out = np.where(falling > 0, falling, floors)
    pointed = np.flatnonzero(out)
    if pointed.size:
        above = out[: pointed[-1]]
        above[above == 0] = 1  # only 'weak' rows follow a 'none' one
    return out
