"""The per-story summary printed at the end of ``wiretrace analyze``."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .report import build_index, is_flagged, outlet_label, pct, quote_rows, story_articles, story_lead
from .safe import visible


def _m(s) -> str:
    """Untrusted text as rich markup: escaped, controls visible, bidi balanced."""
    return escape(visible(s))

#: Stories shown in full (largest first); the rest are counted.
MAX_STORIES = 15
MAX_QUOTES = 3


def _name(a: dict | None, aid) -> str:
    outlet = outlet_label(a or {}) or "(unknown outlet)"     # "(inferred from dateline (AP))" when so
    return f"{_m(outlet)} [dim]{_m(aid)}[/]"


def _order_key(s: dict) -> tuple:
    return -len(s.get("articles") or []), s.get("first_seen") or "", str(s["id"])


def shown_part(analysis: dict, max_stories: int = MAX_STORIES) -> tuple[dict, int]:
    """The part of ``analysis`` the summary shows (its ``max_stories`` largest stories,
    their articles, the derivations and quote groups that touch them) and how many
    stories it has.  Each list is read once, element by element, and only what is shown
    is kept: the document may be a lazy one (``Analysis.to_doc``) of a run of 100,000
    articles."""
    stories = [s for s in analysis.get("stories") or [] if isinstance(s, dict) and "id" in s]
    n = len({str(s["id"]) for s in stories})
    top = sorted(stories, key=_order_key)[:max_stories]
    del stories
    top_ids = {str(s["id"]) for s in top}
    ids = {str(a) for s in top for a in s.get("articles") or []}
    part = {k: v for k, v in analysis.items() if not isinstance(v, Sequence) or isinstance(v, str)}
    part["stories"] = top
    part["derivations"] = [d for d in analysis.get("derivations") or []
                           if str(d.get("target")) in ids or str(d.get("source")) in ids]
    part["quote_groups"] = [g for g in analysis.get("quote_groups") or []
                            if any(str(m.get("article")) in ids for m in g.get("members") or [])]
    # the articles shown, and those their rows name (a derivation's source, a quote's first teller)
    named = ids | {str(d.get(k)) for d in part["derivations"] for k in ("source", "target")} | {
        str(m.get("article")) for g in part["quote_groups"] for m in g.get("members") or []}
    part["articles"] = [a for a in analysis.get("articles") or [] if isinstance(a, dict)
                        and (str(a.get("id")) in named or str(a.get("story")) in top_ids)]
    return part, n


def _source_name(ix, sid_: str, seen: Counter) -> str:
    """A source as the "taken from" column names it: its outlet as evidenced, with its
    id when the outlet has several texts in the story."""
    label = outlet_label(ix.articles.get(sid_) or {})
    if not label:
        return sid_
    return f"{label} ({sid_})" if seen.get(label, 0) > 1 else label


def story_summary(analysis: dict, max_stories: int = MAX_STORIES):
    """A rich renderable: per story its origin, the derived articles (share, credit),
    the most shared quotes and the flagged articles."""
    shown, n_stories = shown_part(analysis, max_stories)
    ix = build_index(shown)
    if not ix.stories:
        return Text("No stories found.", style="dim")
    order = sorted(ix.story_order, key=lambda s: _order_key(ix.stories[s]))
    parts = []
    for sid in order[:max_stories]:
        s = ix.stories[sid]
        arts = story_articles(ix, sid)
        origin = ix.articles.get(str(s.get("origin")))
        lead = story_lead(ix, sid)
        head = Text.assemble((visible(s.get('title') or (f"“{lead}”" if lead else sid)), "bold"),
                             (f"  {visible(sid)} · {len(arts)} article(s)", "dim"))
        # a source whose outlet has several texts in the story is told by its id too
        seen = Counter(outlet_label(a) for a in arts)
        t = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        t.add_column("article")
        t.add_column("role")
        t.add_column("taken from", overflow="fold")
        t.add_column("flags", overflow="fold")
        incoming = {}
        for d in ix.derivations_by_story.get(sid, []):
            incoming.setdefault(str(d.get("target")), []).append(d)
        for a in arts:
            aid = str(a["id"])
            role = "[yellow]origin[/]" if origin is not None and aid == str(origin["id"]) else (
                "derived" if aid in incoming else "[dim]independent[/]")
            took = ", ".join(
                f"{_m(_source_name(ix, str(d.get('source')), seen))} "
                f"{pct(d.get('share'))} " + ("[green]credited[/]" if d.get("credited") else "[red]uncredited[/]")
                for d in incoming.get(aid, []))
            flags = []
            sig = a.get("signals") or {}
            if is_flagged(a):
                try:
                    pw = float(sig.get("patchwork") or 0)
                except (TypeError, ValueError):
                    pw = 0.0
                if pw:
                    flags.append(f"patchwork {pw:.2f}")
                if sig.get("orphan_references"):
                    flags.append("orphan refs: " + ", ".join(_m(x) for x in sig["orphan_references"][:3]))
            t.add_row(_name(a, aid), role, took or "", "[red]" + "; ".join(flags) + "[/]" if flags else "")
        ids = {str(a["id"]) for a in arts}
        groups = [g for g in analysis.get("quote_groups") or []
                  if len({str(m.get("article")) for m in g.get("members") or []} & ids) >= 2]
        groups.sort(key=lambda g: -len(g.get("members") or []))
        lines = [head, t]
        for g in quote_rows(ix, groups[:MAX_QUOTES]):
            text = next((m["text"] for m in g["members"] if m["text"]), "")
            altered = sum(1 for m in g["members"] if m["variant"] == "altered")
            lines.append(Text.assemble(("  “", "dim"), (visible(text[:100]) + ("…" if len(text) > 100 else ""), "italic"),
                                       ("”", "dim"), f" — {visible(g['speaker'] or 'unknown')}",
                                       (f"  in {len(g['members'])} articles, {altered} altered"
                                        + (", reattributed" if g["reattributed"] else ""), "dim")))
        parts.append(Group(*lines, Text("")))
    if n_stories > max_stories:
        parts.append(Text(f"… and {n_stories - max_stories} more stories (see the report or `wiretrace serve`)",
                          style="dim"))
    return Group(*parts)
