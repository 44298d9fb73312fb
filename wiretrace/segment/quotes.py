"""Direct quotations and their speakers.

``extract_quotes(text)`` finds the stretches inside double quotation marks
(curly or straight, mixed pairs allowed), one quote per paragraph when a quote
runs over several paragraphs (the opening mark repeated at each new paragraph,
no closing mark), skips scare quotes (fewer than 3 words) and keeps nested
quotes inside the outer stretch.  Each quote then gets a speaker from the
speech cue around it, by plain heuristics (capitalised-name runs, a list of
speech verbs, role words and honorifics):

1. after the quote in its sentence:  “…,” X said / said X / according to X;
2. before the quote in its sentence: X said: “…” / X said “…” / According to X, “…”;
3. otherwise the speaker of the previous quote in the same or previous
   paragraph, a cue that introduces the paragraph (“X said:” ending the
   previous paragraph), or an “X added” in the next sentence.

Pronoun speakers are resolved to the nearest preceding named person.  Names are
returned without titles and roles ("Gen. Felix Gedney" -> "Felix Gedney");
non-person speakers ("the report") are kept as written.  spaCy is optional
(``use_spacy=True``) and only used to confirm person names.
"""
from __future__ import annotations

import bisect
import re

from wiretrace import nlp
from wiretrace.clean.spaces import plain_spaces
from wiretrace.model import Quote

OPEN_D = "“„‟"
CLOSE_D = "”"
MIN_WORDS = 3   # README: stretches of fewer than 3 words are scare quotes

SPEECH_VERBS = [
    "went on to say", "went on", "pointed out", "according to", "put it", "told reporters",
    "said", "says", "say", "saying", "added", "adds", "told", "tells", "telling", "wrote",
    "writes", "tweeted", "tweets", "asked", "asks", "explained", "explains", "noted", "notes",
    "stated", "argued", "argues", "continued", "continues", "declared", "declares", "insisted",
    "insists", "warned", "warns", "claimed", "claims", "replied", "replies", "responded",
    "responds", "recalled", "recalls", "acknowledged", "admitted", "admits", "announced",
    "announces", "remarked", "reported", "reports", "suggested", "suggests", "joked", "jokes",
    "quipped", "stressed", "stresses", "emphasized", "emphasised", "complained", "complains",
    "predicted", "vowed", "vows", "urged", "urges", "promised", "promises", "conceded",
    "concedes", "countered", "boasted", "boasts", "charged", "mused", "observed", "shouted",
    "yelled", "concluded", "posted", "recounted", "agreed", "cautioned", "thundered", "began",
    "read", "reads", "wrote in", "answered", "interjected", "chimed", "snapped", "fumed",
    "lamented", "bragged", "marveled", "repeated", "testified", "confirmed", "denied",
    "contended", "maintained", "asserted", "exclaimed", "whispered", "cried", "screamed",
    "chanted", "sang", "opined", "retorted", "wondered", "speculated", "added that",
    "stating", "asking", "writing", "adding", "noting", "arguing", "claiming", "insisting",
    "warning", "telling", "explaining", "declaring", "tweeting", "posting", "responding",
]
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SPEECH_VERBS), key=len, reverse=True))
                      + r")\b")

PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "rev", "prof", "mx", "hon"}
# Title and role words dropped in front of a name ("US President Donald Trump").
TITLES = {
    "president", "vice", "pres", "senator", "sen", "representative", "rep", "congressman",
    "congresswoman", "governor", "gov", "secretary", "sec", "minister", "prime", "chairman",
    "chairwoman", "chair", "director", "spokesman", "spokeswoman", "spokesperson", "commander",
    "deputy", "chief", "judge", "justice", "attorney", "general", "gen", "major", "maj",
    "colonel", "col", "lieutenant", "lt", "sergeant", "sgt", "captain", "capt", "admiral", "adm",
    "officer", "ambassador", "mayor", "speaker", "leader", "former", "first", "lady", "pope",
    "king", "queen", "prince", "princess", "lord", "candidate", "nominee", "adviser", "advisor",
    "aide", "manager", "strategist", "pollster", "founder", "ceo", "head", "anchor", "host",
    "reporter", "correspondent", "columnist", "editor", "professor", "coach", "sheriff",
    "chancellor", "treasurer", "whip", "majority", "minority", "republican", "democratic",
    "democrat", "presidential", "presumptive", "campaign", "press", "executive", "state",
    "defense", "defence", "foreign", "house", "senate", "white", "army", "navy", "air", "force",
    "british", "us", "u.s", "american", "gop", "then", "late", "senior", "top", "lawyer",
    "analyst", "sen", "assemblyman", "councilman", "councilwoman", "staff", "national",
    "security", "homeland", "councillor", "councilor", "alderman", "trustee", "inspector",
    "superintendent", "commissioner", "prosecutor", "detective", "constable", "chairperson", "colonel-general", "lieutenant-general", "major-general",
}
# Capitalised words that start sentences or clauses but are not names.
NOT_NAME = {
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "when", "while", "this", "that",
    "these", "those", "it", "he", "she", "they", "we", "i", "you", "his", "her", "their", "its",
    "our", "my", "as", "after", "before", "if", "so", "yet", "still", "then", "there", "here",
    "for", "with", "by", "from", "to", "of", "asked", "speaking", "however", "meanwhile",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "last", "later", "earlier", "now", "today", "yesterday", "also",
    "according", "said", "says", "what", "who", "why", "how", "where", "some", "many", "one",
    "both", "all", "no", "not", "his", "is", "was", "do", "did", "does", "just", "even",
    "instead", "since", "because", "though", "although", "during", "among", "under", "over",
    "about", "without", "within", "through", "into", "writing", "twitter", "facebook",
}
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Maj|Col|Lt|Sgt|Capt|Adm|St|Jr|Sr|Rev|Prof|"
                     r"U\.S|U\.N|U\.K|D\.C|No|Inc|Co|Corp|Ltd|vs|[A-Z])\.$")
_SENT_END = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[\w][\w'’\-\.]*")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.|(?:al|el|de|da|van|von|der|la|le|bin|ibn)-?[A-Z]?[\w'’\-]*)$")
# (?<!\s): a match starts where a run of spaces starts, as the leftmost match did
# anyway; without it each space of a long run was tried in turn (quadratic)
_PAREN = re.compile(r"(?<!\s)\s*\([^)]*\)")


# -- stretches ------------------------------------------------------------------

def _stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each outer double-quoted stretch, per paragraph."""
    out = []
    for pm in re.finditer(r"[^\n]+", text):
        p0, par = pm.start(), pm.group()
        open_at = None
        depth = 0
        for i, ch in enumerate(par):
            if ch in OPEN_D or ch in CLOSE_D or ch == '"':
                if open_at is None:
                    if ch in CLOSE_D and not _opens_here(par, i) and par[:i].strip():
                        continue        # a stray closing mark
                    if ch == '"' and _closes_here(par, i) and not _opens_here(par, i) and par[:i].strip():
                        continue        # a straight closing mark with no opening (or inches: 6'3")
                    open_at = i + 1
                    depth = 0
                elif ch in OPEN_D and _opens_here(par, i) and not _closes_here(par, i):
                    depth += 1          # a nested double quote
                elif depth and (ch in CLOSE_D or ch == '"'):
                    if ch == '"' and _opens_here(par, i) and not _closes_here(par, i):
                        depth += 1
                    else:
                        depth -= 1
                else:
                    out.append((p0 + open_at, p0 + i))
                    open_at = None
        if open_at is not None:
            # no closing mark: the quote runs to the end of the paragraph
            end = len(par.rstrip())
            if end > open_at:
                out.append((p0 + open_at, p0 + end))
    return out


_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–:]))‘([^‘’\n]*?(?:’\w[^‘’\n]*?)*)’(?=[\s.,;:!?)\]—–]|$)", re.M)


def _single_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) inside ‘…’ pairs (apostrophes inside words allowed)."""
    return [(m.start(1), m.end(1)) for m in _SINGLE.finditer(text)]


def _opens_here(par: str, i: int) -> bool:
    before = par[i - 1] if i else " "
    after = par[i + 1] if i + 1 < len(par) else " "
    return (before.isspace() or before in "([{—–-:;,/") and not after.isspace()


def _closes_here(par: str, i: int) -> bool:
    after = par[i + 1] if i + 1 < len(par) else " "
    before = par[i - 1] if i else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-’'")


_ALNUM = re.compile(r"[^\W_]")
_POSSESSIVE_TAIL = re.compile(r"['’]s\s+[a-z]")


def _possessive(name: str, text: str) -> bool:
    """Whether ``name`` stands in ``text`` as a possessive before a lower-case word
    ("Trump's campaign").  (A pattern made per name overflowed the regex cache: about
    a tenth of quote extraction was spent compiling.)"""
    i = text.find(name)
    while i >= 0:
        if _POSSESSIVE_TAIL.match(text, i + len(name)):
            return True
        i = text.find(name, i + 1)
    return False


def _n_words(s: str) -> int:
    """Words as separated by spaces ("It's heartbreaking" is two)."""
    return sum(1 for w in s.split() if _ALNUM.search(w))


_SMALL = {"of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is"}


def _spoken(text: str, s: int, e: int) -> bool:
    """A speech verb right after the quote ("…,” she said) or a colon cue right before it."""
    after = text[e + 1:e + 60].split("\n")[0]
    m = _VERB_RE.search(after)
    if m and _n_words(after[:m.start()]) <= 4 and not re.search(r"[.!?]\s", after[:m.start()]):
        return True
    return bool(re.search(r"\b(?:said|says|told|wrote|added|tweeted)\b[^.\n]{0,20}:\s*[\"“]?$", text[max(0, s - 80):s]))


def _is_title_case(s: str) -> bool:
    """A short all-capitalised stretch is a title or a name ("Face the Nation"), not a quote."""
    words = [w.strip(".,;:!?'’\"()") for w in s.split()]
    words = [w for w in words if w]
    if not words or len(words) > 6:     # titles/slogans are short; quotes-dev: +2.5 pts precision
        return False
    return all(w[0].isupper() or w.lower() in _SMALL or not w[0].isalpha() for w in words)


# -- sentences ------------------------------------------------------------------

def _sentence_cuts(text: str, quotes: list[tuple[int, int]]) -> list[int]:
    """Sentence boundaries outside quoted stretches (paragraph breaks included)."""
    inside = [False] * (len(text) + 1)
    for s, e in quotes:
        for k in range(s, e):
            inside[k] = True
    cuts = {0, len(text)}
    for m in re.finditer(r"\n+", text):
        cuts.add(m.start())
        cuts.add(m.end())
    for m in _SENT_END.finditer(text):
        if inside[m.end() - 1]:
            continue
        if _ABBREV.search(text[max(0, m.start() - 6):m.start() + 1]):
            continue
        cuts.add(m.end())
    return sorted(cuts)


# -- speakers ---------------------------------------------------------------------

def _tokens(s: str) -> list[str]:
    return s.split()


def _is_title(tok: str) -> bool:
    t = tok.lower().rstrip(".,").replace("’", "'")
    if t.endswith("'s"):
        return False
    parts = [p for p in t.split("-") if p]
    return bool(parts) and all(p.rstrip(".") in TITLES or p.rstrip(".") in HONORIFICS for p in parts)


def _name_runs(seg: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised tokens in ``seg`` (token index range, tokens)."""
    toks = _tokens(seg)
    runs, cur = [], []
    for i, t in enumerate(toks):
        bare = t.strip(",;:()\"“”")
        ok = bool(_NAME_TOKEN.match(bare)) and bare.lower().rstrip(".") not in NOT_NAME
        if ok and cur and cur[-1][1].endswith(("'s", "’s")):
            ok = False
        if ok:
            cur.append((i, bare))
        else:
            if cur:
                runs.append(cur)
            cur = []
        if bare != t.rstrip(",;:") or t.endswith((",", ";", ":")):
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [(r[0][0], r[-1][0] + 1, [b for _, b in r]) for r in runs]


def _strip_titles(run: list[str]) -> list[str]:
    """Drop titles, roles and the words before the last of them."""
    last = -1
    for i, t in enumerate(run):
        if _is_title(t):
            last = i
    rest = run[last + 1:]
    return rest


_PREP_BETWEEN = re.compile(r"\b(?:of|for|at|from|with|in|to|on|by|and|or|about|against|than|"
                           r"that|who|as|called|said|says|told)\b", re.I)


_SUFFIX = {"jr", "sr", "ii", "iii", "iv"}
ORG_WORDS = {"department", "committee", "party", "council", "agency", "office", "ministry",
             "commission", "court", "congress", "campaign", "union", "association", "institute",
             "university", "center", "centre", "news", "times", "post", "journal", "network",
             "foundation", "bureau", "service", "administration", "caucus", "coalition", "board",
             "group", "company", "corporation", "inc"}
_PREPS = {"of", "from", "in", "at", "for", "with", "to", "by", "on", "about", "against", "into",
          "over", "than", "like", "toward", "towards", "near", "across"}


def _person_name(seg: str) -> str | None:
    """The name in a noun phrase, without titles; None if it holds no name.

    Of several name runs, a later one wins only when just role words lie between
    ("Clinton campaign manager Robby Mook"); a preposition ends the search
    ("Cameron Easley for Morning Consult", "Gov. Earl Ray Tomblin of West Virginia").
    """
    seg = _PAREN.sub("", seg)
    toks = _tokens(seg)
    best, prev_end = None, None
    for a, b, run in _name_runs(seg):
        while len(run) > 1 and run[-1].rstrip(".,").lower() in _SUFFIX:
            run = run[:-1]
        rest = _strip_titles(run)
        if run[-1].rstrip(".,").lower() in ORG_WORDS:
            rest = run          # an organisation keeps its full name ("State Department")
        if not rest or all(_is_title(t) for t in rest):
            continue
        if best is None and a > 0 and toks[a - 1].lower() in _PREPS:
            continue            # "the campaign of the senator from Ohio": Ohio is not the speaker
        if best is not None and _PREP_BETWEEN.search(" ".join(toks[prev_end:a])):
            break
        best, prev_end = rest, b
    if not best:
        return None
    name = " ".join(best).rstrip(".,")
    if name.endswith(("'s", "’s")):
        return None
    return name


# Spaces and separators at the edges of a subject span: every whitespace character
# (not only " "), so that a no-break or other Unicode space left over after
# stripping is not taken for a word (issue 11: a U+00A0 where the speaker would
# be emptied ``parts`` in _np_speaker).  str.strip, not a regex: linear on a long run.
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_EDGES = _WHITESPACE + ",;:—–-"


def _trim(seg: str) -> str:
    return seg.strip(_EDGES)


def _clean_np(seg: str) -> str | None:
    seg = _PAREN.sub("", seg).strip(_EDGES + "\"“”")
    seg = re.sub(r"^(?:and|but|then|so|while|as|also)\s+", "", seg, flags=re.I)
    seg = re.sub(r"(?<!\s)(?:\s+(?:also|then|now|still|too|again|previously|later|once|has|have|had))+$", "", seg)
    if not seg or _n_words(seg) > 14:
        return None
    return seg


_APPOS = {"the", "a", "an", "who", "his", "her", "their", "its", "one", "another", "which", "whose",
          "of", "former", "now", "then", "also", "both"}


def _np_speaker(seg: str, prefer_first: bool) -> str | None:
    """Speaker of a subject span: a name (titles stripped), a pronoun, or a phrase as written."""
    seg = _trim(_PAREN.sub("", seg))
    parts = [p.strip() for p in re.split(r",\s*|\s+[—–]\s+", seg) if p.strip()]
    # "..., with X stating that ...": X speaks (the absolute construction)
    parts = [re.sub(r"^(?:with|without)\s+(?=[A-Z])", "", p) for p in parts]
    parts = [p for p in parts if p]
    if not parts:
        return None
    order = parts if prefer_first else list(reversed(parts))
    # a pronoun directly next to the verb
    last = parts[-1] if not prefer_first else parts[0]
    lw = last.lower().split()
    if lw and lw[-1] in PRONOUNS and (len(lw) == 1 or not prefer_first):
        return lw[-1]
    if lw and lw[0] in PRONOUNS and prefer_first:
        return lw[0]
    # the segment next to the verb, or a short name segment set off by an appositive
    first_ok = order[0].split()[0].lower() in _APPOS
    cands = order[:1] + [p for p in order[1:2] if first_ok and _n_words(p) <= 6]
    if prefer_first and len(order) > 1 and not _person_name(order[0]):
        cands = order[:2]
    for p in cands:
        if p.split()[0].islower() and p.split()[0] in {"who", "which", "of", "whose"}:
            continue
        name = _person_name(p)
        if name:
            # a possessive phrase ("Trump's campaign") is kept as written
            if _possessive(name, p):
                return _clean_np(p)
            return name
    return _clean_np(order[0])


def _after_verb_np(s: str) -> str | None:
    """The noun phrase after an inverted cue ("said Sen. Ted Cruz, ...")."""
    s = _PAREN.sub("", s)
    m = re.search(r"[,;:—–\n]|\.(?:\s|$)(?<!\b[A-Z]\.\s)|\s(?:in|on|at|during|after|before|when|while|"
                  r"last|this|on|to|that|about|told|who|yesterday|today|earlier|later)\b", s)
    np_ = s[:m.start()] if m else s
    while m and m.group().startswith(".") and _ABBREV.search(s[max(0, m.start() - 6):m.start() + 1]):
        m2 = re.search(r"[,;:—–\n]|\.(?:\s|$)|\s(?:in|on|at|during|after|before|when|while|last|this|"
                       r"to|that|about|told|who|yesterday|today|earlier|later)\b", s[m.end():])
        np_ = s[:m.end() + m2.start()] if m2 else s
        m = None
    np_ = np_.strip()
    if not np_:
        return None
    name = _person_name(np_)
    if name and not _possessive(name, np_):
        return name
    return _clean_np(np_)


def _cue_after(ctx: str) -> tuple[str | None, str | None]:
    """Speaker and cue in the text right after a quote: “…,” X said / said X."""
    m = _VERB_RE.search(ctx)
    if not m:
        return None, None
    subj = ctx[:m.start()]
    # 25 words leaves room for a long appositive ("X, the deputy commander of ..., said");
    # set by hand, checked on quotes-dev (speaker accuracy unchanged from 20 to 30)
    if _n_words(subj) > 25 or re.search(r"[“\"]", subj):
        return None, None
    cue = m.group(1)
    if cue == "according to" or not _trim(subj):
        sp = _after_verb_np(ctx[m.end():])
        return sp, cue
    sp = _np_speaker(subj, prefer_first=True)
    return sp, cue


def _cue_before(ctx: str) -> tuple[str | None, str | None]:
    """Speaker and cue in the text right before a quote: X said: “…”."""
    ms = list(_VERB_RE.finditer(ctx))
    if not ms:
        return None, None
    m = ms[-1]
    gap = ctx[m.end():]
    cue = m.group(1)
    if cue == "according to":
        # According to X, “…”
        return _after_verb_np(gap), cue
    # a cue at most 10 words before the quote ("X said on Tuesday in a statement that “…”");
    # set by hand on quotes-dev speaker errors
    if _n_words(gap) > 10:
        return None, None
    subj = ctx[:m.start()]
    if not _trim(subj):
        return _after_verb_np(gap), cue
    if re.search(r"(?:^|,)\s*with\s+[A-Z][^,]*$", subj):
        pass                    # "..., with X saying “…”": X speaks, not the sentence's subject
    elif cue.endswith("ing") or re.search(r"\b(?:and|but|then)\s*$", subj):
        # "X attacked Y, saying" / "X did Y and said": the sentence's subject speaks
        sub = _subject(subj)
        if sub:
            return sub, cue
    # only the clause right before the verb
    return _np_speaker(subj, prefer_first=False), cue


_LEAD = re.compile(r"^(?:(?:In|On|At|After|When|While|During|Following|As|Last|Earlier|Later|"
                   r"Before|Since|Speaking|Asked|In contrast|However|Despite|Ignoring|Although|"
                   r"Though|If|Because|With|Without|Amid|Under|For|From|By|Through|Unlike|Like|Once|"
                   r"Until|Given|Regardless|Instead|Meanwhile|Now|Then|Also|Later|Today|Yesterday)\b[^,]*,\s*)+")
_DET = {"the", "a", "an", "other", "several", "one", "some", "many", "his", "her", "their", "its",
        "another", "both", "most", "few", "two", "three"}
_VERBISH = re.compile(r"^(?:is|was|are|were|has|have|had|will|would|could|can|should|may|might|"
                      r"did|does|do|also|then|not|never|[a-z]+ed|[a-z]+s)$")


def _subject(sent: str) -> str | None:
    """The subject at the start of a sentence ("Cruz called Trump a “…”")."""
    sent = re.sub(r"^(?:And|But|Yet|Still|So|Then)\s+", "", sent.strip())
    sent = _LEAD.sub("", sent)
    toks = sent.split()
    if not toks:
        return None
    if toks[0].lower() in PRONOUNS:
        return toks[0].lower()
    if toks[0].lower() in _DET:
        out = [toks[0]]
        for t in toks[1:6]:
            if _VERBISH.match(t) and len(out) > 1 and not t[0].isupper():
                break
            out.append(t)
            if t.endswith(","):
                break
        while len(out) > 1 and out[-1].lower().rstrip(",") in {"also", "then", "now", "still", "too"}:
            out.pop()
        np_ = " ".join(out).rstrip(",")
        name = _person_name(np_)
        if name and not _possessive(name, np_):
            return name
        return np_
    # a capitalised run from the start, with its possessive noun if any
    head = []
    for t in toks[:8]:
        if t[0].isupper() or _is_title(t) or re.match(r"^[A-Z]\.", t):
            head.append(t)
            if t.endswith((",", "’s", "'s")):
                break
        else:
            break
    if not head or head[0].lower().rstrip(",") in NOT_NAME or head[0].lower().endswith("ing") \
            or re.match(r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|[0-9])", head[0].lower()):
        return None
    np_ = " ".join(head).rstrip(",")
    if np_.endswith(("’s", "'s")) and len(toks) > len(head):
        return np_ + " " + toks[len(head)].rstrip(",")
    return _person_name(np_)


_LABEL = re.compile(r"^([A-Z][A-Za-z.'’\-]*(?:\s[A-Z][A-Za-z.'’\-]*){0,3}):\s")
_DASH = re.compile(r"^[\s,]*[―—–-]{1,2}\s*([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,4})")


def _label_speaker(q: str) -> str | None:
    """A transcript label opening the quote ("SMITH: Well, ...")."""
    m = _LABEL.match(q)
    if not m:
        return None
    name = m.group(1)
    if name.lower() in NOT_NAME or _is_title(name):
        return None
    return _person_name(name) or name


def _dash_speaker(after: str) -> str | None:
    """A dash attribution after the quote ("…” — Jane Doe")."""
    m = _DASH.match(after)
    if not m:
        return None
    return _person_name(m.group(1))


def _resolve(pron: str, pos: int, mentions: list[tuple[int, str]]) -> str | None:
    """Nearest named person mentioned before ``pos`` (gender-agnostic)."""
    for p, name in reversed(mentions):
        if p < pos:
            return name
    return None


_SAYER = re.compile(r"([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})(?:,[^,\n]{0,100},)?\s+"
                    r"(?:has\s+|had\s+|also\s+)?(?:said|says|told|added|wrote|tweeted|stated|argued)\b")


def _mentions(text: str) -> list[tuple[int, str]]:
    """Person-like names: a title/honorific + Name, or the subject of a speech verb."""
    out = []
    for m in _SAYER.finditer(text):
        name = _person_name(m.group(1))
        if name and name.split()[0].lower() not in NOT_NAME:
            out.append((m.start(), name))
    for m in re.finditer(r"(?:[A-Z][\w'’\-]*\.?\s+){0,4}[A-Z][\w'’\-]+", text):
        name = _person_name(m.group())
        if not name:
            continue
        toks = name.split()
        had_title = any(_is_title(t) for t in m.group().split()[:-len(toks)])
        if had_title:
            out.append((m.start(), name))
    # person-like sentence subjects: a name of two or more words opening a sentence
    for m in re.finditer(r"(?:^|(?<=[.!?]\s)|(?<=\n))[A-Z][^\n.!?]{0,80}", text):
        sub = _subject(m.group())
        if sub and len(sub.split()) >= 2 and sub[0].isupper() and sub.split()[0].lower() not in _DET:
            out.append((m.start(), sub))
    return sorted(out)


_WARNED = False           # the missing model is said once per process


def _spacy_person(before: str, after: str) -> str | None:
    """Optional aid (``use_spacy=True``): the PERSON entity nearest the quote in its sentence."""
    global _WARNED
    if nlp.pipeline() is None:
        if not _WARNED:   # spaCy is an extra: without it the heuristics stand alone, said once
            import warnings
            warnings.warn(f"use_spacy=True but the spaCy model {nlp.SPACY_MODEL} could not be loaded "
                          f"({nlp.load_error()}); quote speakers come from the heuristics alone",
                          RuntimeWarning, stacklevel=3)
            _WARNED = True
        return None
    ents_after = [e.text for e in nlp.parse(after[:300]).ents if e.label_ == "PERSON"] if after.strip() else []
    if ents_after:
        return _person_name(ents_after[0]) or ents_after[0]
    ents_before = [e.text for e in nlp.parse(before[-300:]).ents if e.label_ == "PERSON"] if before.strip() else []
    if ents_before:
        return _person_name(ents_before[-1]) or ents_before[-1]
    return None


# -- main -------------------------------------------------------------------------

_Span = tuple[int, int]


def _quote_spans(text: str) -> tuple[list[_Span], list[_Span], dict[_Span, _Span]]:
    """(the quotes' spans, every quoted stretch's span, marks), each list sorted.

    Whitespace inside the marks is trimmed, then scare quotes are skipped; ``marks``
    keeps each trimmed span's stretch (right inside its marks): the cue context
    starts past the marks, also when spaces stand inside them ("“ … ”, she said")."""
    marks: dict[tuple[int, int], tuple[int, int]] = {}

    def trim(s: int, e: int) -> tuple[int, int]:
        s0, e0 = s, e
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        marks.setdefault((s, e), (s0, e0))
        return s, e

    all_spans = [trim(s, e) for s, e in _stretches(text)]
    spans = [(s, e) for s, e in all_spans
             if _n_words(text[s:e]) >= MIN_WORDS
             and (not _is_title_case(text[s:e]) or _spoken(text, *marks[(s, e)]))]
    # ‘…’ only when clearly a quote: outside any double-quoted stretch, with a speech cue
    for s, e in _single_stretches(text):
        if any(a - 1 <= s and e <= b + 1 for a, b in all_spans):
            continue
        if _n_words(text[s:e]) >= MIN_WORDS and not _is_title_case(text[s:e]) and _spoken(text, s, e):
            # trimmed like the double-quoted ones (fuzzing: ‘0 0 b ’ kept its space)
            s, e = trim(s, e)
            spans.append((s, e))
            all_spans.append((s, e))
    spans.sort()
    all_spans.sort()
    return spans, all_spans, marks


# LexisNexis copy writes a quote between two pairs of apostrophes (''…'').  They are
# quoted stretches for the stages that set quoted words aside (alignment, framing),
# but not quotes for ``extract_quotes``: quotes-dev's gold lists no quote in its
# LexisNexis texts (its NYT articles), so taking them would only cost precision.
_LEXIS = re.compile(r"''((?:(?!'')[^\n]){2,})''")


def quoted_stretches(text: str) -> list[_Span]:
    """Every quoted stretch of ``text`` (start, end inside its marks), sorted: the
    stretches ``extract_quotes`` takes its quotes from (scare quotes and short
    ones included, a quote left open running to its paragraph's end) and the
    LexisNexis ''…'' ones.  The one quote-mark reader: alignment and framing take
    their quoted words from here."""
    spans = [(s, e) for s, e in _quote_spans(plain_spaces(text))[1] if e > s]    # not '""'
    extra = [m.span(1) for m in _LEXIS.finditer(text)
             if not any(a < m.end() and m.start() < b for a, b in spans)]
    return sorted(spans + extra) if extra else spans


def _cue_speaker(text: str, s: int, e: int, sentence: tuple[int, int], before: str, after: str,
                 quotes: list[Quote], cuts: list[int], sent_of, use_spacy: bool) -> tuple[str | None, str | None]:
    """(speaker, cue) of the quote text[s:e] in ``sentence`` (its start, end), from the
    first rule that names one: a label, a dash, a cue after, a cue before, the
    sentence's subject, the context (see the module doc), spaCy."""
    ss, se = sentence
    speaker, cue = _label_speaker(text[s:e]), "said"
    if not speaker:
        speaker, cue = _dash_speaker(after), "said"
    if not speaker:
        speaker, cue = _cue_after(after)
    if not speaker:
        sp2, cue2 = _cue_before(before)
        if sp2:
            speaker, cue = sp2, cue2
    if not speaker and _n_words(before) >= 2 and not _VERB_RE.search(after):
        speaker, cue = _subject(text[ss:s]), None
    if not speaker:
        speaker, cue = _context_speaker(text, s, e, quotes, cuts, sent_of)
    if not speaker and use_spacy:
        speaker = _spacy_person(text[ss:s], text[e + 1:se])
    return speaker, cue


def extract_quotes(text: str, sentences: list[tuple[int, int]] | None = None,
                   use_spacy: bool = False) -> list[Quote]:
    """Direct quotes in ``text`` with speakers and cues (see module doc).

    ``sentences`` is accepted for the pipeline's call but not needed: sentence
    boundaries are recomputed here outside the quoted stretches (a splitter's
    boundaries inside a multi-sentence quote would cut the quote from its cue).
    ``use_spacy`` adds spaCy PERSON entities for quotes the heuristics leave
    without a speaker (no gain measured on quotes-dev; off by default).
    """
    # the cues are read with every Unicode space as " " (one for one: offsets
    # stay); the quote's text is cut from the original
    original, text = text, plain_spaces(text)
    spans, all_spans, marks = _quote_spans(text)
    if not spans:
        return []
    cuts = _sentence_cuts(text, all_spans)

    def sent_of(pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(cuts, pos) - 1
        return cuts[k], cuts[min(k + 1, len(cuts) - 1)]

    mentions = _mentions(text)
    quotes: list[Quote] = []
    for qi, (s, e) in enumerate(spans):
        ss, _ = sent_of(s)
        _, se = sent_of(max(s, e - 1))
        # the context ends at the next quote opening in the sentence
        ms, me = marks.get((s, e), (s, e))
        after_end = se if qi + 1 >= len(spans) else min(se, marks.get(spans[qi + 1], spans[qi + 1])[0] - 1)
        before_start = ss if qi == 0 else max(ss, marks.get(spans[qi - 1], spans[qi - 1])[1] + 1)
        after = text[me + 1:after_end] if me < len(text) else ""
        before = text[before_start:max(before_start, ms - 1)]
        speaker, cue = _cue_speaker(text, s, e, (ss, se), before, after, quotes, cuts, sent_of, use_spacy)
        if speaker and (speaker.lower() in NOT_NAME - PRONOUNS or not re.search(r"[^\W\d_]", speaker)):
            speaker = None
        if speaker and speaker.lower() in PRONOUNS:
            resolved = _resolve(speaker, s, sorted(mentions + [
                (q.start, q.speaker) for q in quotes if q.speaker and q.speaker.lower() not in PRONOUNS]))
            speaker = resolved or speaker
        quotes.append(Quote(original[s:e], s, e, speaker, cue))
    return quotes


def _context_speaker(text, s, e, prev_quotes, cuts, sent_of):
    """No cue in the quote's sentence: previous quote nearby, an introducing cue, or 'X added' next."""
    par_start = text.rfind("\n", 0, s) + 1
    k = par_start - 1
    while k > 0 and text[k - 1] in "\n \t\r":
        k -= 1                      # skip blank lines back to the previous paragraph
    prev_par_start = text.rfind("\n", 0, k) + 1 if k > 0 else 0
    # a cue sentence introducing this paragraph ("X said:" / "X reports:")
    before_par = text[:par_start].rstrip()
    if before_par.endswith(":") and text[par_start:s].strip(" “\"") == "":
        ps, _ = sent_of(len(before_par) - 1)
        sp, cue = _cue_before(text[ps:len(before_par)])
        if not sp:   # "X made the following comment:"
            sp, cue = _subject(text[ps:len(before_par)]), None
        if sp:
            return sp, cue
    # the next sentence: "he added." / "X said."
    _, se = sent_of(max(s, e))
    nss, nse = sent_of(se) if se < len(text) else (se, se)
    if nse > nss and "\n" not in text[e:nss].strip(" ") + "":
        nxt = text[nss:nse]
        m = re.match(r"\s*([A-Z][\w.'’\- ]{0,40}?|[Hh]e|[Ss]he|[Tt]hey)\s+(added|said|continued|went on)\b", nxt)
        if m:
            sp = _np_speaker(m.group(1), prefer_first=True)
            if sp:
                return sp, m.group(2)
    # the previous quote in this or the previous paragraph
    for q in reversed(prev_quotes):
        if q.end >= prev_par_start and q.speaker:
            return q.speaker, q.cue
        break
    # a said-sentence just before, in this paragraph or the previous one
    ps, _ = sent_of(max(0, s - 1))
    if text[ps:s].strip(" “\"'‘\n"):
        return None, None           # the quote is inside a sentence without a cue
    prev_s, _ = sent_of(max(0, ps - 1)) if ps > 0 else (0, 0)
    lo = max(prev_par_start, prev_s)
    ctx = text[lo:s]
    for m in reversed(list(_VERB_RE.finditer(ctx))):
        sub = ctx[:m.start()]
        cut = max(sub.rfind(". "), sub.rfind("\n"))
        sub = sub[cut + 1:]
        if sub.strip():
            sp = _np_speaker(sub, prefer_first=False)
            if sp:
                return sp, m.group(1)
        break
    return None, None
