"""Read an OBO ontology file (the HPO release's hp.obo) into plain dictionaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Ontology:
    """The terms of an OBO file: names, is_a edges both ways, alternative and replacement ids, obsolete ids."""

    names: dict[str, str] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    alt_of: dict[str, str] = field(default_factory=dict)
    replaced_by: dict[str, str] = field(default_factory=dict)
    obsolete: set[str] = field(default_factory=set)
    release: str = ""


def parse_obo(path: Path) -> Ontology:
    """Every [Term] stanza of an OBO file (obsolete ones too), with the release named by its data-version."""
    onto = Ontology()
    current: str | None = None
    in_term = False
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.startswith("data-version:"):
                onto.release = line.split("/")[-1].strip()
            if line.startswith("["):
                in_term = line == "[Term]"
                current = None
                continue
            if not in_term:
                continue
            key, _, value = line.partition(": ")
            if key == "id":
                current = value
                onto.parents[current] = []
            elif current is None:
                continue
            elif key == "name":
                onto.names[current] = value
            elif key == "is_a":
                onto.parents[current].append(value.split(" ")[0])
            elif key == "alt_id":
                onto.alt_of[value] = current
            elif key == "is_obsolete" and value == "true":
                onto.obsolete.add(current)
            elif key == "replaced_by":
                onto.replaced_by[current] = value
    for term, parents in onto.parents.items():
        for parent in parents:
            onto.children.setdefault(parent, []).append(term)
    return onto
