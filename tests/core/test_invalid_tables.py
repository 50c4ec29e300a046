"""One broken table per error kind (tests/data/invalid/TABLE__kind.yaml): exact message and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from checker import TableError, load_knowledge
from checker.cli import main
from tests.conftest import ROOT, RULES

INVALID = ROOT / "tests" / "data" / "invalid"

EXPECTED: dict[str, list[str]] = {
    "education__british_spelling.yaml": [
        "rules/education.yaml:5: text: 'tumour' is British spelling; user-facing text is American English",
    ],
    "hereditary__list_items_not_mappings.yaml": [
        "rules/hereditary.yaml:8: raises: each item needs 'type' and 'sources'",
        "rules/hereditary.yaml:10: features: expected a non-empty list of {symptom, frequency, sources}",
        "rules/hereditary.yaml:11: sources: each source note must be a mapping with at least 'source'",
    ],
    "links__alias.yaml": [
        "rules/links.yaml:13: yaml: aliases (*name) are not allowed in rule tables",
    ],
    "links__annotation_frequency_mismatch.yaml": [
        "rules/links.yaml:10: frequency: the release gives 'very frequent' for ORPHA:97279 HP:0001988, not 'occasional'",
    ],
    "links__annotation_row_missing.yaml": [
        "rules/links.yaml:9: hpo: no ORPHA:97279 row for HP:0002014 in the pinned annotation release",
    ],
    "links__bad_frequency.yaml": [
        "rules/links.yaml:5: frequency: 'sometimes' is not one of: obligate, very frequent, frequent, occasional, very rare, excluded",
    ],
    "links__bad_reviewed_date.yaml": [
        "rules/links.yaml:3: reviewed: 'last week' is not a date (YYYY-MM-DD)",
    ],
    "links__duplicate_id.yaml": [
        "rules/links.yaml:11: id: duplicate id 'insulinoma/low-blood-glucose' (first on line 2)",
    ],
    "links__duplicate_key.yaml": [
        "rules/links.yaml:6: frequency: duplicate key 'frequency' (first on line 5)",
    ],
    "links__long_excerpt.yaml": [
        "rules/links.yaml:10: excerpt: excerpt has 31 words; the limit is 30",
    ],
    "links__missing_sources.yaml": [
        "rules/links.yaml:2: sources: missing required field: every row needs at least one source note",
    ],
    "links__not_a_list.yaml": [
        "rules/links.yaml:2: file: a table must be a YAML list of rows",
    ],
    "links__orphanet_override_without_backing.yaml": [
        "rules/links.yaml:5: frequency: 'frequent' is not the most typical class of the cited annotation rows ('very frequent'); overriding Orphanet needs a 'basis' and a page or seed note with a figure or that suggests this class",
    ],
    "links__seed_note_without_section.yaml": [
        "rules/links.yaml:8: section: a seed note needs the section it stands in",
    ],
    "links__syndrome_feature_without_note.yaml": [
        "rules/links.yaml:2: syndrome_note: 'high-calcium' is a feature of men1, which raises 'insulinoma': say why it is also a feature of the tumor",
    ],
    "links__unknown_field.yaml": [
        "rules/links.yaml:2: frequency: missing required field",
        "rules/links.yaml:5: frequncy: unknown field 'frequncy' (expected one of: basis, frequency, reviewed, sources, symptom, syndrome_note, type, when_functional)",
    ],
    "links__unknown_source.yaml": [
        "rules/links.yaml:8: source: unknown source id 'ctca2012'",
    ],
    "links__unknown_symptom.yaml": [
        "rules/links.yaml:4: symptom: unknown symptom 'no-such-symptom'",
    ],
    "links__yaml_syntax.yaml": [  # libyaml and pure-Python PyYAML word it differently
        "rules/links.yaml:5: yaml: did not find expected ',' or ']'"
        if yaml.__with_libyaml__
        else "rules/links.yaml:5: yaml: expected ',' or ']', but got '<stream end>'"
    ],
    "mimics__bad_id.yaml": [
        "rules/mimics.yaml:2: id: 'Bad_Id' is not a valid id (lowercase letters, digits and single hyphens)",
    ],
    "red_flags__no_trigger.yaml": [
        "rules/red_flags.yaml:2: when_any: a red flag needs when_any or when_all symptoms",
    ],
    "rejected_annotations__not_in_release.yaml": [
        "rules/rejected_annotations.yaml:4: hpo: no ORPHA:97279 row for HP:0002014 in the pinned annotation release",
    ],
    "sources__http_url.yaml": [
        "rules/sources.yaml:5: url: URL must start with https:// (got 'http://example.org/page')",
    ],
    "sources__no_title.yaml": [
        "rules/sources.yaml:2: title: missing required field",
    ],
    "red_flags__tag_mismatch.yaml": [
        "rules/red_flags.yaml:3: yaml: the value does not fit its tag 'tag:yaml.org,2002:bool' (KeyError)",
    ],
    "sources__mirror_host.yaml": [
        "rules/sources.yaml:5: url: www.curehunter.com copies other publishers' pages; cite the primary publisher's page",
        "rules/sources.yaml:11: url: springermedizin.de copies other publishers' pages; cite the primary publisher's page",
        "rules/sources.yaml:17: url: www.scilit.net copies other publishers' pages; cite the primary publisher's page",
        "rules/sources.yaml:23: url: mayoclinic.pure.elsevier.com copies other publishers' pages; cite the primary publisher's page",
    ],
    "sources__no_publisher.yaml": [
        "rules/sources.yaml:2: publisher: a page source names who published the page (journal, society, NCBI Bookshelf ...)",
    ],
    "sources__proxy_url.yaml": [
        "rules/sources.yaml:5: url: a URL must point at the public page, not a library proxy",
    ],
    "symptoms__hpo_name_mismatch.yaml": [
        "rules/symptoms.yaml:8: hpo_name: name 'Low sugar' does not match the release's name for HP:0001943: 'Hypoglycemia'",
    ],
    "symptoms__unknown_group.yaml": [
        "rules/symptoms.yaml:5: group: 'bones' is not one of: general, skin, digestive, heart, breathing, metabolism, nervous, urinary, tests",
    ],
    "symptoms__unknown_hpo.yaml": [
        "rules/symptoms.yaml:7: hpo: HP:9999999 is not in the pinned HPO release",
    ],
    "type_groups__same_id_as_a_type.yaml": [
        "rules/type_groups.yaml:2: id: 'insulinoma' is also a tumor type id; a group and a type need different ids",
    ],
    "types__functional_share_mismatch.yaml": [
        "rules/types.yaml:7: functional: 'functional' does not fit a syndrome share of 'very rare' (that means 'nonfunctional')",
    ],
    "types__orpha_not_in_release.yaml": [
        "rules/types.yaml:11: orpha: ORPHA:999999 is not in the pinned Orphanet release snapshot",
    ],
    "types__site_finding_not_typical.yaml": [
        "rules/types.yaml:2: id: type 'insulinoma-copy' has no links in links.yaml",
        "rules/types.yaml:17: site_finding: type 'insulinoma-copy' must link its site finding 'scan-mass-lung' at frequent or more (not linked)",
    ],
    "types__unknown_parent.yaml": [
        "rules/types.yaml:17: parent: unknown type group (type_groups.yaml) 'islet-tumors'",
    ],
}


def _rules_with(tmp_path: Path, fixture: Path) -> Path:
    """The shipped rules with one table replaced by the fixture, or with its rows added when the fixture's first
    line says "(appended)" (so that one bad row does not bury its own problem under a cascade of others)."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    table = folder / f"{fixture.name.split('__')[0]}.yaml"
    text = fixture.read_text(encoding="utf-8")
    if _appended(fixture):
        table.write_text(table.read_text(encoding="utf-8") + text, encoding="utf-8")
    else:
        shutil.copy(fixture, table)
    return folder


def _appended(fixture: Path) -> bool:
    return "(appended)" in fixture.read_text(encoding="utf-8").splitlines()[0]


def _fixture_lines(problems: list[str], table: Path, fixture: Path) -> list[str]:
    """For an appended fixture, line numbers counted within the fixture (the shipped table's length changes)."""
    if not _appended(fixture):
        return problems
    offset = len(table.read_text(encoding="utf-8").splitlines()) - len(fixture.read_text(encoding="utf-8").splitlines())
    out = []
    for line in problems:
        file, number, rest = line.split(":", 2)
        out.append(f"{file}:{int(number) - offset}:{rest}")
    return out


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=[f"invalid:{n[:-5]}" for n in sorted(EXPECTED)])
def test_broken_table_names_file_line_and_field(name: str, tmp_path: Path) -> None:
    folder = _rules_with(tmp_path, INVALID / name)
    with pytest.raises(TableError) as caught:
        load_knowledge(folder)
    table_file = f"rules/{name.split('__')[0]}.yaml"
    found = [str(p) for p in caught.value.problems if p.file == table_file]
    assert _fixture_lines(found, folder / f"{name.split('__')[0]}.yaml", INVALID / name) == EXPECTED[name]


def test_validate_command_lists_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _rules_with(tmp_path, INVALID / "links__unknown_symptom.yaml")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "rules/links.yaml:4: symptom: unknown symptom 'no-such-symptom'" in out


def test_validate_command_accepts_the_shipped_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(RULES)]) == 0
    assert "is valid" in capsys.readouterr().out


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    folder = _rules_with(tmp_path, INVALID / "links__unknown_field.yaml")
    shutil.copy(INVALID / "symptoms__unknown_group.yaml", folder / "symptoms.yaml")
    with pytest.raises(TableError) as caught:
        load_knowledge(folder)
    files = {p.file for p in caught.value.problems}
    assert {"rules/links.yaml", "rules/symptoms.yaml"} <= files


def test_a_site_finding_linked_below_frequent_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    table = folder / "links.yaml"
    text = table.read_text(encoding="utf-8")
    start = text.index("- type: duodenal-net\n  symptom: scan-mass-small-intestine\n")
    end = text.index("\n- type:", start)
    row = text[start:end]
    assert "frequency: very frequent" in row
    table.write_text(
        text[:start] + row.replace("frequency: very frequent", "frequency: occasional", 1) + text[end:], encoding="utf-8"
    )
    with pytest.raises(TableError) as caught:
        load_knowledge(folder)
    assert [str(p).split(":", 2)[2] for p in caught.value.problems if p.field == "site_finding"] == [
        " site_finding: type 'duodenal-net' must link its site finding 'scan-mass-small-intestine' at frequent or more"
        " (occasional)"
    ]
