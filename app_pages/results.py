"""The Checker page's results: red flags, a short summary, common look-alikes as a ranked list, the leading NET
types (three cards in brief with their details on demand, two more a line each, the rest on demand), and
save/print/share.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import streamlit as st

from app_pages import words
from app_pages.common import source_line
from checker import Candidate, KnowledgeBase, Query, Result, rank
from checker.markup import Markdown, escaped, html, html_join, join, md, trusted
from checker.notice import BASE_RATE_NOTE, STRENGTH_NOTE
from checker.report import context_items, context_words, leading_reasons, markdown_handout, print_handout, results_csv
from checker.scoring import Contribution, MimicCandidate
from checker.scoring.constants import Strength
from checker.share import share_link
from checker.wording import (
    CONTRIBUTION_NAMES,
    HORMONE_STATUS_WORDS,
    PREVALENCE_RANGES,
    STRENGTH_EXPLANATIONS,
    STRENGTH_LABELS,
    URGENCY_WORDS,
    explained_by_text,
    hormone_hint,
    picture_sentences,
    sentence,
)

OPEN_CARDS = 3
"""NET types shown as cards (in brief; their details open on demand)."""
SHOWN_TYPES = 5
"""NET types listed at once (the cards, then a line each); the rest that something points to open on demand."""
LEADING_MIMICS = 3
"""Look-alikes listed at once; the others open on demand (a phone shows the gist first)."""
WHY_REASONS = 3
"""Reasons named in a card's one line of why."""


def compute(kb: KnowledgeBase, query: Query) -> Result | None:
    """The ranking for a query, or None while nothing has been reported that could rank the types."""
    if not (query.present or query.syndrome):
        return None
    return rank(kb, query)


def _strength_word(strength: Strength) -> str:
    return STRENGTH_LABELS[strength].lower()


def _biggest_first(items: Iterable[Contribution]) -> list[Contribution]:
    return sorted(items, key=lambda c: -abs(c.points))


def show_red_flags(result: Result | None) -> None:
    """One prominent error box per triggered red flag, saying how soon to get care and what to do."""
    if result is None:
        return
    for hit in result.red_flags:
        flag = hit.flag
        urgency = URGENCY_WORDS[flag.urgency]
        action = md(" {action}", action=flag.action) if flag.action else trusted("")
        st.error(
            md(
                words.RESULTS_RED_FLAG,
                urgency=urgency,
                message=flag.message,
                action=action,
            ),
            icon=":material/emergency:",
        )


def query_lines(kb: KnowledgeBase, query: Query) -> Markdown:
    """What was reported besides the ticked findings (shown in the box above the results), on one line."""

    def names(ids: tuple[str, ...]) -> Markdown:
        return escaped(", ".join(kb.symptoms[s].label for s in ids)) or trusted(words.RESULTS_NONE)

    lines = [
        md(words.RESULTS_RULED_OUT, names=names(query.absent)),
        md(words.RESULTS_HORMONES, words=HORMONE_STATUS_WORDS[query.functional]),
    ]
    if query.syndrome and query.syndrome in kb.hereditary:
        lines.append(md(words.RESULTS_INHERITED, name=kb.hereditary[query.syndrome].name))
    context = context_words(kb, query)
    if context:
        lines.append(md(words.RESULTS_CONTEXT, context=context))
    return join(" · ", lines)


def show_results(kb: KnowledgeBase, result: Result | None) -> None:
    st.header(words.RESULTS_TITLE, anchor=False)
    if result is None:
        st.info(words.RESULTS_NOTHING_TICKED, icon=":material/checklist:")
        return
    st.markdown(query_lines(kb, result.query))  # the findings ticked are in the box above
    hint = hormone_hint(kb, result.query)
    if hint:
        st.info(escaped(hint), icon=":material/help:")
    if result.red_flags:
        st.caption(words.RESULTS_RED_FLAGS_ABOVE)
    if result.ruled_out:
        st.caption(
            escaped(
                words.RESULTS_LEFT_OUT.format(
                    reasons="; ".join(
                        words.RESULTS_NEEDS.format(name=r.name, items=context_items(kb, r.items)) for r in result.ruled_out
                    )
                )
            )
        )
    _mimics(kb, result)
    _net_types(kb, result)
    _export(kb, result)


def _type_line(kb: KnowledgeBase, index: int, cand: Candidate) -> str:
    parent = kb.type_groups.get(cand.type.parent or "")
    group = words.SUBTYPE_OF.format(parent=parent.name) if parent else ""
    return words.RESULTS_TYPE_LINE.format(
        index=index, name=cand.type.name, strength=_strength_word(cand.strength), score=cand.score, group=group
    )


def _net_types(kb: KnowledgeBase, result: Result) -> None:
    """The leading NET types that something points to: cards in brief, then a line each; the rest on demand."""
    st.subheader(words.RESULTS_NET_TYPES, help=STRENGTH_NOTE)
    pointed = [c for c in result.candidates if c.strength != "none"]
    nothing = [c for c in result.candidates if c.strength == "none"]
    shown = pointed[:SHOWN_TYPES]
    st.caption(
        md(
            words.RESULTS_LEADING,
            shown=len(shown),
            pointed=len(pointed),
            total=len(result.candidates),
        )
    )
    for index, cand in enumerate(shown[:OPEN_CARDS], start=1):
        with st.container(border=True, key=f"card_{cand.type.id}"):
            st.subheader(md("{index}\\. {name}", index=index, name=cand.type.name))
            _card_head(kb, cand)
            details = st.expander(words.RESULTS_DETAILS, key=f"details_{cand.type.id}", on_change="rerun")
            with details:
                if details.open:  # drawn only when opened: a tick redraws three short cards
                    _card_details(kb, cand, chart=True)
    for index, cand in enumerate(shown[OPEN_CARDS:], start=OPEN_CARDS + 1):
        more = st.expander(escaped(_type_line(kb, index, cand)), key=f"more_{cand.type.id}", on_change="rerun")
        with more:
            if more.open:
                _card_head(kb, cand)
                _card_details(kb, cand, chart=False)
    rest = pointed[SHOWN_TYPES:]
    if not (rest or nothing):
        return
    label = md(words.RESULTS_OTHER_TYPES, n=len(rest)) if rest else trusted(words.RESULTS_NOTHING_POINTS_TITLE)
    others = st.expander(label, key="other_types", on_change="rerun")
    with others:
        if others.open:
            if rest:
                st.markdown(join("\n", (escaped(_type_line(kb, i, c)) for i, c in enumerate(rest, start=len(shown) + 1))))
            if nothing:
                st.caption(
                    escaped(words.RESULTS_NOTHING_POINTS.format(n=len(nothing), names=", ".join(c.type.name for c in nothing)))
                )


ASK_NEXT_SHOWN = 6


def _on_ask(key: str) -> None:
    """A tapped "ask next" finding is ticked as present (and leaves the ruled-out list)."""
    ss = st.session_state
    picked = ss.get(key)
    if picked and picked not in ss.get("q_present", []):
        ss.q_present = [*ss.get("q_present", []), picked]
        ss.q_absent = [s for s in ss.get("q_absent", []) if s != picked]
        ss.link_notices = []
    ss[key] = None


def _ask_next(cand: Candidate) -> None:
    """Typical findings of this type that were not reported, as pills: tapping one ticks it."""
    asks = {e.symptom: e for e in cand.expected_not_reported[:ASK_NEXT_SHOWN]}
    key = f"ask_{cand.type.id}"
    st.pills(
        words.RESULTS_ASK_NEXT,
        list(asks),
        key=key,
        selection_mode="single",
        on_change=_on_ask,
        args=(key,),
        format_func=lambda s: md("{label} ({frequency})", label=asks[s].label, frequency=asks[s].frequency),
    )


def _why_line(cand: Candidate) -> str:
    """One line: the strongest reasons for this type, with their points."""
    reasons = leading_reasons(cand, WHY_REASONS)
    return "; ".join(f"{_chart_label(c)} {c.points:+.1f}" for c in reasons) or words.RESULTS_NOTHING_POINTS_TO_IT


def _card_head(kb: KnowledgeBase, cand: Candidate) -> None:
    """What a card shows at once: subtype, strength and what it means, one line of why, what to ask next."""
    tumor = cand.type
    if tumor.parent and tumor.parent in kb.type_groups:
        st.caption(md(words.RESULTS_SUBTYPE_OF, name=kb.type_groups[tumor.parent].name))
    st.markdown(
        md(
            words.RESULTS_CARD_HEAD,
            colour=words.STRENGTH_COLOURS[cand.strength],
            label=STRENGTH_LABELS[cand.strength],
            meaning=STRENGTH_EXPLANATIONS[cand.strength],
            why=_why_line(cand),
        )
    )
    if cand.explained_by and cand.explained_by in kb.mimics:
        st.warning(escaped(explained_by_text(cand, kb.mimics[cand.explained_by].name)), icon=":material/pets:")
    if cand.expected_not_reported:
        _ask_next(cand)


def _card_details(kb: KnowledgeBase, cand: Candidate, chart: bool) -> None:
    """A card's full detail: points, reasons and sources, site, hormones, syndromes, tests and treatments."""
    tumor = cand.type
    st.caption(
        md(
            words.RESULTS_SITE_AND_FIT,
            site=tumor.site,
            fit=cand.fit,
            score=cand.score,
        )
    )
    for line in picture_sentences(cand, {s.id: s.label for s in kb.symptoms.values()}):
        st.caption(escaped(line))
    if chart and cand.contributions:
        _contribution_chart(cand)
    text: list[Markdown] = []
    listed = _biggest_first([*cand.matched, *(c for c in cand.modifiers if c.kind != "picture")])
    if listed:
        text.append(md(words.RESULTS_WHY_LISTED, lines=_contribution_lines(listed)))
    if cand.against:
        text.append(md(words.RESULTS_AGAINST, lines=_contribution_lines(_biggest_first(cand.against))))
    once = [c for c in cand.contributions if c.kind == "picture"]
    if once:
        text.append(md(words.RESULTS_COUNTED_ONCE, lines=_contribution_lines(once)))
    if text:
        st.markdown(join("\n\n", text))
        text = []
    hormones = ", ".join(tumor.hormones) or words.RESULTS_NO_TYPICAL_HORMONES
    syndromes = [kb.hormone_syndromes[s].name for s in tumor.syndromes if s in kb.hormone_syndromes]
    inherited = [h.name for h in kb.hereditary.values() if tumor.id in h.raised_ids]
    facts = [md(words.RESULTS_HORMONES_FACT, hormones=hormones)]
    if syndromes:
        facts.append(md(words.RESULTS_SYNDROME_FACT, names="; ".join(syndromes)))
    if inherited:
        facts.append(md(words.RESULTS_HEREDITARY_FACT, names="; ".join(inherited)))
    tests = [kb.education[t].title for t in tumor.tests if t in kb.education]
    treatments = [kb.education[t].title for t in tumor.treatments if t in kb.education]
    if tests:
        facts.append(md(words.RESULTS_TESTS_FACT, titles="; ".join(tests)))
    if treatments:
        facts.append(md(words.RESULTS_TREATMENTS_FACT, titles="; ".join(treatments)))
    text.append(join("  \n", facts))
    st.markdown(join("\n\n", text))
    sources = st.expander(words.RESULTS_SOURCES, key=f"src_{tumor.id}", on_change="rerun")
    with sources:
        if sources.open:
            st.markdown(_sources_markdown(kb, cand))


def _chart_label(c: Contribution) -> str:
    return CONTRIBUTION_NAMES.get(c.kind, c.label)


def _contribution_chart(cand: Candidate | MimicCandidate) -> None:
    """Points per finding as plain HTML bars, biggest first: blue for, red against.

    Plain HTML instead of a Vega chart: three charts redrawn on every tick dominated click-to-update in the
    browser, and HTML labels wrap instead of being cut off.
    """
    items = _biggest_first(cand.contributions)
    widest = max((abs(c.points) for c in items), default=1.0) or 1.0
    rows = []
    for c in items:
        share = max(2.0, 100 * abs(c.points) / widest)
        bar = html(
            '<span class="bar {side}" style="width:{share:.0f}%"></span>', side="for" if c.points >= 0 else "against", share=share
        )
        left, right = (html(""), bar) if c.points >= 0 else (bar, html(""))
        rows.append(
            html(
                '<div class="row"><span class="label">{label}</span><span class="neg">{left}</span>'
                '<span class="pos">{right}</span><span class="value">{points:+.1f}</span></div>',
                label=_chart_label(c).strip(),
                left=left,
                right=right,
                points=c.points,
            )
        )
    # Only table text (escaped) and numbers go into this HTML, never anything typed or taken from the link.
    st.html(html(words.RESULTS_POINTS_CHART, rows=html_join("\n", rows)))


def _contribution_lines(items: Iterable[Contribution]) -> Markdown:
    """One line per contribution: its points and its sentence."""
    return join("\n", (md("- {points:+.2f} {sentence}", points=c.points, sentence=sentence(c)) for c in items))


def _sources_markdown(kb: KnowledgeBase, cand: Candidate | MimicCandidate) -> Markdown:
    blocks = []
    for c in cand.contributions:
        if not c.sources:
            continue
        lines = [md("**{label}** ({points:+.1f})", label=_chart_label(c).strip(), points=c.points)]
        lines += [md("- {line}", line=source_line(kb, note)) for note in c.sources]
        blocks.append(join("\n", lines))
    expected = [e for e in cand.expected_not_reported[:6] if e.sources]
    for e in expected:
        lines = [md(words.RESULTS_NOT_REPORTED_SOURCE, label=e.label, frequency=e.frequency)]
        lines += [md("- {line}", line=source_line(kb, note)) for note in e.sources]
        blocks.append(join("\n", lines))
    return join("\n\n", blocks) or trusted(words.RESULTS_NO_SOURCE_NOTES)


def _mimics(kb: KnowledgeBase, result: Result) -> None:
    """The common conditions that explain the findings, best first, as one compact ranked list."""
    st.subheader(words.RESULTS_MIMICS)
    st.caption(md(words.RESULTS_BASE_RATE, note=BASE_RATE_NOTE))
    if not result.mimics:
        st.caption(words.RESULTS_NO_MIMICS)
        return
    lines = []
    for index, item in enumerate(result.mimics, start=1):
        shared = ", ".join(kb.symptoms[s].label for s in item.shared) or words.RESULTS_NONE_OF_THE_FINDINGS
        lines.append(
            md(
                words.RESULTS_MIMIC_LINE,
                index=index,
                name=item.mimic.name,
                strength=_strength_word(item.strength),
                score=item.score,
                prevalence=item.mimic.prevalence,
                shared=shared,
            )
        )
    st.markdown(join("\n", lines[:LEADING_MIMICS]))
    if len(lines) > LEADING_MIMICS:
        more = st.expander(md(words.RESULTS_MORE_MIMICS, n=len(lines) - LEADING_MIMICS), key="extra_mimics", on_change="rerun")
        with more:
            if more.open:
                st.markdown(join("\n", lines[LEADING_MIMICS:]))
    tell = st.expander(words.RESULTS_TELL_APART, key="tell_apart", on_change="rerun", icon=":material/compare_arrows:")
    with tell:
        if tell.open:
            for item in result.mimics:
                prevalence = f"{item.mimic.prevalence} ({PREVALENCE_RANGES[item.mimic.prevalence]})"
                st.markdown(
                    md(
                        words.RESULTS_MIMIC_DETAIL,
                        name=item.mimic.name,
                        prevalence=prevalence,
                        tell_apart=item.mimic.tell_apart,
                        points=_contribution_lines(_biggest_first(item.contributions)),
                    )
                )


def _export(kb: KnowledgeBase, result: Result) -> None:
    st.subheader(words.RESULTS_SAVE)
    today = date.today().isoformat()
    # Callables: the files are built only when a button is clicked, not on every rerun.
    st.download_button(
        words.RESULTS_DOWNLOAD_HANDOUT,
        lambda: markdown_handout(kb, result),
        key="dl_handout",
        file_name=f"net-checker-handout-{today}.md",
        mime="text/markdown",
        on_click="ignore",
        icon=":material/description:",
    )
    st.download_button(
        words.RESULTS_DOWNLOAD_CSV,
        lambda: results_csv(kb, result),
        key="dl_csv",
        file_name=f"net-checker-results-{today}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
    )
    with st.container(key="no_print_share_code"):
        st.caption(words.RESULTS_SHARE_CAPTION)
        st.code(share_link(st.context.url, result.query), language=None, wrap_lines=True)
    with st.container(key="print_only_handout"):
        st.markdown(print_handout(kb, result))
