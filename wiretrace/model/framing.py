"""Quotes across articles (``framing/quote_groups.py``) and each article against
its story (``framing/compare.py``): additions, omissions, term choices, actor changes."""
from __future__ import annotations

from dataclasses import dataclass

from .record import Record


@dataclass
class QuoteMember(Record):
    """One article's copy of a grouped quote (``quote``: its index in the article's quotes)."""
    article: str
    quote: int
    variant: str                     # verbatim | altered (against the group's canonical text)
    changes: list[str]               # "deconflict -> de-conflict", "truncated", ...
    speaker: str | None


@dataclass
class QuoteGroup(Record):
    NESTED = {"members": QuoteMember}
    id: str
    speaker: str | None              # the most common named speaker
    text: str                        # the canonical (earliest) member's words
    members: list[QuoteMember]
    reattributed: bool               # two members name different people
    speakers: list[str]              # every speaker named, first seen first


@dataclass
class Omission(Record):
    """A span of the story's origin (``article``) this article left out."""
    article: str
    start: int
    end: int
    text: str                        # a snippet (300 characters at most)


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
        for flag in ("loaded", "learned"):
            if getattr(self, flag):
                d[flag] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TermChoice":
        return cls(d["concept"], d["term"], d["count"], bool(d.get("loaded")), bool(d.get("learned")))


@dataclass
class ActorChange(Record):
    """An aligned sentence pair whose agent differs (``framing/actors.py``)."""
    OPTIONAL = frozenset({"source_article"})
    source_actor: str
    target_actor: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    source_article: str | None = None    # set by the framing stage


@dataclass
class FramingEntry(Record):
    """One article against its story."""
    NESTED = {"omitted": Omission, "terms": TermChoice, "actor_changes": ActorChange}
    story: str
    article: str
    added: list[list[int]]           # spans no other article of the story carries
    omitted: list[Omission]
    terms: list[TermChoice]
    actor_changes: list[ActorChange]
    added_text: list[str]            # a snippet per ``added`` span
    origin: str                      # the story's origin the article was compared with
