"""An article's signals (``framing/signals.py``), each with its evidence.

An article the signals stage did not reach has only ``patchwork`` 0.0 and no
orphan references; a non-English one says why it was ``skipped``
(``language.py``).  The evidence fields are None then, and absent from
``to_dict``, so each of those shapes is written as it always was.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .record import Record


@dataclass
class OrphanReference(Record):
    """A reference with no antecedent earlier in the article ("the diplomat")."""
    phrase: str
    start: int
    end: int
    kind: str                        # role | name | definite | ...
    reason: str


@dataclass
class StyleClash(Record):
    """Two house styles in one text (``forms`` as written; ``concept`` for acronym variants)."""
    OPTIONAL = frozenset({"concept"})
    kind: str
    forms: list[str]
    concept: str | None = None


@dataclass
class SourceMix(Record):
    """How many sources the article's copied text comes from, and how evenly."""
    count: int
    effective: float
    shares: dict[str, float]         # source article -> share of this article's text
    score: float


@dataclass
class TopicJumps(Record):
    jumps: int
    pairs: int                       # adjacent sentence pairs looked at
    rate: float
    sentences: list[list[int]]       # spans of the sentences that jump (at most 10)


@dataclass
class PatchworkEvidence(Record):
    NESTED = {"sources": SourceMix, "topic_jumps": TopicJumps, "style_clashes": StyleClash}
    components: dict[str, float]     # each component's score
    weights: dict[str, float]        # its weight in ``patchwork``
    sources: SourceMix
    topic_jumps: TopicJumps
    style_clashes: list[StyleClash]
    single_sentence_paragraph_share: float


@dataclass
class UncreditedSource(Record):
    article: str
    share: float
    kind: str                        # the derivation's kind


@dataclass
class UncreditedCopy(Record):
    NESTED = {"sources": UncreditedSource}
    share: float                     # of the article's text, taken without credit
    sources: list[UncreditedSource]  # largest share first


@dataclass
class QuoteAlteration(Record):
    """A quote of this article (start, end) whose words differ from the same quote in another."""
    start: int
    end: int
    other_article: str
    other_start: int
    other_end: int
    changes: list[str]


@dataclass
class QuoteAlterations(Record):
    NESTED = {"evidence": QuoteAlteration}
    count: int
    evidence: list[QuoteAlteration]  # the first 10


@dataclass
class LoadedTerm(Record):
    concept: str
    term: str
    count: int


@dataclass
class LoadedLanguage(Record):
    NESTED = {"terms": LoadedTerm}
    count: int
    per_1000_words: float
    terms: list[LoadedTerm]


@dataclass(slots=True)
class Signals(Record):
    NESTED = {"patchwork_evidence": PatchworkEvidence, "orphan_evidence": OrphanReference,
              "uncredited_copy": UncreditedCopy, "quote_alterations": QuoteAlterations,
              "loaded_language": LoadedLanguage}
    OPTIONAL = frozenset({"patchwork_evidence", "orphan_evidence", "uncredited_copy", "quote_alterations",
                          "loaded_language", "skipped"})
    patchwork: float = 0.0
    patchwork_evidence: PatchworkEvidence | None = None
    orphan_references: list[str] = field(default_factory=list)
    orphan_evidence: list[OrphanReference] | None = None
    uncredited_copy: UncreditedCopy | None = None
    quote_alterations: QuoteAlterations | None = None
    loaded_language: LoadedLanguage | None = None
    skipped: str | None = None       # why the signals were not computed (a non-English article)
    extra: dict = field(default_factory=dict)   # keys this model does not know (a newer analysis)
