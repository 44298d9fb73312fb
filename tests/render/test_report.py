"""The HTML report and the terminal story summary, without a browser."""
from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from rich.console import Console

from wiretrace.render.report import graph_svg, build_index, marked_segments, render_report, safe_url, word_diff
from wiretrace.render.terminal_stories import story_summary

WEB = Path(__file__).resolve().parent.parent / "web"
sys.path.insert(0, str(WEB))
from webhelpers import PAYLOADS, hostile_analysis, sample_analysis  # noqa: E402

EMPTY = {"schema": "wiretrace.analysis/1", "articles": [], "stories": [], "derivations": [], "quote_groups": [],
         "framing": [], "storylines": [], "problems": []}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(html)
    return p.tags


def test_report_self_contained_and_strict():
    html = render_report(sample_analysis())
    tags = parse(html)
    names = [t for t, _ in tags]
    assert "script" not in names and "link" not in names and "iframe" not in names and "img" not in names
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    for t, a in tags:
        assert not any(k.startswith("on") for k in a), (t, a)
        for k in ("src", "href"):
            v = a.get(k)
            if v and k == "src":
                raise AssertionError(f"external load {t} {v}")
            if v and not v.startswith("#"):
                assert t == "a" and a.get("rel") == "noopener noreferrer nofollow" and re.match(r"https?://", v)
    assert names.count("svg") == 2        # one graph per story
    for section in ["Timeline", "Provenance graph", "Derivations", "Side by side", "Quotes", "Term choices",
                    "Additions and omissions", "Signals"]:
        assert html.count(f"<h3>{section}</h3>") == 2, section
    assert "62%" in html and "uncredited" in html and "We can not wait for the next flood," in html
    assert "Commuters will have to use the northern ring road instead." in html      # an addition
    assert "Local shop owners said they feared losing customers during the closure." in html   # an omission


def test_report_empty_analysis_says_none():
    html = render_report(EMPTY)
    assert "No stories found." in html and "No articles." in html
    html = render_report({})          # keys missing altogether
    assert "No stories found." in html


def test_report_hostile_is_escaped():
    html = render_report(hostile_analysis())
    for p in PAYLOADS:
        assert p not in html, p
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html.lower()
    names = [t for t, _ in parse(html)]
    assert "script" not in names and "img" not in names
    assert names.count("style") == 1


def test_graph_is_deterministic_and_escaped():
    an = hostile_analysis()
    ix = build_index(an)
    a, b = str(graph_svg(ix, "s1")), str(graph_svg(build_index(json.loads(json.dumps(an))), "s1"))
    assert a == b
    assert "<script" not in a and "&lt;script&gt;" in a
    assert a.count('class="node') == 3 and a.count('stroke-dasharray') == 1


def test_word_diff_marks_changed_words():
    src, tgt = word_diff("Repairs are expected to last eight months", "The work is expected to take eight months")
    assert [t.strip() for t, c in tgt if c] == ["The work is", "take"]
    assert [t.strip() for t, c in src if c] == ["Repairs are", "last"]
    assert "".join(t for t, _ in tgt) == "The work is expected to take eight months"


def test_marked_segments_cover_text_and_overlap():
    text = "0123456789"
    segs = marked_segments(text, [(2, 6, "verbatim", "1"), (4, 8, "quote", ""), (-5, 100, "", "")])
    assert "".join(s["text"] for s in segs) == text
    assert [(s["text"], s["classes"]) for s in segs if s["classes"]] == [("23", "verbatim"), ("45", "quote verbatim"),
                                                                         ("67", "quote")]


def test_safe_url():
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example", "http://",
                "http://a.example/\"onmouseover=x", None, 3, "vbscript:x", "java\nscript:x"]:
        assert safe_url(bad) is None, bad


def _text(renderable) -> str:
    c = Console(width=140, record=True, color_system=None)
    c.print(renderable)
    return c.export_text()


def test_story_summary():
    out = _text(story_summary(sample_analysis()))
    assert "Northvale closes river bridge" in out
    assert re.search(r"Wire Agency a1\s+origin", out)
    assert re.search(r"Daily Ledger a2\s+derived\s+Wire Agency 62% uncredited\s+patchwork 0.10; orphan refs: the engineer's warning", out)
    assert "Wire Agency 91% credited" in out
    assert "We cannot wait for the next flood," in out and "in 3 articles, 1 altered" in out
    assert "No stories found." in _text(story_summary(EMPTY))
    # markup in untrusted text is printed, not interpreted
    an = sample_analysis()
    an["articles"][1]["outlet"] = "[bold red]Ledger[/]"
    assert "[bold red]Ledger[/]" in _text(story_summary(an))


def test_story_summary_caps_long_corpora():
    an = sample_analysis()
    an["stories"] = [dict(an["stories"][1], id=f"x{i}") for i in range(40)]
    out = _text(story_summary(an, max_stories=5))
    assert "… and 35 more stories" in out


def test_the_uncredited_copy_line_names_outlets_on_a_real_analysis(tmp_path):
    """A paper that copies a wire story without credit: the line used to print
    Python dicts ("62% from {'article': ...}")."""
    from wiretrace.pipeline import Options, analyze
    from wiretrace.render.report import signal_evidence
    paras = [f"The harbour council voted on {day} to close the eastern pier for {n} weeks of repairs "
             f"after storms damaged {n + 3} of its pylons, officials said in a statement." for day, n in
             [("Monday", 4), ("Tuesday", 6), ("Wednesday", 8), ("Thursday", 10), ("Friday", 12)]]
    paras += ["Fishing crews will use the western quay while the work goes on, the council said."]
    wire = "\n\n".join(paras)
    copy = "\n\n".join(paras[:-1] + ["Residents said they would wait to see what the talks bring."])
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in [
        {"id": "wire", "text": wire, "outlet": "Wire Service", "published": "2017-04-01T08:00:00Z"},
        {"id": "copy", "text": copy, "outlet": "Daily Paper", "published": "2017-04-01T15:00:00Z"}]) + "\n",
        encoding="utf-8")
    doc = analyze([corpus], db=tmp_path / "w.db", options=Options(workers=1)).to_dict()
    by_id = {a["id"]: a for a in doc["articles"]}
    copies = [a for a in doc["articles"] if (a["signals"].get("uncredited_copy") or {}).get("share")]
    assert copies
    for a in copies:
        [line] = [t for label, t in signal_evidence(a, by_id) if label == "uncredited copy"]
        assert "{" not in line and "'article'" not in line
        for src in a["signals"]["uncredited_copy"]["sources"]:
            assert f"({src['article']})" in line and (by_id[src["article"]]["outlet"] or "") in line
    html = render_report(doc)
    assert "uncredited copy" in html and "{&#39;article&#39;" not in html and "{'article'" not in html
