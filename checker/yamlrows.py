"""Build a table's rows straight from the YAML parser's events, in the one parse of the file: mappings and lists
that know their lines, values typed as PyYAML's safe loader types them, duplicate keys reported on their line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from checker.errors import Problem

_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = (None, "!")
_MAP_TAGS = (*_DEFAULT_TAGS, yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG)
_SEQ_TAGS = (*_DEFAULT_TAGS, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG)
_KEY_TAGS_TO_FLATTEN = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
READ_ERRORS = (yaml.YAMLError, RecursionError, ValueError)
"""What parsing or building a value may raise that the loader reports as a problem of the file (yamlio)."""
_NO_KEY = object()


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from YAML that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class Unusual(Exception):
    """A YAML feature the rule tables never use (anchors, merge keys, other collection tags, a collection as a key,
    several documents, deep nesting): left to PyYAML's own composer and constructor."""


class _Open:
    """A mapping or list being built, and whether its values are thrown away (the value of a duplicate key)."""

    __slots__ = ("container", "is_map", "key", "key_line", "skip", "skip_value")

    def __init__(self, container: Any, skip: bool) -> None:
        self.container = container
        self.is_map = isinstance(container, LineDict)
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.skip = skip
        self.skip_value = skip


def build_document(loader: Any, events: Iterator[Any], problems: list[Problem], max_depth: int) -> Any:
    """The data of the single YAML document in ``events`` (None for an empty stream), as PyYAML's compose and the
    line-keeping constructor of ``loader`` would build it.

    PyYAML composes the whole document before building any value, so the outcome is theirs: a parse error (raised
    by ``events``) drops the duplicate keys found before it; the first value its tag cannot read stops building and
    is raised once the document parsed, after the duplicate keys found before it. Raises Unusual for what it leaves
    to PyYAML (nesting deeper than ``max_depth`` included); an anchor only once every event passed, so that a
    bounded stream still refuses a file with an alias in its one parse."""
    builder = _Builder(loader, max_depth)
    try:
        value = builder.run(events)
    except yaml.YAMLError:
        if builder.anchored:
            raise Unusual("an anchor, then a parse error") from None
        raise
    if builder.anchored:
        raise Unusual("anchor")
    problems.extend(builder.found)
    if builder.error is not None:
        raise builder.error
    return value


class _Builder:
    """One pass over a document's events (see build_document)."""

    def __init__(self, loader: Any, max_depth: int) -> None:
        self.loader = loader
        self.max_depth = max_depth
        self.found: list[Problem] = []
        self.error: BaseException | None = None
        self.anchored = False

    def run(self, events: Iterator[Any]) -> Any:
        if not isinstance(next(events), yaml.StreamStartEvent):
            raise Unusual("no stream start")
        if isinstance(next(events), yaml.StreamEndEvent):
            return None  # no document: PyYAML's loader gives None too
        found = self.found
        error: BaseException | None = None
        stack: list[_Open] = []
        resolve, construct = self.loader.resolve, self.loader.construct_object
        implicit_first = self.loader.yaml_implicit_resolvers
        for event in events:
            kind = type(event)
            top = stack[-1] if stack else None
            skip = error is not None or (top is not None and top.skip_value)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    self.anchored = True
                value: Any = None
                tag = event.tag
                if not skip:
                    if tag is None and (not event.implicit[0] or event.value[:1] not in implicit_first):
                        tag = _STR_TAG  # as resolve(): no implicit resolver for this first character, no path resolvers
                    elif tag in _DEFAULT_TAGS:
                        tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                    if top is not None and top.is_map and top.key is _NO_KEY and tag in _KEY_TAGS_TO_FLATTEN:
                        raise Unusual("merge key")
                    if tag == _STR_TAG:
                        value = event.value
                    else:
                        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                        try:
                            value = construct(node, deep=True)
                        except READ_ERRORS as exc:
                            error = self.error = exc
                line = event.start_mark.line + 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                is_map = kind is yaml.MappingStartEvent
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise Unusual("collection tag")
                if top is not None and top.is_map and top.key is _NO_KEY:
                    raise Unusual("collection as a key")
                if len(stack) >= self.max_depth:
                    raise Unusual("deep nesting")
                if event.anchor is not None:
                    self.anchored = True
                container: Any
                if is_map:
                    container = LineDict()
                    container.key_lines = {}
                else:
                    container = LineList()
                    container.item_lines = []
                container.line = event.start_mark.line + 1
                stack.append(_Open(container, skip))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                value, line = done.container, done.container.line
                top = stack[-1] if stack else None
            else:
                raise Unusual(kind.__name__)  # an alias (not bounded: no '*' in the text, so never), a document
            if top is None:
                if not isinstance(next(events), yaml.DocumentEndEvent) or not isinstance(next(events), yaml.StreamEndEvent):
                    raise Unusual("several documents")
                return value
            if not top.is_map:
                if not top.skip:
                    top.container.append(value)
                    top.container.item_lines.append(line)
            elif top.key is _NO_KEY:
                key = value if isinstance(value, str) else str(value)
                top.key, top.key_line, top.skip_value = key, line, top.skip
                if not top.skip and key in top.container:
                    top.skip_value = True
                    if error is None:
                        first = top.container.key_lines[key]
                        found.append(Problem("", line, key, f"duplicate key '{key}' (first on line {first})"))
            else:
                if not top.skip_value:
                    top.container[top.key] = value
                    top.container.key_lines[top.key] = top.key_line
                top.key, top.skip_value = _NO_KEY, top.skip
        raise Unusual("no document end")
