"""One condition's column of a breakdown, as labelled contributions for its card."""

from __future__ import annotations

from typing import Any

from checker.scoring.index import ScoringIndex
from checker.scoring.query import Contribution, ContributionKind
from checker.scoring.score import Breakdown

Parts = tuple[tuple[Contribution, ...], ...]
Pictures = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]


def _via(index: ScoringIndex, symptom: str, via: str | None) -> dict[str, Any]:
    """The related finding a line was counted through: its label, and whether it is narrower than `symptom` (not in
    the chain of findings `symptom` refines)."""
    if via is None:
        return {}
    return {"via_label": index.kb.symptoms[via].label, "via_narrower": via not in index.chains[symptom]}


def _points(centi_points: int) -> tuple[float, float]:
    points = int(centi_points) / 100
    return points, 2**points


def column(index: ScoringIndex, b: Breakdown, position: int) -> tuple[Parts, Pictures]:
    """The contributions of one condition (position) in `b`, in runs: prior; findings, pictures and ruled-out
    findings; hormone status, inherited syndrome and context. Each amount is read from `b`'s arrays."""
    kb = index.kb
    is_type = position < index.n_types
    row = index.types[position] if is_type else index.mimics[position - index.n_types]
    if is_type:
        how: str = index.types[position].incidence
        sources = index.types[position].incidence_sources
    else:
        mimic = index.mimics[position - index.n_types]
        how, sources = mimic.prevalence, mimic.prevalence_sources
    before: list[Contribution] = []
    prior = int(b.prior[position])
    if prior or not is_type:
        points, ratio = _points(prior)
        before.append(Contribution("prior", f"{row.name} is {how}", points, sources=sources, ratio=ratio))

    findings: list[Contribution] = []
    for i, symptom in enumerate(b.present):
        evidence = index.present_rows(b.mode, symptom).get(position) or b.imputed.get((i, position))
        points, ratio = _points(b.findings[i, position])
        label = kb.symptoms[symptom].label
        background = kb.symptoms[symptom].background
        if evidence is None:
            findings.append(Contribution("unexplained", label, points, symptom, None, None, (), ratio, background))
            continue
        via = None if evidence.symptom == symptom else evidence.symptom
        kind: ContributionKind = "excluded" if evidence.frequency == "excluded" else "finding"
        findings.append(
            Contribution(
                kind,
                label,
                points,
                symptom,
                evidence.frequency,
                via,
                evidence.sources,
                ratio,
                background,
                **_via(index, symptom, via),
            )
        )
    for symptom in b.implied:
        findings.append(Contribution("implied", kb.symptoms[symptom].label, 0.0, symptom))
    pictures = []
    for picture in b.pictures:
        members = tuple(b.present[i] for i in range(len(b.present)) if picture.members[i, position])
        if not members:
            continue
        syndrome = kb.hormone_syndromes[picture.syndrome]
        points, ratio = _points(picture.adjustment[position])
        if points or len(members) > 1:
            findings.append(
                Contribution(
                    "picture",
                    syndrome.name,
                    points,
                    frequency=None,
                    ratio=ratio,
                    members=members,
                    background=syndrome.background,
                    sources=syndrome.background_sources,
                )
            )
        telling = tuple(s for i, s in enumerate(b.present) if s not in members and b.findings[i, position] > 0)
        pictures.append((syndrome.name, members, telling))
    for i, symptom in enumerate(b.absent_ids):
        evidence = index.absent_rows(symptom).get(position)
        points, ratio = _points(b.absent[i, position])
        via = None if evidence is None or evidence.symptom == symptom else evidence.symptom
        findings.append(
            Contribution(
                "absent",
                kb.symptoms[symptom].label,
                points,
                symptom,
                evidence.frequency if evidence is not None else None,
                via,
                evidence.sources if evidence is not None else (),
                ratio,
                kb.symptoms[symptom].background,
                **_via(index, symptom, via),
            )
        )

    after: list[Contribution] = []
    status = int(b.status[position])
    if is_type and (status or b.reading):
        tumor = index.types[position]
        points, ratio = _points(status)
        if b.reading:
            if status:
                after.append(
                    Contribution(
                        "reading",
                        "Hormone status not given: read with its hormone syndrome",
                        points,
                        frequency=tumor.syndrome_share or None,
                        sources=tumor.syndrome_share_sources,
                        ratio=ratio,
                    )
                )
        else:
            label = "Hormone symptoms reported" if b.mode == "functional" else "No hormone symptoms reported"
            after.append(
                Contribution(
                    "functional",
                    label,
                    points,
                    frequency=tumor.syndrome_share or None,
                    sources=tumor.syndrome_share_sources,
                    ratio=ratio,
                )
            )
    if is_type and b.syndrome is not None:
        points, ratio = _points(b.hereditary[position])
        inherited = kb.hereditary[b.syndrome]
        raised = next((r for r in inherited.raises if r.type == row.id), None)
        after.append(
            Contribution(
                "syndrome",
                inherited.name,
                points,
                frequency=raised.frequency if raised else None,
                sources=raised.sources if raised else (),
                ratio=ratio,
            )
        )
    for i, item in enumerate(b.context_items):
        link = index.context_links[item].get(position)
        if link is None:
            continue
        points, ratio = _points(b.context[i, position])
        after.append(
            Contribution(
                "context", kb.population[item].label, points, frequency=link.frequency, sources=link.sources, ratio=ratio
            )
        )
    return (tuple(before), tuple(findings), tuple(after)), tuple(pictures)
