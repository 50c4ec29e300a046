"""The poisoned rules folder of the hostile DOM sweep: every prose field of the model carries the payload, and the
tables still load (so the slow browser sweep tests hostile text, not a load error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_inputs import LINK_FORMS, PROSE_FIELDS, poison_rules

from checker.tables import load_knowledge

ROOT = Path(__file__).resolve().parents[2]


def test_prose_fields_come_from_the_model() -> None:
    assert {"tell_apart", "story", "synonyms", "aliases", "background_basis", "licence"} <= PROSE_FIELDS
    assert not {"id", "excerpt", "url", "frequency"} & PROSE_FIELDS


@pytest.mark.slow  # a fresh load of every table (about 6 s)
def test_poisoned_tables_load_with_the_payload_in_every_kind_of_prose(tmp_path: Path) -> None:
    kb = load_knowledge(poison_rules(ROOT / "rules", tmp_path / "rules"))
    tumor = next(t for t in kb.types.values() if " " in t.summary)
    symptom = next(s for s in kb.symptoms.values() if any(" " in x for x in s.synonyms))
    assert tumor.summary.endswith(LINK_FORMS)
    assert any(x.endswith(LINK_FORMS) for x in symptom.synonyms)
    assert next(iter(kb.mimics.values())).tell_apart.endswith(LINK_FORMS)
