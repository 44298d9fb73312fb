"""Bidirectional text cannot reorder a page (issue 11): a title holding U+202E
(right-to-left override) reorders itself only.  Unit checks on the HTML of the
report and every web page, and a real headless Chromium that measures where the
text after the title is drawn."""
from __future__ import annotations

import copy
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from webhelpers import Server, sample_analysis
from wiretrace.render.report import render_report
from wiretrace.web.app import create_app

RLO, PDF = "\u202e", "\u202c"
TITLE = f"Annual report {RLO}fdp.exe"
OUTLET = f"Wire {RLO}ycnegA"
STORY = f"Bridge {RLO}eulav story"


def bidi_analysis() -> dict:
    a = copy.deepcopy(sample_analysis())
    for art in a["articles"]:
        if art["id"] == "a1":
            art["title"] = TITLE
            art["outlet"] = OUTLET
        art.setdefault("removed", []).append(f"leftover {RLO}tfel")
    for s in a["stories"]:
        if s["id"] == "s1":
            s["title"] = STORY
    a["problems"] = [{"path": f"x{RLO}txt.exe", "line": 3, "reason": "broken JSON"}]
    return a


def _unbalanced(html: str) -> list[str]:
    """Text runs where an override/embedding opened is not closed before markup resumes."""
    return re.findall(f"[\u202a\u202b\u202d\u202e][^<\u202c]*<", html)


def _pages(client: TestClient) -> dict[str, str]:
    urls = ["/", "/stories/s1", "/stories/s2", "/articles/a1", "/articles/a2", "/articles/a1?removed=1",
            "/outlets/" + quote(OUTLET, safe=""), "/quotes?q=bridge", "/quotes?q=" + quote("the")]
    out = {}
    for u in urls:
        r = client.get(u)
        assert r.status_code == 200, u
        out[u] = r.text
    return out


def test_report_html_isolates_and_closes_bidi():
    html = render_report(bidi_analysis())
    assert not _unbalanced(html)
    assert f"<bdi>{TITLE}{PDF}</bdi>" in html
    assert f"<bdi>{STORY}{PDF}</bdi>" in html
    assert f"<bdi>x{RLO}txt.exe{PDF}</bdi>:3: <bdi>broken JSON</bdi>" in html


def test_web_pages_isolate_and_close_bidi():
    c = TestClient(create_app(None, analysis=bidi_analysis(), prerender=False))
    for url, html in _pages(c).items():
        assert not _unbalanced(html), url
        if url in ("/", "/stories/s1", "/articles/a1", "/articles/a2"):
            assert RLO in html, url                 # shown (isolated), not dropped
    pages = _pages(c)
    assert f"<bdi>{TITLE}{PDF}</bdi>" in pages["/stories/s1"]
    assert f"<h1><bdi>{STORY}{PDF}</bdi>" in pages["/stories/s1"]
    assert f"<bdi>{STORY}{PDF}</bdi>" in pages["/"]
    assert f"<h1><bdi>{OUTLET}{PDF}</bdi></h1>" in pages["/outlets/" + quote(OUTLET, safe="")]


def test_controls_visible_in_pages():
    a = bidi_analysis()
    a["articles"][0]["title"] = "Esc\x1b[2J bell\x07 nul\x00 c1\x9b"
    html = render_report(a)
    assert "Esc␛[2J bell␇ nul␀ c1&lt;U+009B&gt;" in html
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", html)
    c = TestClient(create_app(None, analysis=a, prerender=False))
    for url in ("/stories/s1", "/articles/a1", "/"):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", c.get(url).text), url


# -- in a real browser ---------------------------------------------------------------

_AFTER = """([a, b]) => {
  const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
  return {aLeft: ra.left, aRight: ra.right, bLeft: rb.left, bRight: rb.right, aTop: ra.top, bTop: rb.top};
}"""


def _assert_after(page, before_sel: str, after_sel: str, where: str):
    """``after_sel`` is drawn right of ``before_sel`` on the same line (logical order kept)."""
    a = page.locator(before_sel).first
    b = page.locator(after_sel).first
    r = page.evaluate(_AFTER, [a.element_handle(), b.element_handle()])
    assert abs(r["aTop"] - r["bTop"]) < 20, (where, r)             # same line
    assert r["bLeft"] >= r["aRight"] - 1, (where, r)


@pytest.mark.slow
def test_browser_text_after_title_in_logical_order(page, tmp_path):
    # the measurement itself: an unisolated override does reorder what follows it
    page.set_content(f'<p><span id="t">{TITLE}</span> <span id="g">independent</span></p>')
    r = page.evaluate(_AFTER, [page.locator("#t").element_handle(), page.locator("#g").element_handle()])
    assert r["bLeft"] < r["aRight"] - 1, r

    f = tmp_path / "report.html"
    f.write_text(render_report(bidi_analysis()), encoding="utf-8")
    page.goto(f.as_uri())
    li = "section#s-s1 ol.timeline li:has(bdi:text('Annual report'))"
    _assert_after(page, f"{li} span.title", f"{li} span.tag", "report timeline")
    _assert_after(page, f"{li} a", f"{li} span.title", "report timeline link")
    _assert_after(page, "section#s-s1 h2 > bdi", "section#s-s1 h2 > span.muted", "report story heading")
    _assert_after(page, "#problems li > bdi >> nth=0", "#problems li > bdi >> nth=1", "report problems")

    with Server(create_app(None, analysis=bidi_analysis())) as srv:
        page.goto(srv.url + "/stories/s1")
        _assert_after(page, "h1 > bdi", "h1 > span.muted", "story heading")
        _assert_after(page, f"{li.split(' ', 1)[1]} span.title", f"{li.split(' ', 1)[1]} span.tag", "story timeline")
        page.goto(srv.url + "/")
        row = "table.stories tr:has(bdi:text('Bridge'))"
        _assert_after(page, f"{row} td:nth-child(2) a", f"{row} td:nth-child(2) span.tag", "story list")
        page.goto(srv.url + "/outlets/" + quote(OUTLET, safe=""))
        item = "li:has(bdi:text('Annual report'))"
        _assert_after(page, f"{item} a", f"{item} span.muted", "outlet articles")
        page.goto(srv.url + "/articles/a2")
        src = "ul.sources li:has(bdi:text('Wire'))"
        _assert_after(page, f"{src} a", f"{src} span.tag", "article sources")
