"""Fuzz the table loader: a thousand hostile one-table changes either load or raise TableError with lines.

The cases come from `table_mutations` (deterministic, generated in memory from a small reference-closed cut
of the shipped rules). The contract checked for each: `load_knowledge` returns a KnowledgeBase that `rank`
can use, or raises `TableError` whose every problem names a file and an int line >= 0; never another
exception. Time is bounded by pytest-timeout (a wall-clock assertion per load failed on a busy machine), and a
per-case alarm names a case that hangs. Special files, sparse and huge files, snapshot files and row amplification
are loaded under memory and time limits in a child process by test_bounded_loading.py.
"""

from __future__ import annotations

import shutil
import signal
from collections import defaultdict
from pathlib import Path

import pytest
from table_mutations import Case, build_small_rules, generate_cases

from checker import KnowledgeBase, Query, TableError, load_knowledge, rank

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 60


class _Hang(Exception):
    pass


def _on_alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise _Hang()


@pytest.fixture(scope="module")
def small_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "rules"
    build_small_rules(ROOT / "rules", folder)
    return folder


def _problem_defects(err: TableError) -> list[str]:
    defects = []
    if not err.problems:
        defects.append("TableError with no problems")
    for problem in err.problems:
        if not isinstance(problem.file, str) or not problem.file:
            defects.append(f"problem without a file name: {problem!r}"[:300])
        if type(problem.line) is not int or problem.line < 0:
            defects.append(f"problem without an int line >= 0: {problem!r}"[:300])
        if not isinstance(problem.field, str) or not isinstance(problem.message, str):
            defects.append(f"problem with non-text field or message: {problem!r}"[:300])
    str(err)  # the compiler-style message must format
    return defects


def _apply(folder: Path, case: Case) -> None:
    path = folder / case.table
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if case.make_dir:
        path.mkdir()
        (path / "inner.yaml").write_text("[]\n")
    elif case.content is not None:
        path.write_bytes(case.content)


def _restore(folder: Path, case: Case, original: bytes | None) -> None:
    path = folder / case.table
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if original is not None:
        path.write_bytes(original)


def _load_one(folder: Path) -> tuple[KnowledgeBase | None, BaseException | None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_GUARD_S)
    try:
        return load_knowledge(folder), None
    except _Hang as exc:
        return None, exc
    except Exception as exc:  # noqa: BLE001 - the point is to catch anything that is not TableError
        return None, exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_small_rules_cut_loads_cleanly(small_rules: Path) -> None:
    kb = load_knowledge(small_rules)
    assert set(kb.types) == {"small-intestine-net", "insulinoma", "pheochromocytoma"}
    assert kb.links and kb.symptoms and kb.hereditary and kb.hormone_syndromes and kb.mimics and kb.red_flags


@pytest.mark.slow
def test_cases_are_many_and_deterministic(small_rules: Path) -> None:
    first = generate_cases(small_rules)
    assert len(first) >= 1000
    assert len({case.id for case in first}) == len(first)
    second = generate_cases(small_rules)
    assert [(c.id, c.content) for c in first[:150]] == [(c.id, c.content) for c in second[:150]]


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_loader_survives_mutated_tables(small_rules: Path) -> None:
    cases = generate_cases(small_rules)
    originals = {
        case.table: (small_rules / case.table).read_bytes() if (small_rules / case.table).is_file() else None for case in cases
    }
    crashes: dict[str, list[str]] = defaultdict(list)
    outcomes = {"loaded": 0, "table_error": 0}
    for case in cases:
        _apply(small_rules, case)
        try:
            kb, error = _load_one(small_rules)
        finally:
            _restore(small_rules, case, originals[case.table])
        if isinstance(error, _Hang):
            crashes["hang"].append(case.id)
        elif isinstance(error, TableError):
            outcomes["table_error"] += 1
            for defect in _problem_defects(error):
                crashes["malformed problem"].append(f"{case.id}: {defect}")
        elif error is not None:
            crashes[f"{type(error).__name__}: {str(error)[:120]}"].append(case.id)
        else:
            outcomes["loaded"] += 1
            assert kb is not None
            some = tuple(list(kb.symptoms)[:3])
            try:
                rank(kb, Query(present=some))
            except Exception as exc:  # noqa: BLE001
                crashes[f"rank after load: {type(exc).__name__}: {exc}"[:160]].append(case.id)
    load_knowledge(small_rules)  # the folder was restored after every case
    report = [f"{len(ids)} x {kind}; e.g. {', '.join(ids[:4])}" for kind, ids in sorted(crashes.items())]
    assert not crashes, f"{sum(map(len, crashes.values()))} of {len(cases)} cases broke the contract:\n" + "\n".join(report)
    assert outcomes["loaded"] > 0 and outcomes["table_error"] > 0, outcomes
