"""AppTest: the Checker page, its shareable links and exports, and the broken-tables page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from app_helpers import ROOT, card_titles, link_notices, param, plain, run, texts, walk
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, Query, load_knowledge, rank
from checker.notice import BASE_RATE_NOTE
from checker.wording import GROUP_NAMES

KB = load_knowledge(ROOT / "rules")


def ticked(at: AppTest) -> list[str]:
    """The ticked findings, as the 'Ticked findings' box shows them."""
    return list(at.multiselect(key="ticked").value)


def open_group(at: AppTest, group: str):
    """Choose one body system (only its pills are drawn); returns its pills."""
    at.session_state["browse"] = group
    run(at)
    return at.pills(key=f"grp_{group}")


def test_first_run_shows_notice_form_and_prompt(app: AppTest) -> None:
    run(app)
    assert app.warning[0].value == DISCLAIMER
    assert app.text_input(key="search") is not None
    assert ticked(app) == []
    assert app.radio(key="functional").value == "unknown"
    assert app.selectbox(key="syndrome").value == ""
    assert any("Tick at least one finding" in i.value for i in app.info)
    assert card_titles(app) == []
    assert dict(app.query_params) == {}
    # the nine body systems as one row of pills; no finding's pill is drawn until a system is chosen
    assert [p.key for p in app.pills] == ["browse"]
    assert app.pills(key="browse").options == list(GROUP_NAMES.values())
    # steps 2 and 5 are closed and drawn only when opened (every element drawn slows a tick)
    assert [e.label for e in app.expander if e.label.startswith(("2", "5"))] == [
        "2\\. Anything ruled out? (optional)",
        "5\\. Age, sex and history (optional)",
    ]
    assert not [m for m in app.multiselect if m.key != "ticked"]
    app.session_state["open_absent"] = True
    run(app)
    assert app.multiselect(key="absent").value == []


def test_ticking_symptoms_changes_the_ranking(app: AppTest) -> None:
    run(app)
    open_group(app, "skin").select("sweating")
    run(app)
    first = card_titles(app)
    assert len(first) == 3
    assert ticked(app) == ["sweating"]
    open_group(app, "digestive").select("watery-diarrhea")
    run(app)
    open_group(app, "tests").select("low-potassium")
    run(app)
    second = card_titles(app)
    assert second != first
    assert "VIPoma" in second[0]
    assert param(app, "symptoms") == "low-potassium,sweating,watery-diarrhea"
    # the skin group still shows its tick; unticking there removes it again
    skin = open_group(app, "skin")
    assert skin.value == ["sweating"]
    skin.unselect("sweating")
    run(app)
    assert "sweating" not in param(app, "symptoms")
    assert "sweating" not in ticked(app)


def test_ticked_box_lists_only_the_ticked_findings_and_removes_them(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea"
    run(app)
    box = app.multiselect(key="ticked")
    assert box.label == "Ticked findings (remove with \u00d7)"
    assert box.options == ["Diarrhea", "Flushing: redness and warmth of the face or neck"]
    box.unselect("flushing")
    run(app)
    assert param(app, "symptoms") == "diarrhea"
    assert app.multiselect(key="ticked").options == ["Diarrhea"]


def test_results_have_cards_lines_mimics_and_base_rate(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea,wheezing"
    run(app)
    titles = card_titles(app)
    assert titles[0].startswith("1. Small intestine NET")
    assert len(titles) == 3
    body = texts(app)
    # a card in brief: strength and what it means, one line of why, what to ask next; the rest on demand
    result = rank(KB, Query(present=("flushing", "diarrhea", "wheezing")))
    top = result.candidates[0]
    why = "; ".join(
        f"{c.label} {c.points:+.1f}" for c in sorted((c for c in top.contributions if c.points > 0), key=lambda c: -c.points)[:3]
    )
    assert f"**Why:** {why}" in plain(body)
    asks = [p for p in app.get("button_group") if str(p.proto.id).endswith("ask_small-intestine-net")]
    assert len(asks) == 1 and "What to ask next" in asks[0].proto.label
    for hidden in ("Why it is listed", "Tests:", "Hormones:", "not a probability"):
        assert hidden not in body, hidden
    assert "Common conditions first" in [s.value for s in app.subheader]
    assert any(BASE_RATE_NOTE.split(":")[0] in c.value for c in app.caption)
    # two more types are one line each that opens on demand, with the rank in the label; the rest on demand
    lines = [plain(e.label) for e in app.expander if e.proto.id.endswith(tuple(f"more_{c.type.id}" for c in result.candidates))]
    assert [line[:3] for line in lines] == ["4. ", "5. "]
    pointed = [c for c in result.candidates if c.strength != "none"]
    others = next(e for e in app.expander if e.proto.id.endswith("other_types"))
    assert plain(others.label) == f"Show the other {len(pointed) - 5} types something points to"
    assert "Strong match" in body or "Moderate match" in body or "Weak match" in body
    # a card's details: the reasons with their sources, site, hormones, tests and treatments
    app.session_state["details_small-intestine-net"] = True
    run(app)
    body = texts(app)
    for shown in ("Why it is listed", "Tests:", "Treatments:", "Hormones:", "not a probability"):
        assert shown in body, shown
    assert any(e.label == "Sources behind these links" for e in app.expander)


def test_other_types_list_those_something_points_to_and_name_the_rest(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea,wheezing"
    run(app)
    app.session_state["other_types"] = True
    run(app)
    result = rank(KB, Query(present=("flushing", "diarrhea", "wheezing")))
    pointed = [c for c in result.candidates if c.strength != "none"]
    nothing = [c for c in result.candidates if c.strength == "none"]
    listing = next(plain(m.value) for m in app.markdown if plain(m.value).startswith("6. "))
    assert listing.splitlines()[0].startswith(
        f"6. {pointed[5].type.name}: {pointed[5].strength} match, score {pointed[5].score:+.1f}"
    )
    assert len(listing.splitlines()) == len(pointed) - 5
    named = next(plain(c.value) for c in app.caption if plain(c.value).startswith("Nothing reported points to"))
    assert named.startswith(f"Nothing reported points to {len(nothing)} types: {nothing[0].type.name}, ")


def test_other_types_open_on_demand(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea,wheezing"
    run(app)
    fourth = next(e for e in app.expander if plain(e.label).startswith("4. "))
    type_id = fourth.proto.id.rsplit("more_", 1)[-1]
    assert type_id in KB.types
    before = texts(app).count("Why it is listed")
    app.session_state[f"more_{type_id}"] = True
    run(app)
    assert texts(app).count("Why it is listed") == before + 1


def test_contributions_are_listed_biggest_first(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea,wheezing,weight-loss"
    run(app)
    app.session_state["details_small-intestine-net"] = True
    run(app)
    block = next(m.value for m in app.markdown if "**Why it is listed**" in m.value)
    for section in block.split("**")[2::2][:2]:  # "Why it is listed" and "Findings against"
        points = [float(line.split()[1]) for line in section.splitlines() if line.startswith("- ")]
        assert points == sorted(points, key=abs, reverse=True), section


def test_mimics_are_a_compact_list_with_tell_apart_on_demand(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea,wheezing"
    run(app)
    listing = next(m.value for m in app.markdown if m.value.startswith("1. **"))
    assert listing.count("\n") >= 1
    assert not any("Tell apart" in m.value for m in app.markdown)
    top = rank(KB, Query(present=("flushing", "diarrhea", "wheezing"))).mimics[0].mimic
    assert listing.startswith(f"1. **{top.name}**") or plain(listing).startswith(f"1. **{top.name}**")
    assert top.tell_apart[:40] not in texts(app)
    app.session_state["tell_apart"] = True
    run(app)
    assert top.tell_apart[:40] in texts(app)


def test_red_flags_appear_above_results(app: AppTest) -> None:
    app.query_params["symptoms"] = "low-blood-glucose,confusion"
    run(app)
    errors = [e.value for e in app.error]
    assert len(errors) >= 1
    assert all("seek medical care" in e.lower() for e in errors)
    flags = [f for f in KB.red_flags.values() if f.triggered_by(frozenset({"low-blood-glucose", "confusion"}))]
    assert len(errors) == len(flags)
    assert any(f.action[:30] in plain(e) for f in flags for e in errors if f.action)
    kinds = [(type(el).__name__, getattr(el, "value", None)) for el in walk(app.main)]
    first_flag = next(i for i, (kind, _) in enumerate(kinds) if kind == "Error")
    results = kinds.index(("Header", "Results"))
    first_card = next(i for i, el in enumerate(walk(app.main)) if str(getattr(el, "key", "")).startswith("card_"))
    assert first_flag < results < first_card


def test_no_red_flag_without_trigger(app: AppTest) -> None:
    app.query_params["symptoms"] = "sweating"
    run(app)
    assert not app.error


def test_shared_link_restores_form_and_results(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea"
    app.query_params["absent"] = "wheezing"
    app.query_params["functional"] = "functional"
    app.query_params["syndrome"] = "men1"
    run(app)
    assert sorted(ticked(app)) == ["diarrhea", "flushing"]
    assert "2\\. Anything ruled out? (optional): 1 ruled out" in [e.label for e in app.expander]
    app.session_state["open_absent"] = True
    run(app)
    assert app.multiselect(key="absent").value == ["wheezing"]
    assert app.radio(key="functional").value == "functional"
    assert app.selectbox(key="syndrome").value == "men1"
    assert card_titles(app)
    assert not link_notices(app)
    assert app.query_params["symptoms"] in ("diarrhea,flushing", ["diarrhea,flushing"])


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"symptoms": "sweating,not-a-symptom"}, "not-a-symptom"),
        ({"symptoms": "sweating", "functional": "maybe"}, "maybe"),
        ({"symptoms": "sweating", "syndrome": "men9"}, "men9"),
        ({"symptoms": "sweating", "absent": "<script>alert(1)</script>"}, "?script?alert"),
        ({"symptoms": "sweating", "colour": "red"}, "colour"),
        ({"symptoms": "sweating," + "x" * 20000}, "too long"),
    ],
)
def test_bad_params_are_dropped_with_a_notice(app: AppTest, params: dict[str, str], fragment: str) -> None:
    for key, value in params.items():
        app.query_params[key] = value
    run(app)
    notices = link_notices(app)
    assert notices, "expected a visible notice"
    assert any(fragment in n for n in notices), notices
    assert all("<script" not in n for n in notices)
    assert "sweating" in ticked(app)
    assert card_titles(app)
    # the address bar is rewritten without the bad parts
    assert set(app.query_params) <= {"symptoms"}


def test_notices_clear_after_a_change(app: AppTest) -> None:
    app.query_params["symptoms"] = "sweating,bogus"
    run(app)
    assert link_notices(app)
    open_group(app, "skin").select("flushing")
    run(app)
    assert not link_notices(app)


def test_search_by_lay_and_clinical_words(app: AppTest) -> None:
    run(app)
    app.text_input(key="search").input("sweaty")
    run(app)
    hits = app.pills(key="search_pick")
    assert hits.options[0].startswith("Sweating")
    hits.select("sweating")
    run(app)
    assert ticked(app) == ["sweating"]
    app.text_input(key="search").input("tummy ache")
    run(app)
    assert app.pills(key="search_pick").options[0].startswith(KB.symptoms["abdominal-pain"].label)
    # the body-system choice and the ticked box stay while searching
    assert ticked(app) == ["sweating"]
    assert app.pills(key="browse").options == list(GROUP_NAMES.values())
    app.text_input(key="search").input("hyperhidrosis")
    run(app)
    assert app.pills(key="search_pick").value == ["sweating"]
    app.pills(key="search_pick").unselect("sweating")
    run(app)
    assert ticked(app) == []
    app.text_input(key="search").input("zzzz-nothing")
    run(app)
    assert any("No finding matches" in i.value for i in app.info)


def test_ruled_out_moves_a_tick_and_changes_scores(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea"
    run(app)
    before = card_titles(app)
    app.session_state["open_absent"] = True
    run(app)
    app.multiselect(key="absent").select("wheezing").select("diarrhea")
    run(app)
    assert "diarrhea" not in ticked(app)
    assert app.query_params["absent"] in ("diarrhea,wheezing", ["diarrhea,wheezing"])
    assert card_titles(app) != before


def test_functional_and_syndrome_change_ranking(app: AppTest) -> None:
    app.query_params["symptoms"] = "diarrhea"
    run(app)
    before = card_titles(app)
    app.radio(key="functional").set_value("nonfunctional")
    app.selectbox(key="syndrome").set_value("men2")
    run(app)
    after = card_titles(app)
    assert after != before
    assert param(app, "functional") == "nonfunctional"
    assert param(app, "syndrome") == "men2"


def test_syndrome_alone_gives_results(app: AppTest) -> None:
    run(app)
    app.selectbox(key="syndrome").set_value("men2")
    run(app)
    titles = card_titles(app)
    assert titles and ("Medullary thyroid" in titles[0] or "Pheochromocytoma" in titles[0])


def test_clear_all_resets_everything(app: AppTest) -> None:
    app.query_params.update({"symptoms": "flushing", "absent": "wheezing", "functional": "functional", "syndrome": "men1"})
    app.session_state["open_absent"] = True
    run(app)
    app.text_input(key="search").input("flush")
    run(app)
    app.button(key="clear").click()
    run(app)
    assert ticked(app) == []
    assert app.multiselect(key="absent").value == []
    assert app.radio(key="functional").value == "unknown"
    assert app.selectbox(key="syndrome").value == ""
    assert app.text_input(key="search").value == ""
    assert card_titles(app) == []
    assert dict(app.query_params) == {}


def test_downloads_and_share_link(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea"
    run(app)
    buttons = app.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download handout (Markdown)", "Download results (CSV)"]
    # the files are generated when clicked (their contents are checked in the browser tests)
    assert all(b.proto.deferred_file_id for b in buttons)
    # the rendered share link names the query
    assert any("symptoms=diarrhea,flushing" in c.value for c in app.code)


def test_state_survives_a_page_switch(app: AppTest) -> None:
    run(app)
    open_group(app, "skin").select("flushing")
    run(app)
    app.switch_page("app_pages/about.py")
    run(app)
    app.switch_page("app_pages/checker.py")
    run(app)
    assert ticked(app) == ["flushing"]
    assert card_titles(app)


def test_broken_tables_show_a_problem_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", broken)
    links = broken / "links.yaml"
    text = links.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  frequency: .*$", "  frequency: sometimes", text, count=1)
    links.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NET_CHECKER_RULES", str(broken))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    run(at)
    assert at.warning[0].value == DISCLAIMER
    assert at.title[0].value == "The rule tables have problems"
    listing = "\n".join(c.value for c in at.code)
    assert "rules/links.yaml:" in listing
    assert "frequency: 'sometimes' is not one of" in listing
    assert not at.multiselect


def test_hormone_question_hint_appears_only_when_it_helps() -> None:
    from checker.wording import hormone_hint

    assert hormone_hint(KB, Query(present=("flushing", "diarrhea", "weight-loss", "fatigue"))) == (
        '4 of these findings can come from a hormone excess: answer step 3, "Hormone symptoms", so the checker '
        "knows how to read them."
    )
    assert hormone_hint(KB, Query(present=("flushing", "diarrhea"), functional="functional")) == ""
    assert hormone_hint(KB, Query(present=("flushing",))) == ""


def test_only_the_leading_look_alikes_show_until_asked(app: AppTest) -> None:
    from app_pages.results import LEADING_MIMICS

    app.query_params["symptoms"] = "flushing,diarrhea,abdominal-pain,palpitations"
    run(app)
    result = rank(KB, Query(present=("flushing", "diarrhea", "abdominal-pain", "palpitations")))
    assert LEADING_MIMICS == 3 and len(result.mimics) > 3
    listed = next(m.value for m in app.markdown if m.value.startswith("1. **"))
    assert [line[:3] for line in listed.splitlines()] == ["1. ", "2. ", "3. "]
    more = next(e for e in app.expander if e.label.startswith("Show "))
    assert plain(more.label) == f"Show {len(result.mimics) - 3} more common conditions"


def test_tapping_an_ask_next_finding_ticks_it(app: AppTest) -> None:
    app.query_params["symptoms"] = "flushing,diarrhea"
    app.query_params["absent"] = "scan-mass-small-intestine"
    run(app)
    ask = next(p for p in app.get("button_group") if str(p.proto.id).endswith("ask_small-intestine-net"))
    options = [o.content for o in ask.proto.options]
    assert options[:2] == ["High serotonin or 5-HIAA in blood or urine (frequent)", "Nausea (frequent)"], options
    ask.set_value("high-serotonin")
    run(app)
    assert sorted(param(app, "symptoms").split(",")) == ["diarrhea", "flushing", "high-serotonin"]
    assert param(app, "absent") == "scan-mass-small-intestine"
    assert app.session_state["ask_small-intestine-net"] is None  # the pill does not stay selected
