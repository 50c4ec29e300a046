"""Resolve HPO term ids given on the command line to checker symptoms through the snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from checker.ids import HPO_PATTERN as HPO_ID
from checker.model import KnowledgeBase


@dataclass(frozen=True)
class HpoResolution:
    mapped: dict[str, str]
    """HPO id -> symptom id."""
    unmapped: list[dict[str, str]]
    """Ids that resolve to no symptom, each with the reason."""
    notes: dict[str, str]
    """HPO id -> how it was resolved (self, ancestor ..., related through ...)."""


def resolve_hpo(kb: KnowledgeBase, ids: list[str]) -> HpoResolution:
    mapped: dict[str, str] = {}
    unmapped: list[dict[str, str]] = []
    notes: dict[str, str] = {}
    for raw in ids:
        hpo_id = raw.strip().upper().replace("HP_", "HP:")
        term = kb.snapshot.terms.get(hpo_id) if HPO_ID.match(hpo_id) else None
        if term is None:
            reason = (
                "not an HPO id (HP: and 7 digits)"
                if not HPO_ID.match(hpo_id)
                else (f"not in the pinned HPO release {kb.snapshot.hpo_release}")
            )
            unmapped.append({"id": raw, "reason": reason})
        elif not term.symptom or term.symptom not in kb.symptoms:
            unmapped.append(
                {"id": hpo_id, "name": term.name, "reason": "no checker symptom covers this term (outside the checker's scope)"}
            )
        else:
            mapped[hpo_id] = term.symptom
            notes[hpo_id] = f"{term.name} -> {term.symptom} ({term.via}, distance {term.distance})"
    return HpoResolution(mapped, unmapped, notes)
