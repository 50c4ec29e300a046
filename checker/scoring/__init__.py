"""Scoring: log2 likelihood ratios against people with none of the listed conditions, hormone syndromes counted
once, context, and fit labels. `rank` is the entry point; constants live in `checker.scoring.constants`."""

from checker.scoring.index import ExpectedFinding, index_of
from checker.scoring.query import Contribution, Query, age_band
from checker.scoring.ranking import (
    Candidate,
    MimicCandidate,
    Ranking,
    RedFlagHit,
    Result,
    RuledOut,
    check_query,
    rank,
)

__all__ = [
    "Candidate",
    "Contribution",
    "ExpectedFinding",
    "MimicCandidate",
    "Query",
    "Ranking",
    "RedFlagHit",
    "Result",
    "RuledOut",
    "age_band",
    "check_query",
    "index_of",
    "rank",
]
