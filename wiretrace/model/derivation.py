"""Who copied whom: derivations with their passages and the evidence of their
direction (``trace/``), and the relations read off them (``trace/relations.py``):
siblings and wire lineages."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
class SharedSibling:
    """Another article that shares text with the target only through this source."""
    article: str
    shared_in_source: float

    def to_dict(self) -> dict:
        return {"article": self.article, "shared_in_source": self.shared_in_source}

    @classmethod
    def from_dict(cls, d: dict) -> "SharedSibling":
        return cls(d["article"], d.get("shared_in_source"))


@dataclass
class Evidence:
    """Why the source is the source (docs/CONTRACT.md, "Why a source is the source").

    The core is always there; ``direction_votes``, ``credit_cue`` and ``siblings``
    only when they say something (None: absent); ``extra`` holds any other key
    (the contract lets evidence grow), written after the core."""
    direction: str | None            # the signal that decided (published | credit | wire | ...)
    source_cover: float              # share of the source's text found in the target
    sentences: int                   # aligned units
    nonquote_tokens: int
    direction_votes: dict | None = None     # signal -> +1 / -1 / a cue / "open"
    credit_cue: str | None = None
    siblings: list[SharedSibling] | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d: dict = {"direction": self.direction, "source_cover": self.source_cover, "sentences": self.sentences,
                   "nonquote_tokens": self.nonquote_tokens}
        if self.direction_votes is not None:
            d["direction_votes"] = dict(self.direction_votes)
        if self.credit_cue is not None:
            d["credit_cue"] = self.credit_cue
        if self.siblings is not None:
            d["siblings"] = [s.to_dict() for s in self.siblings]
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Evidence":
        sibs = d.get("siblings")
        return cls(d.get("direction"), d.get("source_cover", 0.0), d.get("sentences", 0), d.get("nonquote_tokens", 0),
                   d.get("direction_votes"), d.get("credit_cue"),
                   [SharedSibling.from_dict(s) for s in sibs] if sibs is not None else None,
                   {k: v for k, v in d.items() if k not in _EVIDENCE_KEYS})


_EVIDENCE_KEYS = frozenset(("direction", "source_cover", "sentences", "nonquote_tokens", "direction_votes",
                            "credit_cue", "siblings"))


@dataclass
class Derivation:
    source: str
    target: str
    kind: str                        # wholly | partially
    credited: bool
    share: float
    passages: list[Passage] = field(default_factory=list)
    evidence: Evidence | None = None   # None: written as {} (a derivation made by hand or by a test)

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "credited": self.credited, "share": round(self.share, 4),
                "passages": [p.to_dict() for p in self.passages],
                "evidence": self.evidence.to_dict() if self.evidence is not None else {}}

    @classmethod
    def from_dict(cls, d: dict) -> "Derivation":
        ev = d.get("evidence")
        return cls(d["source"], d["target"], d["kind"], bool(d["credited"]), float(d["share"]),
                   [Passage(**p) for p in d.get("passages", [])], Evidence.from_dict(ev) if ev else None)


@dataclass
class Sibling:
    """Two articles (``a`` < ``b``) that share text mostly through a common ``source``."""
    a: str
    b: str
    source: str
    shared_in_source: float

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "source": self.source, "shared_in_source": self.shared_in_source}

    @classmethod
    def from_dict(cls, d: dict) -> "Sibling":
        return cls(d["a"], d["b"], d["source"], d.get("shared_in_source"))


@dataclass
class WireLineage:
    """The versions of one agency story, earliest first; ``parents``: version -> the one before it."""
    id: str
    agency: str | None
    versions: list[str]
    parents: dict[str, str]

    def to_dict(self) -> dict:
        return {"id": self.id, "agency": self.agency, "versions": list(self.versions), "parents": dict(self.parents)}

    @classmethod
    def from_dict(cls, d: dict) -> "WireLineage":
        return cls(d["id"], d.get("agency"), list(d["versions"]), dict(d["parents"]))
