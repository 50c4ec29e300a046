"""Bounded, safe file reading for the rule tables: YAML that remembers line numbers and refuses duplicate keys,
aliases and amplification, and a byte reader that refuses special files, links out of the folder and big files."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from checker.errors import Problem
from checker.yamlrows import READ_ERRORS, LineDict, LineList, Unusual, build_document

__all__ = ["LineDict", "LineList", "PARSED", "decode_utf8", "read_bounded", "read_yaml"]

MAX_TABLE_BYTES = 5_000_000
"""A YAML table larger than this is refused before it is read (the largest shipped table is about 150 kB)."""
MAX_YAML_EVENTS = 100_000
"""A table with more YAML nodes than this is refused before it is built (the largest shipped one has 11,000);
a 5 MB file of ``- {}`` rows would otherwise become a million rows and gigabytes of memory."""
MAX_YAML_DEPTH = 64
"""Deeper nesting than this is refused (rows nest three or four levels)."""
MAX_TABLE_ROWS = 5_000
"""A table (a top-level list) with more rows is refused before its rows are built (the largest shipped table has
354); checking a hundred thousand junk rows would take seconds and list a problem per field."""
_READ_CHUNK = 1 << 20


def read_bounded(path: Path, label: str, problems: list[Problem], limit: int, root: Path | None = None) -> bytes | None:
    """The bytes of one regular file of at most ``limit`` bytes, or None with a Problem (line 1).

    Refused without reading: a link whose target lies outside ``root``, anything that is not a regular file
    (folder, FIFO, device, socket: opened non-blocking, so a FIFO cannot hang the loader), and a file whose
    size (from fstat, before reading) is over the limit. At most ``limit + 1`` bytes are ever read.
    """
    if root is not None:
        try:
            real = path.resolve(strict=True)
            inside = real.is_relative_to(root.resolve(strict=True))
        except FileNotFoundError:
            problems.append(Problem(label, 0, "file", "file is missing"))
            return None
        except (OSError, RuntimeError) as exc:
            problems.append(Problem(label, 1, "file", f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
            return None
        if not inside:
            problems.append(
                Problem(label, 1, "file", "is a link to a file outside the rules folder; copy the file into the folder instead")
            )
            return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        problems.append(Problem(label, 0, "file", "file is missing"))
        return None
    except OSError as exc:
        problems.append(Problem(label, 1, "file", f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(label, 1, "file", "not a regular file (a folder, device, FIFO or socket)"))
            return None
        if info.st_size > limit:
            problems.append(Problem(label, 1, "file", f"file is {info.st_size} bytes; the limit is {limit}"))
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            problems.append(Problem(label, 1, "file", f"file grew past the limit of {limit} bytes while read"))
            return None
        return b"".join(chunks)
    except OSError as exc:
        problems.append(Problem(label, 1, "file", f"cannot read: {exc.strerror or exc}"))
        return None
    finally:
        os.close(fd)


def decode_utf8(raw: bytes, label: str, problems: list[Problem]) -> str | None:
    """The text of a UTF-8 file, or None with a Problem on the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(label, line, "file", f"not valid UTF-8 (column {column}, byte {exc.start} of the file); save it as UTF-8")
        )
        return None


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about 10x faster), else the pure-Python one."""


class _Refused(Exception):
    """A table refused before its rows are built (an alias, or past a size or depth limit)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message


def _needs_bounds(text: str) -> bool:
    """A file shorter than MAX_YAML_EVENTS characters without '*' cannot hold an alias or break any limit of
    _bounded, so its events are not checked."""
    return "*" in text or len(text) > MAX_YAML_EVENTS


_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _bounded(events: Iterator[yaml.Event]) -> Iterator[yaml.Event]:
    """The events, checked as they pass: raises _Refused at the first alias, excess depth or excess size.

    Aliases allow 'billion laughs' bombs; depth and node count bound what building the rows may cost."""
    depth = 0
    rows = 0
    top_is_list = False
    for count, event in enumerate(events, start=1):
        kind = type(event)  # PyYAML's parsers make events of exactly these classes
        if kind is yaml.ScalarEvent or kind in _STARTS:
            if depth == 1 and top_is_list:
                rows += 1
                if rows > MAX_TABLE_ROWS:
                    raise _Refused(
                        _line(event), f"the table has more than {MAX_TABLE_ROWS} rows (split it, or check how it was made)"
                    )
            if kind is not yaml.ScalarEvent:
                top_is_list = top_is_list or (depth == 0 and kind is yaml.SequenceStartEvent)
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise _Refused(_line(event), f"nesting is deeper than {MAX_YAML_DEPTH} levels")
        elif kind in _ENDS:
            depth -= 1
        elif kind is yaml.AliasEvent:
            raise _Refused(_line(event), "aliases (*name) are not allowed in rule tables")
        if count > MAX_YAML_EVENTS:
            raise _Refused(
                _line(event),
                f"the file has more than {MAX_YAML_EVENTS} YAML nodes (values, rows and lists); split it or remove rows",
            )
        yield event


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    def __init__(self, stream: str, problems: list[Problem], path: str) -> None:
        super().__init__(stream)
        self.problems = problems
        self.path = path

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """As PyYAML does, but a value its tag cannot read (``!!bool some text``) is a problem on its line."""
        try:
            return super().construct_object(node, deep=deep)
        except (KeyError, TypeError, AttributeError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"the value does not fit its tag {node.tag!r} ({type(exc).__name__})", node.start_mark
            ) from None

    def construct_line_mapping(self, node: yaml.MappingNode) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(
                    Problem(self.path, line, key, f"duplicate key '{key}' (first on line {result.key_lines[key]})")
                )
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_line_sequence(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_line_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_line_sequence)


def read_yaml(path: Path, label: str, problems: list[Problem], root: Path | None = None) -> Any:
    """Parse one YAML file (bounded as in read_bounded and _scan); on failure record a Problem with its line and
    return None. The result is shared with earlier reads of the same text: treat it as read-only."""
    raw = read_bounded(path, label, problems, MAX_TABLE_BYTES, root)
    if raw is None:
        return None
    text = decode_utf8(raw, label, problems)
    if text is None:
        return None
    data, found = PARSED.get(text)
    problems.extend(Problem(label, line, field, message) for line, field, message in found)
    return data


class ParseCache:
    """The parse of each recent YAML text, so that loading a folder again re-parses only the files that changed
    (the app after an edit; tests that load many variants of one folder). Bounded by total text size."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._entries: dict[str, tuple[Any, tuple[tuple[int, str, str], ...]]] = {}
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> tuple[Any, tuple[tuple[int, str, str], ...]]:
        """(data or None, problems as (line, field, message)) for one YAML text."""
        with self._lock:
            hit = self._entries.pop(text, None)
            if hit is not None:
                self._entries[text] = hit  # most recently used last
                return hit
        hit = _parse(text)
        if len(text) <= self.max_chars:
            with self._lock:
                if text not in self._entries:
                    self._entries[text] = hit
                    self._chars += len(text)
                while self._chars > self.max_chars:
                    oldest = next(iter(self._entries))
                    self._chars -= len(oldest)
                    del self._entries[oldest]
        return hit

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0


PARSED = ParseCache(max_chars=8_000_000)
"""About eight sets of the shipped tables' text (1 MB a set)."""


def _parse(text: str) -> tuple[Any, tuple[tuple[int, str, str], ...]]:
    problems: list[Problem] = []
    data = _parse_into(text, problems)
    return data, tuple((p.line, p.field, p.message) for p in problems)


def _parse_into(text: str, problems: list[Problem]) -> Any:
    """The data of one YAML text, from one pass of the parser (build_document); the rare file with a feature it
    leaves to PyYAML (Unusual) is composed and constructed by PyYAML instead."""
    loader = _Loader(text, problems, "")
    events: Iterator[yaml.Event] = iter(loader.get_event, None)
    try:
        return build_document(loader, _bounded(events) if _needs_bounds(text) else events, problems, MAX_YAML_DEPTH)
    except Unusual:
        pass
    except _Refused as refused:
        problems.append(Problem("", refused.line, "yaml", refused.message))
        return None
    except READ_ERRORS as exc:
        problems.append(_problem_of(exc))
        return None
    finally:
        loader.dispose()
    return _compose_and_construct(text, problems)


def _compose_and_construct(text: str, problems: list[Problem]) -> Any:
    """PyYAML's two steps, for the files build_document leaves to it; the bounds are checked in a pass before."""
    if _needs_bounds(text):
        try:
            for _ in _bounded(yaml.parse(text, Loader=_BaseLoader)):
                pass
        except yaml.MarkedYAMLError:
            pass  # the full parse below reports the syntax error with its line
        except yaml.YAMLError as exc:
            problems.append(_problem_of(exc))
            return None
        except _Refused as refused:
            problems.append(Problem("", refused.line, "yaml", refused.message))
            return None
    loader = _Loader(text, problems, "")
    try:
        return loader.get_single_data()
    except READ_ERRORS as exc:
        problems.append(_problem_of(exc))
    finally:
        loader.dispose()
    return None


def _problem_of(exc: BaseException) -> Problem:
    """The problem (line 1 unless the error has a mark) for an error of parsing or building the data."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return Problem("", mark.line + 1 if mark else 1, "yaml", (exc.problem or str(exc)).strip())
    if isinstance(exc, RecursionError):
        return Problem("", 1, "yaml", "nesting is too deep")
    if isinstance(exc, ValueError):  # e.g. an integer longer than Python's digit limit
        return Problem("", 1, "yaml", f"value cannot be read: {str(exc).splitlines()[0][:200]}")
    return Problem("", 1, "yaml", str(exc).strip().splitlines()[0])
