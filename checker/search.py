"""Find symptoms by what people type: plain-language label, clinical term, lay or clinical synonyms, HPO name.

Typing "sweaty", "hyperhidrosis" or a typo such as "swetting" finds Sweating; "tummy ache" finds belly pain.
Words may come in any order. Matching ignores case, accents, punctuation, plural endings and British/American
spelling pairs. Each typed word is compared with the words of every name: equal, a prefix ("diarr"), inside a
longer word after a medical prefix ("glycemia" in "hypoglycemia"), or close by rapidfuzz's edit-distance ratio
(a typo that keeps the first letter).
Pure logic, no streamlit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from checker.model import KnowledgeBase, Symptom

MAX_QUERY_CHARS = 100
"""Typed text beyond this length is ignored."""
TYPO_CUTOFF = 80.0
"""rapidfuzz ratio (0-100) from which a typed word counts as a misspelling of a name's word."""
KEEP_FROM = 60.0
"""A name matches when its typed words score at least this on average (each word 0-100)."""

_WORD = re.compile(r"[a-z0-9]+")
_SPELLINGS = (("oe", "e"), ("ae", "e"), ("our", "or"))
"""British -> American spelling fragments (diarrhoea ~ diarrhea, haemoptysis ~ hemoptysis, tumour ~ tumor)."""

LAY_PHRASES: dict[str, tuple[str, ...]] = {
    "abdominal-pain": ("tummy ache", "sore tummy", "stomach pain", "bellyache", "gut ache"),
    "abdominal-cramping": ("tummy cramps", "griping pain"),
    "flushing": ("hot flushes", "hot flashes", "going red", "face turns red", "red in the face"),
    "sweating": ("sweating a lot", "drenching sweats", "drenched", "pouring with sweat", "clammy"),
    "fasting-or-exercise-spells": ("shaky when hungry", "better after food", "faint when hungry", "hypo before breakfast"),
    "shakiness": ("shaky hands", "shaking"),
    "palpitations": ("heart thumping", "heart fluttering"),
    "diarrhea": ("upset stomach", "loose motions", "tummy upset", "runny poo"),
    "watery-diarrhea": ("watery poo",),
    "bloating": ("tummy swollen", "wind", "bloated belly", "bloated tummy"),
    "fatigue": ("always tired", "tired all the time", "no energy", "exhausted", "knackered", "shattered"),
    "weight-loss": ("lost weight", "clothes are loose", "losing weight without trying"),
    "poor-appetite": ("off my food", "not eating", "don't feel like eating"),
    "increased-thirst": ("always thirsty", "thirsty", "drinking loads of water"),
    "frequent-urination": ("weeing a lot", "peeing all the time", "up at night to pee", "nocturia"),
    "wheezing": ("whistling chest", "tight chest", "wheezy"),
    "low-blood-glucose": ("sugar low", "low sugar", "sugar crash", "hypos"),
    "heartburn-reflux": ("acid stomach", "burning stomach"),
    "constipation": ("bunged up", "can't poo", "blocked up"),
    "vomiting": ("puking", "sick up", "bringing food up"),
    "vomiting-blood-or-black-stools": ("sick up blood", "black poo", "blood in sick"),
    "rectal-bleeding": ("blood in poo", "bleeding from my bottom", "blood on the toilet paper"),
    "feeling-of-fullness": ("full after a few bites", "full after a few mouthfuls"),
    "difficulty-swallowing": ("food gets stuck", "hard to swallow"),
    "high-blood-pressure": ("high bp",),
    "recurrent-pneumonia": ("chest infections keep coming back",),
    "enlarged-hands-feet": ("rings don't fit", "shoes don't fit"),
    "fainting": ("passed out", "blacked out", "keeled over"),
    "blurred-vision": ("blurry eyes",),
    "back-pain": ("back ache",),
    "muscle-cramps": ("leg cramps",),
    "neck-lump": ("lump in the side of my neck",),
    "lump": ("lump under the skin",),
    "weight-gain": ("piling on weight", "put on weight"),
    "thyroid-lump": ("lump in the front of my neck",),
}
"""Everyday phrases the tables' synonyms do not already hold (rules/symptoms.yaml keeps the clinical ones)."""

_LAY_WORDS: dict[str, tuple[str, ...]] = {
    "tummy": ("belly", "stomach", "abdominal"),
    "belly": ("tummy", "stomach", "abdominal"),
    "stomach": ("belly", "tummy", "abdominal"),
    "poo": ("stool", "stools", "bowel"),
    "pee": ("urine", "urination"),
    "sugar": ("glucose",),
}
"""Everyday words that stand for a clinical one (a typed word scores as well as its stand-ins)."""
FILLER_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "i",
        "im",
        "ive",
        "me",
        "it",
        "its",
        "is",
        "am",
        "are",
        "was",
        "be",
        "been",
        "have",
        "has",
        "had",
        "got",
        "get",
        "getting",
        "keep",
        "keeps",
        "really",
        "very",
        "so",
        "too",
        "quite",
        "bit",
        "and",
        "with",
        "at",
        "of",
        "in",
        "on",
        "to",
        "for",
        "from",
        "when",
        "all",
        "loads",
        "lots",
        "lot",
        "time",
        "times",
        "day",
        "days",
        "anymore",
        "any",
        "some",
        "just",
        "like",
        "there",
        "this",
        "that",
        "gone",
        "went",
    }
)
"""Words that carry no finding ("I keep getting ...", "... all the time"): left out of a typed text that has
other words. "no", "not", "night", "up" and the like stay: they change the finding."""
_PREFIXES = ("hypo", "hyper", "poly", "dys", "an", "a", "micro", "macro", "neuro", "gastro", "pan", "para")
"""Medical prefixes a typed word may follow inside a longer word ("glycemia" finds "hypoglycemia")."""


def words(text: str) -> list[str]:
    """Lower-case ASCII words of a text: accents and apostrophes dropped ("don't" is "dont"), other punctuation
    treated as space."""
    text = unicodedata.normalize("NFKD", text[: MAX_QUERY_CHARS * 10]).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text.lower().replace("'", ""))


def _fold(word: str) -> str:
    for british, american in _SPELLINGS:
        word = word.replace(british, american)
    return word


def _stem(word: str) -> str:
    """A light stem so that plurals and -ing forms meet ("flushes" ~ "flush", "sweats" ~ "sweat")."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 14)
def _forms(word: str) -> frozenset[str]:
    """The word and each of its light stems: "headaches" meets "headache", "passed" meets "passing"."""
    return frozenset({word, *(word[: -len(s)] for s in ("ing", "ed", "es", "s") if len(word) > len(s) + 3 and word.endswith(s))})


def _word_score(typed: str, name_words: tuple[str, ...]) -> float:
    """0-100: how well one typed word is found among a name's (folded) words."""
    return max((_pair_score(typed, word) for word in name_words), default=0.0)


@lru_cache(maxsize=1 << 16)
def _pair_score(typed: str, word: str) -> float:
    """0-100: how well one typed word matches one word of a name (kept: a keystroke re-asks most pairs)."""
    if typed == word or not _forms(typed).isdisjoint(_forms(word)):
        return 100.0
    if word.startswith(typed):
        return 95.0
    if len(typed) >= 4 and any(word.startswith(p + typed) for p in _PREFIXES):
        return 90.0
    if len(typed) >= 4 and typed[0] == word[0]:
        ratio = fuzz.ratio(_stem(typed), _stem(word))
        if ratio >= TYPO_CUTOFF:
            return 0.9 * ratio
    return 0.0


def _typed_score(typed: tuple[str, ...], name_words: tuple[str, ...]) -> float:
    """Average over typed words of the best score of the word or one of its everyday stand-ins."""
    total = 0.0
    for word in typed:
        total += max(_word_score(w, name_words) for w in (word, *_LAY_WORDS.get(word, ())))
    return total / len(typed)


def names(symptom: Symptom) -> tuple[str, ...]:
    """Every name a symptom can be found by, most preferred first."""
    found = [
        symptom.label,
        symptom.clinical,
        *symptom.synonyms,
        *LAY_PHRASES.get(symptom.id, ()),
        symptom.hpo.name,
        *(ref.name for ref in symptom.also_hpo),
        symptom.id.replace("-", " "),
    ]
    return tuple(dict.fromkeys(n for n in found if n))


@dataclass(frozen=True)
class _Entry:
    symptom_id: str
    order: int
    names: tuple[tuple[str, tuple[str, ...]], ...]
    """(name, its folded words), most preferred first."""
    every_word: tuple[str, ...] = ()
    """The distinct words of all its names (for typed words found across several names)."""


_INDEXES: dict[int, tuple[KnowledgeBase, tuple[_Entry, ...]]] = {}


def _index(kb: KnowledgeBase) -> tuple[_Entry, ...]:
    """Every symptom's names split into folded words, built once per knowledge base."""
    cached = _INDEXES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    index = tuple(_entry(s, i) for i, s in enumerate(kb.symptoms.values()))
    _INDEXES[id(kb)] = (kb, index)
    return index


def _entry(symptom: Symptom, order: int = 0) -> _Entry:
    named = tuple((n, tuple(_fold(w) for w in words(n))) for n in names(symptom))
    return _Entry(symptom.id, order, named, tuple(dict.fromkeys(w for _, ws in named for w in ws)))


def _typed(text: str) -> tuple[str, ...]:
    """The typed words, folded, once each, without filler words (unless nothing else was typed)."""
    typed = tuple(dict.fromkeys(_fold(w) for w in words(str(text)[:MAX_QUERY_CHARS])))
    meaningful = tuple(w for w in typed if w not in FILLER_WORDS)
    return meaningful or typed


def _whole_name(typed: tuple[str, ...], name_words: tuple[str, ...]) -> bool:
    """The typed words are the name's words, in any order and any light form ("headaches" for "Headache")."""
    words_meant = [w for w in name_words if w not in FILLER_WORDS] or list(name_words)
    return len(typed) == len(words_meant) and all(any(not _forms(t).isdisjoint(_forms(w)) for w in words_meant) for t in typed)


UNION_PENALTY = 3.0
"""Typed words found across several of a finding's names ("spider veins" + "face") score this much less than
the same words found in one name."""


def _best(entry: _Entry, typed: tuple[str, ...]) -> tuple[float, int, str]:
    """(score, position of the best name, that name) for one symptom; several typed words may also be found
    across its names (less UNION_PENALTY)."""
    best = (0.0, 0, "")
    for position, (name, name_words) in enumerate(entry.names):
        score = _typed_score(typed, name_words)
        if score and _whole_name(typed, name_words):
            score += 5.0  # the whole name, as typed
        if score > best[0]:
            best = (score, position, name)
    if len(typed) > 1 and best[0] < 100.0:
        union = _typed_score(typed, entry.every_word) - UNION_PENALTY
        if union > best[0]:
            best = (union, best[1], best[2])
    return best


@dataclass(frozen=True)
class _Arrays:
    """The index as arrays, so that a keystroke scores every name at once: the distinct words (vocabulary), and
    per name its words' vocabulary positions (padded with len(vocab), which scores 0)."""

    vocab: tuple[str, ...]
    name_words: np.ndarray
    """(names, longest name) vocabulary positions of each name's words."""
    meant_words: np.ndarray
    """The same without filler words (all of them when a name has only filler), for the whole-name rule."""
    meant_counts: np.ndarray
    name_entry: np.ndarray
    """Which entry (symptom, in table order) each name belongs to; names are in entry order."""
    name_position: np.ndarray
    entry_starts: np.ndarray
    entry_words: np.ndarray
    """(entries, most words) vocabulary positions of every word of each entry's names."""
    typed_scores: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    """Per typed word, its scores over the vocabulary (see _vocab_scores), kept between keystrokes."""


_ARRAYS: dict[int, tuple[KnowledgeBase, _Arrays]] = {}


def _padded(rows: list[list[int]], pad: int) -> np.ndarray:
    width = max((len(r) for r in rows), default=1) or 1
    out = np.full((len(rows), width), pad, dtype=np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _arrays(kb: KnowledgeBase) -> _Arrays:
    cached = _ARRAYS.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    if len(_ARRAYS) > 8:
        _ARRAYS.clear()
    entries = _index(kb)
    vocab = tuple(dict.fromkeys(w for e in entries for _, ws in e.names for w in ws))
    at = {w: i for i, w in enumerate(vocab)}
    pad = len(vocab)
    name_rows: list[list[int]] = []
    meant_rows: list[list[int]] = []
    name_entry: list[int] = []
    name_position: list[int] = []
    starts: list[int] = []
    for e_index, entry in enumerate(entries):
        starts.append(len(name_rows))
        for position, (_, ws) in enumerate(entry.names):
            name_rows.append([at[w] for w in ws])
            meant = [w for w in ws if w not in FILLER_WORDS] or list(ws)
            meant_rows.append([at[w] for w in meant])
            name_entry.append(e_index)
            name_position.append(position)
    arrays = _Arrays(
        vocab,
        _padded(name_rows, pad),
        _padded(meant_rows, pad),
        np.array([len(r) for r in meant_rows]),
        np.array(name_entry),
        np.array(name_position),
        np.array(starts),
        _padded([[at[w] for w in e.every_word] for e in entries], pad),
    )
    _ARRAYS[id(kb)] = (kb, arrays)
    return arrays


MAX_KEPT_WORDS = 4096
"""Typed words whose vocabulary scores are kept (then the store starts again)."""


def _vocab_scores(arrays: _Arrays, typed: str) -> tuple[np.ndarray, np.ndarray]:
    """For one typed word: its score against every vocabulary word (the word or its everyday stand-ins, best),
    and whether each word is a light form of it (for the whole-name rule); each ends with the padding's 0."""
    kept = arrays.typed_scores.get(typed)
    if kept is not None:
        return kept
    vocab = arrays.vocab
    scores = np.zeros(len(vocab) + 1)
    forms = np.zeros(len(vocab) + 1, dtype=bool)
    for i, word in enumerate(vocab):
        scores[i] = max(_pair_score(w, word) for w in (typed, *_LAY_WORDS.get(typed, ())))
        forms[i] = typed == word or not _forms(typed).isdisjoint(_forms(word))
    if len(arrays.typed_scores) >= MAX_KEPT_WORDS:
        arrays.typed_scores.clear()
    arrays.typed_scores[typed] = (scores, forms)
    return scores, forms


def _entry_scores(kb: KnowledgeBase, typed: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per entry (table order): its best score and the position of the name that gave it (see _best)."""
    a = _arrays(kb)
    pairs = [_vocab_scores(a, word) for word in typed]
    name_score = sum(s[a.name_words].max(axis=1) for s, _ in pairs) / len(typed)
    whole = (a.meant_counts == len(typed)) & np.logical_and.reduce([f[a.meant_words].any(axis=1) for _, f in pairs])
    name_score = np.where((name_score > 0) & whole, name_score + 5.0, name_score)
    best = np.maximum.reduceat(name_score, a.entry_starts)
    first = np.where(name_score == best[a.name_entry], a.name_position, np.iinfo(np.int32).max)
    position = np.minimum.reduceat(first, a.entry_starts)
    position = np.where(best > 0, position, 0)
    if len(typed) > 1:
        union = sum(s[a.entry_words].max(axis=1) for s, _ in pairs) / len(typed) - UNION_PENALTY
        best = np.where((best < 100.0) & (union > best), union, best)
    return best, position


def search_symptoms(
    kb: KnowledgeBase, text: str, symptoms: Iterable[Symptom] | None = None, limit: int | None = None
) -> list[str]:
    """Ids of symptoms matching the typed text, best first (ties: the label before other names, then table
    order). Empty or punctuation-only text matches nothing.
    """
    typed = _typed(text)
    if not typed:
        return []
    pool = None if symptoms is None else {s.id for s in symptoms}
    ranked = []
    best, position = _entry_scores(kb, typed)
    for entry in _index(kb):
        if pool is not None and entry.symptom_id not in pool:
            continue
        score = float(best[entry.order])
        if score >= KEEP_FROM:
            ranked.append((-round(score, 1), min(int(position[entry.order]), 2), entry.order, entry.symptom_id))
    ranked.sort()
    found = [item[3] for item in ranked]
    return found[:limit] if limit is not None else found


def matched_name(symptom: Symptom, text: str) -> str | None:
    """The name that the typed text matched best when it is not the label itself (to show why it was found)."""
    typed = _typed(text)
    if not typed:
        return None
    entry = _entry(symptom)
    score, position, name = _best(entry, typed)
    if score < KEEP_FROM or position == 0 or _typed_score(typed, entry.names[0][1]) >= score:
        return None
    return name
