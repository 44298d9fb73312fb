"""Each article's language, and what the English-only stages do for other languages.

Language identification is py3langid (langid.py's model, offline, numpy only).
Reuse (alignment) and story grouping work on any Latin-script text; quote
speakers (English speech cues), framing terms and actor swaps (English concept
lists) and the signals (English determiners, style and loaded-language lists)
do not.  For an article identified as another language they are skipped, not
guessed: its quotes keep their text and offsets but get no speaker or cue, its
framing entries no terms or actor changes, its signals the empty defaults, and
the run lists one problem entry for it saying so.
"""
from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Iterable

from .model import Article, FramingEntry, Problem, Signals

ENGLISH = "en"
#: Characters of the cleaned body the language is identified from.  On every
#: dev set (stories, quotes, derivations, wire, events: 2,749 English texts)
#: the first 500, 2,000 or 5,000 characters all gave "en"; 2,000 costs ~1 ms.
SAMPLE_CHARS = 2000
#: Below this (normalised) probability the best guess is not trusted and the
#: article's language is left unknown (null; processed as English, as before).
#: Evidence: over the 2,749 dev-set texts and the 160 raw pages of extract-dev,
#: the only non-"en" best guesses were two raw MSN menu pages at 0.45 and 0.47;
#: one-sentence French/Spanish/Italian/German news text scores 0.90-0.999.
MIN_CONFIDENCE = 0.8
#: Fewer letters than this: too little text to tell (left unknown).
MIN_LETTERS = 20

_lock = threading.Lock()
_identifier = None

# -- the plainly English sample, told without the model ---------------------------
# py3langid walks its byte automaton in Python, ~1.4-1.8 ms an article: a quarter of
# the per-document step on real news (py-spy, realistic 10k corpus).  A sample that is
# plainly English is told from its function words instead (~0.1 ms): at least
# MIN_WORDS words, English function words at least 15% of them and "the" at least 3%,
# and frequent function words of other Latin-script languages under 2%.  Evidence
# (/tmp-style check, 2026-12-07): over 13,078 texts (every dev set's texts, extract-dev's
# gold bodies, 10,000 of the realistic corpus, and paragraphs in es/fr/de/it/pt/nl/sv/tl,
# a French and a German article quoting English sentences, an English menu page) it
# fired on 11,685, and py3langid said "en" for every one of them; on the others the
# model decides as before.  English news runs at 0.14-0.30 function words and
# 0.02-0.08 "the" (0.1% quantile of the realistic corpus: 0.118 and 0.012); the French
# article with a long English quote reached 0.138 and 0.032, and its French words
# (le, les, des, ...) are what keeps it from the shortcut.
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 40
_ENGLISH_MARKS = frozenset(
    "the and of to that is was were for with said from this which would their they been have has who its not "
    "will".split())
_OTHER_MARKS = frozenset(
    "le les des du est une et dans pour qui sur avec "           # French
    "der das und ist nicht ein eine mit sich dem auf für von wird "   # German
    "el los las del que por una para "                            # Spanish
    "il di che della gli nel sono "                               # Italian
    "os não um em "                                               # Portuguese
    "het een niet zijn "                                          # Dutch
    "och att det som är på "                                      # Swedish
    "ng ang mga".split())                                         # Tagalog


def plainly_english(sample: str) -> bool:
    """Whether ``sample`` is English by its function words alone (see above)."""
    words = _WORD.findall(sample.lower())
    n = len(words)
    if n < MIN_WORDS:
        return False
    marks = the = other = 0
    for w in words:
        if w in _ENGLISH_MARKS:
            marks += 1
            the += w == "the"
        elif w in _OTHER_MARKS:
            other += 1
    return marks >= 0.15 * n and the >= 0.03 * n and other < 0.02 * n


def _ident():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str | None) -> str | None:
    """The ISO 639-1 code of ``text``'s language ("en", "fr", ...), or None when
    there is too little text or the identification is not confident."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    letters = 0
    for c in sample:                      # stops at the MIN_LETTERS-th letter
        if c.isalpha():
            letters += 1
            if letters >= MIN_LETTERS:
                break
    else:
        return None
    if plainly_english(sample):
        return ENGLISH
    lang, p = _ident().classify(sample)
    return lang if p >= MIN_CONFIDENCE else None


def english_only_skipped(language: str | None) -> bool:
    """Whether the English-only stages are skipped for an article in ``language``."""
    return language is not None and language != ENGLISH


def language_of(result: dict) -> str | None:
    """The language of a per-document result (identified now for a result cached
    before languages were identified)."""
    if "language" in result:
        return result["language"]
    return detect_language(result.get("text"))


def quotes_for_language(quotes: list, language: str | None) -> list:
    """The quotes with speakers and cues removed when they cannot be trusted (not English)."""
    if not english_only_skipped(language):
        return quotes
    for q in quotes:
        q.speaker = None
        q.cue = None
    return quotes


def skipped_signals(language: str) -> Signals:
    return Signals(skipped=f"language {language}: signals are English-only")


def limit_article(a: Article) -> None:
    """Signals and quote speakers of a non-English article left empty (in place)."""
    if english_only_skipped(a.language):
        a.signals = skipped_signals(a.language)
        quotes_for_language(a.quotes, a.language)


def limit_framing(framing: Iterable[FramingEntry], non_english: set[str] | frozenset) -> list[FramingEntry]:
    """Framing entries with no terms or actor changes for non-English articles."""
    out = []
    for f in framing:
        if f.article in non_english and (f.terms or f.actor_changes):
            f = replace(f, terms=[], actor_changes=[])
        out.append(f)
    return out


def limit_corpus(articles: list[Article], framing: list[FramingEntry]) -> list[FramingEntry]:
    """The English-only corpus results removed for non-English articles: their
    signals (in place) and their framing terms and actor changes (returned)."""
    non_english = {a.id for a in articles if english_only_skipped(a.language)}
    if not non_english:
        return framing
    for a in articles:
        limit_article(a)
    return limit_framing(framing, non_english)


def problem_for(a: Article) -> Problem | None:
    if not english_only_skipped(a.language):
        return None
    from .guard import split_origin
    path, line = split_origin(a.origin or a.id)
    return Problem(path, line, f"language {a.language}: quote speakers, framing terms and signals "
                   f"are English-only and were skipped", stage="language", article=a.id)


def language_problems(articles: Iterable[Article]) -> list[Problem]:
    """One problem entry per article whose English-only stages were skipped."""
    return [p for p in map(problem_for, articles) if p is not None]
