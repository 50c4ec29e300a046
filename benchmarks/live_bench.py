"""A live class at Streamlit's protocol level: one educator and N students (default 60) on one server, no browsers.

The server runs pinned to one core, this load generator to the other. Every tab speaks Streamlit's own protocol
over `/_stcore/stream` (BackMsg / ForwardMsg), as benchmarks/capacity.py does, and behaves as the browser would:
it re-runs each fragment at the interval the server asks for (AutoRerun), sending its widget states.

Figures (keys in benchmarks/results/latest.json):
- live_step_p95_s: from the educator's "Next finding" click until each student's page shows the new step;
- live_answer_p95_s: from a student's "Send my answer" click until the projector's count includes that answer
  (counted at the first projector refresh that started after the answer was stored);
- live_poll_cpu_ms: server CPU per student per update, measured over a quiet window where students only poll.
"""

from __future__ import annotations

import asyncio
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.servers import ROOT
from benchmarks.stats import Figure, figure_from, percentile

CASE = "glucagonoma-migrating-rash"
STEP_TEXT = re.compile(r"\*\*Step (\d+) of")
COUNT_TEXT = re.compile(r"(\d+) of (\d+) students have answered\.")


class Tab:
    """One browser tab as the server sees it: a websocket, the widgets it knows, and the fragment timers."""

    def __init__(self, url: str, page: str, query: str, on_text: Callable[[str, float], None]) -> None:
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.page, self.query, self.on_text = page, query, on_text
        self.widgets: dict[str, str] = {}
        """Widget key (suffix of the element id) -> its current id."""
        self.values: dict[str, Any] = {}
        """Widget key -> the value this tab sends for it on every run."""
        self.fragments: dict[str, float] = {}
        self.ws: Any = None
        self.runs_finished = 0
        self.auto_reruns_sent = 0
        self.last_sent = 0.0
        self._finished = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None, open_timeout=60, ping_interval=None
        )
        self._tasks.append(asyncio.create_task(self._read()))
        await self.run()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def run(self, click: str | None = None, fragment: str = "", auto: bool = False) -> None:
        """Send a rerun (a click on the widget with key `click`, or a fragment's timer) and wait for it to finish."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_name = self.page  # the page by its URL path; a page_script_hash would win over it
        if fragment:
            rerun.fragment_id = fragment
            rerun.is_auto_rerun = auto
        for key, value in self.values.items():
            if key in self.widgets:
                state = rerun.widget_states.widgets.add()
                state.id = self.widgets[key]
                if isinstance(value, list):
                    state.string_array_value.data.extend(value)
                else:
                    state.string_value = value
        if click and click in self.widgets:
            state = rerun.widget_states.widgets.add()
            state.id = self.widgets[click]
            state.trigger_value = True
        self._finished.clear()
        self.last_sent = time.perf_counter()
        if auto:
            self.auto_reruns_sent += 1
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._finished.wait(), timeout=120)

    async def _timer(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.run(fragment=fragment, auto=True)
            except asyncio.TimeoutError:
                continue

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            raw = await self.ws.recv()
            now = time.perf_counter()
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "auto_rerun":
                fragment, interval = forward.auto_rerun.fragment_id, forward.auto_rerun.interval
                if fragment not in self.fragments:
                    self.fragments[fragment] = interval
                    self._tasks.append(asyncio.create_task(self._timer(fragment, interval)))
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "markdown":
                    self.on_text(element.markdown.body, now)
                elif which in ("button", "selectbox", "multiselect"):
                    ident = getattr(element, which).id
                    self.widgets[ident.rsplit("-", 1)[-1]] = ident
            elif kind == "script_finished":
                self.runs_finished += 1
                self._finished.set()


@dataclass
class Student:
    tab: Tab
    step_seen: int = -1
    step_seen_at: dict[int, float] = field(default_factory=dict)


@dataclass
class Projector:
    counts: list[tuple[float, float, int]] = field(default_factory=list)
    """(when the refresh was requested, when its count arrived, the count)."""


async def _class(
    url: str, pid: int, data: Path, students_n: int, steps: int, quiet_s: float, log: Callable[[str], None]
) -> dict[str, Any]:
    from benchmarks.capacity import _cpu_seconds
    from checker import load_knowledge, teaching
    from checker.live import Classroom, make_engine

    kb = load_knowledge(ROOT / "rules")
    room = Classroom(make_engine(f"sqlite:///{data / 'live.sqlite3'}"), kb)
    code, token = room.create(CASE)
    seats = [room.join(code, "", tab=f"bench{i}")[0] for i in range(students_n)]
    label = {c: teaching.choice_label(kb, c) for c in ("glucagonoma", "vipoma", "type-2-diabetes")}

    projector = Projector()
    host_box: dict[str, Tab] = {}

    def host_text(body: str, now: float) -> None:
        found = COUNT_TEXT.search(body)
        if found:
            projector.counts.append((host_box["tab"].last_sent, now, int(found.group(1))))

    host = Tab(url, "presentation", f"live={code}&host={token}", host_text)
    host_box["tab"] = host
    class_: list[Student] = []

    def student_text(index: int) -> Callable[[str, float], None]:
        def seen(body: str, now: float) -> None:
            found = STEP_TEXT.search(body)
            if found:
                step = int(found.group(1))
                me = class_[index]
                me.step_seen = step
                me.step_seen_at.setdefault(step, now)

        return seen

    for i, seat in enumerate(seats):
        class_.append(Student(Tab(url, "live", f"code={code}&me={seat}", student_text(i))))
    await host.open()
    await host.run(click="live_show")
    for start in range(0, students_n, 10):  # a class arrives over a few seconds, not in one instant
        await asyncio.gather(*(s.tab.open() for s in class_[start : start + 10]))
    log(f"live: {students_n} students joined class {code}")

    # quiet window: students only poll; server CPU per student per update
    await asyncio.sleep(2)
    polls_before = sum(s.tab.auto_reruns_sent for s in class_)
    host_before = host.auto_reruns_sent
    cpu_before, wall_before = _cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(quiet_s)
    cpu = _cpu_seconds(pid) - cpu_before
    wall = time.perf_counter() - wall_before
    polls = sum(s.tab.auto_reruns_sent for s in class_) - polls_before
    host_polls = host.auto_reruns_sent - host_before
    poll_cpu_ms = 1000 * cpu / max(polls + host_polls, 1)
    log(
        f"live: quiet {wall:.1f} s, {polls} student polls, {host_polls} projector polls, server CPU {cpu:.2f} s "
        f"({poll_cpu_ms:.1f} ms per update)"
    )

    step_latencies: list[float] = []
    answer_latencies: list[float] = []
    rng = random.Random(7)
    errors = 0
    for step in range(1, steps + 1):
        clicked = time.perf_counter()
        await host.run(click="live_next")
        deadline = clicked + 30
        while time.perf_counter() < deadline and any(step not in s.step_seen_at for s in class_):
            await asyncio.sleep(0.05)
        for s in class_:
            if step in s.step_seen_at:
                step_latencies.append(s.step_seen_at[step] - clicked)
            else:
                errors += 1
        sent: list[tuple[float, float]] = []

        async def answer(s: Student, step: int, sent: list[tuple[float, float]]) -> None:
            await asyncio.sleep(rng.uniform(0.2, 3.0))
            choice = rng.choice(list(label))
            s.tab.values[f"live_lead_{step}"] = label[choice]
            s.tab.values[f"live_others_{step}"] = []
            start = time.perf_counter()
            await s.tab.run(click=f"live_send_{step}")
            sent.append((start, time.perf_counter()))

        await asyncio.gather(*(answer(s, step, sent) for s in class_))
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not any(
            req >= max(done for _, done in sent) and n >= students_n for req, _, n in projector.counts
        ):
            await asyncio.sleep(0.1)
        for start, done in sent:
            shown = [arrived for req, arrived, n in projector.counts if req >= done]
            if shown:
                answer_latencies.append(min(shown) - start)
            else:
                errors += 1
        stored = len({a.student for a in room.answers(room.host(code, token).id, step=step)})
        log(f"live: step {step}: {len(step_latencies)} step samples, {stored} students' answers stored")
        if stored != students_n:
            errors += students_n - stored

    await asyncio.gather(*(s.tab.close() for s in class_), host.close())
    return {
        "step_s": step_latencies,
        "answer_s": answer_latencies,
        "poll_cpu_ms": poll_cpu_ms,
        "errors": errors,
        "quiet": {"seconds": wall, "student_polls": polls, "projector_polls": host_polls, "server_cpu_s": cpu},
    }


def run(
    quick: bool,
    log: Callable[[str], None],
    students_n: int = 60,
    server_core: str = "0",
    client_core: str = "1",
    steps: int | None = None,
    quiet_s: float | None = None,
) -> tuple[list[Figure], dict[str, Any]]:
    from benchmarks.capacity import pinned_server

    data = Path(tempfile.mkdtemp(prefix="net-checker-live-bench-"))
    try:
        with pinned_server(server_core, client_core, env={"NET_CHECKER_DATA": str(data)}) as (url, pid):
            found = asyncio.run(
                _class(url, pid, data, students_n, steps or (2 if quick else 4), quiet_s or (10.0 if quick else 20.0), log)
            )
    finally:
        shutil.rmtree(data, ignore_errors=True)
    step, answer = found["step_s"], found["answer_s"]
    per_student_cpu = found["poll_cpu_ms"]
    # one core, kept below 70% busy: students per replica at one update per POLL_S each
    from app_pages.live_common import POLL_S

    per_replica = int(0.7 * 1000 * POLL_S / per_student_cpu) if per_student_cpu else 0
    note = f"{students_n} students, 1 replica on 1 core; errors {found['errors']}"
    figures = [
        figure_from(
            "live_step_p95_s",
            "Live class: educator's Next until a student's page shows it",
            step,
            "s",
            target="p95 <= 3 s",
            limit=3.0,
            note=note,
        ).judge(percentile(step, 95)),
        figure_from(
            "live_answer_p95_s",
            "Live class: a student's answer until the projector counts it",
            answer,
            "s",
            target="p95 <= 3 s",
            limit=3.0,
            note=note,
        ).judge(percentile(answer, 95)),
        Figure(
            "live_poll_cpu_ms",
            "Live class: server CPU per student per update",
            "ms",
            per_student_cpu,
            per_student_cpu,
            found["quiet"]["student_polls"],
            target=f"<= {700 * POLL_S / 100:.0f} ms (100 students on one core at 70%)",
            limit=700 * POLL_S / 100,
            note=f"about {per_replica} students per replica at {POLL_S:.0f} s updates",
        ).judge(),
    ]
    return figures, {
        "students": students_n,
        "errors": found["errors"],
        "quiet": found["quiet"],
        "students_per_replica_at_70pct": per_replica,
    }


if __name__ == "__main__":
    import sys

    figures, info = run("--quick" in sys.argv, lambda m: print(m, file=sys.stderr, flush=True))
    for f in figures:
        print(f"{f.key}: median {f.median:.3f} {f.unit}, p95 {f.p95:.3f} {f.unit}, n={f.samples}, met={f.met}")
    print(info)
