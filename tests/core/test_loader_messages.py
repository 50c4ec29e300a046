"""One broken copy of the tiny rules (tests/data/tiny_rules) per loader problem message, with the exact line
``file:line: field: message`` it must report; and a check that every message the loader source can emit has a case
here or in test_invalid_tables.py."""

from __future__ import annotations

import ast
import os
import re
import shutil
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checker import TableError, load_knowledge, yamlio
from tests.conftest import ROOT
from tests.core.test_invalid_tables import EXPECTED as INVALID_EXPECTED

TINY = ROOT / "tests" / "data" / "tiny_rules"
LOADER_MODULES = ("tables.py", "rowreader.py", "yamlio.py", "yamlrows.py", "snapshot.py", "urls.py", "text.py")
"""The modules whose messages end up in a TableError (text.py: the URL rule that urls.py applies to sources)."""
NOT_LOADER_MESSAGES = {"empty URL"}
"""url_problem's answer for an empty URL: the loader asks it only about non-empty URLs (source_url_problem)."""

Setup = Callable[[Path, pytest.MonkeyPatch], object]


@dataclass(frozen=True)
class Case:
    """Edits to a copy of the tiny rules, and every problem line the load must then report, in order."""

    expected: tuple[str, ...]
    edits: tuple[tuple[str, str, str], ...] = ()
    """(file, old, new): ``old`` occurs once in the file and becomes ``new``; an empty ``old`` appends ``new``."""
    setup: Setup | None = field(default=None, compare=False)


def _write(name: str, data: bytes) -> Setup:
    return lambda folder, _: (folder / name).write_bytes(data)


def _delete(name: str) -> Setup:
    return lambda folder, _: (folder / name).unlink()


def _link_outside(folder: Path, _: pytest.MonkeyPatch) -> None:
    outside = folder.parent / "meta.json"
    outside.write_text('{"hpo_release": "tiny"}', encoding="utf-8")
    (folder / "snapshot" / "meta.json").unlink()
    (folder / "snapshot" / "meta.json").symlink_to(outside)


def _folder_for_file(folder: Path, _: pytest.MonkeyPatch) -> None:
    (folder / "snapshot" / "meta.json").unlink()
    (folder / "snapshot" / "meta.json").mkdir()


def _open_fails(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "meta.json":
            raise OSError(5, "Input/output error")
        return os.open(path, flags, *args)

    monkeypatch.setattr(yamlio, "os", types.SimpleNamespace(**{**vars(os), "open": fake_open}))


def _grows_while_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fstat says 0 bytes (as if the file grew after it was measured); meta.json holds more than its limit."""
    (folder / "snapshot" / "meta.json").write_bytes(b" " * 100_001)

    def fake_fstat(fd: int) -> os.stat_result:
        real = os.fstat(fd)
        return os.stat_result((real.st_mode, *real[1:6], 0, *real[7:10]))

    monkeypatch.setattr(yamlio, "os", types.SimpleNamespace(**{**vars(os), "fstat": fake_fstat}))


def _no_folder(folder: Path, _: pytest.MonkeyPatch) -> None:
    shutil.rmtree(folder)


ANNOTATION_SOURCE = ("sources.yaml", "", "- id: hpo-ann\n  kind: annotation\n  title: HPO annotations\n  version: tiny\n")
ORPHA_ROW = ("snapshot/orphanet_annotations.tsv", "", "ORPHA:1\tIslet tumor\t\tHP:0001943\tobligate\tTAS\tORPHA:1\n")
ORPHA_ROW_2 = ("snapshot/orphanet_annotations.tsv", "", "ORPHA:2\tOther tumor\t\tHP:0001943\tobligate\tTAS\tORPHA:2\n")
ISLET_ORPHA = ("types.yaml", "  site_finding: scan-mass-pancreas\n", "  site_finding: scan-mass-pancreas\n  orpha: [ORPHA:1]\n")
ANNOTATION_NOTE = "  - source: hpo-ann\n    orpha: ORPHA:{code}\n    hpo: HP:0001943\n    frequency: obligate\n"


def _cite(code: int = 1, extra: str = "") -> tuple[str, str, str]:
    """The islet tumor's low-blood-glucose link also cites the Orphanet row of ORPHA:``code`` (lines 58-61)."""
    return ("links.yaml", "    excerpt: islet hypo\n", "    excerpt: islet hypo\n" + ANNOTATION_NOTE.format(code=code) + extra)


ANNOTATED = (ANNOTATION_SOURCE, ORPHA_ROW, ISLET_ORPHA, _cite())
"""A valid tiny folder in which the islet tumor has an Orphanet code whose one row its link cites."""
REJECTED_ROW = (
    "- type: islet-tumor\n  orpha: ORPHA:{code}\n  hpo: HP:0001943\n  frequency: {frequency}\n"
    "  reason: sibling-entity\n  note: Not this tumor.\n"
)
CASE_ROW = (
    "cases.yaml",
    "",
    "- id: case-one\n  title: Case one\n  story: A story.\n  findings: [flushing]\n"
    "  functional: unknown\n  expected: [gut-net-alpha]\n  teaching_points: [Look.]\n  sources:\n"
    "  - source: page-tiny\n    excerpt: case\n  age: 200\n  sex: female\n",
)
SHARE_BLOCK = (
    "  share:\n    value: 0.1\n    basis: One in ten people with diarrhea have the watery kind.\n"
    "    sources:\n    - source: page-tiny\n      excerpt: watery share\n"
)
FLUSHING_BACKGROUND = (
    "  background:\n    class: common\n    basis: Tiny background for flushing.\n    sources:\n"
    "    - source: page-tiny\n      excerpt: background flushing\n"
)
BETA_SHARE = (
    "  syndrome_share:\n    frequency: very rare\n    sources:\n    - source: page-tiny\n"
    "      excerpt: beta rarely makes hormones\n"
)
BETA_INCIDENCE = (
    "    excerpt: beta\n  incidence:\n    class: rare\n    basis: Test row.\n    sources:\n"
    "    - source: page-tiny\n      excerpt: how often\n"
)
TUMMY_LINKS = (
    "  links:\n  - symptom: diarrhea\n    frequency: very frequent\n    sources:\n    - source: page-tiny\n"
    "      excerpt: runs\n  - symptom: watery-diarrhea\n    frequency: frequent\n    sources:\n"
    "    - source: page-tiny\n      excerpt: watery runs\n"
)
SYN1_RAISES = (
    "  raises:\n  - type: islet-tumor\n    frequency: frequent\n    sources:\n    - source: page-tiny\n"
    "      excerpt: syn1 islet\n      figure: 40%\n      denominator: people with islet tumors\n"
    "  - type: gut-net-alpha\n    frequency: very rare\n    sources:\n    - source: page-tiny\n"
    "      excerpt: syn1 alpha\n"
)
SNAPSHOT_TSV = "rules/snapshot/orphanet_annotations.tsv"
FREQUENCY_LIST = "obligate, very frequent, frequent, occasional, very rare, excluded"

CASES: dict[str, Case] = {
    # Reading files (yamlio.read_bounded, decode_utf8) and the folder itself
    "folder-missing": Case(("rules:0: folder: rules folder not found",), setup=_no_folder),
    "table-missing": Case(("rules/mimics.yaml:0: file: table file is missing",), setup=_delete("mimics.yaml")),
    "file-missing": Case(("rules/snapshot/meta.json:0: file: file is missing",), setup=_delete("snapshot/meta.json")),
    "file-unreadable": Case(("rules/snapshot/meta.json:1: file: cannot read: Input/output error",), setup=_open_fails),
    "link-outside": Case(
        (
            "rules/snapshot/meta.json:1: file: is a link to a file outside the rules folder; copy the "
            "file into the folder instead",
        ),
        setup=_link_outside,
    ),
    "not-regular-file": Case(
        ("rules/snapshot/meta.json:1: file: not a regular file (a folder, device, FIFO or socket)",), setup=_folder_for_file
    ),
    "file-too-big": Case(
        ("rules/snapshot/meta.json:1: file: file is 100001 bytes; the limit is 100000",),
        setup=_write("snapshot/meta.json", b" " * 100_001),
    ),
    "file-grew": Case(
        ("rules/snapshot/meta.json:1: file: file grew past the limit of 100000 bytes while read",), setup=_grows_while_read
    ),
    "not-utf8": Case(
        ("rules/red_flags.yaml:4: file: not valid UTF-8 (column 46, byte 122 of the file); save it as UTF-8",),
        setup=lambda folder, _: (folder / "red_flags.yaml").write_bytes(
            (folder / "red_flags.yaml").read_bytes().replace(b"serious", b"seri\xe9us")
        ),
    ),
    # YAML structure (yamlio._scan, _parse_into) and table shape (tables._Context.read_table)
    "yaml-too-deep-scanned": Case(
        ("rules/red_flags.yaml:10: yaml: nesting is deeper than 64 levels",),
        (("red_flags.yaml", "", "# *\n- x: " + "[" * 64 + "]" * 64 + "\n"),),
    ),
    "yaml-too-deep": Case(
        ("rules/red_flags.yaml:1: yaml: nesting is too deep",), (("red_flags.yaml", "", "- x: " + "[" * 400 + "]" * 400 + "\n"),)
    ),
    "yaml-too-many-rows-scanned": Case(
        ("rules/red_flags.yaml:5002: yaml: the table has more than 5000 rows (split it, or check how it was made)",),
        (("red_flags.yaml", "- id: flush-and-wheeze\n", "# *\n" + "- 1\n" * 5000 + "- id: flush-and-wheeze\n"),),
    ),
    "yaml-too-many-nodes": Case(
        (
            "rules/red_flags.yaml:10: yaml: the file has more than 100000 YAML nodes (values, "
            "rows and lists); split it or remove rows",
        ),
        (("red_flags.yaml", "", "# *\n- x: [" + "0," * 100_000 + "]\n"),),
    ),
    "yaml-value-unreadable": Case(
        (
            "rules/red_flags.yaml:1: yaml: value cannot be read: Exceeds the limit (4300 digits) for "
            "integer string conversion: value has 5000 digits; use "
            "sys.set_int_max_str_digits() to increase the limit",
        ),
        (("red_flags.yaml", "", "- x: " + "1" * 5000 + "\n"),),
    ),
    "table-too-many-rows": Case(
        ("rules/red_flags.yaml:5001: file: the table has 5001 rows; the limit is 5000 (split it, or check how it was made)",),
        (("red_flags.yaml", "- id: flush-and-wheeze\n", "- 1\n" * 5000 + "- id: flush-and-wheeze\n"),),
    ),
    "row-not-mapping": Case(
        ("rules/red_flags.yaml:9: row: each row must be a mapping of fields",), (("red_flags.yaml", "", "- just text\n"),)
    ),
    "manifest-empty": Case(
        ("rules/manifest.yaml:1: file: manifest.yaml is empty; it needs at least 'version'",), setup=_write("manifest.yaml", b"")
    ),
    "manifest-not-mapping": Case(
        ("rules/manifest.yaml:1: file: manifest must be a mapping",), setup=_write("manifest.yaml", b"- a\n")
    ),
    # The snapshot (snapshot._parse, _rows)
    "snapshot-meta-broken": Case(
        (
            "rules/snapshot/meta.json:1: file: cannot read snapshot metadata: Expecting property "
            "name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        setup=_write("snapshot/meta.json", b"{"),
    ),
    "snapshot-distance": Case(
        (
            "rules/snapshot/hpo_terms.tsv:2: distance: not a whole number",
            "rules/symptoms.yaml:12: hpo: HP:0031284 is not in the pinned HPO release",
        ),
        (("snapshot/hpo_terms.tsv", "flushing\tself\t0", "flushing\tself\tzero"),),
    ),
    "snapshot-too-many-rows": Case(
        (f"{SNAPSHOT_TSV}:1: file: the file has 200001 rows; the limit is 200000",),
        (("snapshot/orphanet_annotations.tsv", "", "\n" * 200_000),),
    ),
    "snapshot-header": Case(
        (f"{SNAPSHOT_TSV}:1: header: expected columns orpha, disease, qualifier, hpo, frequency, evidence, reference",),
        (("snapshot/orphanet_annotations.tsv", "qualifier\t", ""),),
    ),
    "snapshot-columns": Case(
        (f"{SNAPSHOT_TSV}:2: row: wrong number of columns",), (("snapshot/orphanet_annotations.tsv", "", "ORPHA:1\tIslet\n"),)
    ),
    "snapshot-long-cell": Case(
        (f"{SNAPSHOT_TSV}:2: row: a cell longer than 1000 characters",),
        (("snapshot/orphanet_annotations.tsv", "", "x" * 1001 + "\t" * 6 + "\n"),),
    ),
    "snapshot-bad-rows": Case(
        (
            f"{SNAPSHOT_TSV}:52: file: more than 50 bad rows; not read further",
            *(f"{SNAPSHOT_TSV}:{n}: row: wrong number of columns" for n in range(2, 52)),
        ),
        (("snapshot/orphanet_annotations.tsv", "", "x\n" * 60),),
    ),
    # Field readers (rowreader.RowReader)
    "not-text": Case(
        ("rules/education.yaml:3: title: expected text, got bool",), (("education.yaml", "title: Scans", "title: yes"),)
    ),
    "control-characters": Case(
        (
            "rules/education.yaml:3: title: text contains control or direction-override "
            "characters (terminal escapes, U+202E and the like); remove them",
        ),
        (("education.yaml", "title: Scans", 'title: "Scans\\e[31m"'),),
    ),
    "empty-text": Case(("rules/education.yaml:3: title: must not be empty",), (("education.yaml", "title: Scans", 'title: ""'),)),
    "text-too-long": Case(
        ("rules/education.yaml:4: text: text is 4001 characters; the limit is 4000",),
        (("education.yaml", "text: Scans show where a tumor is.", "text: " + "a" * 4001),),
    ),
    "number-too-large": Case(
        ("rules/education.yaml:3: title: number is too large",), (("education.yaml", "title: Scans", "title: 0x" + "f" * 4000),)
    ),
    "list-number-too-large": Case(
        ("rules/symptoms.yaml:11: synonyms: number is too large",),
        (("symptoms.yaml", "synonyms: [red face]", "synonyms: [0x" + "f" * 4000 + "]"),),
    ),
    "id-not-text": Case(
        ("rules/red_flags.yaml:1: id: an id must be text, got int",), (("red_flags.yaml", "id: flush-and-wheeze", "id: 5"),)
    ),
    "id-too-long": Case(
        ("rules/red_flags.yaml:1: id: id is 101 characters; the limit is 100",),
        (("red_flags.yaml", "id: flush-and-wheeze", "id: " + "a" * 101),),
    ),
    "not-a-list": Case(
        (
            "rules/red_flags.yaml:1: when_any: a red flag needs when_any or when_all symptoms",
            "rules/red_flags.yaml:2: when_all: expected a list, got str",
        ),
        (("red_flags.yaml", "when_all: [flushing, wheezing]", "when_all: flushing"),),
    ),
    "empty-list-item": Case(
        ("rules/red_flags.yaml:2: when_all: item 3 must be non-empty text",),
        (("red_flags.yaml", "[flushing, wheezing]", '[flushing, wheezing, ""]'),),
    ),
    "listed-twice": Case(
        ("rules/red_flags.yaml:2: when_all: 'flushing' is listed twice",),
        (("red_flags.yaml", "[flushing, wheezing]", "[flushing, wheezing, flushing]"),),
    ),
    "empty-required-list": Case(
        ("rules/hormone_syndromes.yaml:3: hormones: must list at least one item",),
        (("hormone_syndromes.yaml", "hormones: [flushamine]", "hormones: []"),),
    ),
    "not-a-fraction": Case(
        ("rules/population.yaml:5: rate: expected a number above 0 and at most 1 (a share, e.g. 0.05)",),
        (("population.yaml", "rate: 0.25\n  basis: A quarter of NETs.", "rate: 2\n  basis: A quarter of NETs."),),
    ),
    "not-a-whole-number": Case(("rules/cases.yaml:11: age: expected a whole number from 0 to 120",), (CASE_ROW,)),
    "field-read-inside-a-block": Case(
        (
            "rules/symptoms.yaml:61: background_basis: unknown field 'background_basis' "
            "(expected one of: also_hpo, background, clinical, group, hpo, hpo_name, id, "
            "label, nonspecific, refines, share, sources, synonyms)",
        ),
        (("symptoms.yaml", "nonspecific: true", "nonspecific: true\n  background_basis: x"),),
    ),
    "field-under-its-yaml-key": Case(
        (
            "rules/mimics.yaml:21: findings: unknown field 'findings' (expected one of: "
            "context, id, links, name, picture, prevalence, prevalence_sources, sources, "
            "syndromes, tell_apart)",
        ),
        (
            (
                "mimics.yaml",
                "  tell_apart: Comes and goes with heat.\n",
                "  tell_apart: Comes and goes with heat.\n  findings: []\n",
            ),
        ),
    ),
    "not-a-boolean": Case(
        ("rules/symptoms.yaml:60: nonspecific: expected true or false",),
        (("symptoms.yaml", "nonspecific: true", "nonspecific: often"),),
    ),
    "not-an-orpha-code": Case(
        ("rules/types.yaml:62: orpha: 'ORPHA-1' is not an ORPHA code (ORPHA:digits)",),
        (("types.yaml", "  site_finding: scan-mass-pancreas\n", "  site_finding: scan-mass-pancreas\n  orpha: [ORPHA-1]\n"),),
    ),
    "notes-empty": Case(
        ("rules/links.yaml:6: sources: expected a non-empty list of source notes",),
        (("links.yaml", "  sources:\n  - source: page-tiny\n    excerpt: alpha flushes\n", "  sources: []\n"),),
    ),
    # Source notes (rowreader.read_note)
    "figure-without-denominator": Case(
        ("rules/links.yaml:7: denominator: a published figure needs its denominator (whom it counts)",),
        (("links.yaml", "excerpt: alpha flushes", "excerpt: alpha flushes\n    figure: 40%"),),
    ),
    "note-without-excerpt": Case(
        ("rules/links.yaml:7: excerpt: a page note needs a short verbatim excerpt",),
        (("links.yaml", "    excerpt: alpha flushes\n", ""),),
    ),
    "page-note-frequency": Case(
        ("rules/links.yaml:9: frequency: a seed or page note states no release frequency; use 'suggests' for its wording",),
        (("links.yaml", "excerpt: alpha flushes", "excerpt: alpha flushes\n    frequency: frequent"),),
    ),
    "page-note-orpha": Case(
        ("rules/links.yaml:9: orpha: 'orpha' belongs to annotation notes, not page notes",),
        (("links.yaml", "excerpt: alpha flushes", "excerpt: alpha flushes\n    orpha: ORPHA:1"),),
    ),
    "annotation-note-suggests": Case(
        ("rules/links.yaml:62: suggests: annotation notes carry 'frequency', not 'suggests'",),
        (*ANNOTATED[:3], _cite(extra="    suggests: obligate\n")),
    ),
    "annotation-note-figure": Case(
        ("rules/links.yaml:62: figure: annotation notes carry 'frequency', not 'figure'",),
        (*ANNOTATED[:3], _cite(extra="    figure: 90%\n    denominator: people\n")),
    ),
    "annotation-note-incomplete": Case(
        ("rules/links.yaml:58: frequency: an annotation note needs orpha, hpo and frequency",),
        (
            *ANNOTATED[:3],
            (
                "links.yaml",
                "    excerpt: islet hypo\n",
                "    excerpt: islet hypo\n  - source: hpo-ann\n    orpha: ORPHA:1\n    hpo: HP:0001943\n",
            ),
        ),
    ),
    "note-cites-ontology": Case(
        ("rules/links.yaml:7: source: 'hpo-onto' is an ontology source; cite a seed, page or annotation row",),
        (
            ("sources.yaml", "", "- id: hpo-onto\n  kind: ontology\n  title: HPO\n  version: tiny\n"),
            ("links.yaml", "  - source: page-tiny\n    excerpt: alpha flushes\n", "  - source: hpo-onto\n"),
        ),
    ),
    # Sources (tables._make_source, urls.source_url_problem, text.url_problem)
    "source-placeholder-title": Case(
        ("rules/sources.yaml:3: title: a source needs the document's own title",),
        (("sources.yaml", "title: Tiny test page", "title: Untitled"),),
    ),
    "page-without-date": Case(
        ("rules/sources.yaml:1: date_read: a page source needs the date it was read",),
        (("sources.yaml", '  date_read: "2026-12-01"\n', ""),),
    ),
    "page-without-url": Case(
        ("rules/sources.yaml:1: url: a page source needs the https URL that was read",),
        (("sources.yaml", "  url: https://example.org/tiny\n", ""),),
    ),
    "seed-without-file": Case(
        ("rules/sources.yaml:7: seed_file: a seed source needs the seed file name",),
        (("sources.yaml", "", "- id: seed-tiny\n  kind: seed\n  title: Seed\n"),),
    ),
    "annotation-without-version": Case(
        ("rules/sources.yaml:7: version: an annotation source needs the release version",),
        (("sources.yaml", "", "- id: ann\n  kind: annotation\n  title: Annotations\n"),),
    ),
    "url-too-long": Case(
        ("rules/sources.yaml:5: url: URL is 2021 characters; the limit is 2000",),
        (("sources.yaml", "example.org/tiny", "example.org/" + "a" * 2001),),
    ),
    "url-whitespace": Case(
        ("rules/sources.yaml:5: url: URL contains whitespace or control characters",),
        (("sources.yaml", "example.org/tiny", "example.org/ti ny"),),
    ),
    "url-unparsable": Case(
        ("rules/sources.yaml:5: url: URL cannot be parsed",), (("sources.yaml", "https://example.org/tiny", "https://[::1/tiny"),)
    ),
    "url-without-slashes": Case(
        ("rules/sources.yaml:5: url: URL must start with the scheme and '://'",),
        (("sources.yaml", "https://example.org/tiny", "https:example.org/tiny"),),
    ),
    "url-without-host": Case(
        ("rules/sources.yaml:5: url: URL has no host",), (("sources.yaml", "https://example.org/tiny", "https:///tiny"),)
    ),
    "url-with-password": Case(
        ("rules/sources.yaml:5: url: URL must not carry a user name or password",),
        (("sources.yaml", "https://example.org", "https://u:p@example.org"),),
    ),
    # Symptoms (tables._make_symptom, _hpo_ref, class_block, share_block, _check_symptom_graph)
    "hpo-malformed": Case(
        ("rules/symptoms.yaml:12: hpo: 'HP:31284' is not an HPO id (HP: and 7 digits)",),
        (("symptoms.yaml", "hpo: HP:0031284", "hpo: HP:31284"),),
    ),
    "hpo-alternative-id": Case(
        ("rules/symptoms.yaml:12: hpo: HP:0031284 is an alternative or obsolete id; use HP:0000001",),
        (("snapshot/hpo_terms.tsv", "self\t0\tHP:0031284", "self\t0\tHP:0000001"),),
    ),
    "also-hpo-not-list": Case(
        ("rules/symptoms.yaml:14: also_hpo: expected a list of {id, name}",),
        (("symptoms.yaml", "hpo_name: Flushing\n", "hpo_name: Flushing\n  also_hpo: HP:0002014\n"),),
    ),
    "also-hpo-item": Case(
        ("rules/symptoms.yaml:14: also_hpo: each item needs an 'id' (and 'name')",),
        (("symptoms.yaml", "hpo_name: Flushing\n", "hpo_name: Flushing\n  also_hpo: [HP:0002014]\n"),),
    ),
    "hpo-used-twice": Case(
        ("rules/symptoms.yaml:72: hpo: HP:0031284 is already used by symptom 'flushing'",),
        (("symptoms.yaml", "hpo_name: Wheezing\n", "hpo_name: Wheezing\n  also_hpo: [{id: HP:0031284, name: Flushing}]\n"),),
    ),
    "refines-itself": Case(
        (
            "rules/symptoms.yaml:34: share: only a symptom that refines another has a share",
            "rules/symptoms.yaml:46: refines: a symptom cannot refine itself",
        ),
        (("symptoms.yaml", "refines: diarrhea", "refines: watery-diarrhea"),),
    ),
    "refines-cycle": Case(
        (
            "rules/symptoms.yaml:14: share: a symptom that refines another needs {value, basis, "
            "sources}: the share of people with 'watery-diarrhea' who have this kind",
            "rules/symptoms.yaml:27: refines: 'refines' forms a cycle through 'diarrhea'",
            "rules/symptoms.yaml:47: refines: 'refines' forms a cycle through 'watery-diarrhea'",
        ),
        (("symptoms.yaml", "hpo_name: Diarrhea\n", "hpo_name: Diarrhea\n  refines: watery-diarrhea\n"),),
    ),
    "refines-without-share": Case(
        (
            "rules/symptoms.yaml:27: share: a symptom that refines another needs {value, basis, "
            "sources}: the share of people with 'diarrhea' who have this kind",
        ),
        (("symptoms.yaml", SHARE_BLOCK, ""),),
    ),
    "share-without-refines": Case(
        ("rules/symptoms.yaml:34: share: only a symptom that refines another has a share",),
        (("symptoms.yaml", "  refines: diarrhea\n", ""),),
    ),
    "share-not-mapping": Case(
        (
            "rules/symptoms.yaml:34: share: a symptom that refines another needs {value, basis, "
            "sources}: the share of people with 'diarrhea' who have this kind",
            "rules/symptoms.yaml:34: share: expected a mapping with 'value', 'basis' and 'sources'",
        ),
        (("symptoms.yaml", SHARE_BLOCK, "  share: 0.1\n"),),
    ),
    "background-missing": Case(
        ("rules/symptoms.yaml:1: background: missing required field: {class, basis, sources}",),
        (("symptoms.yaml", FLUSHING_BACKGROUND, ""),),
    ),
    "background-not-mapping": Case(
        ("rules/symptoms.yaml:2: background: expected a mapping with 'class', 'basis' and 'sources'",),
        (("symptoms.yaml", FLUSHING_BACKGROUND, "  background: common\n"),),
    ),
    "stale-snapshot": Case(
        (
            "rules/symptoms.yaml:12: hpo: the snapshot maps HP:0031284 to 'flush', not 'flushing': "
            "the snapshot is stale; rebuild it with 'python -m checker snapshot --rules rules'",
        ),
        (("snapshot/hpo_terms.tsv", "Flushing\tflushing", "Flushing\tflush"),),
    ),
    # Types (tables._make_type)
    "syndrome-share-missing": Case(
        (
            "rules/types.yaml:1: syndrome_share: missing required field: {frequency, sources} "
            "for how many present with the hormone syndrome",
        ),
        (("types.yaml", BETA_SHARE, ""),),
    ),
    "syndrome-share-not-mapping": Case(
        ("rules/types.yaml:10: syndrome_share: expected a mapping with 'frequency' and 'sources'",),
        (("types.yaml", BETA_SHARE, "  syndrome_share: very rare\n"),),
    ),
    "wrong-fact-topic": Case(
        ("rules/types.yaml:15: tests: 'tx-surgery' is not a diagnostics fact",),
        (
            (
                "types.yaml",
                "  tests: [dx-scan]\n  treatments: [tx-surgery]\n  sources:\n  - source: page-tiny\n    excerpt: beta\n",
                "  tests: [tx-surgery]\n  treatments: [tx-surgery]\n  sources:\n  - source: page-tiny\n    excerpt: beta\n",
            ),
        ),
    ),
    "incidence-missing": Case(
        ("rules/types.yaml:1: incidence: missing required field: {class, basis, sources} for how many people get it a year",),
        (("types.yaml", BETA_INCIDENCE, "    excerpt: beta\n"),),
    ),
    "hallmarks-not-list": Case(
        ("rules/types.yaml:78: hallmarks: expected a list of {findings, basis, sources}",),
        (("types.yaml", "", "  hallmarks: scan\n"),),
    ),
    "hallmark-not-mapping": Case(
        ("rules/types.yaml:78: hallmarks: each item needs 'findings', 'basis' and 'sources'",),
        (("types.yaml", "", "  hallmarks: [scan]\n"),),
    ),
    "hallmark-not-linked": Case(
        ("rules/types.yaml:78: hallmarks: hallmark finding 'fatigue' is not linked to type 'islet-tumor'",),
        (("types.yaml", "", "  hallmarks:\n  - findings: [fatigue]\n    basis: Tired.\n"),),
    ),
    "context-not-list": Case(
        ("rules/mimics.yaml:50: context: expected a list of {item, frequency, basis, sources}",),
        (("mimics.yaml", "", "  context: female\n"),),
    ),
    "context-not-mapping": Case(
        ("rules/mimics.yaml:50: context: each item needs 'item', 'frequency', 'basis' and 'sources'",),
        (("mimics.yaml", "", "  context: [female]\n"),),
    ),
    "context-listed-twice": Case(
        ("rules/mimics.yaml:57: item: 'female' is listed twice",),
        (
            (
                "mimics.yaml",
                "",
                "  context:\n  - item: female\n    frequency: frequent\n"
                "    basis: B.\n    sources:\n    - source: page-tiny\n      excerpt: w\n"
                "  - item: female\n    frequency: frequent\n    basis: B.\n    sources:\n"
                "    - source: page-tiny\n      excerpt: w\n",
            ),
        ),
    ),
    # Links (tables._make_link)
    "when-functional-same": Case(
        ("rules/links.yaml:4: when_functional: same class as 'frequency'; give it only when the hormone syndrome changes it",),
        (("links.yaml", "when_functional: very frequent", "when_functional: frequent"),),
    ),
    "link-orpha-not-of-type": Case(
        ("rules/links.yaml:55: sources: ORPHA:2 is not one of the ORPHA codes of type 'islet-tumor'",),
        (ANNOTATION_SOURCE, ORPHA_ROW, ORPHA_ROW_2, ISLET_ORPHA, _cite(1), _cite(2)),
    ),
    # Look-alikes and inherited syndromes (tables._findings, _make_mimic, _make_hereditary, _make_syndrome)
    "findings-missing": Case(
        ("rules/mimics.yaml:32: links: missing required field: a list of {symptom, frequency, sources}",),
        (("mimics.yaml", TUMMY_LINKS, ""),),
    ),
    "findings-item-not-mapping": Case(
        ("rules/mimics.yaml:39: links: each item needs 'symptom', 'frequency' and 'sources'",),
        (("mimics.yaml", TUMMY_LINKS, "  links: [diarrhea]\n"),),
    ),
    "finding-listed-twice": Case(
        ("rules/mimics.yaml:50: symptom: 'diarrhea' is listed twice",),
        (
            (
                "mimics.yaml",
                "",
                "  - symptom: diarrhea\n    frequency: frequent\n    sources:\n"
                "    - source: page-tiny\n      excerpt: runs again\n",
            ),
        ),
    ),
    "picture-not-linked": Case(
        ("rules/mimics.yaml:50: picture: picture finding 'flushing' is not one of the links of look-alike 'tummy-bug'",),
        (("mimics.yaml", "", "  picture: [flushing]\n"),),
    ),
    "raises-empty": Case(
        ("rules/hereditary.yaml:10: raises: expected a non-empty list of {type, sources}",),
        (("hereditary.yaml", SYN1_RAISES, "  raises: []\n"),),
    ),
    "picture-of-itself": Case(
        ("rules/hormone_syndromes.yaml:16: picture_of: a syndrome cannot share the picture of itself",),
        (("hormone_syndromes.yaml", "", "  picture_of: flush-syndrome\n"),),
    ),
    # Population rows (tables._make_population)
    "age-row-id": Case(
        ("rules/population.yaml:10: id: an age row is one of age-under-18, age-18-39, age-40-59, age-60-plus",),
        (("population.yaml", "kind: history", "kind: age"),),
    ),
    "sex-row-id": Case(
        ("rules/population.yaml:10: id: the sex row is 'female' (its rate: the share of women; 'male' is its complement)",),
        (("population.yaml", "kind: history", "kind: sex"),),
    ),
    "rate-is-one": Case(
        ("rules/population.yaml:21: rate: a context item's population rate must be below 1",),
        (("population.yaml", "rate: 0.5", "rate: 1"),),
    ),
    # Orphanet rows: every one accounted for, rejected rows checked (tables._make_rejected, _check_annotations_...)
    "orphanet-row-unaccounted": Case(
        (
            "rules/types.yaml:62: orpha: Orphanet row ORPHA:1 HP:0001943 (obligate) of type "
            "'islet-tumor' is neither cited by a link nor listed in "
            "rejected_annotations.yaml",
        ),
        (ORPHA_ROW, ISLET_ORPHA),
    ),
    "rejected-frequency": Case(
        ("rules/rejected_annotations.yaml:4: frequency: the release gives 'obligate' for ORPHA:1 HP:0001943, not 'frequent'",),
        (*ANNOTATED, ("rejected_annotations.yaml", "", REJECTED_ROW.format(code=1, frequency="frequent"))),
    ),
    "rejected-orpha-not-of-type": Case(
        ("rules/rejected_annotations.yaml:2: orpha: ORPHA:2 is not one of the ORPHA codes of type 'islet-tumor'",),
        (*ANNOTATED, ORPHA_ROW_2, ("rejected_annotations.yaml", "", REJECTED_ROW.format(code=2, frequency="obligate"))),
    ),
}


def _tiny_copy(tmp_path: Path, edits: tuple[tuple[str, str, str], ...]) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(TINY, folder)
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if old:
            assert text.count(old) == 1, f"{name}: {old!r} must occur once"
            text = text.replace(old, new)
        else:
            text += new
        path.write_text(text, encoding="utf-8")
    return folder


def _reported(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folder = _tiny_copy(tmp_path, case.edits)
    if case.setup is not None:
        case.setup(folder, monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TableError) as caught:
        load_knowledge("rules")
    return caught.value.lines()


@pytest.mark.parametrize("name", CASES)
def test_problem_message(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _reported(CASES[name], tmp_path, monkeypatch) == list(CASES[name].expected)


def test_the_annotated_base_is_valid(tmp_path: Path) -> None:
    """The cases built on ANNOTATED break only what they add."""
    kb = load_knowledge(_tiny_copy(tmp_path, ANNOTATED))
    assert kb.types["islet-tumor"].orpha == ("ORPHA:1",)


# Completeness: the message templates in the loader source, each matched by a pinned line.


def _strings(node: ast.expr, assigned: dict[str, list[ast.expr]]) -> Iterator[str]:
    """The message templates an expression can evaluate to ({} for each interpolated value)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value.replace("{", "{{").replace("}", "}}")
    elif isinstance(node, ast.JoinedStr):
        yield "".join(
            str(part.value).replace("{", "{{").replace("}", "}}") if isinstance(part, ast.Constant) else "{}"
            for part in node.values
        )
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body, assigned)
        yield from _strings(node.orelse, assigned)
    elif isinstance(node, ast.Name):
        for value in assigned.get(node.id, []):
            yield from _strings(value, assigned)


def _message_nodes(tree: ast.Module) -> Iterator[tuple[ast.expr, dict[str, list[ast.expr]]]]:
    """Each expression in a message position: the message of problem(...), _Refused(...), Problem(...) or a snapshot
    problem tuple,
    the messages of mappings(...), the values url_problem, source_url_problem and _scan return, and a YAML
    construction error's text."""
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(func):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Return)
                and node.value is not None
                and func.name in ("url_problem", "source_url_problem", "_scan")
            ):
                value = node.value
                yield (value.elts[1] if isinstance(value, ast.Tuple) else value), assigned
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("problem", "_Refused") and len(node.args) > 1:
                yield node.args[1], assigned
            elif name == "Problem" and len(node.args) > 3:
                yield node.args[3], assigned
            elif name == "ConstructorError" and len(node.args) > 2:
                yield node.args[2], assigned
            elif name == "mappings":
                yield from ((arg, assigned) for arg in node.args[1:])
                yield from ((k.value, assigned) for k in node.keywords if k.arg == "missing")
            elif name == "append" and node.args and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 4:
                yield node.args[0].elts[3], assigned


def loader_templates() -> set[str]:
    """Every message template the loader modules can report (values shown as {})."""
    out: set[str] = set()
    for module in LOADER_MODULES:
        tree = ast.parse((ROOT / "checker" / module).read_text(encoding="utf-8"))
        for node, assigned in _message_nodes(tree):
            out.update(_strings(node, assigned))
    return out - NOT_LOADER_MESSAGES


def _pattern(template: str) -> re.Pattern[str]:
    parts = template.replace("{{", "\0").replace("}}", "\1").split("{}")
    literal = [re.escape(p.replace("\0", "{").replace("\1", "}")) for p in parts]
    return re.compile(".+?".join(literal), re.DOTALL)


def _pinned_messages() -> list[str]:
    lines = [line for case in CASES.values() for line in case.expected]
    lines += [line for found in INVALID_EXPECTED.values() for line in found]
    return [line.split(": ", 2)[2] for line in lines]


def test_the_template_collector_finds_the_loader_messages() -> None:
    """One message from each loader module, and each kind of message position."""
    assert {
        "'{}' is listed twice",
        "missing required field: {{class, basis, sources}}",  # rowreader, tables
        "same class as 'frequency'; give it only when the hormone syndrome changes it",  # r.problem(...)
        "table file is missing",
        "the value does not fit its tag {} ({})",  # Problem(...), ConstructorError
        "nesting is deeper than {} levels",
        "file is missing",  # yamlio's bounds (_Refused), read_bounded
        "wrong number of columns",
        "a cell longer than {} characters",  # snapshot tuples, via a variable
        "each item needs 'type' and 'sources'",  # mappings(...)
        "a URL must point at the public page, not a library proxy",
        "URL has no host",
    } <= loader_templates()


def test_every_loader_message_has_a_case() -> None:
    pinned = _pinned_messages()
    missing = sorted(t for t in loader_templates() if not any(_pattern(t).fullmatch(m) for m in pinned))
    assert missing == [], "loader messages with no case in CASES (or in test_invalid_tables.EXPECTED)"
