"""Find symptoms by what people type: plain-language label, clinical term, lay or clinical synonyms, HPO name.

Typing "sweaty" or "hyperhidrosis" finds Sweating. Matching ignores case, accents, punctuation and
British/American spelling pairs that the synonyms do not already cover; every typed word must start
some word of one of the symptom's names. Pure logic, no streamlit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from checker.model import KnowledgeBase, Symptom

MAX_QUERY_CHARS = 100
"""Typed text beyond this length is ignored."""

_WORD = re.compile(r"[a-z0-9]+")
_SPELLINGS = (("oe", "e"), ("ae", "e"), ("our", "or"))
"""British -> American spelling fragments (diarrhoea ~ diarrhea, haemoptysis ~ hemoptysis, tumour ~ tumor)."""


def words(text: str) -> list[str]:
    """Lower-case ASCII words of a text: accents dropped, punctuation treated as space."""
    text = unicodedata.normalize("NFKD", text[:MAX_QUERY_CHARS * 10]).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text.lower())


def _fold(word: str) -> str:
    for british, american in _SPELLINGS:
        word = word.replace(british, american)
    return word


def _forms(word: str) -> set[str]:
    return {word, _fold(word)}


def names(symptom: Symptom) -> tuple[str, ...]:
    """Every name a symptom can be found by, most preferred first."""
    found = [symptom.label, symptom.clinical, *symptom.synonyms, symptom.hpo.name,
             *(ref.name for ref in symptom.also_hpo), symptom.id.replace("-", " ")]
    return tuple(dict.fromkeys(n for n in found if n))


def _score(typed: list[str], name: str) -> int | None:
    """How well one name matches the typed words (lower is better), or None when a typed word is missing.

    0: the whole name, 1: the name starts with the typed words, 2: every typed word starts a word of the name.
    A typed word of four or more letters may also sit inside a longer word ("glycemia" in "hypoglycemia").
    """
    name_words = words(name)
    name_forms = [_forms(w) for w in name_words]
    folded_name = " ".join(_fold(w) for w in name_words)
    folded_typed = " ".join(_fold(w) for w in typed)
    if folded_name == folded_typed:
        return 0
    for word in typed:
        variants = _forms(word)
        if any(f.startswith(v) for forms in name_forms for f in forms for v in variants):
            continue
        if len(word) >= 4 and any(v in f for forms in name_forms for f in forms for v in variants):
            continue
        return None
    return 1 if folded_name.startswith(folded_typed) else 2


def search_symptoms(kb: KnowledgeBase, text: str, symptoms: Iterable[Symptom] | None = None) -> list[str]:
    """Ids of symptoms matching the typed text, best first (whole-name matches, then the label, clinical term,
    synonyms); ties keep table order. Empty or punctuation-only text matches nothing.
    """
    typed = words(str(text)[:MAX_QUERY_CHARS])
    if not typed:
        return []
    order = {s.id: i for i, s in enumerate(kb.symptoms.values())}
    pool = list(symptoms) if symptoms is not None else list(kb.symptoms.values())
    ranked: list[tuple[int, int, int, str]] = []
    for symptom in pool:
        best: tuple[int, int] | None = None
        for position, name in enumerate(names(symptom)):
            score = _score(typed, name)
            if score is not None and (best is None or (score, min(position, 2)) < best):
                best = (score, min(position, 2))
        if best is not None:
            ranked.append((best[0], best[1], order.get(symptom.id, len(order)), symptom.id))
    ranked.sort()
    return [item[3] for item in ranked]


def matched_name(symptom: Symptom, text: str) -> str | None:
    """The name that the typed text matched when it is not the label itself (to show why it was found)."""
    typed = words(str(text)[:MAX_QUERY_CHARS])
    if not typed or _score(typed, symptom.label) is not None:
        return None
    for name in names(symptom)[1:]:
        if _score(typed, name) is not None:
            return name
    return None
