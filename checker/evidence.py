"""The probability tables the engine reads, derived once per knowledge base (kept as `kb.evidence`).

Every number here follows from the rule tables by a stated formula (see the README's scoring section):
P(finding | condition) is the mid-point of the link's frequency class, FLOOR when the tables do not
link them; the alternatives to a condition are all the other conditions (NET types and look-alikes),
weighted equally.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from checker.model import FREQUENCIES, FREQUENCY_MIDPOINTS, TYPICAL, KnowledgeBase, Link, SourceNote

FLOOR = 0.01
"""P(finding | condition) for a finding the tables do not link to the condition (below 'very rare', 1-4%)."""

PRIOR_ODDS: dict[str, float] = {"very common": 1 / 10, "common": 1 / 100, "uncommon": 1 / 1000, "rare": 1 / 10000}
"""A representative prevalence per class; a look-alike's prior is log2 of its class against 'rare' (every NET)."""

INCIDENCE_ODDS: dict[str, float] = {"rare": 1e-5, "very rare": 1e-6, "extremely rare": 1e-7}
"""New cases per person per year, one per NET incidence class; a type's prior is log2 of its class against 'rare'."""

MODES = ("base", "functional")
"""'functional': the query reports hormone symptoms, so links read their `when_functional` class where given."""


@dataclass(frozen=True)
class Evidence:
    """One condition's probability for one finding, and the table row it comes from."""

    p: float
    frequency: str
    sources: tuple[SourceNote, ...]
    symptom: str
    """The symptom the row is about (a general symptom when the reported one refines it)."""


Key = tuple[str, str]
"""A condition: ('type', id) or ('mimic', id)."""


@dataclass(frozen=True)
class ExpectedFinding:
    """A typical finding of a condition, with how strongly it would point there if reported."""

    symptom: str
    label: str
    frequency: str
    sources: tuple[SourceNote, ...]
    ratio: float = 1.0


class EvidenceIndex:
    """Per symptom: which conditions it points to and how strongly, with the totals the ratios need."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.type_keys: tuple[Key, ...] = tuple(("type", t) for t in kb.types)
        self.mimic_keys: tuple[Key, ...] = tuple(("mimic", m) for m in kb.mimics)
        self.n = len(self.type_keys) + len(self.mimic_keys)
        self.n_types = len(self.type_keys)
        self.chains = _chains(kb)
        self.descendants = _descendants(kb, self.chains)
        direct = {mode: self._direct(kb, mode) for mode in MODES}
        self.present = {mode: self._through_chains(kb, direct[mode]) for mode in MODES}
        self.present_total = {mode: self._totals(self.present[mode]) for mode in MODES}
        self.mode_sensitive = frozenset(
            s for s in kb.symptoms
            if {k: e.p for k, e in self.present["base"][s].items()} != {k: e.p for k, e in self.present["functional"][s].items()})
        """Symptoms whose rows change when hormone symptoms are reported (a 'when_functional' class somewhere)."""
        self.absent = self._through_descendants(kb, direct["base"])
        self.absent_total = self._totals(self.absent)
        self.linked_mimics = {mode: {s: frozenset(k[1] for k in rows if k[0] == "mimic")
                                     for s, rows in self.present[mode].items()} for mode in MODES}
        """Per mode and symptom: the look-alikes the symptom counts for (their rows may still be 'excluded')."""
        self.status_p = {t.id: FREQUENCY_MIDPOINTS[t.syndrome_share] if t.syndrome_share else FLOOR
                         for t in kb.types.values()}
        self.status_total = sum(self.status_p.values())
        self.syndrome_p = {h.id: {r.type: FREQUENCY_MIDPOINTS[r.frequency] if r.frequency else FLOOR for r in h.raises}
                           for h in kb.hereditary.values()}
        self.syndrome_total = {h: sum(rows.values()) + (self.n_types - len(rows)) * FLOOR
                               for h, rows in self.syndrome_p.items()}
        self.expected = self._expected(kb, direct["base"])
        self.memo: dict[tuple[object, ...], object] = {}
        """The engine's amounts that depend on the tables alone (per symptom, per condition), kept across queries."""
        self.types_by_name = tuple(sorted(kb.types.values(), key=lambda t: (t.name, t.id)))
        self.mimics_by_name = tuple(sorted(kb.mimics.values(), key=lambda m: (m.name, m.id)))
        """Rows in (name, id) order, so that a stable sort by score breaks ties by name."""
        self.name_rank = {t.id: i for i, t in enumerate(self.types_by_name)}
        """Type id -> its position in name order: the ranking's arrays run over the types in this order."""

    @staticmethod
    def _direct(kb: KnowledgeBase, mode: str) -> dict[str, dict[Key, Evidence]]:
        out: dict[str, dict[Key, Evidence]] = {s: {} for s in kb.symptoms}
        for link in kb.links:
            frequency = _frequency(link, mode)
            out[link.symptom][("type", link.type)] = Evidence(FREQUENCY_MIDPOINTS[frequency], frequency, link.sources,
                                                               link.symptom)
        for mimic in kb.mimics.values():
            for finding in mimic.findings:
                out[finding.symptom][("mimic", mimic.id)] = Evidence(FREQUENCY_MIDPOINTS[finding.frequency],
                                                                      finding.frequency, finding.sources,
                                                                      finding.symptom)
        return out

    def _through_chains(self, kb: KnowledgeBase, direct: dict[str, dict[Key, Evidence]]) -> dict[str, dict[Key, Evidence]]:
        """A reported symptom counts through its own row; else the likeliest row of a narrower symptom that refines
        it (diarrhea is at least as common as watery diarrhea); else the row of the nearest general symptom."""
        out: dict[str, dict[Key, Evidence]] = {}
        for symptom in kb.symptoms:
            rows: dict[Key, Evidence] = dict(direct[symptom])
            for narrower in self.descendants[symptom][1:]:
                for key, evidence in direct[narrower].items():
                    if key not in direct[symptom] and (key not in rows or evidence.p > rows[key].p):
                        rows[key] = evidence
            for general in self.chains[symptom][1:]:
                for key, evidence in direct[general].items():
                    rows.setdefault(key, evidence)
            out[symptom] = rows
        return out

    def _through_descendants(self, kb: KnowledgeBase,
                             direct: dict[str, dict[Key, Evidence]]) -> dict[str, dict[Key, Evidence]]:
        """A ruled-out symptom also rules out every symptom that refines it: the likeliest of them counts."""
        out: dict[str, dict[Key, Evidence]] = {}
        for symptom in kb.symptoms:
            rows: dict[Key, Evidence] = {}
            for narrower in self.descendants[symptom]:
                for key, evidence in direct[narrower].items():
                    if key not in rows or evidence.p > rows[key].p:
                        rows[key] = evidence
            out[symptom] = rows
        return out

    def _totals(self, table: dict[str, dict[Key, Evidence]]) -> dict[str, float]:
        return {s: sum(e.p for e in rows.values()) + (self.n - len(rows)) * FLOOR for s, rows in table.items()}

    def _expected(self, kb: KnowledgeBase,
                  direct: dict[str, dict[Key, Evidence]]) -> dict[Key, tuple[ExpectedFinding, ...]]:
        """Per condition: its typical findings, the most telling first (highest ratio, then class, then id)."""
        out: dict[Key, list[ExpectedFinding]] = {k: [] for k in (*self.type_keys, *self.mimic_keys)}
        for symptom, rows in direct.items():
            total = sum(e.p for e in rows.values()) + (self.n - len(rows)) * FLOOR
            label = kb.symptoms[symptom].label
            for key, evidence in rows.items():
                if evidence.frequency in TYPICAL:
                    ratio = evidence.p / mean_others(total, evidence.p, self.n)
                    out[key].append(ExpectedFinding(symptom, label, evidence.frequency, evidence.sources, ratio))
        return {k: tuple(sorted(v, key=lambda e: (-e.ratio, FREQUENCIES.index(e.frequency), e.symptom)))
                for k, v in out.items()}


def mean_others(total: float, own: float, n: int) -> float:
    """The average probability over the other conditions."""
    return (total - own) / max(n - 1, 1)


def log2_ratio(ratio: float) -> float:
    return round(math.log2(ratio), 2)


def _frequency(link: Link, mode: str) -> str:
    return link.when_functional if mode == "functional" and link.when_functional else link.frequency


def _chains(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Per symptom: itself, then each symptom it refines, nearest first."""
    out = {}
    for symptom in kb.symptoms.values():
        chain = [symptom.id]
        parent = symptom.refines
        while parent and parent not in chain and parent in kb.symptoms:
            chain.append(parent)
            parent = kb.symptoms[parent].refines
        out[symptom.id] = tuple(chain)
    return out


def _descendants(kb: KnowledgeBase, chains: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Per symptom: itself and every symptom that refines it (directly or not)."""
    out: dict[str, list[str]] = {s: [] for s in kb.symptoms}
    for symptom, chain in chains.items():
        for general in chain:
            out[general].append(symptom)
    return {s: tuple(v) for s, v in out.items()}
