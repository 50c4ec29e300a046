"""Mutated copies of the real rule tables, for fuzzing the loader.

`build_small_rules` cuts the shipped rules down to a small subset that is closed under references (a few
types with some of their links, and every row those point at), so one load takes milliseconds and a
thousand cases fit in a unit test. `generate_cases` then makes deterministic cases, each changing ONE
table file of that subset in one hostile way.
"""

from __future__ import annotations

import copy
import random
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checker.tables import TABLE_FILES

SMALL_TYPES = ("small-intestine-net", "insulinoma", "pheochromocytoma")
LINKS_PER_TYPE = 4
MIMICS_KEPT = 2
RED_FLAGS_KEPT = 2
MANIFEST = "manifest.yaml"
TABLES = (*TABLE_FILES.values(), MANIFEST)
"""Every YAML file the loader reads, cases.yaml (optional, absent from the shipped rules) included."""

ONE_MB = 1_000_000


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def _at(data: Any, path: Sequence[Any]) -> Any:
    """The value at a path of keys and indexes inside parsed YAML."""
    for step in path:
        data = data[step]
    return data


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)


def _source_ids(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("source"), str):
            yield value["source"]
        for item in value.values():
            yield from _source_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _source_ids(item)


def _orpha_codes(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "orpha" and isinstance(item, str):
                yield item
            elif key == "orpha" and isinstance(item, list):
                yield from (code for code in item if isinstance(code, str))
            else:
                yield from _orpha_codes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _orpha_codes(item)


def build_small_rules(src: Path, dst: Path) -> None:
    """Write to `dst` a small rules folder cut from `src`: SMALL_TYPES and everything they reference."""
    tables = {name: _read(src / TABLE_FILES[name]) or [] for name in TABLE_FILES if (src / TABLE_FILES[name]).exists()}
    keep_types = set(SMALL_TYPES)
    types = [row for row in tables["types"] if row["id"] in keep_types]
    links: list[dict[str, Any]] = []
    for type_id in SMALL_TYPES:  # every link: the site finding and each Orphanet row must stay accounted for
        links += [row for row in tables["links"] if row["type"] == type_id]
    rejected = [row for row in tables.get("rejected", []) if row["type"] in keep_types]
    groups = [row for row in tables.get("type_groups", []) if any(t.get("parent") == row["id"] for t in types)]
    syndromes = []
    for row in tables["hormone_syndromes"]:
        kept = [t for t in row["types"] if t in keep_types]
        if kept:
            syndromes.append({**row, "types": kept})
    syndrome_ids = {row["id"] for row in syndromes}
    for row in types:
        row["syndromes"] = [s for s in row.get("syndromes") or [] if s in syndrome_ids]
    hereditary = []
    for row in tables["hereditary"]:
        raises = [item for item in row["raises"] if item["type"] in keep_types]
        if raises:
            hereditary.append({**row, "raises": raises})
    kept_syndromes = {row["id"] for row in hereditary}
    rejected = [{k: v for k, v in row.items() if k != "moved_to" or v in kept_syndromes} for row in rejected]
    mimics = [
        {**row, "syndromes": [s for s in row.get("syndromes") or [] if s in syndrome_ids]}
        for row in tables["mimics"][:MIMICS_KEPT]
    ]
    red_flags = tables["red_flags"][:RED_FLAGS_KEPT]
    needed = {row["symptom"] for row in links}
    for row in syndromes:
        needed |= set(row["findings"])
    for row in mimics:
        needed |= {item["symptom"] for item in row["links"]}
    for row in hereditary:
        needed |= {item["symptom"] for item in row.get("features") or []}
    needed |= {row["site_finding"] for row in types if row.get("site_finding")}
    needed |= {s for row in types for hallmark in row.get("hallmarks") or [] for s in hallmark["findings"]}
    for row in red_flags:
        needed |= set(row.get("when_any") or []) | set(row.get("when_all") or [])
    by_id = {row["id"]: row for row in tables["symptoms"]}
    for symptom in list(needed):
        parent = by_id[symptom].get("refines")
        while parent and parent not in needed:
            needed.add(parent)
            parent = by_id[parent].get("refines")
    symptoms = [row for row in tables["symptoms"] if row["id"] in needed]
    facts_needed = {f for row in types for f in (row.get("tests") or []) + (row.get("treatments") or [])}
    education = [row for row in tables["education"] if row["id"] in facts_needed]
    small = {
        "types": types,
        "links": links,
        "hormone_syndromes": syndromes,
        "hereditary": hereditary,
        "mimics": mimics,
        "red_flags": red_flags,
        "symptoms": symptoms,
        "education": education,
        "rejected": rejected,
        "type_groups": groups,
        "population": tables["population"],
    }
    cited = set(_source_ids(list(small.values())))
    small["sources"] = [row for row in tables["sources"] if row["id"] in cited]
    dst.mkdir(parents=True, exist_ok=True)
    for name, rows in small.items():
        (dst / TABLE_FILES[name]).write_text(_dump(rows), encoding="utf-8")
    shutil.copyfile(src / MANIFEST, dst / MANIFEST)
    _write_small_snapshot(src / "snapshot", dst / "snapshot", symptoms, set(_orpha_codes(list(small.values()))))


def _write_small_snapshot(src: Path, dst: Path, symptoms: list[dict[str, Any]], orpha: set[str]) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "meta.json", dst / "meta.json")
    terms = {row["hpo"] for row in symptoms if row.get("hpo")}
    terms |= {item["id"] for row in symptoms for item in row.get("also_hpo") or []}
    for name, keep_column, keep in (("hpo_terms.tsv", 0, terms), ("orphanet_annotations.tsv", 0, orpha)):
        lines = (src / name).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [lines[0]] + [line for line in lines[1:] if line.split("\t")[keep_column] in keep]
        (dst / name).write_text("".join(kept), encoding="utf-8")


# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One fuzz case: the table file it changes and what that file becomes."""

    id: str
    table: str
    content: bytes | None
    """New file bytes; None deletes the file."""
    make_dir: bool = False
    """Replace the file with a directory of the same name."""


ODD_UNICODE = (
    "\u202e",
    "\u202d",
    "\u200f",
    "\u061c",  # bidi overrides and marks (RTL)
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",  # zero-width
    "\u0301\u0301\u0301",
    "Z\u0351\u0352\u0357\u035b",  # stacked combining marks
    "\U0001f9ec",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji and a ZWJ sequence
    "\u0430\u0435\u043e",  # Cyrillic look-alikes of a, e, o
    "\uff21\uff22",  # full-width letters
    "\u2028",
    "\u2029",
    "\x85",  # line and paragraph separators, NEL
    "\ufffd",
    "\ufffe",
    "\U0010ffff",  # replacement and non-characters
    "\x1b[31m",
    "\x7f",  # terminal escape, DEL
)
ESCAPED_SCALARS = (
    r'"\ud800"',
    r'"\udfff x"',
    r'"\ud83d\ude00"',
    r'"a\0b"',
    r'"\x00"',
    r'"\u202eevil"',
    r'"\U0010FFFF"',
    r'"\e\a\b"',
    r'"\N\_\L\P"',
    r'"\uDBFF\uDFFF"',
)
TAGGED_SCALARS = (
    '!!python/object/apply:os.system ["true"]',
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!custom value",
    "!!timestamp 2001-12-14",
    "!!float nan",
    "!!int 0x1F",
    "!!null",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "!!bool yes",
    "!!str",
    "!<tag:yaml.org,2002:str> x",
    "!!map {}",
    "!!seq []",
)
WEIRD_VALUES = (
    "~",
    "null",
    "[]",
    "{}",
    "''",
    '""',
    "yes",
    "no",
    "on",
    "0",
    "-0",
    "1e999",
    "-.inf",
    ".nan",
    "0o777",
    "0b101",
    "12:30:00",
    "2026-11-22",
    "2026-11-22T10:00:00Z",
    "? a",
    "- - -",
    "|",
    ">-",
    "@x",
    "`x`",
    "%x",
    "&anchor x",
    "'it''s'",
    '"\\"',
    "{a: [b, {c: d}]}",
    "[a, [b, [c]]]",
    "key: value: more",
    "#not-a-comment",
    "x #comment",
)
BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    )
    + "\n"
)


def _plain(value: Any) -> Any:
    return copy.deepcopy(value)


def _walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _set(root: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    target = root
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return root


def _random_value(rng: random.Random, like: Any) -> Any:
    choices: list[Any] = [
        None,
        True,
        0,
        -1,
        2**63,
        3.5,
        float("inf"),
        "",
        " ",
        "text",
        ["a", "b"],
        [],
        {},
        {"id": "x"},
        [{"source": "seed-000"}],
        [[[]]],
        {"nested": {"deeper": [1, 2]}},
        ["x"] * 50,
    ]
    if isinstance(like, str):
        choices += [[like], {like[:20]: like}, len(like), like.upper(), like + " "]
    elif isinstance(like, list):
        choices += [", ".join(map(str, like)), like * 2, like[:1], {str(i): v for i, v in enumerate(like)}]
    elif isinstance(like, dict):
        choices += [list(like.values()), list(like), str(like)]
    return rng.choice(choices)


def _lines_with_keys(text: str) -> list[int]:
    out = []
    for index, line in enumerate(text.splitlines()):
        stripped = line.lstrip(" -")
        if ":" in stripped and not stripped.startswith("#") and stripped.split(":", 1)[0].replace("_", "").isalnum():
            out.append(index)
    return out


class _Mutator:
    def __init__(self, base: dict[str, bytes], rng: random.Random) -> None:
        self.base = base
        self.rng = rng

    def data(self, table: str) -> Any:
        raw = self.base.get(table)
        return yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader) if raw else None

    def text(self, table: str) -> str:
        raw = self.base.get(table)
        return raw.decode("utf-8") if raw else ""

    def pick_path(self, data: Any, want: type | tuple[type, ...] | None = None, min_depth: int = 1) -> tuple:
        paths = [p for p, v in _walk(data) if len(p) >= min_depth and (want is None or isinstance(v, want))]
        return self.rng.choice(paths) if paths else ()

    def value_line(self, text: str) -> tuple[list[str], int]:
        lines = text.splitlines()
        keyed = _lines_with_keys(text)
        return lines, (self.rng.choice(keyed) if keyed else 0)

    def replace_value(self, text: str, new: str) -> str:
        """Replace the value of one random `key: value` line with `new` (text-level)."""
        lines, index = self.value_line(text)
        if not lines:
            return new + "\n"
        line = lines[index]
        head = line.split(":", 1)[0] if ":" in line else line
        lines[index] = f"{head}: {new}"
        return "\n".join(lines) + "\n"

    # structural mutations ------------------------------------------------
    def delete_key(self, table: str) -> str:
        data = self.data(table)
        path = self.pick_path(data, dict, min_depth=0)
        target = _at(data, path)
        if isinstance(target, dict) and target:
            del target[self.rng.choice(list(target))]
        return _dump(data)

    def retype(self, table: str) -> str:
        data = self.data(table)
        path = self.pick_path(data)
        if not path:
            return _dump(_random_value(self.rng, data))
        target = _at(data, path)
        return _dump(_set(data, path, _random_value(self.rng, target)))

    def unicode_value(self, table: str) -> str:
        data = self.data(table)
        path = self.pick_path(data, str)
        if not path:
            return _dump(data)
        target = _at(data, path)
        odd = "".join(self.rng.choice(ODD_UNICODE) for _ in range(self.rng.randint(1, 4)))
        where = self.rng.randint(0, len(target))
        return _dump(_set(data, path, target[:where] + odd + target[where:]))

    def unicode_key(self, table: str) -> str:
        data = self.data(table)
        path = self.pick_path(data, dict, min_depth=0)
        target = _at(data, path)
        if isinstance(target, dict) and target:
            key = self.rng.choice(list(target))
            target[self.rng.choice(ODD_UNICODE) + key] = target.pop(key)
        return _dump(data)

    def huge_string(self, table: str) -> str:
        data = self.data(table)
        path = self.pick_path(data, str)
        filler = self.rng.choice(["x", "\u202e", "<script>", "\u00e9", "ab "]) * ONE_MB
        return _dump(_set(data, path, filler[:ONE_MB]) if path else filler[:ONE_MB])

    def odd_row_id(self, table: str) -> str:
        data = self.data(table)
        if not isinstance(data, list) or not data:
            return _dump([{"id": 1}])
        row = copy.deepcopy(self.rng.choice(data))
        if isinstance(row, dict):
            row["id"] = self.rng.choice(
                [
                    7,
                    3.25,
                    -1,
                    0,
                    True,
                    None,
                    "",
                    "  spaced  ",
                    "UPPER-case",
                    "two  words",
                    "a--b",
                    "-lead",
                    row.get("id"),
                    "\u0430ppendix-net",
                    "x" * 5000,
                    ["list"],
                    {"id": "nested"},
                    "123",
                ]
            )
        data.insert(self.rng.randint(0, len(data)), row)
        return _dump(data)

    def delete_row(self, table: str) -> str:
        data = self.data(table)
        if isinstance(data, list) and data:
            del data[self.rng.randrange(len(data))]
        return _dump(data)

    def shuffle_rows(self, table: str) -> str:
        data = self.data(table)
        if isinstance(data, list):
            self.rng.shuffle(data)
        return _dump(data)

    def many_rows(self, table: str) -> str:
        data = self.data(table)
        if isinstance(data, list) and data:
            data = data + [copy.deepcopy(self.rng.choice(data)) for _ in range(self.rng.choice([20, 100, 200]))]
        return _dump(data)

    def swap_values(self, table: str) -> str:
        data = self.data(table)
        first, second = self.pick_path(data), self.pick_path(data)
        if first and second:
            a, b = data, data
            for step in first:
                a = a[step]
            for step in second:
                b = b[step]
            a, b = copy.deepcopy(a), copy.deepcopy(b)
            try:
                _set(data, first, b)
                _set(data, second, a)
            except (KeyError, IndexError, TypeError):
                pass
        return _dump(data)

    def whole_document(self, table: str) -> str:
        return self.rng.choice(
            [
                "",
                "\n",
                "# only a comment\n",
                "null\n",
                "~\n",
                "42\n",
                "text\n",
                "{}\n",
                "[]\n",
                "{id: x}\n",
                "- just a string\n",
                "- 1\n- 2\n",
                "- [a, b]\n",
                "- null\n",
                "---\n---\n",
                "--- []\n--- []\n",
                "%YAML 1.1\n--- []\n",
                "%YAML 2.0\n--- []\n",
                "%TAG ! tag:example.com,2000:\n--- !foo []\n",
                "...\n",
                "- {\n",
                "- [\n",
                "'unterminated\n",
                '"unterminated\n',
                "- id: a\n id: b\n",
            ]
        )

    # text-level mutations ------------------------------------------------
    def duplicate_key(self, table: str) -> str:
        lines, index = self.value_line(self.text(table))
        if not lines:
            return "- id: a\n  id: b\n"
        line = lines[index]
        copy_line = line.replace("- ", "  ", 1) if line.lstrip().startswith("- ") else line
        lines.insert(index + 1, copy_line)
        return "\n".join(lines) + "\n"

    def alias(self, table: str) -> str:
        choice = self.rng.randrange(4)
        if choice == 0:
            return BILLION_LAUGHS
        if choice == 1:
            return self.text(table) + "- &row {id: anchored}\n- *row\n"
        if choice == 2:
            return "- id: x\n  <<: &base {name: n}\n- id: y\n  <<: *base\n"
        return self.replace_value(self.text(table), "&only-an-anchor value")

    def deep_nesting(self, table: str) -> str:
        depth = self.rng.choice([50, 500, 990, 1500, 5000, 20000])
        style = self.rng.randrange(3)
        if style == 0:
            nested = "[" * depth + "]" * depth
        elif style == 1:
            nested = "{a: " * depth + "1" + "}" * depth
        else:
            levels = min(depth, 1100)
            nested = "\n" + "".join(" " * (10 + 2 * i) + "k:\n" for i in range(levels)) + " " * (10 + 2 * levels) + "v"
        return self.replace_value(self.text(table), nested)

    def escaped_scalar(self, table: str) -> str:
        return self.replace_value(self.text(table), self.rng.choice(ESCAPED_SCALARS))

    def tagged_scalar(self, table: str) -> str:
        return self.replace_value(self.text(table), self.rng.choice(TAGGED_SCALARS))

    def weird_value(self, table: str) -> str:
        return self.replace_value(self.text(table), self.rng.choice(WEIRD_VALUES))

    def huge_number(self, table: str) -> str:
        digits = self.rng.choice([4200, 4301, 5000, 20000])
        value = self.rng.choice(["7" * digits, "-" + "9" * digits, "0x" + "f" * digits, "1" + "0" * digits + ".5"])
        return self.replace_value(self.text(table), value)

    def tabs(self, table: str) -> str:
        lines = self.text(table).splitlines()
        for _ in range(self.rng.randint(1, 5)):
            if not lines:
                break
            index = self.rng.randrange(len(lines))
            line = lines[index]
            stripped = line.lstrip(" ")
            if self.rng.random() < 0.5:
                lines[index] = "\t" * max(1, (len(line) - len(stripped)) // 2) + stripped
            else:
                lines[index] = line.replace(": ", ":\t", 1)
        return "\n".join(lines) + "\n"

    def complex_key(self, table: str) -> str:
        return self.text(table) + self.rng.choice(
            [
                "- ? [a, b]\n  : c\n",
                "- ? {a: b}\n  : c\n",
                "- {[x]: y}\n",
                "- ? |\n    block key\n  : v\n",
                "- {1: a, 2.5: b, null: c, true: d}\n",
            ]
        )

    def long_line(self, table: str) -> str:
        return self.text(table) + "- " + "k" * self.rng.choice([10_000, 100_000]) + ": v\n"

    def mixed_newlines(self, table: str) -> str:
        text = self.text(table)
        return self.rng.choice(
            [
                text.replace("\n", "\r\n"),
                text.replace("\n", "\r"),
                "\ufeff" + text,
                text.replace("\n", "\u2028"),
                text.replace("\n", "\x85"),
            ]
        )

    def control_chars(self, table: str) -> str:
        text = self.text(table)
        where = self.rng.randint(0, len(text))
        bad = self.rng.choice(["\x00", "\x01", "\x07", "\x1b", "\x0b", "\x0c", "\ud800", "\x00" * 100])
        return text[:where] + bad + text[where:]

    def surrogate_bytes(self, table: str) -> bytes:
        raw = self.base.get(table) or b""
        where = self.rng.randint(0, len(raw))
        return raw[:where] + self.rng.choice([b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"\xf4\x90\x80\x80"]) + raw[where:]

    def binary_garbage(self, table: str) -> bytes:
        raw = self.base.get(table) or b""
        garbage = bytes(self.rng.randrange(256) for _ in range(self.rng.choice([1, 16, 256, 4096])))
        if self.rng.random() < 0.3:
            return garbage
        where = self.rng.randint(0, len(raw))
        return raw[:where] + garbage + raw[where:]

    def truncate(self, table: str) -> bytes:
        raw = self.base.get(table) or b""
        return raw[: self.rng.randint(0, max(len(raw) - 1, 0))]

    def oversize(self, table: str) -> bytes:
        return b"# " + b"x" * 5_000_100 + b"\n"


# (mutation, number of cases); about 1,050 in all.
QUOTAS: tuple[tuple[str, int], ...] = (
    ("delete_key", 120),
    ("retype", 160),
    ("unicode_value", 60),
    ("unicode_key", 30),
    ("huge_string", 6),
    ("odd_row_id", 90),
    ("delete_row", 40),
    ("shuffle_rows", 15),
    ("many_rows", 10),
    ("swap_values", 50),
    ("whole_document", 30),
    ("duplicate_key", 60),
    ("alias", 30),
    ("deep_nesting", 30),
    ("escaped_scalar", 40),
    ("tagged_scalar", 40),
    ("weird_value", 60),
    ("huge_number", 20),
    ("tabs", 40),
    ("complex_key", 20),
    ("long_line", 6),
    ("mixed_newlines", 20),
    ("control_chars", 30),
    ("surrogate_bytes", 15),
    ("binary_garbage", 40),
    ("truncate", 60),
    ("oversize", 2),
    ("delete_file", 11),
    ("make_dir", 11),
)
EXPENSIVE_TABLES_FOR = {"huge_string", "long_line", "many_rows"}


def generate_cases(base_dir: Path, seed: int = 20261122) -> list[Case]:
    """Deterministic cases; each mutates one table file of `base_dir` (missing files start empty)."""
    base = {name: (base_dir / name).read_bytes() for name in TABLES if (base_dir / name).exists()}
    rng = random.Random(seed)
    mutator = _Mutator(base, rng)
    cases: list[Case] = []
    for mutation, count in QUOTAS:
        for number in range(count):
            table = TABLES[number % len(TABLES)] if count >= len(TABLES) else rng.choice(TABLES)
            case_id = f"{mutation}-{number:03d}-{table}"
            if mutation == "delete_file":
                cases.append(Case(case_id, table, None))
                continue
            if mutation == "make_dir":
                cases.append(Case(case_id, table, b"", make_dir=True))
                continue
            produced = getattr(mutator, mutation)(table)
            content = produced if isinstance(produced, bytes) else produced.encode("utf-8", "surrogatepass")
            cases.append(Case(case_id, table, content))
    return cases
