"""Outlets and agencies a body credits: "Reuters reported", "according to AFP",
"told the Associated Press", "in an interview with CNN", "This article
originally appeared on X", "Source: X", "X contributed to this report".

Known outlets come from the registry (names normalised to the registry name).
Unknown names after a cue are kept only when they read as an organisation
(an outlet word such as Post/Times/News/Daily, or a web domain); a person's
name after "according to" is not a source.  Photo credits are not cues."""
from __future__ import annotations

import re
from functools import lru_cache

from wiretrace.english import FOLDS_TO_ASCII
from wiretrace.registry import by_domain, by_name, outlets

from .meta_names import ORG_WORDS, looks_like_org, looks_like_person

_CONNECT = r"(?:of|for|on|and|&|de|du|del|la|le|al|el)"
_CAP = r"[A-Z][\w&'’.\-]*[\w]"
_UNKNOWN = r"(?:" + _CAP + r"|[A-Z])(?:[ \t]+(?:" + _CONNECT + r"[ \t]+)?" + _CAP + r"){0,6}"
_DOMAIN = r"(?i:(?:www\.)?[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|news|info|co\.uk|co|us|uk|ca|au|ie|in|tv|io))\b"

# Capitalised words that open a sentence or a clause and are not part of a name.
_BREAK = {"in", "on", "at", "but", "and", "as", "when", "while", "meanwhile", "earlier", "later", "also",
          "however", "then", "yesterday", "today", "last", "this", "that", "after", "before", "since", "if",
          "so", "yet", "still", "now", "separately", "previously", "recently", "monday", "tuesday",
          "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
          "may", "june", "july", "august", "september", "october", "november", "december", "a", "an",
          "according", "as", "with", "by", "told", "said", "from", "per", "via"}

_AFTER_CUES = [
    r"(?i:according\s+to)\s+(?:(?i:a|an|the)\s+(?:new\s+|recent\s+|latest\s+)?(?i:report|story|article|"
    r"investigation|analysis)\s+(?:by|in|from)\s+)?",
    r"(?i:told|tells|telling)\s+",
    r"(?i:in\s+an?\s+(?:\w+\s+){0,2}interview\s+(?:with|to|on)|speaking\s+to|spoke\s+to|said\s+to|"
    r"quoted\s+by|cited\s+by|reported\s+by|first\s+reported\s+by|as\s+reported\s+by|a\s+report\s+(?:by|in|from)|"
    r"an\s+article\s+(?:by|in)|wrote\s+in|writing\s+in)\s+",
    r"(?i:this\s+(?:article|story|report|post|piece|content)\s+(?:was\s+)?(?:originally\s+|first\s+)?"
    r"(?:appeared|published|posted|ran)\s+(?:on|in|at|by|with)|originally\s+(?:appeared|published|posted)\s+"
    r"(?:on|in|at|by))\s+",
]
_LINE_CUES = r"(?im:^[ \t]*\(?[ \t]*(?:sources?|via|courtesy(?:\s+of)?|originally\s+published\s+(?:by|on|at))[ \t]*[:\-–—]?[ \t]*)"
_BEFORE_CUE = (r"(?:\s+(?i:newspaper|news\s+agency|agency|daily|broadcaster|website|network|channel|tv|"
               r"television|magazine|outlet|news\s+site))?[ \t]*,?[ \t]+(?:(?i:first|previously|also|has|had|later|"
               r"exclusively|earlier|originally|initially)\s+)?(?:reported|reports|revealed|broke\s+the\s+news|"
               r"said\s+in\s+a\s+report|contributed\s+to\s+this\s+(?:report|story|article))"
               r"(?:\s+(?:yesterday|today|earlier|on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
               r"last\s+(?:week|month|year|night)|this\s+(?:week|month)))?")


@lru_cache(maxsize=1)
def _known_alt() -> str:
    names = {n for o in outlets() for n in o.names() if len(n) >= 2}
    names |= {n.upper() for n in names if len(n) >= 4}          # "POLITICO reported"
    alts = sorted(names, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(n) for n in alts) + r")(?![\w&])"


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern]:
    outlet = r"(?P<the>(?:[Tt]he[ \t]+)?)(?P<o>" + _known_alt() + "|" + _DOMAIN + "|" + _UNKNOWN + ")"
    pats = [re.compile(r"(?<![\w])" + cue + outlet) for cue in _AFTER_CUES]
    pats.append(re.compile(_LINE_CUES + outlet))
    pats.append(re.compile(r"(?<![\w])" + outlet + _BEFORE_CUE))
    return pats


# For each pattern of ``_patterns`` but the outlet-first one, in order: a test that is
# true of the lower-cased body whenever the pattern can match (words its cue cannot do
# without).  Most bodies have no "according to", no "told", no "Source:" line: their
# patterns are not run over the whole page (these scans were ~8% of the per-document
# step on the realistic corpus).
_RAN = re.compile(r"\sran\s")
_CUE_WORDS = (
    lambda low: "according" in low,
    lambda low: "told" in low or "tell" in low,
    lambda low: True,          # "said to", "interview with", "reported by", ...: "said" is in every story
    lambda low: ("appeared" in low or "published" in low or "posted" in low or _RAN.search(low) is not None),
    lambda low: "source" in low or "via" in low or "courtesy" in low or "originally" in low,
)


# The outlet-first pattern ("X reported") is only tried in a window before one of
# these words: trying it at every capital letter of a long page is slow.
_BEFORE_TRIGGER = re.compile(r"(?i)\b(?:reported|reports|revealed|broke\s+the\s+news|said\s+in\s+a\s+report|"
                             r"contributed\s+to\s+this)\b")


# Untrusted input: a page repeating "reported" thousands of times is not an article.
_MAX_TRIGGERS = 500


def _matches(pat: re.Pattern, body: str, outlet_first: bool):
    if not outlet_first:
        yield from pat.finditer(body)
        return
    for n, t in enumerate(_BEFORE_TRIGGER.finditer(body)):
        if n >= _MAX_TRIGGERS:
            break
        ws = max(body.rfind("\n", 0, t.start()) + 1, t.start() - 200)
        for m in pat.finditer(body, ws, min(len(body), t.end() + 40)):
            if m.start() < t.start() < m.end():
                yield m


def _trim_unknown(name: str) -> tuple[str, int]:
    """Drop clause-opening words before an unknown name; (name, chars dropped at the front)."""
    toks = list(re.finditer(r"\S+", name))
    cut = 0
    for i, t in enumerate(toks):
        if t.group().lower().strip(",.") in _BREAK:
            cut = i + 1
    if cut >= len(toks):
        return "", len(name)
    start = toks[cut].start()
    rest = name[start:]
    m = re.match(r"(?i:the)\s+", rest)
    if m:
        start += m.end()
    return name[start:], start


def _resolve(raw_name: str) -> str | None:
    """Registry name for a known outlet or domain; the name itself for an
    organisation-shaped unknown; None for a person or anything else."""
    name = raw_name.strip().rstrip(".,;:’'")
    if name.endswith("'s") or name.endswith("’s"):
        name = name[:-2]
    if not name:
        return None
    known = by_name(name)
    if known:
        return known.name
    if re.fullmatch(_DOMAIN, name):
        d = by_domain(name.lower())
        return d.name if d else name.lower().removeprefix("www.")
    if looks_like_person(name):
        return None
    # "Jane Doe of the Daily Planet" -> the Daily Planet
    m = re.match(r"^(.+?)\s+(?:of|for|at)\s+(?:the\s+)?(.+)$", name)
    if m and looks_like_person(m.group(1)):
        return _resolve(m.group(2))
    if looks_like_org(name) and len(name.split()) <= 7:
        return name
    return None


def find_cited_sources(body: str) -> list[dict]:
    """[{"name", "cue", "start", "end"}] in body order; start/end span the whole cue
    phrase ("according to AFP"), ``name`` is the outlet."""
    found: list[dict] = []
    pats = _patterns()
    # a cue's pattern can only match where its words are: a substring test first (exact
    # unless the text has one of the characters that match an ASCII letter only
    # case-insensitively: then every pattern is tried)
    low = None if FOLDS_TO_ASCII.search(body) else body.lower()
    for k, pat in enumerate(pats):
        outlet_first = k == len(pats) - 1
        if low is not None and k < len(_CUE_WORDS) and not _CUE_WORDS[k](low):
            continue
        for m in _matches(pat, body, outlet_first):
            o = m.group("o")
            o_start = m.start("o")
            is_known = by_name(o) is not None or re.fullmatch(_DOMAIN, o) is not None
            if not is_known and re.fullmatch(r"[A-Z]\w+", o) and o.lower() in ORG_WORDS:
                continue                         # "the Post reported": which Post is unknown
            if not is_known:
                trimmed, drop = _trim_unknown(o)
                if not trimmed:
                    continue
                o_start += drop
                o = trimmed
            name = _resolve(o)
            if name is None:
                continue
            start, end = m.start(), m.end()
            if outlet_first:                                     # span from the outlet
                start = o_start if (is_known or not m.group("the")) else min(o_start, m.start("the"))
                if is_known and m.group("the"):
                    start = m.start("the")
            line_start = body.rfind("\n", 0, start) + 1
            before = body[line_start:start].lower()
            if re.search(r"(photo|image|picture|credit|video|graphic)s?\s*(source)?\s*[:(]?\s*$", before):
                continue
            while start < end and body[start] in "( \t":
                start += 1
            cue = body[start:end].rstrip(" ,.;:")
            end = start + len(cue)
            found.append({"name": name, "cue": cue, "start": start, "end": end})
    found.sort(key=lambda c: (c["start"], -(c["end"] - c["start"])))
    out: list[dict] = []
    for c in found:
        if out and c["start"] < out[-1]["end"]:
            continue
        out.append(c)
    return out
