"""Turn a ranking Result into plain data, a text table, a Markdown handout or CSV (CLI and app share these).

Source notes are rendered here, once, as plain text (note_text) or escaped Markdown (note_markdown). The handouts
are built with checker.markup (every table string escaped), and every CSV cell goes through checker.text.csv_cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from checker.markup import Markdown, code, escaped, join, link, md, md_file, trusted
from checker.model import KnowledgeBase, SourceNote
from checker.notice import BASE_RATE_NOTE, DISCLAIMER, STRENGTH_NOTE
from checker.scoring import Candidate, Contribution, MimicCandidate, Query, Result
from checker.text import csv_text
from checker.wording import (
    FIT_AND_RANK,
    STRENGTH_EXPLANATIONS,
    explained_by_text,
    lower_first,
    picture_sentences,
    sentence,
)


def note_dict(kb: KnowledgeBase, note: SourceNote) -> dict[str, str]:
    """A source note as plain data, with the cited document's title (and URL when it has one)."""
    source = kb.sources[note.source]
    out = {"source": note.source, "kind": source.kind, "title": source.title}
    for key in ("section", "excerpt", "orpha", "hpo", "frequency", "suggests", "figure", "denominator"):
        value = getattr(note, key)
        if value:
            out[key] = value
    if source.url:
        out["url"] = source.url
    return out


def note_text(kb: KnowledgeBase, note: SourceNote) -> str:
    """One plain-text line naming where a claim comes from (CLI, CSV)."""
    source = kb.sources[note.source]
    if source.kind == "annotation":
        return f"Orphanet {note.orpha} / {note.hpo} ({note.frequency}), HPO annotations {source.version}"
    where = f", {note.section}" if note.section else ""
    link = f" <{source.url}>" if source.url else ""
    figure = f"; figure: {note.figure} of {note.denominator}" if note.figure else ""
    return f"{source.title}{where}: \u201c{note.excerpt}\u201d{figure}{link}"


def note_markdown(kb: KnowledgeBase, note: SourceNote, streamlit: bool = True) -> Markdown:
    """One escaped Markdown line for a source note: document, locator, excerpt and a link when the URL is safe
    (``streamlit``: md for a page, md_file for a file)."""
    fill = md if streamlit else md_file
    source = kb.sources.get(note.source)
    if source is None:
        return fill("{source}", source=note.source)
    if source.kind == "annotation":
        return fill(
            "{text}",
            text=f"Orphanet {note.orpha} / {note.hpo}: {note.frequency}, HPO annotations release "
            f"{source.version} ({source.licence})",
        )
    title = source.title if not source.title.startswith("(no title") else ""
    if title and source.publisher:
        parts = [fill("*{title}* ({publisher})", title=title, publisher=source.publisher)]
    else:
        parts = [fill("*{name}*", name=title or source.publisher or source.id)]
    if note.section:
        parts.append(fill(", section: {section}", section=note.section))
    if note.excerpt:
        parts.append(fill(": \u201c{excerpt}\u201d", excerpt=note.excerpt))
    if note.figure:
        parts.append(fill("; figure: {figure} of {denominator}", figure=note.figure, denominator=note.denominator))
    if note.suggests:
        parts.append(fill(" (wording suggests: {suggests})", suggests=note.suggests))
    if source.url and link("x", source.url) != "x":
        parts.append(md(" {link}", link=link("open source", source.url)))
    return join("", parts)


def contribution_dict(kb: KnowledgeBase, item: Contribution) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": item.kind,
        "label": item.label,
        "contribution": item.points,
        "ratio": round(item.ratio, 3),
        "explanation": sentence(item),
    }
    if item.symptom:
        out["symptom"] = item.symptom
    if item.frequency:
        out["frequency"] = item.frequency
    if item.via:
        out["via"] = item.via
    out["sources"] = [note_dict(kb, n) for n in item.sources]
    return out


def _scored_fields(kb: KnowledgeBase, item: Candidate | MimicCandidate) -> dict[str, Any]:
    labels = {s.id: s.label for s in kb.symptoms.values()}
    return {
        "score": item.score,
        "fit": item.fit,
        "strength": item.strength,
        "strength_explanation": STRENGTH_EXPLANATIONS[item.strength],
        "pictures": picture_sentences(item, labels),
        "contributions": [contribution_dict(kb, c) for c in item.contributions],
        "matched": [contribution_dict(kb, c) for c in item.matched],
        "modifiers": [contribution_dict(kb, c) for c in item.modifiers],
        "against": [contribution_dict(kb, c) for c in item.against],
        "expected_not_reported": [
            {"symptom": e.symptom, "label": e.label, "frequency": e.frequency} for e in item.expected_not_reported
        ],
    }


def candidate_dict(kb: KnowledgeBase, cand: Candidate) -> dict[str, Any]:
    explained = None
    if cand.explained_by:
        mimic = kb.mimics[cand.explained_by]
        explained = {"id": mimic.id, "name": mimic.name, "why": explained_by_text(cand, mimic.name)}
    return {
        "id": cand.type.id,
        "parent": cand.type.parent,
        "name": cand.type.name,
        "site": cand.type.site,
        "orpha": list(cand.type.orpha),
        **_scored_fields(kb, cand),
        "explained_by": explained,
    }


def mimic_dict(kb: KnowledgeBase, item: MimicCandidate) -> dict[str, Any]:
    return {
        "id": item.mimic.id,
        "name": item.mimic.name,
        "prevalence": item.mimic.prevalence,
        "shared": list(item.shared),
        **_scored_fields(kb, item),
        "tell_apart": item.mimic.tell_apart,
    }


def result_dict(
    kb: KnowledgeBase, result: Result, top: int | None = None, unmapped_hpo: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The CLI's JSON shape: disclaimer, query, candidates best first, mimics, red flags."""
    query = result.query
    candidates = result.candidates[:top] if top else result.candidates
    return {
        "disclaimer": DISCLAIMER,
        "strength_note": STRENGTH_NOTE,
        "fit_and_rank": FIT_AND_RANK,
        "rules_version": kb.version,
        "query": {
            "symptoms": list(query.present),
            "absent": list(query.absent),
            "functional": query.functional,
            "syndrome": query.syndrome,
            "age": query.age,
            "sex": query.sex,
            "history": list(query.history),
            "no_history": list(query.no_history),
            "unmapped_hpo": unmapped_hpo or [],
        },
        "candidates": [candidate_dict(kb, c) for c in candidates],
        "mimics": [mimic_dict(kb, m) for m in result.mimics],
        "ruled_out": [{"kind": r.kind, "id": r.id, "name": r.name, "because_not": list(r.items)} for r in result.ruled_out],
        "red_flags": [
            {
                "id": f.flag.id,
                "urgency": f.flag.urgency,
                "message": f.flag.message,
                "action": f.flag.action,
                "triggered_by": list(f.triggered_by),
            }
            for f in result.red_flags
        ],
    }


def _query_lines(kb: KnowledgeBase, result: Result) -> list[str]:
    q = result.query
    present = ", ".join(kb.symptoms[s].label for s in q.present) or "none"
    absent = ", ".join(kb.symptoms[s].label for s in q.absent) or "none"
    syndrome = kb.hereditary[q.syndrome].name if q.syndrome else "none"
    lines = [
        f"Present: {present}",
        f"Ruled out: {absent}",
        f"Hormone symptoms: {q.functional}",
        f"Hereditary syndrome: {syndrome}",
    ]
    context = context_words(kb, q)
    if context:
        lines.append(f"Context: {context}")
    if result.ruled_out:
        lines.append(
            "Left out by the context: " + "; ".join(f"{r.name} (no {context_items(kb, r.items)})" for r in result.ruled_out)
        )
    return lines


def context_items(kb: KnowledgeBase, items: Iterable[str]) -> str:
    """Context items' labels inside a sentence: 'stomach or esophagus surgery (...), female'."""
    return ", ".join(lower_first(kb.population[i].label) for i in items if i in kb.population)


def context_words(kb: KnowledgeBase, q: Query) -> str:
    """Age band, sex and history as given, in words ('' when none was given)."""
    parts = []
    if q.age:
        parts.append(kb.population[q.age].label if q.age in kb.population else q.age)
    if q.sex:
        parts.append(q.sex)
    parts += [kb.population[h].label for h in q.history if h in kb.population]
    parts += [f"no {lower_first(kb.population[h].label)}" for h in q.no_history if h in kb.population]
    return ", ".join(parts)


def text_table(kb: KnowledgeBase, result: Result, top: int = 10) -> str:
    """The human-readable ranking: notice first, red flags, the ranked types, then mimics."""
    lines = [f"NOTICE: {DISCLAIMER}", ""]
    for hit in result.red_flags:
        lines.append(f"RED FLAG - seek medical care: {hit.flag.message} {hit.flag.action}")
    if result.red_flags:
        lines.append("")
    lines += _query_lines(kb, result) + [""]
    if result.mimics:
        lines.append("Common conditions that explain these findings (think of these first):")
        lines.append(f"{'#':>2}  {'Condition':<52} {'Fit':<9} {'Score':>6}  Shares")
        for index, m in enumerate(result.mimics[:top], start=1):
            shares = ", ".join(kb.symptoms[s].label for s in m.shared)
            lines.append(f"{index:>2}  {m.mimic.name:<52} {m.strength:<9} {m.score:>6.1f}  {shares}")
        lines.append("")
    lines.append("NET types (label: how well the findings fit; order: fit and how common each type is):")
    lines.append(f"{'#':>2}  {'Type':<52} {'Fit':<9} {'Score':>6}  Why")
    for index, cand in enumerate(result.candidates[:top], start=1):
        why = "; ".join(f"{c.label} ({c.points:+.1f})" for c in _biggest_first(cand.matched)) or "-"
        lines.append(f"{index:>2}  {cand.type.name:<52} {cand.strength:<9} {cand.score:>6.1f}  {why}")
    lines += ["", STRENGTH_NOTE, "", BASE_RATE_NOTE]
    return "\n".join(lines)


def _biggest_first(items: tuple[Contribution, ...] | list[Contribution]) -> list[Contribution]:
    return sorted(items, key=lambda c: (-abs(c.points), c.label))


def leading_reasons(cand: Candidate, count: int) -> list[Contribution]:
    """The `count` contributions that raise a type's score most (the one line of why on cards and handouts)."""
    return [c for c in _biggest_first(cand.contributions) if c.points > 0][:count]


def markdown_handout(kb: KnowledgeBase, result: Result, top: int = 5, today: date | None = None) -> Markdown:
    """A printable handout: notice, query, red flags, ranked types with reasons and sources, mimics.

    Every string from the tables is escaped, so the file renders as text in any Markdown viewer."""
    today = today or date.today()
    blank = trusted("")
    out = [
        trusted("# NET checker handout (educational)"),
        blank,
        md_file("> **{notice}**", notice=DISCLAIMER),
        blank,
        md_file(
            "Date: {today} | Rules version: {version} | HPO/Orphanet release: {release}",
            today=today.isoformat(),
            version=kb.version,
            release=kb.snapshot.hpo_release,
        ),
        blank,
        trusted("## What was reported"),
        blank,
    ]
    out += [md_file("- {line}", line=line) for line in _query_lines(kb, result)]
    if result.red_flags:
        out += [blank, trusted("## Red flags - seek medical care"), blank]
        out += [md_file("- **{message}** {action}", message=hit.flag.message, action=hit.flag.action) for hit in result.red_flags]
    if result.mimics:
        out += [blank, trusted("## Common conditions first"), blank, md_file("{note}", note=BASE_RATE_NOTE), blank]
        for index, m in enumerate(result.mimics, start=1):
            out.append(
                md_file(
                    "{index}\\. **{name}** - {strength}, score {score:+.1f} (shares {shares}). {tell}",
                    index=index,
                    name=m.mimic.name,
                    strength=m.strength,
                    score=m.score,
                    shares=", ".join(kb.symptoms[s].label for s in m.shared),
                    tell=m.mimic.tell_apart,
                )
            )
    out += [blank, trusted("## Matching NET types"), blank, md_file("_{note}_", note=STRENGTH_NOTE), blank]
    for index, cand in enumerate(result.candidates[:top], start=1):
        out += [
            md_file("### {index}\\. {name} - {strength}", index=index, name=cand.type.name, strength=cand.strength),
            blank,
            md_file("{summary}", summary=cand.type.summary),
            blank,
            md_file(
                "Site: {site}. Score {score:+.1f}: {meaning}",
                site=cand.type.site,
                score=cand.score,
                meaning=STRENGTH_EXPLANATIONS[cand.strength],
            ),
            blank,
        ]
        if cand.explained_by:
            out += [md_file("_{why}_", why=explained_by_text(cand, kb.mimics[cand.explained_by].name)), blank]
        for line in picture_sentences(cand, {s.id: s.label for s in kb.symptoms.values()}):
            out += [md_file("{line}", line=line), blank]
        for item in _biggest_first(cand.contributions):
            out.append(md_file("- {points:+.2f} {sentence}", points=item.points, sentence=sentence(item)))
            for note in item.sources:
                out.append(md_file("  - Source: {note}", note=note_markdown(kb, note, streamlit=False)))
        if cand.expected_not_reported:
            asks = ", ".join(x.label for x in cand.expected_not_reported[:6])
            out += [blank, md_file("What to ask next: {asks}", asks=asks)]
        out.append(blank)
    rest = result.candidates[top:]
    if rest:
        out += [trusted("## Other NET types"), blank]
        out += [
            md_file("- {name}: {strength}, score {score:+.1f}", name=cand.type.name, strength=cand.strength, score=cand.score)
            for cand in rest
        ]
        out.append(blank)
    out += [trusted("---"), md_file("_{notice}_", notice=DISCLAIMER), blank]
    return join("\n", out)


PRINT_TYPES = 5
PRINT_MIMICS = 3
PRINT_REASONS = 3
PRINT_SOURCES_EACH = 2
"""The printed handout: the leading look-alikes and NET types, each on one line with its strongest reasons."""


def print_handout(kb: KnowledgeBase, result: Result, today: date | None = None) -> Markdown:
    """The Checker's printed page, at most two A4 pages for a handful of findings: what was reported, red flags,
    the leading look-alikes and NET types with one line of why each, the sources those lines cite (numbered, with
    their addresses as text), the date, the rules version and the notice. Escaped Markdown for the page."""
    today = today or date.today()
    cited: dict[str, int] = {}

    def cite(notes: tuple[SourceNote, ...]) -> Markdown:
        """Numbers of (at most PRINT_SOURCES_EACH of) the documents behind one reason, numbered as first cited."""
        known = list(dict.fromkeys(n.source for n in notes if n.source in kb.sources))[:PRINT_SOURCES_EACH]
        numbers = sorted(cited.setdefault(source, len(cited) + 1) for source in known)
        return md(" [{numbers}]", numbers=", ".join(map(str, numbers))) if numbers else trusted("")

    blank = trusted("")
    out = [
        trusted("**NET checker handout (educational)**"),
        blank,
        md("**{notice}**", notice=DISCLAIMER),
        blank,
        escaped(f"Printed {today.isoformat()} · rules version {kb.version} · HPO/Orphanet release {kb.snapshot.hpo_release}"),
        blank,
        trusted("**What was reported**"),
        blank,
    ]
    out += [md("- {line}", line=line) for line in _query_lines(kb, result)]
    if result.red_flags:
        out += [blank, trusted("**Red flags: seek medical care**"), blank]
        out += [md("- **{message}** {action}", message=hit.flag.message, action=hit.flag.action) for hit in result.red_flags]
    if result.mimics:
        out += [blank, md("**Common conditions first.** {note}", note=BASE_RATE_NOTE), blank]
        for index, m in enumerate(result.mimics[:PRINT_MIMICS], start=1):
            out.append(
                md(
                    "{index}. **{name}**: {strength}; shares {shares}.",
                    index=index,
                    name=m.mimic.name,
                    strength=m.strength,
                    shares=", ".join(kb.symptoms[s].label for s in m.shared),
                )
            )
    out += [blank, md("**Matching NET types.** {note}", note=STRENGTH_NOTE), blank]
    for index, cand in enumerate(result.candidates[:PRINT_TYPES], start=1):
        reasons = leading_reasons(cand, PRINT_REASONS)
        why = join(
            "; ", (md("{label} {points:+.1f}{cite}", label=c.label, points=c.points, cite=cite(c.sources)) for c in reasons)
        ) or trusted("nothing points to it")
        out.append(
            md(
                "{index}. **{name}**: {strength}, score {score:+.1f}. Why: {why}.",
                index=index,
                name=cand.type.name,
                strength=cand.strength,
                score=cand.score,
                why=why,
            )
        )
    if cited:
        out += [blank, trusted("**Sources cited**"), blank]
        for source_id, number in cited.items():
            source = kb.sources[source_id]
            name = source.title if not source.title.startswith("(no title") else source.publisher or source.id
            if source.kind == "annotation":
                name = f"Orphanet annotations in the HPO release {source.version} ({source.licence})"
            publisher = (
                md(" ({publisher})", publisher=source.publisher)
                if source.publisher and source.kind != "annotation"
                else trusted("")
            )
            address = md(" {code}", code=code(source.url)) if source.url else trusted("")
            out.append(
                md("{number}. {name}{publisher}.{address}", number=number, name=name, publisher=publisher, address=address)
            )
    return join("\n", out)


def results_csv(kb: KnowledgeBase, result: Result, today: date | None = None) -> str:
    """One row per ranked type; the notice, query, date and rules version head the file as comment rows."""
    today = today or date.today()
    rows: list[list[object]] = [["# notice", DISCLAIMER], ["# date", today.isoformat(), "rules version", kb.version]]
    for line in _query_lines(kb, result):
        key, _, value = line.partition(": ")
        rows.append([f"# {key.lower()}", value])
    rows.append(["kind", "rank", "id", "parent", "name", "strength", "score", "matched_findings", "against", "sources"])
    ranked: list[tuple[str, int, Candidate | MimicCandidate]] = [
        *(("common condition", i, m) for i, m in enumerate(result.mimics, start=1)),
        *(("NET type", i, c) for i, c in enumerate(result.candidates, start=1)),
    ]
    for kind, index, item in ranked:
        matched = "; ".join(f"{c.symptom} {c.points:+.2f}" for c in item.matched)
        against = "; ".join(f"{c.label} {c.points:+.2f}" for c in item.against)
        sources = " | ".join(dict.fromkeys(note_text(kb, n) for c in item.matched for n in c.sources))
        if isinstance(item, Candidate):
            ident, parent, name = item.type.id, item.type.parent or "", item.type.name
        else:
            ident, parent, name = item.mimic.id, "", item.mimic.name
        rows.append([kind, index, ident, parent, name, item.strength, f"{item.score:.2f}", matched, against, sources])
    return csv_text(rows)
