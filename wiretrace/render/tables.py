"""The analysis as tables, and the CSV, Parquet and GraphML that carry them.

One place builds every table the web app offers for download and that
``wiretrace export`` writes, so a download and an export never disagree:
articles, derivations, passages, quotes, quote groups and their members,
stories, storylines, framing and signals.  Rows are dicts in a fixed column
order; nested values (lists, dicts) are written as JSON text.

Output safety: a CSV cell that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, tab or CR) gets a leading ``'``; control
characters (which XML 1.0 cannot hold and which would drive a terminal showing
the file) become U+FFFD in CSV cells and in every GraphML string.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx

from .report import Index, build_index, is_flagged

# -- cell safety -----------------------------------------------------------------

#: Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Replaced in CSV: C0 controls but tab/LF/CR, DEL and C1 (ESC sequences, BEL, NUL), and lone
#: surrogates (JSON input can hold them; UTF-8 cannot).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(s: str) -> str:
    """``s`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", s)


def cell_text(v) -> str:
    """A value as the text of one cell: lists and dicts as JSON, None as empty."""
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def csv_cell(v) -> str:
    """A cell as written to CSV: control characters replaced, and a leading ``'``
    on text a spreadsheet would read as a formula."""
    s = _CONTROL.sub("\ufffd", cell_text(v))
    return "'" + s if s.startswith(_FORMULA_START) else s


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    write_csv(buf, columns, rows)
    return buf.getvalue()


def write_csv(fh, columns: list[str], rows: Iterable[dict]) -> int:
    w = csv.writer(fh)
    w.writerow([csv_cell(c) for c in columns])
    n = 0
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in columns])
        n += 1
    return n


# -- the tables ------------------------------------------------------------------

def _outlet(ix: Index, aid) -> str | None:
    return (ix.articles.get(str(aid)) or {}).get("outlet")


def article_rows(ix: Index) -> Iterator[dict]:
    for aid, a in ix.articles.items():
        sig = a.get("signals") or {}
        yield {"id": aid, "outlet": a.get("outlet"), "title": a.get("title"), "published": a.get("published"),
               "url": a.get("url"), "language": a.get("language"), "authors": a.get("authors") or [],
               "story": a.get("story"), "storyline": a.get("storyline"), "patchwork": sig.get("patchwork"),
               "quotes": len(a.get("quotes") or []), "sentences": len(a.get("sentences") or []),
               "aliases": a.get("aliases") or [], "content_hash": a.get("content_hash"),
               "source_file": a.get("source_file"), "text": a.get("text")}


ARTICLE_COLUMNS = ["id", "outlet", "title", "published", "url", "language", "authors", "story", "storyline",
                   "patchwork", "quotes", "sentences", "aliases", "content_hash", "source_file", "text"]


def derivation_row(ix: Index, d: dict, story: str | None = None) -> dict:
    src, tgt = str(d.get("source")), str(d.get("target"))
    return {"story": story if story is not None else ix.story_of.get(tgt, ""),
            "source": d.get("source"), "source_outlet": _outlet(ix, src),
            "target": d.get("target"), "target_outlet": _outlet(ix, tgt), "kind": d.get("kind"),
            "credited": d.get("credited"), "share": d.get("share"), "passages": len(d.get("passages") or []),
            # why the source is the source: the signal that decided, and the whole evidence
            # (JSON in a cell, as the Spark engine's Parquet table holds it)
            "direction": (d.get("evidence") or {}).get("direction"), "evidence": d.get("evidence") or {}}


DERIVATION_COLUMNS = ["story", "source", "source_outlet", "target", "target_outlet", "kind", "credited", "share",
                      "passages", "direction", "evidence"]


def derivation_rows(ix: Index, derivations: Iterable[dict] | None = None, story: str | None = None) -> Iterator[dict]:
    for d in (ix.analysis.get("derivations") or []) if derivations is None else derivations:
        yield derivation_row(ix, d, story)


def passage_rows(ix: Index) -> Iterator[dict]:
    for d in ix.analysis.get("derivations") or []:
        text = (ix.articles.get(str(d.get("target"))) or {}).get("text") or ""
        for n, p in enumerate(d.get("passages") or []):
            ts, te = p.get("target_start"), p.get("target_end")
            yield {"source": d.get("source"), "target": d.get("target"), "passage": n, "kind": p.get("kind"),
                   "source_start": p.get("source_start"), "source_end": p.get("source_end"),
                   "target_start": ts, "target_end": te,
                   "target_text": text[ts:te] if isinstance(ts, int) and isinstance(te, int) else None}


PASSAGE_COLUMNS = ["source", "target", "passage", "kind", "source_start", "source_end", "target_start",
                   "target_end", "target_text"]


def quote_rows_all(ix: Index) -> Iterator[dict]:
    group_of = {}
    for g in ix.analysis.get("quote_groups") or []:
        for m in g.get("members") or []:
            group_of.setdefault((str(m.get("article")), m.get("quote")), g.get("id"))
    for aid, a in ix.articles.items():
        for n, q in enumerate(a.get("quotes") or []):
            yield {"article": aid, "outlet": a.get("outlet"), "published": a.get("published"), "quote": n,
                   "text": q.get("text"), "start": q.get("start"), "end": q.get("end"),
                   "speaker": q.get("speaker"), "cue": q.get("cue"), "group": group_of.get((aid, n))}


QUOTE_COLUMNS = ["article", "outlet", "published", "quote", "text", "start", "end", "speaker", "cue", "group"]


def quote_group_rows(ix: Index) -> Iterator[dict]:
    for g in ix.analysis.get("quote_groups") or []:
        members = g.get("members") or []
        yield {"group": g.get("id"), "speaker": g.get("speaker"), "text": g.get("text"), "members": len(members),
               "articles": len({str(m.get("article")) for m in members}),
               "altered": sum(1 for m in members if m.get("variant") == "altered"),
               "reattributed": bool(g.get("reattributed")) or any(bool(m.get("reattributed")) for m in members)}


QUOTE_GROUP_COLUMNS = ["group", "speaker", "text", "members", "articles", "altered", "reattributed"]


def quote_member_rows(ix: Index) -> Iterator[dict]:
    for g in ix.analysis.get("quote_groups") or []:
        for m in g.get("members") or []:
            yield {"group": g.get("id"), "article": m.get("article"), "outlet": _outlet(ix, m.get("article")),
                   "quote": m.get("quote"), "variant": m.get("variant"), "changes": m.get("changes") or [],
                   "speaker": m.get("speaker"), "reattributed": bool(m.get("reattributed"))}


QUOTE_MEMBER_COLUMNS = ["group", "article", "outlet", "quote", "variant", "changes", "speaker", "reattributed"]


def quote_search_rows(groups: list[dict]) -> Iterator[dict]:
    """The members of quote groups as the quote search shows them (``quote_rows``)."""
    for g in groups:
        for m in g["members"]:
            yield {"group": g["id"], "speaker": g["speaker"], "article": m["article"], "outlet": m["outlet"],
                   "published": m["published"], "text": m["text"], "variant": m["variant"],
                   "changes": "; ".join(m["changes"]), "reattributed": m["reattributed"]}


QUOTE_SEARCH_COLUMNS = ["group", "speaker", "article", "outlet", "published", "text", "variant", "changes",
                        "reattributed"]


def story_row(ix: Index, sid: str) -> dict:
    s = ix.stories[sid]
    arts = [ix.articles[str(a)] for a in s.get("articles") or [] if str(a) in ix.articles]
    return {"story": sid, "title": s.get("title"), "origin": s.get("origin"),
            "origin_outlet": _outlet(ix, s.get("origin")), "first_seen": s.get("first_seen"),
            "articles": len(s.get("articles") or []), "derivations": len(ix.derivations_by_story.get(sid, [])),
            "flagged": any(is_flagged(a) for a in arts), "storyline": s.get("storyline"),
            "outlets": sorted({a.get("outlet") or "(unknown)" for a in arts}),
            "article_ids": [str(a) for a in s.get("articles") or []]}


STORY_COLUMNS = ["story", "title", "origin", "origin_outlet", "first_seen", "articles", "derivations", "flagged",
                 "storyline", "outlets", "article_ids"]


def story_rows(ix: Index, sids: Iterable[str] | None = None) -> Iterator[dict]:
    for sid in ix.story_order if sids is None else sids:
        yield story_row(ix, sid)


def storyline_rows(ix: Index) -> Iterator[dict]:
    for sl in ix.analysis.get("storylines") or []:
        yield {"storyline": sl.get("id"), "title": sl.get("title"), "stories": sl.get("stories") or [],
               "terms": sl.get("terms") or [], "first_seen": sl.get("first_seen"), "last_seen": sl.get("last_seen")}


STORYLINE_COLUMNS = ["storyline", "title", "stories", "terms", "first_seen", "last_seen"]
SIBLING_COLUMNS = ["a", "a_outlet", "b", "b_outlet", "source", "shared_in_source", "agency", "share"]


def sibling_rows(ix: Index) -> Iterator[dict]:
    """Sibling pairs: through a common source, or (source empty) through an agency's copy the corpus lacks."""
    for sb in ix.analysis.get("siblings") or []:
        yield {"a": sb.get("a"), "a_outlet": _outlet(ix, sb.get("a")), "b": sb.get("b"), "b_outlet": _outlet(ix, sb.get("b")),
               "source": sb.get("source"), "shared_in_source": sb.get("shared_in_source"), "agency": sb.get("agency"),
               "share": sb.get("share")}


def _keys(dicts: Iterable[dict], first: list[str]) -> list[str]:
    """``first``, then every other key of ``dicts`` in order of first appearance."""
    seen = dict.fromkeys(first)
    for d in dicts:
        for k in d:
            seen.setdefault(k, None)
    return list(seen)


def framing_columns(ix: Index) -> list[str]:
    return _keys(ix.analysis.get("framing") or [], ["story", "article", "added", "omitted", "terms", "actor_changes"])


def framing_rows(ix: Index) -> Iterator[dict]:
    for f in ix.analysis.get("framing") or []:
        yield dict(f)


def signal_columns(ix: Index) -> list[str]:
    return ["article"] + _keys(((a.get("signals") or {}) for a in ix.articles.values()),
                               ["patchwork", "orphan_references"])


def signal_rows(ix: Index) -> Iterator[dict]:
    for aid, a in ix.articles.items():
        yield {"article": aid, **(a.get("signals") or {})}


#: name -> (columns of an index, rows of an index): every table ``export`` writes.
TABLES: dict[str, tuple[Callable[[Index], list[str]], Callable[[Index], Iterable[dict]]]] = {
    "articles": (lambda ix: ARTICLE_COLUMNS, article_rows),
    "derivations": (lambda ix: DERIVATION_COLUMNS, derivation_rows),
    "passages": (lambda ix: PASSAGE_COLUMNS, passage_rows),
    "quotes": (lambda ix: QUOTE_COLUMNS, quote_rows_all),
    "quote_groups": (lambda ix: QUOTE_GROUP_COLUMNS, quote_group_rows),
    "quote_group_members": (lambda ix: QUOTE_MEMBER_COLUMNS, quote_member_rows),
    "stories": (lambda ix: STORY_COLUMNS, story_rows),
    "storylines": (lambda ix: STORYLINE_COLUMNS, storyline_rows),
    "siblings": (lambda ix: SIBLING_COLUMNS, sibling_rows),
    "framing": (framing_columns, framing_rows),
    "signals": (signal_columns, signal_rows),
}


def tables(analysis: dict | Index) -> dict[str, tuple[list[str], list[dict]]]:
    """Every table: name -> (columns, rows)."""
    ix = analysis if isinstance(analysis, Index) else build_index(analysis)
    return {name: (cols(ix), list(rows(ix))) for name, (cols, rows) in TABLES.items()}


# -- the graph -------------------------------------------------------------------

def story_graph(ix: Index, sids: Iterable[str]) -> nx.DiGraph:
    """Articles as nodes (outlet, title, date, url, story, origin), derivations as
    edges (kind, credited, share, passages), for the stories ``sids``."""
    g = nx.DiGraph()
    for sid in sids:
        s = ix.stories[sid]
        for aid in s.get("articles") or []:
            a = ix.articles.get(str(aid))
            if a is None:
                continue
            g.add_node(str(aid), outlet=a.get("outlet") or "", title=a.get("title") or "",
                       published=a.get("published") or "", url=a.get("url") or "", story=sid,
                       origin=str(aid) == str(s.get("origin")))
        for d in ix.derivations_by_story.get(sid, []):
            src, tgt = str(d.get("source")), str(d.get("target"))
            for n in (src, tgt):
                if n not in g:
                    g.add_node(n, outlet=(ix.articles.get(n) or {}).get("outlet") or "", title="", published="",
                               url="", story=ix.story_of.get(n, ""), origin=False)
            g.add_edge(src, tgt, kind=str(d.get("kind") or ""), credited=bool(d.get("credited")),
                       share=float(d.get("share") or 0.0), passages=len(d.get("passages") or []))
    return g


def _safe(v):
    return xml_safe(v) if isinstance(v, str) else v


def graphml_bytes(g: nx.DiGraph) -> bytes:
    """GraphML of ``g`` with every id and string attribute made XML-safe (a title
    holding ESC, BEL or NUL would otherwise make the writer fail)."""
    h = nx.DiGraph()
    h.add_nodes_from((_safe(n), {k: _safe(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    h.add_edges_from((_safe(u), _safe(v), {k: _safe(x) for k, x in d.items()}) for u, v, d in g.edges(data=True))
    buf = io.BytesIO()
    nx.write_graphml(h, buf)
    return buf.getvalue()


# -- export ----------------------------------------------------------------------

FORMATS = ("csv", "parquet", "graphml")


def _json_cells(row: dict, columns: list[str]) -> dict:
    """A row for Parquet: nested values as JSON text (as the Spark engine writes them)."""
    return {c: (json.dumps(row.get(c), ensure_ascii=False) if isinstance(row.get(c), (list, dict)) else row.get(c))
            for c in columns}


def _parquet_table(columns: list[str], rows: list[dict]):
    import pyarrow as pa
    data = [_json_cells(r, columns) for r in rows]
    arrays = []
    for c in columns:
        vals = [r[c] for r in data]
        try:
            arrays.append(pa.array(vals))
        except (pa.ArrowInvalid, pa.ArrowTypeError):       # mixed types in one column: as text
            arrays.append(pa.array([None if v is None else cell_text(v) for v in vals], pa.string()))
    return pa.Table.from_arrays(arrays, names=columns)


def export(analysis: dict, folder: str | Path, fmt: str) -> list[Path]:
    """Write the analysis' tables (csv, parquet) or its graph (graphml) into ``folder``;
    returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ix = build_index(analysis)
    written = []
    if fmt == "graphml":
        p = folder / "wiretrace.graphml"
        _atomic_write(p, graphml_bytes(story_graph(ix, ix.story_order)))
        return [p]
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("Parquet export needs pyarrow: pip install 'wiretrace[tables]'") from None
    for name, (cols, rows) in TABLES.items():
        columns = cols(ix)
        if fmt == "csv":
            p = folder / f"{name}.csv"
            _atomic_write(p, csv_text(columns, rows(ix)).encode("utf-8"))
        else:
            p = folder / f"{name}.parquet"
            tmp = p.with_name(p.name + ".part")
            pq.write_table(_parquet_table(columns, list(rows(ix))), tmp)
            tmp.replace(p)
        written.append(p)
    return written


def _atomic_write(p: Path, data: bytes) -> None:
    tmp = p.with_name(p.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(p)
