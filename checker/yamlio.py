"""Safe YAML reading that remembers line numbers and refuses duplicate keys and aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from checker.errors import Problem

MAX_TABLE_BYTES = 5_000_000


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


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about 10x faster), else the pure-Python one."""


def _first_alias_line(text: str) -> int:
    """Line of the first alias (*name) in the document, or 0; aliases allow 'billion laughs' bombs."""
    if "*" not in text:
        return 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return 0


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    def __init__(self, stream: str, problems: list[Problem], path: str) -> None:
        super().__init__(stream)
        self.problems = problems
        self.path = path

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


def read_yaml(path: Path, label: str, problems: list[Problem]) -> Any:
    """Parse one YAML file; on failure record a Problem (with line) and return None."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, 0, "file", f"cannot read: {exc.strerror or exc}"))
        return None
    if len(raw) > MAX_TABLE_BYTES:
        problems.append(Problem(label, 0, "file", f"file is {len(raw)} bytes; the limit is {MAX_TABLE_BYTES}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, 0, "file", f"not valid UTF-8 (byte {exc.start})"))
        return None
    try:
        alias_line = _first_alias_line(text)
    except yaml.MarkedYAMLError:
        alias_line = 0  # the full parse below reports the syntax error with its line
    except yaml.YAMLError as exc:
        problems.append(Problem(label, 0, "yaml", str(exc).strip().splitlines()[0]))
        return None
    if alias_line:
        problems.append(Problem(label, alias_line, "yaml", "aliases (*name) are not allowed in rule tables"))
        return None
    loader = _Loader(text, problems, label)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(Problem(label, line, "yaml", (exc.problem or str(exc)).strip()))
    except yaml.YAMLError as exc:
        problems.append(Problem(label, 0, "yaml", str(exc).strip().splitlines()[0]))
    except RecursionError:
        problems.append(Problem(label, 0, "yaml", "nesting is too deep"))
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        problems.append(Problem(label, 0, "yaml", f"value cannot be read: {str(exc).splitlines()[0][:200]}"))
    finally:
        loader.dispose()
    return None
