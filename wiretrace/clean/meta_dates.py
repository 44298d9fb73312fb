"""Dates in article text: absolute forms ("December 28, 2017 at 2:07 pm",
"28 Dec, 2017 04:44", "2019-02-11T10:00Z", "12/28/2017"), relative forms
("5 hours ago", "yesterday", resolved only against a reference date), and
"date lines" (a header line that is mostly a date: "Updated: Dec. 3, 2017").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MON = r"(?P<mon>(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
       r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_TIME = (r"(?:(?:\s*,\s*|\s+|\s*[-|•·]\s*)(?:at\s+)?(?P<hh>[012]?\d)[:.](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?"
         r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?(?:\s*(?P<tz>UTC|GMT|Z|[ECMP][SD]?T|BST|CET|CEST)\b)?)?")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 2019-02-11, 2019-02-11T10:00Z, 2019-02-11 10:00:00+01:00
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<day>[0-3]\d)"
               r"(?:[T ](?P<hh>[012]\d):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d)(?:\.\d+)?)?"
               r"(?P<off>Z|[+-][01]\d:?[0-5]\d)?)?(?![\d])"),
    # December 28, 2017 at 2:07 pm / Dec. 3, 2017 / Dec 3 2017
    re.compile(r"\b" + _MON + r"\s+" + _DAY + r"(?:\s*,\s*|\s+)" + _YEAR + r"\b" + _TIME),
    # 28 Dec, 2017 04:44 / 3 December 2017
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?:\s*,\s*|\s+)" + _YEAR + r"\b" + _TIME),
    # 2017/12/03
    re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<mo>[01]?\d)/(?P<day>[0-3]?\d)\b" + _TIME),
    # 12/03/2017 or 28.12.2017 (only when unambiguous)
    re.compile(r"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)\b" + _TIME),
]

_REL_UNITS = {"second": 1 / 60, "sec": 1 / 60, "minute": 1, "min": 1, "hour": 60, "hr": 60,
              "day": 1440, "week": 10080}
_RELATIVE = re.compile(
    r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)\s+ago\b"
    r"|\b(?P<word>yesterday|today|just now|moments? ago)\b", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass
class DateHit:
    iso: str
    start: int
    end: int


def _iso(y: int, mo: int, d: int, hh=None, mi=None, ss=None, tz: str | None = None) -> str | None:
    try:
        date(y, mo, d)
    except ValueError:
        return None
    if hh is None:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    if not (0 <= hh <= 23 and 0 <= mi <= 59 and 0 <= (ss or 0) <= 59):
        return f"{y:04d}-{mo:02d}-{d:02d}"
    s = f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss or 0:02d}"
    return s + (tz or "")


def _time(m: re.Match) -> tuple:
    g = m.groupdict()
    if not g.get("hh"):
        return None, None, None, None
    hh, mi = int(g["hh"]), int(g["mi"])
    ss = int(g["ss"]) if g.get("ss") else 0
    ampm = (g.get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    if ampm and hh > 23:
        return None, None, None, None
    tz = g.get("off") or g.get("tz")
    tz = "Z" if tz in ("Z", "UTC", "GMT") else (tz if tz and tz[0] in "+-" else None)
    if tz and len(tz) == 5:                      # +0100 -> +01:00
        tz = tz[:3] + ":" + tz[3:]
    return hh, mi, ss, tz


def _from_match(m: re.Match) -> str | None:
    g = m.groupdict()
    y = int(g["year"])
    if g.get("mon"):
        mo = MONTHS[g["mon"].lower().rstrip(".")]
        d = int(g["day"])
    elif g.get("mo"):
        mo, d = int(g["mo"]), int(g["day"])
    else:                                        # a/b/year: month-first or day-first?
        a, b = int(g["a"]), int(g["b"])
        if a == b:
            mo = d = a
        elif a > 12 >= b:
            d, mo = a, b
        elif b > 12 >= a:
            mo, d = a, b
        else:
            return None                          # 03/12/2017: ambiguous, do not guess
    hh, mi, ss, tz = _time(m)
    return _iso(y, mo, d, hh, mi, ss, tz)


def find_dates(text: str) -> list[DateHit]:
    """Every absolute date in ``text``, in order, without overlaps."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            iso = _from_match(m)
            if iso:
                end = m.end()
                while end > m.start() and text[end - 1].isspace():
                    end -= 1
                hits.append(DateHit(iso, m.start(), end))
                taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _parse_reference(reference: str | None) -> tuple[datetime, bool] | None:
    if not reference:
        return None
    hits = find_dates(reference)
    if not hits:
        return None
    iso = hits[0].iso
    has_time = "T" in iso
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt, has_time


def _relative(text: str, reference: str | None) -> str | None:
    m = _RELATIVE.search(text)
    if not m:
        return None
    ref = _parse_reference(reference)
    if ref is None:
        return None
    dt, has_time = ref
    if m.group("word"):
        w = m.group("word").lower()
        if w == "yesterday":
            return (dt - timedelta(days=1)).date().isoformat()
        if w == "today":
            return dt.date().isoformat()
        return _fmt(dt, has_time)                # just now / moments ago
    n = m.group("n").lower()
    if len(n) > 9:                               # no real count; int() refuses 4,300+ digits
        return None
    n = _NUMBER_WORDS.get(n) or int(n)
    unit = m.group("unit").lower().rstrip("s")
    unit = {"h": "hour", "hr": "hour", "hou": "hour"}.get(unit, unit)
    minutes = n * next(v for k, v in _REL_UNITS.items() if unit.startswith(k))
    if not has_time and minutes < 1440:          # "an hour ago" against a date: that date
        return dt.date().isoformat()
    try:
        when = dt - timedelta(minutes=minutes)
    except OverflowError:                        # "99999999 weeks ago": before year 1, no date
        return None
    if minutes >= 1440 or not has_time:          # day precision
        return when.date().isoformat()
    return _fmt(when, True)


def _fmt(dt: datetime, has_time: bool) -> str:
    if not has_time:
        return dt.date().isoformat()
    s = dt.replace(microsecond=0).isoformat()
    return s.replace("+00:00", "Z")


def parse_date(text: str | None, reference: str | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601 ("2017-12-28" or "2017-12-28T14:07:00",
    with "Z"/offset only when the text gives a zone).  Relative forms ("5 hours ago",
    "yesterday") resolve only against ``reference`` (an ISO date or any parseable
    date); without one they give None.  Ambiguous numeric dates (03/04/2017) give None."""
    if not text:
        return None
    text = text[:2000]
    hits = find_dates(text)
    if hits:
        return hits[0].iso
    return _relative(text, reference)


# -- date lines -----------------------------------------------------------------

_NOISE_WORDS = (r"(?:last\s+|first\s+)?(?:updated?|published|posted|modified|created|released|dated?|time)|"
                r"on|at|by|and|edt|est|cdt|cst|pdt|pst|utc|gmt|bst|cet|et|pt|ct|am|pm|a\.m|p\.m|"
                r"\d+\s*(?:min(?:ute)?s?|hours?)(?:\s+(?:read|ago))?|read|ago|mins?|today|yesterday|just\s+now")
_LINE_NOISE = re.compile(r"(?i)\b(?:" + _NOISE_WORDS + r")\b|" + _WEEKDAY + r"|[\W\d_]+")
_UPDATED = re.compile(r"(?i)\b(?:last\s+)?(?:updated?|modified)\b")


_LABEL = re.compile(r"(?i)\b(?:published|posted|updated?|modified|date)\b")
_SEGMENT = re.compile(r"\s*(?:[|/•·—–]|\s-\s|\b[Bb]y\b|\bBY\b)\s*")


def _attribution_only(rest: str) -> bool:
    """Every piece of what surrounds the date is a name, an outlet or nothing:
    "Chris Davies - ", "By Jane Doe", "Reuters", "Associated Press"."""
    from wiretrace.registry import by_name
    from .meta_names import looks_like_person
    for seg in _SEGMENT.split(rest):
        words = _LINE_NOISE.sub(" ", seg).split()
        if len(words) <= 1:
            continue
        clean = " ".join(words)
        if not (looks_like_person(clean, min_tokens=1) or by_name(clean)):
            return False
    return True


def date_in_line(line: str, reference: str | None = None) -> tuple[str, bool] | None:
    """(ISO date, is_update) when ``line`` is a date line: a short line that is
    mostly a date, maybe with a "Published"/"Updated" label, a weekday, a time
    zone, a reading time, or a byline/outlet name around it ("Jane Doe - Nov 19,
    2019, 10:31 pm CST").  Sentences that mention a date are not date lines,
    nor are embedded-tweet signatures ("— Name (@handle) November 18, 2019")."""
    s = line.strip()
    if not s or len(s) > 160 or "(@" in s:
        return None
    hits = find_dates(s)
    if hits:
        iso = hits[0].iso
        rest, last = [], 0
        for h in hits:
            rest.append(s[last:h.start])
            last = h.end
        rest = " | ".join(rest + [s[last:]])
    else:
        m = _RELATIVE.search(s)
        if not m:
            return None
        iso = _relative(s, reference)
        if iso is None:
            return None
        rest = s[:m.start()] + " | " + s[m.end():]
    leftover = _LINE_NOISE.sub(" ", rest).split()
    first = hits[0].start if hits else m.start()
    labels = re.findall(r"(?i)\b(published|posted|updated?|modified)\b", s[:first])
    if labels:
        is_update = labels[-1].lower().startswith(("update", "modif"))
    else:
        is_update = bool(_UPDATED.search(s)) and not re.search(r"(?i)\b(?:published|posted)\b", s)
    if len(leftover) <= 1:
        return iso, is_update
    if re.search(r"[.!?]$", s) and not re.search(r"(?i)\b[ap]\.m\.$", s) and len(s.split()) >= 6:
        return None                               # a sentence
    if len(leftover) <= 6 and (_attribution_only(rest) or _LABEL.search(s)):
        return iso, is_update
    return None
