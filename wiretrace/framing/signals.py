"""Per-article signals a fact-checker wants, each with its evidence.

``compute_signals(articles, derivations, stories)`` -> article id ->

* ``patchwork`` (0..1) with ``patchwork_evidence``: how stitched the text reads.
  Weighted components, each 0..1 and reported:
  - ``sources``: several sources behind the text, evenly (effective number of
    sources over the derivations into the article, from passage coverage);
  - ``cohesion``: topic jumps, sentences sharing no content word with the two
    before them;
  - ``style``: clashing conventions for one name in the article's own voice
    ("U.S."/"US"/"USA", "ISIS"/"Isis", "IS"/"ISIS", "Mr X"/"Mr. X", a title
    reference after "Mr X" was already in use);
  - ``orphans``: references with no antecedent (below);
  - ``single_sentence_paragraphs``: weak, since wire copy is written that way too.
* ``orphan_references`` (phrases as written) with ``orphan_evidence``: "the
  diplomat stressed" with no diplomat before, a surname ("Bali said", "Mr Bali")
  never given in full before, "among them" with no group before, "the two
  countries" with no pair named, an article opening on "That would ...".
* ``uncredited_copy``: share of the text taken, per derivations, from articles it
  does not credit, and from which.
* ``quote_alterations``: quotes that another article of the story (or a source)
  carries with different words.
* ``loaded_language``: loaded variants of the term lexicon in the article's own
  voice (outside quotes).
"""
from __future__ import annotations

import difflib
import math
import re
from functools import lru_cache

from wiretrace import guard
from wiretrace.english import FOLDS_TO_ASCII
from wiretrace.model import (Article, Derivation, LoadedLanguage, LoadedTerm, OrphanReference, PatchworkEvidence,
                             QuoteAlteration, QuoteAlterations, Signals, SourceMix, Story, StyleClash, TopicJumps,
                             UncreditedCopy, UncreditedSource)
from wiretrace.trace.direction import own_text_key

from . import terms as tm
from .actors import DATELINE, AUX, REPORT, SENTENCE_ADVERBS, SUBORDINATORS
from .gazetteer import NON_PERSON_SPEAKERS
from .text import (STOPWORDS, WORD, Doc, Sent, content_set, covered_share, in_spans, norm_token, overlap, quote_spans,
                   sentence_spans, words)

# Weights of the patchwork components.  Set by hand (no labelled patchwork set
# with these features exists yet): derived sources are the direct evidence,
# orphans / style clashes / topic jumps are symptoms of cut-and-paste that a
# single coherent article rarely shows; one-sentence paragraphs are normal in
# wire copy, so they weigh little.
WEIGHTS = {"sources": 0.35, "cohesion": 0.2, "style": 0.2, "orphans": 0.2,
           "single_sentence_paragraphs": 0.05}
# Share of topic jumps that a coherent news text reaches anyway (short wire
# paragraphs switch between quote, background and attribution): jumps up to this
# rate score 0, and the score reaches 1 at JUMP_FULL.  Hand-set from reading
# wire copy and retellings (a coherent wire story: 0.1-0.25 of sentences open a
# new topic; a stitched text: 0.4+).
JUMP_FREE = 0.2
JUMP_FULL = 0.6
ORPHANS_FULL = 3        # this many orphan references give the full orphan component
STYLE_FULL = 2          # this many distinct style clashes give the full style component

SPEECH = r"(?:said|says|told|tells|added|adds|noted|stressed|stresses|explained|explains|argued|argues|warned|warns|claimed|insisted|insists|wrote|writes|stated|announced|announces|confirmed|confirms|denied|denies|believes|believed|thinks|thought|asked|asks|replied|replies|concluded|recalled|recalls|acknowledged|admitted|emphasised|emphasized|urged|urges)"

ROLES = {
    "diplomat": ["diplomat", "ambassador", "envoy", "consul"],
    "minister": ["minister"], "spokesman": ["spokesman", "spokeswoman", "spokesperson"],
    "spokeswoman": ["spokesman", "spokeswoman", "spokesperson"],
    "spokesperson": ["spokesman", "spokeswoman", "spokesperson"],
    "official": ["official"], "officer": ["officer"],
    "general": ["general", "gen", "maj-gen", "maj.-gen"], "commander": ["commander"],
    "senator": ["senator", "sen"], "lawmaker": ["lawmaker", "mp", "congressman", "congresswoman", "legislator"],
    "ambassador": ["ambassador"], "envoy": ["envoy"], "prosecutor": ["prosecutor"],
    "judge": ["judge", "justice"], "lawyer": ["lawyer", "attorney", "counsel"], "attorney": ["lawyer", "attorney"],
    "mayor": ["mayor"], "governor": ["governor", "gov"], "chancellor": ["chancellor"], "premier": ["premier", "prime minister"],
    "chairman": ["chairman", "chair"], "chairwoman": ["chairwoman", "chair"], "director": ["director"],
    "analyst": ["analyst"], "expert": ["expert"], "researcher": ["researcher"], "scientist": ["scientist"],
    "professor": ["professor", "prof"], "doctor": ["doctor", "dr", "physician"], "witness": ["witness"],
    "activist": ["activist"], "colonel": ["colonel", "col"], "captain": ["captain", "capt"],
    "negotiator": ["negotiator"], "economist": ["economist"], "executive": ["executive", "ceo"],
}
_ROLE_RE = re.compile(r"\b[Tt]he\s+(" + "|".join(ROLES) + r")\s+(" + SPEECH + r"|is|was|has|had|would|will|also)\b")
_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Dr)(\.?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_BARE_NAME_RE = re.compile(r"(?<![\w.\-’'])([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\s+" + SPEECH + r"\b")
_GROUP_RE = re.compile(r"\b(among them)\b", re.I)
_PAIR_RE = re.compile(r"\b(the two)\s+(countries|nations|men|women|leaders|governments|companies|presidents|ministers)\b", re.I)
_NAMED_PAIR = re.compile(r"\b[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+)*\s+(?:and|&)\s+(?:the\s+)?[A-Z][\w.\-]+")
_OPENING_ANAPHOR = re.compile(r"^(That|These|Those|He|She|They)\s+(\w+)")
PEOPLE_PLURALS = frozenset("""people civilians members fighters militants residents prisoners detainees refugees
migrants children women men soldiers troops officials workers students protesters victims passengers families
citizens suspects casualties dead injured wounded voters employees patients others those jihadists rebels
insurgents hostages inmates demonstrators activists leaders delegates lawmakers candidates survivors
tourists villagers locals nationals foreigners individuals persons""".split())


# words in lower case (the common-word test of bare surnames)
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")

# a capitalised word (or a rank) right before a name on the same line: part of a longer name
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w\-’']*|[A-Z]\.|(?:Gen|Col|Lt|Sgt|Capt|Maj|Sen|Rep|Gov|Prof|Adm|Brig)\.)[ ]+$")
_OPENERS = SUBORDINATORS | SENTENCE_ADVERBS | {"asked", "speaking", "officials", "police"}


# -- orphan references -----------------------------------------------------------

def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"          # what \w matches


def _word_starts(text: str, word: str, upto: int):
    """Where ``word`` (starting and ending with a word character) occurs as a whole
    word in text[:upto]: ``re.finditer(r"\b" + re.escape(word) + r"\b", text[:upto])``
    without a pattern built per word (names overflowed the regex cache) or a copy."""
    i = text.find(word, 0, upto)
    n = len(word)
    while i >= 0:
        if (i == 0 or not _is_word(text[i - 1])) and (i + n == upto or not _is_word(text[i + n])):
            yield i
            i = text.find(word, i + n, upto)
        else:
            i = text.find(word, i + 1, upto)


# a capitalised word, then the name it introduces ("Alun Jones", "Insp Hewitt"); the
# name is looked ahead at, so "Home Secretary Jack Straw" gives Secretary, Jack, Straw
_FULL_NAME = re.compile(r"\b([A-Z][\w.\-]*)\s+(?=([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr"})
#: Names an article introduces, at most (what travels to the other texts of its story).
MAX_NAMES = 500


_ROLE_FORMS = frozenset(f for forms in ROLES.values() for f in forms)


def introduced_names(text: str) -> frozenset[str]:
    """Who ``text`` introduces, as ``orphan_references`` reads an introduction: the
    names it gives after another capitalised word, not an honorific ("Alun Jones",
    "Det Insp Hewitt"; not "Mr Nicholls"), and the role words it uses, in lower case
    ("judge" of "Judge Rivlin", "general" of "General Pinochet")."""
    text = text or ""
    out: set[str] = set()
    for m in _FULL_NAME.finditer(text):
        if m.group(1).rstrip(".") not in _HONORIFICS:
            out.add(m.group(2))
            if len(out) >= MAX_NAMES:
                break
    low = text.lower()
    out.update(f for f in _ROLE_FORMS if _has_word(low, f, len(low)))
    return frozenset(out)


#: The outlet's other texts of the story that ``known_names`` reads, at most (the first
#: in story order): a wire story of one day is a few dozen takes (wire-dev: at most 22
#: PA copies of one gold story, 20 of one analysed story), and a one-site crawl's giant
#: story must not cost its square.
MAX_NAME_MATES = 100


def known_names(key: str | None, mates) -> frozenset[str]:
    """The names that other texts of one outlet in a story introduce.  ``key``: the
    article's ``direction.own_text_key``; ``mates``: (key, names) of the other
    articles of its story in story order, lazily (``introduced_names``; only those
    with the same key are read, the first ``MAX_NAME_MATES`` of them).  A wire
    take ("During the afternoon session ... Mr Nicholls said") goes on from the take
    before, which named him: wire-dev (dates as given), PA copies with an orphan
    reference 98 -> 14 of 391, newspapers 36 -> 33 of 469."""
    if not key:
        return frozenset()
    out: set[str] = set()
    n = 0
    for k, names in mates:
        if k == key:
            out |= names
            n += 1
            if n >= MAX_NAME_MATES:
                break
    return frozenset(out)


def _has_word(text: str, word: str, upto: int) -> bool:
    return next(_word_starts(text, word, upto), None) is not None


def _outside(spans, s, e):
    return not in_spans(s, e, spans) and not any(a <= s < b for a, b in spans)


def orphan_references(doc: Doc, common_words: set[str] | frozenset = frozenset(),
                      known: set[str] | frozenset = frozenset()) -> list[OrphanReference]:
    """References with no antecedent earlier in the article: phrase, start, end, kind.
    ``common_words``: words seen in lower case in the corpus (not surnames);
    ``known``: names and role words the outlet's other texts of the story introduce
    (``known_names``): a wire take goes on from the take before it."""
    text, quotes = doc.text, doc.quotes
    out: list[OrphanReference] = []

    def add(phrase, s, e, kind, why):
        if any(o.start == s for o in out):
            return
        out.append(OrphanReference(phrase, s, e, kind, why))

    # "the diplomat stressed" with no diplomat introduced before
    for m in _ROLE_RE.finditer(text):
        if not _outside(quotes, m.start(), m.end()):
            continue
        role = m.group(1).lower()
        before = text[: m.start()].lower()
        forms = ROLES[role]
        if not any(f in known or _has_word(before, f, len(before)) for f in forms):
            add(text[m.start(): m.start(1) + len(m.group(1))], m.start(), m.start(1) + len(m.group(1)),
                "role", f"no {role} introduced before")

    # surnames never given in full before
    def introduced(name: str, upto: int) -> bool:
        for start in _word_starts(text, name, upto):
            prev = text[max(0, start - 40): start]
            pw = re.search(r"([A-Z][\w.\-]*)\s+$", prev)
            if pw and pw.group(1).rstrip(".") not in _HONORIFICS:
                return True       # "Felix Gedney", "Gen. Gedney", "President Trump"
        return False

    for m in _HONORIFIC_RE.finditer(text):
        if not _outside(quotes, m.start(), m.end()):
            continue
        name = m.group(3)
        if re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]):
            continue              # "Dr. Anthony Fauci": a full name, an introduction
        if name not in known and not introduced(name, m.start()):
            add(m.group(0), m.start(), m.end(), "surname", f"{name} not introduced by full name before")
    for rx in (_BARE_NAME_RE,):
        for m in rx.finditer(text):
            s, e = m.start(1), m.end(1)
            if not _outside(quotes, s, e):
                continue
            name = m.group(1)
            if name in known or name in NON_PERSON_SPEAKERS or name.lower() in tm_lower_terms() \
                    or name.lower() in STOPWORDS or name.lower() in _OPENERS:
                continue
            low = name.lower()
            if low in common_words or ("-" not in low and _has_word(text, low, len(text))):
                continue          # a common word of the corpus capitalised ("Polls said"), not a surname
            # (the second test is "low in set(_LOWER_WORD.findall(text))", asked only when
            # needed: the set of every word was a fifth of orphan_references' time)
            prev = text[max(0, s - 30): s]
            if re.search(r"\b(?:of|the|and|&|at|in|from|for|by|with|to)\s+$", prev):
                continue          # "Department of Labor said", "at Oxford told"
            pw = re.search(r"\b([a-z]+)[ ]+$", prev)
            if pw and pw.group(1) not in STOPWORDS:
                continue          # an appositive introduces: "his wife Suzy said", "website Infowars said"
            if _NAME_BEFORE.search(prev) or re.search(r"\b(Mr|Mrs|Ms|Dr)\.?\s+$", prev):
                continue          # part of a longer name, or handled as an honorific
            if _has_word(text, name, s):
                # mentioned before: orphan only if never in full
                if introduced(name, s):
                    continue
                if not _only_as_speaker(text[:s], name):
                    continue
            add(name, s, e, "surname", f"{name} not introduced before")

    # "among them" with no group before
    sents = doc.sents
    for m in _GROUP_RE.finditer(text):
        if not _outside(quotes, m.start(), m.end()):
            continue
        idx = next((i for i, x in enumerate(sents) if x.start <= m.start() < x.end), None)
        if idx is None:
            continue
        # the group must be named in the sentence before (the subject of the
        # sentence itself is the subset: "48 members were among them")
        window = text[sents[idx - 1].start: sents[idx - 1].end] if idx > 0 else ""
        if not _has_group(window):
            add(m.group(0), m.start(), m.end(), "group", "no group of people named just before")

    # "the two countries" with no pair named
    for m in _PAIR_RE.finditer(text):
        if not _outside(quotes, m.start(), m.end()):
            continue
        before = text[: m.start()]
        if _NAMED_PAIR.search(before):
            continue
        if m.group(2).lower() not in ("countries", "nations"):
            names = {w for w in re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+", before)}
            if len(names) >= 2:
                continue
        else:
            if len({w for w in re.findall(r"\b[A-Z][a-z]+\b", before) if w in NON_PERSON_SPEAKERS}) >= 2:
                continue
        if True:
            add(m.group(0), m.start(), m.end(), "pair", "no two named before")

    # an article (or its first paragraph) opening on a pronoun that points back
    if sents:
        first = sents[0]
        mm = _OPENING_ANAPHOR.match(text[first.start: first.end])
        if mm and (mm.group(2).lower() in AUX or mm.group(2).lower() in REPORT):
            s = first.start + mm.start(1)
            add(mm.group(1), s, s + len(mm.group(1)), "opening", "the article opens on a reference back")
    out.sort(key=lambda o: o.start)
    return out


def _only_as_speaker(before: str, name: str) -> bool:
    """Every earlier mention of ``name`` is itself a bare "Name said"."""
    for mm in re.finditer(r"\b" + re.escape(name) + r"\b", before):
        if not re.match(r"\s+" + SPEECH + r"\b", before[mm.end():]):
            return False
    return True


_PEOPLE_SUFFIX = re.compile(r"\b[a-z]{3,}(?:ers|ors|ists|ians|ees|ants|ives)\b")


def _has_group(window: str) -> bool:
    """Does the window name a group of people (lower-case plural: "volunteers", "civilians")?"""
    toks = set(re.findall(r"[a-z]+", window))
    return bool(toks & PEOPLE_PLURALS) or bool(_PEOPLE_SUFFIX.search(window))


_LEX_LOWER: set[str] | None = None


def tm_lower_terms() -> set[str]:
    global _LEX_LOWER
    if _LEX_LOWER is None:
        _LEX_LOWER = {t.lower() for c in tm.load_lexicon() for t in c.terms}
    return _LEX_LOWER


# -- style clashes ---------------------------------------------------------------

def _voice(doc: Doc) -> str:
    """The article's own voice: quoted stretches blanked out (offsets kept)."""
    text = doc.text
    pieces, pos = [], 0
    for a, b in sorted((max(a, 0), min(b, len(text))) for a, b in doc.quotes):
        a = max(a, pos)
        if b <= a:
            continue
        pieces.append(text[pos:a])
        pieces.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
# the forms style_clashes compares, each found in one pass (a pattern built per
# acronym or name overflowed the regex cache: 11,000 compilations on 3,000 articles)
_CAPS_RUN = re.compile(r"(?<![\w.])[A-Z]+(?![\w.])")
_TITLE_CASE = re.compile(r"(?<![\w.])[A-Z][a-z]{2,5}(?!\w)")
_TITLES = re.compile(r"\b(?:President|Prime Minister|Chancellor|Senator|Sen\.|Governor|Gov\.|Minister|Secretary)\s+")
_TITLE_NAME = re.compile(r"([A-Z][a-z]+)(\s+)")


def _title_before(text: str, name: str, pos: int) -> str | None:
    """The first "President (First )Name" at or after ``pos`` (the title's words as
    ``_TITLES``), as written; None when there is none."""
    for t in _TITLES.finditer(text, pos):
        e = t.end()
        m = _TITLE_NAME.match(text, e)        # a first name between, tried first (greedy)
        for at in ((m.end(),) if m else ()) + (e,):
            if text.startswith(name, at) and not _is_word_char(text, at + len(name)):
                return text[t.start():at + len(name)]
    return None


def _is_word_char(text: str, i: int) -> bool:
    return i < len(text) and (text[i].isalnum() or text[i] == "_")


@lru_cache(maxsize=1)
def _short_forms() -> tuple[tuple[str, list[str]], ...]:
    """Each lexicon concept's short capitalised forms ("IS", "ISIS"), in lexicon order
    (every concept, as the loop over the lexicon had them, empty lists included)."""
    return tuple((c.name, [t for t in c.terms if " " not in t and t.isupper() and len(t) <= 5])
                 for c in tm.load_lexicon())


def style_clashes(doc: Doc) -> list[StyleClash]:
    text = _voice(doc)
    clashes: list[StyleClash] = []
    # dotted and undotted forms of one abbreviation: "U.S." and "US"
    dotted = set(re.findall(r"(?<![\w.])((?:[A-Z]\.){2,})(?!\w)", text))
    caps_runs = set(_CAPS_RUN.findall(text)) if dotted else set()
    for d in sorted(dotted):
        plain = d.replace(".", "")
        if plain in caps_runs:
            clashes.append(StyleClash("dotted_abbreviation", [d, plain]))
    if re.search(r"(?<![\w.])USA(?![\w.])", text) and re.search(r"(?<![\w.])(?:US|U\.S\.)(?![\w])", text):
        clashes.append(StyleClash("country_abbreviation", ["USA", "US"]))
    # one acronym in capitals and in title case: "ISIS" and "Isis", "NATO" and "Nato"
    # (a dateline's city in capitals, "OSLO (Agency) -", is a convention of its own)
    undated = "\n".join(DATELINE.sub("", ln) for ln in text.split("\n"))
    caps = set(re.findall(r"(?<![\w.])([A-Z]{3,6})(?![\w.])", undated))
    titled: dict[str, list[int]] = {}
    if caps:
        for m in _TITLE_CASE.finditer(text):
            titled.setdefault(m.group(0), []).append(m.start())
    for c in sorted(caps):
        t = c[0] + c[1:].lower()
        for start in titled.get(t, ()):
            if not _SENTENCE_START_BEFORE.search(text[max(0, start - 3): start]):
                clashes.append(StyleClash("acronym_case", [c, t]))
                break
    # two short forms of one lexicon concept: "IS" and "ISIS" (parenthesised definitions aside)
    plain = re.sub(r"\([^)\n]{0,60}\)", lambda m: " " * len(m.group(0)), text)
    # a term's pattern can only match where its letters are: the substring test first
    # (exact for ASCII terms unless the text has one of the four characters that match
    # an ASCII letter case-insensitively: İ ı K ſ)
    lower = None if FOLDS_TO_ASCII.search(plain) else plain.lower()
    for name, shorts in _short_forms():
        found = [t for t in shorts if (lower is None or t.lower() in lower) and tm.term_pattern(t).search(plain)]
        if len(found) >= 2:
            clashes.append(StyleClash("acronym_variants", found, name))
    # honorific with and without a full stop
    hons = {}
    for m in _HONORIFIC_RE.finditer(text):
        hons.setdefault(m.group(1), set()).add(m.group(2))
    for h, dots in hons.items():
        if len(dots) == 2:
            clashes.append(StyleClash("honorific_stop", [h, h + "."]))
    # a title reference after the "Mr X" reference was already in use
    first_mr = {}
    for m in _HONORIFIC_RE.finditer(text):
        first_mr.setdefault(m.group(3), m.start())
    for name, pos in first_mr.items():
        titled_name = _title_before(text, name, pos)
        if titled_name:
            clashes.append(StyleClash("honorific_then_title", [f"Mr {name}", titled_name]))
    return clashes


# -- cohesion ----------------------------------------------------------------------

def topic_jumps(doc: Doc) -> tuple[int, int, list[list[int]]]:
    """(jumps, pairs, spans of jumping sentences): a sentence is a jump when it
    shares no content word with the two sentences before it."""
    sents = [x for x in doc.sents if len(x.words) >= 3]
    jumps, spans = 0, []
    for i in range(1, len(sents)):
        prev = sents[i - 1].words | (sents[i - 2].words if i >= 2 else set())
        if not (sents[i].words & prev):
            jumps += 1
            spans.append([sents[i].start, sents[i].end])
    return jumps, max(len(sents) - 1, 0), spans


def _single_sentence_paragraphs(doc: Doc) -> float:
    import bisect
    counts = []
    starts = sorted(x.start for x in doc.sents)       # one sweep, not paragraphs x sentences
    for m in re.finditer(r"[^\n]+", doc.text):
        n = bisect.bisect_left(starts, m.end()) - bisect.bisect_left(starts, m.start())
        if n:
            counts.append(n)
    if len(counts) < 3:
        return 0.0
    return sum(1 for c in counts if c == 1) / len(counts)


# -- derivation-based signals -------------------------------------------------------

def _source_component(a: Article, into: list[Derivation]) -> SourceMix:
    n = len(a.text) or 1
    shares = {}
    for d in into:
        spans = [(p.target_start, p.target_end) for p in d.passages]
        shares[d.source] = covered_share(0, n, spans) if spans else d.share
    shares = {k: v for k, v in shares.items() if v > 0}
    if len(shares) < 2:
        eff = float(len(shares))
        score = 0.0
    else:
        tot = sum(shares.values())
        ps = [v / tot for v in shares.values()]
        eff = math.exp(-sum(p * math.log(p) for p in ps))
        # two even sources: 0.5, three or more even sources: 1.0
        score = min(1.0, (eff - 1.0) / 2.0)
    return SourceMix(len(shares), round(eff, 3), {k: round(v, 4) for k, v in shares.items()}, round(score, 3))


def _uncredited(a: Article, into: list[Derivation]) -> UncreditedCopy:
    n = len(a.text) or 1
    spans, srcs = [], []
    for d in into:
        if d.credited:
            continue
        ds = [(p.target_start, p.target_end) for p in d.passages]
        share = covered_share(0, n, ds) if ds else d.share
        spans.extend(ds)
        srcs.append(UncreditedSource(d.source, round(share, 4), d.kind))
    total = covered_share(0, n, spans) if spans else sum(s.share for s in srcs)
    return UncreditedCopy(round(min(total, 1.0), 4), sorted(srcs, key=lambda s: -s.share))


def _quote_tokens(text: str, s: int, e: int) -> list[str]:
    t = re.sub(r"\[[^\]]{0,40}\]", " ", text[s:e])          # "[Daesh]": an editor's gloss
    return [norm_token(w) for w, _, _ in words(t)]


def quote_view(doc: Doc) -> tuple[str, list]:
    """What ``quote_alterations`` reads of another article: its id and, per quote
    of 3+ content words, (start, end, content words, quoted text).  Small: the
    Spark engine ships it to the articles of the same story instead of the Doc."""
    return doc.id, [(a, b, w, doc.text[a:b]) for (a, b), w in zip(doc.quotes, doc.quote_words()) if len(w) >= 3]


def quote_alterations(doc: Doc, others: list[Doc]) -> QuoteAlterations:
    return quote_alterations_views(doc, [quote_view(o) for o in others])


def quote_alterations_views(doc: Doc, others: list[tuple[str, list]]) -> QuoteAlterations:
    """``quote_alterations`` against other articles given as ``quote_view``s."""
    ev = []
    for (a, b), q in zip(doc.quotes, doc.quote_words()):
        if len(q) < 3:
            continue
        best = None
        for oid, oquotes in others:
            for oa, ob, oq, otext in oquotes:
                if len(q & oq) < 3:
                    continue
                r, k = overlap(q, oq)
                if r >= 0.6 and (best is None or r > best[0]):
                    best = (r, oid, oa, ob, otext)
        if not best:
            continue
        _, oid, oa, ob, otext = best
        qt = _quote_tokens(doc.text, a, b)
        ot = _quote_tokens(otext, 0, len(otext))
        # compare over the shared stretch only: a shorter excerpt is not an alteration
        sm = difflib.SequenceMatcher(None, ot, qt, autojunk=False)
        blocks = [bl for bl in sm.get_matching_blocks() if bl.size]
        if not blocks:
            continue
        i0, j0 = blocks[0].a, blocks[0].b
        i1, j1 = blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size
        sm2 = difflib.SequenceMatcher(None, ot[i0:i1], qt[j0:j1], autojunk=False)
        changes = []
        for op, x1, x2, y1, y2 in sm2.get_opcodes():
            if op == "equal":
                continue
            changes.append(f"{' '.join(ot[i0 + x1:i0 + x2]) or '∅'} -> {' '.join(qt[j0 + y1:j0 + y2]) or '∅'}")
        if changes:
            ev.append(QuoteAlteration(a, b, oid, oa, ob, changes[:5]))
    return QuoteAlterations(len(ev), ev[:10])


@lru_cache(maxsize=1)
def _loaded_owner() -> tuple[dict[str, str], list[str]]:
    """Loaded term -> its concept (the last concept listing it, as before), and the terms sorted."""
    owner = {t: c.name for c in tm.load_lexicon() for t in c.loaded}
    return owner, sorted(owner)


def loaded_language(doc: Doc) -> LoadedLanguage:
    owner, terms = _loaded_owner()
    found = {(owner[t], t): len(occ) for t, occ in tm.find_terms(doc.text, terms, doc.quotes).items()}
    nwords = max(1, len(WORD.findall(doc.text)))        # = len(words(doc.text)): no match is dropped
    total = sum(found.values())
    return LoadedLanguage(total, round(1000 * total / nwords, 2),
                          [LoadedTerm(c, t, n) for (c, t), n in sorted(found.items(), key=lambda x: -x[1])])


# -- the stage ----------------------------------------------------------------------

def signal_words(text: str) -> tuple[set[str], set[str]]:
    """The corpus-wide input of one article: (its lower-case words of 3+ letters,
    the lower-cased names of its bare "Name said" candidates).  ``common_words``
    of a corpus = union of the first sets & union of the second: only words that
    some article may test (``orphan_references``) are kept, so the set to ship to
    every worker stays small."""
    return (set(_LOWER_WORD.findall(text or "")),
            {m.group(1).lower() for m in _BARE_NAME_RE.finditer(text or "")})


def _word_unions(texts) -> tuple[set[str], set[str]]:
    """The union of each half of ``signal_words`` over ``texts``."""
    low: set[str] = set()
    names: set[str] = set()
    for t in texts:
        lw, nm = signal_words(t)
        low |= lw
        names |= nm
    return low, names


def common_words(texts) -> set[str]:
    """Words written in lower case somewhere in the corpus (not surnames), restricted
    to the names ``orphan_references`` will look up: ``signal_words`` over every
    text (the Spark engine: a distributed union and intersection)."""
    low, names = _word_unions(texts)
    return low & names


def signal_doc(a: Article) -> Doc:
    """``text.prepare`` without what signals never read (each sentence's prose
    words and quote pieces): sentence spans, their content words, quote spans."""
    sents = [Sent(i, s, e, content_set(a.text, s, e), set(), [])
             for i, (s, e) in enumerate(sentence_spans(a))]
    return Doc(a, sents, quote_spans(a))


def quotes_doc(a: Article) -> Doc:
    """The part of ``signal_doc`` that ``quote_view`` reads: quote spans, no sentences."""
    return Doc(a, [], quote_spans(a))


def article_signals(a: Article, doc: Doc, common: set[str] | frozenset, into: list[Derivation],
                    related: list[tuple[str, list]], known: set[str] | frozenset = frozenset()) -> Signals:
    """The signals of one article.  ``doc``: ``signal_doc(a)``; ``common``:
    ``common_words`` of the corpus; ``into``: the derivations into ``a`` (source
    not ``a``), in the derivation list's order; ``related``: the ``quote_view`` of
    each other article of its stories, then of each source, first occurrence
    kept (see ``compute_signals``); ``known``: ``known_names`` of ``a``."""
    orphans = orphan_references(doc, common, known)
    clashes = style_clashes(doc)
    jumps, pairs, jump_spans = topic_jumps(doc)
    rate = jumps / pairs if pairs else 0.0
    src = _source_component(a, into)
    single = _single_sentence_paragraphs(doc)
    comp = {
        "sources": src.score,
        "cohesion": min(1.0, max(0.0, (rate - JUMP_FREE) / (JUMP_FULL - JUMP_FREE))) if pairs >= 3 else 0.0,
        "style": min(1.0, len(clashes) / STYLE_FULL),
        "orphans": min(1.0, len(orphans) / ORPHANS_FULL),
        "single_sentence_paragraphs": single,
    }
    score = sum(WEIGHTS[k] * v for k, v in comp.items())
    return Signals(
        patchwork=round(min(1.0, score), 3),
        patchwork_evidence=PatchworkEvidence(
            components={k: round(v, 3) for k, v in comp.items()}, weights=dict(WEIGHTS), sources=src,
            topic_jumps=TopicJumps(jumps, pairs, round(rate, 3), jump_spans[:10]), style_clashes=clashes,
            single_sentence_paragraph_share=round(single, 3)),
        orphan_references=list(dict.fromkeys(o.phrase for o in orphans)),
        orphan_evidence=orphans,
        uncredited_copy=_uncredited(a, into),
        quote_alterations=quote_alterations_views(doc, related),
        loaded_language=loaded_language(doc),
    )


def compute_signals(articles: list[Article], derivations: list[Derivation],
                    stories: list[Story], workers: int = 1) -> dict[str, Signals]:
    """article id -> signals: ``common_words`` over the corpus, then
    ``article_signals`` per article (the Spark engine runs the same two pieces,
    the second on its executors; here in ``workers`` forked processes)."""
    from wiretrace.parallel import chunks, run
    by_id = {a.id: a for a in articles}
    into: dict[str, list[Derivation]] = {}
    for d in derivations:
        if d.target in by_id and d.source != d.target:
            into.setdefault(d.target, []).append(d)
    story_of: dict[str, list[str]] = {}
    for s in stories:
        for m in s.articles:
            story_of.setdefault(m, []).extend(x for x in s.articles if x != m and x in by_id)
    if len(articles) < PARALLEL_MIN_ARTICLES:
        workers = 1
    # words written in lower case somewhere in the corpus are common words, not surnames
    # (``common_words``, its two unions made in the workers: ~0.3 ms an article, ~30 s
    # of one core at 100k, was this process alone)
    low: set[str] = set()
    names: set[str] = set()
    for lw, nm in run(_words_chunk, chunks([1] * len(articles), workers), workers, fresh=True, shared=articles):
        low |= lw
        names |= nm
    common = low & names
    shared = {"articles": articles, "by_id": by_id, "into": into, "story_of": story_of, "common": common}
    out: dict[str, Signals] = {}
    # small runs of articles: a worker keeps one run's quote views, and a run's
    # results travel back at once (4 runs per worker held 12,500 articles' each at 100k)
    for part in run(_signals_chunk, chunks([1] * len(articles), workers, cap=SIGNALS_CHUNK), workers,
                    fresh=True, shared=shared):
        out.update(part)
    return out


# Below this many articles signals are computed in this process (~2-15 ms an article).
PARALLEL_MIN_ARTICLES = 200
#: Articles per task in workers (bounded memory per task; tasks cost ~1 ms to hand out).
SIGNALS_CHUNK = 500


def _words_chunk(articles: list[Article], bounds: tuple[int, int]) -> tuple[set[str], set[str]]:
    """The two unions of ``common_words`` over articles[bounds[0]:bounds[1]]."""
    return _word_unions(a.text for a in articles[bounds[0]:bounds[1]])


def _signals_chunk(job: dict, bounds: tuple[int, int]) -> dict[str, Signals]:
    by_id, into, story_of, common = job["by_id"], job["into"], job["story_of"], job["common"]
    # another article's quote view is kept for the run (small: its quotes' words);
    # its Doc, sentence by sentence, is not (most of a worker's memory at 100k)
    views: dict[str, tuple[str, list]] = {}
    keys: dict[str, str | None] = {}
    names: dict[str, frozenset[str]] = {}

    def key(r):
        if r not in keys:
            keys[r] = own_text_key(by_id[r])
        return keys[r]

    def names_of(r):
        if r not in names:
            names[r] = introduced_names(by_id[r].text)
        return names[r]

    def view(r):
        if r not in views:          # its quotes alone (a Doc without sentences: ~a fifth of signals' time)
            views[r] = quote_view(quotes_doc(by_id[r]))
        return views[r]

    out: dict[str, Signals] = {}
    for a in job["articles"][bounds[0]:bounds[1]]:
        related = list(dict.fromkeys(story_of.get(a.id, []) + [d.source for d in into.get(a.id, [])]))
        k = key(a.id)
        # the same outlet's other texts of its stories, in story order, read lazily
        mates = ((k, names_of(m)) for m in story_of.get(a.id, []) if m in by_id and key(m) == k)
        sig = guard.attempt("signals", lambda: article_signals(a, signal_doc(a), common, into.get(a.id, []),
                                                                [view(r) for r in related if r in by_id],
                                                                known_names(k, mates)),
                            origin=a.origin, article=a.id)
        if sig is not None:                 # on a failure the article keeps its default signals
            out[a.id] = sig
    return out
