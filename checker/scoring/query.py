"""What a user reports (the query) and one labelled amount of a score (a contribution)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from checker.model import AGE_BANDS, Background, Frequency, QueryStatus, Sex, SourceNote


def age_band(age: int | str | None) -> str | None:
    """The age band id for an age in years (or a band id given as it is); None when not given."""
    if age is None or age == "":
        return None
    if isinstance(age, str) and not age.strip().isdigit():
        return age
    years = int(age)
    return next((band for band, (low, high) in AGE_BANDS.items() if low <= years <= high), None)


@dataclass(frozen=True)
class Query:
    """What the user reports: present and ruled-out symptom ids, hormone status, inherited syndrome, and context
    (age band, sex, history items present or ruled out)."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    functional: QueryStatus = "unknown"
    syndrome: str | None = None
    age: str | None = None
    """An age band id (population.yaml, kind 'age'), e.g. 'age-40-59'."""
    sex: Sex | None = None
    history: tuple[str, ...] = ()
    no_history: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "present", tuple(sorted(set(self.present))))
        object.__setattr__(self, "absent", tuple(sorted(set(self.absent) - set(self.present))))
        object.__setattr__(self, "history", tuple(sorted(set(self.history))))
        object.__setattr__(self, "no_history", tuple(sorted(set(self.no_history) - set(self.history))))
        for name in ("syndrome", "age", "sex"):
            if getattr(self, name) == "":
                object.__setattr__(self, name, None)

    def context_answers(self) -> dict[str, bool]:
        """Context item id -> given as true or false (age band and sex answer every band and 'female')."""
        answers = {item: True for item in self.history}
        answers.update({item: False for item in self.no_history})
        if self.sex is not None:
            answers["female"] = self.sex == "female"
        if self.age is not None:
            answers.update({band: band == self.age for band in AGE_BANDS})
        return answers


ContributionKind = Literal[
    "finding", "unexplained", "excluded", "implied", "absent", "picture", "functional", "reading", "syndrome", "context", "prior"
]
"""What a contribution line is about: a reported finding (with a table row, without one, or one that argues against),
a finding implied by a more precise one, a ruled-out finding, a hormone syndrome's picture counted once, hormone
status, the reading with the hormone syndrome, an inherited syndrome, a context item, or the prior."""


@dataclass(frozen=True)
class Contribution:
    """One labelled amount (log2 of a likelihood ratio) added to or taken from a score."""

    kind: ContributionKind
    label: str
    points: float
    symptom: str | None = None
    frequency: Frequency | None = None
    via: str | None = None
    sources: tuple[SourceNote, ...] = ()
    ratio: float = 1.0
    """The likelihood ratio (or prior odds ratio) the points are log2 of."""
    background: Background | None = None
    """For findings: the symptom's background class (what the condition's rate is compared with)."""
    members: tuple[str, ...] = ()
    """For a 'picture' line: the reported findings that form the syndrome's picture."""
    via_label: str = ""
    """For a finding counted through a related one (via): that finding's label."""
    via_narrower: bool = False
    """True when the related finding is a narrower kind of the reported one (a broad report, a narrow link)."""
