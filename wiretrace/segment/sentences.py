"""Sentence spans of a cleaned body.

Paragraphs (lines) never share a sentence.  Inside a paragraph one of three
splitters finds the boundaries:

- ``nupunkt`` (the default): the Punkt algorithm with nupunkt's pre-trained
  English model (pure Python, no dependency), corrected by the rules below for
  the news-specific cases it gets wrong (titles before names, initials, an
  abbreviation inside parentheses, a full stop after an ordinary word it did not
  take as an end).  About 25x faster than pysbd with better boundaries on news
  (bench/README.md, "Sentence splitting").
- ``pysbd``: the rule-based splitter that was the default before; it keeps a
  quotation of several sentences in one sentence.
- ``syntok``: fast, but splits after titles before names ("Gov. | Rick Snyder").

Each sentence is then located in the paragraph so spans are exact string offsets.
"""
from __future__ import annotations

import re
from functools import lru_cache

from wiretrace.clean.spaces import plain_spaces

_PARA = re.compile(r"[^\n]+")

ENGINES = ("nupunkt", "pysbd", "syntok")
DEFAULT = "nupunkt"


@lru_cache(maxsize=1)
def _pysbd():
    import pysbd
    return pysbd.Segmenter(language="en", clean=False)


def _split_pysbd(par: str) -> list[str]:
    return _pysbd().segment(par)


def _split_syntok(par: str) -> list[str]:
    from syntok import segmenter
    out = []
    for paragraph in segmenter.analyze(par):
        for sent in paragraph:
            toks = list(sent)
            if toks:
                start = toks[0].offset - len(toks[0].spacing)
                end = toks[-1].offset + len(toks[-1].value)
                out.append(par[max(start, 0):end])
    return out


def locate_sentences(par: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Spans of the splitter's sentence strings in the paragraph; a splitter that changed the
    text gets the rest of the paragraph as its last sentence."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for sent in pieces:
        s = sent.strip()
        if not s:
            continue
        i = par.find(s, pos)
        if i < 0:
            break
        spans.append((i, i + len(s)))
        pos = i + len(s)
    else:
        return spans
    rest = par[pos:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        spans.append((pos + lead, len(par.rstrip())))
    return spans


# --- nupunkt and its corrections -------------------------------------------------------------
# Each rule was added for errors nupunkt made on tests/fixtures/sentence_boundaries.jsonl
# (bench/sentences_bench.py --errors nupunkt); each is a general rule of English news copy.

# The rules look at the last word of the sentence before (what precedes it in the word: an
# opening bracket or quote, or a hyphenated prefix as in "D-W.").
# A title that stands before a name and does not end a sentence: "Gov. | Rick Snyder",
# "retired Lt. | Gen. Michael Flynn", "“Mr. | Trump".  (Jr., Sr., St. and Co. can end one.)
_TITLE = re.compile(
    r"[(\[“\"‘']?(?:Mr|Mrs|Ms|Messrs|Mmes|Dr|Drs|Gov|Govs|Sen|Sens|Rep|Reps|Rev|Revs|Hon|Rt|"
    r"Lt|Gen|Col|Sgt|Capt|Cmdr|Cdr|Adm|Maj|Cpl|Pvt|Prof|Supt|Insp|Det|Fr|Pres|Atty)\.")
# an initial: "L. | Patrick Gray", "D-W. | Va."
_INITIAL = re.compile(r"(?:[(\[“\"‘']|\S*-)?[A-Z]\.")
# an abbreviation a number follows: "Jan. | 5", "No. | 2"
_NUMBERED = re.compile(r"\(?(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|Vol|Art|Fig|pp?)\.")
# A sentence does not start with closing punctuation or a comma, nor with a lower-case word
# ("(R-Ariz.) | , and Sen. Kelly Ayotte"); "iPhone", "eBay" (lower then upper) may start one.
_NOT_A_START = re.compile(r"[)\]},;:%]|[a-z](?![A-Z])")
# A full stop after an ordinary word, then a capital: a boundary Punkt's statistics
# sometimes miss ("the full story. | That is").  Abbreviations written in lower case are excluded.
_STOP_THEN_CAPITAL = re.compile(r"\.\s+(?=[“\"‘']?[A-Z])")
_PLAIN_WORD = re.compile(r"[a-z]{2,}")
_LOWER_ABBREVIATIONS = frozenset({"etc", "vs", "al", "approx", "ca", "cf", "esp", "incl", "viz", "seq", "pp", "vol", "no"})
# The same after a capitalised word: nupunkt's model lists words such as "south" as
# abbreviations, so "across the South. | His message" stayed one sentence (derivations-dev:
# a patchwork's copied sentence then shared its unit with a sentence from elsewhere and the
# pair was lost).  The capitalised abbreviations of news copy are excluded: titles (``_TITLE``),
# US states as AP writes them, months, and company and place words.  On the 2,749 texts of
# derivations-, quotes-, wire-, events- and stories-dev the rule adds 19 boundaries ("New York. |",
# "Iowa. |", "West. |", "Bond. |") and removes none; all 19 are right by reading.
_CAPITAL_WORD = re.compile(r"[A-Z][a-z]{2,}")
_CAPITAL_ABBREVIATIONS = frozenset("""Ala Alab Ariz Ark Calif Cal Colo Conn Del Fla Ill Ind Kan Kans Mass Mich Minn
Miss Mont Neb Nebr Nev Okla Ore Oreg Penn Penna Tenn Tex Wash Wis Wisc Wyo Jan Feb Mar Apr Jun Jul Aug Sep Sept
Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun Inc Corp Ltd Bros Assn Assoc Dept Univ Ave Blvd Hwy
Sta Ste Mme Mlle Esq Msgr Sgts Gens Cols Vol Nos Fig Art Ref Rev Hon""".split())


def _last_word(par: str, a: int, b: int) -> str:
    """The word ending at ``b`` (not before ``a``); "" when longer than any the rules know."""
    lo = max(a, b - 24)
    seg = par[lo:b]
    words = seg.rsplit(None, 1)
    if not words or (lo > a and len(words) == 1 and not par[lo - 1].isspace()):
        return ""
    return words[-1] if seg[-1:].strip() else ""


def _merge(par: str, prev: tuple[int, int], a: int) -> bool:
    """Whether the sentence starting at ``a`` goes on the one before (spans in ``par``)."""
    if _NOT_A_START.match(par, a):
        return True
    word = _last_word(par, *prev)
    return bool(_TITLE.fullmatch(word) or _INITIAL.fullmatch(word)
                or (par[a].isdigit() and _NUMBERED.fullmatch(word)))


def _missed_cuts(par: str, a: int, b: int) -> list[tuple[int, int]]:
    """(end, start) of the boundaries Punkt left inside the sentence ``par[a:b]``."""
    cuts = []
    for m in _STOP_THEN_CAPITAL.finditer(par, a, b):
        word = _last_word(par, a, m.start())
        if (_PLAIN_WORD.fullmatch(word) and word not in _LOWER_ABBREVIATIONS
                or _CAPITAL_WORD.fullmatch(word) and word not in _CAPITAL_ABBREVIATIONS
                and not _TITLE.fullmatch(word + ".")):
            cuts.append((m.start() + 1, m.end()))
    return cuts


@lru_cache(maxsize=1)
def _punkt():
    import nupunkt
    return nupunkt.load("default")


def _split_nupunkt(par: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for _, (a, b) in _punkt().tokenize_with_spans(par):
        piece = par[a:b]
        lead = len(piece) - len(piece.lstrip())
        a, b = a + lead, a + len(piece.rstrip())
        if a >= b:
            continue
        if spans and _merge(par, spans[-1], a):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        for end, start in _missed_cuts(par, a, b):
            out.append((a, end))
            a = start
        out.append((a, b))
    return out


def split_sentences(text: str, engine: str = DEFAULT) -> list[tuple[int, int]]:
    # the splitters see every Unicode space as " " (one for one, so the spans are the same)
    text = plain_spaces(text)
    spans: list[tuple[int, int]] = []
    for m in _PARA.finditer(text):
        par, base = m.group(0), m.start()
        if not par.strip():
            continue
        if engine == "pysbd":
            found = locate_sentences(par, _split_pysbd(par))
        elif engine == "syntok":
            found = locate_sentences(par, _split_syntok(par))
        else:
            found = _split_nupunkt(par)
        spans += [(base + a, base + b) for a, b in found]
    return spans
