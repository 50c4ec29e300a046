"""The benchmark package's own arithmetic and knowledge-base builders (fast; no browser, no pyhpo Ontology)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.stats import Figure, figure_from, markdown_table, percentile, ratio_figure, write_json
from benchmarks.synthetic import _frequency_class, synthetic_kb
from checker import Query, rank

ROOT = Path(__file__).resolve().parents[2]


def test_percentile_interpolates_and_handles_edges() -> None:
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([7], 95) == 7
    assert math.isnan(percentile([], 50))


def test_figures_judge_targets_and_ratios() -> None:
    fast = figure_from("a", "A", [0.001] * 9 + [0.002], "ms", target="< 1.5 ms", limit=1.5).judge()
    slow = figure_from("b", "B", [0.004] * 10, "ms")
    assert fast.median == pytest.approx(1.0) and fast.met is True
    ratio = ratio_figure("r", "A / B", fast, slow, target="<= 0.5x", limit=0.5).judge()
    assert ratio.median == pytest.approx(0.25) and ratio.met is True
    p95 = Figure("p", "P", "ms", 10, 2000, 5, limit=1500).judge(2000)
    assert p95.met is False
    table = markdown_table([fast, ratio, p95])
    assert table.splitlines()[0] == "| Figure | Median | p95 | Target | Met? |"
    assert "**no**" in table and "0.25x" in table


def test_json_has_no_nan(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    write_json(out, [Figure("n", "N", "ms", math.nan, math.inf, 0)], {"quick": True})
    data = json.loads(out.read_text())
    assert data["figures"][0]["median"] is None and data["machine"]["cpus"]


@pytest.mark.parametrize(
    ("raw", "qualifier", "expected"),
    [
        ("HP:0040280", "", "obligate"),
        ("HP:0040283", "", "occasional"),
        ("", "NOT", "excluded"),
        ("3/4", "", "frequent"),
        ("9/10", "", "very frequent"),
        ("100%", "", "obligate"),
        ("2%", "", "very rare"),
        ("0/5", "", "excluded"),
        ("", "", "frequent"),
        ("x/0", "", "frequent"),
    ],
)
def test_orphanet_frequency_classes(raw: str, qualifier: str, expected: str) -> None:
    assert _frequency_class(raw, qualifier) == expected


def test_synthetic_kb_ranks_with_refines_chains() -> None:
    kb = synthetic_kb(n_types=10, n_symptoms=50, links_per_type=8, seed=1)
    assert len(kb.types) == 10 and len(kb.links) == 80
    assert any(s.refines for s in kb.symptoms.values())
    result = rank(kb, Query(present=tuple(list(kb.symptoms)[:5])))
    assert len(result.candidates) == 10


def test_cli_help_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--replicas" in out.stdout and "--quick" in out.stdout


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_capacity_driver_clicks_the_current_checker_page() -> None:
    """The protocol-level load driver chooses the body system, and each click ticks or unticks a finding there."""
    import asyncio
    import subprocess

    from benchmarks.capacity import Session
    from benchmarks.servers import HOST, free_port, stop_group, streamlit_command, wait_healthy

    port = free_port()
    proc = subprocess.Popen(
        streamlit_command(ROOT / "app.py", port),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://{HOST}:{port}"
        wait_healthy(url, proc)

        async def drive() -> list[float]:
            session = Session(url, "symptoms=abdominal-pain")
            times = [await session.open()]
            assert session.shown_ticked == ["Abdominal (belly) pain"]
            times += [await session.click("fatigue"), await session.click("weight-loss")]
            assert session.shown_ticked == [
                "Abdominal (belly) pain",
                "Tiredness that does not go away",
                "Unexplained weight loss",
            ]
            times.append(await session.click("fatigue"))  # a second click unticks
            assert session.shown_ticked == ["Abdominal (belly) pain", "Unexplained weight loss"]
            await session.close()
            return times

        assert all(t > 0 for t in asyncio.run(drive()))
    finally:
        stop_group(proc)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_live_class_driver_runs_a_small_class_on_the_current_pages() -> None:
    """The live-class benchmark's protocol driver still finds the pages' widgets and texts: a class of 4 through one
    step gives one step and one answer sample per student, and no errors."""
    from benchmarks import live_bench

    figures, info = live_bench.run(quick=True, log=lambda _: None, students_n=4, steps=1, quiet_s=3.0)
    by_key = {f.key: f for f in figures}
    assert set(by_key) == {"live_step_p95_s", "live_answer_p95_s", "live_poll_cpu_ms"}
    assert info["errors"] == 0
    assert by_key["live_step_p95_s"].samples == 4 and by_key["live_answer_p95_s"].samples == 4
    assert 0 < by_key["live_step_p95_s"].p95 < 30 and 0 < by_key["live_poll_cpu_ms"].median < 1000
