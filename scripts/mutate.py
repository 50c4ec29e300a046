"""Mutation check: plant one small bug at a time in checker/ and see whether the fast tests catch it.

    python scripts/mutate.py [--sample N] [--seed S] [--file GLOB] [--list] [--timeout SEC] [--no-confirm]
                             [--json PATH]

Mutants (stdlib `ast`, spliced into the source text): a comparison flipped (< <=, > >=, == !=, in / not in,
is / is not), `and` <-> `or`, a `not` dropped, a whole number n -> n + 1, `return x` -> `return None` in a function
typed to return something, an escaping call (md_escape, html.escape, terminal_safe, csv_cell, the handout's e())
replaced by its argument, an `if` condition negated. Nothing inside f-strings or type annotations is mutated.

Each mutant is applied to a temporary copy of the repository (never the working tree) and the tests that cover its
module run there (TESTS below; `-x`, `-m "not browser and not slow"`), with a timeout. A mutant those tests miss is
run against the whole fast subset before it is called a survivor (unless --no-confirm). Prints each outcome with
file:line and the change, and the score (killed and timed-out mutants over all run); writes the results as JSON.
"""

from __future__ import annotations

import argparse
import ast
import copy
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-x", "-q", "-p", "no:cacheprovider", "-m", "not browser and not slow"]
TESTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "checker/scoring/",
        ("tests/core/test_tiny_kb.py", "tests/core/test_engine.py", "tests/core/test_hallmarks.py", "tests/core/test_golden.py"),
    ),
    ("checker/search.py", ("tests/app/test_search.py",)),
    ("checker/share.py", ("tests/app/test_share.py",)),
    ("checker/text.py", ("tests/core/test_text.py",)),
    (
        "checker/report.py",
        (
            "tests/core/test_golden.py",
            "tests/hardening/test_table_urls_and_exports.py",
            "tests/hardening/test_table_text_escaping.py",
        ),
    ),
    (
        "checker/wording.py",
        ("tests/core/test_tiny_kb.py", "tests/core/test_golden.py", "tests/core/test_engine.py", "tests/core/test_wording.py"),
    ),
    ("checker/explain.py", ("tests/core/test_engine.py", "tests/core/test_golden.py")),
    (
        "checker/teaching/",
        ("tests/teaching/test_teaching_logic.py", "tests/teaching/test_teaching_cases.py", "tests/teaching/test_source_notes.py"),
    ),
    ("checker/yaml", ("tests/core/test_loader_messages.py", "tests/core/test_one_pass_yaml.py")),
    ("checker/cli.py", ("tests/core/test_cli.py", "tests/hardening/test_cli_polish.py")),
    ("checker/snapshot", ("tests/core/test_snapshot.py",)),
    ("checker/tablecache.py", ("tests/core/test_parse_cache.py",)),
    ("checker/live/", ("tests/live/test_classroom.py", "tests/live/test_debrief.py", "-k", "not postgresql")),
    (
        "checker/",
        (
            "tests/core/test_loader_messages.py",
            "tests/core/test_invalid_tables.py",
            "tests/core/test_tiny_kb.py",
            "tests/core/test_engine.py",
            "tests/hardening/test_cli_polish.py",
        ),
    ),
)
"""The tests run first for a mutant in a module: the first entry whose prefix the module's path starts with (the
live-class store on SQLite only; the confirming run covers PostgreSQL too)."""

SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ESCAPES = frozenset({"md_escape", "_md_escape", "escape", "terminal_safe", "csv_cell", "e"})
"""Calls that make text safe to show; a mutant replaces the call by its first argument."""


@dataclass(frozen=True)
class Mutant:
    file: str
    line: int
    kind: str
    before: str
    after: str
    start: int
    end: int
    """Byte offsets of the replaced source."""

    def label(self) -> str:
        return f"{self.file}:{self.line} {self.kind}: {_short(self.before)} -> {_short(self.after)}"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Finder(ast.NodeVisitor):
    """Collects (node, kind, replacement) for every mutation point, outside f-strings and annotations."""

    def __init__(self, segment: Callable[[ast.AST], str]) -> None:
        self.segment = segment
        self.found: list[tuple[ast.AST, str, str]] = []
        self.returns_value: list[bool] = []

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # positions inside f-strings are not reliable before Python 3.12

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for item in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if item is not None:
                self.visit(item)
        typed = node.returns is not None and not (isinstance(node.returns, ast.Constant) and node.returns.value is None)
        self.returns_value.append(typed)
        for statement in node.body:
            self.visit(statement)
        self.returns_value.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and type(node.ops[0]) in SWAPS:
            flipped = copy.copy(node)
            flipped.ops = [SWAPS[type(node.ops[0])]()]
            self.found.append((node, "comparison", f"({ast.unparse(flipped)})"))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        flipped = copy.copy(node)
        flipped.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.found.append((node, "boolean", f"({ast.unparse(flipped)})"))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.found.append((node, "not dropped", f"({self.segment(node.operand)})"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if type(node.value) is int:
            self.found.append((node, "number", str(node.value + 1)))

    def visit_Return(self, node: ast.Return) -> None:
        if (
            node.value is not None
            and self.returns_value
            and self.returns_value[-1]
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            self.found.append((node, "return None", "return None"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in ESCAPES and node.args and not isinstance(node.args[0], ast.Starred):
            self.found.append((node, "escape dropped", f"({self.segment(node.args[0])})"))
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        self.found.append((node.test, "if negated", f"not ({self.segment(node.test)})"))
        self.generic_visit(node)


def mutants(source: str, file: str = "<source>") -> list[Mutant]:
    """Every mutant of one module's source, in source order; each still parses."""
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def span(node: ast.AST) -> tuple[int, int]:
        return (
            starts[node.lineno - 1] + node.col_offset,  # type: ignore[attr-defined]
            starts[node.end_lineno - 1] + node.end_col_offset,
        )  # type: ignore[attr-defined]

    def segment(node: ast.AST) -> str:
        begin, end = span(node)
        return data[begin:end].decode("utf-8")

    finder = _Finder(segment)
    finder.visit(ast.parse(source))
    out = []
    for node, kind, after in finder.found:
        begin, end = span(node)
        mutant = Mutant(file, node.lineno, kind, segment(node), after, begin, end)  # type: ignore[attr-defined]
        try:
            ast.parse(apply(source, mutant))
        except SyntaxError:
            continue
        out.append(mutant)
    return sorted(out, key=lambda m: (m.start, m.end, m.kind))


def apply(source: str, mutant: Mutant) -> str:
    data = source.encode("utf-8")
    return (data[: mutant.start] + mutant.after.encode("utf-8") + data[mutant.end :]).decode("utf-8")


def all_mutants(patterns: list[str]) -> list[Mutant]:
    out = []
    for path in sorted((ROOT / "checker").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if not patterns or any(fnmatch.fnmatch(rel, p) for p in patterns):
            out += mutants(path.read_text(encoding="utf-8"), rel)
    return out


def tests_for(file: str) -> tuple[str, ...]:
    return next(tests for prefix, tests in TESTS if file.startswith(prefix))


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".mypy_cache", "artifacts"}
    if Path(folder) == ROOT:
        skipped |= {".git", ".venv", "venv", "data", "build", "dist"}
    return skipped & set(names)


def _pytest(repo: Path, args: list[str], timeout: float) -> tuple[str, float]:
    """'passed', 'failed' or 'timeout', and the seconds taken."""
    env = {k: v for k, v in os.environ.items() if k != "NET_CHECKER_RULES"}
    env.update(PYTHONPATH=str(repo), PYTHONDONTWRITEBYTECODE="1")
    seeds = ROOT.parent / "shared" / "seeds"  # the copy has no ../shared beside it: point at the original's
    if "NET_CHECKER_SEEDS" not in env and seeds.is_dir():
        env["NET_CHECKER_SEEDS"] = str(seeds)
    began = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *FAST, *args],
            cwd=repo,
            env=env,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - began
    return ("passed" if done.returncode == 0 else "failed"), time.monotonic() - began


def run(chosen: list[Mutant], timeout: float, confirm: bool) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(ROOT, repo, ignore=_ignore)
        baseline: set[tuple[str, ...]] = set()
        for mutant in chosen:
            tests = tests_for(mutant.file)
            if tests not in baseline:
                outcome, _ = _pytest(repo, list(tests), timeout * 3)
                if outcome != "passed":
                    raise SystemExit(f"the unmutated copy does not pass {' '.join(tests)} ({outcome}); fix that first")
                baseline.add(tests)
            path = repo / mutant.file
            original = path.read_text(encoding="utf-8")
            path.write_text(apply(original, mutant), encoding="utf-8")
            try:
                outcome, seconds = _pytest(repo, list(tests), timeout)
                by = " ".join(tests)
                if outcome == "passed" and confirm:
                    outcome, more = _pytest(repo, [], timeout * 10)
                    seconds += more
                    by = "the fast subset"
            finally:
                path.write_text(original, encoding="utf-8")
            status = {"failed": "killed", "passed": "survived", "timeout": "timeout"}[outcome]
            results.append({**asdict(mutant), "status": status, "tests": by, "seconds": round(seconds, 1)})
            print(f"{status.upper():9} {mutant.label()}  ({by}, {seconds:.0f} s)", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="run this many mutants, chosen by --seed (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", action="append", default=[], help="only modules matching this glob (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the chosen mutants and stop")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant for its own tests")
    parser.add_argument("--no-confirm", action="store_true", help="do not rerun survivors on the whole fast subset")
    parser.add_argument("--json", type=Path, default=ROOT / "mutation-results.json")
    args = parser.parse_args(argv)
    population = all_mutants(args.file)
    chosen = population
    if 0 < args.sample < len(population):
        chosen = sorted(random.Random(args.seed).sample(population, args.sample), key=lambda m: (m.file, m.start))
    if args.list:
        for mutant in chosen:
            print(mutant.label())
        print(f"{len(chosen)} of {len(population)} mutants")
        return 0
    results = run(chosen, args.timeout, not args.no_confirm)
    caught = sum(r["status"] != "survived" for r in results)
    score = caught / len(results) if results else 1.0
    print(
        f"score {score:.0%}: {caught} of {len(results)} mutants caught (killed or timed out), "
        f"{len(results) - caught} survived; {len(population)} mutants in all, seed {args.seed}"
    )
    args.json.write_text(
        json.dumps(
            {
                "date": date.today().isoformat(),
                "seed": args.seed,
                "sample": len(results),
                "population": len(population),
                "files": args.file,
                "score": round(score, 3),
                "results": results,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
