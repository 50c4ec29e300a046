"""Strength labels: what a row's evidence earns on its own, then the rules that compare it with the rest of a ranking.

Amounts here are in centi-points (hundredths of a log2 point, so 664 is 6.64 points): every contribution is
rounded to two decimals, so sums in whole centi-points are exact and do not depend on the order they are added in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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


def centi(points: float) -> int:
    """A two-decimal amount in whole centi-points."""
    return round(points * 100)


def raw_level(score: int, pointing: int, specific: int, notable: bool) -> int:
    """The label a row earns on its own, as an index into STRENGTHS, before the rules that compare it with the rest.

    score: centi-points; pointing: linked findings that raise the odds; specific: those of them that are not
    non-specific (fatigue, weight loss ...); notable: hormone status or a syndrome makes it more than
    NOTABLE_RATIO times likelier. (See `fits_as_well` for the cap the ranking adds.)
    """
    if not pointing and not notable:
        return 0
    if not specific and not notable and pointing <= 1:
        return 1  # one non-specific finding alone never earns more
    if score >= STRONG and pointing >= STRONG_MIN_FINDINGS:
        return 3
    if score >= MODERATE:
        return 2
    return 1


def fits_as_well(evidence: int, best_mimic_evidence: int | None) -> bool:
    """A look-alike's findings fit at least as well as the row's (evidence: the score without its prior).

    Where this holds for a row that something points to, the look-alike "explains" it and 'strong' falls to
    'moderate'.
    """
    return best_mimic_evidence is not None and best_mimic_evidence >= evidence


def monotone(levels: Sequence[int], floors: Sequence[int]) -> list[int]:
    """Levels in ranking order made to never rise as the score falls, and never 'none' above a pointed row.

    floors: 1 where something points to the row (it is never 'none'), else 0.
    """
    out = list(levels)
    for i in range(1, len(out)):  # walking down the ranking, a label may only stay or fall...
        out[i] = max(min(out[i], out[i - 1]), floors[i])
    for i in range(len(out) - 2, -1, -1):  # ...and a row above one that something points to is not 'none'
        if out[i] == 0 and out[i + 1] > 0:
            out[i] = out[i + 1]
    return out
