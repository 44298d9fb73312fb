"""Stories (one event) with how their origin was chosen, and storylines (a thread of events)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StoryEvidence:
    """How the story's origin was found (``stories/origin.py``): ``origin_by``
    (derivations | only-article | earliest | None) and what backs it; the keys
    that do not apply are None and absent from ``to_dict``."""
    origin_by: str | None = None
    out_edges: int | None = None            # derivations: the origin's derivations out
    derivations_in_story: int | None = None
    dated_articles: int | None = None       # earliest: how many articles had a date
    order_open: list[str] | None = None     # earliest: the two first were equal at their coarser precision
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d: dict = {"origin_by": self.origin_by}
        for k in ("out_edges", "derivations_in_story", "dated_articles", "order_open"):
            v = getattr(self, k)
            if v is not None:
                d[k] = list(v) if isinstance(v, list) else v
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "StoryEvidence":
        oo = d.get("order_open")
        return cls(d.get("origin_by"), d.get("out_edges"), d.get("derivations_in_story"), d.get("dated_articles"),
                   list(oo) if oo is not None else None, {k: v for k, v in d.items() if k not in _KEYS})


_KEYS = frozenset(("origin_by", "out_edges", "derivations_in_story", "dated_articles", "order_open"))


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
class Storyline:
    """A thread of stories over time (``stories/storylines.py``)."""
    id: str
    title: str | None
    stories: list[str]
    terms: list[str]                 # the names most of its stories share
    first_seen: str | None
    last_seen: str | None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "stories": list(self.stories), "terms": list(self.terms),
                "first_seen": self.first_seen, "last_seen": self.last_seen}

    @classmethod
    def from_dict(cls, d: dict) -> "Storyline":
        return cls(d["id"], d.get("title"), list(d["stories"]), list(d.get("terms") or []), d.get("first_seen"),
                   d.get("last_seen"))
