"""Teaching logic for the presentation, quiz and rule-table pages; pure functions over the knowledge base, no Streamlit.

One module a job: `cases` (link codes, engine queries), `presentation` (step-by-step rankings), `quiz` (grading and
per-finding feedback), `frames` (rule-table views and CSV) and `columns` (browse columns derived from the row
dataclasses). The names below are the pages' public interface.
"""

from checker.teaching.cases import CASE_CODE_PREFIX, case_code, case_from_link, case_query
from checker.teaching.frames import (
    FREQUENCY_ORDINAL,
    Disagreement,
    Discriminator,
    bibliography_frame,
    compare_frame,
    compare_types,
    disagreements_frame,
    formula_safe,
    frame_csv,
    heatmap_frame,
    heatmap_long,
    source_disagreements,
    table_frames,
)
from checker.teaching.presentation import StepResult, TypeScore, leading_types, steps, trajectory_frame
from checker.teaching.quiz import (
    MAX_DIFFERENTIAL,
    POINTS_CORRECT,
    POINTS_IN_DIFFERENTIAL,
    FindingPointer,
    QuizGrade,
    Support,
    choice_label,
    finding_pointers,
    grade,
    quiz_choices,
)

__all__ = [
    "CASE_CODE_PREFIX",
    "FREQUENCY_ORDINAL",
    "MAX_DIFFERENTIAL",
    "POINTS_CORRECT",
    "POINTS_IN_DIFFERENTIAL",
    "Disagreement",
    "Discriminator",
    "FindingPointer",
    "QuizGrade",
    "StepResult",
    "Support",
    "TypeScore",
    "bibliography_frame",
    "case_code",
    "case_from_link",
    "case_query",
    "choice_label",
    "compare_frame",
    "compare_types",
    "disagreements_frame",
    "finding_pointers",
    "formula_safe",
    "frame_csv",
    "grade",
    "heatmap_frame",
    "heatmap_long",
    "leading_types",
    "quiz_choices",
    "source_disagreements",
    "steps",
    "table_frames",
    "trajectory_frame",
]
