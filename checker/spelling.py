"""British spellings that own-words text (labels, summaries, explanations) may not use."""

from __future__ import annotations

import re

_BRITISH_WORDS = (
    "diarrhoe",
    "tumour",
    "(?<![a-z])oesophag",
    "haem",
    "colour",
    "anaemi",
    "(?<!angi)oedema",
    "behaviour",
    "centre",
    "coeliac",
    "ischaemi",
    "glycaemi",
    "leukaemi",
    "oestrogen",
    "paediatric",
    "favour",
    "fibre",
    "litre",
    "hot flush",
)
BRITISH_SPELLINGS = re.compile(rf"\b\w*({'|'.join(_BRITISH_WORDS)})\w*", re.IGNORECASE)
"""British spellings not allowed in own-words fields (verbatim excerpts and search synonyms keep theirs)."""
_BRITISH_STEMS = tuple(re.sub(r"^\(\?<![^)]*\)", "", word) for word in _BRITISH_WORDS)
"""The words without their conditions: ASCII text that holds none of them (lowercased) cannot match."""


def british(text: str) -> re.Match[str] | None:
    """BRITISH_SPELLINGS.search(text), without running the regex (tens of microseconds a text) on ASCII text that
    holds none of its words."""
    if text.isascii():
        lowered = text.lower()
        if not any(stem in lowered for stem in _BRITISH_STEMS):
            return None
    return BRITISH_SPELLINGS.search(text)
