"""Does a target article credit its source?  The source is credited when the
target names the source's outlet (its name, an alias or its domain, from the
registry, plus a few spelling variants), or the wire agency of the source's
dateline: in the text, a dateline, a credit line or a cited source."""
from __future__ import annotations

import re
from functools import lru_cache

from wiretrace.model import Article
from wiretrace.registry import aliases_for, by_name

# A wire agency in a dateline at the start of a body: "WASHINGTON (AP) -", "(Reuters) -".
_DATELINE_AGENCY = re.compile(r"^[^\n]{0,80}?\(([A-Z][A-Za-z.&\- ]{1,40})\)\s*[-\u2013\u2014:]", re.M)

# Lines dropped as leftovers still count when they read as a credit.
_CREDIT_LINE = re.compile(r"\b(source|originally (?:appeared|published)|reported|according to|courtesy|via)\b", re.I)

# An outlet's name as part of a place's is no credit: "The Sun pub in Egham",
# "the Times Square crowd" (wire-dev: a PA copy about a pub was read as crediting The Sun).
_PLACE_AFTER = re.compile(r"\s+(?:pub|inn|hotel|bar|club|restaurant|caf[eé]|hall|theatre|theater|cinema|square|"
                          r"street|road|avenue|lane|building|tower|stadium|arena|school|church)s?\b", re.I)

_GENERIC_TAIL = {"news", "online", "media", "network", "com"}
_RUN_TOGETHER: set[str] = set()     # "WesternJournal", "Nationalsentineldaily(.com)": any case


def name_variants(name: str) -> list[str]:
    """Ways a page may write an outlet's name: registry aliases and domains,
    without a leading "The", without a generic tail word ("Breitbart News" ->
    "Breitbart"), and run together ("Western Journal" -> "WesternJournal")."""
    out: list[str] = []
    for n in aliases_for(name):
        out.append(n)
        words = n.split()
        if words and words[0].lower() == "the" and len(words) > 2:
            words = words[1:]        # "The Washington Post" -> "Washington Post", not "The Hill" -> "Hill"
            out.append(" ".join(words))
        if len(words) > 1 and words[-1].lower() in _GENERIC_TAIL:
            out.append(" ".join(words[:-1]))
        if len(words) > 1:
            _RUN_TOGETHER.add("".join(words).lower())
            out.append("".join(words))
    seen, res = set(), []
    for v in out:
        v = v.strip()
        if len(v) >= 2 and v.lower() not in seen:
            seen.add(v.lower())
            res.append(v)
    return res


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern:
    alts = []
    for v in name_variants(name):
        esc = re.escape(v).replace(r"\ ", r"\s+")
        if " " in v or "." in v or v.lower() in _RUN_TOGETHER:   # "USA TODAY", "nytimes.com": any case
            alts.append(rf"\b{esc}\b")
        else:                       # one word (AP, Politico, Guardian): as written or in capitals
            alts.append(rf"(?-i:\b(?:{esc}|{re.escape(v.upper())})\b)")
    if not alts:        # no usable name ("X", " "): an empty pattern would match every text
        return re.compile(r"(?!)")
    return re.compile("|".join(alts), re.I)


def dateline_agency(article: Article) -> str | None:
    if article.dateline is not None and article.dateline.agency:
        return article.dateline.agency
    for m in _DATELINE_AGENCY.finditer(article.text[:800]):   # the body's first lines
        o = by_name(m.group(1).strip())
        if o is not None and o.agency:
            return o.name
    return None


def _cue(text: str, m: re.Match) -> str:
    s = max(0, m.start() - 40)
    e = min(len(text), m.end() + 25)
    return re.sub(r"\s+", " ", text[s:e]).strip()


def credit_cue(target: Article, source: Article) -> str | None:
    """The stretch of the target that credits ``source`` (its outlet, or the agency
    of its dateline), or None."""
    names = []
    if source.outlet and source.outlet != target.outlet:
        names.append(source.outlet)
    ag = dateline_agency(source)
    if ag and ag != target.outlet:
        names.append(ag)
    return _credit_of(target, names)


def outlet_credit_cue(target: Article, source: Article) -> str | None:
    """The stretch of the target that names ``source``'s own outlet, or None."""
    if not source.outlet or source.outlet == target.outlet:
        return None
    return _credit_of(target, [source.outlet])


def _credit_of(target: Article, names: list[str]) -> str | None:
    for name in names:
        pat = _pattern(name)
        m = next((m for m in pat.finditer(target.text) if not _PLACE_AFTER.match(target.text, m.end())), None)
        if m:
            return _cue(target.text, m)
        tag = target.dateline.agency if target.dateline is not None else None
        if tag and pat.fullmatch(tag):
            return f"dateline ({tag})"
        for c in target.cited_sources or []:
            if c.name and pat.search(c.name):
                return c.cue or c.name
        for c in target.credits or []:
            for n in c.names or []:
                if pat.search(n):
                    return n
        for line in target.removed or []:
            if _CREDIT_LINE.search(line):
                m = pat.search(line)
                if m:
                    return line.strip()[:80]
    return None
