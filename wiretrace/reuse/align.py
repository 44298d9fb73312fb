"""Passage alignment between a source and a target text, at sentence level.

Both texts are cut into *units* (the article's sentences, ``Article.sentences``:
the one sentence source of every stage) and word tokens.  For every target
unit the source units sharing a content word bigram are scored by *bigram
coverage*: the share of the target unit's tokens that sit in a word bigram also
present in the source unit.  One substituted word ("Islamic State" -> "Daesh")
costs about one token of coverage, so edited sentences still score high, while
two articles on the same event rarely share more than a phrase per sentence.
A target unit made of two merged source sentences takes the union of both.

Every unit is matched on its own, so reordered paragraphs are all found: no
monotone alignment is assumed.  Quoted stretches are marked per token so a
caller can discount them (shared quotes alone do not make a derivation).

``align_pair(source_text, target_text)`` gives the contract's passages;
``prepare`` + ``align_docs`` give the per-unit matches the tracer works with.
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import xxhash

from wiretrace.english import ALIGN_STOPWORDS
from wiretrace.model import Passage
from wiretrace.segment.quotes import quoted_stretches

_TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*", re.UNICODE)

STOPWORDS = ALIGN_STOPWORDS

# derivations-dev (bench/dev_derivations.py), swept 0.35/0.4/0.5/0.6/0.7: pair F1
# flat at 0.976, sentence F1 0.976-0.977; the pair decision rests on stronger
# sentences (trace/derive.py), so the middle value is kept.
MIN_UNIT_SCORE = 0.5
MIN_UNIT_TOKENS = 4          # shorter units (datelines, "Share this") are not aligned
MIN_COVERED = 3              # one shared bigram ("ferry terminal") is not a copied sentence
# A clause taken word for word into a sentence the copier otherwise rewrote: an
# unquoted run of at least this many target tokens, each consecutive pair a word
# bigram of the source unit, with RUN_CONTENT words outside the stopwords ("was
# pushed into the path of a bus", not "at the end of the"). Found also in target
# units covered below MIN_UNIT_SCORE (``align_docs(runs=True)``). Evidence
# (fourteenth session, /tmp study over whole texts, longest runs greedily tiled):
# pairs with runs of >= 6 tokens totalling >= 16 (trace/derive.py RUN_TOTAL):
# derivations-dev independent pairs 0 of 57, the example corpus's two independent
# retellings against the agency copy 0 (no run of 6 at all), stories-dev same-story
# pairs not derived 1-3 of 919; wire-dev newspapers not derived from their PA copy 34 of 232.
# Runs of 8 or more alone (without a total) took 26 of stories-dev's 919 pairs
# ("by the centers for disease control and prevention"): not kept.
RUN_TOKENS = 6
RUN_CONTENT = 3


def _tokenize_default(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    toks, spans = [], []
    for m in _TOKEN.finditer(text):
        toks.append(m.group(0).lower().replace("’", "'"))
        spans.append((m.start(), m.end()))
    return toks, spans


def split_units(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The units of ``text``: its sentences (the article's, or when none are given
    the default splitter's, ``segment.sentences``: one sentence source for every
    stage), stripped, the empty ones left out."""
    if sentences is None:
        from wiretrace.segment.sentences import split_sentences
        sentences = split_sentences(text)
    res: list[tuple[int, int]] = []
    for s, e in sentences:
        piece = text[s:e]
        st = len(piece) - len(piece.lstrip())
        en = len(piece.rstrip())
        if en > st:
            res.append((s + st, s + en))
    return res


_CLOSING = "\"”’'»"


def quote_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The quoted stretches of ``text`` (``segment.quotes.quoted_stretches``, the one
    quote-mark reader): (those closed by a mark, those left open to their
    paragraph's end)."""
    closed, open_ = [], []
    for s, e in quoted_stretches(text):
        k = e
        while k < len(text) and text[k] == " ":
            k += 1
        (closed if k < len(text) and text[k] in _CLOSING else open_).append((s, e))
    return closed, open_


@dataclass
class Doc:
    """A text prepared for alignment."""
    text: str
    units: list[tuple[int, int]]          # char spans
    unit_tok: list[tuple[int, int]]       # token index range [a, b) per unit
    toks: list[str]                       # interned: equal words share one string
    quoted: list[bool]                    # token lies inside a quoted stretch
    unit_bigrams: list[set] = field(default_factory=list)
    unit_norm: list[str] = field(default_factory=list)
    seed_index: dict = field(default_factory=dict)   # content bigram -> [unit]


_QUOTE_MARK = re.compile(r"[\"“”«»„]|''")


_TOKEN_CHAR = re.compile(r"[\w'’.\-]")


def _glued(text: str, units: list[tuple[int, int]]) -> bool:
    """Whether a word may run across the edge of a unit."""
    n = len(text)
    return any((0 < a and _TOKEN_CHAR.match(text, a - 1) and _TOKEN_CHAR.match(text, a))
               or (b < n and _TOKEN_CHAR.match(text, b - 1) and _TOKEN_CHAR.match(text, b)) for a, b in units)


def _segment(text: str, sentences, tokenize):
    """The units; the tokens (lower-cased, interned) wholly inside a unit, in
    text order; their spans (None when they were found unit by unit); each
    unit's token range; the lower-cased text (None when not used)."""
    units = split_units(text, sentences)
    low = text.lower().replace("’", "'") if tokenize is None else None
    if low is not None and len(low) == len(text) and not _glued(text, units):
        # the fast path: no word crosses a unit's edge and lower-casing keeps the
        # length, so each unit is tokenised on its own (the same tokens)
        toks: list[str] = []
        unit_tok = []
        for s, e in units:
            a = len(toks)
            toks.extend(map(sys.intern, _TOKEN.findall(low, s, e)))
            unit_tok.append((a, len(toks)))
        return toks, None, units, unit_tok, low
    toks, spans = (tokenize or _tokenize_default)(text)
    toks = [sys.intern(t.lower()) for t in toks]
    # tokens per unit (units are sorted, non-overlapping): those wholly inside it
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    unit_tok = []
    for s, e in units:
        a = bisect_left(starts, s)
        unit_tok.append((a, max(a, bisect_right(ends, e))))
    return toks, spans, units, unit_tok, None


def _norm(toks: list[str]) -> str:
    return " " + " ".join(toks) + " "


def unit_keys(text: str, sentences: list[tuple[int, int]] | None = None,
              tokenize=None) -> tuple[list[tuple[int, int]], list[int]]:
    """The units of ``text`` (as ``prepare`` cuts them) and a 64-bit hash of each
    unit's normalised words: what the furniture index needs of every article,
    without the alignment structures (~50x smaller than a ``Doc``)."""
    toks, _, units, unit_tok, _ = _segment(text, sentences, tokenize)
    return units, [xxhash.xxh3_64_intdigest(_norm(toks[a:b]).encode("utf-8", "surrogatepass"))
                   for a, b in unit_tok]


def prepare(text: str, sentences: list[tuple[int, int]] | None = None,
            quotes: list[tuple[int, int]] | None = None, tokenize=None,
            extra_quotes: list[tuple[int, int]] | None = None) -> Doc:
    """``quotes``: quoted spans (default: the text's closed quoted stretches,
    ``quote_spans``); ``extra_quotes``: spans kept only in sentences that hold a
    quote mark (default: the stretches left open: an unclosed quote must not
    swallow the next sentence)."""
    toks, spans, units, unit_tok, low = _segment(text, sentences, tokenize)
    if quotes is None:
        quotes, left_open = quote_spans(text)
        extra_quotes = list(extra_quotes or []) + left_open
    if extra_quotes:
        quotes = list(quotes)
        for qs, qe in extra_quotes:
            for us, ue in units:
                a, b = max(qs, us), min(qe, ue)
                if b > a and _QUOTE_MARK.search(text, us, ue):
                    quotes.append((a, b))
    # token -> quoted flag: inside the first quote (in sorted order) that ends after the token starts
    quoted = [False] * len(toks)
    if quotes:
        qs = sorted(quotes)
        qi = 0
        if spans is None:        # tokens were found unit by unit: spans only where a quote may be
            where = []
            for u, (us, ue) in enumerate(units):
                if any(q0 < ue and q1 > us for q0, q1 in qs):
                    where.extend(zip(range(unit_tok[u][0], unit_tok[u][1]),
                                     (m.span() for m in _TOKEN.finditer(low, us, ue))))
        else:
            where = enumerate(spans)
        for i, (s, e) in where:
            while qi < len(qs) and qs[qi][1] <= s:
                qi += 1
            if qi < len(qs) and qs[qi][0] <= s and e <= qs[qi][1]:
                quoted[i] = True
    doc = Doc(text, units, unit_tok, toks, quoted)
    for u, (a, b) in enumerate(unit_tok):
        ut = toks[a:b]
        bg = set(zip(ut, ut[1:]))
        doc.unit_bigrams.append(bg)
        doc.unit_norm.append(_norm(ut))
        if b - a >= MIN_UNIT_TOKENS:
            for x, y in bg:
                if x not in STOPWORDS or y not in STOPWORDS:
                    doc.seed_index.setdefault((x, y), []).append(u)
    return doc


@dataclass
class UnitMatch:
    """A target unit explained by one or two source units."""
    t_unit: int
    s_units: tuple[int, ...]
    score: float                 # share of the target unit's tokens covered
    covered: int                 # covered token count
    nonquote: int                # covered tokens outside quotes
    verbatim: bool
    t_span: tuple[int, int]      # char span in the target
    s_span: tuple[int, int]      # char span in the source
    furniture: bool = False      # found in so many articles that it proves nothing
    run: int = 0                 # longest unquoted word-for-word run (>= RUN_TOKENS), else 0
    clause: bool = False         # only that run was taken (t_span is the run, not the unit)


def _coverage(tt: list[str], sbg: set) -> list[bool]:
    cov = [False] * len(tt)
    for i in range(len(tt) - 1):
        if (tt[i], tt[i + 1]) in sbg:
            cov[i] = cov[i + 1] = True
    return cov


def _longest_run(tt: list[str], quoted: list[bool], sbg: set) -> tuple[int, int]:
    """(length, first token) of the longest stretch of ``tt`` whose consecutive
    pairs are all in ``sbg``, outside quotes and holding RUN_CONTENT content words;
    (0, 0) when none reaches RUN_TOKENS."""
    best, at = 0, 0
    i, n = 0, len(tt)
    while i < n - 1:
        if quoted[i] or (tt[i], tt[i + 1]) not in sbg or quoted[i + 1]:
            i += 1
            continue
        j = i + 1
        while j + 1 < n and not quoted[j + 1] and (tt[j], tt[j + 1]) in sbg:
            j += 1
        k = j - i + 1
        if k >= RUN_TOKENS and k > best and sum(1 for w in tt[i:j + 1] if w not in STOPWORDS) >= RUN_CONTENT:
            best, at = k, i
        i = j + 1
    return best, at


def _run_span(doc: Doc, u: int, first: int, k: int) -> tuple[int, int]:
    """The characters of tokens ``first .. first+k`` of unit ``u`` (the unit's
    span when the tokens cannot be found again the same way)."""
    us, ue = doc.units[u]
    a, b = doc.unit_tok[u]
    low = doc.text[us:ue].lower().replace("’", "'")
    if len(low) == ue - us:
        found = list(_TOKEN.finditer(low))
        if len(found) == b - a and [m.group() for m in found[first:first + k]] == doc.toks[a + first:a + first + k]:
            return us + found[first].start(), us + found[first + k - 1].end()
    return us, ue


def align_docs(src: Doc, tgt: Doc, min_score: float | None = None, runs: bool = False) -> list[UnitMatch]:
    """Best source unit(s) for each target unit whose coverage reaches ``min_score``.
    With ``runs``, each match carries its longest word-for-word run (``UnitMatch.run``),
    and a unit covered below ``min_score`` is matched too when it holds such a run:
    its coverage then counts the run's tokens only."""
    if min_score is None:
        min_score = MIN_UNIT_SCORE
    out: list[UnitMatch] = []
    index = src.seed_index
    for u, (a, b) in enumerate(tgt.unit_tok):
        n = b - a
        if n < MIN_UNIT_TOKENS:
            continue
        tt = tgt.toks[a:b]
        votes: dict[int, int] = {}
        for bg in zip(tt, tt[1:]):
            for su in index.get(bg, ()):
                votes[su] = votes.get(su, 0) + 1
        if not votes:
            continue
        # the few best-seeded source units are scored exactly
        cands = sorted(votes, key=votes.get, reverse=True)[:4]
        scored = []
        for su in cands:
            cov = _coverage(tt, src.unit_bigrams[su])
            scored.append((sum(cov), su, cov))
        scored.sort(key=lambda x: (-x[0], x[1]))
        best_n, best_su, best_cov = scored[0]
        used = [best_su]
        cov = best_cov
        if best_n < n:
            # a merged sentence: a second source unit that is itself mostly inside the target
            for cn, su, c2 in scored[1:]:
                sa, sb = src.unit_tok[su]
                if cn >= 3 and cn >= 0.5 * (sb - sa):
                    merged = [x or y for x, y in zip(cov, c2)]
                    if sum(merged) >= sum(cov) + 3:
                        cov = merged
                        used.append(su)
                        break
        ncov = sum(cov)
        score = ncov / n
        su_sorted = sorted(used)
        s_span = (src.units[su_sorted[0]][0], src.units[su_sorted[-1]][1])
        run = 0
        if runs:
            run, first = _longest_run(tt, tgt.quoted[a:b], set().union(*(src.unit_bigrams[x] for x in used)))
        if score < min_score or ncov < MIN_COVERED:
            if run:
                # a clause taken into a rewritten sentence: only the run is counted,
                # and its passage is the clause
                out.append(UnitMatch(u, tuple(su_sorted), run / n, run, run, False, _run_span(tgt, u, first, run),
                                     s_span, run=run, clause=True))
            continue
        nonq = sum(1 for i, c in enumerate(cov) if c and not tgt.quoted[a + i])
        verbatim = len(used) == 1 and tgt.unit_norm[u] in src.unit_norm[used[0]]
        out.append(UnitMatch(u, tuple(su_sorted), score, ncov, nonq, verbatim, tgt.units[u], s_span, run=run))
    return out


def to_passages(matches: list[UnitMatch], tgt: Doc | None = None) -> list[Passage]:
    """Contract passages; neighbouring units copied from neighbouring source units
    in the same way are merged into one passage."""
    ms = sorted(matches, key=lambda m: m.t_unit)
    out: list[Passage] = []
    prev: UnitMatch | None = None
    for m in ms:
        kind = "verbatim" if m.verbatim else "rewritten"
        if (prev is not None and out and out[-1].kind == kind and m.t_unit == prev.t_unit + 1
                and not (m.clause or prev.clause)
                and m.s_units[0] in (prev.s_units[-1], prev.s_units[-1] + 1)
                and m.s_span[1] >= out[-1].source_end):
            p = out[-1]
            p.target_end = m.t_span[1]
            p.source_end = m.s_span[1]
        else:
            out.append(Passage(m.s_span[0], m.s_span[1], m.t_span[0], m.t_span[1], kind))
        prev = m
    return out


def align_pair(source_text: str, target_text: str,
               source_sentences: list[tuple[int, int]] | None = None,
               target_sentences: list[tuple[int, int]] | None = None,
               min_score: float | None = None) -> list[Passage]:
    """Passages of ``target_text`` taken from ``source_text`` (offsets into each),
    in target order; ``verbatim`` or ``rewritten``."""
    src = prepare(source_text, source_sentences)
    tgt = prepare(target_text, target_sentences)
    return to_passages(align_docs(src, tgt, min_score), tgt)
