"""Figure 5: cold start. Tables load and validate (load_knowledge, fresh each time); server start to healthy."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.servers import streamlit_server
from benchmarks.stats import Figure, figure_from

ROOT = Path(__file__).resolve().parent.parent
TABLES_TARGET_MS = 300.0
FRESH_PROCESS = (
    "import time; t = time.perf_counter(); import checker; i = time.perf_counter(); kb = checker.load_knowledge(); "
    "e = time.perf_counter(); print(e - t, e - i)"
)
"""Prints the seconds of import + load, and of the load alone (nothing parsed or warmed before it)."""


def table_load_figures(repeats: int, fresh_processes: int) -> list[Figure]:
    from checker import load_knowledge
    from checker.tables import forget_parses

    load_knowledge()  # imports and libyaml warm; each timed call below reads, parses and validates every file again
    times, reloads = [], []
    for _ in range(repeats):
        forget_parses()  # no parse kept from an earlier load: what a new process pays
        start = time.perf_counter()
        load_knowledge()
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_knowledge()  # files unchanged: every parse comes from the cache, validation runs again
        reloads.append(time.perf_counter() - start)
    fresh, cold = [], []
    for _ in range(fresh_processes):
        out = subprocess.run(
            [sys.executable, "-c", FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
        )
        with_import, load_only = out.stdout.strip().splitlines()[-1].split()
        fresh.append(float(with_import))
        cold.append(float(load_only))
    return [
        figure_from(
            "tables_load",
            "Cold start: tables load and validate (load_knowledge)",
            times,
            "ms",
            target=f"< {TABLES_TARGET_MS:g} ms",
            limit=TABLES_TARGET_MS,
        ).judge(),
        figure_from("tables_reload", "Reload with unchanged files (parses kept, every check run again)", reloads, "ms"),
        figure_from("tables_load_fresh_process", "Cold start: import checker + load, fresh process", fresh, "ms"),
        figure_from(
            "load_knowledge_cold_ms",
            "Cold start: load_knowledge() alone, fresh process (imports done)",
            cold,
            "ms",
            target=f"<= {TABLES_TARGET_MS:g} ms",
            limit=TABLES_TARGET_MS,
        ).judge(),
    ]


def server_start_figure(starts: int, log_dir: Path, log: Callable[[str], None] = print) -> Figure:
    log(f"cold start: {starts} server starts of app.py ...")
    times = []
    for index in range(starts):
        with streamlit_server(Path("app.py"), log_dir / f"coldstart-{index}.log") as server:
            times.append(server.started_s)
    return figure_from("server_start", "Cold start: streamlit run app.py to healthy (/_stcore/health)", times, "s")
