"""Figures (median, p95, target, met?) and how they are printed as a table and written as JSON."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def time_call(fn: Callable[[], Any]) -> float:
    """Seconds one call of fn takes (perf_counter)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Figure:
    """One measured figure. `median`/`p95` are in `unit`; `limit` is the target (same unit or a ratio)."""

    key: str
    label: str
    unit: str
    median: float
    p95: float
    samples: int
    target: str = ""
    limit: float | None = None
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def judge(self, value: float | None = None) -> Figure:
        """Set `met` by comparing `value` (default the median) with `limit` (lower is better)."""
        if self.limit is not None:
            checked = self.median if value is None else value
            self.met = bool(checked <= self.limit) if not math.isnan(checked) else False
        return self


def figure_from(key: str, label: str, seconds: Sequence[float], unit: str = "ms", **kwargs: Any) -> Figure:
    """A Figure from raw durations in seconds, shown in `unit` (ms or s)."""
    scale = {"ms": 1000.0, "s": 1.0, "us": 1e6}[unit]
    values = [v * scale for v in seconds]
    return Figure(key, label, unit, median(values), percentile(values, 95), len(values), **kwargs)


def ratio_figure(key: str, label: str, numerator: Figure, denominator: Figure, **kwargs: Any) -> Figure:
    """Median and p95 ratios of two figures measured side by side in the same run."""
    med = numerator.median / denominator.median if denominator.median else math.nan
    p95 = numerator.p95 / denominator.p95 if denominator.p95 else math.nan
    return Figure(key, label, "x", med, p95, min(numerator.samples, denominator.samples), **kwargs)


def machine_info() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in load],
    }


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if not unit:
        return f"{value:g}"
    if unit in ("ms", "us") and value < 1:
        return f"{value:.3f} {unit}"
    if value < 10:
        return f"{value:.2f} {unit}"
    return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def markdown_table(figures: Sequence[Figure]) -> str:
    """The README-ready table: figure, median, p95, target, met?"""
    rows = ["| Figure | Median | p95 | Target | Met? |", "| --- | ---: | ---: | --- | :---: |"]
    for fig in figures:
        met = {True: "yes", False: "**no**", None: "-"}[fig.met]
        label = fig.label + (f" ({fig.note})" if fig.note else "")
        rows.append(f"| {label} | {_fmt(fig.median, fig.unit)} | {_fmt(fig.p95, fig.unit)} | {fig.target or '-'} | {met} |")
    return "\n".join(rows)


def write_json(path: Path, figures: Sequence[Figure], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)

    def clean(value: Any) -> Any:
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    payload = {**meta, "machine": machine_info(), "figures": [clean(asdict(f)) for f in figures]}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
