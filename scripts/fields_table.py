"""Print README's table of the rule tables: one row per YAML file, what a row is, and the keys a row may hold.

    python scripts/fields_table.py

Both columns come from the row dataclasses (checker/model.py): the docstring's first line and yaml_keys. A test
(tests/core/test_fields_table.py) fails when README.md's table differs from this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.model import yaml_keys  # noqa: E402 - after the path to this clone's checker/
from checker.tables import ROW_TYPES, TABLE_FILES  # noqa: E402


def fields_table() -> str:
    """The markdown table, one row per table file in loading order."""
    lines = ["| file | a row is | fields |", "| --- | --- | --- |"]
    for table, row_type in ROW_TYPES.items():
        summary = (row_type.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        keys = ", ".join(f"`{key}`" for key in yaml_keys(row_type))
        lines.append(f"| `{TABLE_FILES[table]}` | {summary} | {keys} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(fields_table(), end="")
