"""Article metadata: publication date, authors, dateline, credit lines, cited
sources, outlet and title.

    meta = extract_metadata(raw, body, given=given, meta_lines=meta_lines, html_meta=html_meta)

``raw`` is the article as read (scraped text with page leftovers, or clean
text), ``body`` the cleaned body (every offset returned is into ``body``),
``given`` the fields the input supplied (they always win), ``meta_lines`` the
lines the cleaner dropped as bylines/dates, ``html_meta`` what trafilatura found
in the HTML.  Nothing here knows any particular article: dates, bylines and
datelines are found by their shape, outlets through the shipped registry.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from wiretrace.model import CitedSource, Dateline, OutletSource
from wiretrace.registry import by_domain, by_name

from .meta_credits import find_credits
from .meta_dateline import find_dateline
from .meta_dates import date_in_line, find_dates, parse_date
from .meta_names import looks_like_person, split_names, strip_role
from .meta_sources import find_cited_sources
from .meta_wire import AGENCY_TAIL, wire_byline
from .spaces import plain_spaces

__all__ = ["extract_metadata", "parse_date"]

# The header of a page ends where the article's paragraphs begin: date and
# byline lines are looked for above the body's third paragraph (a headline, a
# standfirst and a caption may come before), never in the page's footer.  A
# scraped page may carry hundreds of menu lines first, so there is no line cap
# short of _HEADER_MAX_LINES.
_HEADER_PARAGRAPHS = 3
_HEADER_MAX_LINES = 600
_BYLINE = re.compile(r"^\s*(?:By|BY|by|Posted\s+by|Written\s+by|Words\s+by|Story\s+by|Reported\s+by|"
                     r"Authors?\s*:|Byline\s*:)\s*:?\s+(?P<names>.+)$")
_ROLES = r"(?:writer|correspondent|reporter|editor|columnist|contributor|journalist)s?"
_ROLE_TAIL = re.compile(r"(?i)^[A-Z][^,|]{2,40}\s*[,|–—-]\s*(?:[\w ]+\s)?" + _ROLES + r"\s*$")
_DESK_TITLE = re.compile(r"(?i)^\s*(?:[\w-]+\s+){0,3}" + _ROLES + r"\s*$")
# Keys of ``given`` that may hold a reference date for relative dates ("5 hours ago").
_REFERENCE_KEYS = ("reference_date", "fetched", "crawled", "retrieved", "scraped_at", "crawled_at")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n")]


def _is_paragraph(line: str) -> bool:
    words = line.split()
    return len(words) >= 12 and line.rstrip()[-1:] in ".!?\"”’')…:"


def _header(raw: str, body: str | None = None) -> tuple[list[str], int]:
    """(the non-empty lines of ``raw`` above the article's third paragraph, the
    index among them of its first paragraph, len(lines) when none was seen).

    With a cleaned ``body`` (different from ``raw``), only lines of the body count
    as its paragraphs, so a long menu or teaser line of the page does not end
    the header early."""
    body_lines = None
    if body is not None and body.strip() != raw.strip():
        body_lines = {ln for ln in _lines(body) if ln}
    out: list[str] = []
    paragraphs = 0
    first = None
    for ln in _lines(raw):
        if not ln:
            continue
        if _is_paragraph(ln) and (body_lines is None or ln in body_lines):
            paragraphs += 1
            if first is None:
                first = len(out)
            if paragraphs >= _HEADER_PARAGRAPHS:
                break
        out.append(ln)
        if len(out) >= _HEADER_MAX_LINES:
            break
    return out, (len(out) if first is None else first)


def header_lines(raw: str, body: str | None = None) -> list[str]:
    """The non-empty lines of ``raw`` above the article's third paragraph."""
    return _header(raw, body)[0]


# -- published -------------------------------------------------------------------

# Which header date line is the publication date when there are several: the
# one nearest above the body's first paragraph ("nearest") or the first on the
# page ("first").  Pages often show today's date in their top bar, far above
# the article.  Swept on the extract-dev text form, cleaned by clean_text (day
# agreement with trafilatura's date from the same page's HTML): nearest 102/125,
# first 100/125; derivations-dev (given `published`): 178/178 either way.
# Scripts: tests/fixtures/metadata/devcheck.py and devcheck_extract.py.
_DATE_PICK = "nearest"


def _pick(dated: list[tuple[int, str, bool]], start: int) -> str | None:
    """dated: (line index, iso, is_update) in page order."""
    if not dated:
        return None
    pool = [d for d in dated if not d[2]] or dated          # published before updated
    if _DATE_PICK == "first":
        return pool[0][1]
    above = [d for d in pool if d[0] < start]
    return (above[-1] if above else pool[0])[1]


def _published(given: dict, html_meta: dict | None, meta_lines, header: list[str], start: int) -> str | None:
    if given.get("published"):
        return given["published"]
    reference = next((given[k] for k in _REFERENCE_KEYS if given.get(k)), None)
    if html_meta and html_meta.get("date"):
        iso = parse_date(str(html_meta["date"]), reference)
        if iso:
            return iso
    dated = []
    for i, ln in enumerate(header):
        d = date_in_line(ln, reference)
        if d:
            dated.append((i, d[0], d[1]))
    iso = _pick(dated, start)
    if iso:
        return iso
    # date lines the cleaner dropped that are not in the header (e.g. the raw text is gone)
    dated = [(i, *d) for i, d in enumerate(date_in_line(ln, reference) for ln in meta_lines or ()) if d]
    return _pick(dated, len(dated) + 1 if _DATE_PICK == "nearest" else 0) if dated else None


# -- authors ---------------------------------------------------------------------

def _names_from_byline(s: str) -> list[str]:
    s = re.split(r"\s*[|•·]\s*|\s+[-–—]\s+", s)[0]
    s = AGENCY_TAIL.sub("", s) or s                # "ALAN FRAM, Associated Press Writer": the names
    # a desk title between commas is no name ("Jane Roe, Showbusiness Correspondent, PA News")
    s = ",".join(seg for seg in s.split(",") if not _DESK_TITLE.search(seg)) or s
    if s.isupper():                                # "By JANE DOE"
        s = " ".join(w if len(w) <= 3 and w.isalpha() and w in ("AND",) else w.title() for w in s.split())
        s = s.replace(" AND ", " and ")
    hit = find_dates(s)                           # "By Jane Doe  December 3, 2017"
    if hit:
        s = s[:hit[0].start]
    s = re.sub(r"\s+(?:on|at|updated|published)\s*:?\s*$", "", s, flags=re.I)
    return [n for n in split_names(s) if looks_like_person(n, min_tokens=1, max_tokens=5)]


def _byline_authors(lines: list[str]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        if len(ln) > 160:
            continue
        m = _BYLINE.match(ln)
        if m:
            for n in _names_from_byline(m.group("names")):
                if n not in out:
                    out.append(n)
    return out


def _bare_name_authors(header: list[str], titles: set[str], meta_lines) -> list[str]:
    """A line that is only a person's name (2-3 capitalised words), right under
    the headline or next to a date line."""
    def norm(s):
        return re.sub(r"\W+", " ", s).strip().lower()
    titles = {norm(t) for t in titles if t}
    out: list[str] = []
    for i, ln in enumerate(header):
        if _ROLE_TAIL.search(ln) and len(ln) < 80:          # "Jane Doe, Staff Writer"
            name = strip_role(ln)
            if name != ln.strip() and looks_like_person(name, max_tokens=4) and name not in out:
                out.append(name)
            continue
        if not looks_like_person(ln, max_tokens=3):
            continue
        prev = header[i - 1] if i > 0 else ""
        nxt = header[i + 1] if i + 1 < len(header) else ""
        near_date = bool(date_in_line(prev) or date_in_line(nxt))
        under_title = bool(prev) and (norm(prev) in titles or _headline_like(prev)) and \
            (bool(date_in_line(nxt)) or _is_paragraph(nxt) or not nxt)
        if (near_date or under_title) and ln not in out:
            out.append(ln.strip())
    return out


def _headline_like(line: str) -> bool:
    words = line.split()
    return 4 <= len(words) <= 25 and line[:1].isupper() and line.rstrip()[-1:] not in ".:,;"


def _authors(given, html_meta, meta_lines, header, start, body_top, titles, credits) -> list[str]:
    """Given > HTML author > byline lines above the body > a bare name line under
    the headline or beside a date line > the "Reporting by" credit."""
    g = given.get("authors")
    if g:
        return [g] if isinstance(g, str) else list(g)
    if html_meta and html_meta.get("author"):
        a = re.sub(r"^\s*(?:[Bb]y|BY)\s+", "", str(html_meta["author"]))
        names = [n for n in split_names(a) if n and not re.search(r"(?i)\bstaff\b", n)]
        if names:
            return names
    in_raw = set(header)
    lines = [m for m in meta_lines or () if m.strip() not in in_raw] + header[:start] + body_top
    out = _byline_authors(lines)
    if out:
        return out
    out = _bare_name_authors(header[:start + 1], titles, meta_lines)
    if out:
        return out
    for c in credits:                            # no byline: the reporters are the authors
        if c.role in ("reporting", "reporting and writing", "writing"):
            return list(c.names)
    return []


# -- outlet ----------------------------------------------------------------------

def _outlet(given: dict, html_meta: dict | None, dateline: Dateline | None, byline: tuple[str, str] | None = None
            ) -> tuple[str | None, OutletSource | None]:
    """(outlet, where it came from: how (given|url|sitename|byline|dateline),
    inferred, from).  Only a given outlet is not inferred; one read off a wire
    byline ("By Jane Roe, PA News") or an agency dateline ("BEIRUT (AP) _") is
    marked so, as a page that kept an agency's dateline is not necessarily that
    agency's copy."""
    if given.get("outlet"):
        return given["outlet"], OutletSource("given", False)
    url = given.get("url") or (html_meta or {}).get("url")
    if url:
        try:
            host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        except ValueError:          # a malformed URL ("http://[::1"): no host to name the outlet
            host = ""
        if host:
            o = by_domain(host)
            src = OutletSource("url", False, host)
            if o:
                return o.name, src
            return host.removeprefix("www."), src
    site = (html_meta or {}).get("sitename")
    if site:
        o = by_name(str(site))
        if o is None and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", str(site).lower()):
            o = by_domain(str(site))
        return (o.name if o else str(site)), OutletSource("sitename", False, str(site)[:200])
    if byline:
        return byline[0], OutletSource("byline", True, f"byline ({byline[1]})")
    if dateline and dateline.agency:
        written = dateline.agency_as_written or dateline.agency
        return dateline.agency, OutletSource("dateline", True, f"dateline ({written})", dateline.start, dateline.end)
    return None, None


# -- all together ----------------------------------------------------------------

def extract_metadata(raw: str, body: str, *, given: dict, meta_lines: list[str] = (),
                     html_meta: dict | None = None) -> dict:
    """{"published", "authors", "dateline" (Dateline or None), "credits" (Credit),
    "cited_sources" (CitedSource), "outlet", "outlet_source" (OutletSource or None), "title"}.

    Given fields win; then HTML metadata; then what the text says.  Offsets in
    ``dateline`` and ``cited_sources`` are into ``body``."""
    given = dict(given or {})
    # read with every Unicode space as " " (one for one: offsets into ``view``
    # are offsets into ``body``); cues are cut from the body as written
    raw = plain_spaces(raw or "")
    original = body or ""
    body = plain_spaces(original)
    meta_lines = [plain_spaces(str(m)) for m in (meta_lines or ())]
    header, start = _header(raw, body)
    body_top = header_lines(body)[:6]
    titles = {given.get("title") or "", (html_meta or {}).get("title") or ""}

    found = find_dateline(body)
    dateline = None if found is None else Dateline(found["place"], found["agency"], found["agency_as_written"],
                                                   found["start"], found["end"])

    # credit lines: the body, the lines the cleaner dropped, and the raw page
    credit_lines = _lines(body) + meta_lines + [ln for ln in _lines(raw) if ln]
    credits = find_credits(credit_lines)

    title = given.get("title") or (html_meta or {}).get("title") or None
    # a wire byline among the lines above the body (the cleaner may have removed it)
    byline = wire_byline("\n".join(header[:start + 1] + [m for m in meta_lines[:8]]))
    outlet, outlet_source = _outlet(given, html_meta, dateline, byline)
    return {
        "published": _published(given, html_meta, meta_lines, header + body_top, start),
        "authors": _authors(given, html_meta, meta_lines, header, start, body_top, titles, credits),
        "dateline": dateline,
        "credits": credits,
        "cited_sources": [CitedSource(c["name"], original[c["start"]:c["end"]], c["start"], c["end"])
                          for c in find_cited_sources(body)],
        "outlet": outlet,
        "outlet_source": outlet_source,
        "title": title,
    }
