"""Load benchmark of the web app: a synthetic 10k-article analysis in a real store,
a real uvicorn server on 127.0.0.1 (a subprocess), N concurrent httpx clients
requesting random /stories/{id} pages for a bounded time.

    .venv/bin/python bench/web_load.py                      # 10k articles, ~3k stories, 50 clients, 20 s
    .venv/bin/python bench/web_load.py --page-cache 0       # no cache: every page rendered afresh
    .venv/bin/python bench/web_load.py --articles 2000 --seconds 5 --json

Prints requests/s and latency percentiles; the target is p99 < 200 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("council bridge river minister election market report police court storm hospital school budget "
         "agency official said would could after before during against between protest inquiry vote plan "
         "government company shares prices workers union strike talks border army ceasefire city region "
         "people residents water power road train airport flights delays weather season crop harvest").split()
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]


def _sentence(rng: random.Random) -> str:
    w = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(w).capitalize() + "."


def synthetic_analysis(n_articles: int = 10_000, n_stories: int = 3_000, seed: int = 7) -> dict:
    """A contract-shaped analysis: stories of 1-7 articles, each non-origin article derived
    from the origin with a few passages, one quote group per story, framing entries."""
    rng = random.Random(seed)
    sizes = [1] * n_stories
    for _ in range(n_articles - n_stories):
        sizes[rng.randrange(n_stories)] += 1
    articles, stories, derivations, groups, framing = [], [], [], [], []
    aid = 0
    for si, size in enumerate(sizes):
        sid = f"s{si}"
        day = f"2024-{1 + si % 12:02d}-{1 + si % 28:02d}"
        base = [_sentence(rng) for _ in range(rng.randint(8, 16))]
        quote = " ".join(rng.choice(WORDS) for _ in range(10))
        ids = []
        origin_sents, origin_offs = [], []
        for k in range(size):
            a_id = f"a{aid}"
            aid += 1
            sents = list(base) if k == 0 else [s if rng.random() < 0.6 else _sentence(rng) for s in base]
            sents.insert(1, f"\"{quote},\" said Official {si}.")
            text = " ".join(sents)
            qs = text.index(quote)
            offs, pos = [], 0
            for s in sents:
                offs.append([pos, pos + len(s)])
                pos += len(s) + 1
            articles.append({
                "id": a_id, "outlet": OUTLETS[(si + k * 7) % len(OUTLETS)],
                "title": " ".join(rng.choice(WORDS) for _ in range(7)).capitalize(),
                "published": f"{day}T{8 + k:02d}:00:00Z", "url": f"https://news{k}.example/{a_id}",
                "authors": [], "dateline": None, "credits": [], "cited_sources": [], "text": text,
                "removed": ["Cookie Settings"], "sentences": offs,
                "quotes": [{"text": quote, "start": qs, "end": qs + len(quote), "speaker": f"Official {si}", "cue": "said"}],
                "story": sid, "storyline": f"l{si}", "signals": {"patchwork": 0.0, "orphan_references": []}})
            if k == 0:
                origin_sents, origin_offs = sents, offs
            else:
                passages = [{"source_start": origin_offs[j][0], "source_end": origin_offs[j][1],
                             "target_start": offs[j][0], "target_end": offs[j][1],
                             "kind": "verbatim" if sents[j] == origin_sents[j] else "rewritten"}
                            for j in range(len(sents)) if j < len(origin_offs) and rng.random() < 0.5]
                derivations.append({"source": ids[0], "target": a_id, "kind": rng.choice(["wholly", "partially"]),
                                    "credited": rng.random() < 0.5, "share": round(rng.random(), 2),
                                    "passages": passages})
                framing.append({"story": sid, "article": a_id, "added": [offs[-1]],
                                "omitted": [{"article": ids[0], "start": origin_offs[-1][0], "end": origin_offs[-1][1]}],
                                "terms": [{"concept": "vote", "term": rng.choice(["ballot", "poll"]), "count": 1}],
                                "actor_changes": []})
            ids.append(a_id)
        stories.append({"id": sid, "storyline": f"l{si}", "title": articles[-size]["title"], "articles": ids,
                        "origin": ids[0], "first_seen": f"{day}T08:00:00Z"})
        groups.append({"id": f"q{si}", "speaker": f"Official {si}",
                       "members": [{"article": i, "quote": 0, "variant": "verbatim", "changes": []} for i in ids]})
    return {"schema": "wiretrace.analysis/1", "articles": articles, "stories": stories, "derivations": derivations,
            "quote_groups": groups, "framing": framing, "storylines": [], "problems": []}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def drive(base: str, ids: list[str], clients: int, seconds: float, seed: int = 1,
                path: str = "/stories/{id}", expect: bytes = b"Provenance graph") -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker(k: int):
            nonlocal errors
            rng = random.Random(seed * 1000 + k)
            while time.perf_counter() < deadline:
                sid = rng.choice(ids)
                t0 = time.perf_counter()
                try:
                    r = await client.get(path.format(id=sid))
                    ok = r.status_code == 200 and expect in r.content
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t0)
                errors += not ok
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        wall = time.perf_counter() - t0
    return _stats(lat, errors, wall)


async def drive_raw(host: str, port: int, ids: list[str], clients: int, seconds: float, seed: int = 1,
                    path: str = "/stories/{id}", expect: bytes = b"Provenance graph") -> dict:
    """The same load with a minimal keep-alive HTTP/1.1 client on asyncio streams: far less
    client CPU than httpx, so on a small machine it measures the server, not the client."""
    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(k: int):
        nonlocal errors
        rng = random.Random(seed * 1000 + k)
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                url = path.format(id=rng.choice(ids))
                t0 = time.perf_counter()
                writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
                body = await reader.readexactly(length)
                lat.append(time.perf_counter() - t0)
                errors += not (head.startswith(b"HTTP/1.1 200") and expect in body)
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    wall = time.perf_counter() - t0
    return _stats(lat, errors, wall)


def _stats(lat: list[float], errors: int, wall: float) -> dict:
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    return {"requests": len(lat), "errors": errors, "seconds": round(wall, 2), "rps": round(len(lat) / wall, 1),
            "p50_ms": round(q(0.50), 1), "p90_ms": round(q(0.90), 1), "p99_ms": round(q(0.99), 1),
            "max_ms": round(lat[-1] * 1000, 1), "mean_ms": round(statistics.fmean(lat) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--stories", type=int, default=3_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--page-cache", type=int, default=None, help="rendered pages kept (default: the app's default)")
    ap.add_argument("--warm-timeout", type=float, default=300.0,
                    help="longest wait for the background pre-rendering before driving load")
    ap.add_argument("--db", type=Path, default=None, help="store to write (default: a temp file)")
    ap.add_argument("--path", default="/stories/{id}", help="URL driven ({id}: a random story id)")
    ap.add_argument("--client", choices=["httpx", "raw"], default="httpx",
                    help="httpx.AsyncClient, or a minimal asyncio HTTP/1.1 client (less client CPU)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from wiretrace.store import Store

    tmp = tempfile.TemporaryDirectory(prefix="wiretrace-webload-")
    db = args.db or Path(tmp.name) / "bench.db"
    t0 = time.perf_counter()
    an = synthetic_analysis(args.articles, args.stories)
    st = Store(db)
    st.save_analysis("bench", an)
    st.close()
    build_s = time.perf_counter() - t0
    ids = [s["id"] for s in an["stories"]]
    port = free_port()
    cache_arg = "" if args.page_cache is None else f", page_cache={args.page_cache}"
    code = (f"import uvicorn; from wiretrace.web.app import create_app; "
            f"uvicorn.run(create_app({str(db)!r}{cache_arg}), host='127.0.0.1', port={port}, "
            f"log_level='warning', access_log=False)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        import httpx
        base = f"http://127.0.0.1:{port}"
        t1 = time.perf_counter()
        while True:
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=60).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.perf_counter() - t1 > 120:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        ready_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        while not httpx.get(base + "/api/status", timeout=60).json().get("prerender_done"):
            if time.perf_counter() - t2 > args.warm_timeout:
                break
            time.sleep(0.5)
        warm_s = time.perf_counter() - t2
        cached = httpx.get(base + "/api/status", timeout=60).json().get("pages_cached")
        expect = b"Provenance graph" if args.path == "/stories/{id}" else b""
        if args.client == "raw":
            res = asyncio.run(drive_raw("127.0.0.1", port, ids, args.clients, args.seconds, path=args.path, expect=expect))
        else:
            res = asyncio.run(drive(base, ids, args.clients, args.seconds, path=args.path, expect=expect))
    finally:
        proc.terminate()
        proc.wait(10)
        tmp.cleanup()
    res.update({"client": args.client, "path": args.path, "articles": args.articles, "stories": len(ids), "clients": args.clients,
                "page_cache": args.page_cache if args.page_cache is not None else "default",
                "build_store_s": round(build_s, 1), "server_ready_s": round(ready_s, 1),
                "prerender_s": round(warm_s, 1), "pages_cached_at_start": cached,
                "target_p99_ms": 200, "p99_ok": res["p99_ms"] < 200})
    if args.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:>16}: {v}")


if __name__ == "__main__":
    main()
