"""README's table of the rule tables is the one scripts/fields_table.py prints from the row dataclasses."""

from __future__ import annotations

import runpy

from tests.conftest import ROOT


def test_readme_table_is_the_generated_one() -> None:
    table = runpy.run_path(str(ROOT / "scripts" / "fields_table.py"))["fields_table"]()
    assert table.splitlines()[3] == (
        "| `symptoms.yaml` | A finding a user can report: lay and clinical labels, search "
        "synonyms, body-system group, HPO term. | `id`, `label`, `clinical`, `group`, "
        "`synonyms`, `hpo`, `hpo_name`, `also_hpo`, `refines`, `sources`, `nonspecific`, "
        "`background`, `share` |"
    )
    assert len(table.splitlines()) == 15
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), "run scripts/fields_table.py and paste its table"
