"""Every row of every table: sources resolve, excerpts are verbatim, ids resolve.

One looping check per kind of row, which reports every failing row at once (``row id: what failed``), rather than
thousands of one-row tests.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from checker import load_knowledge
from checker.model import Link, SourceNote
from checker.rowreader import MAX_EXCERPT_WORDS
from checker.scoring import index_of
from checker.sourcenotes import source_notes
from tests.conftest import RULES

KB = load_knowledge(RULES)
Row = TypeVar("Row")


def failing_rows(rows: Iterable[tuple[str, Row]], check: Callable[[Row], None]) -> list[str]:
    """Every row whose check fails, as "row id: what failed" (an empty list when all pass)."""
    failed = []
    for name, row in rows:
        try:
            check(row)
        except (AssertionError, KeyError) as error:
            failed.append(f"{name}: {type(error).__name__}: {error}".replace("\n", " ")[:300])
    return failed


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _all_notes() -> list[tuple[str, SourceNote]]:
    """Every note of every table (source_notes walks all of a row's fields), named by table and row."""
    out: list[tuple[str, SourceNote]] = []
    for field in dataclasses.fields(KB):
        table = getattr(KB, field.name)
        rows = table.values() if isinstance(table, dict) else table if isinstance(table, tuple) else ()
        for index, row in enumerate(rows):
            out += [(f"{field.name}:{getattr(row, 'id', index)}", n) for n in source_notes(row)]
    return out


SEED_NOTES = [(rid, n) for rid, n in _all_notes() if KB.sources[n.source].kind == "seed"]
PAGE_NOTES = [(rid, n) for rid, n in _all_notes() if KB.sources[n.source].kind == "page"]


def test_seed_excerpts_are_verbatim_in_their_seeds(seed_texts: dict[str, str]) -> None:
    def check(note: SourceNote) -> None:
        text = _norm(seed_texts[KB.sources[note.source].seed_file])
        assert _norm(note.excerpt) in text, f"excerpt not found verbatim in {note.source}"
        assert _norm(note.section) in text or re.fullmatch(r"paragraph \d+", note.section), "bad locator"
        assert len(note.excerpt.split()) <= MAX_EXCERPT_WORDS

    assert len(SEED_NOTES) > 200
    assert failing_rows(SEED_NOTES, check) == []


def test_page_notes_cite_a_read_page_with_a_short_excerpt() -> None:
    assert len(PAGE_NOTES) > 1000
    assert failing_rows(PAGE_NOTES, _check_page_note) == []


def _check_page_note(note: SourceNote) -> None:
    source = KB.sources[note.source]
    assert source.url.startswith("https://") and source.date_read and source.title
    assert 0 < len(note.excerpt.split()) <= MAX_EXCERPT_WORDS
    assert "..." not in note.excerpt and "\u2026" not in note.excerpt


def test_links_are_sourced_and_frequencies_match_their_annotation_rows() -> None:
    assert failing_rows(((f"links:{k.id}", k) for k in KB.links), _check_link) == []


def _check_link(link: Link) -> None:
    assert link.sources
    annotated = [n for n in link.sources if n.orpha]
    for note in annotated:
        row = KB.snapshot.annotation(note.orpha, note.hpo)
        assert row is not None and row.frequency == note.frequency
        assert note.orpha in KB.types[link.type].orpha
        mapped = KB.snapshot.terms[note.hpo].symptom
        assert mapped in _symptom_and_parents(link.symptom) or note.hpo in _anchors(link) or not mapped or link.basis, (
            "an Orphanet row mapped to another symptom needs the reviewer's basis"
        )
    assert link.reviewed >= "2026-12-01", "every link was reviewed against the literature"
    backed = any(n.figure or n.suggests == link.frequency for n in link.sources if not n.orpha)
    if not annotated:
        assert link.basis or backed, "a class not taken from Orphanet says how it was chosen"
    elif min((n.frequency for n in annotated), key=_FREQ_ORDER.index) != link.frequency:
        assert link.basis and backed, "overriding Orphanet needs a basis and a page or seed note that backs it"


_FREQ_ORDER = ["obligate", "very frequent", "frequent", "occasional", "very rare", "excluded"]


def _symptom_and_parents(symptom_id: str) -> set[str]:
    out = {symptom_id}
    parent = KB.symptoms[symptom_id].refines
    while parent:
        out.add(parent)
        parent = KB.symptoms[parent].refines
    return out


def _anchors(link: Link) -> set[str]:
    return set(KB.symptoms[link.symptom].hpo_ids)


def test_symptom_hpo_terms_resolve_back_to_them() -> None:
    assert failing_rows(((f"symptoms:{k}", k) for k in KB.symptoms), _check_symptom) == []


def _check_symptom(symptom_id: str) -> None:
    symptom = KB.symptoms[symptom_id]
    for hpo_id in symptom.hpo_ids:
        term = KB.snapshot.terms[hpo_id]
        assert term.via == "self"
        assert term.symptom in (symptom.id, symptom.refines)
    assert symptom.synonyms, "search needs lay and clinical synonyms"
    assert symptom.label and symptom.clinical


def test_types_have_typical_findings_and_sources() -> None:
    assert failing_rows(((f"types:{k}", k) for k in KB.types), _check_type) == []


def _check_type(type_id: str) -> None:
    tumor = KB.types[type_id]
    links = KB.links_by_type[type_id]
    typical = [k for k in links.values() if k.frequency in ("obligate", "very frequent", "frequent")]
    assert len(links) >= 3 and typical, f"{type_id} needs several findings, at least one of them typical"
    assert tumor.sources and tumor.summary and tumor.site
    assert tumor.tests and tumor.treatments
    index = index_of(KB)
    expected = index.expected[index.position[("type", type_id)]]
    assert expected and expected[0].ratio > 4, "at least one typical finding should point clearly to it"
    assert tumor.site_finding and KB.links_by_type[type_id][tumor.site_finding].frequency in (
        "obligate",
        "very frequent",
        "frequent",
    )
    assert tumor.syndrome_share and tumor.syndrome_share_sources


def test_mimics_share_symptoms_and_are_sourced() -> None:
    assert failing_rows(((f"mimics:{k}", k) for k in KB.mimics), _check_mimic) == []


def _check_mimic(mimic_id: str) -> None:
    mimic = KB.mimics[mimic_id]
    assert mimic.findings and mimic.prevalence_sources and mimic.tell_apart and mimic.prevalence
    for finding in mimic.findings:
        assert finding.sources and all(KB.sources[n.source].kind in ("page", "seed") for n in finding.sources)


def test_red_flags_tell_the_user_to_seek_care() -> None:
    assert failing_rows(((f"red_flags:{k}", k) for k in KB.red_flags), _check_red_flag) == []


def _check_red_flag(flag_id: str) -> None:
    flag = KB.red_flags[flag_id]
    assert flag.urgency in ("emergency", "urgent", "soon") and flag.sources
    assert re.search(r"seek|call|emergency|doctor|medical (care|help|attention)|urgent|hospital|111|911", flag.action.lower()), (
        flag.action
    )


def test_facts_are_sourced() -> None:
    assert failing_rows(((f"education:{k}", k) for k in KB.education), _check_fact) == []


def _check_fact(fact_id: str) -> None:
    fact = KB.education[fact_id]
    assert fact.sources and fact.text and fact.title


def test_hormone_syndrome_findings_are_linked_to_their_types() -> None:
    assert failing_rows(((f"hormone_syndromes:{k}", k) for k in KB.hormone_syndromes), _check_hormone_syndrome) == []


def _check_hormone_syndrome(syndrome_id: str) -> None:
    syndrome = KB.hormone_syndromes[syndrome_id]
    for type_id in syndrome.types:
        linked = set(KB.links_by_type[type_id])
        assert linked & set(syndrome.findings), f"{type_id} has no link to any finding of {syndrome_id}"
        assert syndrome_id in KB.types[type_id].syndromes


def test_hereditary_syndromes_raise_sourced_types() -> None:
    assert failing_rows(((f"hereditary:{k}", k) for k in KB.hereditary), _check_hereditary) == []


def _check_hereditary(hereditary_id: str) -> None:
    h = KB.hereditary[hereditary_id]
    assert h.raises and all(r.sources and r.frequency for r in h.raises)


def test_catalog_has_the_issue_types() -> None:
    required = {
        "small-intestine-net",
        "appendix-net",
        "pancreatic-net-nonfunctional",
        "duodenal-net",
        "thymic-net",
        "insulinoma",
        "gastrinoma",
        "vipoma",
        "glucagonoma",
        "somatostatinoma",
        "lung-carcinoid",
        "small-cell-lung-cancer",
        "large-cell-neuroendocrine-carcinoma",
        "pheochromocytoma",
        "medullary-thyroid-carcinoma",
        "merkel-cell-carcinoma",
    }
    assert required <= set(KB.types)
    children = {g: sorted(t.id for t in KB.types.values() if t.parent == g) for g in KB.type_groups}
    assert children == {
        "gastric-net": ["gastric-net-type-1", "gastric-net-type-2", "gastric-net-type-3"],
        "colorectal-net": ["colon-net", "rectal-net"],
        "pituitary-net": [
            "pituitary-corticotroph",
            "pituitary-nonfunctioning",
            "pituitary-prolactinoma",
            "pituitary-somatotroph",
        ],
        "paraganglioma": ["paraganglioma-head-neck", "paraganglioma-sympathetic"],
    }
    assert {"men1", "men2", "vhl", "nf1", "tsc"} <= set(KB.hereditary)
    expected_codes = {
        "insulinoma": "ORPHA:97279",
        "gastrinoma": "ORPHA:913",
        "small-intestine-net": "ORPHA:100078",
        "lung-carcinoid": "ORPHA:97287",
    }
    for type_id, code in expected_codes.items():
        assert code in KB.types[type_id].orpha
    assert "ORPHA:100093" in KB.hormone_syndromes["carcinoid-syndrome"].orpha


SEED_000_SYMPTOM_LINES = [
    "Flushing (redness, warmth) in the face or neck without sweating",
    "Persistent pain in a specific area of the body",
    "Diarrhea, including at nighttime",
    "Thickening or a lump in any part of the body",
    "Nausea or vomiting",
    "Changes in bowel or bladder habits",
    "Shortness of breath, rapid heartbeat/palpitations",
    "High blood pressure",
    "Fatigue and weakness",
    "Abdominal pain, cramping, feeling of fullness",
    "Unexplained weight gain or loss",
    "Wheezing, coughing or hoarseness that doesn't go away",
    "Swelling in the feet and ankles",
    "Skin lesions, discolored patches of skin, thin skin, skin rash",
    "High blood glucose levels (frequent urination, increased thirst, increased hunger)",
    "Low blood glucose levels (shakiness, dizziness, sweating, fainting)",
    "Jaundice",
    "Unusual bleeding or discharge",
    "Anxiety",
    "Confusion",
    "Nutritional deficiencies",
]


def test_every_seed_000_symptom_line_is_covered(seed_texts: dict[str, str]) -> None:
    def check(line: str) -> None:
        assert _norm(line) in _norm(seed_texts["000_1b45ffbfcf81b421.txt"]), "not in the seed"
        covering = [s for s in KB.symptoms.values() if any(_norm(n.excerpt) == _norm(line) for n in s.sources)]
        assert covering, "no symptom cites the seed line"

    assert failing_rows(((line, line) for line in SEED_000_SYMPTOM_LINES), check) == []


def test_failing_rows_names_every_failing_row_and_what_failed() -> None:
    def check(value: int) -> None:
        assert value > 0, "not positive"
        assert {1: "one"}[value]

    rows = [("a", 1), ("b", -1), ("c", 2)]
    assert failing_rows(rows, check) == ["b: AssertionError: not positive assert -1 > 0", "c: KeyError: 2"]
