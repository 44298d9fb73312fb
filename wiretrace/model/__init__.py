"""The corpus model: plain dataclasses that every stage reads and extends.

Offsets are Python string indices into ``Article.text`` (the cleaned body),
end exclusive, everywhere.  ``to_dict`` gives the shapes of the analysis
contract (docs/CONTRACT.md) and ``from_dict`` reads them back; extra keys are
extensions, never replacements.

    article.py      RawDoc, Article, Quote, Dateline, Credit, CitedSource, OutletSource, Problem
    signals.py      Signals and the evidence of each signal
    derivation.py   Derivation, Passage, Evidence, Sibling, WireLineage
    story.py        Story, StoryEvidence, Storyline
    framing.py      QuoteGroup, QuoteMember, FramingEntry, Omission, TermChoice, ActorChange
    analysis.py     Analysis (the whole document)
    record.py       Record: to_dict / from_dict field by field, for the plain ones
"""
from .analysis import SCHEMA, Analysis
from .article import Article, CitedSource, Credit, Dateline, OutletSource, Problem, Quote, RawDoc
from .derivation import Derivation, Evidence, Passage, SharedSibling, Sibling, WireLineage
from .framing import ActorChange, FramingEntry, Omission, QuoteGroup, QuoteMember, TermChoice
from .signals import (LoadedLanguage, LoadedTerm, OrphanReference, PatchworkEvidence, QuoteAlteration,
                      QuoteAlterations, Signals, SourceMix, StyleClash, TopicJumps, UncreditedCopy, UncreditedSource)
from .story import Story, StoryEvidence, Storyline

__all__ = ["SCHEMA", "Analysis", "Article", "CitedSource", "Credit", "Dateline", "OutletSource", "Problem", "Quote",
           "RawDoc", "Derivation", "Evidence", "Passage", "SharedSibling", "Sibling", "WireLineage", "ActorChange",
           "FramingEntry", "Omission", "QuoteGroup", "QuoteMember", "TermChoice", "LoadedLanguage", "LoadedTerm",
           "OrphanReference", "PatchworkEvidence", "QuoteAlteration", "QuoteAlterations", "Signals", "SourceMix",
           "StyleClash", "TopicJumps", "UncreditedCopy", "UncreditedSource", "Story", "StoryEvidence", "Storyline"]
