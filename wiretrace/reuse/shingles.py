"""Word tokens and word n-gram (shingle) hashes, vectorised in numpy.

``tokenize(text)`` gives normalised word tokens and their character spans in
``text`` (Python string indices, end exclusive).  Normalisation: curly quotes and
apostrophes fold to ``'``, the dash family to ``-``, then lower case.  A token is
a run of word characters, with inner apostrophes kept (``don't``); hyphens split
words, so "well-known" and "well known" give the same tokens (copy editors
change hyphenation).  Numbers are tokens like words.

``shingle_hashes(tokens, n)`` hashes every run of ``n`` consecutive tokens to a
uint64 without a Python call per shingle or per token:

1. the tokens are joined by spaces and encoded to UTF-8 once;
2. each token's hash is a polynomial hash of its bytes modulo 2**64, read off a
   prefix sum (``S[k] = sum v_i * P**-i``; ``H(s, e) = P**(e-1) * (S[e] - S[s])``;
   P is odd so its inverse modulo 2**64 exists and uint64 wrap-around does the
   modulo for free);
3. the same trick over the sequence of token hashes gives each n-gram's hash;
4. a splitmix64 finaliser spreads the bits (the polynomial hash alone has weak
   low bits).

Equal n-grams always get equal hashes, in any document, process or order.
"""
from __future__ import annotations

import re

import numpy as np

# A token is a maximal run of ASCII letters/digits or non-ASCII characters (after
# folding the punctuation below).  Defined on characters so that the fast path
# (UTF-8 bytes >= 0x80 are "letters", ASCII non-alphanumerics are spaces) gives
# exactly the same tokens as the span-giving regex, far faster than ``\w`` regexes.
_TOKEN = re.compile("[0-9A-Za-z\u0080-\U0010FFFF]+")

# One character to one character, so spans in the folded text are spans in the original.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00ad": "-", "\u2026": ".", "\u2022": "*", "\u00b7": "*", "\u00a9": "(", "\u00ae": "(", "\u2122": "(",
    "\u00a7": "#", "\u00b6": "#", "\u2020": "*", "\u2021": "*", "\u00bf": "?", "\u00a1": "!",
    "\u00a0": " ", "\u2028": "\n", "\u2029": "\n", "\u3000": " ", "\ufeff": " ", "\u200b": " ",
    **{chr(c): " " for c in range(0x2000, 0x200B)},
})
# bytes.translate table of the fast path: ASCII non-alphanumerics -> space
_BYTE_SPACE = bytes(b if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b >= 128) else 32
                    for b in range(256))

_U64 = np.uint64
_P = 0x100000001B3            # FNV-64 prime (odd): byte-level polynomial base
_Q = 0x9E3779B97F4A7C15       # golden-ratio constant (odd): token-level base
_P_INV = pow(_P, -1, 1 << 64)
_Q_INV = pow(_Q, -1, 1 << 64)

_pow_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _powers(base: int, inv: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """(base**k, inv**k) for k < length, uint64, cached and grown by doubling."""
    have = _pow_cache.get(base)
    if have is None or len(have[0]) < length:
        size = max(1024, 1 << int(length - 1).bit_length())
        with np.errstate(over="ignore"):
            fw = np.full(size, base, dtype=_U64)
            fw[0] = 1
            bw = np.full(size, inv, dtype=_U64)
            bw[0] = 1
            have = (np.cumprod(fw, dtype=_U64), np.cumprod(bw, dtype=_U64))
        _pow_cache[base] = have
    return have


def mix_hash(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array (returned)."""
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def _window_hash(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int, inv: int) -> np.ndarray:
    """Polynomial hash of values[s:e] for every (s, e), uint64, vectorised."""
    fw, bw = _powers(base, inv, len(values) + 1)
    with np.errstate(over="ignore"):
        pref = np.empty(len(values) + 1, dtype=_U64)
        pref[0] = 0
        np.cumsum(values * bw[: len(values)], dtype=_U64, out=pref[1:])
        return (pref[ends] - pref[starts]) * fw[ends - 1]


def tokenize(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised word tokens of ``text`` and their (start, end) offsets in ``text``."""
    folded = text.translate(_FOLD)
    spans = [m.span() for m in _TOKEN.finditer(folded)]
    if not spans:
        return [], []
    tokens = " ".join(folded[s:e] for s, e in spans).lower().split(" ")
    return tokens, spans


def normalized_joined(text: str) -> bytes:
    """The tokens of ``text`` joined by single spaces, UTF-8 encoded (the tokens
    ``tokenize`` gives, without spans)."""
    b = text.translate(_FOLD).lower().encode("utf-8", "surrogatepass").translate(_BYTE_SPACE)
    return b" ".join(b.split())


def token_hashes_joined(joined: bytes) -> np.ndarray:
    """uint64 hash of each space-separated token in UTF-8 ``joined`` (no empty tokens)."""
    if not joined:
        return np.zeros(0, dtype=_U64)
    buf = np.frombuffer(joined, dtype=np.uint8)
    sep = np.flatnonzero(buf == 32)
    starts = np.concatenate(([0], sep + 1))
    ends = np.concatenate((sep, [len(buf)]))
    vals = buf.astype(_U64) + _U64(1)
    return _window_hash(vals, starts, ends, _P, _P_INV)


def shingles_from_token_hashes(th: np.ndarray, n: int = 5) -> np.ndarray:
    """Hash of each run of ``n`` token hashes.  Fewer than ``n`` tokens (but at
    least one): one shingle over all of them, so a short text still has a hash."""
    m = len(th)
    if m == 0:
        return np.zeros(0, dtype=_U64)
    k = max(1, m - n + 1)
    starts = np.arange(k, dtype=np.int64)
    ends = np.minimum(starts + n, m)
    with np.errstate(over="ignore"):
        h = _window_hash(th, starts, ends, _Q, _Q_INV)
        h ^= _U64(min(n, m))
    return mix_hash(h)


def shingle_hashes(tokens: list[str], n: int = 5) -> np.ndarray:
    """uint64 hash of every word n-gram of ``tokens`` (``len(tokens) - n + 1`` of
    them; one for a non-empty list shorter than ``n``; none for an empty list)."""
    if n < 1:
        raise ValueError("n must be >= 1")
    return shingles_from_token_hashes(token_hashes_joined(" ".join(tokens).encode("utf-8", "surrogatepass")), n)


def text_shingle_hashes(text: str, n: int = 5) -> np.ndarray:
    """``shingle_hashes(tokenize(text)[0], n)`` without building spans."""
    return shingles_from_token_hashes(token_hashes_joined(normalized_joined(text)), n)
