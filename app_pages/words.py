"""The pages' wording: every sentence the app's pages show, and the word tables that carry Streamlit Markdown
directives (badge colours, icons). Plain words shared with the CLI and the exports are in checker.wording.

Grouped by page. A constant with ``{fields}`` is a template: most are filled by checker.markup's md/html, which
escape each value; the plain-text ones (link notices, chart descriptions, option labels, one-line summaries) are
filled with ``str.format`` and shown whole through ``escaped`` or as a widget's plain text. Pages never write shown
text themselves (tests/core/test_page_wording.py).
"""

from __future__ import annotations

from checker.scoring.constants import Strength

STRENGTH_COLOURS: dict[Strength, str] = {"strong": "blue", "moderate": "violet", "weak": "gray", "none": "gray"}
"""The colour of a strength's :colour-badge[...] on a NET type's card."""

VERDICT_ICONS = {"correct": ":material/check_circle:", "in-differential": ":material/adjust:", "missed": ":material/cancel:"}
"""The icon of each quiz verdict's box."""

# Several pages.
PROJECTOR_MODE = "Projector mode"
TEACHING_POINTS = "Teaching points"
SOURCES_FOR_CASE = "Sources for this case"
CASE = "Case"
REVEAL_ANSWER = "Reveal the answer"
BACK = "Back"
NEXT_FINDING = "Next finding"
STEP_LINE = "**Step {step} of {last}** · findings revealed: {shown} of {findings}"
CHOOSE = "Choose..."
SUBTYPE_OF = " (a subtype of {parent})"

# The app frame (checker_app/main.py): the page links and the browser tab's title.
PAGE_CHECKER = "Checker"
PAGE_ABOUT = "About"
PAGE_PRESENTATION = "Presentation"
PAGE_QUIZ = "Quiz"
PAGE_LIVE = "Live class"
PAGE_RULE_TABLES = "Rule tables"
BROWSER_TITLE = "NET checker (educational)"

# Shared page parts (common.py): loading, the phone notice, the broken-tables page, projector mode.
LOADING_TABLES = "Loading the rule tables..."
NOTICE_PHONE = '<details class="notice-short"><summary>{first}. <span>Read the notice</span></summary><p>{rest}</p></details>'
LAST_GOOD_BANNER = (
    "The rule tables in {folder} changed and now have {count} problem{s}. "
    "The app keeps showing the last tables that loaded (version {version}) until they are fixed; a fresh "
    "start would show the error page. First problem: {first}. Check them with: "
    ".venv/bin/python -m checker validate --rules {folder}"
)
PROBLEMS_TITLE = "The rule tables have problems"
PROBLEMS_COUNT = "The checker cannot start: {count} problem{s} found in the rule tables. Nothing is shown until they are fixed."
PROBLEMS_LINE_FORMAT = "Each line gives **file:line: field: message**; files that cannot be read come first."
PROBLEMS_TO_FIX = (
    "To fix: edit the named rows in the tables of the folder below, then run this command until it "
    "reports no problems, and reload this page."
)
PROJECTOR_HELP = "Large type and a layout that fits a 1920x1080 projector on one screen"

# Checker page (checker.py): the search, the picker and steps 1-5.
CHECKER_SEARCH = "Search findings in plain words or medical terms"
CHECKER_SEARCH_EXAMPLES = "for example: tummy ache, hot flushes, sweaty, hyperhidrosis"
CHECKER_NO_MATCH = "No finding matches that search. Try another word, or browse by body system below."
CHECKER_ALSO_CALLED = "{label} (also called: {also})"
CHECKER_MATCHES = "Matches for \u201c{typed}\u201d: click to tick or untick"
CHECKER_STEP_PRESENT = "1\\. What is present?"
CHECKER_TICKED = "Ticked findings (remove with \u00d7)"
CHECKER_NOTHING_TICKED = "Nothing ticked yet"
CHECKER_BROWSE = "Or browse by body system"
CHECKER_GROUP_PILLS = "{group}: tap a finding to tick or untick it"
CHECKER_RULED_OUT_COUNT = ": {n} ruled out"
CHECKER_STEP_ABSENT = "2\\. Anything ruled out? (optional){count}"
CHECKER_ABSENT = "Findings known to be absent"
CHECKER_ABSENT_PLACEHOLDER = "Choose findings that are not there"
CHECKER_STEP_HORMONES = "3\\. Hormone symptoms"
CHECKER_HORMONES = "Are there symptoms of a hormone excess?"
CHECKER_HORMONES_CAPTION = (
    "Functional tumors release hormones that cause symptoms such as flushing or low blood sugar; "
    "nonfunctional ones do not and are often found because of their size or by chance."
)
CHECKER_STEP_HEREDITARY = "4\\. Hereditary syndrome (optional)"
CHECKER_HEREDITARY = "Known inherited condition in the person or family"
CHECKER_NONE_KNOWN = "None known"
CHECKER_CLEAR = "Clear all"
CHECKER_GIVEN_COUNT = ": {given} given"
CHECKER_STEP_CONTEXT = "5\\. Age, sex and history (optional){count}"
CHECKER_AGE = "Age"
CHECKER_SEX = "Sex"
CHECKER_HISTORY = "History that applies"
CHECKER_HISTORY_PLACEHOLDER = "For example: stomach surgery, steroid tablets"
CHECKER_NO_HISTORY = "History that does not apply"
CHECKER_NO_HISTORY_PLACEHOLDER = "Ruled out"
CHECKER_CONTEXT_CAPTION = (
    "Left empty, a look-alike that needs a history (dumping needs stomach surgery) counts at its rate in "
    "the whole population; ruled out, it drops out."
)
CHECKER_RESULTS_CAPTION = (
    "The results: which neuroendocrine tumor (NET) types published sources link these findings to, "
    "and which common conditions share them."
)
CHECKER_TITLE = "NET checker"

# Checker page, results (results.py): red flags, the summary, the cards, look-alikes, save and share.
RESULTS_RED_FLAG = "**Red flag: seek medical care.** {urgency} {message}{action}"
RESULTS_NONE = "none"
RESULTS_RULED_OUT = "**Ruled out:** {names}"
RESULTS_HORMONES = "**Hormone symptoms:** {words}"
RESULTS_INHERITED = "**Inherited syndrome:** {name}"
RESULTS_CONTEXT = "**Age, sex and history:** {context}"
RESULTS_TITLE = "Results"
RESULTS_NOTHING_TICKED = (
    "Tick at least one finding (or choose a hereditary syndrome) to see which NET types the sources link it to."
)
RESULTS_RED_FLAGS_ABOVE = "Red flags are shown at the top of the page."
RESULTS_LEFT_OUT = "Left out because of the history given: {reasons}"
RESULTS_NEEDS = "{name} (needs {items})"
RESULTS_TYPE_LINE = "{index}. {name}: {strength}, score {score:+.1f}{group}"
RESULTS_NET_TYPES = "NET types"
RESULTS_LEADING = (
    "The leading {shown} of the {pointed} types something points to (of {total}). Labels: how well "
    "the findings fit, not a chance of cancer."
)
RESULTS_DETAILS = "Details: points per finding, reasons and sources, site, hormones, tests"
RESULTS_OTHER_TYPES = "Show the other {n} types something points to"
RESULTS_NOTHING_POINTS_TITLE = "Types nothing points to"
RESULTS_NOTHING_POINTS = "Nothing reported points to {n} types: {names}."
RESULTS_ASK_NEXT = "What to ask next (common in this type, not reported): tap one the person has to tick it"
RESULTS_NOTHING_POINTS_TO_IT = "nothing reported points to it"
RESULTS_SUBTYPE_OF = "A subtype of {name}"
RESULTS_CARD_HEAD = ":{colour}-badge[{label}] {meaning}  \n**Why:** {why}"
RESULTS_SITE_AND_FIT = (
    "Site: {site}. Fit {fit:+.1f} points (what the label says); score {score:+.1f} once how common it "
    "is counts (the order). Each point doubles the odds against people without any listed condition; "
    "not a probability."
)
RESULTS_WHY_LISTED = "**Why it is listed** (biggest first)\n\n{lines}"
RESULTS_AGAINST = "**Findings against**\n\n{lines}"
RESULTS_COUNTED_ONCE = "**Counted once**\n\n{lines}"
RESULTS_NO_TYPICAL_HORMONES = "none typical"
RESULTS_HORMONES_FACT = "**Hormones:** {hormones}"
RESULTS_SYNDROME_FACT = "**Hormone syndrome:** {names}"
RESULTS_HEREDITARY_FACT = "**Hereditary links:** {names}"
RESULTS_TESTS_FACT = "**Tests:** {titles}"
RESULTS_TREATMENTS_FACT = "**Treatments:** {titles}"
RESULTS_SOURCES = "Sources behind these links"
RESULTS_POINTS_CHART = (
    '<div class="points">\n<p class="title">Points per finding (biggest first; blue for, red against)</p>\n{rows}</div>'
)
RESULTS_NOT_REPORTED_SOURCE = "**{label}** (not reported; {frequency})"
RESULTS_NO_SOURCE_NOTES = "No source notes for these points."
RESULTS_MIMICS = "Common conditions first"
RESULTS_BASE_RATE = ":material/pets: {note}"
RESULTS_NO_MIMICS = "No common look-alike in the tables shares these findings."
RESULTS_NONE_OF_THE_FINDINGS = "none of the findings"
RESULTS_MIMIC_LINE = "{index}. **{name}**: {strength}, score {score:+.1f}; {prevalence}; shares {shared}"
RESULTS_MORE_MIMICS = "Show {n} more common conditions"
RESULTS_TELL_APART = "How to tell them apart from a NET"
RESULTS_MIMIC_DETAIL = "**{name}** (how common: {prevalence}): {tell_apart}\n\n{points}"
RESULTS_SAVE = "Save, print or share"
RESULTS_DOWNLOAD_HANDOUT = "Download handout (Markdown)"
RESULTS_DOWNLOAD_CSV = "Download results (CSV)"
RESULTS_SHARE_CAPTION = (
    "**Shareable link**, with a copy button (the address bar holds the same link; it contains only "
    "the choices above). To print, use your browser's Print command: it prints a handout of one or "
    "two pages (what was reported, red flags, the leading conditions with one line of why each, and "
    "their sources)."
)

# About page (about.py).
ABOUT_WORKED_EXAMPLE = "**Worked example from the current tables** (redo it with a calculator):\n\n{example}"
ABOUT_ALONGSIDE = (
    "Alongside the ranking the checker shows **red flags** (findings that need prompt medical care, shown above "
    "the results whenever they are ticked) and **common conditions** that share the findings. {note}"
)
ABOUT_SOURCES = "Sources, licences and data versions"
ABOUT_LICENCES = (
    "- Rules version: **{version}**\n"
    "- HPO / Orphanet release: **{release}**\n"
    "- Orphanet data (rare-disease frequency annotations) are used under the Creative Commons Attribution 4.0 "
    "licence (CC BY 4.0); source: Orphanet, INSERM.\n"
    "- Human Phenotype Ontology (HPO) terms and annotations are used under the HPO terms of use "
    "([hpo.jax.org/license](https://hpo.jax.org/license)).\n"
    "- Web pages and seed documents are quoted briefly, with a link, as the source of each statement."
)
ABOUT_ANNOTATION_SOURCE = "- **{title}** ({publisher}), release {version}; licence: {licence}. {link}"
ABOUT_SEE_PUBLISHER = "see publisher"
ABOUT_DOWNLOAD_ADDRESS = "Download address"
ABOUT_KIND_TITLES = {"seed": "Seed documents", "page": "Web pages read"}
ABOUT_VERSION = "version {version}"
ABOUT_LICENCE = "licence: {licence}"
ABOUT_READ = "read {date}"
ABOUT_LINK = "Link"
ABOUT_TITLE = "About this checker"
ABOUT_INTENDED_USE = "Intended use"
ABOUT_INTENDED_USE_TEXT = (
    "This is a **teaching tool**. It shows how symptoms and test findings are linked to neuroendocrine tumor "
    "(NET) types in published sources, so that students and curious readers can see why a presentation points "
    "one way or another.\n\n"
    "- It is **not a medical device** and has not been assessed as one.\n"
    "- It must **not** be used for diagnosis, for triage (deciding how urgent something is), or to make or change "
    "treatment decisions.\n"
    "- It cannot tell whether anyone has a tumor. Most people with these symptoms have a common, non-cancerous "
    "condition.\n"
    "- If you are worried about a symptom, talk to a doctor or other qualified health professional; in an "
    "emergency, call your local emergency number.\n"
    "- Nothing you tick is stored or logged by the app. Each tick is sent to the app's server to compute the "
    "results and kept there only in memory for your open session; it also sits in the page address (so a link can "
    "be shared). Usage statistics are switched off."
)
ABOUT_SCORING = "How the scoring works"
ABOUT_SCORING_TEXT = (
    "The checker ranks **NET types and common look-alike conditions with one model**: likelihood ratios, the tool "
    "taught in evidence-based medicine. Every number comes from the tables by the formulas below; nothing is "
    "hand-tuned per finding, and no number depends on how many rows a table has.\n\n"
    "1. **How often a finding occurs in a condition**, P(finding | condition), is the middle of its frequency "
    "class (first table below).\n"
    "2. **How often it occurs in everyone else**: each finding has a sourced *background* class, how often "
    "people with none of the listed conditions have it (second table). A condition that does not link a finding "
    "gets that background rate: the finding neither counts for nor against it. An *excluded* link is "
    "{excluded:g} times the background rate.\n"
    "3. **A finding you tick** adds log2(P(finding | condition) / background rate): **each point doubles the "
    "odds**. A narrower finding (watery diarrhea) that a condition links only through its general one (diarrhea) "
    "counts at the general class times the sourced share of the narrower kind; a general finding implied by a "
    "narrower one you ticked adds nothing more. **A finding you rule out** adds "
    "log2((1 - P(finding | condition)) / (1 - background rate)).\n"
    "4. **A syndrome counts once.** Findings that are all features of one hormone syndrome (a Cushing picture, "
    "carcinoid syndrome, catecholamine excess...) count together for each of its causes at most "
    "log2(P(syndrome | condition) / how common the picture is in people without any listed condition). The causes "
    "are then told apart by the findings that differ between them (low potassium, a lung mass).\n"
    "5. **Hormone symptoms reported** adds log2(share of people with the type who present with its hormone "
    "syndrome / share of all NETs that do); none reported, the same with the complements. Not given, it is "
    "neutral: each type keeps the likelier reading of its findings (with or without its syndrome, weighted by "
    "how many present that way).\n"
    "6. **An inherited syndrome** adds log2(share of this type's patients who have it / its population "
    "prevalence). **Age, sex and history** count the same way; a condition that always needs a history item "
    "(dumping needs stomach surgery) drops out when it is ruled out, and counts at its rate in the whole "
    "population when it is not given.\n"
    "7. **How common it is** (the prior): look-alikes start with their prevalence against a rare NET "
    "(very common {very_common:+.1f}, common "
    "{common:+.1f}, uncommon "
    "{uncommon:+.1f} points); NET types with their incidence.\n\n"
    "**Labels say how well the findings fit**, the prior left out: **strong** from {strong} points "
    "({strong_x:.0f}x) with at least {strong_min} findings pointing to it (and, for a subtype, a "
    "finding that tells it from its siblings), **moderate** from {moderate} points "
    "({moderate_x:.0f}x), **weak** when anything points to it, **none** when nothing does. A NET type is not "
    "strong when another NET type fits {moderate_x:.0f}x better or a common condition fits nearly as well "
    "(within {moderate_x:.0f}x), and is weak when a common condition fits at least as well (its card names it). "
    "**The order** "
    "counts the prior too, so a common condition with a moderate fit can "
    "come before a rare one with a strong fit. Rows that nothing points to come last."
)
ABOUT_ERRORS = "Found an error in the tables?"
ABOUT_ERRORS_TEXT = (
    "Every statement comes from a row in the rule tables (`rules/*.yaml`), and every row names its source.\n\n"
    "1. Find the row: each result card's *Sources behind these links* names the document and excerpt.\n"
    "2. Edit the row in `rules/*.yaml` (for example the frequency of a link in `rules/links.yaml`), citing "
    "the source that supports the change.\n"
    "3. Run `python -m checker validate`; it lists any problem as `file:line: field: message`.\n"
    "4. Open an issue (or a pull request) in the project's repository describing the error and the source. "
    "If you cannot edit the tables, an issue with the type, the finding and a link to the source is enough."
)

# Quiz page (quiz.py).
QUIZ_NO_SUCH_CASE = "The link names a case that does not exist ({case}); showing a random case."
QUIZ_PICK_FIRST = "Pick your first choice before you commit."
QUIZ_RANDOM_CASE = "A random case"
QUIZ_FINDINGS = "**Findings**\n\n{lines}"
QUIZ_AGE = "{age} years"
QUIZ_PATIENT = "Patient: {who}."
QUIZ_HISTORY = "History: {items}."
QUIZ_NO_HISTORY = "Not in the history: {items}."
QUIZ_RULED_OUT = "Ruled out: {names}."
QUIZ_FAMILY_SYNDROME = "Family syndrome: {name}."
QUIZ_FIRST_CHOICE = "Your first choice"
QUIZ_DIFFERENTIAL = "Optional: up to three other possibilities (your differential)"
QUIZ_COMMIT = "Commit my answer"
QUIZ_COMMITTED = "You committed: **{guess}** (differential: {picks})."
QUIZ_VERDICT = "{message} (+{points} points)"
QUIZ_ENGINE_RANK = "On all the findings, the rule tables rank the answer number {rank} of {types} types."
QUIZ_TELLING_APART = "**Telling it apart:** {text}"
QUIZ_WHERE_POINTED = "Where each finding pointed"
QUIZ_SUPPORT = "**{name}**: {frequency} in this type (+{points:.1f} points on its own)"
QUIZ_NO_TYPE = "No tumor type in the tables is linked to this finding."
QUIZ_SHARED_MIMICS = "Common conditions that share it: {names}"
QUIZ_TALLY = "Your tally"
QUIZ_ANSWERED = "Cases answered"
QUIZ_FIRST_RIGHT = "First choice right"
QUIZ_POINTS = "Points"
QUIZ_TALLY_CAPTION = (
    "{correct} points when your first choice is right, {in_differential} when the answer is in your "
    "differential. The tally is kept only in this browser tab."
)
QUIZ_TITLE = "Quiz"
QUIZ_CAPTION = (
    "Which tumor type, or a common condition? Commit your answer, then see where each finding pointed. "
    "Another case, projector mode and your tally are below."
)
QUIZ_ANOTHER = "Another case"
QUIZ_PROJECTOR_HELP = "Large type for a projector (off by default: large type does not suit a phone)"

# Presentation page (presentation.py).
PRES_NO_SUCH_CASE = "The link names a case that does not exist ({case}); showing the first case."
PRES_STEP_NOT_A_NUMBER = "The link's step ({step}) is not a number; starting at step 0."
PRES_STEP_OUTSIDE = "The link's step {step} is outside 0-{top} for this case; starting at step 0."
PRES_CASE_OPTION = "Case {number}: {title}"
PRES_RANKING_LINE = "{index}. **{name}**: score {score:+.1f}, {strength}"
PRES_AXIS_STEP = "Findings revealed"
PRES_AXIS_SCORE = "Score"
PRES_ANSWER_TITLE = "The answer"
PRES_ANSWER_LEAD = "The answer: "
PRES_ANSWER_NET = "**{lead}{names}**. With every finding, the tables rank it number {place} of {types}."
PRES_ANSWER_MIMIC = "**{lead}{name}**: a common condition, not a NET."
PRES_CONFIRM_TITLE = "Reveal the answer now?"
PRES_CONFIRM_TEXT = "{hidden} finding{verb} still hidden. The answer and the teaching points replace the findings on the slide."
PRES_KEEP_GOING = "Keep going"
PRES_NEXT_HELP = "Reveal the next finding (key N)"
PRES_ANSWER = "Answer"
PRES_ANSWER_HELP = "Reveal the answer (key A); asks first while findings are still hidden"
PRES_START_OVER = "Start over"
PRES_FAMILY_SYNDROME = "Family syndrome: {name}"
PRES_RULED_OUT = "Ruled out: {names}"
PRES_FINDINGS_LINE = "Findings: {labels}"
PRES_NEW_FINDING = "{index}. **{label}** (new)"
PRES_NO_FINDING_YET = "*No finding revealed yet: what would you ask first?*"
PRES_RANKING_LATER = "The ranking and the chart appear with the first finding. Press **Next finding** (or N)."
PRES_TOP_FIVE = "Top five now"
PRES_CHART_ALT = "Line chart: how the differential narrows, scores of the leading types over {steps} steps"
PRES_SHARED_MIMICS = "Common conditions sharing these findings: {names}"
PRES_TELL_APART = "How to tell it apart from a NET"
PRES_KEYS = (
    "Keys: N = next finding, B = back, A = answer. Scores are sums of labelled points from the rule tables, not probabilities."
)

# Live class, the educator's side (live_host.py).
HOST_RUN_LIVE = "Run this case as a live class (students answer on their phones)"
HOST_HOW = "How"
HOST_MODE_LIVE = "Live, in class: you move the steps"
HOST_MODE_SELF_PACED = "Self-paced homework: each student moves on alone"
HOST_OPEN_FOR = "Open for"
HOST_WINDOWS = {1: "1 hour", 24: "1 day", 72: "3 days", 168: "1 week", 336: "2 weeks"}
HOST_START = "Start a live session"
HOST_START_CAPTION = (
    "Students join with a code, no account. Answers are deleted when you end the session, or a day "
    "after it (after the window closes, for homework)."
)
HOST_JOIN_HOW = "Join on your phone: scan the code, or open the address below and type the class code."
HOST_JOIN_LINK = "Join link"
HOST_JOINED = "Students joined"
HOST_LATEST = "Latest: {names}"
HOST_CLASS_AT_STEP = "The class at step {step}"
HOST_ANSWERED = "{answered} of {joined} students have answered."
HOST_ANSWERS_HIDDEN = (
    "The class's answers are hidden, so the first answers do not steer the room. Press "
    "**Show the class's answers** (key S) when you are ready."
)
HOST_NO_ANSWERS = "No answers yet at this step."
HOST_CHART_ALT = "Bar chart: the class's leading answers at step {step}, {answered} students"
HOST_TOP_FIVE = "The tables' top five"
HOST_RANKING_LATER = "The ranking appears with the first finding."
HOST_SELF_PACED = "Self-paced: open until **{closes}**. Each student moves through the steps alone."
HOST_NEXT_HELP = "Reveal the next finding on every phone (key N)"
HOST_REVEAL_HELP = "After the last finding (key A)"
HOST_HIDE_ANSWERS = "Hide the class's answers"
HOST_SHOW_ANSWERS = "Show the class's answers"
HOST_END = "End and delete"
HOST_END_HELP = "Ends the session now and deletes every answer (download the CSV first)"
HOST_DEBRIEF = "Debrief"
HOST_WRONG_ANSWERS = "Most common wrong answers at the last step: {answers}."
HOST_MIND_CHANGE = "Most minds changed at step {step} (**{finding}**): {changed} of {of} students changed their leading answer."
HOST_RIGHT_FROM = "The class led with the right answer from step {step}."
HOST_NEVER_RIGHT = "The class's most common leading answer was never the right one at the end."
HOST_DOWNLOAD_ANSWERS = "Download every answer (CSV, anonymous)"
HOST_THE_ANSWER = "The answer: **{names}**"
BACK_TO_PRESENTATION = "Back to the Presentation page"
HOST_ENDED = "This session has ended and its answers are deleted."
HOST_CAPTION = "Live class · {mode} · {title}"
HOST_MODE_HOMEWORK = "self-paced homework"
HOST_MODE_IN_CLASS = "in class"
HOST_LATE_JOIN = "Join: {url} with the code **{code}**"
HOST_NEW_FINDING = "{i}. **{label}** (new)"
HOST_EDUCATOR_LINK = "Educator link: keep it private (it controls this class)"
HOST_EDUCATOR_LINK_CAPTION = "Open it on another device to run the class from there; whoever has it can end the class."
HOST_KEYS = "Keys: N = next finding, B = back, A = reveal the answer, S = show or hide the class's answers."

# Live class, the student's page (live.py).
LIVE_JOIN_TITLE = "Join a live class"
LIVE_CODE = "Class code (on the projector)"
LIVE_CODE_EXAMPLE = "for example ABCD EFG"
LIVE_NICKNAME = "Nickname (optional, at most {n} characters)"
LIVE_NICKNAME_HELP = "Only you see it; the projector shows at most its initials."
LIVE_JOIN = "Join"
LIVE_PRIVACY = (
    "No account and nothing about your phone is stored. Your answers are kept for the class's debrief "
    "and deleted with the class (after a day at most)."
)
LIVE_PICK_FIRST = "Pick your leading diagnosis first."
LIVE_LEAD = "Your leading diagnosis"
LIVE_LEAD_HELP = "Type to search: NET types first, then common conditions."
LIVE_OTHERS = "Up to {n} more (optional)"
LIVE_SEND = "Send my answer"
LIVE_THEN = " (then {others})"
LIVE_YOU_MOVE_ON = "you move on"
LIVE_EDUCATOR_MOVES_ON = "the educator moves on"
LIVE_SENT = "Sent: **{lead}**{extra}. You can change it until {moving}."
LIVE_NOT_SENT = "No answer sent for this step yet."
LIVE_NEW_FINDING = "**New finding:** {label}"
LIVE_CASE_SO_FAR = "The case so far"
LIVE_THE_ANSWER = "The answer: **{answer}**"
LIVE_PATH = "Your path"
LIVE_THE_STORY = "the story"
LIVE_FINDING_STEP = "finding {step}: {finding}"
LIVE_NO_ANSWER = "no answer"
LIVE_RIGHT = " (right)"
LIVE_IN_THREE = " (answer in your three)"
LIVE_ENGINE_RANK = "; the tables rank the answer {rank}"
LIVE_PATH_LINE = "- **Step {step}** ({where}): {mark}{engine}"
LIVE_JOIN_A_CLASS = "Join a class"
LIVE_SEAT = "Class {code} · you are student {number}{who}"
LIVE_STEP = "**Step {step} of {last}**{story}"
LIVE_STORY_ONLY = " · the story only"
LIVE_SEE_ANSWER = "See the answer"
LIVE_NEXT_HELP = "Send an answer for this step first"
LIVE_BAD_SEAT = "The link's seat ({seat}) is not valid; join again."

# Live class, shared (live_common.py): the store notice and the answer chart.
STORE_PROBLEM = (
    "The live-class store cannot be opened, so live classes are unavailable on this server. Check "
    "NET_CHECKER_DB or the data folder. ({kind})"
)
STORE_AXIS_STUDENTS = "Students"

# Rule tables page (rule_tables.py).
RT_HEATMAP_TEXT = (
    "How typical each finding is of each type, from the frequency class of its link "
    "(darker = more typical; blank = no link in the tables)."
)
RT_GROUPS = "Body system groups"
RT_ALL_GROUPS = "All groups"
RT_TYPES = "Tumor types"
RT_ALL_TYPES = "All types"
RT_NO_LINKS = "No links for this selection."
RT_FREQUENCY_CLASS = "Frequency class"
RT_SHORT_NAMES = (
    "Long names are shortened on the chart to fit small screens; hover a cell, or open the table below, for the full names."
)
RT_GRID_AS_TABLE = "The same grid as a table"
RT_DOWNLOAD_GRID = "Download this grid (CSV)"
RT_COMPARE_TEXT = "The findings whose typicality differs most between two types: the ones that best tell them apart."
RT_FIRST_TYPE = "First type"
RT_SECOND_TYPE = "Second type"
RT_PICK_TWO = "Pick two different types."
RT_DOWNLOAD_COMPARISON = "Download this comparison (CSV)"
RT_DISAGREE_TEXT = (
    "Links whose frequency comes from Orphanet annotation rows, where the wording of a seed or page "
    "source suggests a different class. A difference is not an error in itself: a page may speak of a "
    "whole group of tumors, or of one stage of the disease, where the Orphanet row counts one disease."
)
RT_DISAGREE_COUNT = "{n} disagreements."
RT_DOWNLOAD_DISAGREEMENTS = "Download (CSV)"
RT_TABLE = "Table"
RT_TABLE_ROWS = "{n} rows from rules/{name}.yaml, rules version {version}."
RT_DOWNLOAD_TABLE = "Download {name} (CSV)"
RT_BIBLIOGRAPHY_TEXT = "Every document the tables cite, with how many source notes cite it."
RT_DOWNLOAD_BIBLIOGRAPHY = "Download the bibliography (CSV)"
RT_SUBTYPES_TEXT = (
    "Some tumors are split into subtypes that the checker ranks separately, because their findings "
    "differ (for example the four pituitary NETs). Each subtype names its parent group."
)
RT_SUBTYPE_GROUP = "**{name}** ({n} subtypes): {members}  \n{summary}"
RT_DOWNLOAD_SUBTYPES = "Download subtypes (CSV)"
RT_REJECTED_TEXT = (
    "Orphanet annotation rows for the tumors' ORPHA codes that the tables do **not** use as symptom "
    "links, each with the reason: a feature of an associated syndrome rather than of the tumor, a "
    "feature of a sibling entity under a shared code, or a term too broad to teach from. They are kept "
    "here so that anyone can check the decision."
)
RT_NO_REJECTED = "No rejected rows."
RT_REJECTED_COUNT = "{n} rejected rows: {counts}"
RT_REASON = "Reason"
RT_ALL_REASONS = "All reasons"
RT_DOWNLOAD_REJECTED = "Download rejected rows (CSV)"
RT_TITLE = "Rule tables"
RT_VERSIONS = "Rules version {version}; HPO/Orphanet release {release}."
RT_TAB_HEATMAP = "Heatmap"
RT_TAB_COMPARE = "Compare two types"
RT_TAB_DISAGREE = "Where sources disagree"
RT_TAB_SUBTYPES = "Subtypes"
RT_TAB_REJECTED = "Rejected Orphanet rows"
RT_TAB_BROWSE = "Browse tables"
RT_TAB_BIBLIOGRAPHY = "Bibliography"
