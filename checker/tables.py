"""Load every rule table from a folder, validate each row, and build the KnowledgeBase."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from checker.errors import Problem, ProblemList, TableError
from checker.model import (
    EDUCATION_TOPICS,
    FREQUENCIES,
    FUNCTIONAL_STATUSES,
    GROUPS,
    GUT_REGIONS,
    QUERY_STATUSES,
    SOURCE_KINDS,
    Case,
    Fact,
    Hereditary,
    HormoneSyndrome,
    HpoRef,
    KnowledgeBase,
    Link,
    Mimic,
    RaisedType,
    RedFlag,
    Snapshot,
    Source,
    Symptom,
    TumorType,
)
from checker.rowreader import HPO_PATTERN, ID_PATTERN, MAX_ID_CHARS, RowReader
from checker.snapshot import SNAPSHOT_DIR, read_snapshot
from checker.urls import source_url_problem
from checker.yamlio import MAX_TABLE_ROWS, LineDict, read_yaml

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules"
RULES_ENV = "NET_CHECKER_RULES"

TABLE_FILES: dict[str, str] = {
    "sources": "sources.yaml",
    "symptoms": "symptoms.yaml",
    "types": "types.yaml",
    "links": "links.yaml",
    "hormone_syndromes": "hormone_syndromes.yaml",
    "hereditary": "hereditary.yaml",
    "mimics": "mimics.yaml",
    "red_flags": "red_flags.yaml",
    "education": "education.yaml",
    "cases": "cases.yaml",
}
OPTIONAL_TABLES = frozenset({"cases"})

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
            self.problems.append(Problem(label, line, "file", f"the table has {len(data)} rows; the limit is "
                                                              f"{MAX_TABLE_ROWS} (split it, or check how it was made)"))
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
        out: dict[str, LineDict] = {}
        for row in self.raw.get(table, []):
            value = row.get("id")
            if isinstance(value, str) and ID_PATTERN.match(value.strip()) and len(value) <= MAX_ID_CHARS:
                out.setdefault(value.strip(), row)
        return out

    def build(self, table: str, fields: tuple[str, ...], make: Callable[[RowReader], T | None],
              key: Callable[[T], str]) -> dict[str, T]:
        out: dict[str, T] = {}
        first_line: dict[str, int] = {}
        for row in self.raw.get(table, []):
            reader = RowReader(row, self.label(table), self.problems, fields)
            item = make(reader)
            if item is None:
                continue
            item_key = key(item)
            if item_key in out:
                reader.problem("id", f"duplicate id '{item_key}' (first on line {first_line[item_key]})", row.line)
                continue
            out[item_key] = item
            first_line[item_key] = row.line
        return out


def load_knowledge(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Read and validate every table in `path` (default: the shipped rules/); raise TableError on problems."""
    folder = Path(path) if path is not None else default_rules_dir()
    ctx = _Context(folder)
    if not folder.is_dir():
        raise TableError([Problem(str(folder), 0, "folder", "rules folder not found")])
    ctx.snapshot = read_snapshot(folder / SNAPSHOT_DIR, ctx.problems, root=folder)
    manifest = read_yaml(folder / "manifest.yaml", f"{folder.name}/manifest.yaml", ctx.problems, root=folder)
    version = _manifest_version(manifest, f"{folder.name}/manifest.yaml", ctx.problems)
    for table in TABLE_FILES:
        ctx.read_table(table)
    ctx.sources = ctx.build("sources", SOURCE_FIELDS, _make_source, lambda s: s.id)
    symptom_rows = ctx.ids("symptoms")
    type_rows = ctx.ids("types")
    education_rows = ctx.ids("education")
    syndrome_rows = ctx.ids("hormone_syndromes")

    symptoms = ctx.build("symptoms", SYMPTOM_FIELDS, lambda r: _make_symptom(r, ctx, symptom_rows), lambda s: s.id)
    _check_symptom_graph(symptoms, ctx)
    types = ctx.build("types", TYPE_FIELDS, lambda r: _make_type(r, ctx, syndrome_rows, education_rows), lambda t: t.id)
    links = ctx.build("links", LINK_FIELDS, lambda r: _make_link(r, ctx, symptom_rows, type_rows), lambda k: k.id)
    syndromes = ctx.build("hormone_syndromes", SYNDROME_FIELDS,
                          lambda r: _make_syndrome(r, ctx, symptom_rows, type_rows), lambda s: s.id)
    hereditary = ctx.build("hereditary", HEREDITARY_FIELDS, lambda r: _make_hereditary(r, ctx, type_rows), lambda h: h.id)
    mimics = ctx.build("mimics", MIMIC_FIELDS, lambda r: _make_mimic(r, ctx, symptom_rows), lambda m: m.id)
    red_flags = ctx.build("red_flags", RED_FLAG_FIELDS, lambda r: _make_red_flag(r, ctx, symptom_rows), lambda f: f.id)
    education = ctx.build("education", FACT_FIELDS, lambda r: _make_fact(r, ctx), lambda f: f.id)
    cases = ctx.build("cases", CASE_FIELDS,
                      lambda r: _make_case(r, ctx, symptom_rows, type_rows, ctx.ids("mimics"), ctx.ids("hereditary")),
                      lambda c: c.id)
    _check_types_have_links(types, links, ctx)
    if ctx.problems:
        raise TableError(ctx.problems)
    links_by_type: dict[str, dict[str, Link]] = {type_id: {} for type_id in types}
    for link in links.values():
        links_by_type[link.type][link.symptom] = link
    return KnowledgeBase(
        folder=str(folder), version=version, sources=ctx.sources, symptoms=symptoms, types=types,
        links=tuple(links.values()), hormone_syndromes=syndromes, hereditary=hereditary, mimics=mimics,
        red_flags=red_flags, education=education, cases=cases, snapshot=ctx.snapshot, links_by_type=links_by_type,
    )


def _manifest_version(manifest: Any, label: str, problems: list[Problem]) -> str:
    if manifest is None:
        if not any(p.file == label for p in problems):
            problems.append(Problem(label, 0, "file", "manifest.yaml is missing"))
        return ""
    if not isinstance(manifest, LineDict):
        problems.append(Problem(label, 1, "file", "manifest must be a mapping"))
        return ""
    reader = RowReader(manifest, label, problems, ("version", "title", "description"))
    reader.text("title", required=False)
    reader.text("description", required=False)
    return reader.text("version")


SOURCE_FIELDS = ("id", "kind", "title", "publisher", "url", "dates", "date_read", "seed_file", "version", "licence",
                 "note")


def _make_source(r: RowReader) -> Source | None:
    source = Source(
        id=r.identifier(), kind=r.choice("kind", SOURCE_KINDS), title=r.text("title"),
        publisher=r.text("publisher", required=False), url=r.text("url", required=False),
        dates=r.text("dates", required=False), date_read=r.text("date_read", required=False),
        seed_file=r.text("seed_file", required=False), version=r.text("version", required=False),
        licence=r.text("licence", required=False), note=r.text("note", required=False),
    )
    url_error = source_url_problem(source.id, source.kind, source.url)
    if url_error:
        r.problem("url", url_error)
    if source.kind == "page":
        if not source.date_read:
            r.problem("date_read", "a page source needs the date it was read")
    if source.kind == "seed" and not source.seed_file:
        r.problem("seed_file", "a seed source needs the seed file name")
    if source.kind in ("annotation", "ontology") and not source.version:
        r.problem("version", f"an {source.kind} source needs the release version")
    return source if source.id else None


SYMPTOM_FIELDS = ("id", "label", "clinical", "group", "synonyms", "hpo", "hpo_name", "also_hpo", "refines", "sources")


def _hpo_ref(r: RowReader, ctx: _Context, key: str, hpo_id: str, name: str, line: int | None = None,
             name_key: str | None = None) -> HpoRef | None:
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
        r.problem(name_key or key, f"name '{name}' does not match the release's name for {hpo_id}: '{term.name}'",
                  line if name_key is None else r.row.line_of(name_key))
        return None
    return HpoRef(hpo_id, term.name)


def _make_symptom(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict]) -> Symptom | None:
    sid = r.identifier()
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
    refines = r.ref("refines", symptom_rows, "symptom", required=False) or None
    if refines == sid:
        r.problem("refines", "a symptom cannot refine itself")
        refines = None
    symptom = Symptom(
        id=sid, label=r.text("label"), clinical=r.text("clinical"), group=r.choice("group", tuple(GROUPS)),
        synonyms=r.texts("synonyms"), hpo=hpo or HpoRef(hpo_id, hpo_name), also_hpo=tuple(also), refines=refines,
        sources=r.notes("sources", ctx.sources, ctx.snapshot, required=False),
    )
    if hpo is not None and sid:
        mapped = ctx.snapshot.terms.get(hpo.id)
        if mapped is not None and mapped.symptom not in (sid, refines):
            r.problem("hpo", f"the snapshot maps {hpo.id} to '{mapped.symptom}', not '{sid}': the snapshot is stale; "
                      "rebuild it with 'python -m checker.snapshot'")
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
                ctx.problems.append(Problem(ctx.label("symptoms"), line, "refines",
                                            f"'refines' forms a cycle through '{parent}'"))
                break
            seen.add(parent)
            parent = symptoms[parent].refines if parent in symptoms else None
        for hpo_id in symptom.hpo_ids:
            other = owner.get(hpo_id)
            if other and symptom.refines != other and symptoms[other].refines != symptom.id:
                row = rows.get(symptom.id)
                ctx.problems.append(Problem(ctx.label("symptoms"), row.line_of("hpo") if row is not None else 0, "hpo",
                                            f"{hpo_id} is already used by symptom '{other}'"))
            owner.setdefault(hpo_id, symptom.id)


TYPE_FIELDS = ("id", "name", "aliases", "site", "family", "gut", "functional", "hormones", "syndromes", "tests",
               "treatments", "orpha", "summary", "sources")


def _make_type(r: RowReader, ctx: _Context, syndrome_rows: dict[str, LineDict],
               education_rows: dict[str, LineDict]) -> TumorType | None:
    tid = r.identifier()
    gut = r.choice("gut", GUT_REGIONS, required=False) or None
    tests = r.refs("tests", education_rows, "education fact")
    treatments = r.refs("treatments", education_rows, "education fact")
    for key, values, topic in (("tests", tests, "diagnostics"), ("treatments", treatments, "treatment")):
        for value in values:
            if education_rows[value].get("topic") != topic:
                r.problem(key, f"'{value}' is not a {topic} fact")
    tumor = TumorType(
        id=tid, name=r.text("name"), aliases=r.texts("aliases"), site=r.text("site"), family=r.text("family"),
        functional=r.choice("functional", FUNCTIONAL_STATUSES), summary=r.text("summary"), gut=gut,
        hormones=r.texts("hormones"), syndromes=r.refs("syndromes", syndrome_rows, "hormone syndrome"),
        tests=tests, treatments=treatments, orpha=r.orpha_codes("orpha", ctx.snapshot),
        sources=r.notes("sources", ctx.sources, ctx.snapshot),
    )
    return tumor if tid else None


LINK_FIELDS = ("type", "symptom", "frequency", "basis", "sources")


def _make_link(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict],
               type_rows: dict[str, LineDict]) -> Link | None:
    link = Link(
        type=r.ref("type", type_rows, "tumor type"), symptom=r.ref("symptom", symptom_rows, "symptom"),
        frequency=r.choice("frequency", FREQUENCIES), sources=r.notes("sources", ctx.sources, ctx.snapshot),
        basis=r.text("basis", required=False),
    )
    for note in link.sources:
        if note.orpha:
            type_row = type_rows.get(link.type)
            codes = type_row.get("orpha") if type_row is not None else None
            if isinstance(codes, list) and note.orpha not in codes:
                r.problem("sources", f"{note.orpha} is not one of the ORPHA codes of type '{link.type}'")
    if link.frequency and link.sources:
        annotated = [n.frequency for n in link.sources if n.frequency]
        if annotated and link.frequency not in annotated:
            r.problem("frequency", f"'{link.frequency}' differs from every cited annotation row ({', '.join(annotated)})")
    return link if link.type and link.symptom else None


SYNDROME_FIELDS = ("id", "name", "hormones", "findings", "types", "orpha", "explanation", "sources")


def _make_syndrome(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict],
                   type_rows: dict[str, LineDict]) -> HormoneSyndrome | None:
    sid = r.identifier()
    syndrome = HormoneSyndrome(
        id=sid, name=r.text("name"), hormones=r.texts("hormones", required=True),
        findings=r.refs("findings", symptom_rows, "symptom", required=True),
        types=r.refs("types", type_rows, "tumor type", required=True), explanation=r.text("explanation"),
        orpha=r.orpha_codes("orpha", ctx.snapshot), sources=r.notes("sources", ctx.sources, ctx.snapshot),
    )
    return syndrome if sid else None


HEREDITARY_FIELDS = ("id", "name", "summary", "orpha", "raises", "sources")


def _make_hereditary(r: RowReader, ctx: _Context, type_rows: dict[str, LineDict]) -> Hereditary | None:
    hid = r.identifier()
    raises: list[RaisedType] = []
    raw = r.row.get("raises")
    if not isinstance(raw, list) or not raw:
        r.problem("raises", "expected a non-empty list of {type, sources}")
    else:
        for item in raw:
            if not isinstance(item, LineDict):
                r.problem("raises", "each item needs 'type' and 'sources'")
                continue
            sub = RowReader(item, r.file, r.problems, ("type", "sources"))
            type_id = sub.ref("type", type_rows, "tumor type")
            notes = sub.notes("sources", ctx.sources, ctx.snapshot)
            if type_id:
                raises.append(RaisedType(type_id, notes))
    hereditary = Hereditary(id=hid, name=r.text("name"), summary=r.text("summary"), raises=tuple(raises),
                            orpha=r.orpha_codes("orpha", ctx.snapshot),
                            sources=r.notes("sources", ctx.sources, ctx.snapshot))
    return hereditary if hid else None


MIMIC_FIELDS = ("id", "name", "shares", "tell_apart", "sources")


def _make_mimic(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict]) -> Mimic | None:
    mid = r.identifier()
    mimic = Mimic(id=mid, name=r.text("name"), shares=r.refs("shares", symptom_rows, "symptom", required=True),
                  tell_apart=r.text("tell_apart"), sources=r.notes("sources", ctx.sources, ctx.snapshot))
    return mimic if mid else None


RED_FLAG_FIELDS = ("id", "when_any", "when_all", "message", "sources")


def _make_red_flag(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict]) -> RedFlag | None:
    fid = r.identifier()
    flag = RedFlag(id=fid, message=r.text("message"), sources=r.notes("sources", ctx.sources, ctx.snapshot),
                   when_any=r.refs("when_any", symptom_rows, "symptom"),
                   when_all=r.refs("when_all", symptom_rows, "symptom"))
    if not flag.when_any and not flag.when_all:
        r.problem("when_any", "a red flag needs when_any or when_all symptoms")
    return flag if fid else None


FACT_FIELDS = ("id", "topic", "title", "text", "sources")


def _make_fact(r: RowReader, ctx: _Context) -> Fact | None:
    fid = r.identifier()
    fact = Fact(id=fid, topic=r.choice("topic", EDUCATION_TOPICS), title=r.text("title"), text=r.text("text"),
                sources=r.notes("sources", ctx.sources, ctx.snapshot))
    return fact if fid else None


CASE_FIELDS = ("id", "title", "kind", "story", "findings", "absent", "functional", "syndrome", "expected",
               "teaching_points", "sources")


def _make_case(r: RowReader, ctx: _Context, symptom_rows: dict[str, LineDict], type_rows: dict[str, LineDict],
               mimic_rows: dict[str, LineDict], hereditary_rows: dict[str, LineDict]) -> Case | None:
    cid = r.identifier()
    kind = r.choice("kind", ("net", "mimic"), required=False, default="net") or "net"
    expected_pool = type_rows if kind == "net" else mimic_rows
    case = Case(
        id=cid, title=r.text("title"), story=r.text("story"),
        findings=r.refs("findings", symptom_rows, "symptom", required=True),
        functional=r.choice("functional", QUERY_STATUSES),
        expected=r.refs("expected", expected_pool, "tumor type" if kind == "net" else "mimic", required=True),
        teaching_points=r.texts("teaching_points", required=True),
        sources=r.notes("sources", ctx.sources, ctx.snapshot), kind=kind,
        absent=r.refs("absent", symptom_rows, "symptom"),
        syndrome=r.ref("syndrome", hereditary_rows, "hereditary syndrome", required=False) or None,
    )
    return case if cid else None


def _check_types_have_links(types: dict[str, TumorType], links: dict[str, Link], ctx: _Context) -> None:
    if any(p.file == ctx.label("links") for p in ctx.problems):
        return
    linked = {link.type for link in links.values()}
    rows = ctx.ids("types")
    for type_id in types:
        if type_id not in linked:
            row = rows.get(type_id)
            ctx.problems.append(Problem(ctx.label("types"), row.line if row is not None else 0, "id",
                                        f"type '{type_id}' has no links in links.yaml"))
