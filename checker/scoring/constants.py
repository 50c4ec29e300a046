"""Every number the scoring reads besides the tables: class rates, thresholds and reference odds.

The About page, the README and the wording read these (nothing else states them), so a change here changes
what the tool says as well as what it computes.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from checker.model import Background, Frequency, Incidence, Prevalence

FREQUENCY_MIDPOINTS: dict[Frequency, float] = {
    "obligate": 0.99,
    "very frequent": 0.895,
    "frequent": 0.545,
    "occasional": 0.17,
    "very rare": 0.025,
}
"""P(finding | condition) for each Orphanet frequency class: the middle of the class's range (obligate is kept
off 1 so that ruling the finding out stays finite). 'excluded' is EXCLUDED_RATIO times the background rate."""

EXCLUDED_RATIO = 0.1
"""An 'excluded' link: the finding is ten times rarer with the condition than in people without any listed
condition (likelihood ratio 0.1, the usual threshold for a finding that argues strongly against)."""

BACKGROUND_RATES: dict[Background, float] = {
    "very common": 0.2,
    "common": 0.03,
    "uncommon": 0.003,
    "rare": 0.0003,
    "very rare": 0.00003,
    "extremely rare": 0.000003,
}
"""P(finding | none of the listed conditions) for each background class: about 1 in 5, 3 in 100, 3 in 1,000 ..."""

PRIOR_ODDS: dict[Prevalence, float] = {"very common": 1 / 10, "common": 1 / 100, "uncommon": 1 / 1000, "rare": 1 / 10000}
"""A representative prevalence per look-alike class; its prior is log2 of the class against 'rare' (every NET)."""

INCIDENCE_ODDS: dict[Incidence, float] = {"rare": 1e-5, "very rare": 1e-6, "extremely rare": 1e-7}
"""New cases per person per year for each NET incidence class; a type's prior is log2 of its class against
'rare' (about 1 new case per 100,000 people a year)."""

FUNCTIONAL_REFERENCE = "reference-functional-share"
"""The population.yaml row with the share of all NETs that present with a hormone syndrome: what 'hormone
symptoms reported' is compared with."""

DEFAULT_FUNCTIONAL_REFERENCE = 0.25
"""Used only by tables without that row (custom tables): a quarter of NETs functional."""

SYNDROME_PRESENT = FREQUENCY_MIDPOINTS["obligate"]
"""P(hormone syndrome | type) once hormone symptoms are reported, or in the reading 'with its syndrome'."""

STRONG_BITS = round(math.log2(100), 2)
"""'strong' fit: the findings are at least 100x likelier with the condition than without any listed condition..."""
STRONG_MIN_FINDINGS = 2
"""...with at least two findings pointing to it."""
MODERATE_BITS = round(math.log2(10), 2)
"""'moderate' fit: at least 10x. 'weak': something points to it. 'none': nothing does."""
NOTABLE_RATIO = 1.25
"""Hormone status, an inherited syndrome or a context item 'points to' a condition when it makes it more than
1.25x likelier (below that: 'hardly more or less likely')."""

STRONG = round(STRONG_BITS * 100)
MODERATE = round(MODERATE_BITS * 100)
"""The thresholds in centi-points (hundredths of a point), the unit the sums are made in."""

Strength = Literal["none", "weak", "moderate", "strong"]
STRENGTHS: tuple[Strength, ...] = get_args(Strength)
"""Fit labels, weakest first; a level is an index into this tuple."""


def centi(points: float) -> int:
    """A two-decimal amount in whole centi-points."""
    return round(points * 100)


def log2_points(ratio: float) -> float:
    """log2 of a ratio, to two decimals: the points a card shows."""
    return round(math.log2(ratio), 2)
