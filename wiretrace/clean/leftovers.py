"""Line-level cleaner for scraped plain text: drop page leftovers, keep the body.

A scraped page is one line per block element: menus, share widgets, cookie and
newsletter prompts, captions, bylines, related-headline lists ... and the body.
Each line gets features (length, stop-word density, sentence shape, title case,
credit/share/byline patterns, repetition across the corpus); the body is the
densest contiguous block of prose-like lines (a maximum-sum segment), and the
lines in and near it are decided by context.  Pure Python + regex, no model.

Public API:
    clean_text(raw, repeated=frozenset(), title=None) -> CleanResult
    line_key(line) -> str
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from wiretrace.clean.spaces import plain_spaces
from wiretrace.clean.leftovers_patterns import (
    COMMENT_AUTHOR, STOPWORDS, STRONG, WEAK, is_boilerplate, is_byline, is_comment_marker, is_credit_line, is_meta_line, SECTION_HEAD,
)

__all__ = ["CleanResult", "clean_text", "line_key"]

# Tuned on extract-dev (text.jsonl, shingle F1 via bench/dev_extract.py) and checked on
# derivations-dev copies (share of gold body sentences kept) and quotes/stories-dev (clean text).
# F1 at the chosen values 0.954 (0.933 with no `repeated`); alternatives in brackets.
PROSE_MIN_WORDS = 10      # words for a non-sentence-shaped line to count as prose [8: 0.952, 12: 0.954]
PROSE_MIN_STOP = 0.18     # stop-word share of prose [0.15: 0.954, 0.22: 0.951]
LONE_PARAGRAPH = 8.0      # weight for one paragraph to go on past a related block
                          # [12: 0.954 (R .954), 20: 0.955 (R .954); 8 keeps more body: R .956]
BACK_EXTEND = True        # take in prose above an inline sign-up box [off: 0.953]
HEADLINE_PENALTY = -8.0   # region weight of a headline-shaped line [-4: 0.950, -12: 0.951]
WEAK_JUNK = -6.0          # region weight of an inline interruption [-3: 0.949, -10: 0.954 (R .954)]
STRONG_JUNK = -20.0       # region weight of page furniture [-12: 0.954, -30: 0.954]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TRUNCATED = re.compile(r"\w(?:\.\.\.|…)$")   # a teaser cut short: "...users with Realtek Bluetooth..."
_TERMINAL = re.compile(r"""(?:[.!?…]|\.\.\.)[\s"'”’)\]»]*$|[:;]$""")
_SENT_END = re.compile(r"""[.!?…][\s"'”’)\]»]*$""")
_DIGITS = re.compile(r"\d+")
_NONWORD = re.compile(r"[\W_]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
# a headline glued to its teaser by a scraper: "...Title Case WordsA sentence starts"
_GLUE = re.compile(r"[a-z]{2,}[’'?!.]?[A-Z][a-z]")
_CLOSED = re.compile(r"""[.!?…:;"'”’)\]»|]\s*$""")
_GLUED_DATELINE = re.compile(r"(?<=[a-z0-9’'\"”)])\s+[A-Z][A-Z.]+(?:\s+[A-Z][A-Z.]+){0,2}\s*(?:\([A-Za-z]+\)\s*)?[:—–]\s+[A-Z]")
_ENUM = re.compile(r"^\s*(?:\d{1,3}[.)]|[•*·▪–-])\s+\S")    # a numbered or bulleted list item
_OPENER = re.compile(r"""^[\s"'“‘«(\[—–-]*[A-Z0-9À-Ý]""")


@dataclass
class CleanResult:
    text: str
    removed: list[str] = field(default_factory=list)
    title: str | None = None
    meta_lines: list[str] = field(default_factory=list)


def line_key(line: str) -> str:
    """Normalised form of a line for counting it across a corpus's articles:
    lower case, digits folded to 0, punctuation and spacing collapsed."""
    s = _DIGITS.sub("0", line.strip().lower())
    return _NONWORD.sub(" ", s).strip()


@dataclass
class _Line:  # noqa: D101  (mutable: context rules may re-label junk/prose)
    raw: str        # verbatim line as in the input
    s: str          # stripped
    nw: int         # alphabetic words
    stop: float     # stop-word share of words
    nstop: int
    caps: float     # share of words starting upper case
    terminal: bool  # ends like a sentence / clause
    sent: bool      # sentence shaped: opener + ends with . ! ? …
    prose: bool
    junk: int       # boilerplate by pattern: 0, WEAK or STRONG
    meta: bool      # byline / date / credit-like
    rep: bool       # repeated across the corpus
    key: str        # line_key
    glued: bool     # a related headline glued to its teaser


def _features(raw: str, repeated: frozenset[str]) -> _Line:
    s = _INVISIBLE.sub("", raw).strip()
    words = _WORD.findall(s)
    nw = len(words)
    nstop = sum(1 for w in words if w.lower() in STOPWORDS)
    stop = nstop / nw if nw else 0.0
    caps = sum(1 for w in words if w[0].isupper()) / nw if nw else 0.0
    terminal = bool(_TERMINAL.search(s)) and not (nw <= 25 and _TRUNCATED.search(s))
    sent = terminal and bool(_SENT_END.search(s)) and bool(_OPENER.match(s))
    # prose: a real sentence or paragraph.  Evidence: enough words, function
    # words at a natural rate, not a title-case run.
    prose = ((nw >= PROSE_MIN_WORDS and stop >= PROSE_MIN_STOP and caps < 0.7 and (terminal or nw >= 20))
             or (nw >= 6 and sent and nstop >= 2 and caps < 0.75))
    glued = nw >= 5 and _glued_teaser(s)
    if glued:
        prose = False
    credit = nw <= 60 and is_credit_line(s)
    junk = is_boilerplate(s, nw, credit)
    meta = nw <= 25 and is_meta_line(s, nw, credit)
    key = line_key(s)
    return _Line(raw, s, nw, stop, nstop, caps, terminal, sent, prose and not junk, junk, meta, key in repeated, key, glued)


def _interruption(ln: _Line) -> bool:
    """A line that may sit between two paragraphs of a body: a link line, ad
    marker, caption/credit, or a short timestamp."""
    return ln.junk == WEAK or (ln.meta and not ln.junk) or (ln.nw <= 2 and not ln.junk)


def _weight(ln: _Line) -> float:
    """Contribution of a line to the body-region score."""
    if ln.junk:
        # a link line / caption / lone UI word is a weak barrier; cookie, newsletter,
        # legal and comment furniture a strong one
        return WEAK_JUNK if ln.junk == WEAK and not COMMENT_AUTHOR.match(ln.s) else STRONG_JUNK
    if ln.prose:
        # function words measure how much running prose the line holds; a long
        # footer/contact line has few of them for its length.
        w = min(ln.nstop, 60) * 1.0 + (3.0 if ln.sent else 0.0)
        if ln.rep:
            w *= 0.5
        return w
    if ln.glued:
        return HEADLINE_PENALTY
    if ln.sent and ln.nw >= 3:
        return 2.0
    if _headline_shaped(ln):
        # another article's headline (teaser lists alternate these with summaries)
        return HEADLINE_PENALTY
    if ln.meta:
        return -6.0
    return -3.0 if ln.nw <= 3 else -4.0


def _headline_shaped(ln: _Line) -> bool:
    return (4 <= ln.nw <= 25 and not ln.sent and (ln.caps >= 0.6 or ln.s.endswith(("...", "…")) or ln.stop < 0.3))


def _title_run_line(ln: _Line) -> bool:
    return not ln.prose and not ln.sent and (ln.glued or (_headline_shaped(ln) and ln.caps >= 0.6))


def _is_section_head(ln: _Line) -> bool:
    return ln.nw <= 6 and bool(SECTION_HEAD.match(ln.s))


def _glued_teaser(s: str) -> bool:
    """A related-story headline glued to the start of its summary."""
    d = _GLUED_DATELINE.search(s, 0, 200)
    if (d and len(re.sub(r"[^A-Z]", "", d.group())) >= 5 and len(_WORD.findall(s[:d.start()])) >= 5
            and not _SENT_END.search(s[:d.start() + 1])):
        return True     # "Headline words PLACE: summary ..." with no sentence end before the dateline
    m = _GLUE.search(s, 0, 160)
    if not m:
        return False
    head = _WORD.findall(s[:m.start() + 2])
    return len(head) >= 4 and sum(1 for w in head if w[0].isupper()) / len(head) >= 0.75


_SEPS = (" – ", " — ", " -- ", " - ", ": ", " @ ", " | ", " • ", ", ")


def _shape(s: str) -> tuple:
    """Coarse shape of a list item: kind of first character and its separators."""
    c = s[:1]
    kind = "d" if c.isdigit() else "u" if c.isupper() else "l" if c.islower() else "p"
    return (kind,) + tuple(sep in s for sep in _SEPS[:7])


def _best_segment(ws: list[float]) -> tuple[int, int]:
    best, bi, bj = float("-inf"), 0, -1
    cur, ci = 0.0, 0
    for j, w in enumerate(ws):
        if cur <= 0:
            cur, ci = w, j
        else:
            cur += w
        if cur > best:
            best, bi, bj = cur, ci, j
    return bi, bj


def _same_title(ka: str, kb: str) -> bool:
    """Two line keys that print the same headline."""
    if not ka or not kb:
        return False
    return ka == kb or (len(kb) > 20 and (ka.startswith(kb) or kb.startswith(ka)) and min(len(ka), len(kb)) / max(len(ka), len(kb)) > 0.8)


def _headline_candidate(ln: _Line) -> bool:
    return 3 <= ln.nw <= 30 and not ln.junk and not ln.meta and not _SENT_END.search(ln.s) and len(ln.s) <= 250


def _units(lines: list[str]) -> list[list[int]]:
    """Non-empty input lines (their indices), with a line broken mid-sentence (the previous
    line has no closing punctuation and this one starts lower case) joined to its predecessor."""
    units: list[list[int]] = []
    prev = ""
    for k, r in enumerate(lines):
        s = _INVISIBLE.sub("", r).strip()
        if not s:
            continue
        if units and s[0].islower() and not _CLOSED.search(prev):
            units[-1].append(k)
            prev = prev + " " + s
        else:
            units.append([k])
            prev = s
    return units


def _joined(lines: list[str], group: list[int]) -> str:
    return " ".join(_INVISIBLE.sub("", lines[k]).strip() for k in group)


def _mark_comment_authors(lines: list[_Line]) -> set[int]:
    """"name says:" lines are comment-thread author lines when there are several of
    them: they are marked as furniture; returns their indices (empty when fewer than 2)."""
    authors = [i for i, ln in enumerate(lines) if ln.nw <= 12 and COMMENT_AUTHOR.match(ln.s)]
    if len(authors) < 2:
        return set()
    for i in authors:
        lines[i].junk, lines[i].prose = STRONG, False
    return set(authors)


def _comment_thread_start(lines: list[_Line], ws: list[float], author_set: set[int]) -> int:
    """Where a reader-comment thread (a thread marker followed by several author/date
    lines) begins after some article prose: it is never the body, however much prose
    it holds. len(lines) when there is none."""
    n = len(lines)
    prose_before = 0.0
    for i, ln in enumerate(lines):
        if prose_before >= 20 and (i in author_set or is_comment_marker(ln.s, ln.nw)):
            if sum(1 for j in range(i + 1, n) if j in author_set or lines[j].meta) >= 3:
                return i
        if ln.prose:
            prose_before += ws[i]
    return n


def _body_region(lines: list[_Line], ws: list[float], limit: int, author_set: set[int]) -> tuple[int, int]:
    """The densest block of prose before ``limit`` (all lines when there is no prose),
    ended at the first comment-thread marker or author line met after some prose."""
    a, b = _best_segment(ws[:limit])
    if b < a or sum(ws[a:b + 1]) <= 0:   # no prose at all: keep what is not junk
        a, b = 0, len(lines) - 1
    # reader comments follow the article: the body ends at the first comment-thread
    # marker (or comment author line) met after some prose
    seen_prose = False
    for i in range(a, b + 1):
        if seen_prose and (is_comment_marker(lines[i].s, lines[i].nw) or i in author_set):
            b = i - 1
            break
        seen_prose = seen_prose or lines[i].prose
    return a, b


def _extend_past_interruptions(lines: list[_Line], ws: list[float], b: int, limit: int) -> int:
    """A body interrupted by a link line, caption or an inline related-links block
    goes on after it: take in further paragraphs (a run of 2+ prose lines, or one
    long one) past up to eight non-prose, non-furniture lines. Returns the new end."""
    while True:
        j = b + 1
        while j < limit and j - b <= 8 and not lines[j].prose and lines[j].junk != STRONG and lines[j].nw <= 30:
            j += 1
        # past only link/caption/credit lines one paragraph is enough; past other
        # stories' headlines it takes more (a lone summary is that headline's teaser)
        only_interruptions = all(_interruption(lines[x]) for x in range(b + 1, j))
        if j < limit and j > b + 1 and lines[j].prose and (only_interruptions or not lines[j].rep) and (
                only_interruptions or ws[j] >= LONE_PARAGRAPH or (j + 1 < limit and lines[j + 1].prose)):
            b = j
            while b + 1 < limit and lines[b + 1].prose:
                b += 1
        else:
            return b


def _skip_gallery_captions(lines: list[_Line], ws: list[float], a: int, b: int) -> int:
    """A photo gallery prints each caption twice: such lines do not open the body.
    Returns the new start."""
    last_at = {ln.key: i for i, ln in enumerate(lines)}
    while a < b and last_at[lines[a].key] > a and lines[a].nw >= 4:
        a += 1
        while a < b and ws[a] <= 0:
            a += 1
    return a


def _extend_back(lines: list[_Line], kcount: Counter, a: int) -> int:
    """An inline sign-up box can split a body: the paragraphs above it (a run of 2+
    prose lines) belong to the body too. Returns the new start."""
    while BACK_EXTEND:
        j = a - 1
        while j >= 0 and a - j <= 6 and not lines[j].prose and lines[j].nw <= 30 and not is_comment_marker(lines[j].s, lines[j].nw):
            j -= 1
        if (j >= 1 and j < a - 1 and lines[j].prose and lines[j - 1].prose and not (lines[j].rep and lines[j - 1].rep)
                and kcount[lines[j].key] == 1 and kcount[lines[j - 1].key] == 1):   # a gallery repeats its captions
            a = j
            while a - 1 >= 0 and lines[a - 1].prose:
                a -= 1
        else:
            break
    return a


def _extend_list(lines: list[_Line], b: int) -> int:
    """A list announced by the body ("... tour dates:") runs on in same-shaped items.
    Returns the new end."""
    n = len(lines)
    j = b if lines[b].s.endswith(":") else (b + 1 if b + 1 < n and lines[b + 1].s.endswith(":") and not lines[b + 1].junk else -1)
    if j >= 0:
        k = j + 1
        shape = _shape(lines[k].s) if k < n else None
        while k < n and not lines[k].junk and lines[k].nw <= 25 and _shape(lines[k].s) == shape:
            k += 1
        if k - (j + 1) >= 3:
            b = k - 1
    return b


def _extend_closing_lines(lines: list[_Line], b: int) -> int:
    """With no page furniture anywhere the input looks like clean text, so closing
    lines that end like sentences (signatures, sign-offs, notes) are body too.
    Returns the new end."""
    if not any(ln.junk for ln in lines):
        while b + 1 < len(lines) and lines[b + 1].terminal and not lines[b + 1].meta:
            b += 1
    return b


def _link_blocks(lines: list[_Line], a: int, b: int) -> set[int]:
    """Inside the region: a run of 2+ title-case headline lines, or the lines under a
    "Most read"-type heading, is another block of stories' links, not a subhead."""
    block: set[int] = set()
    i = a
    while i <= b:
        if lines[i].junk == WEAK and _is_section_head(lines[i]):
            k = i + 1
            while k <= b and not lines[k].prose and not lines[k].sent:
                block.add(k)
                k += 1
            i = k
            continue
        k = i
        while k <= b and _title_run_line(lines[k]):
            k += 1
        if k - i >= 2:
            block.update(range(i, k))
        i = max(k, i + 1)
    return block


def _kept_in_region(lines: list[_Line], a: int, b: int) -> list[bool]:
    """Which lines are body: those in the region that are not link blocks, furniture,
    corpus-repeated non-sentences, or bylines/dates at its edges."""
    keep = [False] * len(lines)
    block = _link_blocks(lines, a, b)
    for i in range(a, b + 1):
        if i in block:
            continue
        ln = lines[i]
        # repetition across the corpus condemns a line only if it does not read as a sentence or clause
        if ln.junk or (ln.rep and not ln.prose and not ln.sent and not (ln.terminal and ln.nstop >= 2)
                       and not _ENUM.match(ln.s)):
            continue
        if ln.meta and (i < a + 3 or i > b - 3 or ln.nw > 4 or is_byline(ln.s) or is_credit_line(ln.s) or ln.rep):
            continue    # bylines/dates open or close the body; a timestamp inside it is a subhead
        keep[i] = True
    return keep


def _find_title(lines: list[_Line], kcount: Counter, a: int, fallback: bool) -> int | None:
    """The headline's line when none is known: a heading-shaped line printed twice,
    else (with ``fallback``) the last heading-like line above the body; None when
    there is none."""
    n = len(lines)
    cands = [i for i in range(0, a + 1) if _headline_candidate(lines[i])]
    for i in reversed(cands):
        if kcount[lines[i].key] >= 2 or any(
                _same_title(lines[j].key, lines[i].key) for j in range(max(0, i - 6), min(n, i + 7)) if j != i):
            return i
    # else the last heading-like line above the body (5+ words, capitalised; shorter ones are kickers/tags)
    strong = [i for i in cands if lines[i].nw >= 5 and _OPENER.match(lines[i].s)]
    if fallback and (strong or cands):
        i = (strong or cands)[-1]
        if i < a or (i == a and not lines[i].prose):
            return i
    return None


def _drop_title_lines(lines: list[_Line], keep: list[bool], title: str, upto: int) -> None:
    """Lines up to index ``upto`` that print the headline are not body."""
    tkey = line_key(title)
    for i, ln in enumerate(lines):
        if i <= upto and _same_title(ln.key, tkey):
            keep[i] = False


def clean_text(raw: str, repeated: frozenset[str] = frozenset(), title: str | None = None) -> CleanResult:
    """Split scraped text into body and page leftovers (see module doc).

    raw: the scraped or clean text; repeated: line_keys seen in 2+ articles of the
    corpus (evidence of boilerplate only together with other evidence); title: the
    known headline, if any (its lines are dropped)."""
    # lines are read with every Unicode space as " " (the patterns are written with
    # " "); what is kept or listed as removed is cut from the input as written
    # (one character for one: both views have the same lines, of the same lengths)
    raw_lines = (raw or "").splitlines()
    view_lines = plain_spaces(raw or "").splitlines()
    groups = _units(view_lines)
    lines = [_features(_joined(view_lines, g), repeated) for g in groups]
    n = len(lines)
    if n == 0:
        return CleanResult("", [], title, [])
    author_set = _mark_comment_authors(lines)
    ws = [_weight(ln) for ln in lines]
    limit = _comment_thread_start(lines, ws, author_set)
    a, b = _body_region(lines, ws, limit, author_set)
    b = _extend_past_interruptions(lines, ws, b, limit)
    kcount = Counter(ln.key for ln in lines)
    a = _skip_gallery_captions(lines, ws, a, b)
    a = _extend_back(lines, kcount, a)
    b = _extend_list(lines, b)
    b = _extend_closing_lines(lines, b)
    keep = _kept_in_region(lines, a, b)
    found_title = title
    if title:
        _drop_title_lines(lines, keep, title, n)
    else:
        # with an empty known title ("") only a heading printed twice replaces it
        t = _find_title(lines, kcount, a, fallback=title is None)
        if t is not None:
            found_title = _joined(raw_lines, groups[t])
        if found_title:
            _drop_title_lines(lines, keep, found_title, a + 1)
    if not any(keep) and title is None:
        # nothing but a heading-like line survived: it is the text itself, not a headline
        keep = [a <= i <= b and not lines[i].junk for i in range(n)]
        found_title = None
    body = [_joined(raw_lines, groups[i]) for i in range(n) if keep[i]]
    removed = [raw_lines[k] for i in range(n) if not keep[i] for k in groups[i]]
    meta = [raw_lines[k] for i in range(n) if not keep[i] and lines[i].meta for k in groups[i]]
    return CleanResult("\n\n".join(body), removed, found_title, meta)
