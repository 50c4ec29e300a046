"""A worked example of the scoring, computed from the tables, for the About page and the README."""

from __future__ import annotations

from math import log2

from checker.model import KnowledgeBase
from checker.scoring.index import index_of, link_probability
from checker.wording import BACKGROUND_WORDS

EXAMPLE = ("small-intestine-net", "flushing")


def worked_example(kb: KnowledgeBase, type_id: str = EXAMPLE[0], symptom_id: str = EXAMPLE[1]) -> str | None:
    """Step-by-step arithmetic for one finding and one type, or None when the tables lack that pair."""
    link = kb.links_by_type.get(type_id, {}).get(symptom_id)
    if link is None:
        return None
    symptom = kb.symptoms[symptom_id]
    background = index_of(kb).background[symptom_id]
    own = link_probability(link.frequency, background)
    ratio = own / background
    name = kb.types[type_id].name
    return (
        f"- You tick *{symptom.label}*. For {name} the link is '{link.frequency}', so P = {own:g}.\n"
        f"- In people with none of the listed conditions it is '{symptom.background}' "
        f"({BACKGROUND_WORDS[symptom.background]}): P = {background:g}.\n"
        f"- Likelihood ratio = {own:g} / {background:g} = {ratio:.1f}: the finding makes {name} about "
        f"{ratio:.0f}x more likely than it was.\n"
        f"- Points = log2({ratio:.1f}) = {log2(ratio):+.2f}. A condition that does not link the finding gets "
        "its background rate: 0 points, neither for nor against."
    )
