"""Plain-language wording for scores, labels and contributions (shared by the CLI, exports and pages).

Every word table of a fixed vocabulary that a user reads is written here once, keyed by that vocabulary's
Literal type (tests/core/test_wording.py checks each covers its whole vocabulary and that no copy exists elsewhere).
"""

from __future__ import annotations

from checker.model import (
    Background,
    Frequency,
    Group,
    Incidence,
    KnowledgeBase,
    Prevalence,
    QueryStatus,
    RejectionReason,
    Sex,
    Urgency,
    member,
)
from checker.scoring import Candidate, Contribution, MimicCandidate, Query
from checker.scoring.constants import Strength
from checker.scoring.query import ContributionKind

# The fixed vocabularies' class meanings; their words are the Literal types in checker.model.
FREQUENCY_RANGES: dict[Frequency, str] = {
    "obligate": "always present (100%)",
    "very frequent": "present in 80-99% of people with it",
    "frequent": "present in 30-79%",
    "occasional": "present in 5-29%",
    "very rare": "present in 1-4%",
    "excluded": "not a feature (0%)",
}

BACKGROUND_RANGES: dict[Background, str] = {
    "very common": "1 in 10 people or more",
    "common": "between 1 in 100 and 1 in 10 people",
    "uncommon": "between 1 in 1,000 and 1 in 100 people",
    "rare": "between 1 in 10,000 and 1 in 1,000 people",
    "very rare": "between 1 in 100,000 and 1 in 10,000 people",
    "extremely rare": "fewer than 1 in 100,000 people",
}
"""How often a finding (or a syndrome, an inherited condition) occurs in people who have none of the listed
conditions: the general population, or people who see a doctor for its ordinary causes."""

GROUP_NAMES: dict[Group, str] = {
    "general": "Whole body",
    "skin": "Skin and face",
    "digestive": "Digestion and belly",
    "heart": "Heart and circulation",
    "breathing": "Breathing and chest",
    "metabolism": "Blood sugar and hormones",
    "nervous": "Brain, nerves and mood",
    "urinary": "Bladder and bleeding",
    "tests": "Test results",
}

PREVALENCE_RANGES: dict[Prevalence, str] = {
    "very common": "1 in 10 people or more",
    "common": "between 1 in 100 and 1 in 10 people",
    "uncommon": "between 1 in 2,000 and 1 in 100 people",
    "rare": "fewer than 1 in 2,000 people (every NET type)",
}
"""Rough prevalence classes of the conditions the checker ranks; 'rare' is the EU rare-disease threshold."""

INCIDENCE_RANGES: dict[Incidence, str] = {
    "rare": "about 1 or more new cases per 100,000 people a year",
    "very rare": "between 1 per million and 1 per 100,000 people a year",
    "extremely rare": "fewer than 1 new case per million people a year",
}
"""How often a NET type is diagnosed; every NET type is 'rare' among all conditions (PREVALENCE_RANGES)."""

REJECTION_REASON_TEXTS: dict[RejectionReason, str] = {
    "associated-syndrome": "a feature of an inherited syndrome that comes with the tumor, not of the tumor itself",
    "sibling-entity": "a feature of a related tumor that shares the Orphanet code",
    "too-broad": "the HPO term is too broad for the checker symptom it would map to",
    "not-a-presenting-finding": "not something a person or doctor notices at presentation",
    "wrong-population": "the class describes another population than the people this type is scored for",
    "duplicate": "the same finding is already linked through a more precise row",
}

STRENGTH_LABELS: dict[Strength, str] = {
    "strong": "Strong match",
    "moderate": "Moderate match",
    "weak": "Weak match",
    "none": "No match",
}
"""The label of a NET type's fit on its card; lower-cased in the one-line lists."""

STRENGTH_EXPLANATIONS: dict[Strength, str] = {
    "strong": "Strong fit: what was reported is at least 100 times likelier with this condition than in people "
    "who have none of the listed conditions, with two or more findings pointing to it (for a NET type, also: no "
    "other NET type fits 10 times better, and it fits 10 times better than every listed common condition).",
    "moderate": "Moderate fit: what was reported is at least 10 times likelier with this condition than in people "
    "who have none of the listed conditions.",
    "weak": "Weak fit: something reported points here, but the evidence is slight or non-specific, or does not "
    "tell it from its sibling subtypes (for a NET type, also: a common condition explains it at least as well).",
    "none": "No fit: nothing reported points here.",
}
"""What each label means. The label is the fit alone; the place in the list also counts how common it is."""

FIT_AND_RANK = (
    "The label says how well the findings fit each condition, leaving out how common it is. The order "
    "counts both: a common condition with a moderate fit can come before a rare one with a strong fit."
)


CONTRIBUTION_NAMES: dict[ContributionKind, str] = {
    "functional": "Hormone status",
    "syndrome": "Hereditary syndrome",
    "prior": "How common it is",
    "reading": "Hormone status not given",
    "picture": "Counted once",
}
"""Short chart names of the contributions that are not about one finding; a chart names the others (finding,
unexplained, excluded, implied, absent, context) by their finding's or context item's own label."""

HORMONE_STATUS_ANSWERS: dict[QueryStatus, str] = {
    "functional": "Yes, hormone symptoms are present",
    "nonfunctional": "No hormone symptoms",
    "unknown": "Not sure",
}
"""The answers to the Checker's question 'Are there symptoms of a hormone excess?'."""

HORMONE_STATUS_TOLD: dict[QueryStatus, str] = {
    "functional": "Hormone symptoms are present.",
    "nonfunctional": "There are no hormone symptoms.",
    "unknown": "Whether there are hormone symptoms is not known.",
}
"""What a teaching case tells of hormone symptoms, as a sentence."""

HORMONE_STATUS_WORDS: dict[QueryStatus, str] = {"functional": "present", "nonfunctional": "none", "unknown": "not known"}
"""The short word after 'Hormone symptoms:' in a summary line."""

URGENCY_WORDS: dict[Urgency, str] = {
    "emergency": "Emergency: get help now.",
    "urgent": "Urgent: get medical care today.",
    "soon": "See a doctor soon.",
}
"""How soon to get care, at the start of a red flag's box."""

BACKGROUND_WORDS: dict[Background, str] = {
    "very common": "about 1 in 5",
    "common": "about 3 in 100",
    "uncommon": "about 3 in 1,000",
    "rare": "about 3 in 10,000",
    "very rare": "about 3 in 100,000",
    "extremely rare": "about 3 in 1,000,000",
}
"""Each background class's rate (BACKGROUND_RATES) in words."""

SEX_WORDS: dict[Sex, str] = {"female": "Female", "male": "Male"}
"""The sex choices on the Checker page."""

NOT_GIVEN = "Not given"
"""An optional choice left empty (age band, sex)."""


def reason_option(reason: str) -> str:
    """A rejection reason for a plain-text list: 'too-broad: the HPO term is too broad ...'."""
    word = member(reason, REJECTION_REASON_TEXTS)
    return f"{reason}: {REJECTION_REASON_TEXTS[word]}" if word else reason


def hormone_status_line(status: QueryStatus) -> str:
    """'Hormone symptoms: present' (a teaching case's status in a one-line caption)."""
    return f"Hormone symptoms: {HORMONE_STATUS_WORDS[status]}"


def ratio_phrase(ratio: float) -> str:
    """'about 8x more likely' / 'about 3x less likely' / 'hardly more or less likely' (reads after 'makes this')."""
    if 0.8 <= ratio <= 1.25:
        return "hardly more or less likely"
    if ratio > 1:
        return f"about {_nice(ratio)}x more likely"
    return f"about {_nice(1 / ratio)}x less likely"


def lower_first(label: str) -> str:
    """A label inside a sentence: 'High blood pressure' -> 'high blood pressure', 'A lump' -> 'a lump'; 'MEN1 ...', 'IBS' stay."""
    first = label.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()):
        return label[0].lower() + label[1:]
    return label


def _nice(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def _background(item: Contribution) -> str:
    return f" (in {BACKGROUND_WORDS[item.background]} people without any listed condition)" if item.background else ""


def _linked(item: Contribution, what: str, own: str = "it is ") -> str:
    """What the condition's row says (`what`), of the finding itself or, through a related finding's row, of that
    finding, named."""
    if item.via_label and item.via_narrower:
        return f"its narrower kind, {lower_first(item.via_label)}, is {what}"
    if item.via_label:
        return f"it is a kind of {lower_first(item.via_label)}, which is {what}"
    return f"{own}{what}"


def sentence(item: Contribution) -> str:
    """What one contribution did, in words."""
    effect = ratio_phrase(item.ratio)
    frequency = f" ({item.frequency}: {FREQUENCY_RANGES[item.frequency]})" if item.frequency in FREQUENCY_RANGES else ""
    if item.kind == "finding":
        known = _linked(item, f"a known feature here{frequency}", own="")
        return f"{item.label}: {known}; against its usual rate{_background(item)} this makes it {effect}."
    if item.kind == "unexplained":
        return f"{item.label}: not a known feature here, so it counts as in anyone: neither for nor against."
    if item.kind == "implied":
        return f"{item.label}: already counted through the more precise finding reported."
    if item.kind == "excluded":
        return f"{item.label}: the sources say this argues against it; makes this {effect}."
    if item.kind == "absent":
        known = f"; {_linked(item, f'{item.frequency} here')}" if item.frequency else ""
        return f"{item.label}: ruled out{known}; makes this {effect}."
    if item.kind == "picture":
        members = len(item.members)
        if item.points:
            return (
                f"{item.label}: these {members} findings are one syndrome's picture, so together they count once, "
                f"at most as much as having the syndrome says ({effect} than the features multiplied)."
            )
        return (
            f"{item.label}: these {members} findings are one syndrome's picture; together they stay below what the "
            "syndrome itself can add, so nothing is taken off."
        )
    if item.kind == "functional":
        share = f" (its hormone syndrome is {item.frequency})" if item.frequency else ""
        return f"{item.label}{share}: makes this {effect} than a NET in general."
    if item.kind == "reading":
        return (
            f"{item.label}: hormone status was not given, so this reading is weighted by the "
            f"{round(item.ratio * 100)} in 100 people with this type who present that way (the likelier reading "
            "is kept). This is not evidence against it."
        )
    if item.kind == "syndrome":
        share = f"; {item.frequency} among people with this type" if item.frequency else "; not known to raise this type"
        return f"{item.label}{share}: makes this {effect} than in the population."
    if item.kind == "context":
        return f"{item.label}: {item.frequency} among people with this condition; makes this {effect}."
    if item.kind == "prior" and item.ratio >= 1:
        return f"{item.label}: before any finding, about {_nice(item.ratio)}x more common than a rare NET type."
    if item.kind == "prior":
        return (
            f"{item.label}: before any finding, about {_nice(1 / item.ratio)}x less common than a NET type "
            "seen about once per 100,000 people a year."
        )
    return item.label


def picture_sentences(cand: Candidate | MimicCandidate, labels: dict[str, str]) -> list[str]:
    """'These five findings make a Cushing picture likely; low potassium and a lung nodule point to this type.'"""
    out = []
    name = cand.type.name if isinstance(cand, Candidate) else cand.mimic.name
    for syndrome, members, telling in cand.pictures:
        if len(members) < 2:
            continue
        words = _listed([labels[s].lower() for s in members])
        line = f"These {len(members)} findings ({words}) make a {syndrome.lower()} picture likely; they count once."
        if telling:
            line += (
                f" {_listed([labels[s] for s in telling])} point{'s' if len(telling) == 1 else ''} to {name} among its causes."
            )
        out.append(line)
    return out


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def explained_by_text(cand: Candidate, mimic_name: str) -> str:
    """Why a NET type is labelled weak when a common condition fits as well, and what would change that."""
    asks = ", ".join(lower_first(e.label) for e in cand.expected_not_reported[:3])
    more = f" Findings that would make it more likely: {asks}." if asks else ""
    return f"{mimic_name} explains these findings at least as well and is far more common, so think of it first.{more}"


def hormone_hint(kb: KnowledgeBase, query: Query) -> str:
    """A nudge to answer step 3 when ticked findings are features of a hormone syndrome and the status is unknown."""
    if query.functional != "unknown":
        return ""
    features = {s for h in kb.hormone_syndromes.values() for s in h.findings}
    ticked = [s for s in query.present if s in features]
    if len(ticked) < 2:
        return ""
    return (
        f'{len(ticked)} of these findings can come from a hormone excess: answer step 3, "Hormone symptoms", '
        "so the checker knows how to read them."
    )
