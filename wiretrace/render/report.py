"""The self-contained HTML report, and the view models it shares with the web app.

Everything here is pure Python over an analysis dict (the contract shape): no
HTML is built from untrusted text except through ``html.escape`` (the SVG
graph) or Jinja autoescape (the templates).  Lists may be empty and keys may be
missing in hand-made analyses: every accessor tolerates that.
"""
from __future__ import annotations

import difflib
import html
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote as _urlquote, urlsplit

from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup
from .. import timeorder

from .safe import visible

#: A patchwork score at or above this flags an article in lists and summaries.
#: Display threshold, not tuned: "half of the text stitched from two or more
#: sources"; the score itself comes from the signals stage.
PATCHWORK_FLAG = 0.5


def safe_url(u) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never javascript:, data:, ...)."""
    if not isinstance(u, str):
        return None
    u = u.strip()
    if any(ord(c) < 32 or c in "<>\"'` \\" for c in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def urlq(s) -> str:
    """One path segment, percent-encoded (ids may hold '/', '?', '#', anything)."""
    return _urlquote(str(s), safe="")


def pct(x) -> str:
    try:
        return f"{float(x) * 100:.0f}%"
    except (TypeError, ValueError):
        return "?"


def is_flagged(article: dict) -> bool:
    sig = article.get("signals") or {}
    if sig.get("flagged"):
        return True
    try:
        if float(sig.get("patchwork") or 0) >= PATCHWORK_FLAG:
            return True
    except (TypeError, ValueError):
        pass
    return bool(sig.get("orphan_references"))


def _date(s) -> str:
    return s[:10] if isinstance(s, str) else ""


# -- the index -----------------------------------------------------------------

@dataclass
class Index:
    analysis: dict
    articles: dict[str, dict] = field(default_factory=dict)
    stories: dict[str, dict] = field(default_factory=dict)
    story_order: list[str] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)
    derivations_by_target: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    derivations_by_source: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    derivations_by_story: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    siblings_by_article: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    own_reuse_by_article: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    framing_by_story: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    groups_by_article: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    articles_by_outlet: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    orphans: list[str] = field(default_factory=list)   # articles in no story


def build_index(analysis: dict) -> Index:
    ix = Index(analysis=analysis)
    for a in analysis.get("articles") or []:
        if isinstance(a, dict) and "id" in a:
            ix.articles[str(a["id"])] = a
            ix.articles_by_outlet[a.get("outlet") or "(unknown)"].append(str(a["id"]))
    for s in analysis.get("stories") or []:
        if not isinstance(s, dict) or "id" not in s:
            continue
        sid = str(s["id"])
        ix.stories[sid] = s
        ix.story_order.append(sid)
        for aid in s.get("articles") or []:
            ix.story_of.setdefault(str(aid), sid)
    for aid, a in ix.articles.items():
        if aid not in ix.story_of and a.get("story") in ix.stories:
            ix.story_of[aid] = a["story"]
    ix.orphans = [aid for aid in ix.articles if aid not in ix.story_of]
    for d in analysis.get("derivations") or []:
        ix.derivations_by_target[str(d.get("target"))].append(d)
        ix.derivations_by_source[str(d.get("source"))].append(d)
        sid = ix.story_of.get(str(d.get("target"))) or ix.story_of.get(str(d.get("source")))
        if sid:
            ix.derivations_by_story[sid].append(d)
    for d in analysis.get("own_reuse") or []:
        if isinstance(d, dict):
            for k in ("source", "target"):
                ix.own_reuse_by_article[str(d.get(k))].append(d)
    for sb in analysis.get("siblings") or []:
        if isinstance(sb, dict):
            for k in ("a", "b"):
                ix.siblings_by_article[str(sb.get(k))].append(sb)
    for f in analysis.get("framing") or []:
        sid = f.get("story") or ix.story_of.get(str(f.get("article")))
        if sid:
            ix.framing_by_story[str(sid)].append(f)
    for g in analysis.get("quote_groups") or []:
        seen = set()
        for m in g.get("members") or []:
            aid = str(m.get("article"))
            if aid not in seen:
                seen.add(aid)
                ix.groups_by_article[aid].append(g)
    return ix


def story_articles(ix: Index, sid: str) -> list[dict]:
    s = ix.stories.get(sid) or {}
    out = {str(a): ix.articles[str(a)] for a in s.get("articles") or [] if str(a) in ix.articles}
    # by time as written (zones normalised; a date is its day, listed after the day's
    # timestamps; undated last); where the times leave two open, a derivation's
    # source before its target
    edges = [(str(d.get("source")), str(d.get("target"))) for d in ix.derivations_by_story.get(sid, [])]
    order = timeorder.listing([(i, a.get("published")) for i, a in out.items()], edges)
    return [out[i] for i in order]


def span_text(ix: Index, aid, s, e) -> str:
    text = (ix.articles.get(str(aid)) or {}).get("text") or ""
    try:
        return text[int(s):int(e)]
    except (TypeError, ValueError):
        return ""


# -- word diff and marked texts -----------------------------------------------

_TOK = re.compile(r"(?:\w+|[^\w\s])\s*|\s+", re.UNICODE)


def word_diff(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """(source tokens, target tokens), each (token, changed). Tokens are words or
    punctuation with their trailing space; compared case-insensitively."""
    ta, tb = _TOK.findall(a), _TOK.findall(b)
    vocab: dict[str, int] = {}
    ka = [vocab.setdefault(t.strip().lower(), len(vocab)) for t in ta]
    kb = [vocab.setdefault(t.strip().lower(), len(vocab)) for t in tb]
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    oa: list[tuple[str, bool]] = []
    ob: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        changed = op != "equal"
        oa.extend(_flag(ta[i1:i2], changed))
        ob.extend(_flag(tb[j1:j2], changed))
    return _merge(oa), _merge(ob)


def _flag(toks: list[str], changed: bool) -> list[tuple[str, bool]]:
    """Mark a run of tokens; the space after the last changed token stays unmarked."""
    if not changed or not toks:
        return [(t, False) for t in toks]
    out = [(t, True) for t in toks[:-1]]
    last = toks[-1]
    core = last.rstrip()
    out.append((core, True))
    if len(core) < len(last):
        out.append((last[len(core):], False))
    return out


def _merge(toks: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for t, c in toks:
        if not t:
            continue
        if out and out[-1][1] == c:
            out[-1] = (out[-1][0] + t, c)
        else:
            out.append((t, c))
    return out


def marked_segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict]:
    """Split ``text`` at span bounds. ``spans``: (start, end, css class, label).
    Returns [{text, classes, labels}] covering the whole text, in order."""
    n = len(text)
    cuts = {0, n}
    clean = []
    for s, e, cls, lab in spans:
        try:
            s, e = max(0, int(s)), min(n, int(e))
        except (TypeError, ValueError):
            continue
        if e > s:
            clean.append((s, e, cls, lab))
            cuts.update((s, e))
    cuts = sorted(cuts)
    out = []
    for s, e in zip(cuts, cuts[1:]):
        cls = sorted({c for (a, b, c, _l) in clean if a <= s and e <= b and c})
        labels = [lab for (a, _b, _c, lab) in clean if a == s and lab]
        out.append({"text": text[s:e], "classes": " ".join(cls), "labels": labels})
    return out


# -- the provenance graph as inline SVG ---------------------------------------

def esc(s) -> str:
    """Untrusted text for HTML built here (not by a template): controls made
    visible, bidi controls balanced, then escaped."""
    return html.escape(visible(s, page=True))


def bdi(s) -> Markup:
    """Untrusted text isolated for the bidi algorithm: a right-to-left title cannot
    reorder the text around its element (``<bdi>``, escaped inside)."""
    if isinstance(s, Markup):          # already escaped (e.g. Jinja's join under autoescape)
        return Markup(f"<bdi>{visible(str(s), page=True)}</bdi>")
    return Markup(f"<bdi>{esc('' if s is None else s)}</bdi>")


def finalize(v):
    """Jinja's finalize: every value a template prints (escaped text or markup we
    built) has its control characters made visible and its bidi controls balanced."""
    if isinstance(v, Markup):
        return Markup(visible(str(v), page=True))
    if isinstance(v, str):
        return visible(v, page=True)
    return v


def _short(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def graph_svg(ix: Index, sid: str) -> Markup:
    """Deterministic layered drawing: column = derivation depth from the story's
    roots (longest path), rows ordered by publication time then id."""
    arts = story_articles(ix, sid)
    ids = [str(a["id"]) for a in arts]
    if not ids:
        return Markup('<p class="none">No articles.</p>')
    idset = set(ids)
    edges = [d for d in ix.derivations_by_story.get(sid, [])
             if str(d.get("source")) in idset and str(d.get("target")) in idset and d.get("source") != d.get("target")]
    origin = str((ix.stories.get(sid) or {}).get("origin"))
    parents: dict[str, list[str]] = defaultdict(list)
    for d in edges:
        parents[str(d["target"])].append(str(d["source"]))
    depth: dict[str, int] = {}

    def dep(n: str, stack: frozenset = frozenset()) -> int:
        if n in depth:
            return depth[n]
        if n in stack or n == origin and not parents.get(n):
            return 0
        ps = [p for p in parents.get(n, []) if p not in stack]
        v = 0 if not ps else 1 + max(dep(p, stack | {n}) for p in ps)
        depth[n] = v
        return v

    for n in ids:
        dep(n)
    cols: dict[int, list[str]] = defaultdict(list)
    order = {n: i for i, n in enumerate(ids)}
    for n in ids:
        cols[depth.get(n, 0)].append(n)
    W, H, GX, GY, PAD = 190, 48, 90, 22, 12
    pos: dict[str, tuple[int, int]] = {}
    for c in sorted(cols):
        for r, n in enumerate(sorted(cols[c], key=order.get)):
            pos[n] = (PAD + c * (W + GX), PAD + r * (H + GY))
    width = PAD * 2 + (max(cols) + 1) * W + max(cols) * GX
    height = PAD * 2 + max(len(v) for v in cols.values()) * (H + GY) - GY
    e = esc
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="provenance graph">',
             '<defs><marker id="ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>']
    for d in sorted(edges, key=lambda d: (order[str(d["source"])], order[str(d["target"])])):
        (x1, y1), (x2, y2) = pos[str(d["source"])], pos[str(d["target"])]
        if x2 > x1:
            sx, sy, tx, ty = x1 + W, y1 + H / 2, x2, y2 + H / 2
        else:   # same column (cycles or equal depth): go around the right side
            sx, sy, tx, ty = x1 + W, y1 + H / 2, x2 + W, y2 + H / 2
        credited = bool(d.get("credited"))
        colour = "#2e7d32" if credited else "#c62828"
        dash = "" if credited else ' stroke-dasharray="6 4"'
        if x2 > x1:
            path = f"M{sx:.0f},{sy:.0f} C{sx + GX / 2:.0f},{sy:.0f} {tx - GX / 2:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        else:
            bend = sx + GX * 0.6
            path = f"M{sx:.0f},{sy:.0f} C{bend:.0f},{sy:.0f} {bend:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        label = f"{pct(d.get('share'))} {'credited' if credited else 'uncredited'}"
        cls = "edge credited" if credited else "edge uncredited"
        parts.append(f'<g class="{cls}"><title>{e(str(d["source"]))} → {e(str(d["target"]))}: '
                     f'{e(str(d.get("kind") or ""))}, {e(label)}</title>'
                     f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash} marker-end="url(#ah)"/>')
        mx, my = (sx + tx) / 2, (sy + ty) / 2 - 5
        parts.append(f'<text x="{mx:.0f}" y="{my:.0f}" text-anchor="middle" font-size="11" '
                     f'fill="{colour}">{e(pct(d.get("share")))}</text></g>')
    for n in ids:
        x, y = pos[n]
        a = ix.articles[n]
        is_origin = n == origin
        fill, stroke = ("#fff3c4", "#b8860b") if is_origin else ("#eef2f7", "#56657a")
        parts.append(f'<g class="node{" origin" if is_origin else ""}"><title>{e(n)}</title>'
                     f'<rect x="{x}" y="{y}" width="{W}" height="{H}" rx="6" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{2 if is_origin else 1}"/>'
                     f'<text x="{x + 8}" y="{y + 19}" font-size="12" font-weight="bold" fill="#1b1b1b">'
                     f'{e(_short(("★ " if is_origin else "") + (a.get("outlet") or "(unknown outlet)"), 26))}</text>'
                     f'<text x="{x + 8}" y="{y + 37}" font-size="11" fill="#444">'
                     f'{e(_short(_date(a.get("published")) + " · " + n, 30))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the story view ------------------------------------------------------------

def comparison(ix: Index, d: dict, max_chars: int = 200_000) -> dict:
    """A derived article against its source: aligned passage rows and both full texts marked."""
    src, tgt = str(d.get("source")), str(d.get("target"))
    st = ((ix.articles.get(src) or {}).get("text") or "")[:max_chars]
    tt = ((ix.articles.get(tgt) or {}).get("text") or "")[:max_chars]
    rows, sspans, tspans = [], [], []
    passages = sorted(d.get("passages") or [], key=lambda p: (p.get("target_start", 0), p.get("source_start", 0)))
    for i, p in enumerate(passages, 1):
        kind = "verbatim" if p.get("kind") == "verbatim" else "rewritten"
        s0, s1 = p.get("source_start", 0), p.get("source_end", 0)
        t0, t1 = p.get("target_start", 0), p.get("target_end", 0)
        a_txt, b_txt = st[s0:s1], tt[t0:t1]
        if kind == "rewritten":
            da, db = word_diff(a_txt, b_txt)
        else:
            da, db = [(a_txt, False)], [(b_txt, False)]
        rows.append({"n": i, "kind": kind, "source": da, "target": db})
        sspans.append((s0, s1, kind, str(i)))
        tspans.append((t0, t1, kind, str(i)))
    return {
        "derivation": d, "source": ix.articles.get(src) or {"id": src}, "target": ix.articles.get(tgt) or {"id": tgt},
        "rows": rows, "source_text": marked_segments(st, sspans), "target_text": marked_segments(tt, tspans),
    }


def quote_rows(ix: Index, groups: list[dict]) -> list[dict]:
    out = []
    for g in groups:
        members = []
        for m in g.get("members") or []:
            aid = str(m.get("article"))
            a = ix.articles.get(aid) or {}
            qi = m.get("quote")
            q = (a.get("quotes") or [])[qi] if isinstance(qi, int) and 0 <= qi < len(a.get("quotes") or []) else {}
            members.append({"article": aid, "outlet": a.get("outlet"), "published": a.get("published"),
                            "text": q.get("text") or m.get("text") or "", "speaker": q.get("speaker"),
                            "variant": m.get("variant"), "changes": m.get("changes") or [],
                            "reattributed": bool(m.get("reattributed"))})
        out.append({"id": g.get("id"), "speaker": g.get("speaker"), "members": members,
                    "reattributed": bool(g.get("reattributed")) or any(m["reattributed"] for m in members)})
    return out


def _snip(t: str, n: int = 160) -> str:
    return _short(t, n)


def _copy_source(src, articles: dict) -> str:
    """One source of an uncredited copy: "Outlet (id) 62%" (an id alone when unknown)."""
    if not isinstance(src, dict):
        return str(src)
    aid = str(src.get("article"))
    outlet = (articles.get(aid) or {}).get("outlet")
    who = f"{outlet} ({aid})" if outlet else aid
    return f"{who} {pct(src.get('share'))}" if src.get("share") is not None else who


def signal_evidence(a: dict, articles: dict | None = None) -> list[tuple[str, str]]:
    """The evidence behind an article's signals as (label, text) lines; known shapes
    are spelled out, anything else is shown as compact JSON.  ``articles``: id ->
    article, to name the sources of an uncredited copy by their outlet."""
    articles = articles or {}
    sig = a.get("signals") or {}
    text = a.get("text") or ""
    out: list[tuple[str, str]] = []
    for k, v in sig.items():
        if k in ("patchwork", "orphan_references") or v in (None, [], {}, 0, ""):
            continue
        try:
            if k == "patchwork_evidence" and isinstance(v, dict):
                comp = v.get("components") or {}
                if comp:
                    out.append(("patchwork components", ", ".join(f"{n} {float(x):.2f}" for n, x in comp.items())))
                tj = v.get("topic_jumps") or {}
                for s0, s1 in (tj.get("sentences") or [])[:5]:
                    out.append(("topic jump", _snip(text[s0:s1])))
                for c in v.get("style_clashes") or []:
                    out.append(("style clash", f"{c.get('kind')}: {' / '.join(map(str, c.get('forms') or []))}"))
            elif k == "orphan_evidence" and isinstance(v, list):
                for o in v[:10]:
                    out.append(("orphan reference", f"“{o.get('phrase')}”: {o.get('reason') or o.get('kind') or ''}"))
            elif k == "uncredited_copy" and isinstance(v, dict):
                if v.get("share"):
                    srcs = ", ".join(_copy_source(x, articles) for x in v.get("sources") or []) or "?"
                    out.append(("uncredited copy", f"{pct(v.get('share'))} of the text, from {srcs}"))
            elif k == "quote_alterations" and isinstance(v, dict):
                if v.get("count"):
                    ev = "; ".join(_snip(json.dumps(e, ensure_ascii=False), 120) for e in (v.get("evidence") or [])[:5])
                    out.append(("altered quotes", f"{v.get('count')}" + (f": {ev}" if ev else "")))
            elif k == "loaded_language" and isinstance(v, dict):
                if v.get("count"):
                    terms = ", ".join(f"{t.get('term')} (for {t.get('concept')}) ×{t.get('count')}" for t in v.get("terms") or [])
                    out.append(("loaded language", f"{v.get('count')} ({v.get('per_1000_words')} per 1000 words): {terms}"))
            else:
                out.append((k, _snip(json.dumps(v, ensure_ascii=False, default=str), 300)))
        except (AttributeError, TypeError, ValueError):
            out.append((k, _snip(json.dumps(v, ensure_ascii=False, default=str), 300)))
    return out


#: How much of an untitled story's opening is shown beside its id.
LEAD_CHARS = 90


def story_lead(ix: Index, sid: str) -> str:
    """The words to show for a story without a title (a crawl of plain texts, papers
    printed without their headline): the opening of its origin, else of its first
    article, cut at a word to ``LEAD_CHARS``; "" when it has a title."""
    s = ix.stories.get(sid) or {}
    if s.get("title"):
        return ""
    a = ix.articles.get(str(s.get("origin"))) if s.get("origin") is not None else None
    if a is None:
        a = next((ix.articles[str(x)] for x in s.get("articles") or [] if str(x) in ix.articles), None)
    text = " ".join(str((a or {}).get("text") or "")[:LEAD_CHARS * 4].split())
    if len(text) <= LEAD_CHARS:
        return text
    cut = text[:LEAD_CHARS - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def story_view(ix: Index, sid: str) -> dict:
    s = ix.stories[sid]
    arts = story_articles(ix, sid)
    idset = {str(a["id"]) for a in arts}
    origin = str(s.get("origin")) if s.get("origin") is not None else None
    ders = ix.derivations_by_story.get(sid, [])
    share_in = defaultdict(list)
    for d in ders:
        share_in[str(d.get("target"))].append(d)
    timeline = []
    for a in arts:
        aid = str(a["id"])
        role = "origin" if aid == origin else ("derived" if share_in.get(aid) else "independent")
        timeline.append({"article": a, "role": role, "from": share_in.get(aid, []), "flagged": is_flagged(a)})
    # quote groups with a member in this story
    groups = []
    seen = set()
    for aid in (str(a["id"]) for a in arts):
        for g in ix.groups_by_article.get(aid, []):
            if id(g) not in seen:
                seen.add(id(g))
                groups.append(g)
    framing = ix.framing_by_story.get(sid, [])
    # term table: concept x outlet
    concepts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    outlets: list[str] = []
    for f in framing:
        a = ix.articles.get(str(f.get("article"))) or {}
        col = a.get("outlet") or str(f.get("article"))
        for t in f.get("terms") or []:
            if col not in outlets:
                outlets.append(col)
            cell = f"{t.get('term')} ({t.get('count', '?')})"
            if cell not in concepts[str(t.get("concept"))][col]:
                concepts[str(t.get("concept"))][col].append(cell)
    term_rows = [{"concept": c, "cells": [", ".join(v.get(o, [])) for o in outlets]} for c, v in sorted(concepts.items())]
    changes = []
    for f in framing:
        aid = str(f.get("article"))
        added = [span_text(ix, aid, sp[0], sp[1]) for sp in f.get("added") or [] if isinstance(sp, (list, tuple)) and len(sp) >= 2]
        omitted = [{"article": str(o.get("article")), "text": span_text(ix, o.get("article"), o.get("start"), o.get("end")) or o.get("text") or ""}
                   for o in f.get("omitted") or []]
        actors = [{"source_actor": c.get("source_actor"), "target_actor": c.get("target_actor"),
                   "source_article": c.get("source_article"),
                   "target_text": span_text(ix, aid, c.get("target_start"), c.get("target_end"))}
                  for c in f.get("actor_changes") or []]
        changes.append({"article": ix.articles.get(aid) or {"id": aid}, "added": [x for x in added if x],
                        "omitted": [o for o in omitted if o["text"]], "actors": actors})
    signals = []
    for a in arts:
        sig = a.get("signals") or {}
        rest = signal_evidence(a, ix.articles)
        sources = [d for d in share_in.get(str(a["id"]), [])]
        signals.append({"article": a, "patchwork": sig.get("patchwork"), "orphans": sig.get("orphan_references") or [],
                        "other": rest, "flagged": is_flagged(a), "sources": sources})
    # in timeline order: by source, then target (what is not in the story last, by id)
    pos = {str(a["id"]): k for k, a in enumerate(arts)}
    ordered = sorted(ders, key=lambda d: (pos.get(str(d.get("source")), len(pos)), pos.get(str(d.get("target")), len(pos)),
                                          str(d.get("source")), str(d.get("target"))))
    return {
        "index_articles": ix.articles,
        "story": s, "sid": sid, "origin": ix.articles.get(origin) if origin else None, "origin_id": origin,
        "lead": story_lead(ix, sid),
        "timeline": timeline, "graph": graph_svg(ix, sid),
        # outlets with several articles in the story: a source of theirs is told by its time too
        "repeated_outlets": {o for o, n in Counter(outlet_label(a) for a in arts).items() if o and n > 1},
        "derivations": ordered,
        "comparisons": [comparison(ix, d) for d in ders if str(d.get("source")) in ix.articles and str(d.get("target")) in ix.articles],
        "quotes": quote_rows(ix, groups), "term_outlets": outlets, "term_rows": term_rows, "changes": changes,
        "siblings": [sb for sb in {id(x): x for aid in idset for x in ix.siblings_by_article.get(aid, [])}.values()],
        "own_reuse": [d for d in {id(x): x for aid in idset for x in ix.own_reuse_by_article.get(aid, [])}.values()],
        "set_aside": [{"d": d, "x": x} for d in ordered for x in (d.get("evidence") or {}).get("set_aside") or []
                      if isinstance(x, dict)],
        "signals": signals, "outside": [d for d in ders if str(d.get("source")) not in idset or str(d.get("target")) not in idset],
    }


def toks_html(items: list[tuple[str, bool]], tag: str) -> Markup:
    """Word-diff tokens as HTML: changed runs in <ins>/<del> (tag is ours, text escaped)."""
    tag = "ins" if tag == "ins" else "del"
    e = esc
    return Markup("".join(f'<{tag} class="wd">{e(t)}</{tag}>' if c else e(t) for t, c in items))


def segs_html(segments: list[dict]) -> Markup:
    """Marked segments as HTML: <mark class=...> with passage numbers (text escaped)."""
    e = esc
    out = []
    for sg in segments:
        if sg["classes"]:
            labels = "".join(f'<sup class="pn">[{e(l)}]</sup>' for l in sg["labels"])
            out.append(f'<mark class="{e(sg["classes"])}">{labels}{e(sg["text"])}</mark>')
        else:
            out.append(e(sg["text"]))
    return Markup("".join(out))


_WHY = {"published": "published earlier", "credit": "the copy credits it", "wire": "an agency's own copy",
        "wire-version": "an earlier version of the wire story",
        "wire-update": "an earlier take of the wire story (the later one carries it forward)",
        "wire-preview": "the wire's preview of the day's event, filed before its report", "deixis": "the copy moves its \u201ctoday\u201d to \u201cyesterday\u201d or a weekday",
        "details": "it carries details the copy drops", "containment": "the copy's text is contained in it",
        "dateline": "it keeps the agency dateline", "undetermined": "undetermined (the longer text)"}


_WIRE_HOW = {"byline": "its wire byline", "operator-note": "the wire desk's note", "sign-off": "it ends on the wire sign-off",
             "outlet": "its outlet"}


def _wire_cue(cue: str) -> str:
    """'sign-off: mfl' -> 'it ends on the wire sign-off "mfl"': the wire vote in words."""
    how, sep, what = str(cue).partition(": ")
    if not sep or how not in _WIRE_HOW:
        return str(cue)
    return f"{_WIRE_HOW[how]} \u201c{_short(what, 70)}\u201d"


def why_source(d: dict) -> str:
    """Why the source of derivation ``d`` is taken as the source, in words (from
    ``evidence.direction`` and its votes); plain text, escaped by the template."""
    ev = (d or {}).get("evidence") or {}
    by = ev.get("direction")
    if not by:
        return ""
    votes = ev.get("direction_votes") or {}
    why = _WHY.get(str(by), str(by))
    cue = votes.get(by) if isinstance(votes.get(by), str) else None
    if by == "credit" and ev.get("credit_cue"):
        cue = ev["credit_cue"]
    if by == "wire" and cue:
        cue = _wire_cue(cue)
    if cue:
        why += f" ({_short(str(cue), 80)})"
    if votes.get("published") == "open" and by != "published":
        why += "; dates leave the order open"
    if ev.get("kept_clauses"):
        why += (f"; a copy by {ev['kept_clauses']} words of the agency copy kept word for word"
                " in sentences the article otherwise rewrote")
    vs = ev.get("with_versions") or []
    if vs:
        listed = f"{', '.join(_short(str(x), 40) for x in vs[:3])}{', ...' if len(vs) > 3 else ''}"
        why += (f"; one of the versions of one agency story the article drew on, with {listed}: no version"
                " alone explains enough of it, together they do")
    aside = ev.get("set_aside") or []
    names = f"{', '.join(_short(str((x or {}).get('article')), 40) for x in aside[:3])}{', ...' if len(aside) > 3 else ''}"
    n = len(aside)
    if ev.get("joint_with_set_aside"):
        why += ("; this copy alone explains too little of the article to be its source: it is taken as the source"
                " because same-day text of another outlet shares some of this copy's words with the article"
                + (f" ({names})" if aside else "")
                + ": on the day both drew on the agency, their common text most likely came from it")
    elif aside:
        whose = "outlets'" if n > 1 else "outlet's"
        why += (f"; preferred to {n} other {whose} same-day text the copy also follows"
                f" ({names}): on the day both drew on the agency, their common text most likely came from it")
    return why


def outlet_label(a: dict) -> str:
    """The outlet as evidenced: "AP (inferred from dateline (AP))" when it was read off a dateline."""
    o = (a or {}).get("outlet")
    src = (a or {}).get("outlet_source") or {}
    if o and src.get("inferred"):
        return f"{o} (inferred from {src.get('from') or src.get('how')})"
    return o or ""


def when_label(a: dict) -> str:
    """How to tell an article from others of its outlet in a story: its time, and its id
    when the time is only a day (two papers of one day)."""
    pub, aid = (a or {}).get("published"), _short(str((a or {}).get("id")), 28)
    w = timeorder.parse(pub) if isinstance(pub, str) else None
    if w is None:
        return f"article {aid}"
    return pub if w.precision > timeorder.DAY else f"{pub} · {aid}"


def jinja_filters() -> dict:
    return {"bdi": bdi, "why_source": why_source, "outlet_label": outlet_label, "toks_html": toks_html, "segs_html": segs_html, "safe_url": safe_url, "urlq": urlq, "pct": pct, "date": _date, "flagged": is_flagged,
            "short": _short, "when_label": when_label, "fmtnum": lambda x: f"{x:.2f}" if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else str(x)}


# -- the report ----------------------------------------------------------------

TEMPLATES = Path(__file__).parent / "templates"

#: The report's own policy: no scripts, no network, no external anything.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
              "connect-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'")


def make_env(*extra_dirs: Path) -> Environment:
    """The Jinja environment: autoescape on for every template, whatever its name;
    every printed value through ``finalize`` (controls visible, bidi balanced)."""
    env = Environment(loader=FileSystemLoader([*map(str, extra_dirs), str(TEMPLATES)]),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      undefined=ChainableUndefined, finalize=finalize)
    env.filters.update(jinja_filters())
    return env


_ENV: Environment | None = None


def stylesheet() -> str:
    return (TEMPLATES / "style.css").read_text(encoding="utf-8")


def render_report(analysis: dict) -> str:
    """One self-contained HTML document: inline CSS and SVG, no script, no external load."""
    global _ENV
    if _ENV is None:
        _ENV = make_env()
    ix = build_index(analysis)
    order = sorted(ix.story_order, key=lambda s: (-len((ix.stories[s].get("articles") or [])),
                                                   ix.stories[s].get("first_seen") or "", s))
    views = [story_view(ix, sid) for sid in order]
    counts = {"articles": len(ix.articles), "stories": len(ix.stories),
              "derivations": len(analysis.get("derivations") or []),
              "uncredited": sum(1 for d in analysis.get("derivations") or [] if not d.get("credited")),
              "quote_groups": len(analysis.get("quote_groups") or [])}
    arts = sorted(ix.articles.values(), key=lambda a: (a.get("published") or "9999", str(a["id"])))
    return _ENV.get_template("report.html").render(
        views=views, articles=arts, story_of=ix.story_of, stories=ix.stories, counts=counts,
        problems=analysis.get("problems") or [], css=Markup(stylesheet().replace("</", "<\\/")),
        csp=REPORT_CSP, web=False)
