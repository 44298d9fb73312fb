"""API tests over the fixture analysis (httpx via TestClient): JSON shapes, CSV, GraphML,
security headers, ids never read as paths, uploads (disabled, token, size)."""
from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from wiretrace.web import app as webapp
from wiretrace.web.app import create_app, sanitize_filename
from webhelpers import sample_analysis


@pytest.fixture
def client():
    return TestClient(create_app(None, analysis=sample_analysis()))


def test_story_list_and_filters(client):
    r = client.get("/api/stories")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2
    s1 = next(s for s in body["stories"] if s["id"] == "s1")
    assert s1["origin"] == "a1" and s1["origin_outlet"] == "Wire Agency"
    assert s1["articles"] == ["a1", "a2", "a3"] and s1["derivations"] == 2 and s1["flagged"] is True
    assert [s["id"] for s in client.get("/api/stories", params={"q": "LIZARD"}).json()["stories"]] == ["s2"]
    assert [s["id"] for s in client.get("/api/stories", params={"outlet": "Daily Ledger"}).json()["stories"]] == ["s1"]
    assert [s["id"] for s in client.get("/api/stories", params={"date_to": "2024-03-05"}).json()["stories"]] == ["s1"]
    assert [s["id"] for s in client.get("/api/stories", params={"flagged": "true"}).json()["stories"]] == ["s1"]
    assert client.get("/api/stories", params={"q": "no such words"}).json()["total"] == 0


def test_story_detail(client):
    d = client.get("/api/stories/s1").json()
    assert d["story"]["origin"] == "a1"
    assert [a["id"] for a in d["articles"]] == ["a1", "a2", "a3"]
    assert "text" not in d["articles"][0]
    assert {(x["source"], x["target"], x["share"]) for x in d["derivations"]} == {("a1", "a2", 0.62), ("a1", "a3", 0.91)}
    assert [g["id"] for g in d["quote_groups"]] == ["q1"]
    assert len(d["framing"]) == 2
    assert client.get("/api/stories/zzz").status_code == 404


def test_articles(client):
    body = client.get("/api/articles", params={"limit": 2}).json()
    assert body["total"] == 4 and len(body["articles"]) == 2
    assert client.get("/api/articles", params={"outlet": "Eastport Post"}).json()["articles"][0]["id"] == "a4"
    a = client.get("/api/articles/a2").json()
    assert a["title"] == "River bridge to shut for eight months" and a["text"].startswith("Northvale will shut")
    # ids are looked up, never read as paths
    for bad in ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd"]:
        r = client.get("/api/articles/" + bad)
        assert r.status_code == 404, bad
        assert "root:" not in r.text
    assert client.get("/articles/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_quotes_json_and_csv(client):
    g = client.get("/api/quotes", params={"q": "next  FLOOD"}).json()["groups"]
    assert len(g) == 1 and g[0]["id"] == "q1" and g[0]["speaker"] == "Mara Quint"
    wordings = {m["outlet"]: (m["text"], m["variant"]) for m in g[0]["members"]}
    assert wordings["Harbor Times"] == ("We can not wait for the next flood,", "altered")
    # a quote in no group is still found
    g2 = client.get("/api/quotes", params={"q": "private collection"}).json()["groups"]
    assert g2[0]["id"] is None and g2[0]["members"][0]["article"] == "a4"
    r = client.get("/api/quotes.csv", params={"q": "flood"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and {x["outlet"] for x in rows} == {"Wire Agency", "Daily Ledger", "Harbor Times"}
    assert rows[2]["changes"] == "cannot -> can not"


def test_derivations_csv(client):
    r = client.get("/api/stories/s1/derivations.csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["target_outlet"], x["share"], x["credited"]) for x in rows] == [
        ("Daily Ledger", "0.62", "False"), ("Harbor Times", "0.91", "True")]
    assert client.get("/api/stories/zzz/derivations.csv").status_code == 404
    assert len(list(csv.DictReader(io.StringIO(client.get("/api/derivations.csv").text)))) == 2
    assert len(list(csv.DictReader(io.StringIO(client.get("/api/stories.csv").text)))) == 2


def test_csv_formula_injection_neutralised():
    an = sample_analysis()
    an["articles"][1]["outlet"] = "=HYPERLINK(\"http://x\")"
    c = TestClient(create_app(None, analysis=an))
    rows = list(csv.DictReader(io.StringIO(c.get("/api/stories/s1/derivations.csv").text)))
    assert rows[0]["target_outlet"].startswith("'=")


def test_graphml(client, tmp_path):
    r = client.get("/api/stories/s1/graph.graphml")
    assert r.status_code == 200
    p = tmp_path / "g.graphml"
    p.write_bytes(r.content)
    g = nx.read_graphml(p)
    assert set(g.nodes) == {"a1", "a2", "a3"}
    assert g.edges["a1", "a2"]["share"] == pytest.approx(0.62) and g.edges["a1", "a2"]["credited"] is False
    assert g.nodes["a1"]["origin"] is True and g.nodes["a1"]["outlet"] == "Wire Agency"
    p.write_bytes(client.get("/api/graph.graphml").content)
    g = nx.read_graphml(p)
    assert set(g.nodes) == {"a1", "a2", "a3", "a4"} and g.number_of_edges() == 2


def test_openapi_and_headers(client):
    spec = client.get("/openapi.json").json()
    for path in ["/api/stories", "/api/stories/{sid}", "/api/articles", "/api/articles/{aid}", "/api/quotes",
                 "/api/graph.graphml"]:
        assert path in spec["paths"], path
    for u in ["/", "/stories/s1", "/api/stories", "/static/style.css", "/nope"]:
        h = client.get(u).headers
        assert "script-src 'none'" in h["content-security-policy"] and "default-src 'none'" in h["content-security-policy"]
        assert "style-src 'self'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
    assert client.get("/docs").status_code == 404        # the docs page loads scripts from a CDN: off


def test_pages_content(client):
    html = client.get("/stories/s1").text
    assert "Northvale closes river bridge" in html and "62%" in html and "<svg" in html
    assert "<script" not in html and " style=" not in html   # CSP: no script, no inline style attributes
    a1 = client.get("/articles/a1").text
    assert "Cookie Settings" not in a1
    assert "Cookie Settings" in client.get("/articles/a1", params={"removed": 1}).text
    assert 'rel="noopener noreferrer nofollow"' in a1
    assert client.get("/outlets/Nobody").status_code == 404
    assert client.get("/stories/nope").status_code == 404


def test_unsafe_urls_not_linked():
    an = sample_analysis()
    an["articles"][0]["url"] = "javascript:alert(1)"
    an["articles"][1]["url"] = " JaVaScRiPt:alert(1)"
    an["articles"][2]["url"] = "data:text/html,<script>alert(1)</script>"
    c = TestClient(create_app(None, analysis=an))
    for aid in ("a1", "a2", "a3"):
        html = c.get(f"/articles/{aid}").text
        assert 'href="javascript' not in html.lower() and 'href=" javascript' not in html.lower()
        assert 'href="data:' not in html
        assert "&lt;script&gt;" in html or "javascript:alert(1)" in html.lower()


def test_upload_disabled_without_token(client):
    r = client.post("/api/articles", files={"f": ("x.txt", b"hello")})
    assert r.status_code == 403


def test_upload_token_and_size(tmp_path, monkeypatch):
    calls = []

    class Result:
        articles = [1, 2]
        problems = []

    def fake(folder, db):
        from pathlib import Path
        files = sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())
        calls.append((files, [Path(folder, f).read_bytes() for f in files], db))
        return Result()

    monkeypatch.setattr(webapp, "_run_analyze", fake)
    c = TestClient(create_app(tmp_path / "w.db", upload_token="s3cret", max_upload_bytes=4000))
    files = {"f": ("../../evil name.txt", b"An article body.")}
    assert c.post("/api/articles", files=files).status_code == 401
    assert c.post("/api/articles", files=files, headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = {"Authorization": "Bearer s3cret"}
    r = c.post("/api/articles", files=[("f", ("../../evil name.txt", b"An article body.")),
                                       ("f", ("page.html", b"<p>x</p>"))], headers=ok)
    assert r.status_code == 200, r.text
    assert r.json()["files"] == 2 and r.json()["articles"] == 2
    names, bodies, db = calls[-1]
    assert names == ["0000/evil_name.txt", "0001/page.html"]          # no path from the request
    assert bodies[0] == b"An article body." and db == tmp_path / "w.db"
    r = c.post("/api/articles", content=b'{"id": "j1", "text": "hi"}\n', headers={**ok, "content-type": "application/x-ndjson"})
    assert r.status_code == 200 and calls[-1][0] == ["upload.jsonl"]
    # too large: by Content-Length and while streaming a chunked body
    assert c.post("/api/articles", files={"f": ("a.txt", b"x" * 5000)}, headers=ok).status_code == 413
    def gen():
        for _ in range(10):
            yield b"y" * 1000
    assert c.post("/api/articles", content=gen(), headers={**ok, "content-type": "application/x-ndjson"}).status_code == 413
    assert c.post("/api/articles", content=b"", headers={**ok, "content-type": "application/x-ndjson"}).status_code == 400
    assert c.post("/api/articles", content=b"x", headers={**ok, "content-type": "image/png"}).status_code == 415


def test_sanitize_filename():
    assert sanitize_filename("../../etc/passwd", 0) == "passwd.txt"
    assert sanitize_filename("C:\\Windows\\evil.jsonl", 1) == "evil.jsonl"
    assert sanitize_filename("..", 2) == "upload-2.txt"
    assert sanitize_filename(None, 3) == "upload-3.txt"
    assert sanitize_filename("a b<c>.warc.gz", 4) == "a_b_c_.warc.gz"


def test_reload_when_store_changes(tmp_path, monkeypatch):
    Store = pytest.importorskip("wiretrace.store").Store
    db = tmp_path / "s.db"
    st = Store(db)
    st.save_analysis("k1", sample_analysis())
    monkeypatch.setattr(webapp, "RELOAD_CHECK_S", 0.0)
    c = TestClient(create_app(db))
    assert c.get("/api/stories").json()["total"] == 2
    an = sample_analysis()
    an["stories"] = an["stories"][:1]
    st.save_analysis("k1", an)              # same key, new content: still seen
    assert c.get("/api/stories").json()["total"] == 1
    st.close()


def test_empty_store_and_empty_analysis(tmp_path):
    c = TestClient(create_app(tmp_path / "none.db"))
    assert c.get("/api/stories").json() == {"total": 0, "offset": 0, "stories": []}
    assert "No stories found" in c.get("/").text
    empty = {"schema": "wiretrace.analysis/1", "articles": [], "stories": [], "derivations": [], "quote_groups": [],
             "framing": [], "storylines": [], "problems": []}
    c = TestClient(create_app(None, analysis=empty))
    assert c.get("/").status_code == 200 and c.get("/api/graph.graphml").status_code == 200


def test_own_reuse_on_article_and_story_pages():
    an = sample_analysis()
    an["own_reuse"] = [{"source": "a1", "target": "a4", "kind": "partially", "credited": False, "share": 0.2,
                        "passages": [], "evidence": {"direction": "published", "source_cover": 0.1, "sentences": 1,
                                                     "nonquote_tokens": 20, "own_copy": {
                                                         "outlet": "<b>Wire</b>", "source_day": "2024-03-01",
                                                         "target_day": "2024-03-09"}}}]
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a4").text
    assert "Own text reused" in page and "text of another day: background, not copying" in page
    assert "&lt;b&gt;Wire&lt;/b&gt;" in page and "<b>Wire</b>" not in page
    assert "its text is reused" in c.get("/articles/a1").text
    story = c.get("/stories/s1").text
    assert "Own earlier text reused" in story and "2024-03-09" in story
    # undated: the sentences that show the day moved, escaped; no empty day
    an["own_reuse"][0]["evidence"].update(direction="deixis", own_copy={
        "outlet": "PA", "source_day": None, "target_day": None,
        "day_shift": {"source": "Today <i>Hale</i> told the court", "target": "On Monday, <i>Hale</i> told the court"}})
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a4").text
    assert "the day moved" in page and "On Monday, &lt;i&gt;Hale&lt;/i&gt; told the court" in page
    assert "<i>Hale</i>" not in page
    story = c.get("/stories/s1").text
    assert "the day moved" in story and "(None)" not in story and "()" not in story
    # no day and no day moved (one paper's undated texts): no claim of another day
    an["own_reuse"][0]["evidence"]["own_copy"] = {"outlet": "The Daily Telegraph", "source_day": None, "target_day": None}
    c = TestClient(create_app(None, analysis=an))
    for page in (c.get("/articles/a4").text, c.get("/stories/s1").text):
        assert "no dates tell the day" in page and "text of another day" not in page


def test_set_aside_rewrite_is_told_beside_the_source():
    an = sample_analysis()
    d = next(x for x in an["derivations"] if x["target"] == "a3")
    d.setdefault("evidence", {}).update({"direction": "wire", "direction_votes": {"published": "open", "wire": "outlet: PA"},
                                        "set_aside": [{"article": "<i>a2</i>", "shared_in_source": 0.3}]})
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a3").text
    assert "same-day text the copy also follows" in page and "dates leave the order open" in page
    assert "preferred to 1 other outlet&#x27;s same-day text" in page
    assert "&lt;i&gt;a2&lt;/i&gt;" in page and "<i>a2</i>" not in page
    # the story page lists it with the three articles named
    story = c.get("/stories/s1").text
    assert "Same-day text set aside for the agency copy" in story and "of the text they share is in the agency copy" in story
    assert "<i>a2</i>" not in story
    assert "explains it on its own" in story and "too few to be the source" not in story
    # shared text mostly not in this agency copy: from a version of it the corpus lacks
    assert "in a version of its copy that the corpus lacks" in story
    d["evidence"]["set_aside"][0]["shared_in_source"] = 0.7
    story = TestClient(create_app(None, analysis=an)).get("/stories/s1").text
    assert "most likely came from the agency" in story and "the corpus lacks" not in story
    # the agency copy taken as the source jointly with the text set aside: said on both pages
    d["evidence"]["joint_with_set_aside"] = True
    c = TestClient(create_app(None, analysis=an))
    assert "this copy alone explains too little of the article" in c.get("/articles/a3").text
    story = c.get("/stories/s1").text
    assert "too few to be the source on its own" in story and "explains it on its own" not in story


def test_an_outlet_read_off_a_wire_byline_and_the_wire_marks_in_words():
    an = sample_analysis()
    art = next(a for a in an["articles"] if a["id"] == "a1")
    art["outlet"] = "Press Association"
    art["outlet_source"] = {"how": "byline", "inferred": True, "from": "byline (By <b>Ann Roe</b>, PA News)"}
    d = next(x for x in an["derivations"] if x["target"] == "a3")
    d.setdefault("evidence", {}).update({"direction": "wire", "direction_votes": {"published": "open",
                                                                                   "wire": "sign-off: mfl"}})
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a1").text
    assert "inferred from <bdi>byline (By &lt;b&gt;Ann Roe&lt;/b&gt;, PA News)</bdi>" in page and "<b>Ann Roe</b>" not in page
    page = c.get("/articles/a3").text
    assert "it ends on the wire sign-off \u201cmfl\u201d" in page
    d["evidence"].update({"direction": "wire-preview", "direction_votes": {"wire-preview": "The <i>court</i> will rule today"}})
    page = TestClient(create_app(None, analysis=an)).get("/articles/a3").text
    assert "the wire&#x27;s preview of the day&#x27;s event, filed before its report" in page
    assert "&lt;i&gt;court&lt;/i&gt;" in page and "<i>court</i>" not in page


def test_siblings_on_the_article_page_with_an_agency_copy_the_corpus_lacks():
    an = sample_analysis()
    an["siblings"] = [{"a": "a1", "b": "a3", "source": None, "shared_in_source": None,
                       "agency": "<b>Wire</b> Press", "share": 0.7},
                      {"a": "a2", "b": "a3", "source": "a1", "shared_in_source": 0.9}]
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a3").text
    assert "runs <bdi>&lt;b&gt;Wire&lt;/b&gt; Press</bdi>&#8217;s copy, as" in page and "<b>Wire</b>" not in page
    assert "the agency&#8217;s own is not in the corpus): 70% of one is in the other" in page
    assert 'shares text with <a href="/articles/a2">' in page and 'through <a href="/articles/a1">' in page
    assert "runs" in c.get("/articles/a1").text and "Siblings" not in c.get("/articles/a4").text


def test_an_article_page_tells_each_related_text_by_its_outlet_as_evidenced_and_its_time():
    an = sample_analysis()
    a1 = next(a for a in an["articles"] if a["id"] == "a1")
    a1["outlet_source"] = {"how": "dateline", "inferred": True, "from": "dateline (<b>WA</b>)"}
    c = TestClient(create_app(None, analysis=an))
    page = c.get("/articles/a3").text            # a3's source: a1
    src = page[page.index("Sources of this article"):page.index("<h2>Text</h2>")]
    assert "Wire Agency (inferred from dateline (&lt;b&gt;WA&lt;/b&gt;))" in src
    assert "2024-03-05T09:00:00Z" in src
    reused = c.get("/articles/a1").text           # a1 is reused by a2 and a3: each told by its time
    reused = reused[reused.index("Reused by"):]
    assert "Daily Ledger</bdi></a> <span class=\"when\"><bdi>2024-03-05T11:30:00Z" in reused


def test_an_untitled_story_is_shown_by_its_opening():
    """Papers printed without their headline, a crawl of plain texts: a story with no
    title is listed and headed with the opening of its origin, not its id alone."""
    from wiretrace.render.report import render_report
    an = sample_analysis()
    s1 = next(s for s in an["stories"] if s["id"] == "s1")
    s1["title"] = None
    origin = next(a for a in an["articles"] if a["id"] == s1["origin"])
    origin["text"] = "<b>Northvale</b> will shut its river bridge for eight months of repairs from March, " + origin["text"]
    c = TestClient(create_app(None, analysis=an))
    opening = "&#8220;<bdi>&lt;b&gt;Northvale&lt;/b&gt; will shut its river bridge for eight months of repairs from"
    assert opening in c.get("/").text
    assert opening in c.get("/stories/s1").text and "(untitled story)" in c.get("/stories/s1").text
    row = next(r for r in c.get("/api/stories").json()["stories"] if r["id"] == "s1")
    assert row["lead"].startswith("<b>Northvale</b> will shut") and row["lead"].endswith("…")
    assert len(row["lead"]) <= 90
    titled = next(r for r in c.get("/api/stories").json()["stories"] if r["id"] != "s1")
    assert titled["lead"] == ""
    html = render_report(an)
    assert html.count(opening) == 2 and "<b>Northvale" not in html      # the list and the heading
