"""English word lists, in one place.

Every stage that sets aside function words takes its list from here: one base
list of function words (``FUNCTION_WORDS``), and per use the few words that use
adds, each set named for what it is for.  The additions were tuned where they are
used (evidence in those modules); keeping them here, as differences from one base,
is what stops the lists drifting apart unseen.
"""
from __future__ import annotations

import re

#: Pronouns, determiners, auxiliaries, prepositions, conjunctions; reporting verbs
#: and honorifics (news filler).
FUNCTION_WORDS = frozenset("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours said says say mr mrs ms""".split())

#: Passage alignment (reuse/align.py): the base list.
ALIGN_STOPWORDS = FUNCTION_WORDS

#: Framing's content words (framing/text.py): also hedges and small numbers, which
#: retellings add and drop freely.
FRAMING_STOPWORDS = FUNCTION_WORDS | frozenset("dr however still yet one two it's that's".split())

#: Story features (stories/features.py): also dates, weekdays and words every news
#: story uses, which say nothing about which event it reports, and contraction stubs.
STORY_STOPWORDS = FUNCTION_WORDS | frozenset("""aren't ourselves yourself yourselves told tell according new
one two year years week weeks day days monday tuesday wednesday thursday friday saturday sunday today
yesterday time people like last first s t re ve ll d m don won didn doesn isn wasn""".split())

#: The line cleaner's stop-word share (clean/leftovers.py): also modal verbs and
#: contractions (prose has them, page furniture rarely), but not honorifics or
#: small numbers.
PROSE_STOPWORDS = (FUNCTION_WORDS - frozenset("mr mrs ms say".split())) | frozenset("""ourselves yourself
yourselves may might must shall us it's i'm don't didn't can't won't isn't wasn't aren't that's there's
he's she's they're we're you're i've we've""".split())


#: The characters that match an ASCII letter only case-insensitively (İ ı K ſ): where a
#: text has none, "the pattern (?i) can match" implies "its words are in text.lower()",
#: so a substring test may stand before a case-insensitive pattern.
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u212a\u017f]")


def stem(word: str, verbs: bool = False) -> str:
    """The one stemmer: a light, deterministic suffix folding of a lower-cased word.

    Always: the possessive ("court's" -> "court"), plurals ("parties" -> "party",
    "troops" -> "troop"; not "-ss", "-us", "-is": "press", "status", "crisis").
    With ``verbs`` also the inflections "-ing" and "-ed" ("killed", "killing" ->
    "kill"), which retellings of one sentence change freely (framing); story
    grouping keeps them apart (its features were tuned on the plural folding alone:
    stories/features.py)."""
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if verbs:
        for suf in ("ing", "ed"):
            if len(word) > len(suf) + 3 and word.endswith(suf):
                return word[: -len(suf)]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
