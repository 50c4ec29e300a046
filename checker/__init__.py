"""Educational checker for neuroendocrine tumors: rule tables, validation, scoring engine and CLI.

It teaches how presentations map to tumor types; it does not diagnose.
"""

from checker.errors import Problem, QueryError, TableError
from checker.model import KnowledgeBase
from checker.notice import DISCLAIMER
from checker.scoring import Candidate, Contribution, ExpectedFinding, MimicCandidate, Query, RedFlagHit, Result, rank
from checker.tables import load_knowledge

__all__ = [
    "DISCLAIMER",
    "Candidate",
    "Contribution",
    "ExpectedFinding",
    "KnowledgeBase",
    "MimicCandidate",
    "Problem",
    "Query",
    "QueryError",
    "RedFlagHit",
    "Result",
    "TableError",
    "load_knowledge",
    "rank",
]
