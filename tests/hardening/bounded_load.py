"""Load a rules folder in a child process under resource limits, and report what happened as plain data.

The child gets an address-space limit (RLIMIT_AS) and a CPU-time limit, so a table that would exhaust memory or
hang fails the test instead of the machine; the parent adds a wall-clock guard for reads that block (FIFOs).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 300 * 1024 * 1024
"""Address space allowed to the child: a bad table must load (or fail) in less than this."""
TIME_LIMIT_S = 5.0
"""Wall time allowed for one load_knowledge call on a bad table."""
CPU_LIMIT_S = 20
HANG_GUARD_S = 60

_CHILD = """
import json, resource, sys, time
from checker import TableError, load_knowledge
start = time.perf_counter()
try:
    load_knowledge(sys.argv[1])
    out = {"outcome": "loaded", "problems": [], "total": 0}
except TableError as error:
    out = {"outcome": "table_error", "problems": [str(p) for p in error.problems[:20]], "total": error.total,
           "text_chars": len(str(error))}
except BaseException as error:
    out = {"outcome": type(error).__name__, "problems": [str(error)[:300]], "total": 0}
out["seconds"] = time.perf_counter() - start
# VmHWM is this program's peak RSS (ru_maxrss would include the forked parent's size before exec)
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
out["max_rss_mb"] = int(peak[0].split()[1]) / 1024 if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


@dataclass(frozen=True)
class ChildLoad:
    outcome: str
    problems: list[str]
    total: int
    seconds: float
    max_rss_mb: float
    text_chars: int = 0


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_S, CPU_LIMIT_S))


def load_in_child(folder: Path) -> ChildLoad:
    """load_knowledge(folder) in a limited child; a hang or a crash is reported as the outcome."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=HANG_GUARD_S,
            preexec_fn=_limits,
        )
    except subprocess.TimeoutExpired:
        return ChildLoad("hang", [], 0, float(HANG_GUARD_S), 0.0)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return ChildLoad(f"crash (exit {done.returncode})", [done.stderr[-500:]], 0, 0.0, 0.0)
    return ChildLoad(**json.loads(lines[-1]))
