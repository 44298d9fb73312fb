"""Quotes across articles (``framing/quote_groups.py``) and each article against
its story (``framing/compare.py``): additions, omissions, term choices, actor changes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuoteMember:
    """One article's copy of a grouped quote (``quote``: its index in the article's quotes)."""
    article: str
    quote: int
    variant: str                     # verbatim | altered (against the group's canonical text)
    changes: list[str]               # "deconflict -> de-conflict", "truncated", ...
    speaker: str | None

    def to_dict(self) -> dict:
        return {"article": self.article, "quote": self.quote, "variant": self.variant,
                "changes": list(self.changes), "speaker": self.speaker}

    @classmethod
    def from_dict(cls, d: dict) -> "QuoteMember":
        return cls(d["article"], d["quote"], d["variant"], list(d.get("changes") or []), d.get("speaker"))


@dataclass
class QuoteGroup:
    id: str
    speaker: str | None              # the most common named speaker
    text: str                        # the canonical (earliest) member's words
    members: list[QuoteMember]
    reattributed: bool               # two members name different people
    speakers: list[str]              # every speaker named, first seen first

    def to_dict(self) -> dict:
        return {"id": self.id, "speaker": self.speaker, "text": self.text,
                "members": [m.to_dict() for m in self.members], "reattributed": self.reattributed,
                "speakers": list(self.speakers)}

    @classmethod
    def from_dict(cls, d: dict) -> "QuoteGroup":
        return cls(d["id"], d.get("speaker"), d.get("text", ""), [QuoteMember.from_dict(m) for m in d["members"]],
                   bool(d.get("reattributed")), list(d.get("speakers") or []))


@dataclass
class Omission:
    """A span of the story's origin (``article``) this article left out."""
    article: str
    start: int
    end: int
    text: str                        # a snippet (300 characters at most)

    def to_dict(self) -> dict:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> "Omission":
        return cls(d["article"], d["start"], d["end"], d.get("text", ""))


@dataclass
class TermChoice:
    """How often the article names ``concept`` with ``term``; ``loaded`` and
    ``learned`` are written only when true."""
    concept: str
    term: str
    count: int
    loaded: bool = False             # a loaded term of the lexicon
    learned: bool = False            # the concept was learned from this story's rewordings

    def to_dict(self) -> dict:
        d: dict = {"concept": self.concept, "term": self.term, "count": self.count}
        if self.loaded:
            d["loaded"] = True
        if self.learned:
            d["learned"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TermChoice":
        return cls(d["concept"], d["term"], d["count"], bool(d.get("loaded")), bool(d.get("learned")))


@dataclass
class ActorChange:
    """An aligned sentence pair whose agent differs (``framing/actors.py``)."""
    source_actor: str
    target_actor: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    source_article: str | None = None    # set by the framing stage; None: absent

    def to_dict(self) -> dict:
        d: dict = {"source_actor": self.source_actor, "target_actor": self.target_actor,
                   "source_start": self.source_start, "source_end": self.source_end,
                   "target_start": self.target_start, "target_end": self.target_end}
        if self.source_article is not None:
            d["source_article"] = self.source_article
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ActorChange":
        return cls(d["source_actor"], d["target_actor"], d["source_start"], d["source_end"], d["target_start"],
                   d["target_end"], d.get("source_article"))


@dataclass
class FramingEntry:
    """One article against its story."""
    story: str
    article: str
    added: list[list[int]]           # spans no other article of the story carries
    omitted: list[Omission]
    terms: list[TermChoice]
    actor_changes: list[ActorChange]
    added_text: list[str]            # a snippet per ``added`` span
    origin: str                      # the story's origin the article was compared with

    def to_dict(self) -> dict:
        return {"story": self.story, "article": self.article, "added": [list(s) for s in self.added],
                "omitted": [o.to_dict() for o in self.omitted], "terms": [t.to_dict() for t in self.terms],
                "actor_changes": [c.to_dict() for c in self.actor_changes], "added_text": list(self.added_text),
                "origin": self.origin}

    @classmethod
    def from_dict(cls, d: dict) -> "FramingEntry":
        return cls(d["story"], d["article"], [list(s) for s in d.get("added") or []],
                   [Omission.from_dict(o) for o in d.get("omitted") or []],
                   [TermChoice.from_dict(t) for t in d.get("terms") or []],
                   [ActorChange.from_dict(c) for c in d.get("actor_changes") or []],
                   list(d.get("added_text") or []), d.get("origin"))
