"""One article: as read (``RawDoc``), and as analysed (``Article``) with what the
per-document stage reads off it (quotes, dateline, credits, cited sources, where
its outlet came from) and the signals the corpus stages give it.

The per-document results are stored as JSON with sorted keys (``pipeline``), so
the metadata objects (``Dateline``, ``Credit``, ``CitedSource``, ``OutletSource``)
give their keys in that (alphabetical) order: the order ``analysis.json`` has
always had.
"""
from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .record import Record, from_optional
from .signals import Signals


class Spans(Sequence):
    """An article's sentence spans, ``(start, end)`` pairs, kept in one array.

    Read as a list of tuples (index, slice, iterate, compare with a list).  A list
    of tuples costs ~125 bytes a sentence (2.3 KB an article on the realistic
    corpus, 18% of what an article held); this ~8, and a forked worker that reads
    them touches one object, not one per sentence (``bench/README``, memory)."""
    __slots__ = ("_a",)

    def __init__(self, pairs=()):
        a = array("q")
        for s, e in pairs:
            a.append(s)
            a.append(e)
        self._a = a

    def __len__(self) -> int:
        return len(self._a) // 2

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("sentence index out of range")
        return self._a[2 * i], self._a[2 * i + 1]

    def __iter__(self):
        it = iter(self._a)
        return zip(it, it)

    def __eq__(self, other) -> bool:
        if isinstance(other, Spans):
            return self._a == other._a
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(tuple(x) == y for x, y in zip(other, self))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"

    def __reduce__(self):
        return Spans, (list(self),)


@dataclass
class Problem:
    """An input that could not be read, or a stage that failed on one article,
    pair or story: reported, never fatal.  ``stage`` is None for reading."""
    path: str
    line: int | None
    reason: str
    stage: str | None = None          # the stage that failed (None: reading)
    article: str | None = None        # the article it failed on, once it has an id
    error: str | None = None          # the exception's type name
    traceback: str | None = None      # with --debug only

    def to_dict(self) -> dict:
        d = {"path": self.path, "line": self.line, "reason": self.reason}
        for k in ("stage", "article", "error", "traceback"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Problem":
        return cls(d.get("path", ""), d.get("line"), d.get("reason", ""), d.get("stage"), d.get("article"),
                   d.get("error"), d.get("traceback"))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class RawDoc:
    """One article as a reader found it, before cleaning."""
    id: str
    text: str | None = None          # plain text (scraped or clean)
    html: str | None = None          # page HTML
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    fields: dict[str, Any] = field(default_factory=dict)   # unknown input fields, untouched
    origin: str = ""                 # "path" or "path:line" it came from
    kind: str = "text"               # text | html | jsonl | warc


@dataclass(slots=True)
class Quote(Record):
    text: str
    start: int
    end: int
    speaker: str | None = None
    cue: str | None = None


@dataclass(slots=True)
class Dateline(Record):
    """``WASHINGTON (Reuters) -``: the place, the agency (its registry name) as
    written, and the span of the whole dateline in the text."""
    SORTED = True
    place: str
    agency: str | None
    agency_as_written: str | None
    start: int
    end: int


@dataclass(slots=True)
class Credit(Record):
    """A credit line's role ("reporting", "editing", ...) and the names it gives."""
    SORTED = True
    role: str
    names: list[str]


@dataclass(slots=True)
class CitedSource(Record):
    """An outlet the text cites ("according to AFP"): its name, the cue as written and its span."""
    SORTED = True
    name: str
    cue: str
    start: int
    end: int


@dataclass(slots=True)
class OutletSource:
    """Where ``Article.outlet`` came from: ``how`` (given | url | sitename |
    dateline), whether it is ``inferred``, what it was read ``from`` (absent for
    a given outlet), and for a dateline its span."""
    how: str
    inferred: bool
    source: str | None = None        # the contract's "from"
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        d: dict = {}
        if self.end is not None or self.how == "dateline":
            d["end"] = self.end
        if self.source is not None:
            d["from"] = self.source
        d["how"] = self.how
        d["inferred"] = self.inferred
        if "end" in d:
            d["start"] = self.start
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "OutletSource":
        return cls(d["how"], bool(d["inferred"]), d.get("from"), d.get("start"), d.get("end"))


@dataclass(slots=True)
class Article:
    id: str
    text: str = ""
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    credits: list[Credit] = field(default_factory=list)
    cited_sources: list[CitedSource] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    story: str | None = None
    storyline: str | None = None
    signals: Signals = field(default_factory=Signals)
    # extensions
    aliases: list[str] = field(default_factory=list)     # other ids with the same content
    content_hash: str = ""
    origin: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # unknown input fields, passed through
    outlet_source: OutletSource | None = None              # where the outlet came from
    language: str | None = None      # ISO 639-1 code, null when unknown (wiretrace/language.py)

    def __post_init__(self):
        if not isinstance(self.sentences, Spans):       # kept compact: every article of a run is held
            self.sentences = Spans(self.sentences)

    def to_dict(self) -> dict:
        d = {
            "id": self.id, "outlet": self.outlet, "title": self.title,
            "published": self.published, "url": self.url, "authors": list(self.authors),
            "dateline": self.dateline.to_dict() if self.dateline is not None else None,
            "credits": [c.to_dict() for c in self.credits],
            "cited_sources": [c.to_dict() for c in self.cited_sources], "text": self.text,
            "removed": list(self.removed),
            "sentences": [list(s) for s in self.sentences],
            "quotes": [q.to_dict() for q in self.quotes],
            "story": self.story, "storyline": self.storyline, "signals": self.signals.to_dict(),
            "aliases": list(self.aliases), "content_hash": self.content_hash,
            "source_file": self.origin,
            "outlet_source": self.outlet_source.to_dict() if self.outlet_source is not None else None,
            "language": self.language,
        }
        # Unknown input fields pass through untouched; never over a contract key.
        clashes = {}
        for k, v in self.fields.items():
            if k in d:
                clashes[k] = v
            else:
                d[k] = v
        if clashes:
            d["input_fields"] = clashes
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Article":
        """The article of an ``analysis.json`` entry (``to_dict`` gives it back)."""
        known = set(_ARTICLE_KEYS)
        fields = {k: v for k, v in d.items() if k not in known}
        fields.update(fields.pop("input_fields", {}) or {})
        return cls(
            id=d["id"], text=d.get("text", ""), outlet=d.get("outlet"), title=d.get("title"),
            published=d.get("published"), url=d.get("url"), authors=list(d.get("authors") or []),
            dateline=from_optional(Dateline, d.get("dateline")),
            credits=[Credit.from_dict(c) for c in d.get("credits") or []],
            cited_sources=[CitedSource.from_dict(c) for c in d.get("cited_sources") or []],
            removed=list(d.get("removed") or []), sentences=[tuple(s) for s in d.get("sentences") or []],
            quotes=[Quote.from_dict(q) for q in d.get("quotes") or []],
            story=d.get("story"), storyline=d.get("storyline"),
            signals=Signals.from_dict(d["signals"]) if d.get("signals") is not None else Signals(),
            aliases=list(d.get("aliases") or []), content_hash=d.get("content_hash", ""),
            origin=d.get("source_file", ""), fields=fields,
            outlet_source=from_optional(OutletSource, d.get("outlet_source")), language=d.get("language"))


_ARTICLE_KEYS = ("id", "outlet", "title", "published", "url", "authors", "dateline", "credits", "cited_sources",
                 "text", "removed", "sentences", "quotes", "story", "storyline", "signals", "aliases",
                 "content_hash", "source_file", "outlet_source", "language")
