"""The ranking's public names (kept for existing imports); the scoring itself lives in `checker.scoring`."""

from checker.scoring import (
    Candidate,
    Contribution,
    ExpectedFinding,
    MimicCandidate,
    Query,
    Ranking,
    RedFlagHit,
    Result,
    RuledOut,
    check_query,
    rank,
)

__all__ = ["Candidate", "Contribution", "ExpectedFinding", "MimicCandidate", "Query", "Ranking", "RedFlagHit", "Result",
           "RuledOut", "check_query", "rank"]
