"""The web app: server-rendered pages and a JSON/CSV/GraphML API over the store's analysis.

The latest analysis is loaded once and indexed in memory; the store is polled
(at most once a second, one tiny query) and the index rebuilt when a new
analysis was saved.  Every page is rendered by Jinja with autoescape on; every
response carries a strict Content-Security-Policy (no scripts at all; CSS only
from this server).  Ids in URLs are only ever looked up in the index.
"""
from __future__ import annotations

import gc
import hmac
import json
import logging
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..render import tables
from ..render.report import (Index, build_index, is_flagged, make_env, marked_segments, quote_rows,
                             story_articles, story_lead, story_view, stylesheet)

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("wiretrace.web")

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none'; "
       "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
#: Largest request body accepted (uploads included); larger ones get 413.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Largest number of files in one multipart upload.
MAX_UPLOAD_FILES = 500
#: How often (seconds) the store is asked whether a new analysis was saved.
RELOAD_CHECK_S = 1.0
#: How long (seconds) before an analysis that failed to load is tried again
#: (loading a large one is costly; a newer save is tried at once).
LOAD_RETRY_S = 30.0
#: Stories per page in the list; rendered pages kept per analysis version.
PAGE_SIZE = 50
PAGE_CACHE = 4096
ALLOWED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json", ".csv", ".tsv", ".parquet", ".warc", ".gz")


# -- request guard: security headers and body size ------------------------------

class _TooLarge(Exception):
    pass


class Guard:
    """Pure ASGI middleware: adds the security headers to every response and
    answers 413 to a body over the limit (by Content-Length, or while streaming)."""

    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_h(msg):
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in msg.get("headers", [])}
                msg = dict(msg)
                msg["headers"] = list(msg.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(msg)

        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.max_body
                except ValueError:
                    too_big = True
                if too_big:
                    return await _plain(send_h, 413, "request body too large")
        seen = 0

        async def recv():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge()
            return msg

        try:
            await self.app(scope, recv, send_h)
        except _TooLarge:
            if not started:
                await _plain(send_h, 413, "request body too large")


async def _plain(send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# -- the analysis, indexed, reloaded when the store changes ----------------------

@dataclass
class State:
    version: int
    ix: Index
    haystack: dict[str, str] = field(default_factory=dict)      # story id -> lowercased titles + texts
    story_dates: dict[str, list[str]] = field(default_factory=dict)
    story_outlets: dict[str, set[str]] = field(default_factory=dict)
    story_flagged: dict[str, bool] = field(default_factory=dict)
    pages: OrderedDict = field(default_factory=OrderedDict)    # rendered pages (bytes), LRU
    pages_lock: threading.Lock = field(default_factory=threading.Lock)
    prerendered: int = 0
    prerender_done: bool = False


def _prepare(version: int, analysis: dict) -> State:
    ix = build_index(analysis)
    st = State(version, ix)
    for sid in ix.story_order:
        arts = story_articles(ix, sid)
        s = ix.stories[sid]
        st.haystack[sid] = "\n".join([str(s.get("title") or "")] + [f"{a.get('title') or ''}\n{a.get('text') or ''}"
                                                                       for a in arts]).lower()
        st.story_dates[sid] = [str(a.get("published"))[:10] for a in arts if a.get("published")]
        st.story_outlets[sid] = {a.get("outlet") or "(unknown)" for a in arts}
        st.story_flagged[sid] = any(is_flagged(a) for a in arts)
    return st


class Source:
    """Where the analysis comes from: the store (polled) or a fixed dict."""

    def __init__(self, db_path: str | Path | None, analysis: dict | None = None, on_load=None):
        self.on_load = on_load
        self.db_path = Path(db_path) if db_path is not None else None
        self.fixed = analysis
        self.lock = threading.Lock()
        self.state: State | None = None
        self.fingerprint: object = None
        self.checked = 0.0
        self.version = 0
        self.reload = False
        #: Why the store could not be read on the last check (None when it could);
        #: while set, the analysis served is the one loaded before (or none).
        self.error: str | None = None
        self.failed: tuple[object, float] | None = None    # (fingerprint, when) of a failed load
        self.loaded = False          # an analysis was loaded from the store at least once

    def _fingerprint(self):
        """(key, rowid) of the latest analysis, None when there is no store; raises
        sqlite3.Error when the store cannot be read (the caller reports it)."""
        if self.db_path is None or not self.db_path.exists():
            return None
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            # INSERT OR REPLACE gives the row a new rowid: (key, rowid) changes on every save.
            return con.execute("SELECT key, rowid FROM analyses WHERE name='latest'").fetchone()
        finally:
            con.close()

    def _load(self) -> dict:
        if self.fixed is not None:
            return self.fixed
        if self.db_path is None or not self.db_path.exists():
            return {}
        from ..store import Store
        store = Store(self.db_path)
        try:
            return store.load_analysis() or {}
        finally:
            store.close()

    def _fail(self, what: str, e: Exception) -> None:
        """The store could not be read: keep serving what was loaded (if anything),
        and say so: in /api/status, on every page, and once in the log."""
        msg = f"{what}: {type(e).__name__}: {e}"
        if msg != self.error:
            log.error("%s (%s)", msg, "serving the analysis loaded before, which may be out of date"
                      if self.loaded else "no analysis loaded")
        self.error = msg

    def _ok(self) -> None:
        if self.error is not None:
            log.warning("store readable again (%s)", self.db_path)
        self.error = None
        self.failed = None

    def get(self) -> State:
        now = time.monotonic()
        st = self.state
        if st is not None and (self.fixed is not None or now - self.checked < RELOAD_CHECK_S):
            return st
        with self.lock:
            if self.state is not None and self.fixed is None and time.monotonic() - self.checked >= RELOAD_CHECK_S:
                self.checked = time.monotonic()
                try:
                    fp = self._fingerprint()
                except sqlite3.Error as e:
                    self._fail("cannot check the store for a new analysis", e)
                    return self.state
                if fp == self.fingerprint and not self.reload:
                    self._ok()
                    return self.state
                if self.failed is not None and fp == self.failed[0] and time.monotonic() - self.failed[1] < LOAD_RETRY_S:
                    return self.state                   # the same analysis failed to load: not again yet
                self.reload = True
            if self.state is None or self.reload:
                fp = None
                try:
                    fp = self._fingerprint() if self.fixed is None else None
                    analysis = self._load()
                except Exception as e:      # a locked, corrupt or unreadable store, a broken analysis row
                    self._fail("cannot load the analysis from the store", e)
                    self.checked = time.monotonic()
                    self.failed = (fp, self.checked)
                    if self.state is None:   # nothing loaded yet: an empty index, with the error shown
                        self.version += 1
                        self.state = _prepare(self.version, {})
                        self.state.prerender_done = True
                    return self.state
                self.reload = False
                self.loaded = True
                self._ok()
                self.version += 1
                self.state = _prepare(self.version, analysis)
                # The analysis is millions of long-lived objects: keep them out of the
                # cyclic collector, whose full passes otherwise stall requests for 100s of ms.
                gc.collect()
                gc.freeze()
                self.fingerprint = fp
                self.checked = time.monotonic()
                if self.on_load is not None:
                    self.on_load(self.state)
            return self.state

    def invalidate(self) -> None:
        with self.lock:
            self.reload = True
            self.checked = 0.0


# -- helpers ---------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_filename(name: str | None, i: int) -> str:
    """A plain file name from an uploaded one: no directories, no odd characters,
    a known suffix (else .txt). Never used as a path beyond one fresh folder."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).lstrip(".")[:120] or f"upload-{i}"
    if not base.lower().endswith(ALLOWED_SUFFIXES):
        base += ".txt"
    return base


def _csv(columns: list[str], rows, filename: str) -> Response:
    return Response(tables.csv_text(columns, rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _meta(a: dict) -> dict:
    return {k: v for k, v in a.items() if k not in ("text", "sentences", "removed")}


def _story_summary(st: State, sid: str) -> dict:
    s = st.ix.stories[sid]
    origin = st.ix.articles.get(str(s.get("origin")))
    return {"id": sid, "title": s.get("title"), "lead": story_lead(st.ix, sid), "storyline": s.get("storyline"),
            "origin": s.get("origin"),
            "origin_outlet": origin.get("outlet") if origin else None, "first_seen": s.get("first_seen"),
            "articles": list(s.get("articles") or []), "outlets": sorted(st.story_outlets.get(sid, ())),
            "derivations": len(st.ix.derivations_by_story.get(sid, [])), "flagged": st.story_flagged.get(sid, False)}


def _filter_stories(st: State, q: str, outlet: str, date_from: str, date_to: str, flagged: bool) -> list[str]:
    ql = q.strip().lower()
    out = []
    for sid in st.ix.story_order:
        if ql and ql not in st.haystack[sid]:
            continue
        if outlet and outlet not in st.story_outlets[sid]:
            continue
        if date_from or date_to:
            ds = st.story_dates[sid]
            if not any((not date_from or d >= date_from) and (not date_to or d <= date_to) for d in ds):
                continue
        if flagged and not st.story_flagged[sid]:
            continue
        out.append(sid)
    out.sort(key=lambda s: (st.ix.stories[s].get("first_seen") or "", s), reverse=True)
    return out


def _find_quotes(st: State, q: str) -> list[dict]:
    ql = " ".join(q.lower().split())
    if not ql:
        return []
    groups = []
    for g in st.ix.analysis.get("quote_groups") or []:
        rows = quote_rows(st.ix, [g])[0]
        if ql in " ".join(" ".join(m["text"] for m in rows["members"]).lower().split()) \
                or ql in str(g.get("speaker") or "").lower():
            groups.append(rows)
    grouped = {(m.get("article"), m.get("quote")) for g in st.ix.analysis.get("quote_groups") or []
               for m in g.get("members") or []}
    singles = []      # quotes in no group: still "where did this appear"
    for aid, a in st.ix.articles.items():
        for i, qt in enumerate(a.get("quotes") or []):
            if (aid, i) not in grouped and ql in " ".join(str(qt.get("text") or "").lower().split()):
                singles.append({"article": aid, "outlet": a.get("outlet"), "published": a.get("published"),
                                "text": qt.get("text"), "speaker": qt.get("speaker"), "variant": None,
                                "changes": [], "reattributed": False})
    if singles:
        groups.append({"id": None, "speaker": None, "members": singles, "reattributed": False})
    return groups


def _outlet_stats(st: State, name: str) -> dict:
    ix = st.ix
    aids = ix.articles_by_outlet.get(name, [])
    outlet_of = {aid: (a.get("outlet") or "(unknown)") for aid, a in ix.articles.items()}
    origin_of = [sid for sid, s in ix.stories.items() if outlet_of.get(str(s.get("origin"))) == name]
    followed = [sid for sid in origin_of if len(ix.stories[sid].get("articles") or []) > 1]
    copies = [d for d in ix.analysis.get("derivations") or [] if outlet_of.get(str(d.get("target"))) == name]
    copied = [d for d in ix.analysis.get("derivations") or [] if outlet_of.get(str(d.get("source"))) == name]
    src_counter = Counter(outlet_of.get(str(d.get("source")), "?") for d in copies)
    by_counter = Counter(outlet_of.get(str(d.get("target")), "?") for d in copied)
    return {
        "outlet": name, "articles": len(aids), "stories_originated": len(origin_of),
        "stories_originated_and_followed": len(followed),
        "copies": len(copies), "copies_credited": sum(1 for d in copies if d.get("credited")),
        "copies_uncredited": sum(1 for d in copies if not d.get("credited")),
        "mean_share_copied": round(sum(float(d.get("share") or 0) for d in copies) / len(copies), 4) if copies else None,
        "copied_by_others": len(copied), "copied_by_others_credited": sum(1 for d in copied if d.get("credited")),
        "sources": src_counter.most_common(), "copiers": by_counter.most_common(),
        "origin_stories": origin_of, "article_ids": aids,
    }


def _graphml(st: State, sids: list[str], filename: str) -> Response:
    return Response(tables.graphml_bytes(tables.story_graph(st.ix, sids)), media_type="application/graphml+xml",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _nf(msg: str = "not found") -> JSONResponse:
    return JSONResponse({"detail": msg}, status_code=404)


def _run_analyze(folder: str, db_path: Path):
    import inspect

    from ..pipeline import analyze
    kw = {"db": db_path}
    if "all_documents" in inspect.signature(analyze).parameters:
        kw["all_documents"] = True        # re-analyse the whole store, not only the upload
    return analyze([folder], **kw)


# -- the app ---------------------------------------------------------------------

class _Site:
    """What the routes of one app share: the analysis source, the templates and
    stylesheet, the rendered-page cache (and its background prerendering), and
    the upload settings."""

    def __init__(self, source: Source, *, db_path: str | Path | None, upload_token: str | None,
                 page_cache: int, prerender: bool):
        self.source = source
        self.env = make_env(TEMPLATES)
        self.css = stylesheet()
        self.db_path = db_path
        self.upload_token = upload_token
        self.page_cache = page_cache
        self.prerender = prerender
        self.analyze_lock = threading.Lock()
        source.on_load = self.on_load

    def page(self, name: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(web=True, store_error=self.source.error, **ctx),
                            status_code=status)

    def not_found(self, what: str) -> HTMLResponse:
        return self.page("error.html", 404, title="Not found", message=f"No {what} with that id.")

    def render_story(self, st: State, sid: str, store_error: str | None = None) -> bytes:
        return self.env.get_template("story.html").render(
            web=True, title=st.ix.stories[sid].get("title") or sid, v=story_view(st.ix, sid),
            store_error=store_error).encode("utf-8")

    def cached(self, st: State, key: str, build) -> HTMLResponse:
        if self.source.error is not None:         # pages carry the error banner: not from the cache
            return HTMLResponse(build())
        body = st.pages.get(key) if self.page_cache else None
        if body is None:
            body = build()
            if self.page_cache:
                with st.pages_lock:
                    st.pages[key] = body
                    while len(st.pages) > self.page_cache:
                        st.pages.popitem(last=False)
        return HTMLResponse(body)

    def prerender_loop(self, st: State) -> None:
        """Render story pages into the cache in the background, newest first, while the
        analysis is current: pages are then served without rendering."""
        try:
            for sid in _filter_stories(st, "", "", "", "", False)[:self.page_cache]:
                if self.source.state is not st:
                    return
                key = "s\0" + sid
                if key not in st.pages:
                    body = self.render_story(st, sid)
                    with st.pages_lock:
                        st.pages.setdefault(key, body)
                st.prerendered += 1
                time.sleep(0)            # let request handling in between pages
        finally:
            st.prerender_done = True

    def on_load(self, st: State) -> None:
        if self.prerender and self.page_cache:
            threading.Thread(target=self.prerender_loop, args=(st,), name="wiretrace-prerender", daemon=True).start()
        else:
            st.prerender_done = True


def _add_pages(app: FastAPI, site: _Site) -> None:
    """The stylesheet and the HTML pages: stories, a story, an article, quotes, an outlet."""
    source, page = site.source, site.page

    @app.get("/static/style.css", include_in_schema=False)
    async def style():
        return Response(site.css, media_type="text/css; charset=utf-8", headers={"cache-control": "max-age=300"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(q: str = "", outlet: str = "", date_from: str = "", date_to: str = "",
                    flagged: str = "", page_no: int = 1):
        st = source.get()
        sids = _filter_stories(st, q, outlet, date_from, date_to, bool(flagged))
        page_no = max(1, page_no)
        shown = sids[(page_no - 1) * PAGE_SIZE: page_no * PAGE_SIZE]
        return page("index.html", title="Stories", rows=[_story_summary(st, s) for s in shown], total=len(sids),
                    q=q, outlet=outlet, date_from=date_from, date_to=date_to, flagged=bool(flagged),
                    outlets=sorted(st.ix.articles_by_outlet), page_no=page_no,
                    pages=(len(sids) + PAGE_SIZE - 1) // PAGE_SIZE, articles=st.ix.articles,
                    empty_store=not st.ix.articles)

    @app.get("/stories/{sid:path}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(sid: str):
        st = source.get()
        if sid not in st.ix.stories:
            return site.not_found("story")
        return site.cached(st, "s\0" + sid, lambda: site.render_story(st, sid, source.error))

    @app.get("/articles/{aid:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(aid: str, removed: int = 0):
        st = source.get()
        a = st.ix.articles.get(aid)
        if a is None:
            return site.not_found("article")
        spans, sources = [], []
        for n, d in enumerate(st.ix.derivations_by_target.get(aid, []), 1):
            sources.append({"n": n, "d": d, "article": st.ix.articles.get(str(d.get("source")))})
            for p in d.get("passages") or []:
                spans.append((p.get("target_start"), p.get("target_end"),
                              "verbatim" if p.get("kind") == "verbatim" else "rewritten", f"d{n}"))
        copiers = [{"d": d, "article": st.ix.articles.get(str(d.get("target")))}
                   for d in st.ix.derivations_by_source.get(aid, [])]
        own = [{"d": d, "other": st.ix.articles.get(str(d.get("source" if str(d.get("target")) == aid else "target"))),
                "reuser": str(d.get("target")) == aid} for d in st.ix.own_reuse_by_article.get(aid, [])]
        sibs = []
        for sb in st.ix.siblings_by_article.get(aid, []):
            other_id = str(sb.get("b") if str(sb.get("a")) == aid else sb.get("a"))
            sibs.append({"sb": sb, "other_id": other_id, "other": st.ix.articles.get(other_id),
                         "source": st.ix.articles.get(str(sb.get("source")))})
        for q in a.get("quotes") or []:
            spans.append((q.get("start"), q.get("end"), "quote", ""))
        sid = st.ix.story_of.get(aid)
        return page("article.html", title=a.get("title") or aid, a=a, segments=marked_segments(a.get("text") or "", spans),
                    sources=sources, copiers=copiers, own=own, sibs=sibs, show_removed=bool(removed),
                    story=st.ix.stories.get(sid) if sid else None, sid=sid,
                    groups=quote_rows(st.ix, st.ix.groups_by_article.get(aid, [])))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    async def quotes_page(q: str = ""):
        st = source.get()
        return page("quotes.html", title="Quotes", q=q, groups=_find_quotes(st, q) if q.strip() else None,
                    articles=st.ix.articles)

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    async def outlet_page(name: str):
        st = source.get()
        if name not in st.ix.articles_by_outlet:
            return page("error.html", 404, title="Not found", message="No outlet by that name.")
        return page("outlet.html", title=name, o=_outlet_stats(st, name), articles=st.ix.articles,
                    stories=st.ix.stories)


def _add_story_api(app: FastAPI, site: _Site) -> None:
    """The API's status and stories: JSON, CSV and GraphML (a story's sub-paths are
    registered before the story itself, which would otherwise match them)."""
    source = site.source

    @app.get("/api/status")
    async def api_status():
        st = source.get()
        return {"version": st.version, "articles": len(st.ix.articles), "stories": len(st.ix.stories),
                "pages_cached": len(st.pages), "prerender_done": st.prerender_done,
                # the store could not be read: what is served is the analysis loaded before (stale)
                "store_error": source.error, "stale": source.error is not None and source.loaded}

    @app.get("/api/stories")
    async def api_stories(q: str = "", outlet: str = "", date_from: str = "", date_to: str = "",
                          flagged: bool = False, limit: int = 100, offset: int = 0):
        st = source.get()
        sids = _filter_stories(st, q, outlet, date_from, date_to, flagged)
        limit = max(0, min(limit, 1000))
        return {"total": len(sids), "offset": offset,
                "stories": [_story_summary(st, s) for s in sids[max(0, offset): max(0, offset) + limit]]}

    @app.get("/api/stories.csv")
    async def api_stories_csv(q: str = "", outlet: str = "", date_from: str = "", date_to: str = "", flagged: bool = False):
        st = source.get()
        sids = _filter_stories(st, q, outlet, date_from, date_to, flagged)
        return _csv(tables.STORY_COLUMNS, tables.story_rows(st.ix, sids), "stories.csv")

    @app.get("/api/stories/{sid:path}/derivations.csv")
    async def api_story_derivations_csv(sid: str):
        st = source.get()
        if sid not in st.ix.stories:
            return _nf("no such story")
        return _csv(tables.DERIVATION_COLUMNS,
                    tables.derivation_rows(st.ix, st.ix.derivations_by_story.get(sid, []), story=sid),
                    "derivations.csv")

    @app.get("/api/stories/{sid:path}/graph.graphml")
    async def api_story_graph(sid: str):
        st = source.get()
        if sid not in st.ix.stories:
            return _nf("no such story")
        return _graphml(st, [sid], "story.graphml")

    @app.get("/api/stories/{sid:path}")
    async def api_story(sid: str):
        st = source.get()
        if sid not in st.ix.stories:
            return _nf("no such story")
        ids = {str(a) for a in st.ix.stories[sid].get("articles") or []}
        return {"story": st.ix.stories[sid], "articles": [_meta(a) for a in story_articles(st.ix, sid)],
                "derivations": st.ix.derivations_by_story.get(sid, []),
                "quote_groups": [g for g in st.ix.analysis.get("quote_groups") or []
                                 if any(str(m.get("article")) in ids for m in g.get("members") or [])],
                "framing": st.ix.framing_by_story.get(sid, [])}


def _add_corpus_api(app: FastAPI, site: _Site) -> None:
    """The API over the whole analysis: the graph, derivations, articles, quotes, outlets."""
    source = site.source

    @app.get("/api/graph.graphml")
    async def api_graph():
        st = source.get()
        return _graphml(st, st.ix.story_order, "wiretrace.graphml")

    @app.get("/api/derivations.csv")
    async def api_derivations_csv():
        st = source.get()
        return _csv(tables.DERIVATION_COLUMNS, tables.derivation_rows(st.ix), "derivations.csv")

    @app.get("/api/articles")
    async def api_articles(outlet: str = "", limit: int = 100, offset: int = 0):
        st = source.get()
        ids = st.ix.articles_by_outlet.get(outlet, []) if outlet else list(st.ix.articles)
        limit = max(0, min(limit, 1000))
        return {"total": len(ids), "offset": offset,
                "articles": [_meta(st.ix.articles[i]) for i in ids[max(0, offset): max(0, offset) + limit]]}

    @app.get("/api/articles/{aid:path}")
    async def api_article(aid: str):
        st = source.get()
        a = st.ix.articles.get(aid)
        if a is None:
            return _nf("no such article")
        return a

    @app.get("/api/quotes")
    async def api_quotes(q: str = ""):
        st = source.get()
        return {"q": q, "groups": _find_quotes(st, q)}

    @app.get("/api/quotes.csv")
    async def api_quotes_csv(q: str = ""):
        st = source.get()
        return _csv(tables.QUOTE_SEARCH_COLUMNS, tables.quote_search_rows(_find_quotes(st, q)), "quotes.csv")

    @app.get("/api/outlets/{name:path}")
    async def api_outlet(name: str):
        st = source.get()
        if name not in st.ix.articles_by_outlet:
            return _nf("no such outlet")
        return _outlet_stats(st, name)


async def _save_upload(request: Request, ctype: str, tmp: Path) -> int | None:
    """Write the request's files under ``tmp`` (multipart: one folder per file, which
    keeps its stem, the id; else the body as one JSONL file). Returns how many were
    written, None for a content type that is not accepted."""
    written = 0
    if ctype == "multipart/form-data":
        async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES) as form:
            for i, (_key, val) in enumerate(form.multi_items()):
                if not isinstance(val, UploadFile):
                    continue
                sub = tmp / f"{i:04d}"
                sub.mkdir()
                with open(sub / sanitize_filename(val.filename, i), "wb") as fh:
                    while chunk := await val.read(1 << 16):
                        fh.write(chunk)
                written += 1
    elif ctype in ("application/jsonl", "application/x-ndjson", "application/json", "text/plain", ""):
        body = await request.body()
        if body.strip():
            (tmp / "upload.jsonl").write_bytes(body)
            written = 1
    else:
        return None
    return written


def _add_upload(app: FastAPI, site: _Site) -> None:
    """POST /api/articles: add files to the store (bearer token) and re-analyse it."""
    source, upload_token, db_path = site.source, site.upload_token, site.db_path

    @app.post("/api/articles")
    async def api_upload(request: Request):
        if not upload_token:
            return JSONResponse({"detail": "uploads are disabled (start the server with a token)"}, status_code=403)
        auth = request.headers.get("authorization", "")
        if not hmac.compare_digest(auth.encode("utf-8", "replace"), f"Bearer {upload_token}".encode("utf-8")):
            return JSONResponse({"detail": "missing or wrong bearer token"}, status_code=401,
                                headers={"www-authenticate": "Bearer"})
        if db_path is None:
            return JSONResponse({"detail": "this server has no store to add to"}, status_code=409)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        tmp = Path(tempfile.mkdtemp(prefix="wiretrace-upload-"))
        try:
            written = await _save_upload(request, ctype, tmp)
            if written is None:
                return JSONResponse({"detail": f"unsupported content type {ctype!r}"}, status_code=415)
            if not written:
                return JSONResponse({"detail": "nothing uploaded"}, status_code=400)

            def work():
                with site.analyze_lock:
                    return _run_analyze(str(tmp), Path(db_path))
            result = await run_in_threadpool(work)
            source.invalidate()
            probs = [str(p) for p in getattr(result, "problems", [])]
            probs = [p.replace(str(tmp), "upload") for p in probs]
            return {"files": written, "articles": len(getattr(result, "articles", [])), "problems": probs}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def create_app(db_path: str | Path | None, *, upload_token: str | None = None, analysis: dict | None = None,
               analysis_json: str | Path | None = None, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               page_cache: int = PAGE_CACHE, prerender: bool = True):
    """The FastAPI app over the store at ``db_path`` (or a fixed ``analysis`` dict /
    ``analysis_json`` file, for tests and benchmarks). Uploads are disabled (403)
    unless ``upload_token`` is given; then they need ``Authorization: Bearer <token>``.
    ``page_cache`` rendered story pages are kept per analysis; with ``prerender`` they are
    rendered in a background thread as soon as an analysis is loaded."""
    if analysis is None and analysis_json is not None:
        analysis = json.loads(Path(analysis_json).read_text(encoding="utf-8"))
    source = Source(db_path, analysis)
    site = _Site(source, db_path=db_path, upload_token=upload_token, page_cache=page_cache, prerender=prerender)
    app = FastAPI(title="wiretrace", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Where the news comes from: stories, origins, copies, quotes.")
    app.add_middleware(Guard, max_body=max_upload_bytes)
    app.state.source = source
    # registration order is matching order: keep the groups in this order
    _add_pages(app, site)
    _add_story_api(app, site)
    _add_corpus_api(app, site)
    _add_upload(app, site)
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the app with uvicorn (what ``wiretrace serve`` calls)."""
    import uvicorn

    uvicorn.run(create_app(db, upload_token=token), host=host, port=port, log_level="info",
                proxy_headers=False, server_header=False)
