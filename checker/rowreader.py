"""Field-by-field reading of one YAML row, recording a Problem for each bad field."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Literal, overload

from checker.errors import Problem
from checker.ids import HPO_PATTERN, ID_PATTERN, MAX_ID_CHARS, ORPHA_PATTERN
from checker.model import FREQUENCIES, Snapshot, Source, SourceNote, Word, member, yaml_keys
from checker.spelling import british
from checker.yamlio import LineDict, LineList

__all__ = ["HPO_PATTERN", "ID_PATTERN", "MAX_ID_CHARS", "ORPHA_PATTERN", "RowReader", "read_note"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no table text needs: C0/C1 controls except tab and newline, and bidi embeddings/overrides."""
MAX_EXCERPT_WORDS = 30
MAX_TEXT_CHARS = 4000
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RowReader:
    """Reads fields of one row; every problem names file, line and field."""

    def __init__(self, row: LineDict, file: str, problems: list[Problem], known_fields: Collection[str]) -> None:
        self.row = row
        self.file = file
        self.problems = problems
        for key in row:
            if key not in known_fields:
                self.problem(key, f"unknown field '{key}' (expected one of: {', '.join(sorted(known_fields))})")

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, line or self.row.line_of(key), key, message))

    def _line_of_item(self, key: str, index: int) -> int:
        value = self.row.get(key)
        if isinstance(value, LineList) and index < len(value.item_lines):
            return value.item_lines[index]
        return self.row.line_of(key)

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.row.get(key)
        if value is None:
            if required:
                self.problem(key, "missing required field")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                value = str(value)
            except ValueError:
                self.problem(key, "number is too large")
                return default
        if not isinstance(value, str):
            self.problem(key, f"expected text, got {type(value).__name__}")
            return default
        value = value.strip()
        if _CONTROL.search(value):
            self.problem(
                key, "text contains control or direction-override characters (terminal escapes, U+202E and the like); remove them"
            )
            return default
        if required and not value:
            self.problem(key, "must not be empty")
        if len(value) > MAX_TEXT_CHARS:
            self.problem(key, f"text is {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
            return value[:MAX_TEXT_CHARS]
        return value

    def identifier(self, key: str = "id") -> str:
        """A row id: text of lowercase words joined by single hyphens; anything else drops the row."""
        raw = self.row.get(key)
        if raw is None:
            self.problem(key, "missing required field")
            return ""
        if not isinstance(raw, str):
            self.problem(key, f"an id must be text, got {type(raw).__name__}")
            return ""
        value = raw.strip()
        if len(value) > MAX_ID_CHARS:
            self.problem(key, f"id is {len(value)} characters; the limit is {MAX_ID_CHARS}")
            return ""
        if not ID_PATTERN.match(value):
            self.problem(key, f"'{value}' is not a valid id (lowercase letters, digits and single hyphens)")
            return ""
        return value

    @overload
    def choice(self, key: str, choices: tuple[Word, ...], required: Literal[True] = ...) -> Word: ...

    @overload
    def choice(self, key: str, choices: tuple[Word, ...], required: Literal[False]) -> Word | Literal[""]: ...

    @overload
    def choice(self, key: str, choices: tuple[Word, ...], required: bool) -> Word | Literal[""]: ...

    def choice(self, key: str, choices: tuple[Word, ...], required: bool = True) -> Word | Literal[""]:
        """A word of a fixed vocabulary (a Literal's tuple); '' when it is missing or not one of them.

        A required field's '' comes with a recorded problem, and tables with a problem do not load: so it is typed
        as a word, and a loaded knowledge base holds only words there."""
        value = self.text(key, required=required)
        word = member(value, choices)
        if word is not None:
            return word
        if value:
            self.problem(key, f"'{value}' is not one of: {', '.join(choices)}")
        return ""

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.row.get(key)
        if value is None:
            if required:
                self.problem(key, "missing required field")
            return ()
        if not isinstance(value, list):
            self.problem(key, f"expected a list, got {type(value).__name__}")
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                try:
                    item = str(item)
                except ValueError:  # a hex or binary integer of thousands of digits
                    self.problem(key, "number is too large", self._line_of_item(key, index))
                    continue
            if not isinstance(item, str) or not item.strip():
                self.problem(key, f"item {index + 1} must be non-empty text", self._line_of_item(key, index))
                continue
            out.append(item.strip()[:MAX_TEXT_CHARS])
        if required and not out and isinstance(value, list) and not value:
            self.problem(key, "must list at least one item")
        return tuple(out)

    def fraction(self, key: str, required: bool = True) -> float | None:
        """A number from 0 to 1 (a share or a rate), exclusive of 0."""
        value = self.row.get(key)
        if value is None:
            if required:
                self.problem(key, "missing required field")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            self.problem(key, "expected a number above 0 and at most 1 (a share, e.g. 0.05)")
            return None
        return float(value)

    def whole_number(self, key: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.row.get(key)
        if value is None:
            if required:
                self.problem(key, "missing required field")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(key, f"expected a whole number from {low} to {high}")
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.row.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(key, "expected true or false")
            return False
        return value

    def date(self, key: str, required: bool = True) -> str:
        value = self.text(key, required=required)
        if value and not DATE_PATTERN.match(value):
            self.problem(key, f"'{value}' is not a date (YYYY-MM-DD)")
            return ""
        return value

    def ref(self, key: str, known: Mapping[str, Any] | Collection[str], what: str, required: bool = True) -> str:
        value = self.text(key, required=required)
        if value and value not in known:
            self.problem(key, f"unknown {what} '{value}'")
            return ""
        return value

    def refs(self, key: str, known: Mapping[str, Any] | Collection[str], what: str, required: bool = False) -> tuple[str, ...]:
        out: list[str] = []
        for index, value in enumerate(self.texts(key, required=required)):
            if value not in known:
                self.problem(key, f"unknown {what} '{value}'", self._line_of_item(key, index))
            elif value in out:
                self.problem(key, f"'{value}' is listed twice", self._line_of_item(key, index))
            else:
                out.append(value)
        return tuple(out)

    def orpha_codes(self, key: str, snapshot: Snapshot) -> tuple[str, ...]:
        out: list[str] = []
        codes = snapshot.orpha_codes
        for index, code in enumerate(self.texts(key)):
            line = self._line_of_item(key, index)
            if not ORPHA_PATTERN.match(code):
                self.problem(key, f"'{code}' is not an ORPHA code (ORPHA:digits)", line)
            elif code not in codes:
                self.problem(key, f"{code} is not in the pinned Orphanet release snapshot", line)
            else:
                out.append(code)
        return tuple(out)

    def mappings(
        self, key: str, expected: str, each: str, *, missing: str | None = None, non_empty: bool = False
    ) -> Iterator[LineDict]:
        """The mappings of a list field, in order. Absent: nothing (or the `missing` problem). Not a list, or empty
        when `non_empty`: the `expected` problem. An item that is not a mapping: the `each` problem, reported when
        the iteration reaches it, so problems keep the order of the rows."""
        value = self.row.get(key)
        if value is None and missing is not None:
            self.problem(key, missing)
            return
        if value is None and not non_empty:
            return
        if not isinstance(value, list) or (non_empty and not value):
            self.problem(key, expected)
            return
        for item in value:
            if isinstance(item, LineDict):
                yield item
            else:
                self.problem(key, each)

    def american(self, *keys: str) -> None:
        """Own-words fields use American spelling (one problem per field, for its first British word)."""
        for key in keys:
            value = self.row.get(key)
            for item in value if isinstance(value, list) else [value]:
                found = british(item) if isinstance(item, str) else None
                if found:
                    self.problem(key, f"'{found.group(0)}' is British spelling; user-facing text is American English")
                    break

    def notes(self, key: str, sources: Mapping[str, Source], snapshot: Snapshot, required: bool = True) -> tuple[SourceNote, ...]:
        items = self.mappings(
            key,
            "expected a non-empty list of source notes",
            "each source note must be a mapping with at least 'source'",
            missing="missing required field: every row needs at least one source note" if required else None,
            non_empty=required,
        )
        notes = (read_note(item, self.file, self.problems, sources, snapshot) for item in items)
        return tuple(note for note in notes if note)


def read_note(
    row: LineDict, file: str, problems: list[Problem], sources: Mapping[str, Source], snapshot: Snapshot
) -> SourceNote | None:
    """Check one source note against its source kind (and, for Orphanet rows, the snapshot)."""
    reader = RowReader(row, file, problems, yaml_keys(SourceNote))
    before = len(problems)
    source_id = reader.text("source")
    source = sources.get(source_id)
    if source_id and source is None:
        reader.problem("source", f"unknown source id '{source_id}'")
        return None
    section = reader.text("section", required=False)
    excerpt = reader.text("excerpt", required=False)
    orpha = reader.text("orpha", required=False)
    hpo = reader.text("hpo", required=False)
    frequency = reader.text("frequency", required=False)
    suggests = reader.choice("suggests", FREQUENCIES, required=False)
    figure = reader.text("figure", required=False)
    denominator = reader.text("denominator", required=False)
    if figure and not denominator:
        reader.problem("denominator", "a published figure needs its denominator (whom it counts)")
    if source is None:
        return None
    if source.kind in ("seed", "page"):
        if not excerpt:
            reader.problem("excerpt", f"a {source.kind} note needs a short verbatim excerpt")
        elif len(excerpt.split()) > MAX_EXCERPT_WORDS:
            reader.problem("excerpt", f"excerpt has {len(excerpt.split())} words; the limit is {MAX_EXCERPT_WORDS}")
        if source.kind == "seed" and not section:
            reader.problem("section", "a seed note needs the section it stands in")
        if frequency:
            reader.problem("frequency", "a seed or page note states no release frequency; use 'suggests' for its wording")
        for extra in ("orpha", "hpo"):
            if extra in row:
                reader.problem(extra, f"'{extra}' belongs to annotation notes, not {source.kind} notes")
    elif source.kind == "annotation":
        if suggests:
            reader.problem("suggests", "annotation notes carry 'frequency', not 'suggests'")
        if figure:
            reader.problem("figure", "annotation notes carry 'frequency', not 'figure'")
        for needed, value in (("orpha", orpha), ("hpo", hpo), ("frequency", frequency)):
            if not value:
                reader.problem(needed, "an annotation note needs orpha, hpo and frequency")
        if orpha and hpo:
            annotation = snapshot.annotation(orpha, hpo)
            if annotation is None:
                reader.problem("hpo", f"no {orpha} row for {hpo} in the pinned annotation release")
            elif frequency and frequency not in FREQUENCIES:
                reader.problem("frequency", f"'{frequency}' is not one of: {', '.join(FREQUENCIES)}")
            elif frequency and annotation.frequency != frequency:
                shown = annotation.frequency or "no frequency"
                reader.problem("frequency", f"the release gives '{shown}' for {orpha} {hpo}, not '{frequency}'")
    else:
        reader.problem("source", f"'{source_id}' is an {source.kind} source; cite a seed, page or annotation row")
    if len(problems) > before:
        return None
    return SourceNote(source_id, section, excerpt, orpha, hpo, frequency, suggests, figure, denominator)
