"""The origin of a story: the article the others derive from."""
from __future__ import annotations

from .. import timeorder
from ..model import Article, Derivation, StoryEvidence


def find_origin(members: list[Article], derivations: list[Derivation]
                ) -> tuple[str | None, str | None, StoryEvidence]:
    """(origin id, first_seen, evidence) for one story.

    1. Derivations inside the story: among articles with in-degree 0 that have
       out-edges, the one with the most out-edges (then the earliest, then the id).
    2. Else the earliest published article (``timeorder``: a date is a day, so a
       same-day date and timestamp are a tie, said in the evidence; ties: id).
    3. A one-article story: that article.  Else none.
    ``first_seen`` is the earliest ``published`` in the story (null if none).
    """
    ids = {a.id for a in members}
    dated = sorted((timeorder.sort_key(a.published), a.id, a.published) for a in members
                   if timeorder.parse(a.published) is not None)
    first_seen = dated[0][2] if dated else None
    inner = [d for d in derivations if d.source in ids and d.target in ids and d.source != d.target]
    if inner:
        indeg: dict[str, int] = {}
        outdeg: dict[str, int] = {}
        for d in inner:
            indeg[d.target] = indeg.get(d.target, 0) + 1
            outdeg[d.source] = outdeg.get(d.source, 0) + 1
        when = {a.id: timeorder.sort_key(a.published) for a in members}
        roots = [a for a in outdeg if indeg.get(a, 0) == 0]
        if roots:
            best = min(roots, key=lambda a: (-outdeg[a], when[a], a))
            return best, first_seen, StoryEvidence("derivations", out_edges=outdeg[best],
                                                   derivations_in_story=len(inner))
    if len(members) == 1:
        return members[0].id, first_seen, StoryEvidence("only-article")
    if dated:
        ev = StoryEvidence("earliest", dated_articles=len(dated))
        if len(dated) > 1 and timeorder.compare(dated[0][2], dated[1][2]) == 0:
            ev.order_open = [dated[0][1], dated[1][1]]     # equal at the coarser precision
        return dated[0][1], first_seen, ev
    return None, None, StoryEvidence(None)
