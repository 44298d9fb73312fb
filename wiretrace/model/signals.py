"""An article's signals (``framing/signals.py``), each with its evidence.

An article the signals stage did not reach has only ``patchwork`` 0.0 and no
orphan references; a non-English one says why it was ``skipped``
(``language.py``).  Keys that are None are absent from ``to_dict``, so each of
those shapes is written as it always was.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OrphanReference:
    """A reference with no antecedent earlier in the article ("the diplomat")."""
    phrase: str
    start: int
    end: int
    kind: str
    reason: str

    def to_dict(self) -> dict:
        return {"phrase": self.phrase, "start": self.start, "end": self.end, "kind": self.kind,
                "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict) -> "OrphanReference":
        return cls(d["phrase"], d["start"], d["end"], d["kind"], d["reason"])


@dataclass
class StyleClash:
    """Two house styles in one text (``forms`` as written; ``concept`` for acronym variants)."""
    kind: str
    forms: list[str]
    concept: str | None = None

    def to_dict(self) -> dict:
        d: dict = {"kind": self.kind, "forms": list(self.forms)}
        if self.concept is not None:
            d["concept"] = self.concept
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "StyleClash":
        return cls(d["kind"], list(d["forms"]), d.get("concept"))


@dataclass
class SourceMix:
    """How many sources the article's copied text comes from, and how evenly."""
    count: int
    effective: float
    shares: dict[str, float]         # source article -> share of this article's text
    score: float

    def to_dict(self) -> dict:
        return {"count": self.count, "effective": self.effective, "shares": dict(self.shares), "score": self.score}

    @classmethod
    def from_dict(cls, d: dict) -> "SourceMix":
        return cls(d["count"], d["effective"], dict(d["shares"]), d["score"])


@dataclass
class TopicJumps:
    jumps: int
    pairs: int                       # adjacent sentence pairs looked at
    rate: float
    sentences: list[list[int]]       # spans of the sentences that jump (at most 10)

    def to_dict(self) -> dict:
        return {"jumps": self.jumps, "pairs": self.pairs, "rate": self.rate,
                "sentences": [list(s) for s in self.sentences]}

    @classmethod
    def from_dict(cls, d: dict) -> "TopicJumps":
        return cls(d["jumps"], d["pairs"], d["rate"], [list(s) for s in d["sentences"]])


@dataclass
class PatchworkEvidence:
    components: dict[str, float]     # each component's score
    weights: dict[str, float]        # its weight in ``patchwork``
    sources: SourceMix
    topic_jumps: TopicJumps
    style_clashes: list[StyleClash]
    single_sentence_paragraph_share: float

    def to_dict(self) -> dict:
        return {"components": dict(self.components), "weights": dict(self.weights),
                "sources": self.sources.to_dict(), "topic_jumps": self.topic_jumps.to_dict(),
                "style_clashes": [c.to_dict() for c in self.style_clashes],
                "single_sentence_paragraph_share": self.single_sentence_paragraph_share}

    @classmethod
    def from_dict(cls, d: dict) -> "PatchworkEvidence":
        return cls(dict(d["components"]), dict(d["weights"]), SourceMix.from_dict(d["sources"]),
                   TopicJumps.from_dict(d["topic_jumps"]), [StyleClash.from_dict(c) for c in d["style_clashes"]],
                   d["single_sentence_paragraph_share"])


@dataclass
class UncreditedSource:
    article: str
    share: float
    kind: str                        # the derivation's kind

    def to_dict(self) -> dict:
        return {"article": self.article, "share": self.share, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict) -> "UncreditedSource":
        return cls(d["article"], d["share"], d["kind"])


@dataclass
class UncreditedCopy:
    share: float                     # of the article's text, taken without credit
    sources: list[UncreditedSource]  # largest share first

    def to_dict(self) -> dict:
        return {"share": self.share, "sources": [s.to_dict() for s in self.sources]}

    @classmethod
    def from_dict(cls, d: dict) -> "UncreditedCopy":
        return cls(d["share"], [UncreditedSource.from_dict(s) for s in d["sources"]])


@dataclass
class QuoteAlteration:
    """A quote of this article (start, end) whose words differ from the same quote in another."""
    start: int
    end: int
    other_article: str
    other_start: int
    other_end: int
    changes: list[str]

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "other_article": self.other_article,
                "other_start": self.other_start, "other_end": self.other_end, "changes": list(self.changes)}

    @classmethod
    def from_dict(cls, d: dict) -> "QuoteAlteration":
        return cls(d["start"], d["end"], d["other_article"], d["other_start"], d["other_end"], list(d["changes"]))


@dataclass
class QuoteAlterations:
    count: int
    evidence: list[QuoteAlteration]  # the first 10

    def to_dict(self) -> dict:
        return {"count": self.count, "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: dict) -> "QuoteAlterations":
        return cls(d["count"], [QuoteAlteration.from_dict(e) for e in d["evidence"]])


@dataclass
class LoadedTerm:
    concept: str
    term: str
    count: int

    def to_dict(self) -> dict:
        return {"concept": self.concept, "term": self.term, "count": self.count}

    @classmethod
    def from_dict(cls, d: dict) -> "LoadedTerm":
        return cls(d["concept"], d["term"], d["count"])


@dataclass
class LoadedLanguage:
    count: int
    per_1000_words: float
    terms: list[LoadedTerm]

    def to_dict(self) -> dict:
        return {"count": self.count, "per_1000_words": self.per_1000_words,
                "terms": [t.to_dict() for t in self.terms]}

    @classmethod
    def from_dict(cls, d: dict) -> "LoadedLanguage":
        return cls(d["count"], d["per_1000_words"], [LoadedTerm.from_dict(t) for t in d["terms"]])


@dataclass
class Signals:
    patchwork: float = 0.0
    orphan_references: list[str] = field(default_factory=list)
    patchwork_evidence: PatchworkEvidence | None = None
    orphan_evidence: list[OrphanReference] | None = None
    uncredited_copy: UncreditedCopy | None = None
    quote_alterations: QuoteAlterations | None = None
    loaded_language: LoadedLanguage | None = None
    skipped: str | None = None       # why the signals were not computed (a non-English article)
    extra: dict = field(default_factory=dict)   # keys this model does not know (from a newer analysis)

    def to_dict(self) -> dict:
        d: dict = {"patchwork": self.patchwork}
        if self.patchwork_evidence is not None:
            d["patchwork_evidence"] = self.patchwork_evidence.to_dict()
        d["orphan_references"] = list(self.orphan_references)
        if self.orphan_evidence is not None:
            d["orphan_evidence"] = [o.to_dict() for o in self.orphan_evidence]
        for k in ("uncredited_copy", "quote_alterations", "loaded_language"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k).to_dict()
        if self.skipped is not None:
            d["skipped"] = self.skipped
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Signals":
        def opt(key, make):
            return make(d[key]) if d.get(key) is not None else None
        return cls(
            patchwork=d.get("patchwork", 0.0), orphan_references=list(d.get("orphan_references") or []),
            patchwork_evidence=opt("patchwork_evidence", PatchworkEvidence.from_dict),
            orphan_evidence=opt("orphan_evidence", lambda v: [OrphanReference.from_dict(o) for o in v]),
            uncredited_copy=opt("uncredited_copy", UncreditedCopy.from_dict),
            quote_alterations=opt("quote_alterations", QuoteAlterations.from_dict),
            loaded_language=opt("loaded_language", LoadedLanguage.from_dict),
            skipped=d.get("skipped"), extra={k: v for k, v in d.items() if k not in _SIGNAL_KEYS})


_SIGNAL_KEYS = frozenset(("patchwork", "patchwork_evidence", "orphan_references", "orphan_evidence", "uncredited_copy",
                          "quote_alterations", "loaded_language", "skipped"))
