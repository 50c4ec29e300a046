"""Load every rule table from a folder, validate each row, and build the KnowledgeBase."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from checker.errors import Problem, ProblemList, TableError
from checker.model import (
    AGE_BANDS,
    BACKGROUNDS,
    FREQUENCIES,
    INCIDENCES,
    TYPICAL,
    Case,
    ContextItem,
    ContextLink,
    Fact,
    Finding,
    Frequency,
    FunctionalStatus,
    Hallmark,
    Hereditary,
    HormoneSyndrome,
    HpoRef,
    Incidence,
    KnowledgeBase,
    Link,
    Mimic,
    RaisedType,
    RedFlag,
    RejectedRow,
    Snapshot,
    Source,
    SourceNote,
    Symptom,
    TumorType,
    TypeGroup,
    Word,
    yaml_keys,
)
from checker.plainfields import read_plain_fields
from checker.rowreader import HPO_PATTERN, ID_PATTERN, MAX_ID_CHARS, RowReader
from checker.snapshot import SNAPSHOT_DIR, clear_snapshot_parses, read_snapshot
from checker.urls import source_url_problem
from checker.yamlio import MAX_TABLE_ROWS, PARSED, LineDict, read_yaml

RULES_BESIDE = Path(__file__).resolve().parent.parent / "rules"
"""Where the rules folder is in a clone."""


def shipped_rules(beside: Path = RULES_BESIDE) -> Path:
    """The rules folder beside the package in a clone, else the copy installed with the package (checker_rules)."""
    if beside.is_dir():
        return beside
    try:
        import checker_rules  # noqa: PLC0415 - installed from a wheel: rules/ ships as this package's data
    except ImportError:
        return beside
    return Path(next(iter(checker_rules.__path__)))


DEFAULT_RULES = shipped_rules()
RULES_ENV = "NET_CHECKER_RULES"

TABLE_FILES: dict[str, str] = {
    "sources": "sources.yaml",
    "symptoms": "symptoms.yaml",
    "type_groups": "type_groups.yaml",
    "types": "types.yaml",
    "links": "links.yaml",
    "hormone_syndromes": "hormone_syndromes.yaml",
    "hereditary": "hereditary.yaml",
    "mimics": "mimics.yaml",
    "red_flags": "red_flags.yaml",
    "education": "education.yaml",
    "cases": "cases.yaml",
    "rejected": "rejected_annotations.yaml",
    "population": "population.yaml",
}
OPTIONAL_TABLES = frozenset({"cases", "type_groups", "rejected"})
ROW_TYPES: dict[str, type] = {
    "sources": Source,
    "symptoms": Symptom,
    "type_groups": TypeGroup,
    "types": TumorType,
    "links": Link,
    "hormone_syndromes": HormoneSyndrome,
    "hereditary": Hereditary,
    "mimics": Mimic,
    "red_flags": RedFlag,
    "education": Fact,
    "cases": Case,
    "rejected": RejectedRow,
    "population": ContextItem,
}
"""The dataclass each table's rows become: its fields (yaml_keys) are the keys a row may hold."""


T = TypeVar("T")


def default_rules_dir() -> Path:
    """The rules folder: $NET_CHECKER_RULES when set, else the shipped rules/."""
    configured = os.environ.get(RULES_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_RULES


class _Context:
    """What the row builders share while one folder loads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = ProblemList()
        self.raw: dict[str, list[LineDict]] = {}
        self.labels: dict[str, str] = {}
        self.sources: dict[str, Source] = {}
        self.snapshot = Snapshot("", {}, ())
        self.population: dict[str, ContextItem] = {}
        self._ids: dict[str, dict[str, LineDict]] = {}

    def label(self, table: str) -> str:
        return self.labels.get(table, f"{self.folder.name}/{TABLE_FILES.get(table, table)}")

    def read_table(self, table: str) -> None:
        path = self.folder / TABLE_FILES[table]
        label = f"{self.folder.name}/{TABLE_FILES[table]}"
        self.labels[table] = label
        if not path.exists():
            if table not in OPTIONAL_TABLES:
                self.problems.append(Problem(label, 0, "file", "table file is missing"))
            self.raw[table] = []
            return
        data = read_yaml(path, label, self.problems, root=self.folder)
        if data is None:
            self.raw[table] = []
            return
        if not isinstance(data, list):
            line = getattr(data, "line", 1)
            self.problems.append(Problem(label, line, "file", "a table must be a YAML list of rows"))
            self.raw[table] = []
            return
        if len(data) > MAX_TABLE_ROWS:
            line = data.item_lines[MAX_TABLE_ROWS] if hasattr(data, "item_lines") else 1
            self.problems.append(
                Problem(
                    label,
                    line,
                    "file",
                    f"the table has {len(data)} rows; the limit is {MAX_TABLE_ROWS} (split it, or check how it was made)",
                )
            )
            self.raw[table] = []
            return
        rows: list[LineDict] = []
        for index, row in enumerate(data):
            if isinstance(row, LineDict):
                rows.append(row)
            else:
                line = data.item_lines[index] if hasattr(data, "item_lines") else 0
                self.problems.append(Problem(label, line, "row", "each row must be a mapping of fields"))
        self.raw[table] = rows

    def ids(self, table: str) -> dict[str, LineDict]:
        """The rows of `table` by their ids (the first row with each), as read (kept: the raw rows never change)."""
        out = self._ids.get(table)
        if out is None:
            out = self._ids[table] = {}
            for row in self.raw.get(table, []):
                value = row.get("id")
                if isinstance(value, str) and ID_PATTERN.match(value.strip()) and len(value) <= MAX_ID_CHARS:
                    out.setdefault(value.strip(), row)
        return out

    def known(self, table: str) -> Collection[str]:
        """The ids a reference to `table` may name (Read.ref): its rows' ids, or population.yaml's history items
        ('history') or items a condition's context can name ('context': all but reference shares)."""
        if table == "history":
            return {k for k, v in self.population.items() if v.kind == "history"}
        if table == "context":
            return {k for k, v in self.population.items() if v.kind != "reference"}
        return self.ids(table)

    def build(self, table: str, make: Callable[[RowReader, _Context], T | None], key: Callable[[T], str]) -> dict[str, T]:
        """The rows of `table` made by `make` and keyed by `key`; a YAML key that is not a field of the table's row
        type (ROW_TYPES, yaml_keys) is an unknown field."""
        fields = yaml_keys(ROW_TYPES[table])
        out: dict[str, T] = {}
        first_line: dict[str, int] = {}
        for row in self.raw.get(table, []):
            reader = RowReader(row, self.label(table), self.problems, fields)
            item = make(reader, self)
            if item is None:
                continue
            item_key = key(item)
            if item_key in out:
                reader.problem("id", f"duplicate id '{item_key}' (first on line {first_line[item_key]})", row.line)
                continue
            out[item_key] = item
            first_line[item_key] = row.line
        return out


def forget_parses() -> None:
    """Drop the kept parses of table and snapshot files, so that the next load parses every file again."""
    PARSED.clear()
    clear_snapshot_parses()


def load_knowledge(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Read and validate every table in `path` (default: the shipped rules/); raise TableError on problems."""
    with _collector_paused():
        return _load(path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a folder loads: a load keeps some 50,000 new containers (rows, lists,
    notes) and makes no cycles, so the collector's passes over them (about a seventh of a cold load) find nothing."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _load(path: str | os.PathLike[str] | None) -> KnowledgeBase:
    folder = Path(path) if path is not None else default_rules_dir()
    ctx = _Context(folder)
    if not folder.is_dir():
        raise TableError([Problem(str(folder), 0, "folder", "rules folder not found")])
    ctx.snapshot = read_snapshot(folder / SNAPSHOT_DIR, ctx.problems, root=folder)
    manifest = read_yaml(folder / "manifest.yaml", f"{folder.name}/manifest.yaml", ctx.problems, root=folder)
    version = _manifest_version(manifest, f"{folder.name}/manifest.yaml", ctx.problems)
    for table in TABLE_FILES:
        ctx.read_table(table)
    ctx.sources = ctx.build("sources", _make_source, lambda s: s.id)
    ctx.population = ctx.build("population", _make_population, lambda i: i.id)
    symptoms = ctx.build("symptoms", _make_symptom, lambda s: s.id)
    _check_symptom_graph(symptoms, ctx)
    groups = ctx.build("type_groups", _make_group, lambda g: g.id)
    types = ctx.build("types", _make_type, lambda t: t.id)
    links = ctx.build("links", _make_link, lambda k: k.id)
    syndromes = ctx.build("hormone_syndromes", _make_syndrome, lambda s: s.id)
    hereditary = ctx.build("hereditary", _make_hereditary, lambda h: h.id)
    mimics = ctx.build("mimics", _make_mimic, lambda m: m.id)
    red_flags = ctx.build("red_flags", _make_red_flag, lambda f: f.id)
    education = ctx.build("education", _make_fact, lambda f: f.id)
    cases = ctx.build("cases", _make_case, lambda c: c.id)
    rejected = ctx.build("rejected", _make_rejected, lambda x: f"{x.type}/{x.orpha}/{x.hpo}")
    _check_hallmarks(types, links, mimics, ctx)
    _check_types_have_links(types, links, ctx)
    _check_site_findings(types, links, ctx)
    _check_syndrome_features(hereditary, links, ctx)
    _check_annotations_accounted(types, links, rejected, ctx)
    if ctx.problems:
        raise TableError(ctx.problems)
    return KnowledgeBase(
        folder=str(folder),
        version=version,
        sources=ctx.sources,
        symptoms=symptoms,
        types=types,
        links=tuple(links.values()),
        hormone_syndromes=syndromes,
        hereditary=hereditary,
        mimics=mimics,
        red_flags=red_flags,
        education=education,
        cases=cases,
        snapshot=ctx.snapshot,
        type_groups=groups,
        rejected=tuple(rejected.values()),
        population=ctx.population,
    )


def _manifest_version(manifest: Any, label: str, problems: list[Problem]) -> str:
    if manifest is None:
        if not any(p.file == label for p in problems):
            problems.append(Problem(label, 1, "file", "manifest.yaml is empty; it needs at least 'version'"))
        return ""
    if not isinstance(manifest, LineDict):
        problems.append(Problem(label, 1, "file", "manifest must be a mapping"))
        return ""
    reader = RowReader(manifest, label, problems, ("version", "title", "description"))
    reader.text("title", required=False)
    reader.text("description", required=False)
    return reader.text("version")


def _make_source(r: RowReader, ctx: _Context) -> Source | None:
    source = Source(**read_plain_fields(r, Source, ctx))
    if source.title.lower().startswith(("(no title", "no title", "untitled")):
        r.problem("title", "a source needs the document's own title")
    url_error = source_url_problem(source.id, source.kind, source.url)
    if url_error:
        r.problem("url", url_error)
    if source.kind == "page":
        if not source.date_read:
            r.problem("date_read", "a page source needs the date it was read")
        if not source.publisher:
            r.problem("publisher", "a page source names who published the page (journal, society, NCBI Bookshelf ...)")
    if source.kind == "seed" and not source.seed_file:
        r.problem("seed_file", "a seed source needs the seed file name")
    if source.kind in ("annotation", "ontology") and not source.version:
        r.problem("version", f"an {source.kind} source needs the release version")
    return source if source.id else None


def class_block(
    r: RowReader, ctx: _Context, key: str, choices: tuple[Word, ...], required: bool = True
) -> tuple[Word | Literal[""], str, tuple[SourceNote, ...]]:
    """A sourced class: {class, basis, sources} (background rates, prevalences)."""
    raw = r.row.get(key)
    if raw is None:
        if required:
            r.problem(key, "missing required field: {class, basis, sources}")
        return "", "", ()
    if not isinstance(raw, LineDict):
        r.problem(key, "expected a mapping with 'class', 'basis' and 'sources'")
        return "", "", ()
    sub = RowReader(raw, r.file, r.problems, ("class", "basis", "sources"))
    value = sub.choice("class", choices)
    basis = sub.text("basis")
    sub.american("basis")
    return value, basis, sub.notes("sources", ctx.sources, ctx.snapshot, required=False)


def share_block(r: RowReader, ctx: _Context) -> tuple[float | None, str, tuple[SourceNote, ...]]:
    """{value, basis, sources}: the share of people with the general finding who have this narrower kind."""
    raw = r.row.get("share")
    if raw is None:
        return None, "", ()
    if not isinstance(raw, LineDict):
        r.problem("share", "expected a mapping with 'value', 'basis' and 'sources'")
        return None, "", ()
    sub = RowReader(raw, r.file, r.problems, ("value", "basis", "sources"))
    value = sub.fraction("value")
    basis = sub.text("basis")
    sub.american("basis")
    return value, basis, sub.notes("sources", ctx.sources, ctx.snapshot, required=False)


def _hpo_ref(
    r: RowReader, ctx: _Context, key: str, hpo_id: str, name: str, line: int | None = None, name_key: str | None = None
) -> HpoRef | None:
    if not HPO_PATTERN.match(hpo_id):
        r.problem(key, f"'{hpo_id}' is not an HPO id (HP: and 7 digits)", line)
        return None
    term = ctx.snapshot.terms.get(hpo_id)
    if term is None:
        r.problem(key, f"{hpo_id} is not in the pinned HPO release", line)
        return None
    if term.primary and term.primary != hpo_id:
        r.problem(key, f"{hpo_id} is an alternative or obsolete id; use {term.primary}", line)
        return None
    if name and name != term.name:
        r.problem(
            name_key or key,
            f"name '{name}' does not match the release's name for {hpo_id}: '{term.name}'",
            line if name_key is None else r.row.line_of(name_key),
        )
        return None
    return HpoRef(hpo_id, term.name)


def _make_symptom(r: RowReader, ctx: _Context) -> Symptom | None:
    plain = read_plain_fields(r, Symptom, ctx)
    sid = plain["id"]
    if plain["refines"] == sid:
        r.problem("refines", "a symptom cannot refine itself")
        plain["refines"] = None
    refines = plain["refines"]
    hpo_id = r.text("hpo")
    hpo_name = r.text("hpo_name")
    hpo = _hpo_ref(r, ctx, "hpo", hpo_id, hpo_name, name_key="hpo_name") if hpo_id else None
    also: list[HpoRef] = []
    raw_also = r.row.get("also_hpo")
    if raw_also is not None:
        if not isinstance(raw_also, list):
            r.problem("also_hpo", "expected a list of {id, name}")
        else:
            for item in raw_also:
                if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
                    r.problem("also_hpo", "each item needs an 'id' (and 'name')")
                    continue
                ref = _hpo_ref(r, ctx, "also_hpo", item["id"], str(item.get("name", "")), item.line)
                if ref:
                    also.append(ref)
    background, background_basis, background_sources = class_block(r, ctx, "background", tuple(BACKGROUNDS))
    share, share_basis, share_sources = share_block(r, ctx)
    if refines and share is None:
        r.problem(
            "share",
            "a symptom that refines another needs {value, basis, sources}: the share of people with "
            f"'{refines}' who have this kind",
        )
    elif share is not None and not refines:
        r.problem("share", "only a symptom that refines another has a share")
    symptom = Symptom(
        **plain,
        hpo=hpo or HpoRef(hpo_id, hpo_name),
        also_hpo=tuple(also),
        background=background or "common",
        background_basis=background_basis,
        background_sources=background_sources,
        share=share,
        share_basis=share_basis,
        share_sources=share_sources,
    )
    if hpo is not None and sid:
        mapped = ctx.snapshot.terms.get(hpo.id)
        if mapped is not None and mapped.symptom not in (sid, refines):
            rules = "" if ctx.folder.resolve() == DEFAULT_RULES.resolve() else f" --rules {ctx.folder}"
            r.problem(
                "hpo",
                f"the snapshot maps {hpo.id} to '{mapped.symptom}', not '{sid}': the snapshot is stale; "
                f"rebuild it with 'python -m checker snapshot{rules}'",
            )
    return symptom if sid else None


def _check_symptom_graph(symptoms: dict[str, Symptom], ctx: _Context) -> None:
    owner: dict[str, str] = {}
    rows = ctx.ids("symptoms")
    for symptom in symptoms.values():
        seen = {symptom.id}
        parent = symptom.refines
        while parent:
            if parent in seen:
                row = rows.get(symptom.id)
                line = row.line_of("refines") if row is not None else 0
                ctx.problems.append(
                    Problem(ctx.label("symptoms"), line, "refines", f"'refines' forms a cycle through '{parent}'")
                )
                break
            seen.add(parent)
            parent = symptoms[parent].refines if parent in symptoms else None
        for hpo_id in symptom.hpo_ids:
            other = owner.get(hpo_id)
            if other and symptom.refines != other and symptoms[other].refines != symptom.id:
                row = rows.get(symptom.id)
                ctx.problems.append(
                    Problem(
                        ctx.label("symptoms"),
                        row.line_of("hpo") if row is not None else 0,
                        "hpo",
                        f"{hpo_id} is already used by symptom '{other}'",
                    )
                )
            owner.setdefault(hpo_id, symptom.id)


def _make_group(r: RowReader, ctx: _Context) -> TypeGroup | None:
    group = TypeGroup(**read_plain_fields(r, TypeGroup, ctx))
    if group.id in ctx.ids("types"):
        r.problem("id", f"'{group.id}' is also a tumor type id; a group and a type need different ids")
    return group if group.id else None


FUNCTIONAL_BY_SHARE: dict[Frequency, FunctionalStatus] = {
    "obligate": "functional",
    "very frequent": "functional",
    "frequent": "either",
    "occasional": "either",
    "very rare": "nonfunctional",
    "excluded": "nonfunctional",
}
"""The usual hormone status that follows from how many people with a type present with its hormone syndrome."""


def _make_type(r: RowReader, ctx: _Context) -> TumorType | None:
    plain = read_plain_fields(r, TumorType, ctx)
    share: Frequency | Literal[""] = ""
    share_basis = ""
    share_sources: tuple[SourceNote, ...] = ()
    raw_share = r.row.get("syndrome_share")
    if raw_share is None:
        r.problem("syndrome_share", "missing required field: {frequency, sources} for how many present with the hormone syndrome")
    elif not isinstance(raw_share, LineDict):
        r.problem("syndrome_share", "expected a mapping with 'frequency' and 'sources'")
    else:
        sub = RowReader(raw_share, r.file, r.problems, ("frequency", "basis", "sources"))
        share = sub.choice("frequency", FREQUENCIES)
        share_basis = sub.text("basis", required=False)
        sub.american("basis")
        share_sources = sub.notes("sources", ctx.sources, ctx.snapshot)
    for key, topic in (("tests", "diagnostics"), ("treatments", "treatment")):
        for value in plain[key]:
            if ctx.ids("education")[value].get("topic") != topic:
                r.problem(key, f"'{value}' is not a {topic} fact")
    incidence: Incidence | Literal[""] = ""
    incidence_basis = ""
    incidence_sources: tuple[SourceNote, ...] = ()
    raw_incidence = r.row.get("incidence")
    if not isinstance(raw_incidence, LineDict):
        r.problem("incidence", "missing required field: {class, basis, sources} for how many people get it a year")
    else:
        sub = RowReader(raw_incidence, r.file, r.problems, ("class", "basis", "sources"))
        incidence = sub.choice("class", tuple(INCIDENCES))
        incidence_basis = sub.text("basis")
        incidence_sources = sub.notes("sources", ctx.sources, ctx.snapshot)
        sub.american("basis")
    tumor = TumorType(
        **plain,
        syndrome_share=share,
        syndrome_share_sources=share_sources,
        syndrome_share_basis=share_basis,
        incidence=incidence or "rare",
        incidence_basis=incidence_basis,
        incidence_sources=incidence_sources,
        hallmarks=_hallmarks(r, ctx),
        context=_context_links(r, ctx),
    )
    if share and tumor.functional and FUNCTIONAL_BY_SHARE[share] != tumor.functional:
        r.problem(
            "functional",
            f"'{tumor.functional}' does not fit a syndrome share of '{share}' (that means '{FUNCTIONAL_BY_SHARE[share]}')",
        )
    return tumor if tumor.id else None


def _make_link(r: RowReader, ctx: _Context) -> Link | None:
    link = Link(**read_plain_fields(r, Link, ctx))
    if link.when_functional and link.when_functional == link.frequency:
        r.problem("when_functional", "same class as 'frequency'; give it only when the hormone syndrome changes it")
    for note in link.sources:
        if note.orpha:
            type_row = ctx.ids("types").get(link.type)
            codes = type_row.get("orpha") if type_row is not None else None
            if isinstance(codes, list) and note.orpha not in codes:
                r.problem("sources", f"{note.orpha} is not one of the ORPHA codes of type '{link.type}'")
    if link.frequency and link.sources:
        annotated = [n.frequency for n in link.sources if n.frequency]
        backed = any(n.suggests == link.frequency or n.figure for n in link.sources)
        orphanet = min(annotated, key=FREQUENCIES.index) if annotated else ""
        if orphanet and link.frequency != orphanet and not (link.basis and backed):
            r.problem(
                "frequency",
                f"'{link.frequency}' is not the most typical class of the cited annotation rows "
                f"('{orphanet}'); overriding Orphanet needs a 'basis' and a page or seed note with a figure or "
                "that suggests this class",
            )
    return link if link.type and link.symptom else None


def _hallmarks(r: RowReader, ctx: _Context) -> tuple[Hallmark, ...]:
    """A list of {findings, basis, sources}: the classic clues to a type (checked against its links later)."""
    out = []
    for item in r.mappings(
        "hallmarks", "expected a list of {findings, basis, sources}", "each item needs 'findings', 'basis' and 'sources'"
    ):
        hallmark = Hallmark(**read_plain_fields(RowReader(item, r.file, r.problems, yaml_keys(Hallmark)), Hallmark, ctx))
        if hallmark.findings:
            out.append(hallmark)
    return tuple(out)


def _context_links(r: RowReader, ctx: _Context) -> tuple[ContextLink, ...]:
    """A list of {item, frequency, basis, sources}: how typical a context item is among people with the condition."""
    out: dict[str, ContextLink] = {}
    for item in r.mappings(
        "context",
        "expected a list of {item, frequency, basis, sources}",
        "each item needs 'item', 'frequency', 'basis' and 'sources'",
    ):
        sub = RowReader(item, r.file, r.problems, yaml_keys(ContextLink))
        link = ContextLink(**read_plain_fields(sub, ContextLink, ctx))
        if link.item in out:
            sub.problem("item", f"'{link.item}' is listed twice")
        elif link.item and link.frequency:
            out[link.item] = link
    return tuple(out.values())


def _make_population(r: RowReader, ctx: _Context) -> ContextItem | None:
    item = ContextItem(**read_plain_fields(r, ContextItem, ctx))
    iid = item.id
    if item.kind == "age" and iid not in AGE_BANDS:
        r.problem("id", f"an age row is one of {', '.join(AGE_BANDS)}")
    if item.kind == "sex" and iid != "female":
        r.problem("id", "the sex row is 'female' (its rate: the share of women; 'male' is its complement)")
    if item.kind in ("history", "sex", "age") and item.rate >= 1:
        r.problem("rate", "a context item's population rate must be below 1")
    return item if iid else None


def _check_hallmarks(types: dict[str, TumorType], links: dict[str, Link], mimics: dict[str, Mimic], ctx: _Context) -> None:
    """A hallmark or a look-alike's picture names only findings the condition links."""
    for tumor in types.values():
        for hallmark in tumor.hallmarks:
            for symptom in hallmark.findings:
                if f"{tumor.id}/{symptom}" not in links:
                    ctx.problems.append(
                        Problem(
                            ctx.label("types"),
                            _row_line(ctx, "types", tumor.id, "hallmarks"),
                            "hallmarks",
                            f"hallmark finding '{symptom}' is not linked to type '{tumor.id}'",
                        )
                    )
    for mimic in mimics.values():
        for symptom in mimic.picture:
            if symptom not in mimic.shares:
                ctx.problems.append(
                    Problem(
                        ctx.label("mimics"),
                        _row_line(ctx, "mimics", mimic.id, "picture"),
                        "picture",
                        f"picture finding '{symptom}' is not one of the links of look-alike '{mimic.id}'",
                    )
                )


def _findings(r: RowReader, ctx: _Context, key: str, required: bool) -> tuple[Finding, ...]:
    """A list of {symptom, frequency, sources} rows (a look-alike's or an inherited syndrome's own findings)."""
    out: dict[str, Finding] = {}
    for item in r.mappings(
        key,
        "expected a non-empty list of {symptom, frequency, sources}",
        "each item needs 'symptom', 'frequency' and 'sources'",
        missing="missing required field: a list of {symptom, frequency, sources}" if required else None,
        non_empty=required,
    ):
        sub = RowReader(item, r.file, r.problems, yaml_keys(Finding))
        finding = Finding(**read_plain_fields(sub, Finding, ctx))
        if finding.symptom in out:
            sub.problem("symptom", f"'{finding.symptom}' is listed twice")
        elif finding.symptom and finding.frequency:
            out[finding.symptom] = finding
    return tuple(out.values())


def _make_syndrome(r: RowReader, ctx: _Context) -> HormoneSyndrome | None:
    plain = read_plain_fields(r, HormoneSyndrome, ctx)
    background, basis, notes = class_block(r, ctx, "background", tuple(BACKGROUNDS))
    tells_apart = r.refs("tells_apart", plain["findings"], "finding of this syndrome (its 'findings')")
    if plain["picture_of"] == plain["id"]:
        r.problem("picture_of", "a syndrome cannot share the picture of itself")
        plain["picture_of"] = None
    syndrome = HormoneSyndrome(
        **plain, background=background or "rare", background_basis=basis, background_sources=notes, tells_apart=tells_apart
    )
    return syndrome if syndrome.id else None


def _make_hereditary(r: RowReader, ctx: _Context) -> Hereditary | None:
    raises: list[RaisedType] = []
    for item in r.mappings(
        "raises", "expected a non-empty list of {type, sources}", "each item needs 'type' and 'sources'", non_empty=True
    ):
        raised = RaisedType(**read_plain_fields(RowReader(item, r.file, r.problems, yaml_keys(RaisedType)), RaisedType, ctx))
        if raised.type:
            raises.append(raised)
    plain = read_plain_fields(r, Hereditary, ctx)
    features = _findings(r, ctx, "features", required=False)
    prevalence, basis, notes = class_block(r, ctx, "prevalence", tuple(BACKGROUNDS))
    hereditary = Hereditary(
        **plain,
        raises=tuple(raises),
        features=features,
        prevalence=prevalence or "very rare",
        prevalence_basis=basis,
        prevalence_sources=notes,
    )
    return hereditary if hereditary.id else None


def _make_mimic(r: RowReader, ctx: _Context) -> Mimic | None:
    plain = read_plain_fields(r, Mimic, ctx)
    mimic = Mimic(**plain, findings=_findings(r, ctx, "links", required=True), context=_context_links(r, ctx))
    return mimic if mimic.id else None


def _make_red_flag(r: RowReader, ctx: _Context) -> RedFlag | None:
    flag = RedFlag(**read_plain_fields(r, RedFlag, ctx))
    if not flag.when_any and not flag.when_all:
        r.problem("when_any", "a red flag needs when_any or when_all symptoms")
    return flag if flag.id else None


def _make_fact(r: RowReader, ctx: _Context) -> Fact | None:
    fact = Fact(**read_plain_fields(r, Fact, ctx))
    return fact if fact.id else None


def _make_case(r: RowReader, ctx: _Context) -> Case | None:
    plain = read_plain_fields(r, Case, ctx)
    net = plain["kind"] == "net"
    expected = r.refs("expected", ctx.ids("types" if net else "mimics"), "tumor type" if net else "mimic", required=True)
    case = Case(**plain, expected=expected)
    return case if case.id else None


def _make_rejected(r: RowReader, ctx: _Context) -> RejectedRow | None:
    row = RejectedRow(**read_plain_fields(r, RejectedRow, ctx))
    if row.orpha and row.hpo:
        annotation = ctx.snapshot.annotation(row.orpha, row.hpo)
        if annotation is None:
            r.problem("hpo", f"no {row.orpha} row for {row.hpo} in the pinned annotation release")
        elif annotation.frequency != row.frequency:
            r.problem(
                "frequency",
                f"the release gives '{annotation.frequency or 'no frequency'}' for {row.orpha} {row.hpo}, not '{row.frequency}'",
            )
        type_row = ctx.ids("types").get(row.type)
        codes = type_row.get("orpha") if type_row is not None else None
        if isinstance(codes, list) and row.orpha not in codes:
            r.problem("orpha", f"{row.orpha} is not one of the ORPHA codes of type '{row.type}'")
    return row if row.type and row.orpha and row.hpo else None


def _row_line(ctx: _Context, table: str, row_id: str, key: str = "id") -> int:
    row = ctx.ids(table).get(row_id)
    return row.line_of(key) if row is not None else 0


def _check_site_findings(types: dict[str, TumorType], links: dict[str, Link], ctx: _Context) -> None:
    """A type's site finding is linked at 'frequent' or more: where it grows is how it is found."""
    for tumor in types.values():
        if not tumor.site_finding:
            continue
        link = links.get(f"{tumor.id}/{tumor.site_finding}")
        if link is None or link.frequency not in TYPICAL:
            shown = link.frequency if link is not None else "not linked"
            ctx.problems.append(
                Problem(
                    ctx.label("types"),
                    _row_line(ctx, "types", tumor.id, "site_finding"),
                    "site_finding",
                    f"type '{tumor.id}' must link its site finding '{tumor.site_finding}' at frequent or more ({shown})",
                )
            )


def _check_syndrome_features(hereditary: dict[str, Hereditary], links: dict[str, Link], ctx: _Context) -> None:
    """An inherited syndrome's own feature is a tumor link only with a note saying why."""
    rows = ctx.raw.get("links", [])
    line_of = {f"{row.get('type')}/{row.get('symptom')}": row.line for row in rows}
    for syndrome in hereditary.values():
        features = {f.symptom for f in syndrome.features}
        for raised in syndrome.raises:
            for symptom in features:
                link = links.get(f"{raised.type}/{symptom}")
                if link is not None and not link.syndrome_note:
                    ctx.problems.append(
                        Problem(
                            ctx.label("links"),
                            line_of.get(link.id, 0),
                            "syndrome_note",
                            f"'{symptom}' is a feature of {syndrome.id}, which raises "
                            f"'{raised.type}': say why it is also a feature of the tumor",
                        )
                    )


def _check_annotations_accounted(
    types: dict[str, TumorType], links: dict[str, Link], rejected: dict[str, RejectedRow], ctx: _Context
) -> None:
    """Every in-scope Orphanet row of a type's codes is cited by one of its links or rejected with a reason."""
    if any(p.file in (ctx.label("links"), ctx.label("rejected")) for p in ctx.problems):
        return
    cited = {(link.type, n.orpha, n.hpo) for link in links.values() for n in link.sources if n.orpha}
    done = cited | {(x.type, x.orpha, x.hpo) for x in rejected.values()}
    for tumor in types.values():
        codes = set(tumor.orpha)
        missing = [
            row
            for row in ctx.snapshot.annotations
            if row.orpha in codes
            and (tumor.id, row.orpha, row.hpo) not in done
            and ctx.snapshot.terms.get(row.hpo) is not None
            and ctx.snapshot.terms[row.hpo].symptom
        ]
        for row in missing:
            ctx.problems.append(
                Problem(
                    ctx.label("types"),
                    _row_line(ctx, "types", tumor.id, "orpha"),
                    "orpha",
                    f"Orphanet row {row.orpha} {row.hpo} ({row.frequency or 'no frequency'}) of "
                    f"type '{tumor.id}' is neither cited by a link nor listed in "
                    "rejected_annotations.yaml",
                )
            )


def _check_types_have_links(types: dict[str, TumorType], links: dict[str, Link], ctx: _Context) -> None:
    if any(p.file == ctx.label("links") for p in ctx.problems):
        return
    linked = {link.type for link in links.values()}
    rows = ctx.ids("types")
    for type_id in types:
        if type_id not in linked:
            row = rows.get(type_id)
            ctx.problems.append(
                Problem(
                    ctx.label("types"), row.line if row is not None else 0, "id", f"type '{type_id}' has no links in links.yaml"
                )
            )
