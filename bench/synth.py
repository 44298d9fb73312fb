"""Synthetic news-like corpus with planted copies, for the reuse benchmark.

``make_corpus(n_docs, seed)`` -> (texts, truth) where truth is a list of
``(source_index, target_index, kind)``, kind in wholly | partially | patchwork.

Text: words drawn from a Zipfian vocabulary (s = 1.1) of made-up syllable words,
sentences of 8-30 words, paragraphs of 2-6 sentences, articles of 300-1200
words.  About 10% of the articles are derived from earlier ones:
- wholly (4%): the whole source, ~3% of words replaced, sometimes the last
  paragraph cut, and 2-4 page-leftover lines (drawn from one shared set of 40)
  around and between the paragraphs;
- partially (4%): 2-4 paragraphs of a source inside 200-700 words of own text;
- patchwork (2%): 1-3 sentences from each of 4-6 sources, nothing else.
Everything is drawn from one seeded numpy Generator: the same (n_docs, seed)
always gives the same corpus.
"""
from __future__ import annotations

import numpy as np

VOCAB = 50_000
ZIPF_S = 1.1
WHOLLY, PARTIAL, PATCH = 0.04, 0.04, 0.02


def _vocab(rng: np.random.Generator) -> list[str]:
    syl = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
    words, seen = [], set()
    while len(words) < VOCAB:
        k = int(rng.integers(1, 4))
        w = "".join(syl[int(x)] for x in rng.integers(0, len(syl), k))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class _Gen:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.words = _vocab(self.rng)
        p = 1.0 / np.arange(1, VOCAB + 1) ** ZIPF_S
        self.cdf = np.cumsum(p / p.sum())
        self._buf = np.zeros(0, dtype=np.int64)
        self._pos = 0
        self.leftovers = [self.sentence(3, 7).rstrip(".") for _ in range(40)]

    def ids(self, k: int) -> np.ndarray:
        if self._pos + k > len(self._buf):
            self._buf = np.searchsorted(self.cdf, self.rng.random(max(1 << 20, k)))
            self._buf = np.minimum(self._buf, VOCAB - 1)
            self._pos = 0
        out = self._buf[self._pos:self._pos + k]
        self._pos += k
        return out

    def sentence(self, lo: int = 8, hi: int = 30) -> str:
        w = [self.words[i] for i in self.ids(int(self.rng.integers(lo, hi + 1)))]
        w[0] = w[0].capitalize()
        return " ".join(w) + "."

    def paragraph(self) -> list[str]:
        return [self.sentence() for _ in range(int(self.rng.integers(2, 7)))]

    def article(self, lo: int = 300, hi: int = 1200) -> list[list[str]]:
        target = int(self.rng.integers(lo, hi + 1))
        paras, n = [], 0
        while n < target:
            p = self.paragraph()
            paras.append(p)
            n += sum(s.count(" ") + 1 for s in p)
        return paras


def _join(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras)


def make_corpus(n_docs: int, seed: int = 2026) -> tuple[list[str], list[tuple[int, int, str]]]:
    g = _Gen(seed)
    rng = g.rng
    kinds = rng.random(n_docs)
    paras_of: list[list[list[str]] | None] = [None] * n_docs
    texts: list[str] = []
    truth: list[tuple[int, int, str]] = []
    originals: list[int] = []
    for i in range(n_docs):
        k = kinds[i]
        if len(originals) < 6 or k >= WHOLLY + PARTIAL + PATCH:
            paras = g.article()
            paras_of[i] = paras
            originals.append(i)
            texts.append(_join(paras))
            continue
        if k < WHOLLY:
            src = originals[int(rng.integers(len(originals)))]
            paras = [list(p) for p in paras_of[src]]
            if len(paras) > 3 and rng.random() < 0.3:
                paras = paras[:-1]
            lines = [" ".join(p) for p in paras]
            for li in range(len(lines)):           # small edits: ~3% of words replaced
                w = lines[li].split(" ")
                for x in np.flatnonzero(rng.random(len(w)) < 0.03):
                    w[x] = g.words[int(g.ids(1)[0])]
                lines[li] = " ".join(w)
            for _ in range(int(rng.integers(2, 5))):
                lines.insert(int(rng.integers(0, len(lines) + 1)), g.leftovers[int(rng.integers(40))])
            texts.append("\n\n".join(lines))
            truth.append((src, i, "wholly"))
        elif k < WHOLLY + PARTIAL:
            src = originals[int(rng.integers(len(originals)))]
            sp = paras_of[src]
            take = min(len(sp), int(rng.integers(2, 5)))
            start = int(rng.integers(0, len(sp) - take + 1))
            own = g.article(200, 700)
            at = int(rng.integers(0, len(own) + 1))
            paras = own[:at] + sp[start:start + take] + own[at:]
            texts.append(_join(paras))
            truth.append((src, i, "partially"))
        else:
            n_src = int(rng.integers(4, 7))
            srcs = sorted({originals[int(x)] for x in rng.integers(0, len(originals), n_src)})
            sents = []
            for src in srcs:
                flat = [s for p in paras_of[src] for s in p]
                k2 = min(len(flat), int(rng.integers(1, 4)))
                a = int(rng.integers(0, len(flat) - k2 + 1))
                sents.append(" ".join(flat[a:a + k2]))
                truth.append((src, i, "patchwork"))
            texts.append("\n\n".join(sents))
    return texts, truth
