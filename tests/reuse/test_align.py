"""Sentence-level passage alignment (wiretrace.reuse.align)."""
from __future__ import annotations

import json
from pathlib import Path

from wiretrace.reuse.align import align_docs, align_pair, prepare, split_units

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "trace" / "stories.json"
F = json.loads(FIX.read_text("utf-8"))["ferry"]
SRC = "\n\n".join(F)


def spans_text(text, passages):
    return [text[p.target_start:p.target_end] for p in passages]


def test_verbatim_copy_is_one_passage_with_exact_offsets():
    tgt = "Menu\n\nFerry news\n\n" + "\n\n".join(F[:3]) + "\n\nShare this"
    ps = align_pair(SRC, tgt)
    assert len(ps) == 1
    p = ps[0]
    assert p.kind == "verbatim"
    assert tgt[p.target_start:p.target_end] == "\n\n".join(F[:3])
    assert SRC[p.source_start:p.source_end] == "\n\n".join(F[:3])


def test_reordered_and_rewritten_paragraphs_are_all_found():
    edited = [
        F[6].replace("betrayal", "treachery"),                                    # one synonym
        F[3].replace("fewer than", "less than").replace("ten thousand", "10,000"),  # term + number style
        "An unrelated paragraph about the weather on the coast, which was mild and dry all week.",
        F[0].replace("voted on Tuesday to close", "on Tuesday decided to shut down"),  # clause edits
    ]
    tgt = "\n\n".join(edited)
    ps = align_pair(SRC, tgt)
    got = spans_text(tgt, ps)
    assert len(ps) == 3
    assert all(p.kind == "rewritten" for p in ps)
    assert "treachery" in got[0] and "less than" in got[1] and "shut down" in got[2]
    assert not any("weather" in g for g in got)
    # source offsets point at the right source sentences, out of order
    src_got = [SRC[p.source_start:p.source_end] for p in ps]
    assert src_got == [F[6], F[3], F[0]]


def test_split_sentence_and_merged_sentences():
    a, b = F[4], F[5]
    merged = a.rstrip(".") + ", and " + b[0].lower() + b[1:]
    split = "Residents of the northern islands have protested against the decision for weeks. They depend on the ferry to reach hospitals and schools on the mainland."
    ps = align_pair(SRC, merged)
    assert len(ps) == 1 and ps[0].target_end - ps[0].target_start == len(merged)
    assert SRC[ps[0].source_start:ps[0].source_end] == a + "\n\n" + b
    ps = align_pair(SRC, split)
    assert sum(p.target_end - p.target_start for p in ps) >= 0.9 * len(split)


def test_unrelated_text_gives_nothing():
    tgt = ("The orchestra announced its new season on Friday, with three premieres and a tour of northern cities. "
           "Tickets go on sale next week.")
    assert align_pair(SRC, tgt) == []


def test_quotes_are_marked():
    tgt = prepare("He said: \u201cWe cannot keep pouring money into a building.\u201d Then he left the hall quickly.")
    ms = align_docs(prepare(SRC), tgt)
    assert len(ms) == 1 and ms[0].nonquote <= 2 < ms[0].covered


def test_split_units_handles_abbreviations_and_quotes():
    t = 'Mr. Reyes met Gov. Smith. "We lost," he said. "It is over." The end came quickly.'
    assert [t[s:e] for s, e in split_units(t)] == [
        "Mr. Reyes met Gov. Smith.", '"We lost," he said.', '"It is over."', "The end came quickly."]


def test_extra_quotes_do_not_swallow_an_unquoted_sentence():
    text = "He wrote, \u201cWe care about the islands. The council met on Tuesday to decide the future of the terminal."
    # another quote finder closed the unclosed quote at the end of the text
    d = prepare(text, extra_quotes=[(11, len(text))])
    a, b = d.unit_tok[-1]
    assert d.text[d.units[-1][0]:d.units[-1][1]].startswith("The council")
    assert not any(d.quoted[a:b])
    a, b = d.unit_tok[0]
    assert any(d.quoted[a:b])


def test_units_tokens_and_quote_flags_match_a_whole_text_tokenisation():
    """``prepare`` and ``unit_keys`` tokenise unit by unit when no word crosses a
    unit's edge: the same words, keys and quote flags as tokenising the whole text."""
    import xxhash

    from wiretrace.reuse.align import _tokenize_default, prepare, split_units, unit_keys
    texts = [
        'The U.S.-led coalition said on Wednesday it had struck. Mr. Smith left.\n"We will go," he said.',
        "İstanbul'da bir şey oldu. DIŞ İŞLERİ said “it is over” on Monday.",   # lower() changes the length
        "glued", "", "Two units cut inside a word-here. “A quote here and “another” one” ends.",
    ]
    for text in texts:
        for sents in (None, [(0, len(text) // 2), (len(text) // 2, len(text))] if text else None):
            toks, spans = _tokenize_default(text)
            units = split_units(text, sents)
            quotes = sorted([(m.start(), m.end()) for m in __import__("re").finditer(r'["“][^"”]+["”]', text)])
            ref_norm, ref_quoted = [], []
            for s, e in units:
                inside = [(t, a, b) for t, (a, b) in zip(toks, spans) if s <= a and b <= e]
                ref_norm.append(" " + " ".join(t for t, _, _ in inside) + " ")
                flags = []
                for _, a, b in inside:
                    q = next((q for q in quotes if q[1] > a), None)
                    flags.append(bool(q and q[0] <= a and b <= q[1]))
                ref_quoted.append(flags)
            d = prepare(text, sents, quotes)
            assert d.units == units and d.unit_norm == ref_norm
            assert [d.quoted[a:b] for a, b in d.unit_tok] == ref_quoted
            ku, keys = unit_keys(text, sents)
            assert ku == units
            assert keys == [xxhash.xxh3_64_intdigest(k.encode("utf-8", "surrogatepass")) for k in ref_norm]
