"""About page: intended use, how the scoring works, the bibliography with licences and versions, error reports."""

from __future__ import annotations

from math import log2

import pandas as pd
import streamlit as st

from app_pages.common import current_tables
from checker import KnowledgeBase
from checker.explain import worked_example
from checker.markup import Markdown, escaped, join, link, md, trusted
from checker.model import BACKGROUNDS, FREQUENCIES, FREQUENCY_RANGES
from checker.notice import BASE_RATE_NOTE, STRENGTH_NOTE
from checker.scoring.constants import (
    BACKGROUND_RATES,
    EXCLUDED_RATIO,
    FREQUENCY_MIDPOINTS,
    MODERATE_BITS,
    PRIOR_ODDS,
    STRONG_BITS,
    STRONG_MIN_FINDINGS,
)
from checker.wording import BACKGROUND_WORDS

KIND_TITLES = {"seed": "Seed documents", "page": "Web pages read"}


def _from_the_tables(kb: KnowledgeBase) -> None:
    """The worked example and the sources, from the tables served to this run."""
    example = worked_example(kb)
    if example is not None:
        st.markdown(md("**Worked example from the current tables** (redo it with a calculator):\n\n{example}", example=example))
    st.markdown(
        md(
            "Alongside the ranking the checker shows **red flags** (findings that need prompt medical care, shown above "
            "the results whenever they are ticked) and **common conditions** that share the findings. {note}",
            note=BASE_RATE_NOTE,
        )
    )

    st.header("Sources, licences and data versions")
    annotation = [s for s in kb.sources.values() if s.kind in ("annotation", "ontology")]
    st.markdown(
        md(
            "- Rules version: **{version}**\n"
            "- HPO / Orphanet release: **{release}**\n"
            "- Orphanet data (rare-disease frequency annotations) are used under the Creative Commons Attribution 4.0 "
            "licence (CC BY 4.0); source: Orphanet, INSERM.\n"
            "- Human Phenotype Ontology (HPO) terms and annotations are used under the HPO terms of use "
            "([hpo.jax.org/license](https://hpo.jax.org/license)).\n"
            "- Web pages and seed documents are quoted briefly, with a link, as the source of each statement.",
            version=kb.version,
            release=kb.snapshot.hpo_release,
        )
    )
    for source in annotation:
        st.markdown(
            md(
                "- **{title}** ({publisher}), release {version}; licence: {licence}. {link}",
                title=source.title,
                publisher=source.publisher,
                version=source.version,
                licence=source.licence or "see publisher",
                link=link("Download address", source.url) if source.url else trusted(""),
            )
        )

    for kind, title in KIND_TITLES.items():
        sources = [s for s in kb.sources.values() if s.kind == kind]
        if not sources:
            continue
        with st.expander(md("{title} ({n})", title=title, n=len(sources))):
            lines: list[Markdown] = []
            for s in sources:
                name = s.title if not s.title.startswith("(no title") else (s.note or s.title)
                bits = [md("**{name}**", name=name)]
                if s.publisher:
                    bits.append(escaped(s.publisher))
                if s.dates:
                    bits.append(escaped(s.dates))
                if s.version:
                    bits.append(md("version {version}", version=s.version))
                if s.licence:
                    bits.append(md("licence: {licence}", licence=s.licence))
                if s.date_read:
                    bits.append(md("read {date}", date=s.date_read))
                line = md("- {bits}", bits=join(". ", bits))
                if s.url:
                    line = md("{line}. {link}", line=line, link=link("Link", s.url))
                lines.append(line)
            st.markdown(join("\n", lines))


st.title("About this checker")

st.header("Intended use")
st.markdown(
    "This is a **teaching tool**. It shows how symptoms and test findings are linked to neuroendocrine tumor "
    "(NET) types in published sources, so that students and curious readers can see why a presentation points "
    "one way or another.\n\n"
    "- It is **not a medical device** and has not been assessed as one.\n"
    "- It must **not** be used for diagnosis, for triage (deciding how urgent something is), or to make or change "
    "treatment decisions.\n"
    "- It cannot tell whether anyone has a tumor. Most people with these symptoms have a common, non-cancerous "
    "condition.\n"
    "- If you are worried about a symptom, talk to a doctor or other qualified health professional; in an "
    "emergency, call your local emergency number.\n"
    "- Nothing you tick is stored or logged by the app. Each tick is sent to the app's server to compute the "
    "results and kept there only in memory for your open session; it also sits in the page address (so a link can "
    "be shared). Usage statistics are switched off."
)

st.header("How the scoring works")
st.markdown(
    md(
        "The checker ranks **NET types and common look-alike conditions with one model**: likelihood ratios, the tool "
        "taught in evidence-based medicine. Every number comes from the tables by the formulas below; nothing is "
        "hand-tuned per finding, and no number depends on how many rows a table has.\n\n"
        "1. **How often a finding occurs in a condition**, P(finding | condition), is the middle of its frequency "
        "class (first table below).\n"
        "2. **How often it occurs in everyone else**: each finding has a sourced *background* class, how often "
        "people with none of the listed conditions have it (second table). A condition that does not link a finding "
        "gets that background rate: the finding neither counts for nor against it. An *excluded* link is "
        "{excluded:g} times the background rate.\n"
        "3. **A finding you tick** adds log2(P(finding | condition) / background rate): **each point doubles the "
        "odds**. A narrower finding (watery diarrhea) that a condition links only through its general one (diarrhea) "
        "counts at the general class times the sourced share of the narrower kind; a general finding implied by a "
        "narrower one you ticked adds nothing more. **A finding you rule out** adds "
        "log2((1 - P(finding | condition)) / (1 - background rate)).\n"
        "4. **A syndrome counts once.** Findings that are all features of one hormone syndrome (a Cushing picture, "
        "carcinoid syndrome, catecholamine excess...) count together for each of its causes at most "
        "log2(P(syndrome | condition) / how common the picture is in people without any listed condition). The causes "
        "are then told apart by the findings that differ between them (low potassium, a lung mass).\n"
        "5. **Hormone symptoms reported** adds log2(share of people with the type who present with its hormone "
        "syndrome / share of all NETs that do); none reported, the same with the complements. Not given, it is "
        "neutral: each type keeps the likelier reading of its findings (with or without its syndrome, weighted by "
        "how many present that way).\n"
        "6. **An inherited syndrome** adds log2(share of this type's patients who have it / its population "
        "prevalence). **Age, sex and history** count the same way; a condition that always needs a history item "
        "(dumping needs stomach surgery) drops out when it is ruled out, and counts at its rate in the whole "
        "population when it is not given.\n"
        "7. **How common it is** (the prior): look-alikes start with their prevalence against a rare NET "
        "(very common {very_common:+.1f}, common "
        "{common:+.1f}, uncommon "
        "{uncommon:+.1f} points); NET types with their incidence.\n\n"
        "**Labels say how well the findings fit**, the prior left out: **strong** from {strong} points "
        "({strong_x:.0f}x) with at least {strong_min} findings pointing to it (and, for a subtype, a "
        "finding that tells it from its siblings), **moderate** from {moderate} points "
        "({moderate_x:.0f}x), **weak** when anything points to it, **none** when nothing does. **The order** "
        "counts the prior too, so a common condition with a moderate fit can "
        "come before a rare one with a strong fit. Rows that nothing points to come last.",
        excluded=EXCLUDED_RATIO,
        very_common=log2(PRIOR_ODDS["very common"] / PRIOR_ODDS["rare"]),
        common=log2(PRIOR_ODDS["common"] / PRIOR_ODDS["rare"]),
        uncommon=log2(PRIOR_ODDS["uncommon"] / PRIOR_ODDS["rare"]),
        strong=STRONG_BITS,
        strong_x=2**STRONG_BITS,
        strong_min=STRONG_MIN_FINDINGS,
        moderate=MODERATE_BITS,
        moderate_x=2**MODERATE_BITS,
    )
)
st.info(escaped(STRENGTH_NOTE), icon=":material/info:")

weights = pd.DataFrame(
    [
        {
            "Frequency class": freq,
            "Meaning": FREQUENCY_RANGES[freq],
            "P(finding | condition)": f"{FREQUENCY_MIDPOINTS[freq]:g}"
            if freq in FREQUENCY_MIDPOINTS
            else f"{EXCLUDED_RATIO:g} x the background rate",
        }
        for freq in FREQUENCIES
    ]
)
st.table(weights.set_index("Frequency class"))
backgrounds = pd.DataFrame(
    [
        {
            "Background class": name,
            "Meaning": BACKGROUNDS[name],
            "P(finding | no listed condition)": f"{rate:g} ({BACKGROUND_WORDS[name]})",
        }
        for name, rate in BACKGROUND_RATES.items()
    ]
)
st.table(backgrounds.set_index("Background class"))

_from_the_tables(current_tables())

st.header("Found an error in the tables?")
st.markdown(
    "Every statement comes from a row in the rule tables (`rules/*.yaml`), and every row names its source.\n\n"
    "1. Find the row: each result card's *Sources behind these links* names the document and excerpt.\n"
    "2. Edit the row in `rules/*.yaml` (for example the frequency of a link in `rules/links.yaml`), citing "
    "the source that supports the change.\n"
    "3. Run `python -m checker validate`; it lists any problem as `file:line: field: message`.\n"
    "4. Open an issue (or a pull request) in the project's repository describing the error and the source. "
    "If you cannot edit the tables, an issue with the type, the finding and a link to the source is enough."
)
