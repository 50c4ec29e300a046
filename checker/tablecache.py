"""Load a rules folder once per state of its files: the outcome (tables or TableError) is kept, keyed by each file's
size, modification time and inode, so a broken folder is not re-read on every call until a file changes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from checker.errors import TableError
from checker.model import KnowledgeBase
from checker.snapshot import ANNOTATIONS_FILE, META_FILE, SNAPSHOT_DIR, TERMS_FILE
from checker.tables import TABLE_FILES, default_rules_dir, load_knowledge

WATCHED = (
    *TABLE_FILES.values(),
    "manifest.yaml",
    *(f"{SNAPSHOT_DIR}/{name}" for name in (META_FILE, TERMS_FILE, ANNOTATIONS_FILE)),
)
"""Every file the loader reads, relative to the rules folder."""

Fingerprint = tuple[tuple[str, int, int, int] | tuple[str], ...]

_lock = threading.Lock()
_outcomes: dict[str, tuple[Fingerprint, KnowledgeBase | TableError]] = {}


def fingerprint(folder: str | os.PathLike[str]) -> Fingerprint:
    """(name, mtime_ns, size, inode) of every file the loader reads, (name,) for one that cannot be stat'ed.
    Costs one stat() per file; never opens one."""
    out: list[tuple[str, int, int, int] | tuple[str]] = []
    for name in WATCHED:
        try:
            info = os.stat(Path(folder) / name)
        except (OSError, ValueError):
            out.append((name,))
            continue
        out.append((name, info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(out)


def load_outcome(folder: str | os.PathLike[str] | None = None) -> KnowledgeBase | TableError:
    """The tables of ``folder`` (default: $NET_CHECKER_RULES or rules/), or the TableError they raise, reusing the
    last outcome while no file changed."""
    key = str(Path(folder if folder is not None else default_rules_dir()).resolve())
    stamp = fingerprint(key)
    with _lock:
        cached = _outcomes.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    try:
        outcome: KnowledgeBase | TableError = load_knowledge(key)
    except TableError as error:
        outcome = error
    with _lock:
        _outcomes[key] = (stamp, outcome)
    return outcome


def load_cached(folder: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Like load_knowledge, but loads each state of a folder once per process; raises the (cached) TableError."""
    outcome = load_outcome(folder)
    if isinstance(outcome, TableError):
        raise outcome
    return outcome


def clear() -> None:
    with _lock:
        _outcomes.clear()
