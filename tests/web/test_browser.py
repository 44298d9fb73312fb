"""Browser tests: Debian Chromium (headless) via Playwright against a real uvicorn server."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wiretrace.render.report import render_report
from wiretrace.web.app import create_app

from webhelpers import EXAMPLES_DIR, JS_URL, PAYLOADS, SCREENSHOTS, Server, hostile_analysis, sample_analysis

pytestmark = pytest.mark.slow


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_fixture_pages_click_through(page, tmp_path):
    with Server(create_app(None, analysis=sample_analysis())) as srv:
        page.goto(srv.url + "/")
        assert page.locator("#total").inner_text() == "2 stories"
        assert page.get_by_role("link", name="Northvale closes river bridge").is_visible()
        # search over text, then the outlet filter
        page.fill("input[name=q]", "lizard")
        page.click("button[type=submit]")
        assert page.locator("#total").inner_text() == "1 story"
        assert page.get_by_role("link", name="Orange lizard seen in garden").is_visible()
        page.goto(srv.url + "/?outlet=Harbor+Times")
        assert page.locator("#total").inner_text() == "1 story"
        page.goto(srv.url + "/?flagged=1")
        assert page.locator("table.stories").inner_text().count("Northvale") == 1
        page.goto(srv.url + "/?date_from=2024-03-06")
        assert "Orange lizard" in page.locator("table.stories").inner_text()
        assert "Northvale" not in page.locator("table.stories").inner_text()
        page.goto(srv.url + "/")
        shot(page, "web-stories.png")

        page.click("text=Northvale closes river bridge")
        assert page.url.endswith("/stories/s1")
        assert "Wire Agency" in page.locator(".origin-name").inner_text()
        body = page.locator("main").inner_text()
        assert "62% from Wire Agency, uncredited" in body
        assert "91% from Wire Agency, credited" in body
        # the graph: three nodes, two arrows, share labels
        assert page.locator("svg.graph g.node").count() == 3
        assert page.locator("svg.graph g.edge.uncredited").count() == 1
        assert page.locator("svg.graph g.edge.credited").count() == 1
        assert "62%" in page.locator("svg.graph").inner_html()
        # side by side: the first comparison is open, the second opens on click
        comps = page.locator("details.compare")
        assert comps.count() == 2
        second = comps.nth(1)
        assert not second.evaluate("d => d.open")
        second.locator("summary").first.click()
        assert second.evaluate("d => d.open")
        first = comps.nth(0)
        assert first.locator(".psg.verbatim mark.verbatim").first.is_visible()
        rew = first.locator(".psg.rewritten")
        assert rew.count() == 2
        ins = [t.strip() for t in rew.nth(1).locator("ins.wd").all_inner_texts()]
        assert "take" in ins and "roughly" in ins
        dels = [t.strip() for t in rew.nth(0).locator("del.wd").all_inner_texts()]
        assert "last" in dels and "about" in dels
        first.locator("details.fulltexts > summary").click()
        assert first.locator("details.fulltexts .fulltext mark.verbatim").first.is_visible()
        # quote table, terms, additions
        qt = page.locator("table.quotes").inner_text()
        assert "We cannot wait for the next flood," in qt and "We can not wait for the next flood," in qt
        assert "cannot -> can not" in qt
        assert "shut (1)" in page.locator("table.terms").inner_text()
        page.locator("details.changes summary").first.click()
        assert page.locator("blockquote.added", has_text="Commuters will have to use the northern ring road instead.").is_visible()
        shot(page, "web-story.png")

        # to the derived article
        page.locator("table.derivations").get_by_role("link", name="Daily Ledger").click()
        assert page.url.endswith("/articles/a2")
        assert page.locator("h1").inner_text() == "River bridge to shut for eight months"
        assert page.locator(".articletext mark.verbatim").count() >= 1
        assert page.locator(".articletext mark.rewritten").count() >= 1
        assert "62% partially from Wire Agency" in page.locator("ul.sources").inner_text()
        shot(page, "web-article.png")
        page.goto(srv.url + "/articles/a1")
        assert page.locator("ul.removed").count() == 0
        page.click("text=show 2 removed leftover line(s)")
        assert "Cookie Settings" in page.locator("ul.removed").inner_text()

        # quotes: where did this appear, in what wording
        page.goto(srv.url + "/quotes")
        page.fill("input[name=q]", "wait for the next flood")
        page.click("button[type=submit]")
        rows = page.locator("table.quotes tr")
        assert rows.count() == 4
        txt = page.locator("table.quotes").inner_text()
        assert "Harbor Times" in txt and "altered" in txt
        shot(page, "web-quotes.png")

        page.goto(srv.url + "/outlets/Daily%20Ledger")
        assert page.locator("#n-copies").inner_text() == "1"
        assert page.locator("#n-credited").inner_text() == "0"
        page.goto(srv.url + "/outlets/Wire%20Agency")
        assert page.locator("#n-origin").inner_text() == "1"
        shot(page, "web-outlet.png")
        assert not page.watch.dialogs


def _pipeline_db(tmp_path: Path) -> Path:
    try:
        from wiretrace.pipeline import analyze
    except ImportError as e:
        pytest.skip(f"pipeline not importable yet: {e}")
    db = tmp_path / "ex.db"
    try:
        analyze([EXAMPLES_DIR], db=db)
    except (ImportError, NotImplementedError) as e:   # a stage not landed yet
        pytest.skip(f"pipeline incomplete: {e}")
    return db


def test_pipeline_examples_pages(page, tmp_path):
    db = _pipeline_db(tmp_path)
    from wiretrace.store import Store

    st = Store(db)
    an = st.load_analysis()
    st.close()
    assert an and an["articles"]
    with Server(create_app(db)) as srv:
        page.goto(srv.url + "/")
        assert int(page.locator("#total").inner_text().split()[0]) == len(an["stories"])
        story = max(an["stories"], key=lambda s: len(s["articles"]))
        page.goto(srv.url + "/stories/" + story["id"])
        if story.get("title"):
            assert story["title"].split()[0] in page.locator("h1").inner_text()
        origin = next((a for a in an["articles"] if a["id"] == story.get("origin")), None)
        if origin and origin.get("outlet"):
            assert origin["outlet"] in page.locator(".origin-name").inner_text()
        for d in [d for d in an["derivations"] if d["target"] in story["articles"]]:
            assert f"{d['share'] * 100:.0f}%" in page.locator("table.derivations").inner_text()
        comps = page.locator("details.compare")
        for i in range(comps.count()):
            if not comps.nth(i).evaluate("d => d.open"):
                comps.nth(i).locator("summary").first.click()
        shot(page, "examples-story.png")
        art = an["articles"][0]
        page.goto(srv.url + "/articles/" + art["id"])
        assert page.locator(".articletext").inner_text().strip()[:40] == art["text"].strip()[:40]
        qa = next((a for a in an["articles"] if a["quotes"]), None)
        if qa:
            words = " ".join(qa["quotes"][0]["text"].split()[:4])
            page.goto(srv.url + "/quotes?q=" + words)
            assert words.lower() in " ".join(page.locator("main").inner_text().lower().split())
        if art.get("outlet"):
            page.goto(srv.url + "/outlets/" + art["outlet"])
            assert page.locator("h1").inner_text() == art["outlet"]
        assert not page.watch.dialogs


def _assert_inert(page, where: str) -> None:
    assert not page.watch.dialogs, f"dialog fired on {where}"
    assert page.evaluate("typeof window.__pwned") == "undefined", f"payload ran on {where}"
    n = page.evaluate("document.querySelectorAll('script, [onerror], [onload], iframe, object, embed').length")
    assert n == 0, f"live element from a payload on {where}"
    assert page.evaluate("getComputedStyle(document.body).display") != "none", f"style payload applied on {where}"
    bad = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                        ".filter(h => /^\\s*javascript:/i.test(h))")
    assert not bad, f"javascript: link on {where}"
    # the payload is shown as text
    assert "<script>window.__pwned=1;alert(1)</script>" in page.locator("body").inner_text(), where


@pytest.fixture
def open_page(browser):
    # bypass_csp: the pages must be inert by escaping alone, not only because CSP blocks scripts
    ctx = browser.new_context(bypass_csp=True)
    pg = ctx.new_page()
    from webhelpers import Watch
    pg.watch = Watch(pg)
    yield pg
    ctx.close()


def test_hostile_corpus_inert_web(open_page):
    an = hostile_analysis()
    page = open_page
    outlet = an["articles"][0]["outlet"]
    from urllib.parse import quote
    urls = ["/", "/?q=" + quote("<script>"), "/stories/s1", "/stories/s2", "/articles/a1", "/articles/a1?removed=1",
            "/articles/a2", "/articles/a4", "/quotes?q=" + quote("next flood"), "/quotes?q=" + quote(PAYLOADS[0]),
            "/outlets/" + quote(outlet, safe="")]
    with Server(create_app(None, analysis=an)) as srv:
        for u in urls:
            page.goto(srv.url + u)
            for d in page.locator("details").all():       # open every fold so all text is rendered
                if not d.evaluate("d => d.open"):
                    d.evaluate("d => { d.open = true }")
            if u.startswith("/quotes?q=%3Cscript"):
                assert not page.watch.dialogs and page.evaluate("typeof window.__pwned") == "undefined"
                continue
            _assert_inert(page, u)
            if u == "/articles/a1":
                assert page.locator("dd", has_text=JS_URL).count() == 1      # shown, not linked
        shot(page, "hostile-outlet.png")


def test_hostile_report_inert(open_page, tmp_path):
    f = tmp_path / "report.html"
    f.write_text(render_report(hostile_analysis()), encoding="utf-8")
    page = open_page
    page.goto(f.as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    _assert_inert(page, "report")


def test_report_offline_every_section(page, tmp_path):
    f = tmp_path / "report.html"
    f.write_text(render_report(sample_analysis()), encoding="utf-8")
    requests = []
    page.context.route("**/*", lambda r: (requests.append(r.request.url),
                                          r.continue_() if r.request.url.startswith("file:") else r.abort()))
    page.goto(f.as_uri())
    assert all(u.startswith("file:") for u in requests), requests
    sec = page.locator("section#s-s1")
    heads = sec.locator("h3").all_inner_texts()
    assert heads == ["Timeline", "Provenance graph", "Derivations", "Side by side", "Quotes", "Term choices",
                     "Additions and omissions", "Signals"]
    assert "Wire Agency" in sec.locator(".origin-name").inner_text()
    assert sec.locator("svg.graph g.edge").count() == 2
    assert "62%" in sec.locator("table.derivations").inner_text()
    sec.locator("details.compare").nth(1).locator("summary").first.click()
    assert sec.locator("details.compare").nth(1).evaluate("d => d.open")
    # a single-article story still shows every section, each saying none found
    s2 = page.locator("section#s-s2")
    assert s2.locator("h3").count() == 8
    assert "No derivations found" in s2.inner_text() and "No derived article to compare" in s2.inner_text()
    # the in-page link to an article opens its entry
    sec.locator("ol.timeline").get_by_role("link", name="Daily Ledger").click()
    assert re.search(r"#a-a2$", page.url)
    assert page.locator("#problems").get_by_text("invalid JSON").is_visible()
    page.evaluate("document.querySelectorAll('section.story details').forEach(d => d.open = true)")
    shot(page, "report.png")
    assert not page.watch.dialogs
