"""The line cleaner on hand-written fixtures: a scraped page, clean text, one sentence."""
from pathlib import Path

import pytest

from wiretrace.clean.leftovers import CleanResult, clean_text, line_key

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "clean"

BODY = [
    "The harbour ferry resumed its full timetable on Thursday, three months after a winter storm tore away part of the northern landing stage.",
    "Engineers replaced the damaged pontoon and strengthened the mooring posts, the transport authority said in a statement.",
    '"We have been waiting for this since December," said one commuter, who travels to the old town every day.',
    "It was worth it.",
    "The authority said repairs cost about 2.4 million and were paid for from its maintenance reserve.",
    "Ticket prices will not change this year.",
    "Officials expect passenger numbers to recover by the summer, when tourist traffic usually doubles.",
]
TITLE = "Harbour ferry service returns after winter storm damage"


@pytest.fixture(scope="module")
def page() -> tuple[str, CleanResult]:
    raw = (FIX / "scraped_page.txt").read_text(encoding="utf-8")
    return raw, clean_text(raw)


def test_scraped_page_keeps_exactly_the_body(page):
    raw, res = page
    assert res.text.split("\n\n") == BODY


def test_scraped_page_removed_lines_are_verbatim_and_complete(page):
    raw, res = page
    lines = [ln for ln in raw.splitlines() if ln.strip()]
    assert res.removed == [ln for ln in lines if ln not in BODY]
    for junk in ("Cookie Settings", "Share", "Related Content", "Sign up for our daily newsletter", "North",
                 "3 min read", "12 Comments", "Read: City council approves new cycle lanes along the waterfront",
                 "Passengers queue for the first morning crossing on Thursday [Lena Brook/Coastal Images]",
                 "A worker checks the new pontoon. (Photo credit: Coastal Images)",
                 "Old Town Market Reopens With Extended Hours"):
        assert junk in res.removed


def test_headline_detected_even_when_doubled(page):
    _, res = page
    assert res.title == TITLE
    assert res.removed.count(TITLE) == 2
    assert TITLE not in res.text


def test_meta_lines_kept_for_metadata(page):
    _, res = page
    assert "By Marta Olsen" in res.meta_lines
    assert "March 4, 2021 at 9:30 am" in res.meta_lines
    assert "Cookie Settings" not in res.meta_lines


def test_clean_text_loses_only_the_given_headline():
    raw = (FIX / "clean_article.txt").read_text(encoding="utf-8")
    lines = raw.strip().splitlines()
    res = clean_text(raw, title=lines[0])
    assert res.text.split("\n\n") == lines[1:]
    assert res.removed == [lines[0]]
    assert res.title == lines[0]


def test_clean_text_without_title_keeps_every_sentence():
    raw = (FIX / "clean_article.txt").read_text(encoding="utf-8")
    lines = raw.strip().splitlines()
    res = clean_text("\n".join(lines[1:]))
    assert res.text.split("\n\n") == lines[1:]
    assert res.removed == []


def test_single_sentence_is_kept():
    raw = (FIX / "single_sentence.txt").read_text(encoding="utf-8")
    res = clean_text(raw)
    assert res.text == raw.strip()
    assert res.removed == []
    short = clean_text("Prices rose.")
    assert short.text == "Prices rose."


def test_empty_input():
    res = clean_text("")
    assert res.text == "" and res.removed == [] and res.meta_lines == []


def test_repeated_prose_is_not_removed_but_repeated_menu_is():
    raw = (FIX / "clean_article.txt").read_text(encoding="utf-8")
    lines = raw.strip().splitlines()
    menu = "Weather Traffic Jobs"
    text = "\n".join([menu] + lines[1:])
    repeated = frozenset(line_key(x) for x in [menu] + lines[1:])   # a re-posted copy shares every line
    res = clean_text(text, repeated)
    assert res.text.split("\n\n") == lines[1:]
    assert res.removed == [menu]


def test_line_key_normalises_case_digits_punctuation():
    assert line_key("  12 Comments! ") == line_key("3 comments")
    assert line_key("Share  this—story") == "share this story"
    assert line_key("") == ""


def test_broken_line_joined_with_its_sentence():
    raw = ("Officials said the plan, which was\nannounced last week, would cost less than expected.\n"
           "Work starts in May.")
    res = clean_text(raw)
    assert res.removed == []
    assert "announced last week" in res.text


def test_inline_related_block_skipped_and_comment_thread_dropped():
    raw = (FIX / "with_comments.txt").read_text(encoding="utf-8")
    res = clean_text(raw)
    paras = res.text.split("\n\n")
    assert paras[0].startswith("The repairs to the town hall roof")
    # the body goes on after an inline "Most Read" block of other headlines
    assert paras[-1].startswith("The repaired roof also carries new solar panels")
    assert len(paras) == 4
    assert "Council Approves New Parking Zones" in res.removed
    assert not any("says:" in p or "gutters" in p for p in paras)
    assert res.title == "Town hall roof repairs finish early"


def test_lone_line_without_full_stop_is_the_text_not_a_headline():
    line = "The county council votes to close two rural bus routes"
    res = clean_text(line)
    assert res.text == line and res.removed == [] and res.title is None


def test_news_sentences_about_cookies_and_copyright_are_kept():
    raw = ("The bakery sold more than 4,000 cookies at the weekend market, its owner said on Sunday.\n"
           "A copyright dispute over the recipe book is due in court next month, lawyers for both sides said.\n"
           "The owner said she would register the recipe name as a trademark before the hearing.")
    res = clean_text(raw)
    assert res.removed == []
    assert len(res.text.split("\n\n")) == 3
