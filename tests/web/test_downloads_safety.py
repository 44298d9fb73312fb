"""Downloads over a real server on 127.0.0.1: a title, outlet or id holding ESC, BEL
or NUL gives well-formed GraphML (it answered 500 before), and the CSV downloads
hold neither control characters nor live formulas."""
from __future__ import annotations

import csv
import io

import httpx
import networkx as nx

from webhelpers import Server, sample_analysis
from wiretrace.web.app import create_app

BAD = "Bridge\x1b[2J\x1b]0;owned\x07 reopens\x00 \ud800 \ufffe"


def _control_analysis() -> dict:
    an = sample_analysis()
    an["articles"][0]["title"] = BAD
    an["articles"][1]["outlet"] = "=cmd|' /C calc'!A0\x07"
    an["stories"][0]["title"] = "\x1bStory\x00\udc80"
    return an


def test_graphml_with_control_characters(tmp_path):
    with Server(create_app(None, analysis=_control_analysis(), prerender=False)) as srv:
        for url in ("/api/graph.graphml", "/api/stories/s1/graph.graphml"):
            r = httpx.get(srv.url + url, timeout=30)
            assert r.status_code == 200, (url, r.text[:300])
            assert r.headers["content-type"].startswith("application/graphml+xml")
            p = tmp_path / "g.graphml"
            p.write_bytes(r.content)
            g = nx.read_graphml(p)                          # well-formed XML
            assert g.nodes["a1"]["title"] == "Bridge\ufffd[2J\ufffd]0;owned\ufffd reopens\ufffd \ufffd \ufffd"
            assert g.nodes["a2"]["outlet"] == "=cmd|' /C calc'!A0\ufffd"
            assert g.edges["a1", "a2"]["share"] == 0.62


def test_csv_downloads_with_control_characters():
    with Server(create_app(None, analysis=_control_analysis(), prerender=False)) as srv:
        for url in ("/api/stories.csv", "/api/derivations.csv", "/api/stories/s1/derivations.csv",
                    "/api/quotes.csv?q=flood"):
            r = httpx.get(srv.url + url, timeout=30)
            assert r.status_code == 200, url
            assert not any(c in r.text for c in "\x00\x07\x1b"), url
            rows = list(csv.reader(io.StringIO(r.text)))
            assert len(rows) > 1, url
            assert not any(c[:1] in ("=", "+", "-", "@") for row in rows for c in row), url
        rows = list(csv.DictReader(io.StringIO(httpx.get(srv.url + "/api/stories/s1/derivations.csv").text)))
        assert rows[0]["target_outlet"] == "'=cmd|' /C calc'!A0\ufffd"
        rows = list(csv.DictReader(io.StringIO(httpx.get(srv.url + "/api/stories.csv").text)))
        assert "\ufffdStory\ufffd\ufffd" in {r["title"] for r in rows}
