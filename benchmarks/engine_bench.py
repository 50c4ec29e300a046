"""Figure 1: time per rank() query, shipped tables and Orphanet scale, beside a Phenomizer-style baseline.

The baseline ranks the same candidates for the same queries by HPO set similarity with pyhpo
(best-match average of Resnik similarity, Orphanet information content), as Phenomizer does. pyhpo's
Ontology() is loaded once, outside any timing; so are every candidate's HPOSet and the engine's own
per-knowledge-base caches (one warm-up query).
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.stats import Figure, figure_from, ratio_figure, time_call
from benchmarks.synthetic import OrphanetData, orphanet_kb
from checker import KnowledgeBase, Query, load_knowledge, rank
from checker.model import QUERY_STATUSES

SHIPPED_TARGET_MS = 0.5
ORPHANET_TARGET_MS = 10.0
SEARCH_TARGET_MS = 2.0
LAY_PHRASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "lay_search_phrases.yaml"
SIMILARITY = {"kind": "orpha", "method": "resnik", "combine": "BMA"}


@dataclass(frozen=True)
class Settings:
    shipped_queries: int
    shipped_baseline_queries: int
    orphanet_queries: int
    orphanet_baseline_queries: int
    seed: int = 20261122


QUICK = Settings(shipped_queries=400, shipped_baseline_queries=40, orphanet_queries=12, orphanet_baseline_queries=2)
FULL = Settings(shipped_queries=3000, shipped_baseline_queries=200, orphanet_queries=60, orphanet_baseline_queries=6)


def shipped_queries(kb: KnowledgeBase, count: int, rng: random.Random) -> list[Query]:
    """Realistic queries: 3-8 findings, mostly linked to one type, sometimes one unrelated; status, syndrome."""
    types = list(kb.links_by_type)
    all_symptoms = list(kb.symptoms)
    out = []
    for _ in range(count):
        linked = [s for s, link in kb.links_by_type[rng.choice(types)].items() if link.frequency != "excluded"]
        size = rng.randint(3, 8)
        present = rng.sample(linked, min(size, len(linked)))
        if rng.random() < 0.3 or len(present) < size:
            present.append(rng.choice(all_symptoms))
        absent = rng.sample(all_symptoms, rng.choice((0, 0, 1, 2)))
        syndrome = rng.choice(list(kb.hereditary)) if kb.hereditary and rng.random() < 0.15 else None
        out.append(
            Query(present=tuple(present[:8]), absent=tuple(absent), functional=rng.choice(QUERY_STATUSES), syndrome=syndrome)
        )
    return out


def orphanet_queries(data: OrphanetData, count: int, rng: random.Random) -> list[Query]:
    """3-8 HPO terms: all but one from one disease's annotations, one any HPO term of the release."""
    diseases = [d for d, terms in data.disease_terms.items() if len(terms) >= 2]
    out = []
    for _ in range(count):
        terms = data.disease_terms[rng.choice(diseases)]
        size = rng.randint(3, 8)
        present = rng.sample(terms, min(size - 1, len(terms))) + [rng.choice(data.all_terms)]
        out.append(Query(present=tuple(present)))
    return out


class Baseline:
    """Phenomizer-style ranking: similarity of the query's HPOSet to each candidate's HPOSet, best first."""

    def __init__(self, candidates: dict[str, Sequence[str]]) -> None:
        from pyhpo import HPOSet, Ontology

        self._hposet = HPOSet
        self._ontology = Ontology
        self.sets = {}
        for cid, terms in candidates.items():
            known = [t for t in terms if self._term(t) is not None]
            if known:
                self.sets[cid] = HPOSet.from_queries(known)

    def _term(self, hpo_id: str) -> Any:
        try:
            return self._ontology.get_hpo_object(hpo_id)
        except (RuntimeError, ValueError, KeyError, IndexError):
            return None

    def query_set(self, hpo_ids: Sequence[str]) -> Any:
        return self._hposet.from_queries([t for t in dict.fromkeys(hpo_ids) if self._term(t) is not None])

    def rank(self, query_set: Any) -> list[tuple[float, str]]:
        scores = [(query_set.similarity(other, **SIMILARITY), cid) for cid, other in self.sets.items()]
        scores.sort(key=lambda item: (-item[0], item[1]))
        return scores


def load_ontology() -> float:
    """Load pyhpo's Ontology once (about 15-60 s); returns the seconds it took."""
    from pyhpo import Ontology

    start = time.perf_counter()
    Ontology()
    return time.perf_counter() - start


def _side_by_side(
    queries: Sequence[Query], engine: Callable[[Query], Any], baseline_count: int, baseline: Callable[[Query], Any] | None
) -> tuple[list[float], list[float]]:
    """Engine time for every query; baseline time for the first `baseline_count`, interleaved (A B A B ...).

    Everything built before (tables, pyhpo's Ontology, candidate sets) is moved out of the garbage
    collector's reach with gc.freeze(), so neither side pays for scanning the other's large heap.
    """
    engine_times, baseline_times = [], []
    gc.collect()
    gc.freeze()
    try:
        for index, query in enumerate(queries):
            start = time.perf_counter()
            engine(query)
            engine_times.append(time.perf_counter() - start)
            if baseline is not None and index < baseline_count:
                start = time.perf_counter()
                baseline(query)
                baseline_times.append(time.perf_counter() - start)
    finally:
        gc.unfreeze()
    return engine_times, baseline_times


def profile_engine(kb: KnowledgeBase, queries: Sequence[Query], top: int = 8) -> dict[str, Any]:
    """Where rank() spends its time: the top functions by own time, as text and as data."""
    profiler = cProfile.Profile()
    gc.collect()
    gc.freeze()
    profiler.enable()
    try:
        for query in queries:
            rank(kb, query)
    finally:
        profiler.disable()
        gc.unfreeze()
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1e-9
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{filename.split('/')[-1]}:{line}({name})",
                "calls": calls,
                "own_s": round(tottime, 4),
                "cumulative_s": round(cumtime, 4),
                "own_share": round(tottime / total, 3),
            }
        )
    rows.sort(key=lambda r: -r["own_s"])
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return {"queries": len(queries), "total_s": round(total, 3), "top": rows[:top]}


def search_keystrokes(kb: KnowledgeBase, rounds: int) -> list[float]:
    """Seconds per search as typed: every prefix of each phrase in tests/data/lay_search_phrases.yaml, in order,
    as the search box asks on each keystroke (what earlier keystrokes computed may be reused, as in the app)."""
    import yaml

    from checker.search import search_symptoms

    phrases = [row["phrase"] for row in yaml.safe_load(LAY_PHRASES.read_text(encoding="utf-8"))]
    times = []
    for _ in range(rounds):
        for phrase in phrases:
            for end in range(1, len(phrase) + 1):
                times.append(time_call(lambda text=phrase[:end]: search_symptoms(kb, text)))
    return times


def run(quick: bool, log: Callable[[str], None] = print) -> tuple[list[Figure], dict[str, Any]]:
    settings = QUICK if quick else FULL
    rng = random.Random(settings.seed)
    figures: list[Figure] = []
    details: dict[str, Any] = {}

    kb = load_knowledge()
    log("engine: search as you type, every prefix of the lay phrases ...")
    keystrokes = search_keystrokes(kb, 1 if quick else 3)
    figures.append(
        figure_from(
            "search_keystroke",
            "Search as you type: one keystroke (search_symptoms, every prefix of the 107 lay phrases)",
            keystrokes,
            "ms",
            target=f"<= {SEARCH_TARGET_MS:g} ms",
            limit=SEARCH_TARGET_MS,
        ).judge()
    )
    queries = shipped_queries(kb, settings.shipped_queries, rng)
    rank(kb, queries[0])  # warm the per-kb evidence index

    log("engine: loading pyhpo's Ontology for the baseline (once, untimed) ...")
    details["ontology_load_s"] = round(load_ontology(), 1)
    hpo_of = {sid: s.hpo.id for sid, s in kb.symptoms.items()}
    baseline = Baseline(
        {tid: [hpo_of[s] for s, link in links.items() if link.frequency != "excluded"] for tid, links in kb.links_by_type.items()}
    )
    query_sets = {id(q): baseline.query_set([hpo_of[s] for s in q.present]) for q in queries}
    log(f"engine: {len(queries)} shipped-table queries ({len(kb.types)} types) ...")
    engine_times, base_times = _side_by_side(
        queries, lambda q: rank(kb, q), settings.shipped_baseline_queries, lambda q: baseline.rank(query_sets[id(q)])
    )
    shipped = figure_from(
        "engine_shipped",
        "Engine: rank() on shipped tables",
        engine_times,
        "ms",
        target=f"< {SHIPPED_TARGET_MS} ms",
        limit=SHIPPED_TARGET_MS,
    ).judge()
    base_shipped = figure_from("baseline_shipped", "Baseline: pyhpo Resnik BMA, same queries and types", base_times, "ms")
    engine_paired = figure_from("engine_shipped_paired", "", engine_times[: len(base_times)], "ms")
    figures += [
        shipped,
        base_shipped,
        ratio_figure(
            "engine_vs_baseline_shipped",
            "Engine / baseline time, shipped tables",
            engine_paired,
            base_shipped,
            target="< 1x (faster)",
            limit=1.0,
        ).judge(),
    ]

    log("engine: building the Orphanet-scale knowledge base from pyhpo's phenotype.hpoa ...")
    start = time.perf_counter()
    data = orphanet_kb()
    details["orphanet_kb"] = {
        "types": len(data.kb.types),
        "links": len(data.kb.links),
        "symptoms": len(data.kb.symptoms),
        "build_s": round(time.perf_counter() - start, 1),
    }
    big_queries = orphanet_queries(data, settings.orphanet_queries, rng)
    start = time.perf_counter()
    rank(data.kb, big_queries[0])
    details["orphanet_first_query_s"] = round(time.perf_counter() - start, 3)
    from pyhpo import Ontology

    big_baseline = Baseline({f"ORPHA:{d.id}": [int(t) for t in d.hpo] for d in Ontology.orpha_diseases})
    big_sets = {id(q): big_baseline.query_set(list(q.present)) for q in big_queries}
    details["orphanet_baseline_candidates"] = len(big_baseline.sets)
    log(f"engine: {len(big_queries)} Orphanet-scale queries, baseline on {settings.orphanet_baseline_queries} ...")
    engine_times, base_times = _side_by_side(
        big_queries, lambda q: rank(data.kb, q), settings.orphanet_baseline_queries, lambda q: big_baseline.rank(big_sets[id(q)])
    )
    big = figure_from(
        "engine_orphanet",
        f"Engine: rank() at Orphanet scale ({len(data.kb.types)} types, {len(data.kb.links)} links)",
        engine_times,
        "ms",
        target=f"< {ORPHANET_TARGET_MS:g} ms",
        limit=ORPHANET_TARGET_MS,
    ).judge()
    base_big = figure_from("baseline_orphanet", "Baseline: pyhpo Resnik BMA at Orphanet scale", base_times, "ms")
    engine_paired = figure_from("engine_orphanet_paired", "", engine_times[: len(base_times)], "ms")
    figures += [
        big,
        base_big,
        ratio_figure(
            "engine_vs_baseline_orphanet",
            "Engine / baseline time, Orphanet scale",
            engine_paired,
            base_big,
            target="< 1x (faster)",
            limit=1.0,
        ).judge(),
    ]
    if not big.met:
        sample = big_queries[: min(10, len(big_queries))]
        details["orphanet_profile"] = profile_engine(data.kb, sample)
    return figures, details
