"""Plain-language wording for scores, labels and contributions (shared by the CLI, exports and pages)."""

from __future__ import annotations

from checker.engine import Candidate, Contribution
from checker.model import FREQUENCY_RANGES

STRENGTH_EXPLANATIONS: dict[str, str] = {
    "strong": "The findings make this at least 100 times more likely than the average alternative, "
              "with two or more findings pointing to it.",
    "moderate": "The findings make this at least 10 times more likely than the average alternative.",
    "weak": "Something reported points here, but the evidence is slight, non-specific or shared with "
            "conditions that fit better.",
    "none": "Nothing reported points here.",
}


def ratio_phrase(ratio: float) -> str:
    """'about 8x more likely' / 'about 3x less likely' / 'hardly changes the odds'."""
    if 0.8 <= ratio <= 1.25:
        return "hardly changes the odds"
    if ratio > 1:
        return f"about {_nice(ratio)}x more likely"
    return f"about {_nice(1 / ratio)}x less likely"


def _nice(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def sentence(item: Contribution) -> str:
    """What one contribution did, in words."""
    effect = ratio_phrase(item.ratio)
    frequency = f" ({item.frequency}: {FREQUENCY_RANGES[item.frequency]})" if item.frequency in FREQUENCY_RANGES else ""
    if item.kind == "finding":
        via = f", counted as a kind of {item.via}" if item.via else ""
        return f"{item.label}: typical here{frequency}{via}; makes this {effect} than the average alternative."
    if item.kind == "unexplained":
        return f"{item.label}: not a known feature here; makes this {effect} than the average alternative."
    if item.kind == "excluded":
        return f"{item.label}: the sources say this argues against it; makes this {effect}."
    if item.kind == "absent":
        known = f"; it is {item.frequency} here" if item.frequency else ""
        return f"{item.label}: ruled out{known}; makes this {effect} than the average alternative."
    if item.kind == "functional":
        share = f" (its hormone syndrome is {item.frequency})" if item.frequency else ""
        return f"{item.label}{share}: makes this {effect} than the average other NET type."
    if item.kind == "reading":
        return (f"{item.label}: about {round(item.ratio * 100)} in 100 people with this type present that way, so "
                f"this reading is weighted by that share (the likelier reading is kept).")
    if item.kind == "syndrome":
        share = f"; {item.frequency} among people with this type" if item.frequency else "; not known to raise this type"
        return f"{item.label}{share}: makes this {effect} than the average other NET type."
    if item.kind == "prior" and item.ratio >= 1:
        return f"{item.label}: before any finding, about {_nice(item.ratio)}x more common than a rare NET type."
    if item.kind == "prior":
        return (f"{item.label}: before any finding, about {_nice(1 / item.ratio)}x less common than a NET type "
                "seen about once per 100,000 people a year.")
    return item.label


def explained_by_text(cand: Candidate, mimic_name: str) -> str:
    """Why a NET is not labelled strong when a common condition fits as well, and what would change that."""
    asks = ", ".join(e.label.lower() for e in cand.expected_not_reported[:3])
    more = f" Findings that would make it more likely: {asks}." if asks else ""
    return (f"{mimic_name} explains these findings at least as well and is far more common, so think of it "
            f"first.{more}")

