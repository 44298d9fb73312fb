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

import heapq
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


def listing_key(s: str | None) -> tuple:
    """Where to list a value among others: undated last; a timestamp at its
    instant (UTC); a date, a month or a year at the end of its interval, after
    the timestamps inside it: a day is not its midnight, and a day's articles
    are not shown ahead of the timed ones they may have come from."""
    w = parse(s)
    if w is None:
        return (1, 0.0, 0)
    if w.utc is not None:
        return (0, w.utc.timestamp(), 0)
    d = w.day
    if w.precision == DAY:
        end = date.fromordinal(d.toordinal() + 1)
    elif w.precision == MONTH:
        end = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    else:
        end = date(d.year + 1, 1, 1)
    # half a second before the next interval starts: after its last second, before the next day's first
    return (0, datetime(end.year, end.month, end.day, tzinfo=timezone.utc).timestamp() - 0.5, 3 - w.precision)


def topo_order(nodes: list, edges, key) -> list:
    """``nodes`` with each edge's (a, b) ``a`` before ``b``, else by ``key``
    (smallest first).  A cycle is broken at its smallest key."""
    indeg = {n: 0 for n in nodes}
    nxt: dict = {n: [] for n in nodes}
    for a, b in edges:
        if a in indeg and b in indeg and a != b:
            indeg[b] += 1
            nxt[a].append(b)
    keys = {n: key(n) for n in nodes}
    ready = [(keys[n], k, n) for k, n in enumerate(nodes) if indeg[n] == 0]
    heapq.heapify(ready)
    pos = {n: k for k, n in enumerate(nodes)}
    waiting = sorted((keys[n], pos[n], n) for n in nodes if indeg[n] > 0)
    out: list = []
    done: set = set()
    w = 0
    while len(out) < len(nodes):
        if not ready:                        # a cycle: release its earliest member
            while waiting[w][2] in done:
                w += 1
            heapq.heappush(ready, waiting[w])
            indeg[waiting[w][2]] = 0
        _, _, n = heapq.heappop(ready)
        if n in done:
            continue
        done.add(n)
        out.append(n)
        for b in nxt[n]:
            if b not in done:
                indeg[b] -= 1
                if indeg[b] == 0:
                    heapq.heappush(ready, (keys[b], pos[b], b))
    return out


def listing(items: list[tuple[str, str | None]], before=()) -> list[str]:
    """The ids of ``items`` ((id, published) each) in the order to list them
    (timelines): by time where the times tell (``listing_key``); where they leave
    two open (the same day, or a date unknown) an edge (a, b) of ``before`` (a
    derivation's source and target) puts ``a`` first.  An undated text is listed
    last, unless it is the source of a dated one: then just before the earliest
    text it is (through undated texts) the source of."""
    pub = dict(items)
    edges = [(a, b) for a, b in before if a in pub and b in pub and a != b
             and compare(pub[a], pub[b]) in (0, None)]
    key = {i: (listing_key(p), i) for i, p in items}
    nxt: dict = {}
    for a, b in edges:
        if parse(pub[a]) is None:
            nxt.setdefault(a, []).append(b)
    # an undated source takes the key of its earliest target (relaxed along chains of
    # undated sources; a chain is at most as long as the list)
    for _ in range(len(nxt)):
        moved = False
        for a, bs in nxt.items():
            k = min(key[b] for b in bs)
            if k < key[a]:
                key[a], moved = k, True
        if not moved:
            break
    return topo_order([i for i, _ in items], edges, key.__getitem__)


def days(s: str | None) -> float | None:
    """The start of the value's interval in days since the epoch (UTC), or None."""
    w = parse(s)
    return None if w is None else w.start / 86400.0


__all__ = ["When", "parse", "compare", "compare_when", "earlier", "day_of", "sort_key", "listing_key",
           "listing", "topo_order", "days",
           "YEAR", "MONTH", "DAY", "MINUTE", "SECOND"]
