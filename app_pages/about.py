"""About page: intended use, how the scoring works, the bibliography with licences and versions, error reports."""

from __future__ import annotations

from math import log2

import pandas as pd
import streamlit as st

from app_pages import words
from app_pages.common import current_tables
from checker import KnowledgeBase
from checker.explain import worked_example
from checker.markup import Markdown, escaped, join, link, md, trusted
from checker.model import FREQUENCIES
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
from checker.wording import BACKGROUND_RANGES, BACKGROUND_WORDS, FREQUENCY_RANGES


def _from_the_tables(kb: KnowledgeBase) -> None:
    """The worked example and the sources, from the tables served to this run."""
    example = worked_example(kb)
    if example is not None:
        st.markdown(md(words.ABOUT_WORKED_EXAMPLE, example=example))
    st.markdown(md(words.ABOUT_ALONGSIDE, note=BASE_RATE_NOTE))

    st.header(words.ABOUT_SOURCES)
    annotation = [s for s in kb.sources.values() if s.kind in ("annotation", "ontology")]
    st.markdown(md(words.ABOUT_LICENCES, version=kb.version, release=kb.snapshot.hpo_release))
    for source in annotation:
        st.markdown(
            md(
                words.ABOUT_ANNOTATION_SOURCE,
                title=source.title,
                publisher=source.publisher,
                version=source.version,
                licence=source.licence or words.ABOUT_SEE_PUBLISHER,
                link=link(words.ABOUT_DOWNLOAD_ADDRESS, source.url) if source.url else trusted(""),
            )
        )

    for kind, title in words.ABOUT_KIND_TITLES.items():
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
                    bits.append(md(words.ABOUT_VERSION, version=s.version))
                if s.licence:
                    bits.append(md(words.ABOUT_LICENCE, licence=s.licence))
                if s.date_read:
                    bits.append(md(words.ABOUT_READ, date=s.date_read))
                line = md("- {bits}", bits=join(". ", bits))
                if s.url:
                    line = md("{line}. {link}", line=line, link=link(words.ABOUT_LINK, s.url))
                lines.append(line)
            st.markdown(join("\n", lines))


st.title(words.ABOUT_TITLE)

st.header(words.ABOUT_INTENDED_USE)
st.markdown(words.ABOUT_INTENDED_USE_TEXT)

st.header(words.ABOUT_SCORING)
st.markdown(
    md(
        words.ABOUT_SCORING_TEXT,
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
            "Meaning": BACKGROUND_RANGES[name],
            "P(finding | no listed condition)": f"{rate:g} ({BACKGROUND_WORDS[name]})",
        }
        for name, rate in BACKGROUND_RATES.items()
    ]
)
st.table(backgrounds.set_index("Background class"))

_from_the_tables(current_tables())

st.header(words.ABOUT_ERRORS)
st.markdown(words.ABOUT_ERRORS_TEXT)
