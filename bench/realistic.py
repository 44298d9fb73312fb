"""A realistic news corpus of any size, with planted copies and multi-article stories.

    .venv/bin/python bench/realistic.py N OUTDIR [--seed 7] [--shared ../shared] [--check 2000]

The text is real English news prose: paragraphs of the labelled dev sets' articles
(derivations-dev originals, quotes-dev, wire-dev, events-dev, stories-dev, extract-dev's
gold bodies; see ``read_source_texts``), so sentence splitting, quotes with their attribution,
datelines, bylines, abbreviations ("Sen.", "U.S.", "Sept.") and names cost what they cost
on real pages. The sources hold about 6 MB of text; 100,000 articles need about 60 times
that, so every generated original varies what it takes:

- it mixes the paragraphs of 1-4 source articles (the lead source's opening first, the
  other paragraphs merged in source order);
- every capitalised name token is replaced by a name from a generated pool (syllables:
  about 3.4M combinations, counted as 20 bits; consistent within the article: "Clinton" is
  the same person everywhere in it), all-capital acronyms by random capitals of the same
  length, every number by a random number of the same shape (a year by a year);
- content words (not function words, not attribution verbs such as "said" or "told", not
  months, weekdays or honorifics) are replaced by another content word of the sources with
  the same ending class ("-ing", "-ed", "-ly", "-s", other), each with probability
  ``SUB_P``;
- then every 8 consecutive word tokens (as the check below counts them, across paragraph
  breaks, byline and dateline included) must carry ``TARGET_BITS`` of randomness: a name
  new to the window 20 bits, a replaced word log2 of its class (9.5-13.3), a number 3.3 a
  digit. A window short of it gets its remaining content words replaced (latest first),
  then a modifier after a determiner ("the [harbor] bill") or an adverb before a function
  word. Two originals can only share an 8-gram if all the draws in it agree: at 36 bits and
  ~1.5e9 (window, pair of originals using it) at 100k, about 0.02 expected.

What stays real: punctuation and quotation marks, function words and attribution verbs,
paragraphing, capitalisation, abbreviations with their full stops, the position and shape
of names and numbers. The prose reads oddly (content words are swapped), which costs the
pipeline's per-document stages the same as real text.

Checked property (``--check K``, on by default): no two generated originals share a word
8-gram (``\\w+`` tokens of the lowercased text). The first K originals are the sample: every
8-gram of theirs is kept (a 64-bit hash of the token ids), the sample is checked against
itself, and every later original is checked against the sample (a sorted array). So every
pair (sample original, any original) is checked exactly; pairs of two originals outside
the sample are not. The result (pairs sharing an 8-gram, 8-grams shared, examples) is in
``meta.json`` and printed; ``--strict-check`` makes a shared 8-gram an error.

Planted, as ``bench/synth.py`` does (shares of all articles, from originals among the
last ``RING`` originals, so sources are recent as on a real day of news):
- wholly (4%): the source's whole text, ~3% of its words replaced, sometimes the last
  paragraph cut, 2-4 page-leftover lines of the copying outlet (generic furniture of the
  derivations-dev pages that appears on two or more of them, plus the outlet's copyright
  line, its title and date lines) around and between the paragraphs, sometimes a credit
  line;
- partially (4%): 2-4 consecutive paragraphs of a source (~3% of their words replaced)
  inside 150-600 words of the copy's own text (generated as an original is);
- patchwork (2%): 1-3 sentences from each of 4-6 sources, nothing else.
Multi-article stories: ~half of the originals belong to a story of 2-6 originals on one
event: their names come from one cast (the same people and places, mapped from different
source names), they are published within hours, and they share no source article, so no
text. A copy belongs to its source's story; a patchwork is a story of its own.

Output in OUTDIR: ``corpus.jsonl`` (``id``, ``title``, ``text``, ``outlet``, ``published``,
``url``: docs/CONTRACT.md), ``copies.jsonl`` (``source``, ``target``, ``kind``),
``stories.jsonl`` (``id``, ``story``: the gold format of ``wiretrace eval stories``),
``meta.json`` (parameters, counts, the 8-gram check). Everything is drawn from one seeded
``random.Random``: the same (n, seed) and the same dev sets give the same files. Articles
are written as they are made; memory holds the source pool and the last ``RING`` originals.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WHOLLY, PARTIAL, PATCH = 0.04, 0.04, 0.02
RING = 4000                 # originals kept as possible sources of copies
SUB_P = 0.35                # content words replaced at random before the windows force more (with the
# windows, 32% of all word tokens end up replaced at 36 bits; SUB_P only spreads which ones)
TARGET_BITS = 36            # randomness wanted in every 8 word tokens (module docstring). Measured
# (meta.json "variation", seed 7): 2k articles from the full pool, 36 bits: 0 pairs sharing an
# 8-gram, 8.4% of word tokens inserted adverbs; 33 bits: 0 pairs, 6.4%. 10k articles from 60
# source articles (each source word reused ~280 times, 5x the 100k reuse), every original
# checked against every other, 36 bits: 0 pairs (8.8% adverbs, final code). 36 kept: the
# margin is for the ~2x more (window, pair) chances of a 100k corpus than that stress run.
NAME_BITS = 20.0            # a new name: the pool has ~3.4M syllable combinations, not all distinct or equally likely
SPAN_DAYS = 14              # the corpus covers this many days whatever its size
BASE_TIME = dt.datetime(2024, 3, 4, 6, 0, tzinfo=dt.UTC)

FUNCTION = set("""
a about above across after again against all almost along already also although always am among an and
another any anyone anything are around as at back be became because become been before being below
between both but by can cannot could did do does doing done down during each either else enough even ever
every few for from further had has have having he her here hers herself him himself his how however i if in
into is it its itself just least less like many may me might more most much must my myself neither never
no nor not now of off often on once one only onto or other others our ours ourselves out over own per
perhaps quite rather same several she should since so some something still such than that the their theirs
them themselves then there these they this those though through thus to too toward towards under until
up upon us very via was we were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves two three four five six seven eight nine
ten first second third last next new old own mr mrs ms dr st jr sr yes ok
don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't
hadn't it's i'm i've i'd i'll you're you've you'll we're we've we'll they're they've they'll he's she's
that's there's what's who's let's
""".split())  # noqa: SIM905
ATTRIBUTION = set("""
said says say saying told tell tells according added adds asked asks stated states wrote writes reported
reports announced announces explained explains noted notes claimed claims insisted insists argued argues
warned warns replied replies suggested suggests declared declares acknowledged acknowledges admitted
admits confirmed confirms denied denies tweeted tweets continued continues recalled recalls quoted
statement spokesman spokeswoman spokesperson interview
""".split())  # noqa: SIM905
KEEP_CAPS = set("""
January February March April May June July August September October November December Jan Feb Mar Apr
Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mr Mrs Ms Dr
Sen Rep Gov Gen Lt Col Sgt Capt Jr Sr St Mt Prof Rev President Senator Governor Judge Justice Minister
Secretary Chairman Chief Mayor Representative Speaker Congressman Congresswoman Prince Princess King
Queen Lord Lady Sir Pope I A
""".split())  # noqa: SIM905
DETERMINERS = {"the", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your"}
SUFFIXES = ("ing", "ed", "ly", "s")    # ending classes of replacement words (the rest: one class)
TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,:]\d+)*")
# kinds of a token in a source paragraph
LIT, KEEP, CONTENT, NAME, ACRO, NUM, SAY = range(7)

ONSETS = ("B Br C Ch Cl D Dr F Fl G Gr H J K Kr L M N P Pr R S Sh Sl St T Th Tr V W Wh Y Z "  # noqa: SIM905
          "Bl Gl Pl Sc Sp Qu").split()
VOWELS = "a e i o u a e i o ai ea ou ee oa".split()  # noqa: SIM905
MIDS = "l n r s t m d v nd rl ck ll rr nt st mb ng rd lt sh th z".split()  # noqa: SIM905
ENDS = ("son ton ley man er ford well by ard ez ini sky berg wood ham ock field more ridge wick stein ita "  # noqa: SIM905
        "ina ello is es an en el o a y ie ette ard worth vale holt").split()

SOURCE_SETS = ("derivations-dev", "quotes-dev", "wire-dev", "events-dev", "stories-dev", "extract-dev")


@dataclass
class Para:
    toks: list[str]          # the paragraph cut into tokens (words, numbers, and the text between them)
    kinds: bytes             # one kind per token (LIT, KEEP, CONTENT, NAME, ACRO, NUM)
    words: int


@dataclass
class Source:
    title: str | None
    paras: list[Para]


@dataclass
class Outlet:
    name: str
    domain: str
    byline: bool
    dateline: bool
    furniture: list[str]


@dataclass
class Story:
    sid: str
    cast: list[str]
    remaining: int
    start: dt.datetime
    used: set = field(default_factory=set)


# ---------------------------------------------------------------------------- sources

def _paras(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _fix_spacing(s: str) -> str:
    """events-dev is rebuilt from tokens ("Pictures ' Matthew", "said , "): rejoin."""
    s = re.sub(r"\s+([,.;:!?%)\]])", r"\1", s)
    s = re.sub(r"(\d):\s+(\d)", r"\1:\2", s)
    s = re.sub(r"([(\[$])\s+", r"\1", s)
    s = re.sub(r"\s+(['’](?:s|re|ve|ll|d|m)\b|n['’]t\b)", r"\1", s)
    return s


def _keep_para(p: str) -> bool:
    if len(p) < 40 or "http" in p or "www." in p or "pic.twitter" in p:
        return False
    letters = [c for c in p if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return False                      # wire headlines, operator notes in capitals
    # bylines (we add our own), operator notes
    return not p.startswith(("By ", "(", "["))


def read_source_texts(shared: Path) -> list[tuple[str | None, list[str]]]:
    """(title, paragraphs) of every dev-set article used, in a fixed order."""
    d = shared / "datasets"
    out: list[tuple[str | None, list[str]]] = []

    def jl(p: Path):
        op = gzip.open if p.suffix == ".gz" else open
        with op(p, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)

    originals = set(json.loads((d / "derivations-dev" / "gold.json").read_text(encoding="utf-8"))["originals"])
    for r in jl(d / "derivations-dev" / "corpus.jsonl"):
        if r["id"] in originals:
            out.append((r.get("title"), _paras(r["text"])))
    for r in jl(d / "quotes-dev" / "corpus.jsonl"):
        ps = _paras(r["text"])
        out.append((r.get("title"), ps[1:]))           # the first line is the headline
    for r in jl(d / "wire-dev" / "corpus.jsonl"):
        out.append((None, _paras(r["text"])))
    for r in jl(d / "events-dev" / "corpus.jsonl"):
        lines = [_fix_spacing(x.strip()) for x in r["text"].split("\n") if x.strip()]
        # one sentence a line: paragraphs of 1-3 sentences, a quote's continuation kept with it
        ps, cur = [], []
        for i, x in enumerate(lines):
            cur.append(x)
            if len(cur) >= 1 + (i % 3) and not x.endswith((",", ":")):
                ps.append(" ".join(cur))
                cur = []
        if cur:
            ps.append(" ".join(cur))
        out.append((None, ps))
    for r in jl(d / "stories-dev" / "corpus.jsonl"):
        out.append((r.get("title"), _paras(r["text"])))
    for r in jl(d / "extract-dev" / "gold.jsonl"):
        out.append((None, _paras(r["body"])))
    return [(t, [p for p in ps if _keep_para(p)]) for t, ps in out]


def generic_leftovers(shared: Path) -> list[str]:
    """Page furniture lines of derivations-dev's copies found on two or more pages, without
    digits, photo captions or headlines (those are article-specific)."""
    g = json.loads((shared / "datasets" / "derivations-dev" / "gold.json").read_text(encoding="utf-8"))
    c = collections.Counter(line for v in g["leftovers"].values() for line in set(v))
    return sorted(line for line, k in c.items()
                  if k >= 2 and not re.search(r"\d|[Pp]hoto|FILE|REPORT|Copyright|originally|Source:", line))


class Pool:
    """The source articles cut into tokens once, and the replacement vocabularies."""

    def __init__(self, texts: list[tuple[str | None, list[str]]],
                 vocab_texts: list[tuple[str | None, list[str]]] | None = None):
        lower, cap = collections.Counter(), collections.Counter()
        for t, ps in vocab_texts or texts:
            for p in ps + ([t] if t else []):
                for m in TOKEN.finditer(p):
                    w = m.group()
                    if w[0].isalpha():
                        if w[0].islower():
                            lower[w.lower()] += 1
                        elif not w.isupper():
                            cap[w] += 1
        self._lower, self._cap = lower, cap
        intern: dict[str, str] = {}
        self.sources: list[Source] = []
        for t, ps in texts:
            paras = [self._cut(p, intern) for p in ps]
            paras = [p for p in paras if p.words >= 8]
            if paras:
                self.sources.append(Source(self._cut(t, intern) if t else None, paras))
        # replacement vocabulary: every content word of the sources, by ending class
        classes: dict[str, list[str]] = collections.defaultdict(list)
        for w in sorted(lower):
            if len(w) >= 3 and w.isascii() and w.isalpha() and w not in FUNCTION and w not in ATTRIBUTION:
                classes[_suffix(w)].append(w)
        self.classes = dict(classes)
        self.words = sum(p.words for s in self.sources for p in s.paras)

    def _cut(self, text: str, intern: dict[str, str]) -> Para:
        toks: list[str] = []
        kinds = bytearray()
        pos = words = 0
        for m in TOKEN.finditer(text):
            if m.start() > pos:
                lit = text[pos:m.start()]
                toks.append(intern.setdefault(lit, lit))
                kinds.append(LIT)
            w = m.group()
            toks.append(intern.setdefault(w, w))
            kinds.append(self._kind(w))
            words += 1
            pos = m.end()
        if pos < len(text):
            toks.append(text[pos:])
            kinds.append(LIT)
        return Para(toks, bytes(kinds), words)

    def _kind(self, w: str) -> int:
        if w[0].isdigit():
            return NUM
        base = _base(w)
        low = base.lower().replace("’", "'")
        if low in ATTRIBUTION:
            return SAY
        if low in FUNCTION or base in KEEP_CAPS or len(base) == 1:
            return KEEP
        if base.isupper():
            return ACRO
        if base[0].isupper():
            return CONTENT if self._lower[low] >= self._cap[base] else NAME
        return CONTENT


def _base(w: str) -> str:
    return w[:-2] if len(w) > 3 and w[-2] in "'’" and w[-1] in "sS" else w


def _suffix(w: str) -> str:
    for s in SUFFIXES:
        if w.endswith(s) and len(w) > len(s) + 2:
            return s
    return ""


# ---------------------------------------------------------------------------- variation

class Varier:
    """Rewrites source paragraphs for one generated article (its own name map)."""

    def __init__(self, gen: Generator, cast: list[str] | None):
        self.g, self.rng = gen, gen.rng
        self.names: dict[str, str] = {}
        self.acros: dict[str, str] = {}
        self.cast = list(cast or [])
        self.rng.shuffle(self.cast)
        self.win: list[list] = []   # the last 8 word tokens: [list, index, bits, source word, room, name]

    def name(self, base: str) -> str:
        out = self.names.get(base)
        if out is None:
            out = self.cast.pop() if self.cast and self.rng.random() < 0.7 else self.g.new_name()
            self.names[base] = out
        return out

    def paras(self, ps: list[Para]) -> list[str]:
        """The paragraphs rewritten as one stretch of text: every 8 consecutive word tokens
        (as the check counts them, across paragraph breaks) carry ``TARGET_BITS``."""
        outs: list[list[str]] = []
        for p in ps:
            outs.append([])
            self._para(p, outs)
        self.win = []
        return ["".join(o) for o in outs]

    def title(self, p: Para) -> str:
        self.win = []
        out: list[list[str]] = [[]]
        self._para(p, out)
        self.win = []
        return "".join(out[0])

    def _replace(self, tok: str) -> tuple[str, float]:
        g = self.g
        g.stats["replaced"] += 1
        base = _base(tok)
        cls = _suffix(base.lower())
        ws = g.pool.classes.get(cls) or g.pool.classes[""]
        w = ws[int(self.rng.random() * len(ws))]
        if base[0].isupper():
            w = w[0].upper() + w[1:]
        return w + tok[len(base):], g.bits.get(cls, g.bits[""])

    def _para(self, p: Para, outs: list[list[str]]) -> None:
        rng, g, win = self.rng, self.g, self.win
        out = outs[-1]
        for j, (tok, kind) in enumerate(zip(p.toks, p.kinds)):
            if kind == LIT:
                out.append(tok)
                continue
            if kind == CONTENT:
                if rng.random() < SUB_P:
                    new, bits = self._replace(tok)
                    self._push(out, new, bits, None, content=True)
                else:
                    self._push(out, tok, 0.0, tok, content=True)   # may still be replaced below
            elif kind == KEEP or kind == SAY:
                # no adverb inside "p.m." (a lowercase letter before a full stop) nor before
                # "Mr", "Sen.", a month (capitalised function words)
                nxt = p.toks[j + 1] if j + 1 < len(p.toks) else ""
                room = not (len(tok) == 1 and tok.islower() and nxt.startswith(".")) and _base(tok) not in KEEP_CAPS
                self._push(out, tok, 0.0, None, room=int(room))
            elif kind == NUM:
                bits = 5.3 if len(tok) == 4 and tok[:2] in ("19", "20") else \
                    3.3 * sum(c.isdigit() for c in tok) - 0.1
                self._push(out, g.number(tok), bits, None)
            elif kind == NAME:
                # a name drawn for this article: its bits count once in a window (the same name
                # twice in 8 words adds nothing), wherever in the article it was drawn
                base = _base(tok)
                new = self.name(base)
                bits = 0.0 if any(e[5] == new for e in win) else NAME_BITS
                self._push(out, new + tok[len(base):], bits, None, key=new)
            else:   # ACRO
                base = _base(tok)
                a = self.acros.get(base)
                if a is None:
                    a = self.acros[base] = (g.new_name().upper() if len(base) > 4 else
                                            "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWY") for _ in base))
                bits = 0.0 if any(e[5] == a for e in win) else (NAME_BITS if len(base) > 4 else 4.5 * len(base))
                self._push(out, a + tok[len(base):], bits, None, key=a)
            if len(win) >= 8 and sum(e[2] for e in win) < TARGET_BITS:
                self._fill()

    def _push(self, out: list[str], tok: str, bits: float, variable: str | None, room: int = 0,
              content: bool = False, key: str | None = None) -> None:
        """One word token out; ``variable``: the source word, while it may still be replaced;
        ``room``: 1 when an adverb may go in before it (a function word or attribution verb),
        2 when a modifier may (a lowercase content word after a determiner)."""
        out.append(tok)
        self.g.stats["words"] += 1
        win = self.win
        if room == 0 and content and win and win[-1][1] >= 0 and tok[0].islower() \
                and win[-1][0][win[-1][1]].lower() in DETERMINERS:
            room = 2
        win.append([out, len(out) - 1, bits, variable, room, key])
        for _ in range(_pieces(tok) - 1):
            win.append([out, -1, 0.0, None, 0, None])
        del win[:-8]

    def _fill(self) -> None:
        """The last 8 word tokens lack randomness: replace content words left as they were,
        latest first; if that is not enough, adverbs go in before function words of the
        window, latest first (a sentence of function words and "said" only)."""
        win = self.win
        fallback = 0
        for _ in range(64):                # ends long before: each new word adds bits
            have = sum(e[2] for e in win)
            if have >= TARGET_BITS:
                return
            e = next((e for e in reversed(win) if e[3] is not None), None)
            if e is not None:
                e[0][e[1]], e[2] = self._replace(e[3])
                e[3] = None
                continue
            # a modifier after a determiner ("the [harbor] bill"), else an adverb before a
            # function word of the window (not the oldest: the new word would leave the window
            # with it), else an adverb before the last word whatever it is
            k = next((k for k in range(len(win) - 1, 0, -1) if win[k][4] == 2), None)
            if k is None:
                k = next((k for k in range(len(win) - 1, 0, -1) if win[k][4] == 1), None)
            if k is None:
                # the last lowercase word of the latter half (the new word stays in the windows
                # to come); a window of numbers and capitalised function words (a date) may
                # stay short: rare, and the check counts what is left
                k = next((k for k in range(len(win) - 1, len(win) // 2 - 1, -1)
                          if win[k][1] >= 0 and win[k][0][win[k][1]][:1].islower()), None)
                if k is None or fallback >= 2:
                    return
                fallback += 1
            e = win[k]
            o, i = e[0], e[1]
            tok = o[i]
            if e[4] == 2:
                ws, cls = self.g.pool.classes[""], ""
                self.g.stats["modifiers"] += 1
            else:
                ws, cls = self.g.pool.classes["ly"], "ly"
                self.g.stats["adverbs"] += 1
            new = ws[int(self.rng.random() * len(ws))]
            if tok[:1].isupper() and e[4] == 1:      # a function word opening a sentence
                new, o[i] = new.capitalize(), tok[0].lower() + tok[1:]
            e[4] = 0
            o.insert(i, new + " ")
            for f in win:                  # entries after the insertion point moved by one
                if f[0] is o and f[1] >= i:
                    f[1] += 1
            win.insert(k, [o, i, self.g.bits[cls], None, 0, None])
            del win[:-8]


def _pieces(tok: str) -> int:
    """How many ``\\w+`` tokens the 8-gram check sees in ``tok`` ("don’t", "3.5": two)."""
    return 1 + sum(1 for c in tok if not c.isalnum())


# ---------------------------------------------------------------------------- generator

class Generator:
    def __init__(self, pool: Pool, leftovers: list[str], seed: int):
        self.pool, self.rng = pool, random.Random(seed)
        self.leftovers = leftovers
        self.outlets = [self._outlet() for _ in range(240)]
        self.bits = {c: float(np.log2(len(ws))) for c, ws in pool.classes.items()}
        self.stats: collections.Counter = collections.Counter()

    # -- small pieces
    def new_name(self) -> str:
        r = self.rng
        s = r.choice(ONSETS) + r.choice(VOWELS) + r.choice(MIDS)
        if r.random() < 0.5:
            s += r.choice(VOWELS)
        return s + r.choice(ENDS)

    def number(self, tok: str) -> str:
        r = self.rng
        if len(tok) == 4 and tok[:2] in ("19", "20"):
            return str(r.randint(1990, 2029))
        out = [str(r.randint(1, 9)) if tok[0] != "0" else "0"]
        out += [str(r.randint(0, 9)) if c.isdigit() else c for c in tok[1:]]
        return "".join(out)

    def _outlet(self) -> Outlet:
        r = self.rng
        place = self.new_name()
        form = r.choice(["The {} Herald", "{} Daily News", "The {} Tribune", "{} Post", "{} Wire", "The {} Courier",
                         "{} Today", "{} Ledger", "{} Observer", "{} Times", "{} Dispatch", "{} Online"])
        name = form.format(place)
        domain = re.sub(r"[^a-z]", "", name.lower().replace("the ", "")) + r.choice([".com", ".net", ".news", ".org"])
        furn = r.sample(self.leftovers, min(len(self.leftovers), r.randint(3, 6)))
        return Outlet(name, domain, r.random() < 0.5, r.random() < 0.4, furn)

    def _byline(self) -> str:
        r = self.rng
        who = f"{self.new_name()} {self.new_name()}"
        return r.choice([f"By {who}", f"By {who.upper()}", f"By {who}, Staff Writer", f"{who} | Reporter"])

    # -- one original (or a copy's own text)
    def compose(self, cast: list[str] | None, avoid: set, words: int,
                lead_in: list[float] = ()) -> tuple[str | None, list[str], set]:
        """A title and paragraphs from 1-4 source articles none of which is in ``avoid``;
        ``lead_in``: the bits of the word tokens the text will have before them (byline,
        dateline), which start the 8-token windows."""
        r, srcs = self.rng, self.pool.sources
        if len(avoid) > len(srcs) // 2:         # a small pool (--sources): a story may reuse sources
            avoid = set()
        lead = r.randrange(len(srcs))
        while lead in avoid:
            lead = r.randrange(len(srcs))
        used = {lead}
        streams = [list(srcs[lead].paras)]
        have = sum(p.words for p in streams[0])
        tries = 0
        while have < words and len(used) < 4 and tries < 100:
            tries += 1
            k = r.randrange(len(srcs))
            if k in used or k in avoid:
                continue
            used.add(k)
            take = list(srcs[k].paras)
            if len(take) > 2:                      # a run of its paragraphs
                a = r.randrange(len(take))
                take = take[a:a + r.randint(2, 8)]
            streams.append(take)
            have += sum(p.words for p in take)
        v = Varier(self, cast)
        v.win = [[None, -1, b, None, 0, None] for b in lead_in][-8:]
        first = streams[0][:1 + (r.random() < 0.4)]
        rest_streams = [streams[0][len(first):]] + streams[1:]
        order: list[Para] = list(first)
        while any(rest_streams):                  # merge the other paragraphs, each stream in order
            live = [s for s in rest_streams if s]
            order.append(r.choice(live).pop(0))
        take, n = [], 0
        for p in order:
            if n >= words and len(take) >= 2:
                break
            take.append(p)
            n += p.words
        out = v.paras(take)
        t = srcs[lead].title
        if t is not None:
            title = v.title(t)
        else:
            first_sent = re.split(r"(?<=[.!?])\s", out[0], maxsplit=1)[0]
            title = " ".join(first_sent.split()[:r.randint(7, 13)]).rstrip(",;:.")
        return title, out, used

    def length(self) -> int:
        # article lengths in words: log-normal, median ~500 (real news pages: a few hundred
        # to a couple of thousand words), 80..2,500
        return int(min(2500, max(80, self.rng.lognormvariate(6.2, 0.6))))


_SENT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’]))\s+(?=[“\"A-Z])")


_ABBR = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|St|Mt|Jr|Sr|Prof|Rev|No|Jan|Feb|Mar|"
                   r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd|vs|U\.S|[A-Z])\.)$")


def _sentences(paras: list[str]) -> list[str]:
    """Sentences of the paragraphs (a simple splitter that keeps "Sen. Smith" and "J. Smith"
    together: it only plants patchworks)."""
    out: list[str] = []
    for p in paras:
        cur = ""
        for s in _SENT.split(p):
            cur = f"{cur} {s}" if cur else s
            if not _ABBR.search(cur):
                out.append(cur)
                cur = ""
        if cur:
            out.append(cur)
    return out


def _edit(text: str, rng: random.Random, words: list[str], share: float = 0.03) -> str:
    w = text.split(" ")
    for i in range(len(w)):
        if rng.random() < share and w[i].isalpha() and w[i].islower():
            w[i] = words[int(rng.random() * len(words))]
    return " ".join(w)


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower())[:8]) or "article"


def generate(n: int, out: Path, seed: int = 7, shared: Path = Path("../shared"), check: int = 2000,
             progress: bool = False, sources: int = 0) -> dict:
    """Write the corpus and truth files into ``out``; return the meta (also in meta.json).
    ``sources`` > 0 draws from only that many source articles (seeded): a small corpus then
    reuses each source as often as a 100k corpus does, to check the 8-gram property."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    texts = vocab = read_source_texts(shared)
    if sources:
        texts = random.Random(seed).sample(texts, min(sources, len(texts)))
    pool = Pool(texts, vocab)
    g = Generator(pool, generic_leftovers(shared), seed)
    r = g.rng
    edit_words = g.pool.classes[""] + g.pool.classes.get("s", [])
    checker = NgramCheck(check)
    ring: collections.OrderedDict[str, tuple[list[str], str, dt.datetime, str]] = collections.OrderedDict()
    ring_outlet: dict[str, str] = {}
    open_stories: list[Story] = []
    counts = collections.Counter()
    step = dt.timedelta(days=SPAN_DAYS) / max(n, 1)
    story_no = 0
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fc, \
            (out / "copies.jsonl").open("w", encoding="utf-8") as fp, \
            (out / "stories.jsonl").open("w", encoding="utf-8") as fs:
        for i in range(n):
            aid = f"r{i:07d}"
            now = BASE_TIME + step * i + dt.timedelta(seconds=r.randint(0, 59))
            outlet = g.outlets[r.randrange(len(g.outlets))]
            k = r.random()
            kind = None
            if len(ring) >= 6:
                kind = ("wholly" if k < WHOLLY else "partially" if k < WHOLLY + PARTIAL
                        else "patchwork" if k < WHOLLY + PARTIAL + PATCH else None)
            keys = list(ring) if kind else None
            if kind == "wholly":
                src = keys[r.randrange(len(keys))]
                paras, stitle, _, sstory = ring[src]
                paras = list(paras)
                if len(paras) > 3 and r.random() < 0.3:
                    paras = paras[:-1]
                lines = [_edit(p, r, edit_words) for p in paras]
                furn = list(outlet.furniture) + [f"Copyright {now.year} {outlet.name}. All rights reserved.",
                                                  stitle, now.strftime("%b %d, %Y").replace(" 0", " ")]
                for _ in range(r.randint(2, 4)):
                    lines.insert(r.randint(0, len(lines)), furn[r.randrange(len(furn))])
                if r.random() < 0.3:
                    lines.append(f"This article originally appeared on {ring_outlet[src]}.")
                title, text, story = stitle, "\n\n".join(lines), sstory
                fp.write(json.dumps({"source": src, "target": aid, "kind": "wholly"}) + "\n")
            elif kind == "partially":
                src = keys[r.randrange(len(keys))]
                sp, stitle, _, sstory = ring[src]
                take = min(len(sp), r.randint(2, 4))
                a = r.randrange(len(sp) - take + 1)
                copied = [_edit(p, r, edit_words) for p in sp[a:a + take]]
                title, own, _ = g.compose(None, set(), r.randint(150, 600))
                at = r.randint(0, len(own))
                paras = own[:at] + copied + own[at:]
                if outlet.byline:
                    paras.insert(0, g._byline())
                text, story = "\n\n".join(paras), sstory
                fp.write(json.dumps({"source": src, "target": aid, "kind": "partially"}) + "\n")
            elif kind == "patchwork":
                srcs = sorted({keys[r.randrange(len(keys))] for _ in range(r.randint(4, 6))})
                parts = []
                for src in srcs:
                    sents = _sentences(ring[src][0][1:] or ring[src][0])
                    k2 = min(len(sents), r.randint(1, 3))
                    a = r.randrange(len(sents) - k2 + 1)
                    while a + k2 < len(sents) and sum(x.count(" ") + 1 for x in sents[a:a + k2]) < 12:
                        k2 += 1                    # a piece of at least 12 words where the source has them
                    parts.append(" ".join(sents[a:a + k2]))
                    fp.write(json.dumps({"source": src, "target": aid, "kind": "patchwork"}) + "\n")
                title = ring[srcs[0]][1]
                text = "\n\n".join([g._byline()] + parts)
                story_no += 1
                story = f"s{story_no}"
            else:
                # an original: alone, or a member of a story of 2-6 originals
                st = None
                # a story takes new members for 12 hours (its articles are published within them)
                open_stories = [x for x in open_stories if now - x.start < dt.timedelta(hours=12)]
                if open_stories and r.random() < 0.45:
                    st = open_stories[r.randrange(len(open_stories))]
                elif r.random() < 0.3:
                    story_no += 1
                    st = Story(f"s{story_no}", [g.new_name() for _ in range(10)], r.randint(2, 6), now)
                    open_stories.append(st)
                byline = g._byline() if outlet.byline else None
                city = g.new_name().upper() if outlet.dateline else None
                lead_in = [0.0 if w.lower() in ("by", "staff", "writer", "reporter") else NAME_BITS
                           for w in re.findall(r"\w+", byline or "")] + ([NAME_BITS] if city else [])
                if st is None:
                    story_no += 1
                    story = f"s{story_no}"
                    title, paras, _ = g.compose(None, set(), g.length(), lead_in)
                else:
                    story = st.sid
                    title, paras, used = g.compose(st.cast, st.used, g.length(), lead_in)
                    st.used |= used
                    st.remaining -= 1
                    if st.remaining <= 0:
                        open_stories.remove(st)
                body = list(paras)
                if city:
                    body[0] = f"{city} — {body[0]}"
                if byline:
                    body.insert(0, byline)
                text = "\n\n".join(body)
                ring[aid] = (paras, title, now, story)
                ring_outlet[aid] = outlet.name
                if len(ring) > RING:
                    old, _ = ring.popitem(last=False)
                    ring_outlet.pop(old, None)
                checker.add(aid, text)
                kind = "original"
            counts[kind] += 1
            rec = {"id": aid, "title": title, "text": text, "outlet": outlet.name,
                   "published": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "url": f"https://www.{outlet.domain}/{now:%Y/%m/%d}/{_slug(title)}-{i}"}
            fc.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fs.write(json.dumps({"id": aid, "story": story}) + "\n")
            if progress and (i + 1) % 10000 == 0:
                print(f"{i + 1} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    meta = {"n": n, "seed": seed, "counts": dict(counts), "stories": story_no,
            "source_articles": len(pool.sources), "source_words": pool.words,
            "check": checker.result(),
            "variation": {"word_tokens": g.stats["words"],
                          "content_words_replaced": round(g.stats["replaced"] / max(g.stats["words"], 1), 3),
                          "adverbs_inserted": round(g.stats["adverbs"] / max(g.stats["words"], 1), 3),
                          "modifiers_inserted": round(g.stats["modifiers"] / max(g.stats["words"], 1), 3)}, "seconds": round(time.perf_counter() - t0, 1),
            "params": {"WHOLLY": WHOLLY, "PARTIAL": PARTIAL, "PATCH": PATCH, "RING": RING, "SUB_P": SUB_P,
                       "TARGET_BITS": TARGET_BITS, "SPAN_DAYS": SPAN_DAYS}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


# ---------------------------------------------------------------------------- the 8-gram check

_MASK = (1 << 64) - 1


class NgramCheck:
    """Exact check that no original shares a word 8-gram with one of the first ``k`` originals."""

    def __init__(self, k: int, n: int = 8):
        self.k, self.n = k, n
        self.ids: dict[str, int] = {}
        mult = np.random.default_rng(12345).integers(1, 2**63, size=n, dtype=np.uint64) | np.uint64(1)
        self.mult = mult
        self.sample_h: list[np.ndarray] = []
        self.sample_id: list[str] = []
        self.sorted: np.ndarray | None = None
        self.owner: np.ndarray | None = None
        self.checked = 0
        self.pairs: set[tuple[str, str]] = set()
        self.shared = 0
        self.examples: list[str] = []
        self._texts: dict[str, list[str]] = {}

    def grams(self, text: str) -> tuple[np.ndarray, list[str]]:
        toks = re.findall(r"\w+", text.lower())
        ids = np.fromiter((self.ids.setdefault(t, len(self.ids) + 1) for t in toks), dtype=np.uint64, count=len(toks))
        if len(ids) < self.n:
            return np.zeros(0, dtype=np.uint64), toks
        m = len(ids) - self.n + 1
        h = np.zeros(m, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(self.n):
                h = h * np.uint64(1099511628211) + ids[j:j + m] * self.mult[j]
        return np.unique(h), toks

    def add(self, aid: str, text: str) -> None:
        if self.k <= 0:
            return
        h, toks = self.grams(text)
        self.checked += 1
        if len(self.sample_id) < self.k:
            self.sample_h.append(h)
            self.sample_id.append(aid)
            self._texts[aid] = toks
            if len(self.sample_id) == self.k:
                self._freeze()
            return
        if self.sorted is None:
            return
        j = np.minimum(np.searchsorted(self.sorted, h), len(self.sorted) - 1)
        hit = self.sorted[j] == h
        if hit.any():
            self._record(aid, toks, h[hit])

    def _freeze(self) -> None:
        allh = np.concatenate(self.sample_h) if self.sample_h else np.zeros(0, np.uint64)
        own = np.concatenate([np.full(len(h), i, dtype=np.int64) for i, h in enumerate(self.sample_h)]) \
            if self.sample_h else np.zeros(0, np.int64)
        o = np.argsort(allh, kind="stable")
        allh, own = allh[o], own[o]
        dup = np.flatnonzero(allh[1:] == allh[:-1])
        for d in dup:                              # within the sample
            a, b = self.sample_id[own[d]], self.sample_id[own[d + 1]]
            self.pairs.add((a, b))
            self.shared += 1
            self._example(a, allh[d])
        self.sorted, self.owner = allh, own
        self.sample_h = []

    def _record(self, aid: str, toks: list[str], hits: np.ndarray) -> None:
        for x in hits:
            j = np.searchsorted(self.sorted, x)
            self.pairs.add((self.sample_id[self.owner[j]], aid))
            self.shared += 1
        if len(self.examples) < 5:
            self._example_toks(toks, hits[0])

    def _example(self, aid: str, h) -> None:
        if len(self.examples) < 5:
            self._example_toks(self._texts.get(aid, []), h)

    def _example_toks(self, toks: list[str], h) -> None:
        ids = [self.ids[t] for t in toks]
        for i in range(len(ids) - self.n + 1):
            x = 0
            for j in range(self.n):
                x = (x * 1099511628211 + ids[i + j] * int(self.mult[j])) & _MASK
            if x == int(h):
                self.examples.append(" ".join(toks[i:i + self.n]))
                return

    def result(self) -> dict:
        if self.sorted is None and self.sample_id:
            self._freeze()
        return {"sample": len(self.sample_id), "originals_checked": self.checked,
                "pairs_sharing_an_8gram": len(self.pairs), "shared_8grams": self.shared,
                "examples": self.examples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--check", type=int, default=2000, help="originals in the 8-gram check's sample (0: no check)")
    ap.add_argument("--strict-check", action="store_true", help="exit 1 when two originals share an 8-gram")
    ap.add_argument("--sources", type=int, default=0,
                    help="use only this many source articles (to test the 8-gram property under heavy reuse)")
    a = ap.parse_args()
    meta = generate(a.n, a.out, a.seed, a.shared, a.check, progress=True, sources=a.sources)
    print(json.dumps(meta))
    if a.strict_check and meta["check"]["pairs_sharing_an_8gram"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
