"""The same quotation across articles, and how each copy changed it.

``group_quotes(articles)`` indexes every quote by its normalised token 4-grams
(lowercase, curly marks straightened, hyphens and apostrophes dropped inside
words, bracketed insertions left out), looks up candidates through that
inverted index only (never all pairs), and verifies a candidate pair with a
token alignment: the aligned tokens must cover most of the shorter quote.
Matched quotes of different articles are joined (union-find); a group is
kept when it spans at least two articles.

Each member is compared with the canonical member (earliest published, else the
first in input order) and its word-level changes are described in words:
"deconflict -> de-conflict", "inserted [ISIS]", "dropped 'clearly'",
"truncated", "extended", "punctuation".  ``reattributed`` is true when two
members name speakers that share no content word ("Gedney" = "Felix Gedney").
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from wiretrace.model import Article, QuoteGroup, QuoteMember
from wiretrace.unionfind import DisjointSets

SHINGLE = 4
# A quote pair is the same quotation when the aligned tokens cover this share of
# the shorter one and at least MIN_SHARED tokens.  Chosen by hand on the example
# corpus variants (hyphenation, bracket insertion, truncation, one dropped word
# keep >= 0.85; unrelated quotes sharing a phrase stay < 0.5); not swept on a set.
MIN_COVER = 0.75
MIN_SHARED = 6
MIN_RUN = 3          # aligned runs shorter than this are chance overlaps ("of the", "we are")
MAX_POSTINGS = 200   # a 4-gram in more quotes than this is boilerplate: not used to find candidates
PAIR_BLOCK = 1 << 20  # candidate pairs made at once (memory, not a result)

_SURFACE = re.compile(r"\[[^\]]*\]|[\w][\w’'\-]*")
_FUNCTION = frozenset("""a an the of and or for to in on at by with from as his her their its
he she they it i we you mr mrs ms dr sen rep gov gen president senator spokesman spokeswoman
secretary general minister official""".split())


def _straight(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _surface_tokens(text: str) -> list[str]:
    return _SURFACE.findall(_straight(text))


_APOS_DASH = re.compile(r"['\-]")


def _key(tok: str) -> str:
    if tok.startswith("["):
        return tok.lower()
    return _APOS_DASH.sub("", tok.lower())


def _match_keys(text: str) -> list[str]:
    """Keys used to find and align quotes: bracketed insertions left out."""
    return [_key(t) for t in _surface_tokens(text) if not t.startswith("[")]


def quote_shingles(keys: list[str]) -> set[tuple]:
    if len(keys) < SHINGLE:
        return {tuple(keys)} if keys else set()
    return {tuple(keys[i:i + SHINGLE]) for i in range(len(keys) - SHINGLE + 1)}


def _aligned(a: list[str], b: list[str]) -> int:
    """Tokens of ``a`` and ``b`` aligned in runs of at least MIN_RUN (scattered words do not count)."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sum(bl.size for bl in sm.get_matching_blocks() if bl.size >= MIN_RUN)


def same_quote(a: str, b: str) -> bool:
    """Whether two quote texts are the same quotation (edits, truncation allowed)."""
    ka, kb = _match_keys(a), _match_keys(b)
    return same_keys(ka, kb)


def same_keys(ka: list[str], kb: list[str]) -> bool:
    short, long_ = sorted((len(ka), len(kb)))
    if short < 3:
        return False
    if short < MIN_SHARED and long_ - short > 1:
        return False            # a short phrase inside a longer quote is not a truncated copy
    need = max(min(MIN_SHARED, short), MIN_COVER * short)
    if sum((Counter(ka) & Counter(kb)).values()) < need:
        return False            # aligned tokens are common tokens: too few to align (no alignment run)
    shared = _aligned(ka, kb)
    return shared >= min(MIN_SHARED, short) and shared / short >= MIN_COVER


def describe_changes(canonical: str, member: str) -> list[str]:
    """Word-level differences of ``member`` against ``canonical``, in words."""
    ca, mb = _surface_tokens(canonical), _surface_tokens(member)
    ka, kb = [_key(t) for t in ca], [_key(t) for t in mb]
    sm = SequenceMatcher(None, ka, kb, autojunk=False)
    ops = sm.get_opcodes()
    out: list[str] = []
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        at_edge = n == 0 or n == len(ops) - 1
        if op == "equal":
            for x, y in zip(ca[i1:i2], mb[j1:j2]):
                if x.lower() != y.lower():
                    out.append(f"{x} -> {y}")
        elif op == "insert":
            words = mb[j1:j2]
            if all(w.startswith("[") for w in words):
                out.append("inserted " + " ".join(words))
            elif at_edge:
                out.append("extended")
            else:
                out.append("inserted '" + " ".join(words) + "'")
        elif op == "delete":
            words = ca[i1:i2]
            if all(w.startswith("[") for w in words):
                out.append("removed " + " ".join(words))
            elif at_edge:
                out.append("truncated")
            else:
                out.append("dropped '" + " ".join(words) + "'")
        else:  # replace
            out.append(" ".join(ca[i1:i2]) + " -> " + " ".join(mb[j1:j2]))
    if _punct(canonical) != _punct(member) and not any(c in ("truncated", "extended") for c in out):
        out.append("punctuation")
    elif not out and _norm_space(canonical) != _norm_space(member):
        out.append("punctuation")
    seen, uniq = set(), []
    for c in out:
        if c not in seen:
            seen.add(c)
            uniq.append(c)
    return uniq


def _punct(s: str) -> list[str]:
    s = _straight(s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = re.sub(r"(?<=\w)[\-'](?=\w)", "", s)
    return re.findall(r"[^\w\s]", s)


def _norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", _straight(s)).strip()


def _speaker_words(sp: str | None) -> set[str]:
    if not sp:
        return set()
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", _straight(sp).replace("'s", ""))}
    return words - _FUNCTION


def _namey(sp: str) -> bool:
    """A name rather than a pronoun or a description ("the candidate")."""
    first = sp.split()[0].lower() if sp.split() else ""
    return bool(re.search(r"\b[A-Z][a-z]", sp)) and first not in {
        "the", "a", "an", "he", "she", "they", "it", "i", "we", "his", "her", "their", "its"}


def _reattributed(speakers: list[str | None]) -> bool:
    """Two members name different people (speakers compared by content words)."""
    sets = [_speaker_words(s) for s in speakers if s and _namey(s)]
    sets = [s for s in sets if s]
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if not sets[i] & sets[j]:
                return True
    return False


def group_quotes(articles: list[Article]) -> list[QuoteGroup]:
    """Quote groups across articles (see module doc); only groups spanning >= 2 articles.

    The in-memory driver of pieces the Spark driver also calls: ``quote_keys``
    (per article), ``quote_shingles`` + ``MAX_POSTINGS`` (candidate keys),
    ``same_keys`` (per candidate pair), ``make_group`` (per connected group)
    and ``number_groups``."""
    items: list[tuple[int, int]] = []       # (article index, quote index)
    keys: list[list[str]] = []
    for ai, art in enumerate(articles):
        for qi, k in quote_keys(art):
            items.append((ai, qi))
            keys.append([sys.intern(t) for t in k])     # one string per distinct token
    sets = DisjointSets(range(len(items)))
    find = sets.find
    for n, m in _candidate_pairs(keys, [ai for ai, _ in items]):
        if find(m) != find(n) and same_keys(keys[n], keys[m]):
            sets.union(m, n)

    clusters: dict[int, list[int]] = defaultdict(list)
    for n in range(len(items)):
        clusters[find(n)].append(n)

    groups = []
    for members in clusters.values():
        g = make_group([(items[n][0], items[n][1], articles[items[n][0]].id, articles[items[n][0]].published,
                         articles[items[n][0]].quotes[items[n][1]]) for n in members])
        if g is not None:
            groups.append(g)
    return number_groups(groups)


def _candidate_pairs(keys: list[list[str]], article_of: list[int]) -> list[tuple[int, int]]:
    """Pairs ``(n, m)``, ``n < m``, of quotes of different articles that share a 4-gram
    found in at most ``MAX_POSTINGS`` quotes, in order.  The 4-grams are hashed into
    one array (a tuple per 4-gram in a dict of lists took 2.2 GB at 100,000 articles,
    320,000 quotes); which pairs are candidates is the same (the alignment then decides)."""
    import numpy as np
    hs, qs = [], []
    for n, k in enumerate(keys):
        h = np.unique(np.fromiter((hash(t) for t in quote_shingles(k)), dtype=np.int64))
        hs.append(h)
        qs.append(np.full(len(h), n, dtype=np.int64))
    if not hs:
        return []
    h, q = np.concatenate(hs), np.concatenate(qs)
    del hs, qs
    order = np.lexsort((q, h))
    h, q = h[order], q[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    sizes = np.diff(np.r_[starts, len(h)])
    art = np.asarray(article_of, dtype=np.int64)
    codes = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_POSTINGS)]):
        # every posting list of this size at once: a (lists, size) block of quote numbers
        lists = starts[sizes == size]
        i, j = np.triu_indices(size, 1)
        step = max(1, PAIR_BLOCK // len(i))           # lists per block: bounded memory
        for lo in range(0, len(lists), step):
            block = q[lists[lo:lo + step, None] + np.arange(size)]
            a, b = block[:, i].ravel(), block[:, j].ravel()
            keep = art[a] != art[b]
            codes.append(np.unique(a[keep] * len(keys) + b[keep]))
    if not codes:
        return []
    pairs = np.unique(np.concatenate(codes))
    return list(zip((pairs // len(keys)).tolist(), (pairs % len(keys)).tolist()))


def quote_keys(art: Article) -> list[tuple[int, list[str]]]:
    """(quote index, match keys) of the quotes of one article long enough to group."""
    out = []
    for qi, q in enumerate(art.quotes or []):
        k = _match_keys(q.text)
        if len(k) >= 3:
            out.append((qi, k))
    return out


def make_group(members: list[tuple]) -> tuple | None:
    """One connected set of quotes, each ``(article index, quote index, article id,
    published, Quote)``: ``(order key, QuoteGroup)``, or None when it spans fewer
    than two articles.  The group's id is set by ``number_groups``."""
    if len({m[0] for m in members}) < 2:
        return None

    def order(m: tuple) -> tuple:
        ai, qi, _, pub, _ = m
        return (pub is None, pub or "", ai, qi)

    members = sorted(members, key=order)
    canon_text = members[0][4].text
    out_members, speakers = [], []
    for n, (ai, qi, aid, _, q) in enumerate(members):
        changes = [] if n == 0 else describe_changes(canon_text, q.text)
        out_members.append(QuoteMember(aid, qi, "altered" if changes else "verbatim", changes, q.speaker))
        speakers.append(q.speaker)
    named = [s for s in speakers if s]
    pref = [s for s in named if _namey(s)] or named
    common = None
    if pref:
        counts = Counter(pref)
        top = max(counts.values())
        common = next(s for s in pref if counts[s] == top)
    distinct = list(dict.fromkeys(named))
    return (order(members[0]), QuoteGroup("", common, canon_text, out_members, _reattributed(named), distinct))


def number_groups(groups: list[tuple]) -> list[QuoteGroup]:
    """Groups from ``make_group`` in order (earliest canonical quote first), numbered q1, q2, ..."""
    groups = sorted(groups, key=lambda g: g[0])
    result = []
    for i, (_, g) in enumerate(groups, 1):
        g.id = f"q{i}"
        result.append(g)
    return result
