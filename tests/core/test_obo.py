"""checker.obo: the OBO reader that both the snapshot build and the engine benchmark use."""

from __future__ import annotations

from pathlib import Path

from checker.obo import parse_obo

OBO = """format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
is_a: HP:0000001 ! All

[Term]
id: HP:0001943
name: Hypoglycemia
alt_id: HP:0001985
is_a: HP:0000118 ! Phenotypic abnormality
is_a: HP:0000001 ! All

[Term]
id: HP:0000002
name: obsolete Abnormality of body height
is_obsolete: true
replaced_by: HP:0000118

[Typedef]
id: part_of
name: part of
is_a: HP:0000001
"""


def test_parse_obo_reads_terms_edges_alternatives_and_release(tmp_path: Path) -> None:
    path = tmp_path / "hp.obo"
    path.write_text(OBO, encoding="utf-8")
    onto = parse_obo(path)
    assert onto.release == "2025-01-16"
    assert onto.names == {
        "HP:0000001": "All",
        "HP:0000118": "Phenotypic abnormality",
        "HP:0001943": "Hypoglycemia",
        "HP:0000002": "obsolete Abnormality of body height",
    }
    assert onto.parents == {
        "HP:0000001": [],
        "HP:0000118": ["HP:0000001"],
        "HP:0001943": ["HP:0000118", "HP:0000001"],
        "HP:0000002": [],
    }
    assert onto.children == {"HP:0000001": ["HP:0000118", "HP:0001943"], "HP:0000118": ["HP:0001943"]}
    assert onto.alt_of == {"HP:0001985": "HP:0001943"}
    assert onto.obsolete == {"HP:0000002"}
    assert onto.replaced_by == {"HP:0000002": "HP:0000118"}
