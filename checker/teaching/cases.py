"""A teaching case as an opaque link code and as an engine query."""

from __future__ import annotations

import base64
import hashlib

from checker.model import Case, KnowledgeBase
from checker.scoring import Query
from checker.scoring.query import age_band

CASE_CODE_PREFIX = "c"


def case_code(case_id: str) -> str:
    """An opaque code for a case in a link: stable, short, and naming neither the case nor its answer."""
    digest = hashlib.sha256(f"net-checker case {case_id}".encode()).digest()
    return CASE_CODE_PREFIX + base64.b32encode(digest)[:8].decode().lower()


def case_from_link(kb: KnowledgeBase, raw: str) -> str | None:
    """The case id a link's ``case`` value stands for: its opaque code, or (older links) the case id; else None."""
    wanted = raw.strip().lower()
    codes = {case_code(case_id): case_id for case_id in kb.cases}
    if wanted in codes:
        return codes[wanted]
    return wanted if wanted in kb.cases else None


def case_query(case: Case, revealed: int | None = None) -> Query:
    """The engine query for a case with its first `revealed` findings (all when None)."""
    findings = case.findings if revealed is None else case.findings[:revealed]
    return Query(
        present=findings,
        absent=case.absent,
        functional=case.functional,
        syndrome=case.syndrome,
        age=age_band(case.age),
        sex=case.sex,
        history=case.history,
        no_history=case.no_history,
    )
