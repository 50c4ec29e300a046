"""Figure 2: server-side time of a Checker rerun with six findings ticked, beside an empty Streamlit script.

All run in AppTest in this process, alternating, so machine load hits both alike. The checker's session is
opened from a shared link (query parameters) naming six findings. Two checker figures:

- the full rerun (what opening the page or a link costs), and
- the fragment rerun (what a tick costs: the picker and results live in one st.fragment, so a tick reruns
  only that function). AppTest has no public way to rerun one fragment, so the benchmark asks its script
  runner for a fragment-scoped rerun, as the browser does.

AppTest compiles the page scripts afresh on every run; a server compiles them once. The benchmark keeps one
script cache for all runs, as the server does, so that compiling is not counted.
"""

from __future__ import annotations

import cProfile
import functools
import logging
import pstats
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.stats import Figure, figure_from, ratio_figure

ROOT = Path(__file__).resolve().parent.parent
SIX_FINDINGS = ("flushing", "watery-diarrhea", "wheezing", "abdominal-pain", "weight-loss", "heart-valve-disease")
EMPTY_SCRIPT = 'import streamlit as st\n\nst.write("x")\n'
RATIO_TARGET = 3.0


def rerun_figures(reruns: int, workdir: Path, log: Callable[[str], None] = print) -> tuple[list[Figure], dict[str, Any]]:
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    _share_script_cache()
    workdir.mkdir(parents=True, exist_ok=True)
    empty_path = workdir / "empty_app.py"
    empty_path.write_text(EMPTY_SCRIPT, encoding="utf-8")
    checker = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    checker.query_params["symptoms"] = ",".join(SIX_FINDINGS)
    empty = AppTest.from_file(str(empty_path), default_timeout=120)
    checker.run()
    empty.run()
    if checker.exception:
        raise RuntimeError(f"the checker raised in AppTest: {[e.value for e in checker.exception]}")
    ticked = list(checker.multiselect(key="ticked").value)
    if len(ticked) < len(SIX_FINDINGS):
        log(f"app: warning: only {len(ticked)} findings ticked in AppTest")
    for _ in range(3):  # warm-up
        checker.run()
        empty.run()
    log(f"app: {reruns} AppTest reruns each of the checker (six findings) and an empty script ...")
    checker_times, empty_times = [], []
    for _ in range(reruns):
        start = time.perf_counter()
        checker.run()
        checker_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        empty.run()
        empty_times.append(time.perf_counter() - start)
    registered = list(checker._fragment_storage._fragments)
    fragment = registered[-1] if registered else None  # the checker page's fragment, as the last run registered it
    if fragment is None:
        raise RuntimeError("the checker page has no fragment")
    tick_times, empty_tick_times = [], []
    for _ in range(3):
        with _fragment_reruns(fragment):
            checker.run()
    for _ in range(reruns):
        with _fragment_reruns(fragment):  # only the checker's runs: the empty app has no such fragment
            start = time.perf_counter()
            checker.run()
            tick_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        empty.run()
        empty_tick_times.append(time.perf_counter() - start)
    if checker.exception:
        raise RuntimeError(f"the fragment rerun raised: {[e.value for e in checker.exception]}")
    a = figure_from("rerun_checker", "App: Checker full rerun, six findings (AppTest)", checker_times, "ms")
    b = figure_from("rerun_empty", "App: empty script rerun (AppTest)", empty_times, "ms")
    ratio = ratio_figure(
        "rerun_ratio", "Checker full rerun / empty script rerun", a, b, target=f"<= {RATIO_TARGET:g}x", limit=RATIO_TARGET
    ).judge()
    c = figure_from("rerun_checker_tick", "App: Checker tick = fragment rerun, six findings (AppTest)", tick_times, "ms")
    d = figure_from("rerun_empty_tick", "App: empty script rerun, beside the fragment runs", empty_tick_times, "ms")
    tick_ratio = ratio_figure(
        "rerun_tick_ratio",
        "Checker tick (fragment) rerun / empty script rerun",
        c,
        d,
        target=f"<= {RATIO_TARGET:g}x",
        limit=RATIO_TARGET,
    ).judge()
    details: dict[str, Any] = {"ticked": len(ticked)}
    if not tick_ratio.met:
        with _fragment_reruns(fragment):
            details["rerun_profile"] = profile_reruns(checker, 5)
    return [a, b, ratio, c, d, tick_ratio], details


def _share_script_cache() -> None:
    """One compiled-script cache for every AppTest run, as a server keeps one (AppTest makes a new one per run)."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if not getattr(app_test, "_bench_shared_cache", None):
        shared = ScriptCache()
        app_test._bench_shared_cache = shared  # type: ignore[attr-defined]
        app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


@contextmanager
def _fragment_reruns(fragment_id: str) -> Iterator[None]:
    """While active, AppTest runs rerun only this fragment (as a widget inside it does in the browser)."""
    import streamlit.testing.v1.local_script_runner as runner

    original = runner.RerunData
    runner.RerunData = functools.partial(
        original,
        fragment_id_queue=[fragment_id],  # type: ignore[misc]
        is_fragment_scoped_rerun=True,
    )
    try:
        yield
    finally:
        runner.RerunData = original  # type: ignore[misc]


def profile_reruns(at: Any, reruns: int, top: int = 12) -> list[dict[str, Any]]:
    """Where a checker rerun spends its time: cumulative time of the script thread's biggest functions.

    AppTest runs the script in its own thread, so the profiler is switched on inside ScriptRunner._run_script.
    """
    from streamlit.runtime.scriptrunner import script_runner

    profiler = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script

    def profiled(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        profiler.enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = profiled  # type: ignore[method-assign]
    try:
        for _ in range(reruns):
            at.run()
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
    stats = pstats.Stats(profiler)
    total = max((v[3] for v in stats.stats.values()), default=1e-9)  # type: ignore[attr-defined]
    rows = []
    for (filename, line, name), (_, calls, _, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if str(ROOT) in filename and "site-packages" not in filename:
            where = f"{Path(filename).relative_to(ROOT)}:{line}({name})"
        elif any(lib in filename for lib in ("altair", "jsonschema", "pandas", "pyarrow")):
            where = f"{filename.split('site-packages/')[-1]}:{line}({name})"
        else:
            continue
        rows.append({"function": where, "calls": calls, "cumulative_share": round(cumtime / total, 3)})
    rows.sort(key=lambda r: -r["cumulative_share"])
    return rows[:top]
