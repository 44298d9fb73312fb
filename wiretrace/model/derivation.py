"""Who copied whom: derivations with their passages and the evidence of their
direction (``trace/``), and the relations read off them (``trace/relations.py``):
siblings and wire lineages."""
from __future__ import annotations

from dataclasses import dataclass, field

from .record import Record


@dataclass
class Passage(Record):
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    kind: str = "verbatim"           # verbatim | rewritten


@dataclass
class SharedSibling(Record):
    """Another article that shares text with the target only through this source."""
    article: str
    shared_in_source: float


@dataclass
class Evidence(Record):
    """Why the source is the source (docs/CONTRACT.md, "Why a source is the source").

    The core is always there; ``direction_votes``, ``credit_cue`` and ``siblings``
    only when they say something (None: absent); ``extra`` holds any other key
    (the contract lets evidence grow), written after the core."""
    NESTED = {"siblings": SharedSibling, "set_aside": SharedSibling}
    OPTIONAL = frozenset({"direction_votes", "credit_cue", "siblings", "own_copy", "set_aside",
                          "joint_with_set_aside", "carried", "kept_clauses", "with_versions"})
    direction: str | None            # the signal that decided (published | credit | wire | ...)
    source_cover: float              # share of the source's text found in the target
    sentences: int                   # aligned units
    nonquote_tokens: int
    direction_votes: dict | None = None     # signal -> +1 / -1 / a cue / "open"
    credit_cue: str | None = None
    siblings: list[SharedSibling] | None = None
    # the source is the target's own outlet's text of another day: {"outlet", "source_day",
    # "target_day"}; such a pair is listed under ``own_reuse``, not as a derivation
    own_copy: dict | None = None
    # other outlets' same-day (or undated) text the target follows, not taken as its
    # source because this agency copy explains the target on its own (trace/derive.py
    # ``_agency_first``): {"article", "shared_in_source"}
    set_aside: list[SharedSibling] | None = None
    # True: this agency copy explains too little of the target to be its source on
    # its own; it is, jointly with the same-day rewrites set aside (some of the text
    # the target shares with them is this copy's): ``_agency_first``'s weak case
    joint_with_set_aside: bool | None = None
    # both articles say their text is one agency's copy (its wire byline), and
    # neither is that agency's own: {"agency", "source_cue", "target_cue"}; the pair is
    # listed as siblings through the agency's copy (absent from the corpus), not as a
    # derivation (``trace.direction.carried_pair``)
    carried: dict | None = None
    # the pair is a copy on clauses of an agency copy kept word for word in sentences
    # the target rewrote (no sentence of it is the source's, whole): their tokens
    # (``trace.derive.RUN_TOTAL``)
    kept_clauses: int | None = None
    # this agency copy is one version (take, update) of a wire story the target drew
    # on: no version explains enough of the target on its own, the versions together
    # do; the other versions of that lineage among the target's sources (their ids)
    # (``trace.derive._joint_versions``)
    with_versions: list[str] | None = None
    extra: dict = field(default_factory=dict)


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
                   [Passage.from_dict(p) for p in d.get("passages", [])], Evidence.from_dict(ev) if ev else None)


def is_own_reuse(d: Derivation) -> bool:
    """``d`` is an outlet's reuse of its own text of another day (``Evidence.own_copy``)."""
    return d.evidence is not None and d.evidence.own_copy is not None


def is_carried(d: Derivation) -> bool:
    """``d`` joins two carriers of one agency's copy (``Evidence.carried``)."""
    return d.evidence is not None and d.evidence.carried is not None


def is_apart(d: Derivation) -> bool:
    """``d`` is derivation-shaped but no derivation: own reuse, or two carriers of one agency's copy."""
    return is_own_reuse(d) or is_carried(d)


def split_own_reuse(ders: list[Derivation]) -> tuple[list[Derivation], list[Derivation]]:
    """(derivations, kept apart) of what the derivation step found, each in the given
    order; kept apart (``is_apart``): an outlet's own text of another day, listed
    under ``own_reuse``, and two carriers of one agency's copy, listed as siblings."""
    kept: list[Derivation] = []
    own: list[Derivation] = []
    for d in ders:
        (own if is_apart(d) else kept).append(d)
    return kept, own


@dataclass
class Sibling(Record):
    """Two articles (``a`` < ``b``) that share text mostly through a common ``source``.
    When both carry one agency's copy that is not in the corpus (their wire bylines
    say so), ``source`` and ``shared_in_source`` are None, ``agency`` names
    the agency and ``share`` is the share of one's text found in the other (the
    pair's derivation share)."""
    OPTIONAL = frozenset({"agency", "share"})
    a: str
    b: str
    source: str | None
    shared_in_source: float | None
    agency: str | None = None
    share: float | None = None


@dataclass
class WireLineage(Record):
    """The versions of one agency story, earliest first; ``parents``: version -> the one before it."""
    id: str
    agency: str | None
    versions: list[str]
    parents: dict[str, str]
