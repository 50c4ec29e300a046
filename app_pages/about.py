"""About page: intended use, how the scoring works, the bibliography with licences and versions, error reports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import knowledge
from checker import engine
from checker.model import FREQUENCIES, FREQUENCY_RANGES
from checker.notice import BASE_RATE_NOTE, STRENGTH_NOTE
from checker.text import md_escape, md_link

kb = knowledge()

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
    "- Nothing you tick is stored or logged by the app. Your choices live only in your browser session and in the "
    "page address (so a link can be shared); usage statistics are switched off."
)

st.header("How the scoring works")
st.markdown(
    "Every tumor type in the tables gets a **score**, which is a sum of labelled points you can see on each "
    "result card:\n\n"
    "1. **Each finding you tick** earns points for every type the sources link it to: "
    "*how typical* it is of that type (from the Orphanet frequency class) times *how distinctive* it is "
    "(findings shared by few types count more than findings almost every type has). A finding that refines "
    "a broader one (for example *diarrhea that wakes you at night* under *diarrhea*) counts through the broader "
    "link when the type has no link of its own.\n"
    f"2. **A ticked finding a type is not known for** takes off {abs(engine.UNEXPLAINED_PENALTY):g} points; one "
    f"the sources say the type does *not* cause takes off {abs(engine.EXCLUDED_PENALTY):g}.\n"
    "3. **A finding you rule out** takes points off types that usually have it.\n"
    "4. **Hormone symptoms** (present or not) add or take off a fixed amount depending on whether the type "
    "usually makes hormones.\n"
    f"5. **A hereditary syndrome** adds {engine.SYNDROME_BONUS:g} points to each type it is known to raise.\n\n"
    f"A type is a **strong** match at {engine.STRONG_SCORE:g} points or more with at least two typical findings, "
    f"**moderate** at {engine.MODERATE_SCORE:g} or more with at least one typical finding, **weak** when some "
    "points are left, and **none** otherwise."
)
st.info(md_escape(STRENGTH_NOTE), icon=":material/info:")

weights = pd.DataFrame([{
    "Frequency class": freq,
    "Meaning": FREQUENCY_RANGES[freq],
    "Typicality when ticked": f"{engine.TYPICALITY[freq]:g}",
    "Points when ruled out": f"{engine.ABSENT_PENALTY[freq]:+g}" if engine.ABSENT_PENALTY[freq] else "0",
} for freq in FREQUENCIES])
st.markdown("**Points by frequency class** (typicality is multiplied by the finding's distinctiveness, "
            "0.5 + 0.5 x log2(number of types / number of types linked to the finding, weighted)):")
st.table(weights.set_index("Frequency class"))

reported_words = {"functional": "hormone symptoms present", "nonfunctional": "no hormone symptoms"}
type_words = {"functional": "functional (makes hormones)", "nonfunctional": "nonfunctional",
              "either": "either"}
status = pd.DataFrame([{
    "You report": reported_words[reported],
    "Type usually is": type_words[kind],
    "Points": f"{points:+g}",
} for (reported, kind), points in engine.FUNCTIONAL_POINTS.items()])
st.markdown("**Points for hormone symptoms** (nothing changes when you answer *not sure*):")
st.table(status.set_index("You report"))

st.markdown(
    "Alongside the ranking the checker shows **red flags** (findings that need prompt medical care, shown above "
    "the results whenever they are ticked) and **common conditions** that share the findings. "
    + md_escape(BASE_RATE_NOTE)
)

st.header("Sources, licences and data versions")
annotation = [s for s in kb.sources.values() if s.kind in ("annotation", "ontology")]
st.markdown(
    f"- Rules version: **{md_escape(kb.version)}**\n"
    f"- HPO / Orphanet release: **{md_escape(kb.snapshot.hpo_release)}**\n"
    "- Orphanet data (rare-disease frequency annotations) are used under the Creative Commons Attribution 4.0 "
    "licence (CC BY 4.0); source: Orphanet, INSERM.\n"
    "- Human Phenotype Ontology (HPO) terms and annotations are used under the HPO terms of use "
    "([hpo.jax.org/license](https://hpo.jax.org/license)).\n"
    "- Web pages and seed documents are quoted briefly, with a link, as the source of each statement."
)
for source in annotation:
    st.markdown(f"- **{md_escape(source.title)}** ({md_escape(source.publisher)}), release "
                f"{md_escape(source.version)}; licence: {md_escape(source.licence or 'see publisher')}. "
                + (md_link("Download address", source.url) if source.url else ""))

KIND_TITLES = {"seed": "Seed documents", "page": "Web pages read"}
for kind, title in KIND_TITLES.items():
    sources = [s for s in kb.sources.values() if s.kind == kind]
    if not sources:
        continue
    with st.expander(f"{title} ({len(sources)})"):
        lines = []
        for s in sources:
            name = s.title if not s.title.startswith("(no title") else (s.note or s.title)
            bits = [f"**{md_escape(name)}**"]
            if s.publisher:
                bits.append(md_escape(s.publisher))
            if s.dates:
                bits.append(md_escape(s.dates))
            if s.version:
                bits.append(f"version {md_escape(s.version)}")
            if s.licence:
                bits.append(f"licence: {md_escape(s.licence)}")
            if s.date_read:
                bits.append(f"read {md_escape(s.date_read)}")
            line = "- " + ". ".join(bits)
            if s.url:
                line += ". " + md_link("Link", s.url)
            lines.append(line)
        st.markdown("\n".join(lines))

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
