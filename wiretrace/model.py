"""The corpus model: plain dataclasses that every stage reads and extends.

Offsets are Python string indices into ``Article.text`` (the cleaned body),
end exclusive, everywhere.  ``to_dict`` gives the shapes of the analysis
contract (spec/CONTRACT.md); extra keys are extensions, never replacements.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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


@dataclass
class Quote:
    text: str
    start: int
    end: int
    speaker: str | None = None
    cue: str | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end,
                "speaker": self.speaker, "cue": self.cue}


@dataclass
class Article:
    id: str
    text: str = ""
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: dict | None = None
    credits: list[dict] = field(default_factory=list)
    cited_sources: list[dict] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    story: str | None = None
    storyline: str | None = None
    signals: dict = field(default_factory=lambda: {"patchwork": 0.0, "orphan_references": []})
    # extensions
    aliases: list[str] = field(default_factory=list)     # other ids with the same content
    content_hash: str = ""
    origin: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # unknown input fields, passed through
    # where the outlet came from: {"how": given|url|sitename|dateline, "inferred", "from"}
    outlet_source: dict | None = None
    language: str | None = None      # ISO 639-1 code, null when unknown (wiretrace/language.py)

    def to_dict(self) -> dict:
        d = {
            "id": self.id, "outlet": self.outlet, "title": self.title,
            "published": self.published, "url": self.url, "authors": list(self.authors),
            "dateline": self.dateline, "credits": self.credits,
            "cited_sources": self.cited_sources, "text": self.text,
            "removed": list(self.removed),
            "sentences": [list(s) for s in self.sentences],
            "quotes": [q.to_dict() for q in self.quotes],
            "story": self.story, "storyline": self.storyline, "signals": self.signals,
            "aliases": list(self.aliases), "content_hash": self.content_hash,
            "source_file": self.origin, "outlet_source": self.outlet_source, "language": self.language,
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


@dataclass
class Passage:
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    kind: str = "verbatim"           # verbatim | rewritten

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Derivation:
    source: str
    target: str
    kind: str                        # wholly | partially
    credited: bool
    share: float
    passages: list[Passage] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "credited": self.credited, "share": round(self.share, 4),
                "passages": [p.to_dict() for p in self.passages],
                "evidence": self.evidence}


@dataclass
class Story:
    id: str
    articles: list[str]
    storyline: str | None = None
    title: str | None = None
    origin: str | None = None
    first_seen: str | None = None
    evidence: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"id": self.id, "storyline": self.storyline, "title": self.title,
                "articles": list(self.articles), "origin": self.origin,
                "first_seen": self.first_seen, "evidence": self.evidence}


@dataclass
class Analysis:
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    derivations: list[Derivation] = field(default_factory=list)
    quote_groups: list[dict] = field(default_factory=list)
    framing: list[dict] = field(default_factory=list)
    storylines: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # relations read off the derivations (``wiretrace.trace.relations``); None: computed on output
    siblings: list[dict] | None = None
    wire_lineages: list[dict] | None = None

    def article(self, aid: str) -> Article | None:
        for a in self.articles:
            if a.id == aid:
                return a
        return None

    def to_dict(self) -> dict:
        return {
            "schema": "wiretrace.analysis/1",
            "articles": [a.to_dict() for a in self.articles],
            "stories": [s.to_dict() for s in self.stories],
            "derivations": [d.to_dict() for d in self.derivations],
            "quote_groups": self.quote_groups,
            "framing": self.framing,
            "storylines": self.storylines,
            "problems": [p.to_dict() for p in self.problems],
            "siblings": self.siblings if self.siblings is not None else _relations().siblings(self.derivations),
            "wire_lineages": (self.wire_lineages if self.wire_lineages is not None
                              else _relations().wire_lineages(self.articles, self.derivations)),
        }


def _relations():
    from wiretrace.trace import relations      # the trace stage reads the model: imported late
    return relations


# -- rebuilding from the stored/contract form ---------------------------------

def quote_from_dict(d: dict) -> Quote:
    return Quote(d["text"], d["start"], d["end"], d.get("speaker"), d.get("cue"))


def derivation_from_dict(d: dict) -> Derivation:
    return Derivation(d["source"], d["target"], d["kind"], bool(d["credited"]), float(d["share"]),
                      [Passage(**p) for p in d.get("passages", [])], d.get("evidence", {}))


def story_from_dict(d: dict) -> Story:
    return Story(d["id"], list(d["articles"]), d.get("storyline"), d.get("title"), d.get("origin"),
                 d.get("first_seen"), d.get("evidence", {}))
