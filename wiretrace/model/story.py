"""Stories (one event) with how their origin was chosen, and storylines (a thread of events)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .record import Record


@dataclass
class StoryEvidence(Record):
    """How the story's origin was found (``stories/origin.py``): ``origin_by``
    (derivations | only-article | earliest | None) and what backs it; the keys
    that do not apply are None and absent from ``to_dict``."""
    OPTIONAL = frozenset({"out_edges", "derivations_in_story", "dated_articles", "order_open"})
    origin_by: str | None = None
    out_edges: int | None = None            # derivations: the origin's derivations out
    derivations_in_story: int | None = None
    dated_articles: int | None = None       # earliest: how many articles had a date
    order_open: list[str] | None = None     # earliest: the two first were equal at their coarser precision
    extra: dict = field(default_factory=dict)


@dataclass
class Story:
    id: str
    articles: list[str]
    storyline: str | None = None
    title: str | None = None
    origin: str | None = None
    first_seen: str | None = None
    evidence: StoryEvidence | None = None    # None: written as {}

    def to_dict(self) -> dict:
        return {"id": self.id, "storyline": self.storyline, "title": self.title,
                "articles": list(self.articles), "origin": self.origin,
                "first_seen": self.first_seen,
                "evidence": self.evidence.to_dict() if self.evidence is not None else {}}

    @classmethod
    def from_dict(cls, d: dict) -> "Story":
        ev = d.get("evidence")
        return cls(d["id"], list(d["articles"]), d.get("storyline"), d.get("title"), d.get("origin"),
                   d.get("first_seen"), StoryEvidence.from_dict(ev) if ev else None)


@dataclass
class Storyline(Record):
    """A thread of stories over time (``stories/storylines.py``)."""
    id: str
    title: str | None
    stories: list[str]
    terms: list[str]                 # the names most of its stories share
    first_seen: str | None
    last_seen: str | None
