"""Red flags catch the dangerous presentations they are written for, and not their near misses.

The pictures are data (tests/data/red_flag_pictures.yaml): for each flag, findings that must fire it and a near
miss that must not. Every flag that fires also says how soon and what to do, with sources.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from checker import Query, load_knowledge, rank
from checker.model import URGENCIES
from tests.conftest import RULES

KB = load_knowledge(RULES)
PICTURES = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "red_flag_pictures.yaml").read_text())


def _fired(findings: list[str]) -> set[str]:
    return {hit.flag.id for hit in rank(KB, Query(present=tuple(findings))).red_flags}


def test_each_flag_fires_for_its_picture_and_not_for_its_near_miss() -> None:
    problems = []
    for row in PICTURES:
        if row["flag"] not in _fired(row["fires"]):
            problems.append(f"{row['flag']} does not fire for {row['fires']}")
        if row["flag"] in _fired(row["does_not_fire"]):
            problems.append(f"{row['flag']} fires for the near miss {row['does_not_fire']}")
    assert not problems, "\n".join(problems)


def test_every_flag_has_urgency_action_and_sources() -> None:
    for flag in KB.red_flags.values():
        assert flag.urgency in URGENCIES and flag.action and flag.sources, flag.id


def test_the_audited_emergencies_fire_an_emergency() -> None:
    emergencies = {
        ("low-blood-pressure", "confusion"),
        ("confusion",),
        ("low-blood-pressure", "wheezing"),
        ("low-blood-pressure", "rapid-heartbeat"),
        ("low-potassium", "palpitations"),
        ("high-calcium", "vomiting", "dehydration"),
        ("high-blood-glucose", "increased-thirst", "frequent-urination", "vomiting"),
        ("low-blood-pressure", "vomiting", "confusion"),
        ("headache", "vomiting", "confusion"),
    }
    for findings in emergencies:
        urgencies = {h.flag.urgency for h in rank(KB, Query(present=findings)).red_flags}
        assert "emergency" in urgencies, findings


def test_the_urgent_and_referral_pictures_fire_at_their_level() -> None:
    for findings, urgency in (
        (("diarrhea", "dehydration"), "urgent"),
        (("swollen-painful-leg",), "urgent"),
        (("shortness-of-breath", "ankle-swelling"), "urgent"),
        (("low-potassium", "weakness"), "urgent"),
        (("fast-growing-skin-nodule",), "soon"),
        (("thyroid-lump", "hoarseness"), "soon"),
        (("weight-loss", "lump"), "soon"),
    ):
        assert urgency in {h.flag.urgency for h in rank(KB, Query(present=findings)).red_flags}, findings
