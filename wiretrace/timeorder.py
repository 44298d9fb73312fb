"""Publication times as precise as they are written.

A date without a time is a day, not midnight; "2000-03" is a month.  Two
times are compared at the coarser of their precisions: a day against a
timestamp compares calendar days (each as written, in its own zone), two
timestamps compare in UTC (zones normalised; a time without a zone is read as
UTC) to the coarser of minute and second.  When they are equal at that
precision the order is open (``compare`` returns 0) and something else (the
text) must decide: a same-day date and timestamp say nothing about which came
first.

    compare("2000-03-01", "2000-03-01T11:29")   ->  0  (open)
    compare("2000-03-01T11:29", "2000-03-02")   -> -1  (the first is earlier)
    compare("2000-03-01T23:30-05:00", "2000-03-02T04:00Z") -> -1
    compare(None, "2000-03-01")                 -> None (unknown)

``sort_key`` gives a total order for listing (timelines, storylines): by the
start of each value's interval in UTC, the more precise first on ties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

# precisions, coarse to fine
YEAR, MONTH, DAY, MINUTE, SECOND = 0, 1, 2, 3, 4

_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?\s*$")
_HAS_TIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2})?")


@dataclass(frozen=True)
class When:
    """One publication time: its calendar date as written, its precision and,
    for a timestamp, the instant in UTC."""
    day: date                       # the date as written (first day of a month/year)
    precision: int
    utc: datetime | None = None     # timestamps only

    @property
    def start(self) -> float:
        """Start of the interval, seconds since the epoch (a date: its day in UTC)."""
        if self.utc is not None:
            return self.utc.timestamp()
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=timezone.utc).timestamp()


def parse(s: str | None) -> When | None:
    """An ISO 8601 date or timestamp (``Z`` or an offset allowed) -> ``When``; None
    when empty or unreadable."""
    if not s or not isinstance(s, str):
        return None
    s = s.strip()
    m = _PARTIAL.match(s)
    if m:
        y, mo = int(m.group(1)), m.group(2)
        try:
            return When(date(y, int(mo) if mo else 1, 1), MONTH if mo else YEAR)
        except ValueError:
            return None
    if not _HAS_TIME.match(s):
        try:
            return When(date.fromisoformat(s[:10]), DAY)
        except ValueError:
            return None
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            return When(date.fromisoformat(s[:10]), DAY)
        except ValueError:
            return None
    body = re.split(r"[T ]", s, maxsplit=1)[1]
    body = re.split(r"[Zz+-]", body, maxsplit=1)[0]
    prec = SECOND if body.count(":") >= 2 else MINUTE
    utc = (d if d.tzinfo else d.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return When(d.date(), prec, utc)


def _truncate(w: When, precision: int):
    if precision == YEAR:
        return (w.day.year,)
    if precision == MONTH:
        return (w.day.year, w.day.month)
    if precision == DAY:
        return (w.day.year, w.day.month, w.day.day)
    t = w.utc
    if precision == MINUTE:
        return (t.year, t.month, t.day, t.hour, t.minute)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def compare_when(a: When | None, b: When | None) -> int | None:
    """-1 when ``a`` is earlier, 1 when later, 0 when the order is open (equal at
    the coarser precision), None when either is unknown."""
    if a is None or b is None:
        return None
    p = min(a.precision, b.precision)
    if p >= MINUTE:
        # both timestamps: compare instants in UTC, truncated to the coarser precision
        step = 60 if p == MINUTE else 1
        ka, kb = int(a.utc.timestamp()) // step, int(b.utc.timestamp()) // step
    else:
        ka, kb = _truncate(a, p), _truncate(b, p)
    return (ka > kb) - (ka < kb)


def compare(a: str | None, b: str | None) -> int | None:
    """``compare_when`` on two ISO strings."""
    return compare_when(parse(a), parse(b))


def earlier(a: str | None, b: str | None) -> bool:
    """``a`` is known to be earlier than ``b``."""
    return compare(a, b) == -1


def day_of(s: str | None) -> date | None:
    """The calendar day of ``s`` as written (in its own zone); None when it is not
    known to the day (unreadable, a month, a year)."""
    w = parse(s)
    return w.day if w is not None and w.precision >= DAY else None


def sort_key(s: str | None) -> tuple:
    """A total order for listing: undated last; by interval start in UTC; on a tie
    the more precise value first."""
    w = parse(s)
    if w is None:
        return (1, 0.0, 0)
    return (0, w.start, -w.precision)


def days(s: str | None) -> float | None:
    """The start of the value's interval in days since the epoch (UTC), or None."""
    w = parse(s)
    return None if w is None else w.start / 86400.0


__all__ = ["When", "parse", "compare", "compare_when", "earlier", "day_of", "sort_key", "days",
           "YEAR", "MONTH", "DAY", "MINUTE", "SECOND"]
