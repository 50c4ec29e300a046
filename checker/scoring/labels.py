"""Fit labels: how well the reported findings fit a condition, on the evidence alone (the prior left out).

Amounts are in centi-points (hundredths of a log2 point, so 664 is 6.64 points). The rules work on every
condition at once (numpy arrays, one entry per condition).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from checker.scoring.constants import MODERATE, NOTABLE_RATIO, STRONG, STRONG_MIN_FINDINGS, centi, log2_points

Levels = NDArray[np.int64]
NOTABLE = centi(log2_points(NOTABLE_RATIO))
"""Hormone status, an inherited syndrome or a context item 'points to' a condition above this (centi-points)."""


def points_to(pointing: ArrayLike, notable: ArrayLike) -> NDArray[np.bool_]:
    """A reported finding that raises the odds, or hormone status / syndrome / context that raises them notably."""
    return (np.asarray(pointing) > 0) | np.asarray(notable, dtype=bool)


def fit_levels(fit: ArrayLike, pointing: ArrayLike, specific: ArrayLike, notable: ArrayLike, tells_apart: ArrayLike) -> Levels:
    """The fit label of each condition, as an index into STRENGTHS.

    - none: nothing reported points to it;
    - strong: fit >= 6.64 points (100x) with two or more findings pointing to it, and, for a subtype, a finding
      that points to it more than to each of its sibling subtypes (`tells_apart`);
    - moderate: fit >= 3.32 points (10x);
    - weak: anything else that points to it, and always when the only finding is one non-specific finding.
    """
    fit, pointing, specific = np.asarray(fit), np.asarray(pointing), np.asarray(specific)
    notable = np.asarray(notable, dtype=bool)
    level = np.where(fit >= MODERATE, 2, 1)
    strong = (fit >= STRONG) & (pointing >= STRONG_MIN_FINDINGS) & np.asarray(tells_apart, dtype=bool)
    level = np.where(strong, 3, level)
    level = np.where((specific == 0) & ~notable & (pointing <= 1), 1, level)  # one non-specific finding alone
    return np.where(points_to(pointing, notable), level, 0).astype(np.int64)


def outfitted(fit: ArrayLike, listed_types: ArrayLike) -> NDArray[np.bool_]:
    """NET types (among `listed_types`, those something points to) that another listed type outfits by at least
    10x (MODERATE points): the findings point to that other type, so 'strong' falls to 'moderate'."""
    fit, listed_types = np.asarray(fit), np.asarray(listed_types, dtype=bool)
    if not listed_types.any():
        return np.zeros(fit.shape, dtype=bool)
    return listed_types & (fit <= fit[listed_types].max() - MODERATE)


def fits_as_well(fit: ArrayLike, best_mimic_fit: int | None) -> NDArray[np.bool_]:
    """A look-alike's findings fit at least as well as the row's: it 'explains' them, and a NET type's 'strong' or
    'moderate' falls to 'weak'."""
    if best_mimic_fit is None:
        return np.zeros(np.shape(fit), dtype=bool)
    return best_mimic_fit >= np.asarray(fit)


def nearly_explained(fit: ArrayLike, best_mimic_fit: int | None) -> NDArray[np.bool_]:
    """A look-alike's findings fit within 10x (MODERATE points) of the row's: a NET type's 'strong' falls to
    'moderate' (a common condition explains nearly as much; at least as much makes it 'weak', `fits_as_well`)."""
    return fits_as_well(np.asarray(fit) - MODERATE, best_mimic_fit)
