"""Frozen dataclasses for the rule tables (the knowledge base) and the fixed vocabularies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from typing import Literal, TypeVar, get_args

Word = TypeVar("Word", bound=str)


def member(value: str, vocabulary: Iterable[Word]) -> Word | None:
    """`value` as a word of a fixed vocabulary (a Literal's tuple, or a dict keyed by one), or None if it is not one."""
    return next((word for word in vocabulary if word == value), None)


# Each fixed vocabulary is a Literal type, written once; its runtime tuple comes from it (get_args), and a dict
# keyed by one has its keys checked against it.
Frequency = Literal["obligate", "very frequent", "frequent", "occasional", "very rare", "excluded"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
"""Orphanet frequency classes, most typical first."""

FREQUENCY_BY_HPO: dict[str, Frequency] = {
    "HP:0040280": "obligate",
    "HP:0040281": "very frequent",
    "HP:0040282": "frequent",
    "HP:0040283": "occasional",
    "HP:0040284": "very rare",
    "HP:0040285": "excluded",
}

TYPICAL: tuple[Frequency, ...] = ("obligate", "very frequent", "frequent")
"""The classes that count as typical of a condition (what to ask next; a site finding's minimum)."""

Background = Literal["very common", "common", "uncommon", "rare", "very rare", "extremely rare"]
BACKGROUNDS: tuple[Background, ...] = get_args(Background)
"""How often a finding, a syndrome's picture or an inherited condition occurs in people with none of the listed
conditions (their ranges in words: checker.wording.BACKGROUND_RANGES)."""

ContextKind = Literal["history", "sex", "age", "reference"]
CONTEXT_KINDS: tuple[ContextKind, ...] = get_args(ContextKind)
"""Rows of population.yaml: history items, sex, age bands, and reference shares the scoring reads."""
AGE_BANDS: dict[str, tuple[int, int]] = {
    "age-under-18": (0, 17),
    "age-18-39": (18, 39),
    "age-40-59": (40, 59),
    "age-60-plus": (60, 200),
}
"""Age bands a query can give (population.yaml rows of kind 'age'), with the years each covers."""
Sex = Literal["female", "male"]
SEXES: tuple[Sex, ...] = get_args(Sex)

Group = Literal["general", "skin", "digestive", "heart", "breathing", "metabolism", "nervous", "urinary", "tests"]
GROUPS: tuple[Group, ...] = get_args(Group)
"""The body systems a symptom belongs to (names: checker.wording.GROUP_NAMES)."""

FunctionalStatus = Literal["functional", "nonfunctional", "either"]
"""A NET type's hormone status in types.yaml."""
FUNCTIONAL_STATUSES: tuple[FunctionalStatus, ...] = get_args(FunctionalStatus)
Prevalence = Literal["very common", "common", "uncommon", "rare"]
PREVALENCES: tuple[Prevalence, ...] = get_args(Prevalence)
"""Prevalence classes of the ranked conditions (ranges: checker.wording.PREVALENCE_RANGES)."""
Incidence = Literal["rare", "very rare", "extremely rare"]
INCIDENCES: tuple[Incidence, ...] = get_args(Incidence)
"""How often a NET type is diagnosed (ranges: checker.wording.INCIDENCE_RANGES)."""
RejectionReason = Literal[
    "associated-syndrome", "sibling-entity", "too-broad", "not-a-presenting-finding", "wrong-population", "duplicate"
]
REJECTION_REASONS: tuple[RejectionReason, ...] = get_args(RejectionReason)
Urgency = Literal["emergency", "urgent", "soon"]
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
"""How soon a red flag says to get care (words: checker.wording.URGENCY_WORDS)."""
QueryStatus = Literal["functional", "nonfunctional", "unknown"]
"""What a query (or a case) says of hormone symptoms."""
QUERY_STATUSES: tuple[QueryStatus, ...] = get_args(QueryStatus)
GutRegion = Literal["foregut", "midgut", "hindgut"]
GUT_REGIONS: tuple[GutRegion, ...] = get_args(GutRegion)
SourceKind = Literal["seed", "annotation", "ontology", "page"]
SOURCE_KINDS: tuple[SourceKind, ...] = get_args(SourceKind)
EducationTopic = Literal[
    "overview",
    "causes",
    "epidemiology",
    "zebra",
    "functional-status",
    "grading",
    "staging",
    "metastasis",
    "diagnostics",
    "treatment",
    "monitoring",
    "classification",
]
EDUCATION_TOPICS: tuple[EducationTopic, ...] = get_args(EducationTopic)
YAML_KEYS = "yaml_keys"
"""Field metadata: the YAML keys a row's field is read from, when they are not just the field's name; () for a
field read from inside another key's mapping (a class block's basis and sources)."""
READ = "read"
"""Field metadata: a Read, how the loader reads the field (checker/plainfields.py) beyond what its type says."""


@dataclass(frozen=True)
class Read:
    """How the loader reads one row field beyond its type annotation (str: text, a Literal: one of its words,
    tuple[str, ...]: texts, bool, float: a share, int | None: a whole number, tuple[SourceNote, ...]: notes)."""

    custom: bool = False
    """The row's builder reads it (a mapping block, nested rows, a check against another field)."""
    required: bool | None = None
    """Whether a row must give it; None: required exactly when the field has no default."""
    own_words: bool = False
    """User-facing text in our own words: American spelling is checked."""
    ref: str = ""
    """The table (or 'history': population.yaml's history items) whose row ids the value, or each item, must be."""
    how: Literal["", "date", "orpha"] = ""
    """A text read as a YYYY-MM-DD date, or a list of texts as ORPHA codes of the pinned release."""
    fallback: object = None
    """The value a row gets when the field is missing or bad (the load then fails); None: the field's default."""
    bounds: tuple[int, int] = (0, 0)
    """The lowest and highest value of a whole number."""


CUSTOM = {READ: Read(custom=True)}
OWN_WORDS = {READ: Read(own_words=True)}
IN_BLOCK = {YAML_KEYS: (), **CUSTOM}


@cache
def yaml_keys(row_type: type) -> tuple[str, ...]:
    """The keys a YAML row of this dataclass may hold (the loader's allow-list for 'unknown field' problems)."""
    return tuple(key for f in fields(row_type) for key in f.metadata.get(YAML_KEYS, (f.name,)))


CaseKind = Literal["net", "mimic"]
"""A teaching case's answer: a NET type, or a look-alike condition."""
CASE_KINDS: tuple[CaseKind, ...] = get_args(CaseKind)


@dataclass(frozen=True)
class Source:
    """A document cited by the tables: a seed, the pinned annotation release, or a page read."""

    id: str
    kind: SourceKind
    title: str
    publisher: str = ""
    url: str = ""
    dates: str = ""
    date_read: str = ""
    seed_file: str = ""
    version: str = ""
    licence: str = ""
    note: str = ""


@dataclass(frozen=True)
class SourceNote:
    """Where one row's claim comes from: a seed or page excerpt, or an Orphanet annotation row."""

    source: str
    section: str = ""
    excerpt: str = ""
    orpha: str = ""
    hpo: str = ""
    frequency: str = ""
    suggests: Frequency | Literal[""] = ""
    """For seed and page notes: the frequency class the source's wording implies, when it implies one."""
    figure: str = ""
    """A published figure the excerpt gives (e.g. '12-24%')."""
    denominator: str = ""
    """Whom that figure counts (e.g. 'patients with insulinoma in a surgical series')."""


@dataclass(frozen=True)
class HpoRef:
    id: str
    name: str


@dataclass(frozen=True)
class Symptom:
    """A finding a user can report: lay and clinical labels, search synonyms, body-system group, HPO term."""

    id: str
    label: str = field(metadata=OWN_WORDS)
    clinical: str = field(metadata=OWN_WORDS)
    group: Group
    synonyms: tuple[str, ...] = field(metadata={READ: Read(required=False)})
    hpo: HpoRef = field(metadata={YAML_KEYS: ("hpo", "hpo_name"), **CUSTOM})
    also_hpo: tuple[HpoRef, ...] = field(default=(), metadata=CUSTOM)
    refines: str | None = field(default=None, metadata={READ: Read(ref="symptoms")})
    sources: tuple[SourceNote, ...] = ()
    nonspecific: bool = False
    """Common to many conditions (fatigue, nausea...): alone it never earns more than the lowest label."""
    background: Background = field(default="common", metadata=CUSTOM)
    """BACKGROUNDS class: how often people with none of the listed conditions have it."""
    background_basis: str = field(default="", metadata=IN_BLOCK)
    background_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)
    share: float | None = field(default=None, metadata=CUSTOM)
    """For a symptom that refines another: the share of people with the general finding who have this kind."""
    share_basis: str = field(default="", metadata=IN_BLOCK)
    share_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)

    @property
    def hpo_ids(self) -> tuple[str, ...]:
        return (self.hpo.id, *(ref.id for ref in self.also_hpo))


@dataclass(frozen=True)
class Hallmark:
    """A finding, or a finding with its partners, that is the classic clue to one condition."""

    findings: tuple[str, ...] = field(metadata={READ: Read(ref="symptoms")})
    basis: str = field(default="", metadata={READ: Read(required=True, own_words=True)})
    sources: tuple[SourceNote, ...] = ()


@dataclass(frozen=True)
class ContextLink:
    """How typical one context item (population.yaml) is among people with a condition."""

    item: str = field(metadata={READ: Read(ref="context")})
    frequency: Frequency
    sources: tuple[SourceNote, ...] = field(default=(), metadata={READ: Read(required=True)})
    basis: str = field(default="", metadata={READ: Read(required=True, own_words=True)})


@dataclass(frozen=True)
class ContextItem:
    """A piece of context a user may give (history, sex, age band), or a reference share, with its population rate."""

    id: str
    label: str = field(metadata=OWN_WORDS)
    kind: ContextKind
    rate: float = field(metadata={READ: Read(fallback=0.5)})
    """Share of the population (adults) it describes: for history, sex and age the probability for a person
    about whom nothing is known; for a reference row, the share it names."""
    basis: str = field(default="", metadata={READ: Read(required=True, own_words=True)})
    sources: tuple[SourceNote, ...] = ()


@dataclass(frozen=True)
class TumorType:
    """A NET type of the catalog: where it grows, its hormone status and syndromes, how often it is diagnosed."""

    id: str
    name: str = field(metadata=OWN_WORDS)
    aliases: tuple[str, ...] = field(metadata={READ: Read(required=False)})
    site: str = field(metadata=OWN_WORDS)
    family: str
    functional: FunctionalStatus
    summary: str = field(metadata=OWN_WORDS)
    gut: GutRegion | None = None
    hormones: tuple[str, ...] = ()
    syndromes: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="hormone_syndromes")})
    tests: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="education")})
    treatments: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="education")})
    orpha: tuple[str, ...] = field(default=(), metadata={READ: Read(how="orpha")})
    sources: tuple[SourceNote, ...] = field(default=(), metadata={READ: Read(required=True)})
    parent: str | None = field(default=None, metadata={READ: Read(ref="type_groups")})
    """The group a split type belongs to (e.g. 'pituitary-net'), or None."""
    site_finding: str | None = field(default=None, metadata={READ: Read(ref="symptoms", required=True)})
    """The symptom id that shows the tumor where it grows (a scan, endoscopy or lump finding)."""
    syndrome_share: Frequency | Literal[""] = field(default="", metadata=CUSTOM)
    """Frequency class: how many people with this type present with its hormone syndrome."""
    syndrome_share_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)
    syndrome_share_basis: str = field(default="", metadata=IN_BLOCK)
    incidence: Incidence = field(default="rare", metadata=CUSTOM)
    """How often the type is diagnosed (INCIDENCES): its prior odds against the other NET types."""
    incidence_basis: str = field(default="", metadata=IN_BLOCK)
    incidence_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)
    hallmarks: tuple[Hallmark, ...] = field(default=(), metadata=CUSTOM)
    """Findings (alone or with a partner) that should make a student think of this type first among NETs."""
    context: tuple[ContextLink, ...] = field(default=(), metadata=CUSTOM)
    """How typical each context item (history, sex, age band) is among people with this type."""


@dataclass(frozen=True)
class TypeGroup:
    """A parent entity whose subtypes are ranked separately (e.g. pituitary NET)."""

    id: str
    name: str = field(metadata=OWN_WORDS)
    summary: str = field(metadata=OWN_WORDS)
    sources: tuple[SourceNote, ...] = field(default=(), metadata={READ: Read(required=True)})


@dataclass(frozen=True)
class Link:
    """How typical one symptom is of one tumor type, and why we say so."""

    type: str = field(metadata={READ: Read(ref="types")})
    symptom: str = field(metadata={READ: Read(ref="symptoms")})
    frequency: Frequency
    sources: tuple[SourceNote, ...]
    basis: str = field(default="", metadata=OWN_WORDS)
    when_functional: Frequency | Literal[""] = ""
    """The class among people who have the type's hormone syndrome, when it differs."""
    reviewed: str = field(default="", metadata={READ: Read(required=True, how="date")})
    syndrome_note: str = field(default="", metadata=OWN_WORDS)

    @property
    def id(self) -> str:
        return f"{self.type}/{self.symptom}"


@dataclass(frozen=True)
class Finding:
    """How typical one symptom is of a look-alike condition or of an inherited syndrome itself."""

    symptom: str = field(metadata={READ: Read(ref="symptoms")})
    frequency: Frequency
    sources: tuple[SourceNote, ...]
    basis: str = field(default="", metadata=OWN_WORDS)
    reviewed: str = field(default="", metadata={READ: Read(how="date")})


@dataclass(frozen=True)
class RejectedRow:
    """An Orphanet annotation row that is not used as a symptom link, with the reason."""

    type: str = field(metadata={READ: Read(ref="types")})
    orpha: str
    hpo: str
    frequency: str = field(metadata={READ: Read(required=False)})
    reason: RejectionReason
    note: str = field(metadata=OWN_WORDS)
    moved_to: str | None = field(default=None, metadata={READ: Read(ref="hereditary")})


@dataclass(frozen=True)
class HormoneSyndrome:
    """How one hormone excess leads to findings, and which tumor types make it."""

    id: str
    name: str = field(metadata=OWN_WORDS)
    hormones: tuple[str, ...]
    findings: tuple[str, ...] = field(metadata={READ: Read(ref="symptoms")})
    types: tuple[str, ...] = field(metadata={READ: Read(ref="types")})
    explanation: str = field(metadata=OWN_WORDS)
    orpha: tuple[str, ...] = field(default=(), metadata={READ: Read(how="orpha")})
    sources: tuple[SourceNote, ...] = field(default=(), metadata={READ: Read(required=True)})
    background: Background = field(default="rare", metadata=CUSTOM)
    """BACKGROUNDS class: how common the syndrome's picture is in people with none of the listed conditions."""
    picture_of: str | None = field(default=None, metadata={READ: Read(ref="hormone_syndromes")})
    """Another hormone syndrome with the same clinical picture (ectopic ACTH: Cushing): with the syndrome present,
    the picture's features take the classes the tables give among people with either."""
    tells_apart: tuple[str, ...] = field(default=(), metadata=CUSTOM)
    """Findings of the syndrome that differ between its causes (low potassium in ectopic ACTH): they count on their
    own, outside the picture that counts once."""
    background_basis: str = field(default="", metadata=IN_BLOCK)
    background_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)


@dataclass(frozen=True)
class RaisedType:
    type: str = field(metadata={READ: Read(ref="types")})
    frequency: Frequency
    """Frequency class: how many people with this type have the syndrome."""
    sources: tuple[SourceNote, ...]


@dataclass(frozen=True)
class Hereditary:
    """An inherited syndrome: the tumor types it raises (with the share) and its own features."""

    id: str
    name: str = field(metadata=OWN_WORDS)
    summary: str = field(metadata=OWN_WORDS)
    raises: tuple[RaisedType, ...] = field(metadata=CUSTOM)
    orpha: tuple[str, ...] = field(default=(), metadata={READ: Read(how="orpha")})
    sources: tuple[SourceNote, ...] = field(default=(), metadata={READ: Read(required=True)})
    features: tuple[Finding, ...] = field(default=(), metadata=CUSTOM)
    """The syndrome's own features (not features of the tumors it raises)."""
    prevalence: Background = field(default="very rare", metadata=CUSTOM)
    """BACKGROUNDS class: how many people in the population have the inherited syndrome."""
    prevalence_basis: str = field(default="", metadata=IN_BLOCK)
    prevalence_sources: tuple[SourceNote, ...] = field(default=(), metadata=IN_BLOCK)

    @property
    def raised_ids(self) -> tuple[str, ...]:
        return tuple(r.type for r in self.raises)


@dataclass(frozen=True)
class Mimic:
    """A look-alike condition: the findings it shares with NETs, its prevalence class and how to tell it apart."""

    id: str
    name: str = field(metadata=OWN_WORDS)
    findings: tuple[Finding, ...] = field(metadata={YAML_KEYS: ("links",), **CUSTOM})
    tell_apart: str = field(metadata=OWN_WORDS)
    prevalence: Prevalence
    prevalence_sources: tuple[SourceNote, ...]
    sources: tuple[SourceNote, ...] = ()
    syndromes: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="hormone_syndromes")})
    """Hormone syndromes (hormone_syndromes.yaml) whose picture this condition produces (steroids: Cushing)."""
    context: tuple[ContextLink, ...] = field(default=(), metadata=CUSTOM)
    picture: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="symptoms")})
    """The findings that together make this look-alike the first thought among look-alikes."""

    @property
    def shares(self) -> tuple[str, ...]:
        return tuple(f.symptom for f in self.findings)


@dataclass(frozen=True)
class RedFlag:
    """Findings that mean "seek care" (all of `when_all`, or any of `when_any`), with the urgency and action."""

    id: str
    message: str = field(metadata=OWN_WORDS)
    sources: tuple[SourceNote, ...]
    when_any: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="symptoms")})
    when_all: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="symptoms")})
    urgency: Urgency = field(default="urgent", metadata={READ: Read(required=True)})
    action: str = field(default="", metadata={READ: Read(required=True, own_words=True)})

    def triggered_by(self, present: frozenset[str]) -> tuple[str, ...]:
        """The present symptoms that fire this flag, or () when it does not fire."""
        if self.when_all and not set(self.when_all) <= present:
            return ()
        hits_any = tuple(s for s in self.when_any if s in present)
        if self.when_any and not hits_any:
            return ()
        return tuple(dict.fromkeys((*self.when_all, *hits_any)))


@dataclass(frozen=True)
class Fact:
    """An education fact: grading, staging, spread, risk factors, incidence, diagnostics, treatments, the zebra."""

    id: str
    topic: EducationTopic
    title: str = field(metadata=OWN_WORDS)
    text: str = field(metadata=OWN_WORDS)
    sources: tuple[SourceNote, ...]


@dataclass(frozen=True)
class Case:
    """A teaching case for the presentation and quiz pages: a story, its findings and the expected answer."""

    id: str
    title: str = field(metadata=OWN_WORDS)
    story: str = field(metadata=OWN_WORDS)
    findings: tuple[str, ...] = field(metadata={READ: Read(ref="symptoms")})
    functional: QueryStatus
    expected: tuple[str, ...] = field(metadata=CUSTOM)
    teaching_points: tuple[str, ...] = field(metadata=OWN_WORDS)
    sources: tuple[SourceNote, ...]
    kind: CaseKind = "net"
    absent: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="symptoms")})
    syndrome: str | None = field(default=None, metadata={READ: Read(ref="hereditary")})
    age: int | None = field(default=None, metadata={READ: Read(required=True, bounds=(0, 120))})
    sex: Sex | None = field(default=None, metadata={READ: Read(required=True)})
    history: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="history")})
    no_history: tuple[str, ...] = field(default=(), metadata={READ: Read(ref="history")})
    """History items the story rules out (she takes no diabetes medicines)."""


@dataclass(frozen=True)
class HpoTerm:
    """One HPO term of the pinned release and the checker symptom it resolves to."""

    id: str
    name: str
    symptom: str
    via: str
    distance: int
    primary: str = ""


@dataclass(frozen=True)
class AnnotationRow:
    """One Orphanet disease-phenotype row of the pinned phenotype.hpoa."""

    orpha: str
    disease: str
    qualifier: str
    hpo: str
    frequency: str
    evidence: str
    reference: str


@dataclass(frozen=True)
class Snapshot:
    """The versioned HPO/Orphanet extract kept in rules/snapshot/."""

    hpo_release: str
    terms: dict[str, HpoTerm]
    annotations: tuple[AnnotationRow, ...]

    def annotation(self, orpha: str, hpo: str) -> AnnotationRow | None:
        return self._annotation_index.get((orpha, hpo))

    @cached_property
    def orpha_codes(self) -> frozenset[str]:
        return frozenset(row.orpha for row in self.annotations)

    @cached_property
    def _annotation_index(self) -> dict[tuple[str, str], AnnotationRow]:
        return {(row.orpha, row.hpo): row for row in self.annotations}


@dataclass(frozen=True)
class KnowledgeBase:
    """Every rule table, validated and cross-referenced."""

    folder: str
    version: str
    sources: dict[str, Source]
    symptoms: dict[str, Symptom]
    types: dict[str, TumorType]
    links: tuple[Link, ...]
    hormone_syndromes: dict[str, HormoneSyndrome]
    hereditary: dict[str, Hereditary]
    mimics: dict[str, Mimic]
    red_flags: dict[str, RedFlag]
    education: dict[str, Fact]
    cases: dict[str, Case]
    snapshot: Snapshot
    type_groups: dict[str, TypeGroup] = field(default_factory=dict)
    rejected: tuple[RejectedRow, ...] = ()
    population: dict[str, ContextItem] = field(default_factory=dict)

    @cached_property
    def links_by_type(self) -> dict[str, dict[str, Link]]:
        """Per type id: its links keyed by symptom id."""
        out: dict[str, dict[str, Link]] = {type_id: {} for type_id in self.types}
        for link in self.links:
            out[link.type][link.symptom] = link
        return out
