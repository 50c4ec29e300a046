"""A worked example of the scoring, computed from the tables, for the About page and the README."""

from __future__ import annotations

from math import log2

from checker.evidence import FLOOR, mean_others
from checker.model import KnowledgeBase

EXAMPLE = ("small-intestine-net", "flushing")

def worked_example(kb: KnowledgeBase, type_id: str = EXAMPLE[0], symptom_id: str = EXAMPLE[1]) -> str | None:
    """Step-by-step arithmetic for one finding and one type, or None when the tables lack that pair."""
    link = kb.links_by_type.get(type_id, {}).get(symptom_id)
    if link is None:
        return None
    ev = kb.evidence
    rows = ev.present["base"][symptom_id]
    own = rows[("type", type_id)].p
    total = ev.present_total["base"][symptom_id]
    others = mean_others(total, own, ev.n)
    linked = len(rows) - 1
    ratio = own / others

    name, label = kb.types[type_id].name, kb.symptoms[symptom_id].label
    return (
        f"- You tick *{label}*. For {name} the link is '{link.frequency}', so P = {own:g}.\n"
        f"- The other {ev.n - 1} conditions: {linked} are linked to it (their P values add up to "
        f"{total - own - (ev.n - 1 - linked) * FLOOR:.3f}) and {ev.n - 1 - linked} are not (P = {FLOOR:g} each). "
        f"Their average is ({total - own:.3f}) / {ev.n - 1} = {others:.4f}.\n"
        f"- Likelihood ratio = {own:g} / {others:.4f} = {ratio:.2f}: the finding makes {name} about "
        f"{ratio:.1f}x more likely than the average alternative.\n"
        f"- Points = log2({ratio:.2f}) = {log2(ratio):+.2f}."
    )
