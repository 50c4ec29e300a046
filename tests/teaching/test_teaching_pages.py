"""AppTest for the teaching pages: presentation (URL state, stepping, answer), quiz (commit, feedback, tally)
and rule tables (filters, comparison, browsing, downloads). Every page shows the notice and raises nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, load_knowledge, teaching

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
KB = load_knowledge(ROOT / "rules")
PRESENTATION = "app_pages/presentation.py"
QUIZ = "app_pages/quiz.py"
RULE_TABLES = "app_pages/rule_tables.py"
SUBMIT = "FormSubmitter:quiz_form-Commit my answer"
TEXT_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


@pytest.fixture()
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    return AppTest.from_file(str(APP), default_timeout=30)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(at: AppTest, page: str, **params: str) -> AppTest:
    """Run the default page first (AppTest resolves custom url_paths only after a run), then open `page`."""
    _run(at)
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return _run(at)


def _texts(at: AppTest) -> str:
    text = "\n".join(str(el.value) for kind in TEXT_KINDS for el in getattr(at, kind))
    return re.sub(r"\\([^A-Za-z0-9\s])", r"\1", text)


def _notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value != DISCLAIMER]


def _params(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


@pytest.mark.parametrize("page", [PRESENTATION, QUIZ, RULE_TABLES])
def test_page_runs_and_shows_the_notice(at: AppTest, page: str) -> None:
    _open(at, page)
    assert DISCLAIMER in [w.value for w in at.warning]
    assert at.title


# ---------------------------------------------------------------------------------------- presentation


def test_presentation_restores_case_and_step_from_the_url(at: AppTest) -> None:
    case = KB.cases["gastrinoma-ulcers-return"]
    _open(at, PRESENTATION, case=case.id, step="3")
    assert at.title[0].value == case.title
    assert at.selectbox(key="pres_case_pick").value == case.id
    text = _texts(at)
    assert f"Step 3 of {len(case.findings) + 1}" in text
    for symptom in case.findings[:3]:
        assert KB.symptoms[symptom].label in text
    assert KB.symptoms[case.findings[3]].label not in text
    assert not _notices(at)


def test_presentation_links_use_an_opaque_code_and_old_links_still_work(at: AppTest) -> None:
    case = KB.cases["mimic-menopause-flushes"]
    code = teaching.case_code(case.id)
    assert re.fullmatch(r"c[a-z2-7]{8}", code)
    assert not any(word in code for word in ("menopause", "mimic", "flush"))
    _open(at, PRESENTATION, case=code, step="1")
    assert at.title[0].value == case.title and not _notices(at)
    assert _params(at) == {"case": code, "step": "1"}


def test_presentation_steps_write_the_url(at: AppTest) -> None:
    case = KB.cases["vipoma-watery-diarrhea"]
    _open(at, PRESENTATION, case=case.id, step="0")
    assert at.button(key="pres_back").disabled
    for step in range(1, len(case.findings) + 1):
        at.button(key="pres_next").click()
        _run(at)
        assert _params(at) == {"case": teaching.case_code(case.id), "step": str(step)}
        assert KB.symptoms[case.findings[step - 1]].label in _texts(at)
    assert at.button(key="pres_next").disabled
    assert not at.success, "the answer stays hidden until asked for"
    at.button(key="pres_answer").click()
    _run(at)
    assert _params(at)["step"] == str(len(case.findings) + 1)
    assert "VIPoma" in at.success[0].value
    for point in case.teaching_points:
        assert point[:40] in _texts(at)
    at.button(key="pres_back").click()
    _run(at)
    assert _params(at)["step"] == str(len(case.findings))
    at.button(key="pres_restart").click()
    _run(at)
    assert _params(at)["step"] == "0"


def test_presentation_shows_a_chart_of_the_scores(at: AppTest) -> None:
    _open(at, PRESENTATION, case="insulinoma-fasting-spells", step="2")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1


def test_presentation_chart_draws_the_top_five_of_the_list_in_five_distinct_colours(at: AppTest) -> None:
    import json

    case = KB.cases["insulinoma-fasting-spells"]
    _open(at, PRESENTATION, case=case.id, step="3")
    ranking = next(m.value for m in at.markdown if ": score " in m.value)
    listed = re.findall(r"^\d\. \*\*(.+?)\*\*: score", ranking.replace("\\", ""), re.M)
    top = teaching.steps(KB, case)[3].top(5)
    assert len(listed) == 5 and [n.split(" (a subtype of ")[0] for n in listed] == [i.name for i in top]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    color = spec["encoding"]["color"]
    assert [name.replace("|", " ") for name in color["scale"]["domain"]] == [i.name for i in top]
    assert color["scale"]["range"] == ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]
    assert max(len(line) for name in color["scale"]["domain"] for line in name.split("|")) <= 30  # fits a phone
    legend = color["legend"]
    assert (legend["labelLimit"], legend["columns"], legend["labelExpr"]) == (0, 1, "split(datum.label, '|')")


def test_presentation_answer_before_the_last_finding_asks_first(at: AppTest) -> None:
    case = KB.cases["vipoma-watery-diarrhea"]
    _open(at, PRESENTATION, case=case.id, step="1")
    assert not at.button(key="pres_answer").disabled
    at.button(key="pres_answer").click()
    _run(at)
    hidden = len(case.findings) - 1
    assert f"{hidden} findings are still hidden." in _texts(at)
    assert _params(at)["step"] == "1" and not at.success
    next(b for b in at.button if b.label == "Keep going").click()
    _run(at)
    assert _params(at)["step"] == "1" and "still hidden" not in _texts(at)
    at.button(key="pres_answer").click()
    _run(at)
    next(b for b in at.button if b.label == "Reveal the answer").click()
    _run(at)
    assert _params(at)["step"] == str(len(case.findings) + 1)
    assert "VIPoma" in at.success[0].value and at.button(key="pres_answer").disabled


def test_presentation_projector_answer_replaces_the_story_and_findings(at: AppTest) -> None:
    case = KB.cases["vipoma-watery-diarrhea"]
    _open(at, PRESENTATION, case=case.id, step=str(len(case.findings) + 1), projector="1")
    shown = _texts(at)
    assert case.story[:40] not in shown
    labels = [KB.symptoms[s].label for s in case.findings]
    assert "Findings: " + " · ".join(labels) in shown
    assert at.success[0].value.startswith("**The answer: VIPoma**")
    assert "The answer" not in [h.value for h in at.header]
    assert [e.label for e in at.expander if e.label == "Sources for this case"]
    plain = AppTest.from_file(str(APP), default_timeout=30)
    _open(plain, PRESENTATION, case=case.id, step=str(len(case.findings) + 1))  # without projector: all of it
    assert case.story[:40] in _texts(plain) and "The answer" in [h.value for h in plain.header]


def test_presentation_case_titles_never_give_the_answer(at: AppTest) -> None:
    _open(at, PRESENTATION)
    labels = list(at.selectbox(key="pres_case_pick").options)  # AppTest holds the shown (formatted) labels
    assert len(labels) == len(KB.cases)
    for label, case in zip(labels, KB.cases.values(), strict=True):
        assert "common condition" not in label.lower()
        assert case.title in label
        answers = [KB.mimics[e].name if e in KB.mimics else KB.types[e].name for e in case.expected]
        assert not any(answer.lower() in label.lower() for answer in answers), label


def test_presentation_step_zero_shows_the_story_not_a_ranking(at: AppTest) -> None:
    case = KB.cases["insulinoma-fasting-spells"]
    _open(at, PRESENTATION, case=case.id, step="0")
    assert case.story[:40] in _texts(at)
    assert not at.get("vega_lite_chart")
    assert "Top five now" not in [s.value for s in at.subheader]
    at.button(key="pres_next").click()
    _run(at)
    assert "Top five now" in [s.value for s in at.subheader]
    assert len(at.get("vega_lite_chart")) == 1


def test_presentation_projector_mode_is_off_by_default_and_in_the_link(at: AppTest) -> None:
    _open(at, PRESENTATION, case="insulinoma-fasting-spells", step="2")
    assert at.toggle(key="pres_projector").value is False
    assert "projector" not in _params(at)
    at.toggle(key="pres_projector").set_value(True)
    _run(at)
    assert _params(at)["projector"] == "1"
    assert any("st-key-projector" in h.proto.body for h in at.get("html"))


def test_presentation_case_change_resets_the_step(at: AppTest) -> None:
    _open(at, PRESENTATION, case="gastrinoma-ulcers-return", step="4")
    at.selectbox(key="pres_case_pick").set_value("pituitary-acromegaly")
    _run(at)
    assert _params(at) == {"case": teaching.case_code("pituitary-acromegaly"), "step": "0"}
    assert at.title[0].value == KB.cases["pituitary-acromegaly"].title


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"case": "no-such-case"}, "does not exist"),
        ({"case": "vipoma-watery-diarrhea", "step": "lots"}, "not a number"),
        ({"case": "vipoma-watery-diarrhea", "step": "99"}, "outside"),
        ({"case": "vipoma-watery-diarrhea", "step": "-1"}, "outside"),
        ({"case": "<script>alert(1)</script>", "step": "1e9"}, "does not exist"),
    ],
    ids=["unknown-case", "step-not-number", "step-too-large", "step-negative", "hostile"],
)
def test_presentation_bad_link_shows_a_notice(at: AppTest, params: dict[str, str], fragment: str) -> None:
    _open(at, PRESENTATION, **params)
    notices = _notices(at)
    assert any(fragment in n for n in notices), notices
    assert _params(at)["step"] == "0"
    assert teaching.case_from_link(KB, _params(at)["case"]) in KB.cases


def test_presentation_mimic_case_reveals_the_common_condition(at: AppTest) -> None:
    case = KB.cases["mimic-asthma"]
    _open(at, PRESENTATION, case=case.id, step=str(len(case.findings) + 1))
    assert "Asthma" in at.success[0].value
    assert "not a NET" in at.success[0].value


# ------------------------------------------------------------------------------------------------ quiz


def _choose_case(at: AppTest, case_id: str) -> AppTest:
    _open(at, QUIZ)
    at.selectbox(key="quiz_pick").set_value(case_id)
    return _run(at)


def test_quiz_takes_a_case_in_its_link_and_says_who_the_patient_is(at: AppTest) -> None:
    case = KB.cases["insulinoma-fasting-spells"]
    _open(at, QUIZ, case=teaching.case_code(case.id))
    assert at.subheader[0].value == case.title
    assert "Patient: 45 years, female." in _texts(at)
    assert at.selectbox(key="quiz_pick").value == case.id


def test_quiz_states_the_history_in_a_sentence_keeping_abbreviations(at: AppTest) -> None:
    _choose_case(at, "mimic-stimulant-spells")
    assert "History: uses cocaine, amphetamines or other stimulants (including diet pills or ADHD medicine)." in _texts(at)
    _choose_case(at, "pituitary-prolactinoma")
    assert (
        "Not in the history: takes an antipsychotic or anti-sickness medicine that raises prolactin (such as risperidone"
        " or metoclopramide)." in _texts(at)
    )


def test_quiz_link_to_an_unknown_case_shows_a_notice(at: AppTest) -> None:
    _open(at, QUIZ, case="<b>nope</b>")
    assert any("does not exist" in w.value for w in at.warning)
    assert at.subheader[0].value in {c.title for c in KB.cases.values()}


def test_quiz_hides_the_answer_until_committed(at: AppTest) -> None:
    case = KB.cases["glucagonoma-migrating-rash"]
    _choose_case(at, case.id)
    assert at.subheader[0].value == case.title
    text = _texts(at)
    assert case.teaching_points[0][:40] not in text
    assert not at.success and not at.error
    assert at.button(key=SUBMIT)


def test_quiz_round_grades_and_tallies(at: AppTest) -> None:
    _choose_case(at, "glucagonoma-migrating-rash")
    at.selectbox(key="quiz_guess").set_value("glucagonoma")
    at.multiselect(key="quiz_diff").set_value(["somatostatinoma"])
    at.button(key=SUBMIT).click()
    _run(at)
    assert "Correct" in at.success[0].value
    assert [m.value for m in at.metric] == ["1", "1", "2"]
    labels = [e.label for e in at.expander]
    for symptom in KB.cases["glucagonoma-migrating-rash"].findings:
        assert KB.symptoms[symptom].label in labels
    assert "Orphanet ORPHA:97280" in _texts(at)
    at.button(key="quiz_another").click()
    _run(at)
    assert at.session_state["quiz_case"] != "glucagonoma-migrating-rash"
    assert [m.value for m in at.metric] == ["1", "1", "2"], "the tally survives a new case"
    assert at.button(key=SUBMIT)


def test_quiz_differential_earns_partial_credit(at: AppTest) -> None:
    _choose_case(at, "vipoma-watery-diarrhea")
    at.selectbox(key="quiz_guess").set_value("gastrinoma")
    at.multiselect(key="quiz_diff").set_value(["vipoma", "somatostatinoma"])
    at.button(key=SUBMIT).click()
    _run(at)
    assert "differential included" in at.info[0].value
    assert [m.value for m in at.metric] == ["1", "0", "1"]


def test_quiz_requires_a_first_choice(at: AppTest) -> None:
    _choose_case(at, "vipoma-watery-diarrhea")
    at.button(key=SUBMIT).click()
    _run(at)
    assert any("Pick your first choice" in n for n in _notices(at))
    assert at.session_state["quiz_tally"]["answered"] == 0


def test_quiz_mimic_case(at: AppTest) -> None:
    _choose_case(at, "mimic-panic-attacks")
    at.selectbox(key="quiz_guess").set_value("pheochromocytoma")
    at.button(key=SUBMIT).click()
    _run(at)
    assert "Anxiety and panic attacks" in at.error[0].value
    assert "Telling it apart" in _texts(at)


# ----------------------------------------------------------------------------------------- rule tables


def test_rule_tables_heatmap_filters(at: AppTest) -> None:
    _open(at, RULE_TABLES)
    assert at.get("vega_lite_chart")
    at.multiselect(key="rt_groups").set_value(["tests"])
    at.multiselect(key="rt_types").set_value(["insulinoma", "gastrinoma"])
    _run(at)
    grid = at.dataframe[0].value
    assert set(grid.columns) == {KB.types["insulinoma"].name, KB.types["gastrinoma"].name}
    assert "High gastrin in a blood test" in grid.index


def test_rule_tables_compare_two_types(at: AppTest) -> None:
    _open(at, RULE_TABLES)
    at.selectbox(key="rt_cmp_a").set_value("insulinoma")
    at.selectbox(key="rt_cmp_b").set_value("gastrinoma")
    _run(at)
    frame = next(d.value for d in at.dataframe if "favours" in d.value.columns)
    assert "Low blood sugar (hypoglycemia)" in set(frame["finding"])
    at.selectbox(key="rt_cmp_b").set_value("insulinoma")
    _run(at)
    assert any("two different types" in i.value for i in at.info)


def test_rule_tables_disagreements_and_bibliography(at: AppTest) -> None:
    _open(at, RULE_TABLES)
    columns = [set(d.value.columns) for d in at.dataframe]
    assert any("why the table differs" in c for c in columns)
    assert any("cited_by_notes" in c for c in columns)


def test_rule_tables_subtypes_and_rejected_rows(at: AppTest) -> None:
    _open(at, RULE_TABLES)
    text = _texts(at)
    for group in KB.type_groups.values():
        assert group.name in text
    subtypes = next(d.value for d in at.dataframe if "parent group" in d.value.columns)
    assert len(subtypes) == sum(1 for t in KB.types.values() if t.parent)
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns and "moved_to" in d.value.columns)
    assert len(rejected) == len(KB.rejected)
    reason = KB.rejected[0].reason
    box = at.multiselect(key="rt_rejected_reason")
    assert "too-broad: the HPO term is too broad for the checker symptom it would map to" in box.options
    box.set_value([reason])
    _run(at)
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns and "moved_to" in d.value.columns)
    assert set(rejected["reason"]) == {reason}


@pytest.mark.parametrize(
    "table",
    [
        "sources",
        "symptoms",
        "types",
        "links",
        "hormone_syndromes",
        "hereditary",
        "mimics",
        "red_flags",
        "education",
        "cases",
        "rejected_annotations",
        "type_groups",
        "population",
    ],
)
def test_rule_tables_every_table_browsable_and_downloadable(at: AppTest, table: str) -> None:
    _open(at, RULE_TABLES)
    at.selectbox(key="rt_table").set_value(table)
    _run(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Download {table} (CSV)" in labels
    expected = len(KB.rejected if table == "rejected_annotations" else getattr(KB, table))
    first_column = "type" if table in ("links", "rejected_annotations") else "id"
    assert any(len(d.value) == expected and d.value.columns[0] == first_column for d in at.dataframe)


def test_quiz_has_a_projector_mode_and_keeps_the_tally_below_the_case(at: AppTest) -> None:
    case = KB.cases["vipoma-watery-diarrhea"]
    _open(at, QUIZ, case=teaching.case_code(case.id))
    assert [s.value for s in at.subheader] == [case.title, "Your tally"]  # the case first, the tally last
    assert not any("st-key-projector" in h.proto.body for h in at.get("html"))
    at.toggle(key="quiz_projector").set_value(True)
    _run(at)
    assert any("st-key-projector" in h.proto.body for h in at.get("html"))
    assert at.subheader[0].value == case.title
