"""Small text helpers shared by the framing stage: word tokens, content words,
sentence units, quote spans and sentence similarity.

Everything works on offsets into ``Article.text`` (end exclusive).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from wiretrace.english import FRAMING_STOPWORDS
from wiretrace.english import stem
from wiretrace.model import Article
from wiretrace.segment.quotes import quoted_stretches

WORD = re.compile(r"\w+(?:['’.\-]{1,2}\w+)*\.?", re.UNICODE)

STOPWORDS = FRAMING_STOPWORDS


def norm_token(tok: str) -> str:
    """Lower-case, drop dots, hyphens and possessives: "U.S.-led" -> "usled"."""
    t = tok.lower().replace("’", "'")
    if t.endswith("'s"):
        t = t[:-2]
    return t.replace(".", "").replace("-", "").replace("'", "")


_ABBREV = re.compile(r"\.\w+\.$|^(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Maj|Col|Lt|Sgt|Capt|Sen|Rep|Gov|Jr|Sr|St|Prof)\.$")


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(token as written, start, end) for the word tokens of text[start:end]."""
    end = len(text) if end is None else end
    out = []
    for m in WORD.finditer(text, start, end):
        s, e = m.start(), m.end()
        tok = m.group(0)
        # a trailing dot is a sentence end unless the token is an abbreviation ("U.S.", "Gen.")
        if tok.endswith(".") and not _ABBREV.search(tok):
            tok, e = tok[:-1], e - 1
        if tok:
            out.append((tok, s, e))
    return out


#: Raw tokens whose content form is remembered (a news corpus's vocabulary of raw
#: tokens passes 200,000 only in very large runs; beyond it tokens are worked out each time).
CONTENT_MEMO = 200_000


def _content_form(raw: str) -> str | None:
    tok = raw[:-1] if raw.endswith(".") and not _ABBREV.search(raw) else raw
    n = norm_token(tok) if tok else ""
    return stem(n, verbs=True) if n and n not in STOPWORDS and not n.isdigit() and len(n) > 1 else None


class _FormMemo(dict):
    """raw token -> content form, filled on first sight (``memo[raw]``: one dict lookup
    in C for a token seen before)."""

    def __missing__(self, raw: str) -> str | None:
        r = _content_form(raw)
        if len(self) < CONTENT_MEMO:
            self[raw] = r
        return r


_FORMS = _FormMemo()


def content_form(raw: str) -> str | None:
    """The stemmed content word of a token as ``WORD`` matched it (None for a stopword,
    a number, a one-letter token): what ``words`` then ``norm_token`` and ``stem`` give,
    remembered per raw token (about 3x faster on news text)."""
    return _FORMS[raw]


def content_set(text: str, start: int = 0, end: int | None = None,
                skip: list[tuple[int, int]] | None = None) -> set[str]:
    """Stemmed content words of text[start:end], leaving out tokens inside ``skip`` spans."""
    end = len(text) if end is None else end
    if not skip:
        out = set(map(_FORMS.__getitem__, WORD.findall(text, start, end)))
        out.discard(None)
        return out
    return content_sets(text, start, end, skip)[1]


def content_sets(text: str, start: int, end: int,
                 skip: list[tuple[int, int]]) -> tuple[set[str], set[str]]:
    """(every content word of text[start:end], those outside ``skip``), in one pass."""
    if not skip:
        every = content_set(text, start, end)
        return every, set(every)
    every, outside = set(), set()
    for m in WORD.finditer(text, start, end):
        r = content_form(m.group(0))
        if r is None:
            continue
        every.add(r)
        s = m.start()
        e = m.end() - (1 if m.group(0).endswith(".") and not _ABBREV.search(m.group(0)) else 0)
        if not any(a <= s and e <= b for a, b in skip):
            outside.add(r)
    return every, outside


def overlap(a: set[str], b: set[str]) -> tuple[float, int]:
    """Overlap coefficient (shared / smaller set) and the number shared."""
    if not a or not b:
        return 0.0, 0
    k = len(a & b)
    return k / min(len(a), len(b)), k


# Two sentences carry the same content when most of the smaller one's content
# words are in the other.  Checked by hand on retellings (edited wire sentences
# keep 0.55-0.9, same-event background sentences of other outlets stay < 0.4):
# a retelling that swaps two names and adds a clause still shares >= half.
SIMILAR = 0.5
SIMILAR_MIN_SHARED = 4
# Sentences with fewer content words than this (fragments such as "-Gen.",
# "Read more") are never reported as added or omitted on their own.
MIN_CONTENT = 3


def quote_spans(a: Article) -> list[tuple[int, int]]:
    """Quoted stretches of the article: its ``quotes`` if the quote stage found any,
    else every quoted stretch of its text (``segment.quotes.quoted_stretches``: the
    same reader of quote marks)."""
    if a.quotes:
        return [(q.start, q.end) for q in a.quotes]
    return quoted_stretches(a.text)


def sentence_spans(a: Article) -> list[tuple[int, int]]:
    if a.sentences:
        return [tuple(s) for s in a.sentences]
    from wiretrace.segment.sentences import split_sentences
    return split_sentences(a.text)


def in_spans(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def covered_share(s: int, e: int, spans: list[tuple[int, int]]) -> float:
    """Share of [s, e) inside the union of spans."""
    if e <= s:
        return 0.0
    pts = sorted((max(a, s), min(b, e)) for a, b in spans if b > s and a < e)
    tot, cur_s, cur_e = 0, None, None
    for a, b in pts:
        if cur_e is None or a > cur_e:
            if cur_e is not None:
                tot += cur_e - cur_s
            cur_s, cur_e = a, b
        else:
            cur_e = max(cur_e, b)
    if cur_e is not None:
        tot += cur_e - cur_s
    return tot / (e - s)


@dataclass
class Sent:
    i: int
    start: int
    end: int
    words: set[str]
    prose: set[str]            # content words outside quoted stretches
    quotes: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Doc:
    article: Article
    sents: list[Sent]
    quotes: list[tuple[int, int]]
    _quote_words: list[set[str]] | None = None

    def quote_words(self) -> list[set[str]]:
        """Content words of each quote (parallel to ``quotes``), computed once."""
        if self._quote_words is None:
            self._quote_words = [content_set(self.article.text, a, b) for a, b in self.quotes]
        return self._quote_words

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text


def prepare(a: Article) -> Doc:
    qs = quote_spans(a)
    sents = []
    for i, (s, e) in enumerate(sentence_spans(a)):
        sq = [(max(x, s), min(y, e)) for x, y in qs if y > s and x < e]
        every, outside = content_sets(a.text, s, e, sq)
        sents.append(Sent(i, s, e, every, outside, sq))
    return Doc(a, sents, qs)


def similar(x: Sent, y: Sent) -> bool:
    r, k = overlap(x.words, y.words)
    return r >= SIMILAR and k >= SIMILAR_MIN_SHARED


def merge_runs(flags: list[bool], sents: list[Sent]) -> list[tuple[int, int]]:
    """Spans of consecutive flagged sentences, first start to last end."""
    out: list[tuple[int, int]] = []
    run = None
    for f, s in zip(flags, sents):
        if f:
            run = (run[0], s.end) if run else (s.start, s.end)
        elif run:
            out.append(run)
            run = None
    if run:
        out.append(run)
    return out
