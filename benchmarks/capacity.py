"""Server capacity at the protocol level: Streamlit sessions driven over the websocket, no browsers.

`python -m benchmarks.capacity` starts one `streamlit run app.py` pinned to one core (taskset), pins this load
generator to another core, and speaks Streamlit's own protocol (BackMsg / ForwardMsg protobufs over
`/_stcore/stream`), so every figure measures the server, not Chromium. Each "click" toggles one symptom checkbox
on the Checker page; its latency runs from sending the rerun to receiving `script_finished`.

Figures: server CPU per click, clicks per second at saturation, p50/p95 latency with 10, 20 and 40 sessions each
clicking every few seconds, and server memory per session. Results go to benchmarks/results/capacity.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.servers import HOST, ROOT, free_port, stop_group, streamlit_command, wait_healthy
from benchmarks.stats import Figure, figure_from
from checker.wording import GROUP_NAMES

RESULTS = ROOT / "benchmarks" / "results" / "capacity.json"
SYMPTOMS = ("fatigue", "weakness", "weight-loss", "poor-appetite")
"""Findings ticked and unticked in turn in the Checker's "Whole body" list (pills, widget key `grp_general`, shown
once the body system is chosen in the `browse` pills; their wire value is the list of the ticked pills' texts); each
click toggles one, so the results change."""
GROUP = "general"
BROWSE_KEY = "browse"
PILLS_KEY = f"grp_{GROUP}"


class PageChanged(RuntimeError):
    """The Checker page no longer has the widget this benchmark clicks: update the driver, not the figures."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


class Session:
    """One browser tab, as the server sees it: a websocket, widget states, and reruns."""

    def __init__(self, url: str, query: str = "", labels: dict[str, str] | None = None) -> None:
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.query = query
        self.labels = labels or _labels()
        self.widget_ids: dict[str, str] = {}
        self.ticked: list[str] = []
        self.shown_ticked: list[str] = []
        """What the page's "Ticked findings" box lists after the last rerun (a check that clicks tick)."""
        self.ws = None
        self.page_hash = ""

    async def open(self) -> float:
        """Open the Checker and choose the body system (two reruns, as a browser does); the time of the second."""
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None, open_timeout=60, ping_interval=None
        )
        await self._rerun()
        if BROWSE_KEY not in self.widget_ids:
            raise PageChanged(f"the Checker page drew no pills with key '{BROWSE_KEY}'; update benchmarks/capacity.py")
        latency = await self._rerun()
        if PILLS_KEY not in self.widget_ids:
            raise PageChanged(
                f"choosing {GROUP_NAMES[GROUP]!r} drew no pills with key '{PILLS_KEY}'; update benchmarks/capacity.py"
            )
        return latency

    async def click(self, symptom: str) -> float:
        label = self.labels[symptom]
        self.ticked = [t for t in self.ticked if t != label] if label in self.ticked else [*self.ticked, label]
        return await self._rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self) -> float:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.page_hash
        values = {BROWSE_KEY: [GROUP_NAMES[GROUP]], PILLS_KEY: self.ticked}
        for key, widget_id in self.widget_ids.items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(values[key])
        start = time.perf_counter()
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=120)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "multiselect" and element.multiselect.id.endswith("-ticked"):
                    self.shown_ticked = list(element.multiselect.options)
                if element.WhichOneof("type") == "button_group":
                    for key in (BROWSE_KEY, PILLS_KEY):
                        if element.button_group.id.endswith(f"-{key}"):
                            self.widget_ids[key] = element.button_group.id
            elif kind == "script_finished":
                return time.perf_counter() - start


@dataclass
class Phase:
    name: str
    sessions: int
    think_s: float
    seconds: float
    clicks: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0

    def summary(self) -> dict[str, float | int | str]:
        lat = self.latencies_ms
        return {
            "phase": self.name,
            "sessions": self.sessions,
            "think_s": self.think_s,
            "seconds": self.seconds,
            "clicks": self.clicks,
            "errors": self.errors,
            "clicks_per_s": self.clicks / self.seconds,
            "server_cpu_share": self.server_cpu_s / self.seconds,
            "server_cpu_ms_per_click": 1000 * self.server_cpu_s / max(self.clicks, 1),
            "p50_ms": statistics.median(lat) if lat else math.nan,
            "p95_ms": percentile(lat, 95),
            "max_ms": max(lat) if lat else math.nan,
        }


def _labels() -> dict[str, str]:
    """Finding id -> its pill's text (what the pills send: the label as the Checker escapes it for Markdown)."""
    from checker import load_knowledge
    from checker.text import md_escape

    kb = load_knowledge()
    return {s: md_escape(kb.symptoms[s].label) for s in SYMPTOMS}


def _cpu_seconds(pid: int) -> float:
    import psutil

    proc = psutil.Process(pid)
    total = 0.0
    for p in (proc, *proc.children(recursive=True)):
        times = p.cpu_times()
        total += times.user + times.system
    return total


def _rss(pid: int) -> int:
    from benchmarks.servers import process_rss_bytes

    return process_rss_bytes(pid)


async def _clicker(session: Session, phase: Phase, deadline: float, rng: random.Random) -> None:
    index = rng.randrange(len(SYMPTOMS))
    if phase.think_s:
        await asyncio.sleep(rng.uniform(0, phase.think_s))
    while time.perf_counter() < deadline:
        symptom = SYMPTOMS[index % len(SYMPTOMS)]
        index += 1
        try:
            latency = await session.click(symptom)
        except Exception:  # noqa: BLE001 - a failed click is counted, not fatal
            phase.errors += 1
            await asyncio.sleep(0.5)
            continue
        phase.clicks += 1
        phase.latencies_ms.append(1000 * latency)
        if phase.think_s:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * phase.think_s)


async def run_phase(url: str, pid: int, phase: Phase, seed: int = 1) -> Phase:
    rng = random.Random(seed)
    sessions = [Session(url, "symptoms=abdominal-pain") for _ in range(phase.sessions)]
    await asyncio.gather(*(s.open() for s in sessions))
    cpu_before = _cpu_seconds(pid)
    start = time.perf_counter()
    await asyncio.gather(*(_clicker(s, phase, start + phase.seconds, rng) for s in sessions))
    phase.seconds = time.perf_counter() - start
    phase.server_cpu_s = _cpu_seconds(pid) - cpu_before
    await asyncio.gather(*(s.close() for s in sessions))
    return phase


async def memory_per_session(url: str, pid: int, count: int) -> dict[str, float]:
    """Server RSS growth while `count` sessions are open, each having opened the checker and clicked twice."""
    await asyncio.sleep(2)
    before = _rss(pid)
    sessions = [Session(url, "symptoms=abdominal-pain") for _ in range(count)]
    for s in sessions:
        await s.open()
        await s.click(SYMPTOMS[0])
        await s.click(SYMPTOMS[1])
    await asyncio.sleep(2)
    after = _rss(pid)
    await asyncio.gather(*(s.close() for s in sessions))
    return {
        "sessions": count,
        "rss_before_mb": before / 2**20,
        "rss_after_mb": after / 2**20,
        "mb_per_session": (after - before) / 2**20 / count,
    }


def _pin(cores: str) -> list[str]:
    return ["taskset", "-c", cores] if shutil.which("taskset") else []


async def measure(url: str, pid: int, quick: bool) -> dict:
    seconds = 10.0 if quick else 30.0
    out: dict = {}
    warm = Phase("warm-up", 1, 0.0, 5.0)
    await run_phase(url, pid, warm)
    # memory first, on a fresh heap: later phases leave freed memory that new sessions would reuse
    out["memory"] = await memory_per_session(url, pid, 20 if quick else 40)
    single = await run_phase(url, pid, Phase("one session, back to back", 1, 0.0, seconds))
    out["single"] = single.summary()
    saturation = await run_phase(url, pid, Phase("saturation: 40 sessions, no think time", 40, 0.0, seconds))
    out["saturation"] = saturation.summary()
    out["classroom"] = []
    for count in (10, 20, 40):
        phase = await run_phase(url, pid, Phase(f"{count} sessions, a click every ~3 s each", count, 3.0, seconds))
        out["classroom"].append(phase.summary())
    return out


@contextmanager
def pinned_server(
    server_core: str = "0", client_core: str = "1", env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` on `server_core`, this process on `client_core` meanwhile; yields (url, server pid).
    The server gets this environment without NET_CHECKER_RULES and NET_CHECKER_DB, plus `env`; its output goes to
    `log` (or nowhere)."""
    port = free_port()
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if k not in ("NET_CHECKER_RULES", "NET_CHECKER_DB")}
    env.update(extra)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    with open(log or os.devnull, "wb") as out:
        proc = subprocess.Popen(
            _pin(server_core) + streamlit_command(ROOT / "app.py", port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{HOST}:{port}"
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        wait_healthy(url, proc)
        if affinity is not None and _pin(client_core):
            os.sched_setaffinity(0, {int(client_core)})
        from benchmarks.servers import streamlit_pids

        yield url, (streamlit_pids(proc.pid) or [proc.pid])[0]
    finally:
        if affinity is not None:
            os.sched_setaffinity(0, affinity)
        stop_group(proc)


def click_cpu_figure(quick: bool, batches: int | None = None, per_batch: int = 10) -> Figure:
    """Server CPU per Checker click (a full-page rerun over the protocol, one session clicking back to back):
    the CPU of each batch of clicks divided by its clicks (psutil counts in 10 ms ticks, too coarse for one click)."""
    batches = batches or (6 if quick else 20)

    async def drive(url: str, pid: int) -> list[float]:
        session = Session(url, "symptoms=abdominal-pain")
        await session.open()
        for index in range(6):  # warm-up
            await session.click(SYMPTOMS[index % len(SYMPTOMS)])
        per_click = []
        for batch in range(batches):
            before = _cpu_seconds(pid)
            for index in range(per_batch):
                await session.click(SYMPTOMS[(batch + index) % len(SYMPTOMS)])
            per_click.append((_cpu_seconds(pid) - before) / per_batch)
        await session.close()
        return per_click

    with pinned_server() as (url, pid):
        per_click = asyncio.run(drive(url, pid))
    return figure_from(
        "click_server_cpu_ms",
        "Server CPU per Checker click (full-page rerun, protocol level)",
        per_click,
        "ms",
        target="<= 40 ms",
        limit=40.0,
        note=f"{batches} batches of {per_batch} clicks, one session back to back",
    ).judge()


def rehearsal(
    sessions: int, replicas: int, think_s: float, seconds: float, log_dir: Path, server_core: str = "0", client_core: str = "1"
) -> dict:
    """A class rehearsal: `sessions` protocol-level sessions through nginx and `replicas` replicas (deploy/), the
    replicas, supervisord and nginx pinned to `server_core`, this generator to `client_core`. Server CPU counts every
    process of the replica set."""
    from benchmarks.servers import replica_set

    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    with replica_set(replicas, log_dir, cores=server_core) as proxy:
        try:
            if affinity is not None and _pin(client_core):
                os.sched_setaffinity(0, {int(client_core)})
            name = f"{sessions} sessions via nginx + {replicas} replicas, a click every ~{think_s:.0f} s"
            phase = asyncio.run(run_phase(proxy.url, proxy.proc.pid, Phase(name, sessions, think_s, seconds)))
        finally:
            if affinity is not None:
                os.sched_setaffinity(0, affinity)
    return phase.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s phases instead of 30 s")
    parser.add_argument("--server-core", default="0")
    parser.add_argument("--client-core", default="1")
    parser.add_argument(
        "--rehearsal",
        type=int,
        default=0,
        metavar="SESSIONS",
        help="only the class rehearsal: this many sessions through nginx and 2 replicas (e.g. 300)",
    )
    parser.add_argument("--think", type=float, default=10.0, help="rehearsal: seconds between a session's clicks")
    args = parser.parse_args(argv)
    if args.rehearsal:
        import tempfile

        seconds = 20.0 if args.quick else 60.0
        summary = rehearsal(
            args.rehearsal,
            2,
            args.think,
            seconds,
            Path(tempfile.mkdtemp(prefix="net-rehearsal-")),
            args.server_core,
            args.client_core,
        )
        out = RESULTS.with_name("rehearsal.json")
        out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
        print(json.dumps(summary, indent=2))
        return 0
    log = ROOT / "benchmarks" / "results" / "capacity-server.log"
    with pinned_server(args.server_core, args.client_core, log=log) as (url, pid):
        figures = asyncio.run(measure(url, pid, args.quick))
    figures["machine"] = {
        "cpus": os.cpu_count(),
        "load_avg_at_end": os.getloadavg(),
        "server_core": args.server_core,
        "client_core": args.client_core,
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    rows = [figures["single"], figures["saturation"], *figures["classroom"]]
    print(f"{'phase':<42} {'clicks/s':>8} {'CPU ms/click':>12} {'CPU share':>9} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for r in rows:
        print(
            f"{r['phase']:<42} {r['clicks_per_s']:>8.1f} {r['server_cpu_ms_per_click']:>12.1f} "
            f"{r['server_cpu_share']:>9.2f} {r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f} {r['errors']:>6}"
        )
    mem = figures["memory"]
    print(
        f"memory: {mem['mb_per_session']:.2f} MB per session ({mem['sessions']} sessions, "
        f"{mem['rss_before_mb']:.0f} -> {mem['rss_after_mb']:.0f} MB)"
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
