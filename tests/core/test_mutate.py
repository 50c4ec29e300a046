"""scripts/mutate.py: the mutant generator gives exactly the documented mutants of a tiny source."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mutate.py"
SOURCE = """def f(x: int = 3) -> str:
    if x < 2 and not x:
        return md_escape(f"{x + 1}")
    return "none"


def g(y):
    return y is None
"""


def _mutate():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mutate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_each_mutation_point_of_a_tiny_source() -> None:
    """Annotations and f-string contents stay as they are; an untyped function's return is not mutated."""
    found = [(m.line, m.kind, m.before, m.after) for m in _mutate().mutants(SOURCE, "tiny.py")]
    assert found == [
        (1, "number", "3", "4"),
        (2, "comparison", "x < 2", "(x <= 2)"),
        (2, "boolean", "x < 2 and not x", "(x < 2 or not x)"),
        (2, "if negated", "x < 2 and not x", "not (x < 2 and not x)"),
        (2, "number", "2", "3"),
        (2, "not dropped", "not x", "(x)"),
        (3, "return None", 'return md_escape(f"{x + 1}")', "return None"),
        (3, "escape dropped", 'md_escape(f"{x + 1}")', '(f"{x + 1}")'),
        (4, "return None", 'return "none"', "return None"),
        (8, "comparison", "y is None", "(y is not None)"),
    ]


def test_a_mutant_changes_only_its_own_span() -> None:
    mutate = _mutate()
    escape = next(m for m in mutate.mutants(SOURCE) if m.kind == "escape dropped")
    assert mutate.apply(SOURCE, escape).splitlines()[2] == '        return (f"{x + 1}")'
    assert mutate.apply(SOURCE, escape).replace('(f"{x + 1}")', 'md_escape(f"{x + 1}")') == SOURCE
    assert mutate.tests_for("checker/scoring/ranking.py")[0] == "tests/core/test_tiny_kb.py"
    assert mutate.tests_for("checker/model.py")[0] == "tests/core/test_loader_messages.py"
