"""The program, stage by stage: one list that both engines walk.

    read -> document  (per document: clean, metadata, sentences, language, quotes)
         -> derivations -> quote groups -> stories -> framing -> signals  (whole corpus)

Each stage is declared once (``Stage``): its name, its version, what it needs
(earlier stages, or the articles), the options it reads, what it gives, its local
function and its Spark function.  ``pipeline.analyze`` runs ``CORPUS`` in order
with the store as cache; ``spark.engine.analyze_spark`` runs the same list with
each stage's Spark function.  A stage's cache key is made of its version, the
values of its options and its inputs' keys (``stage_key``): change any of them
and the stored result is not served.

A local stage function takes the ``Run`` and returns the stage's stored form
(JSON-shaped); ``use`` turns that form back into what later stages read (and
sets what the stage sets on the articles), whether it was computed now or read
from the store.  A Spark stage function takes the Spark context dict and puts
its result in it under the stage's name.
"""
from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass, field
from typing import Callable

from . import __version__, guard
from .model import Article, Derivation, FramingEntry, QuoteGroup, Signals, Story, Storyline
from .model.derivation import split_own_reuse


@dataclass(frozen=True)
class Stage:
    name: str
    version: int
    needs: tuple[str, ...]          # earlier stages' names, "articles", or "prior state" (--incremental)
    options: tuple[str, ...]        # what it reads of the options (``option_value``)
    gives: str                      # what it gives, for a reader
    local: str                      # "module:function" (Run -> stored form)
    spark: str | None               # "module:function" (Spark context dict -> None)

    def run_local(self, run: "Run"):
        return _resolve(self.local)(run)

    def run_spark(self, ctx: dict) -> None:
        if self.spark is None:
            raise NotImplementedError(f"stage {self.name} has no Spark function")
        _resolve(self.spark)(ctx)


#: The per-document stage (run per document; its key also holds the document's
#: content and the lines it shares with others: ``pipeline._article_stage``).
# version 6: an outlet read off a wire byline ("By Jane Roe, PA News") when none was given
# version 7: a byline's authors without the agency or a desk title ("By ALAN FRAM Associated Press")
DOCUMENT = Stage("document", 7, (), ("sentences",),
                 "per document: cleaned text, metadata, sentence spans, language, quotes",
                 "wiretrace.pipeline:process_document", "wiretrace.spark.engine:read_and_process")

#: The whole-corpus stages, in the order they run.
CORPUS: tuple[Stage, ...] = (
    # version 3: an outlet's own text of another day is flagged (evidence.own_copy) and
    # listed apart (own_reuse): derivations cached by version 2 are not served.
    # version 4: an agency copy that explains a target is preferred to another outlet's
    # same-day rewrite of it (evidence.set_aside)
    # version 5: ... also when the agency copy explains it only jointly with those
    # rewrites (evidence.joint_with_set_aside)
    # version 6: a wire copy's marks are read where the cleaner put them (its removed
    # lines: byline, operator notes, sign-off); version marks order one chain only
    # version 7: two copies of one agency: the desk's preview of the day before its report
    # version 8: two outlets running one agency's copy are kept apart (evidence.carried)
    # version 9: clauses kept word for word from an agency copy make a partial rewrite
    # version 10: the versions of one agency copy read together (evidence.with_versions)
    # version 11: an agency copy and a text that is none are candidates on one shared fingerprint
    # version 12: deixis orders two copies of one agency and, without dates, marks own reuse;
    # an aggregator's pages are never one outlet's own text
    Stage("derivations", 12, ("articles",), (),
          "list[Derivation]: who copied whom, passage by passage",
          "wiretrace.stages:derivations", "wiretrace.spark.engine:stage_derivations"),
    Stage("quote groups", 1, ("articles",), (),
          "list[QuoteGroup]: each quote and its retellings across articles",
          "wiretrace.stages:quote_groups", "wiretrace.spark.engine:stage_quote_groups"),
    Stage("stories", 2, ("articles", "derivations", "prior state"), ("embeddings", "incremental"),
          "list[Story] and list[Storyline]; each article's story and storyline",
          "wiretrace.stages:stories", "wiretrace.spark.engine:stage_stories"),
    Stage("framing", 2, ("articles", "stories", "derivations"), ("spacy",),
          "list[FramingEntry]: per story and article, additions, omissions, term choices, actor changes",
          "wiretrace.stages:framing", "wiretrace.spark.engine:stage_framing"),
    # signals version 3: a surname another text of the outlet in the story gives in full
    # is no orphan (a wire take goes on from the take before)
    Stage("signals", 3, ("articles", "derivations", "stories"), (),
          "each article's Signals: patchwork, orphan references, uncredited copy, altered quotes, loaded words",
          "wiretrace.stages:signals", "wiretrace.spark.engine:stage_signals"),
)


def option_value(opts, name: str):
    """The value of an option a stage reads (``spacy``: whether the parse is used)."""
    if name == "spacy":
        from .framing.actors import spacy_enabled
        return spacy_enabled()
    return getattr(opts, name)


def key_of(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def stage_key(stage: Stage, opts, input_keys: dict[str, str]) -> str:
    """The cache key of ``stage``: the release, its version, its options' values, its inputs' keys."""
    return key_of(__version__, stage.name, stage.version, {o: option_value(opts, o) for o in stage.options},
                  [input_keys[n] for n in stage.needs])


def _resolve(ref: str) -> Callable:
    module, _, fn = ref.partition(":")
    return getattr(importlib.import_module(module), fn)


# -- the local stage functions ------------------------------------------------------

@dataclass
class Run:
    """What the local stages of one analysis read and give."""
    articles: list[Article]
    opts: object
    workers: int                                    # processes for the parallel stages
    prior_state: dict | None = None                 # the last run's story state (--incremental)
    results: dict[str, object] = field(default_factory=dict)   # stage name -> what ``use`` gave
    story_state: dict | None = None                 # the story state made in this run, if any


def whole(stage: str, fn, *args, default, **kw):
    """A stage run as a whole under a guard: one that fails leaves a problem entry and
    ``default``, and the later stages go on (each is also guarded per pair, story or
    article inside)."""
    return guard.attempt(stage, fn, *args, origin="(corpus)", what="the whole corpus", default=default, **kw)


def derivations(run: Run) -> list[dict]:
    from .trace.derive import find_derivations
    return [d.to_dict() for d in whole("derivations", find_derivations, run.articles,
                                       workers=run.opts.workers, default=[])]


def quote_groups(run: Run) -> list[dict]:
    from .framing.quote_groups import group_quotes
    return [g.to_dict() for g in whole("quote groups", group_quotes, run.articles, default=[])]


def stories(run: Run) -> dict:
    from .stories import group_stories, update_stories
    from .stories.group import state_from_dict, state_to_dict
    ders = run.results["derivations"]
    grouped, state = None, None
    if run.prior_state is not None:
        state = state_from_dict(run.prior_state)
        grouped = whole("stories", update_stories, state, run.articles, ders, default=None)
    if grouped is None:             # first run, or articles of the last run are gone: regroup
        found, storylines, state = whole("stories", group_stories, run.articles, ders,
                                         embeddings=run.opts.embeddings, return_state=True, workers=run.workers,
                                         default=([], [], None))
    else:
        found, storylines = grouped
    run.story_state = state_to_dict(state) if state is not None else None
    return {"stories": [s.to_dict() for s in found], "storylines": [s.to_dict() for s in storylines],
            "membership": [(a.id, a.story, a.storyline) for a in run.articles]}


def framing(run: Run) -> list[dict]:
    from .pipeline import framing_in_workers
    return [f.to_dict() for f in whole("framing", framing_in_workers, run.articles, run.results["stories"],
                                       run.results["derivations"], run.workers, default=[])]


def signals(run: Run) -> dict:
    from .framing.signals import compute_signals
    found = whole("signals", compute_signals, run.articles, run.results["derivations"], run.results["stories"],
                  workers=run.workers, default={})
    return {aid: sig.to_dict() for aid, sig in found.items()}


def use(stage: Stage, run: Run, stored) -> object:
    """What later stages read of ``stage``'s stored form (the model's objects);
    what it sets on the articles."""
    if stage.name == "derivations":
        # an outlet's reuse of its own text of another day is kept apart (trace.derive.own_copy)
        ders, run.results["own reuse"] = split_own_reuse([Derivation.from_dict(d) for d in stored])
        return ders
    if stage.name == "quote groups":
        return [QuoteGroup.from_dict(g) for g in stored]
    if stage.name == "stories":
        for (_, story, storyline), a in zip(stored["membership"], run.articles):
            a.story, a.storyline = story, storyline
        run.results["storylines"] = [Storyline.from_dict(s) for s in stored["storylines"]]
        return [Story.from_dict(s) for s in stored["stories"]]
    if stage.name == "framing":
        return [FramingEntry.from_dict(f) for f in stored]
    if stage.name == "signals":
        for a in run.articles:
            if a.id in stored:
                a.signals = Signals.from_dict(stored[a.id])
        return None                 # set on the articles; the stored form is not kept
    return stored
