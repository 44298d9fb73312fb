"""Lexical features for story grouping: tokens, named entities, TF-IDF.

Everything here is deterministic and per document, so a distributed engine can
reproduce it exactly: tokenise each document, count document frequencies,
compute ``idf = ln((1 + N) / (1 + df)) + 1`` and build L2-normalised vectors
``w(t) = (1 + ln tf(t)) * idf(t)`` where ``tf`` counts a title token
``TITLE_BOOST`` times.  The vocabulary and idf are kept in a ``Vocab`` so that
new documents are vectorised against a fixed model (incremental assignment).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from wiretrace.english import STORY_STOPWORDS, stem

# Title tokens count this many times. stories-dev BCubed F1 at the best threshold (no local
# scaling, entity bonus 0.1): boost 1 0.855, 2 0.869, 3 0.871; 2 kept (3 is within noise).
TITLE_BOOST = 2
# Only the opening of a body is used: an event is named in the lead, later
# paragraphs drift into background. ~3 sentences; also keeps long and short
# inputs on one similarity scale (stories-dev gives ~370-character openings).
LEAD_CHARS = 600

_STOP = STORY_STOPWORDS

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
# A run of capitalised words, never across a line break: a headline's last words and
# the body's first ones, or one paragraph's end and the next one's start, are not one
# name (the title is joined to the body by a newline in ``group.entity_text``; a run
# across it gave "control of congress in", "monster all").  BCubed F1 stories-dev /
# wire-dev (given, undated, nextday) / events-dev / second corpus, analyses of
# `wiretrace analyze` regrouped: runs across lines 0.910/0.934 (0.909, 0.933)/0.901/0.940,
# within a line 0.908/0.934 (0.906, 0.933)/0.918/0.940 (events-dev's paragraphs are
# lines).  Each set's two halves grouped apart (first / second half, same order),
# stories-dev / wire-dev given / events-dev / second corpus: across lines 0.883/0.875,
# 0.932/0.920, 0.839/0.918, 0.951/0.936; within a line 0.883/0.875, 0.932/0.923,
# 0.853/0.918, 0.951/0.936.  bench/README.md "Third pass".
_CAPSEQ = re.compile(r"(?:[A-Z][\w'\u2019.&-]*)(?:[^\S\r\n]+(?:of[^\S\r\n]+|de[^\S\r\n]+|al-)?[A-Z][\w'\u2019.&-]*)*")
_SENT_START = re.compile(r"(?:^|[.!?:;\"\u201c\u201d]\s+|\n)$")
# A weekday named as such ("on Thursday", "Thursday's vote"; not "Thursdays").
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


#: A few thousand texts remembered: a title repeated by its copies is tokenised once.
#: (It was 200,000: every title and lead of a 100k run, ~450 MB of token lists held
#: to the end of the run for hits that are almost all repeated titles; the measured
#: memory of the stories step is in bench/README, "100k after the eighth session".)
@lru_cache(maxsize=4096)
def tokens(text: str) -> list[str]:
    out = []
    for m in _WORD.finditer(text or ""):
        w = m.group(0).lower()
        if w[0].isdigit():
            w = w.replace(",", "")
            out.append(w)
            continue
        w = stem(w.replace("\u2019", "'"))
        if len(w) > 1 and w not in _STOP:
            out.append(w)
    return out


def entities(text: str) -> set[str]:
    """Capitalised names (not at a sentence start unless multi-word) and
    numbers with 2+ digits, lower-cased: the actors, places and figures."""
    ents: set[str] = set()
    for m in _CAPSEQ.finditer(text or ""):
        span = m.group(0).strip(" .-")
        words = span.split()
        if not words:
            continue
        at_start = bool(_SENT_START.search(text[max(0, m.start() - 3):m.start()])) or m.start() == 0
        if len(words) == 1:
            if at_start or words[0].lower() in _STOP or len(words[0]) < 3:
                continue
        elif at_start and words[0].lower() in _STOP:
            words = words[1:]
        key = " ".join(re.sub(r"['\u2019]s$", "", w.lower()) for w in words)
        if key and key not in _STOP:
            ents.add(key)
    for m in re.finditer(r"\b\d[\d,.]*\d\b", text or ""):
        ents.add(m.group(0).replace(",", ""))
    return ents


def weekdays(text: str) -> int:
    """The weekdays a text names, as a 7-bit mask (bit 0 Monday ... bit 6 Sunday; 0: none).

    A news lead dates its event by weekday ("the Senate voted on Thursday"), so two
    reports of one event name the same day and two events of one topic a few days
    apart usually name different days.  The weekday words are stop words for the
    TF-IDF terms; this is their only use."""
    m = 0
    for x in _WEEKDAY.finditer(text or ""):
        m |= 1 << _WEEKDAYS.index(x.group(1))
    return m


def doc_text(title: str | None, text: str | None) -> tuple[str, str]:
    lead = (text or "")[:LEAD_CHARS]
    # do not cut a word in two
    if text and len(text) > LEAD_CHARS:
        cut = lead.rfind(" ")
        if cut > LEAD_CHARS // 2:
            lead = lead[:cut]
    return title or "", lead


def term_counts(title: str | None, text: str | None) -> dict[str, int]:
    t, lead = doc_text(title, text)
    c: dict[str, int] = {}
    for w in tokens(t):
        c[w] = c.get(w, 0) + TITLE_BOOST
    for w in tokens(lead):
        c[w] = c.get(w, 0) + 1
    return c


@dataclass
class Vocab:
    """A fixed TF-IDF model: term -> column, document frequency, corpus size."""
    index: dict[str, int] = field(default_factory=dict)
    df: list[int] = field(default_factory=list)
    n_docs: int = 0

    def idf(self) -> np.ndarray:
        return np.asarray([idf_value(d, self.n_docs) for d in self.df], dtype=np.float64)

    def fit(self, counts: list[dict[str, int]]) -> "Vocab":
        for c in counts:
            for t in c:
                j = self.index.get(t)
                if j is None:
                    self.index[t] = len(self.df)
                    self.df.append(1)
                else:
                    self.df[j] += 1
        self.n_docs += len(counts)
        return self

    def fit_transform(self, counts: Iterable[dict[str, int]]) -> sp.csr_matrix:
        """``fit`` then ``transform``, the same matrix to the bit, in one pass that keeps
        each document as two small arrays (term numbers, counts) instead of its dict
        and its rows of tuples: on the realistic 100,000-article corpus those held
        ~1.5 GB at once (bench/README, "Realistic corpus, end to end")."""
        docs: list[tuple[np.ndarray, np.ndarray]] = []
        index, df = self.index, self.df
        for c in counts:
            ids = np.empty(len(c), dtype=np.int64)
            for k, t in enumerate(c):
                j = index.get(t)
                if j is None:
                    j = index[t] = len(df)
                    df.append(1)
                else:
                    df[j] += 1
                ids[k] = j
            docs.append((ids, np.fromiter(c.values(), dtype=np.int64, count=len(c))))
        self.n_docs += len(docs)
        idf = self.idf()
        top = max((int(v.max()) for _, v in docs if len(v)), default=1)
        # 1 + ln(count) as the scalar log gives it (numpy's vector log may round otherwise)
        sublinear = np.asarray([1.0 + math.log(v) if v else 0.0 for v in range(top + 1)], dtype=np.float64)
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum([len(ids) for ids, _ in docs], out=indptr[1:])
        cols = np.empty(indptr[-1], dtype=np.int64)
        vals = np.empty(indptr[-1], dtype=np.float64)
        for r, (ids, v) in enumerate(docs):
            order = np.argsort(ids, kind="stable")
            a, b = indptr[r], indptr[r + 1]
            cols[a:b] = ids[order]
            vals[a:b] = sublinear[v[order]] * idf[ids[order]]
        docs.clear()
        X = sp.csr_matrix((vals, cols, indptr), shape=(len(indptr) - 1, max(1, len(df))))
        return normalise_rows(X)

    def transform(self, counts: list[dict[str, int]]) -> sp.csr_matrix:
        """L2-normalised sublinear TF-IDF rows; unknown terms are dropped
        (they cannot match anything already in the model)."""
        idf = self.idf()
        rows = [[(j, v, idf[j]) for t, v in c.items() if (j := self.index.get(t)) is not None] for c in counts]
        return tfidf_matrix(rows, max(1, len(self.df)))


def idf_value(df: int, n_docs: int) -> float:
    """``ln((1 + N) / (1 + df)) + 1`` with the C library's scalar log: the same
    bits whichever engine (and array) computes it (numpy's vector log may
    round differently from its scalar one)."""
    return math.log((1.0 + n_docs) / (1.0 + df)) + 1.0


def tfidf_matrix(rows: list[list[tuple[int, int, float]]], n_cols: int) -> sp.csr_matrix:
    """L2-normalised sublinear TF-IDF rows from ``(column, count, idf)`` triples.
    Every operation is per row (a row's values depend on that row only), so the
    Spark engine, which builds rows a partition at a time with the same global
    columns, gets the same bits as the local engine's whole matrix."""
    indptr, cols, vals = [0], [], []
    for row in rows:
        for j, v, f in sorted(row):
            cols.append(j)
            vals.append((1.0 + math.log(v)) * f)
        indptr.append(len(cols))
    X = sp.csr_matrix((np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int64),
                       np.asarray(indptr, dtype=np.int64)), shape=(len(rows), n_cols))
    return normalise_rows(X)


def normalise_rows(X: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm (zero rows kept), in canonical form first
    (sorted columns), so that a row's norm is summed in one order everywhere."""
    X = sp.csr_matrix(X, dtype=np.float64, copy=True)
    X.sum_duplicates()          # also sorts each row's columns
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    # one product per value, as diags(1 / norms) @ X gives, but the rows stay sorted
    # (a sparse product returns them reversed), so the matrix stays canonical
    X.data *= np.repeat(1.0 / norms, np.diff(X.indptr))
    return X


def parse_date(s: str | None) -> float | None:
    """ISO 8601 -> days since the epoch (UTC), or None."""
    if not s:
        return None
    s = s.strip()
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = datetime.fromisoformat(s[:10])
        except ValueError:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp() / 86400.0
