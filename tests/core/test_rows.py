"""Every row of every table, one test each: sources resolve, excerpts are verbatim, ids resolve."""

from __future__ import annotations

import re

import pytest

from checker import load_knowledge
from checker.model import Link, SourceNote
from checker.rowreader import MAX_EXCERPT_WORDS
from checker.scoring import index_of
from tests.conftest import RULES

KB = load_knowledge(RULES)


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _all_notes() -> list[tuple[str, SourceNote]]:
    out: list[tuple[str, SourceNote]] = []
    for link in KB.links:
        out += [(f"links:{link.id}", n) for n in link.sources]
    for table in ("symptoms", "types", "hormone_syndromes", "hereditary", "mimics", "red_flags", "education", "cases"):
        for row_id, row in getattr(KB, table).items():
            out += [(f"{table}:{row_id}", n) for n in row.sources]
    for h in KB.hereditary.values():
        for raised in h.raises:
            out += [(f"hereditary:{h.id}/{raised.type}", n) for n in raised.sources]
        for feature in h.features:
            out += [(f"hereditary:{h.id}/feature:{feature.symptom}", n) for n in feature.sources]
    for m in KB.mimics.values():
        out += [(f"mimics:{m.id}/prevalence", n) for n in m.prevalence_sources]
        for finding in m.findings:
            out += [(f"mimics:{m.id}/{finding.symptom}", n) for n in finding.sources]
    for t in KB.types.values():
        out += [(f"types:{t.id}/syndrome_share", n) for n in t.syndrome_share_sources]
    for g in KB.type_groups.values():
        out += [(f"type_groups:{g.id}", n) for n in g.sources]
    return out


SEED_NOTES = [(rid, n) for rid, n in _all_notes() if KB.sources[n.source].kind == "seed"]
PAGE_NOTES = [(rid, n) for rid, n in _all_notes() if KB.sources[n.source].kind == "page"]


@pytest.mark.parametrize(("row", "note"), SEED_NOTES, ids=[f"{r}:{n.source}:{i}" for i, (r, n) in enumerate(SEED_NOTES)])
def test_seed_excerpt_is_verbatim_in_its_seed(row: str, note: SourceNote, seed_texts: dict[str, str]) -> None:
    text = _norm(seed_texts[KB.sources[note.source].seed_file])
    assert _norm(note.excerpt) in text, f"{row}: excerpt not found verbatim in {note.source}"
    assert _norm(note.section) in text or re.fullmatch(r"paragraph \d+", note.section), f"{row}: bad locator"
    assert len(note.excerpt.split()) <= MAX_EXCERPT_WORDS


@pytest.mark.parametrize(("row", "note"), PAGE_NOTES, ids=[f"{r}:{n.source}:{i}" for i, (r, n) in enumerate(PAGE_NOTES)])
def test_page_note_cites_a_read_page_with_a_short_excerpt(row: str, note: SourceNote) -> None:
    source = KB.sources[note.source]
    assert source.url.startswith("https://") and source.date_read and source.title
    assert 0 < len(note.excerpt.split()) <= MAX_EXCERPT_WORDS
    assert "..." not in note.excerpt and "\u2026" not in note.excerpt


@pytest.mark.parametrize("link", KB.links, ids=[f"links:{k.id}" for k in KB.links])
def test_link_is_sourced_and_frequency_matches_its_annotation_rows(link: Link) -> None:
    assert link.sources
    annotated = [n for n in link.sources if n.orpha]
    for note in annotated:
        row = KB.snapshot.annotation(note.orpha, note.hpo)
        assert row is not None and row.frequency == note.frequency
        assert note.orpha in KB.types[link.type].orpha
        mapped = KB.snapshot.terms[note.hpo].symptom
        assert mapped in _symptom_and_parents(link.symptom) or note.hpo in _anchors(link) or not mapped or \
            link.basis, "an Orphanet row mapped to another symptom needs the reviewer's basis"
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


@pytest.mark.parametrize("symptom_id", list(KB.symptoms), ids=[f"symptoms:{s}" for s in KB.symptoms])
def test_symptom_hpo_term_resolves_back_to_it(symptom_id: str) -> None:
    symptom = KB.symptoms[symptom_id]
    for hpo_id in symptom.hpo_ids:
        term = KB.snapshot.terms[hpo_id]
        assert term.via == "self"
        assert term.symptom in (symptom.id, symptom.refines)
    assert symptom.synonyms, "search needs lay and clinical synonyms"
    assert symptom.label and symptom.clinical


@pytest.mark.parametrize("type_id", list(KB.types), ids=[f"types:{t}" for t in KB.types])
def test_type_has_typical_findings_and_sources(type_id: str) -> None:
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
        "obligate", "very frequent", "frequent")
    assert tumor.syndrome_share and tumor.syndrome_share_sources


@pytest.mark.parametrize("mimic_id", list(KB.mimics), ids=[f"mimics:{m}" for m in KB.mimics])
def test_mimic_shares_symptoms_and_is_sourced(mimic_id: str) -> None:
    mimic = KB.mimics[mimic_id]
    assert mimic.findings and mimic.prevalence_sources and mimic.tell_apart and mimic.prevalence
    for finding in mimic.findings:
        assert finding.sources and all(KB.sources[n.source].kind in ("page", "seed") for n in finding.sources)


@pytest.mark.parametrize("flag_id", list(KB.red_flags), ids=[f"red_flags:{f}" for f in KB.red_flags])
def test_red_flag_tells_the_user_to_seek_care(flag_id: str) -> None:
    flag = KB.red_flags[flag_id]
    assert flag.urgency in ("emergency", "urgent", "soon") and flag.sources
    assert re.search(r"seek|call|emergency|doctor|medical (care|help|attention)|urgent|hospital|111|911",
                     flag.action.lower()), flag.action


@pytest.mark.parametrize("fact_id", list(KB.education), ids=[f"education:{f}" for f in KB.education])
def test_fact_is_sourced(fact_id: str) -> None:
    fact = KB.education[fact_id]
    assert fact.sources and fact.text and fact.title


@pytest.mark.parametrize("syndrome_id", list(KB.hormone_syndromes), ids=[f"hormone_syndromes:{s}" for s in KB.hormone_syndromes])
def test_hormone_syndrome_findings_are_linked_to_its_types(syndrome_id: str) -> None:
    syndrome = KB.hormone_syndromes[syndrome_id]
    for type_id in syndrome.types:
        linked = set(KB.links_by_type[type_id])
        assert linked & set(syndrome.findings), f"{type_id} has no link to any finding of {syndrome_id}"
        assert syndrome_id in KB.types[type_id].syndromes


@pytest.mark.parametrize("hereditary_id", list(KB.hereditary), ids=[f"hereditary:{h}" for h in KB.hereditary])
def test_hereditary_syndrome_raises_sourced_types(hereditary_id: str) -> None:
    h = KB.hereditary[hereditary_id]
    assert h.raises and all(r.sources and r.frequency for r in h.raises)


def test_catalog_has_the_issue_types() -> None:
    required = {"small-intestine-net", "appendix-net", "pancreatic-net-nonfunctional", "duodenal-net", "thymic-net",
                "insulinoma", "gastrinoma", "vipoma", "glucagonoma", "somatostatinoma", "lung-carcinoid",
                "small-cell-lung-cancer", "large-cell-neuroendocrine-carcinoma", "pheochromocytoma",
                "medullary-thyroid-carcinoma", "merkel-cell-carcinoma"}
    assert required <= set(KB.types)
    children = {g: sorted(t.id for t in KB.types.values() if t.parent == g) for g in KB.type_groups}
    assert children == {
        "gastric-net": ["gastric-net-type-1", "gastric-net-type-2", "gastric-net-type-3"],
        "colorectal-net": ["colon-net", "rectal-net"],
        "pituitary-net": ["pituitary-corticotroph", "pituitary-nonfunctioning", "pituitary-prolactinoma",
                          "pituitary-somatotroph"],
        "paraganglioma": ["paraganglioma-head-neck", "paraganglioma-sympathetic"],
    }
    assert {"men1", "men2", "vhl", "nf1", "tsc"} <= set(KB.hereditary)
    expected_codes = {"insulinoma": "ORPHA:97279", "gastrinoma": "ORPHA:913", "small-intestine-net": "ORPHA:100078",
                      "lung-carcinoid": "ORPHA:97287"}
    for type_id, code in expected_codes.items():
        assert code in KB.types[type_id].orpha
    assert "ORPHA:100093" in KB.hormone_syndromes["carcinoid-syndrome"].orpha


SEED_000_SYMPTOM_LINES = [
    "Flushing (redness, warmth) in the face or neck without sweating", "Persistent pain in a specific area of the body",
    "Diarrhea, including at nighttime", "Thickening or a lump in any part of the body", "Nausea or vomiting",
    "Changes in bowel or bladder habits", "Shortness of breath, rapid heartbeat/palpitations", "High blood pressure",
    "Fatigue and weakness", "Abdominal pain, cramping, feeling of fullness", "Unexplained weight gain or loss",
    "Wheezing, coughing or hoarseness that doesn't go away", "Swelling in the feet and ankles",
    "Skin lesions, discolored patches of skin, thin skin, skin rash",
    "High blood glucose levels (frequent urination, increased thirst, increased hunger)",
    "Low blood glucose levels (shakiness, dizziness, sweating, fainting)", "Jaundice", "Unusual bleeding or discharge",
    "Anxiety", "Confusion", "Nutritional deficiencies",
]


@pytest.mark.parametrize("line", SEED_000_SYMPTOM_LINES)
def test_every_seed_000_symptom_line_is_covered(line: str, seed_texts: dict[str, str]) -> None:
    assert _norm(line) in _norm(seed_texts["000_1b45ffbfcf81b421.txt"])
    covering = [s for s in KB.symptoms.values() if any(_norm(n.excerpt) == _norm(line) for n in s.sources)]
    assert covering, f"no symptom cites the seed line: {line}"
