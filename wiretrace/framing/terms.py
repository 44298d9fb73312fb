"""Term choices: the words each article uses for concepts the story names differently.

Two sources of concepts:

* the shipped lexicon ``wiretrace/data/loaded_terms.json`` (concepts with variant
  terms, some marked loaded; see ``LOADED_TERMS.md``);
* substitutions *learned* inside aligned sentence pairs: the token sequences of a
  source sentence and its retelling are diffed, and a short replaced stretch
  ("government" -> "regime", "Islamic State" -> "Daesh") becomes a concept with
  two variants.  Where a replaced stretch holds two different variants of one
  lexicon concept, the lexicon concept is used.

Counting is word-bounded, longest variant first (so "Islamic State group" is not
also counted as "Islamic State"), case-sensitive for short all-capital acronyms
("IS", "US") and case-insensitive otherwise, and only in the article's own
voice: text inside quotation marks is the speaker's choice, not the outlet's.
"""
from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from wiretrace.english import stem
from wiretrace.model import TermChoice

from .text import STOPWORDS, Doc, in_spans, norm_token, words


@dataclass
class Concept:
    name: str
    terms: list[str]
    loaded: set[str] = field(default_factory=set)
    learned: bool = False


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[Concept, ...]:
    raw = resources.files("wiretrace.data").joinpath("loaded_terms.json").read_text("utf-8")
    data = json.loads(raw)
    return tuple(Concept(c["concept"], list(c["terms"]), set(c.get("loaded", [])))
                 for c in data["concepts"])


def _case_sensitive(term: str) -> bool:
    return term.isupper() and len(term.replace(".", "")) <= 3


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern:
    parts = [re.escape(w) for w in term.split()]
    body = r"\s+".join(parts)
    flags = 0 if _case_sensitive(term) else re.IGNORECASE
    return re.compile(r"(?<![\w\-])" + body + r"(?![\w\-]|\.\w)", flags)


_SENT_START = re.compile(r"(?:^|[.!?:;\n\"“”(\[—–-])\s*$")


def _capitalised_misuse(text: str, term: str, s: int) -> bool:
    """A lower-case term found capitalised mid-sentence is a name ("United States",
    "Defense Secretary", "Wall Street"), not the common word."""
    if not term[:1].islower() or not text[s:s + 1].isupper():
        return False
    return not _SENT_START.search(text[max(0, s - 3):s])


@lru_cache(maxsize=256)
def _scanner(terms: tuple[str, ...]) -> tuple[re.Pattern, frozenset[str] | None]:
    """One alternation over all terms, longest first (so at each position the
    longest variant wins), case-insensitive; case is checked after the match.  With
    it, the case-folded first word run (``\\w+``) of every term: a match can only
    start where the text's run is one of them (None when a term starts otherwise)."""
    order = sorted(set(terms), key=lambda x: (-len(x), x))
    alts = [r"\s+".join(re.escape(w) for w in t.split()) for t in order]
    rx = re.compile(r"(?<![\w\-])(?:" + "|".join(alts) + r")(?![\w\-]|\.\w)", re.IGNORECASE)
    firsts = [_FIRST_RUN.match(t) for t in order]
    return rx, (frozenset(f.group(0).casefold() for f in firsts) if all(firsts) else None)


_FIRST_RUN = re.compile(r"\w+")
# where a term can start: a word run not preceded by a word character or a hyphen
# (the alternation's own look-behind)
_RUN_START = re.compile(r"(?<![\w\-])\w+")


@lru_cache(maxsize=1)
def _lexicon_term_set() -> frozenset[str]:
    return frozenset(_all_lexicon_terms()[0])


def _matches(text: str, terms):
    """The matches of one alternation over ``terms`` (leftmost, then the longest
    term), and the table from a match's lower-case words to its terms.

    The shipped lexicon's terms are one scanner, compiled once; the others (a story's
    learned terms: few) a second, small one.  (One alternation per story, compiled
    anew for each: ~9 ms a story, 40% of the term step on derivations-dev.)  A scanner
    is tried only where a word run starts that begins one of its terms: the alternation
    of 363 terms tried at every character was 1.1 ms per article (most of framing's
    time on a 3,000-article crawl)."""
    terms = set(terms)
    lexicon = _lexicon_term_set()
    parts = tuple(p for p in (tuple(sorted(terms & lexicon)), tuple(sorted(terms - lexicon))) if p)
    by_key = _key_table(parts)
    scanners = [_scanner(p) for p in parts]
    if any(firsts is None for _, firsts in scanners):
        # a term that does not start with a word character: the alternations as they are
        return _merged([lambda pos, rx=rx: rx.search(text, pos) for rx, _ in scanners], text), by_key
    runs = [(m.start(), m.group(0).casefold()) for m in _RUN_START.finditer(text)]

    def searcher(rx, firsts):
        starts = [s for s, run in runs if run in firsts]      # where one of its terms may begin

        def search(pos: int):
            for k in range(bisect_left(starts, pos), len(starts)):
                m = rx.match(text, starts[k])
                if m is not None:
                    return m
            return None
        return search

    return _merged([searcher(rx, firsts) for rx, firsts in scanners], text), by_key


@lru_cache(maxsize=256)
def _key_table(parts: tuple[tuple[str, ...], ...]) -> dict[str, list[str]]:
    """A match's lower-case words (single spaces) -> the terms it can be, longest first."""
    order = sorted({t for p in parts for t in p}, key=lambda x: (-len(x), x))
    table: dict[str, list[str]] = {}
    for t in order:
        table.setdefault(" ".join(t.lower().split()), []).append(t)
    return table


def _merged(searches, text: str):
    """The matches of several scanners merged as one alternation of all their terms
    would match (``search(pos)``: a scanner's first match starting at or after pos):
    the earlier start wins; at one start the longer match (the alternation is ordered
    longest term first); a scanner whose next match began inside the winner searches
    again from the winner's end."""
    nxt = [search(0) for search in searches]
    while True:
        live = [i for i, m in enumerate(nxt) if m is not None]
        if not live:
            return
        i = min(live, key=lambda j: (nxt[j].start(), -len(" ".join(nxt[j].group(0).split()))))
        m = nxt[i]
        yield m
        for j in live:
            if nxt[j].start() < m.end():
                nxt[j] = searches[j](m.end())


def find_terms(text: str, terms, skip: list[tuple[int, int]] | None = None,
               taken: list[tuple[int, int]] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Occurrences of each term: leftmost-longest, never overlapping each other or
    ``taken`` (which is extended), outside ``skip``."""
    if not terms:
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    matches, by_key = _matches(text, terms)
    for m in matches:
        s, e = m.start(), m.end()
        if skip and any(a <= s < b for a, b in skip):
            continue
        if taken and any(s < b and a < e for a, b in taken):
            continue
        found = m.group(0)
        cands = by_key.get(" ".join(found.lower().split()), [])
        term = None
        for t in cands:                     # exact case first
            if " ".join(found.split()) == t:
                term = t
                break
        if term is None:
            term = next((t for t in cands if not _case_sensitive(t)), None)
        if term is None or _capitalised_misuse(text, term, s):
            continue
        if taken is not None:
            taken.append((s, e))
        out.setdefault(term, []).append((s, e))
    return out


def count_terms(text: str, terms: list[str], skip=None) -> dict[str, int]:
    return {t: len(v) for t, v in find_terms(text, terms, skip).items()}


# -- learning substitutions from aligned sentence pairs -------------------------

# A learned (non-lexicon) substitution is at most this many tokens on each side:
# longer replaced stretches are rewrites, not word choices.
MAX_LEARNED_TOKENS = 2
# Inside a longer replaced stretch, lexicon variants are still looked for up to this size.
MAX_LEXICON_STRETCH = 10


@lru_cache(maxsize=1)
def _all_lexicon_terms() -> tuple[tuple[str, ...], dict[str, list[int]]]:
    owner: dict[str, list[int]] = {}
    for i, c in enumerate(load_lexicon()):
        for t in c.terms:
            owner.setdefault(t, []).append(i)
    return tuple(owner), owner


def _lexicon_hits(phrase: str) -> list[tuple[int, str]]:
    """(concept index, term) for lexicon terms inside ``phrase``."""
    terms, owner = _all_lexicon_terms()
    return [(i, t) for t in find_terms(phrase, terms) for i in owner[t]]


@dataclass
class Substitution:
    concept: str            # concept name (lexicon) or the source's wording
    source_term: str
    target_term: str
    lexicon: bool
    source_start: int
    target_start: int


def _tokens(doc: Doc, s: int, e: int) -> list[tuple[str, int, int]]:
    return [w for w in words(doc.text, s, e)]


def substitutions(src: Doc, s0: int, s1: int, tgt: Doc, t0: int, t1: int,
                  learn: bool = True) -> list[Substitution]:
    """Word substitutions between src.text[s0:s1] and tgt.text[t0:t1] (an aligned pair).
    With ``learn`` False only lexicon pairs are kept (for loosely aligned pairs,
    where a free substitution is more often a paraphrase than a word choice)."""
    a, b = _tokens(src, s0, s1), _tokens(tgt, t0, t1)
    an = [stem(norm_token(w), verbs=True) for w, _, _ in a]
    bn = [stem(norm_token(w), verbs=True) for w, _, _ in b]
    sm = difflib.SequenceMatcher(None, an, bn, autojunk=False)
    lex = load_lexicon()
    out: list[Substitution] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace":
            continue
        if i2 - i1 > MAX_LEXICON_STRETCH or j2 - j1 > MAX_LEXICON_STRETCH:
            continue
        ss, se = a[i1][1], a[i2 - 1][2]
        ts, te = b[j1][1], b[j2 - 1][2]
        if in_spans(ss, se, src.quotes) or in_spans(ts, te, tgt.quotes):
            continue          # words inside quotes: a quote alteration, not the outlet's choice
        # the stretch with one unchanged word of context each side, so that
        # "Syrian government" -> "Syrian regime" is seen as the lexicon pair it is
        cs = a[max(i1 - 1, 0)][1]
        ce = a[min(i2, len(a) - 1)][2]
        ct = b[max(j1 - 1, 0)][1]
        cte = b[min(j2, len(b) - 1)][2]
        src_hits = {(ci, t) for ci, t in _lexicon_hits(src.text[cs:ce])}
        tgt_hits = {(ci, t) for ci, t in _lexicon_hits(tgt.text[ct:cte])}
        found = False
        for ci, st in src_hits:
            for cj, tt in tgt_hits:
                if ci == cj and st.lower() != tt.lower():
                    # the lexicon term must touch the changed words on both sides
                    if _touches(src.text, cs, ce, st, ss, se) and _touches(tgt.text, ct, cte, tt, ts, te):
                        out.append(Substitution(lex[ci].name, st, tt, True, ss, ts))
                        found = True
        if found or not learn:
            continue
        if i2 - i1 > MAX_LEARNED_TOKENS or j2 - j1 > MAX_LEARNED_TOKENS:
            continue
        sa = src.text[ss:se]
        ta = tgt.text[ts:te]
        na = [norm_token(w) for w, _, _ in a[i1:i2]]
        nb = [norm_token(w) for w, _, _ in b[j1:j2]]
        if "".join(na) == "".join(nb):
            continue          # restyling: "U.S." / "US", "deconflict" / "de-conflict"
        if all(x in STOPWORDS for x in na) or all(x in STOPWORDS for x in nb):
            continue
        if any(ch.isdigit() for ch in sa + ta):
            continue          # changed numbers are facts, not word choices
        if sa[:1].isupper() and ta[:1].isupper():
            continue          # proper names: a name variant or an actor change, not a word choice
        if _spelling_variant(" ".join(na), " ".join(nb)):
            continue          # "estimates"/"estimate", "defense"/"defence"
        if i1 == 0 or j1 == 0 or i2 == len(a) or j2 == len(b):
            continue          # a substitution needs unchanged words on both sides
        out.append(Substitution(sa, sa, ta, False, ss, ts))
    return out


def _spelling_variant(a: str, b: str) -> bool:
    if a.startswith(b) or b.startswith(a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _touches(text: str, cs: int, ce: int, term: str, ss: int, se: int) -> bool:
    for m in term_pattern(term).finditer(text, cs, ce):
        if m.start() < se and ss < m.end():
            return True
    return False


def story_concepts(learned: list[Substitution]) -> list[Concept]:
    """The lexicon concepts, extended with learned variants, plus learned concepts."""
    lex = [Concept(c.name, list(c.terms), set(c.loaded)) for c in load_lexicon()]
    by_name = {c.name: c for c in lex}
    extra: dict[str, Concept] = {}
    term_owner = {}
    for c in lex:
        for t in c.terms:
            term_owner.setdefault(t.lower(), c)
    for s in learned:
        if s.lexicon:
            c = by_name[s.concept]
            for t in (s.source_term, s.target_term):
                if t.lower() not in {x.lower() for x in c.terms}:
                    c.terms.append(t)
            continue
        owner = term_owner.get(s.source_term.lower()) or term_owner.get(s.target_term.lower())
        if owner is not None:
            for t in (s.source_term, s.target_term):
                if t.lower() not in {x.lower() for x in owner.terms}:
                    owner.terms.append(t)
            continue
        key = s.source_term.lower()
        c = extra.get(key)
        if c is None:
            c = extra[key] = Concept(s.source_term, [s.source_term], set(), learned=True)
        if s.target_term.lower() not in {x.lower() for x in c.terms}:
            c.terms.append(s.target_term)
    return lex + list(extra.values())


def story_terms(docs: list[Doc], concepts: list[Concept]) -> dict[str, list[TermChoice]]:
    """article id -> [TermChoice] for the concepts the story's
    articles name with at least two different terms (outside quotes)."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    # one occurrence belongs to one concept: the longest term wins across concepts,
    # so "Syrian regime" is not also counted under the generic "government"
    owner: dict[str, str] = {}
    for c in concepts:
        for t in c.terms:
            owner.setdefault(t, c.name)
    for d in docs:
        counts[d.id] = {}
        for t, occ in find_terms(d.text, list(owner), d.quotes).items():
            counts[d.id].setdefault(owner[t], {})[t] = len(occ)
    out: dict[str, list[TermChoice]] = {d.id: [] for d in docs}
    for c in concepts:
        # "ISIS" / "Isis", "U.S.-led" / "US-led" are one term restyled: no choice of words
        used = {t if _case_sensitive(t) else t.lower().replace(".", "")
                for d in docs for t in counts[d.id].get(c.name, {})}
        if len(used) < 2:
            continue
        for d in docs:
            for t, n in sorted(counts[d.id].get(c.name, {}).items(), key=lambda x: -x[1]):
                out[d.id].append(TermChoice(c.name, t, n, loaded=t in c.loaded, learned=bool(c.learned)))
    return out
