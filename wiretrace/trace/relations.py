"""Relations read off the derivations: sibling pairs and wire lineages.

- ``siblings``: two articles that share text through an earlier common source
  (each derived from it, neither from the other).  ``derive`` records them on the
  source's derivation into one of the two (``evidence.siblings``); here they
  become ``Sibling`` pairs (a, b, source, shared_in_source).
- ``wire_lineages``: the versions of one agency story (first take, updates, new
  leads, corrections) linked by derivations between copies of the same agency:
  ``WireLineage`` (id, agency, versions: ids, earliest first, parents: version ->
  the version before it).  Versions are ordered by the derivations among them
  (a source before its copies), then by publication time (``timeorder``), then by
  the version mark ("UPDATE 2-" after "UPDATE 1-", a correction last), then by id.
  A rewrite's source is the version it took from: its derivation says which.
"""
from __future__ import annotations

from collections import defaultdict

from wiretrace import timeorder
from wiretrace.model import Article, Derivation, Sibling, WireLineage
from wiretrace.trace.direction import wire_copy, wire_version
from wiretrace.unionfind import DisjointSets


def pair_siblings(d: Derivation) -> list[Sibling]:
    """The sibling pairs one derivation records (``evidence.siblings``: through its
    source), or the one pair kept apart as two carriers of an agency's copy
    (``evidence.carried``: no source in the corpus)."""
    ev = d.evidence
    if ev is None:
        return []
    if ev.carried:
        a, b = sorted((d.source, d.target))
        return [Sibling(a, b, None, None, agency=ev.carried.get("agency"), share=round(d.share, 4))]
    return [Sibling(*sorted((sib.article, d.target)), d.source, sib.shared_in_source) for sib in ev.siblings or []]


def siblings(derivations: list[Derivation], apart: list[Derivation] = ()) -> list[Sibling]:
    """The sibling pairs: through a common source in the corpus (recorded on the
    source's derivations), and two carriers of one agency's copy that the corpus
    lacks (``apart``: the pairs ``derive`` kept apart with ``evidence.carried``);
    a pair seen both ways keeps its common source."""
    seen: dict[tuple[str, str], Sibling] = {}
    # own reuse (also kept apart) ties no siblings: only the carriers count there
    for d in [*derivations, *(d for d in apart if d.evidence is not None and d.evidence.carried)]:
        for sb in pair_siblings(d):
            seen.setdefault((sb.a, sb.b), sb)
    return [seen[k] for k in sorted(seen)]


def wire_lineages(articles: list[Article], derivations: list[Derivation]) -> list[WireLineage]:
    by_id = {a.id: a for a in articles}
    agency: dict[str, str] = {}
    for a in articles:
        w = wire_copy(a)
        if w is not None:
            agency[a.id] = w.get("agency") or ""
    sets = DisjointSets()
    edges = [(d.source, d.target) for d in derivations
             if d.source in agency and d.target in agency and agency[d.source] == agency[d.target]]
    for s, t in edges:
        sets.union(s, t)
    groups: dict = defaultdict(set)
    for s, t in edges:
        groups[sets.find(s)].update((s, t))
    out = []
    for members in groups.values():
        out.append(_lineage(sorted(members), [e for e in edges if e[0] in members], by_id, agency))
    out.sort(key=lambda x: (timeorder.sort_key(by_id[x.versions[0]].published), x.versions[0]))
    for k, x in enumerate(out, 1):
        x.id = f"w{k}"
    return out


def _lineage(members: list[str], edges: list[tuple[str, str]], by_id, agency) -> WireLineage:
    def key(i):
        v = wire_version(by_id[i])
        return (timeorder.sort_key(by_id[i].published), v[0] if v else 0, i)
    order = timeorder.topo_order(members, edges, key)      # a cycle: broken at its earliest
    return WireLineage("", agency[order[0]] or None, order, {order[k]: order[k - 1] for k in range(1, len(order))})
