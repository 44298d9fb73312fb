"""The whole analysis: what ``analysis.json`` holds (docs/CONTRACT.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .article import Article, Problem
from .derivation import Derivation, Sibling, WireLineage
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

    def article(self, aid: str) -> Article | None:
        for a in self.articles:
            if a.id == aid:
                return a
        return None

    def to_dict(self) -> dict:
        rel = None if self.siblings is not None and self.wire_lineages is not None else _relations()
        siblings = self.siblings if self.siblings is not None else rel.siblings(self.derivations)
        lineages = (self.wire_lineages if self.wire_lineages is not None
                    else rel.wire_lineages(self.articles, self.derivations))
        return {
            "schema": SCHEMA,
            "articles": [a.to_dict() for a in self.articles],
            "stories": [s.to_dict() for s in self.stories],
            "derivations": [d.to_dict() for d in self.derivations],
            "quote_groups": [g.to_dict() for g in self.quote_groups],
            "framing": [f.to_dict() for f in self.framing],
            "storylines": [s.to_dict() for s in self.storylines],
            "problems": [p.to_dict() for p in self.problems],
            "siblings": [s.to_dict() for s in siblings],
            "wire_lineages": [w.to_dict() for w in lineages],
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
                                  if "wire_lineages" in d else None))


def _relations():
    from wiretrace.trace import relations      # the trace stage reads the model: imported late
    return relations
