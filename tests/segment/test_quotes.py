from pathlib import Path

from wiretrace.segment.quotes import extract_quotes

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "quotes"


def _check_offsets(text, quotes):
    for q in quotes:
        assert text[q.start:q.end] == q.text


def test_fixture_article_patterns():
    text = (FIX / "harbour.txt").read_text(encoding="utf-8")
    qs = extract_quotes(text)
    _check_offsets(text, qs)
    got = [(q.text[:25], q.speaker, q.cue) for q in qs]
    # scare quote "new chapter" is skipped
    assert not any("new chapter" == q.text for q in qs)
    assert got[0] == ("This is the best day the ", "Marta Olsen", "said")
    # pronoun resolved to the nearest preceding named person
    assert qs[1].speaker == "Dev Patel" and qs[1].cue == "said"
    # "A," she said, "B." gives two quotes with the same speaker
    assert qs[2].text.startswith("The dredging") and qs[3].text.startswith("and the first ships")
    assert qs[2].speaker == qs[3].speaker == "Olsen"
    # X told reporters: "..." with titles stripped
    assert qs[4].speaker == "Ruth Keller" and qs[4].cue == "told reporters"
    # a quote paragraph after a said-sentence keeps that speaker
    assert qs[5].speaker == "Ruth Keller"
    assert len(qs) == 6


def test_after_quote_said_x_with_role():
    t = '"We will not give up on the valley farms," said Lena Fischer, the spokeswoman for the growers union.'
    [q] = extract_quotes(t)
    assert q.speaker == "Lena Fischer" and q.cue == "said"
    assert q.text == "We will not give up on the valley farms,"


def test_according_to_and_non_person_speaker():
    t = '"Water levels fell by a third over the summer," according to the report.'
    [q] = extract_quotes(t)
    assert q.speaker == "the report" and q.cue == "according to"


def test_role_stripping_titles():
    t = ("Northland Navy Rear Admiral Colin Byrne said: \u201cThe channel is open again for all vessels.\u201d")
    [q] = extract_quotes(t)
    assert q.speaker == "Colin Byrne"
    t2 = "\u201cWe expect calm seas all week long,\u201d Gen. Colin Byrne said."
    assert extract_quotes(t2)[0].speaker == "Colin Byrne"


def test_scare_quotes_skipped_and_nested_kept():
    t = ('Critics called it a "paper tiger" again. '
         '"He told me the plan was \u2018a total mess\u2019 and I agreed," Ana Ruiz said.')
    qs = extract_quotes(t)
    assert len(qs) == 1
    assert "\u2018a total mess\u2019" in qs[0].text
    assert qs[0].speaker == "Ana Ruiz"


def test_multi_paragraph_quote_one_per_paragraph():
    t = ("The minister wrote in her letter:\n\n"
         "\u201cThe schools will reopen on Monday with new rules for every class.\n\n"
         "\u201cParents will be told the details by the end of this week.\u201d\n")
    qs = extract_quotes(t)
    assert [q.text for q in qs] == [
        "The schools will reopen on Monday with new rules for every class.",
        "Parents will be told the details by the end of this week."]
    _check_offsets(t, qs)
    assert all(q.speaker for q in qs)


def test_quote_spanning_sentences_and_next_sentence_added():
    t = ("\u201cThe bridge is safe. We inspected it twice this month.\u201d "
         "Tom Reyes added that repairs would follow.")
    [q] = extract_quotes(t)
    assert q.text == "The bridge is safe. We inspected it twice this month."
    assert q.speaker == "Tom Reyes"


def test_no_speaker_is_none():
    t = "\u201cSome things are simply never going to change around here.\u201d"
    [q] = extract_quotes(t)
    assert q.speaker is None


def test_empty_and_no_quotes():
    assert extract_quotes("") == []
    assert extract_quotes("No quotation here at all.") == []


def test_single_quotes_only_with_cue():
    t = "\u2018We will not give up the fight for this town,\u2019 the mayor said. It was \u2018a bit much\u2019 for some."
    qs = extract_quotes(t)
    assert [(q.text, q.speaker) for q in qs] == [("We will not give up the fight for this town,", "the mayor")]
    # a single-quoted phrase nested in a double-quoted stretch stays inside it
    t2 = "\u201cShe told me \u2018we will win this time around\u2019 and I believed her,\u201d Omar Haddad said."
    [q] = extract_quotes(t2)
    assert q.speaker == "Omar Haddad" and "\u2018we will win" in q.text


def test_transcript_label_and_dash_attribution():
    t = ('"MARTIN: So what happens to the old pier after all of this?"\n\n'
         '\u201cThe pier stays exactly where it has always been.\u201d \u2015 Lucia Moreno\n')
    qs = extract_quotes(t)
    assert qs[0].speaker == "MARTIN"
    assert qs[1].speaker == "Lucia Moreno"


def test_subject_of_sentence_without_speech_verb_and_participle_cue():
    t = 'Anna Berg called the proposal "a gift to the richest families in the region" on Monday.'
    assert extract_quotes(t)[0].speaker == "Anna Berg"
    t2 = 'Karl Weiss attacked the plan during a debate, saying, "It will ruin the small farms."'
    assert extract_quotes(t2)[0].speaker == "Karl Weiss"


def test_stray_straight_closing_mark_ignored():
    t = 'He is 6\'3" tall and "the tallest of all the players on the team," the coach said.'
    [q] = extract_quotes(t)
    assert q.text == "the tallest of all the players on the team,"
    assert q.speaker == "the coach"


def test_organisation_speaker_kept_whole():
    t = '"The visas will be issued within ten working days," the Foreign Trade Department said.'
    assert extract_quotes(t)[0].speaker == "Foreign Trade Department"


def test_with_clause_speaker_is_the_with_subject():
    from wiretrace.segment.quotes import extract_quotes
    t = ("The harbour will stay closed through spring, with Port Authority chair Dana Okafor "
         "warning on Monday that repairs “could take far longer than anyone hoped”.")
    (q,) = extract_quotes(t)
    assert q.speaker == "Dana Okafor" and q.text == "could take far longer than anyone hoped"


def test_quoted_stretches_are_the_one_reader_of_quote_marks():
    from wiretrace.segment.quotes import quoted_stretches
    text = ("Officials called it a \u201cplan\u201d. \u201cWe will rebuild every road,\u201d the mayor said. "
            "Mr. Krueger said ''it is not reform,'' and left.\n"
            "He wrote, \u201cWe care about the islands. The council met.")
    got = [text[s:e] for s, e in quoted_stretches(text)]
    # the scare quote and the LexisNexis quote are stretches; the open quote runs to its paragraph's end
    assert got == ["plan", "We will rebuild every road,", "it is not reform,",
                   "We care about the islands. The council met."]
    # extract_quotes takes its quotes from these stretches, and never a LexisNexis one
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["We will rebuild every road,", "We care about the islands. The council met."]
    assert {(q.start, q.end) for q in quotes} <= set(quoted_stretches(text))
