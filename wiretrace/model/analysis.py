"""The whole analysis: what ``analysis.json`` holds (docs/CONTRACT.md)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .article import Article, Problem
from .derivation import Derivation, Sibling, WireLineage, is_own_reuse
from .framing import FramingEntry, QuoteGroup
from .story import Story, Storyline

SCHEMA = "wiretrace.analysis/1"


@dataclass
class Analysis:
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    derivations: list[Derivation] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    framing: list[FramingEntry] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # relations read off the derivations (``wiretrace.trace.relations``); None: computed on output
    siblings: list[Sibling] | None = None
    wire_lineages: list[WireLineage] | None = None
    # an outlet's reuse of its own text of another day: derivation-shaped, not derivations
    own_reuse: list[Derivation] = field(default_factory=list)

    def article(self, aid: str) -> Article | None:
        for a in self.articles:
            if a.id == aid:
                return a
        return None

    def to_dict(self) -> dict:
        """The analysis.json document, every part built."""
        return {k: list(v) if isinstance(v, Mapped) else v for k, v in self.to_doc().items()}

    def to_doc(self) -> dict:
        """The analysis.json document with each list a ``Mapped`` view: an element's
        dict is made when it is read and dropped after (writing the document of a
        100,000-article run this way never holds all of it as dicts at once)."""
        rel = None if self.siblings is not None and self.wire_lineages is not None else _relations()
        siblings = self.siblings if self.siblings is not None else rel.siblings(self.derivations, self.own_reuse)
        lineages = (self.wire_lineages if self.wire_lineages is not None
                    else rel.wire_lineages(self.articles, self.derivations))
        return {
            "schema": SCHEMA,
            "articles": Mapped(self.articles),
            "stories": Mapped(self.stories),
            "derivations": Mapped(self.derivations),
            "quote_groups": Mapped(self.quote_groups),
            "framing": Mapped(self.framing),
            "storylines": Mapped(self.storylines),
            "problems": Mapped(self.problems),
            "siblings": Mapped(siblings),
            "wire_lineages": Mapped(lineages),
            # kept apart are own reuse and two carriers of one agency's copy (the latter listed as siblings)
            "own_reuse": Mapped([d for d in self.own_reuse if is_own_reuse(d)]),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Analysis":
        """The model of an ``analysis.json`` document; ``to_dict`` gives the same
        document back, key order included."""
        return cls(articles=[Article.from_dict(a) for a in d.get("articles", [])],
                   stories=[Story.from_dict(s) for s in d.get("stories", [])],
                   derivations=[Derivation.from_dict(x) for x in d.get("derivations", [])],
                   quote_groups=[QuoteGroup.from_dict(g) for g in d.get("quote_groups", [])],
                   framing=[FramingEntry.from_dict(f) for f in d.get("framing", [])],
                   storylines=[Storyline.from_dict(s) for s in d.get("storylines", [])],
                   problems=[Problem.from_dict(p) for p in d.get("problems", [])],
                   siblings=[Sibling.from_dict(s) for s in d["siblings"]] if "siblings" in d else None,
                   wire_lineages=([WireLineage.from_dict(w) for w in d["wire_lineages"]]
                                  if "wire_lineages" in d else None),
                   own_reuse=[Derivation.from_dict(x) for x in d.get("own_reuse", [])])


class Mapped(Sequence):
    """A list of records read as their dicts (``to_dict``), each made when it is read."""
    __slots__ = ("records",)

    def __init__(self, records: list):
        self.records = records

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [r.to_dict() for r in self.records[i]]
        return self.records[i].to_dict()

    def __iter__(self):
        return (r.to_dict() for r in self.records)


def _relations():
    from wiretrace.trace import relations      # the trace stage reads the model: imported late
    return relations
