"""Every character at the terminal (issue 11): rich markup in ids and reasons is
text, escape sequences and other controls never reach the terminal raw."""
from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from types import SimpleNamespace

from rich.console import Console

from wiretrace.render.safe import balance_bidi, visible
from wiretrace.render.terminal import print_run_summary
from wiretrace.render.terminal_stories import story_summary

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "web"))
from webhelpers import sample_analysis  # noqa: E402

CLI = [sys.executable, "-m", "wiretrace.cli"]
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x00\x9b31m\x08\r[/][bold]x"
RAW = ["\x1b", "\x07", "\x00", "\x9b", "\x08", "\r"]


def _info(problems):
    return SimpleNamespace(read=2, duplicates=0, new=2, processed=2, problems=problems, seconds=0.1)


def _render(fn) -> str:
    buf = io.StringIO()
    fn(Console(file=buf, force_terminal=True, width=200, color_system="truecolor"))
    return buf.getvalue()


def _text_of(out: str) -> str:
    """Terminal output without rich's own SGR colour sequences (ESC [ ... m)."""
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_visible_and_balance():
    assert visible("a\x1b[2Jb\x07\x00\r\n\t\x9b\x7f") == "a␛[2Jb␇␀␍\n\t<U+009B>␡"
    assert visible("a\rb", page=True) == "a\rb"
    assert balance_bidi("x\u202eabc") == "x\u202eabc\u202c"
    assert balance_bidi("\u202cx\u2069") == "x"                       # closers with no opener dropped
    assert balance_bidi("\u2067a\u202bb") == "\u2067a\u202bb\u202c\u2069"
    assert balance_bidi("\u202ea\u202c b") == "\u202ea\u202c b"       # balanced: unchanged
    s = "t\u202e\x1b[31m" + HOSTILE
    assert visible(visible(s)) == visible(s)                          # idempotent


def test_problems_with_markup_and_controls_print_as_text():
    from wiretrace.model import Problem
    probs = [Problem("dup.jsonl", 2, "id '[/]' already used by another article in this run; this one is [/]~2"),
             Problem(f"evil{HOSTILE}.txt", None, f"broken JSON: {HOSTILE}"),
             Problem("x.jsonl", 1, "[bold red]fake[/] heading: [link=http://evil]click[/link]")]
    doc = {"articles": [], "stories": [], "derivations": [], "quote_groups": []}
    out = _render(lambda c: print_run_summary(c, doc, _info(probs), None))
    text = _text_of(out)
    assert "id '[/]' already used by another article in this run; this one is [/]~2" in text
    assert "[bold red]fake[/] heading: [link=http://evil]click[/link]" in text
    assert "evil␛[2J␛]0;pwned␇␀<U+009B>31m␈␍[/][bold]x.txt" in text
    for c in RAW:
        assert c not in text, repr(c)
    assert "\x1b]" not in out and "\x1b[2J" not in out


def test_story_summary_controls_escaped():
    a = copy.deepcopy(sample_analysis())
    for art in a["articles"]:
        art["outlet"] = f"Out{HOSTILE}"
        art["title"] = f"T{HOSTILE}"
        for q in art.get("quotes") or []:
            q["speaker"] = f"S{HOSTILE}"
            q["text"] = f"Q{HOSTILE}"
        art["signals"]["orphan_references"] = [f"O{HOSTILE}"]
    for s in a["stories"]:
        s["title"] = f"Story{HOSTILE}\u202e reversed"
    out = _render(lambda c: c.print(story_summary(a)))
    text = _text_of(out)
    assert "Story␛[2J␛]0;pwned␇␀<U+009B>31m␈␍[/][bold]x\u202e reversed\u202c" in text
    assert "Out␛[2J" in text
    for c in RAW:
        assert c not in text, repr(c)


def test_story_summary_names_same_outlet_sources_and_untitled_stories():
    """A story of many copies of one agency: "taken from" tells them apart by id; a
    story without a title is headed by its origin's opening (controls made visible)."""
    a = copy.deepcopy(sample_analysis())
    for art in a["articles"]:
        art["outlet"] = "Wire Agency"
    s1 = next(s for s in a["stories"] if s["id"] == "s1")
    s1["title"] = None
    next(x for x in a["articles"] if x["id"] == s1["origin"])["text"] = f"Bridge{HOSTILE} to close for repairs."
    text = _text_of(_render(lambda c: c.print(story_summary(a))))
    assert "Wire Agency (a1)" in text
    assert "“Bridge␛[2J" in text
    for c in RAW:
        assert c not in text, repr(c)


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_cli_ids_in_markup_and_escape_titles(tmp_path):
    """Two lines with the id '[/]' used to crash the CLI (MarkupError) after writing
    analysis.json; escape sequences in titles reached the terminal raw."""
    _jsonl(tmp_path / "in.jsonl", [
        {"id": "[/]", "title": "\x1b[2J\x1b]0;owned\x07 Title", "outlet": "[bold]Wire\x1b[31m",
         "text": "The council approved the budget for the harbour district on Monday after a debate."},
        {"id": "[/]", "title": "Other", "outlet": "Daily",
         "text": "Farmers protested rising fuel prices outside parliament on Tuesday, blocking two roads."},
    ])
    env = {**os.environ, "COLUMNS": "250", "TERM": "xterm-256color", "FORCE_COLOR": "1"}
    p = subprocess.run([*CLI, "analyze", str(tmp_path / "in.jsonl"), "--db", str(tmp_path / "w.db"),
                        "-o", str(tmp_path / "a.json"), "--workers", "1"],
                       capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode == 0, p.stderr
    assert "MarkupError" not in p.stderr and "Traceback" not in p.stderr
    text = _text_of(p.stderr)
    assert "id '[/]' already used by another article in this run; this one is [/]~2" in text
    assert "\x1b]" not in p.stderr and "\x1b[2J" not in p.stderr and "\x07" not in p.stderr
    a = json.loads((tmp_path / "a.json").read_text())
    assert sorted(x["id"] for x in a["articles"]) == ["[/]", "[/]~2"]
