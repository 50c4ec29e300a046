"""Snapshot rows are read by position: the file columns are the model's fields, in order."""

from __future__ import annotations

from dataclasses import fields

from checker.model import AnnotationRow, HpoTerm
from checker.snapshot import ANNOTATION_COLUMNS, TERM_COLUMNS, _parse


def test_the_columns_are_the_fields_in_order() -> None:
    assert ANNOTATION_COLUMNS == tuple(field.name for field in fields(AnnotationRow))
    assert TERM_COLUMNS == tuple(field.name for field in fields(HpoTerm))


def test_rows_become_terms_and_annotations() -> None:
    terms = "id\tname\tsymptom\tvia\tdistance\tprimary\nHP:0000001\tAll\tfever\tHP:0000002\t2\t\n"
    annotations = "orpha\tdisease\tqualifier\thpo\tfrequency\tevidence\treference\nORPHA:1\tD\t\tHP:0000001\tf\tTAS\tr\n"
    snapshot, problems = _parse('{"hpo_release": "2024-01-01"}', terms, annotations)
    assert problems == ()
    assert snapshot.terms == {"HP:0000001": HpoTerm("HP:0000001", "All", "fever", "HP:0000002", 2, "")}
    assert snapshot.annotations == (AnnotationRow("ORPHA:1", "D", "", "HP:0000001", "f", "TAS", "r"),)
