"""Hypothesis strategies for untrusted article text and HTML.

Pure random text rarely reaches the deep code paths (quote speakers, datelines,
bylines, credit lines, cited sources), so besides arbitrary Unicode there is a
"news-like" strategy: paragraphs built from sentence templates of real news
shapes, with the awkward characters (Unicode spaces, dashes, zero-width and
direction marks, combining marks, control characters, every quotation mark)
spliced in at random places and put in place of ordinary spaces.
"""
from __future__ import annotations

import string

from hypothesis import strategies as st

# -- the awkward characters -----------------------------------------------------------

SPACES = "\u00a0" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000\u1680"
DASHES = "".join(chr(c) for c in range(0x2010, 0x2016)) + "\u2212"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
DIRECTION = "\u200e\u200f" + "".join(chr(c) for c in range(0x202A, 0x202F)) + "".join(chr(c) for c in range(0x2066, 0x206A))
COMBINING = "\u0300\u0301\u0308\u0327\u0336\u034f\u0489\u20dd\u302a\u0e31"
CONTROLS = "".join(chr(c) for c in range(32)) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0)) + "\u2028\u2029"
QUOTES = "\"'“”‘’«»„‹›「」‚‛‟"
PUNCT = string.punctuation + "…·•¡¿§¶©®™°′″"
SPECIAL = SPACES + DASHES + ZERO_WIDTH + DIRECTION + COMBINING + CONTROLS + QUOTES

special_char = st.sampled_from(SPECIAL)
#: any code point but surrogates (readers decode bytes, so no lone surrogate reaches these functions)
any_text = st.text(max_size=300)
special_text = st.text(alphabet=st.sampled_from(SPECIAL + " \n"), max_size=80)
quote_marks_only = st.text(alphabet=st.sampled_from(QUOTES + " \n"), min_size=1, max_size=60)
punct_only = st.text(alphabet=st.sampled_from(PUNCT + QUOTES + DASHES), min_size=1, max_size=80)
long_word = st.builds(lambda c, n: c * n, st.sampled_from(["a", "A", "é", "\u0301", "“", ".", "-", "\u00a0", "9"]),
                      st.integers(200, 3000))
long_line = st.builds(lambda w, n: (w + " ") * n, st.sampled_from(["word", "Mr.", "“quoted”", "said", "A."]),
                      st.integers(100, 1500))

# -- news-like text -------------------------------------------------------------------

FIRST = ["Jane", "John", "Felix", "Idrees", "Leslie", "Mary", "Ahmed", "Li", "José", "O’Neil", "Jean-Luc", "Zoë",
         "J.", "", "\u00a0", "Ann\u0301a"]
LAST = ["Smith", "Doe", "Gedney", "Ali", "Adler", "al-Assad", "van der Berg", "O’Brien", "McDonald", "Ng",
        "Nuñez", "", "\u200bSmith", "SMITH"]
TITLE = ["", "Mayor", "Gen.", "Sen.", "Mr.", "Dr.", "President", "spokeswoman", "Prime Minister", "Lt. Col."]
VERB = ["said", "says", "told reporters", "added", "according to", "wrote", "tweeted", "warned", "said on Tuesday"]
PRONOUN = ["he", "she", "they", "He", "She", "It", "we"]
PLACE = ["WASHINGTON", "LONDON", "NEW DELHI, India", "BEIRUT", "Philadelphia", "MOSCOW", "GAZA CITY", "Kyiv", "U.S.",
         "WATCH", "", "PARIS, Dec 3"]
AGENCY = ["Reuters", "AP", "AFP", "Associated Press", "Bloomberg", "", "X", "The Daily Planet"]
OUTLET = ["Reuters", "AFP", "the Associated Press", "The Washington Post", "CNN", "BBC News", "example.com",
          "the Daily Planet", "Politico", "a local newspaper"]
DATE = ["December 28, 2017 at 2:07 pm", "Dec. 3, 2017", "28 Dec, 2017 04:44", "2019-02-11T10:00Z", "12/28/2017",
        "03/04/2017", "2017/12/03", "5 hours ago", "yesterday", "Updated: Dec. 3, 2017 10:31 pm CST",
        "Published 2021-05-04 08:00:00+01:00", "31/02/2019", "2019-13-45", "99:99 pm", "Mon, 4 May 2021"]
WORDS = ["the", "council", "voted", "ferry", "terminal", "to", "shut", "on", "Tuesday", "after", "years", "of",
         "losses", "and", "residents", "protested", "against", "plan", "a", "in", "Islamic", "State", "Daesh",
         "troops", "coalition", "U.S.-led", "percent", "million", "dollars", "—", "it's", "don’t", "well-known"]

relative_date = st.builds(lambda n, u: f"{n} {u} ago", st.one_of(st.integers(0, 100), st.integers(0, 10 ** 30)),
                          st.sampled_from(["seconds", "min", "hours", "hrs", "day", "days", "weeks", "week"]))
ACTOR = ["The U.S.-led coalition", "Syrian Democratic Forces", "The Assad regime", "The Syrian government",
         "Islamic State fighters", "Daesh militants", "Police", "The council", "Protesters", "He"]
ACTION = ["struck targets near Raqqa on Monday, killing at least twelve civilians",
          "voted on Tuesday to close the ferry terminal after years of losses",
          "claimed responsibility for the attack in a statement posted online",
          "said fewer than twenty people had been hurt in the clashes"]
actor_sentence = st.builds(lambda a, v: f"{a} {v}.", st.sampled_from(ACTOR), st.sampled_from(ACTION))
name = st.builds(lambda t, f, l: " ".join(x for x in (t, f, l) if x), st.sampled_from(TITLE), st.sampled_from(FIRST),
                 st.sampled_from(LAST))
speaker = st.one_of(name, st.sampled_from(PRONOUN), st.just("the report"), st.just("police"))
plain_sentence = st.builds(lambda ws, end: (" ".join(ws)[:1].upper() + " ".join(ws)[1:] + end) if ws else end,
                           st.lists(st.sampled_from(WORDS), min_size=0, max_size=25),
                           st.sampled_from([".", "!", "?", "", "...", ":", ";", "…"]))
quoted = st.one_of(
    st.builds(lambda ws: " ".join(ws), st.lists(st.sampled_from(WORDS), min_size=3, max_size=20)),
    st.builds(lambda ws: " ".join(ws), st.lists(st.sampled_from(WORDS), min_size=0, max_size=3)),  # scare quotes
    st.builds(lambda a, b: f"{a}. {b}", plain_sentence, plain_sentence),     # several sentences in one quote
)


def _q(o, c):
    return st.builds(lambda w: f"{o}{w}{c}", quoted)


quote_pair = st.one_of(_q("“", ",”"), _q("“", "”"), _q('"', ',"'), _q("‘", ",’"), _q("«", "»"), _q("„", "“"),
                       _q("「", "」"), _q("“", ""), _q("", "”"), _q("''", "''"))
quote_sentence = st.one_of(
    st.builds(lambda q, v, s: f"{q} {v} {s}.", quote_pair, st.sampled_from(VERB), speaker),
    st.builds(lambda q, s, v: f"{q} {s} {v}.", quote_pair, speaker, st.sampled_from(VERB)),
    st.builds(lambda s, v, q: f"{s} {v}: {q}", speaker, st.sampled_from(VERB), quote_pair),
    st.builds(lambda s, v, q: f"{s} {v} {q}", speaker, st.sampled_from(VERB), quote_pair),
    st.builds(lambda s, q: f"According to {s}, {q}", speaker, quote_pair),
    st.builds(lambda q, s: f"{q} — {s}", quote_pair, name),
    st.builds(lambda s, q: f"{s.upper()}: {q}", name, quote_pair),
    st.builds(lambda s, q, w: f"{s}, the {w} of the council, said {q}", name, quote_pair, st.sampled_from(WORDS)),
    st.builds(lambda q, p: f"{q} {p} added.", quote_pair, st.sampled_from(PRONOUN)),
)
dateline = st.one_of(
    st.builds(lambda p, a, d: f"{p} ({a}) {d} ", st.sampled_from(PLACE), st.sampled_from(AGENCY),
              st.sampled_from(["-", "—", "–", "_", ":", "--", "\u2212", "\u2010"])),
    st.builds(lambda p, d: f"{p} {d} ", st.sampled_from(PLACE), st.sampled_from(["—", "-", "–", ":"])),
)
byline = st.one_of(
    st.builds(lambda n: f"By {n}", name),
    st.builds(lambda a, b: f"By {a.upper()} and {b.upper()}", name, name),
    st.builds(lambda n, d: f"By {n}  {d}", name, st.sampled_from(DATE)),
    st.builds(lambda n: f"{n}, Staff Writer", name),
    st.builds(lambda n, o: f"Posted by {n} | {o}", name, st.sampled_from(OUTLET)),
    st.builds(lambda n, d: f"{n} - {d}", name, st.sampled_from(DATE)),
)
credit = st.one_of(
    st.builds(lambda a, b: f"(Reporting by {a}; Editing by {b})", name, name),
    st.builds(lambda a, b: f"Additional reporting by {a} in {b}", name, st.sampled_from(PLACE)),
    st.builds(lambda a, b, c: f"Reporting by {a} and {b}; Writing by {c}", name, name, name),
    st.builds(lambda a: f"-- Compiled by {a}", name),
)
cited = st.one_of(
    st.builds(lambda o: f"according to {o}", st.sampled_from(OUTLET)),
    st.builds(lambda o: f"told {o}", st.sampled_from(OUTLET)),
    st.builds(lambda o: f"{o} reported", st.sampled_from(OUTLET)),
    st.builds(lambda o: f"Source: {o}", st.sampled_from(OUTLET)),
    st.builds(lambda o: f"This article originally appeared on {o}", st.sampled_from(OUTLET)),
    st.builds(lambda o: f"{o} contributed to this report.", st.sampled_from(OUTLET)),
)
leftover = st.sampled_from(["Cookie Settings", "Related Content", "Share this article", "Read: Ferry terminal to shut",
                            "Sign up for our newsletter", "Home | News | Sport | Weather", "Advertisement",
                            "Photo: Reuters", "Comments", "Jane Doe says:", "1.", "•", "Most Read"])
fragment = st.one_of(plain_sentence, actor_sentence, quote_sentence, quote_sentence, quote_sentence, quote_sentence,
                     cited.map(lambda c: f"The plan was dropped, {c}."), st.sampled_from(DATE))
paragraph = st.one_of(
    st.lists(fragment, min_size=1, max_size=5).map(" ".join),
    st.builds(lambda d, fs: d + " ".join(fs), dateline, st.lists(fragment, min_size=1, max_size=4)),
    byline, credit, leftover, st.sampled_from(DATE),
)


@st.composite
def splice(draw, base: str) -> str:
    """``base`` with awkward characters put in place of some spaces and inserted at random places."""
    chars = list(base)
    spaces = [i for i, c in enumerate(chars) if c == " "]
    if spaces and draw(st.booleans()):
        # every space one kind of Unicode space (a page typeset with no-break spaces)
        sp = draw(st.sampled_from(SPACES + ZERO_WIDTH + "\t"))
        share = draw(st.sampled_from([1.0, 0.5, 0.2]))
        for n, i in enumerate(spaces):
            if share == 1.0 or (n * 7919) % 100 < share * 100:
                chars[i] = sp
    elif spaces:
        for i in draw(st.lists(st.sampled_from(spaces), max_size=6, unique=True)):
            chars[i] = draw(st.sampled_from(SPACES + ZERO_WIDTH + " \t"))
    out = "".join(chars)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(out)))
        ins = draw(st.one_of(special_char, special_text, st.sampled_from(QUOTES), st.text(max_size=4)))
        out = out[:at] + ins + out[at:]
    return out


@st.composite
def news_text(draw, min_paragraphs: int = 1, max_paragraphs: int = 8) -> str:
    pars = draw(st.lists(paragraph, min_size=min_paragraphs, max_size=max_paragraphs))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n", "\n \n", "\n\u00a0\n", "\u2029", "\n\n\n"]))
    base = sep.join(pars)
    case = draw(st.integers(0, 19))
    if case < 4:                # an all-capitals page, a lower-cased feed, Title Case, swapped
        base = (str.upper, str.lower, str.title, str.swapcase)[case](base)
    if case == 4:               # every double quotation mark of one kind
        mark = draw(st.sampled_from(QUOTES))
        base = "".join(mark if c in "“”\"«»„" else c for c in base)
    if draw(st.booleans()):
        return base
    return draw(splice(base))


#: everything a text-taking function should survive
texts = st.one_of(
    news_text(), news_text(), news_text(), news_text(), news_text(), news_text(),
    any_text, special_text, quote_marks_only, punct_only,
    st.just(""), st.sampled_from([" ", "\n", "\n\n", "\u00a0", "\ufeff", "\u200b", "“", "”", "\"", "'"]),
    long_word, long_line,
    st.builds(lambda a, b: a + b, news_text(max_paragraphs=3), st.one_of(long_word, any_text, special_text)),
)

# -- HTML -------------------------------------------------------------------------------

BLOCK_TAGS = ["p", "div", "article", "section", "h1", "h2", "li", "blockquote", "td", "span", "a", "b", "i", "br",
              "figcaption", "nav", "footer", "script", "style", "noscript", "template", "iframe", "pre", "main"]


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def html_page(draw) -> str:
    pars = draw(st.lists(st.one_of(paragraph, any_text, special_text), min_size=0, max_size=8))
    body = []
    for p in pars:
        tag = draw(st.sampled_from(BLOCK_TAGS))
        raw = draw(st.booleans()) and draw(st.booleans())       # sometimes unescaped: broken markup
        inner = p if raw else _escape(p)
        attr = draw(st.sampled_from(["", ' class="body"', " id=x", ' dir="rtl"', ' style="x"', ' data-x="\u202e"',
                                     ' class="share"', " hidden"]))
        close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"
        body.append(f"<{tag}{attr}>{inner}{close}")
    title = draw(st.one_of(st.just(""), paragraph.map(_escape), any_text.map(_escape)))
    meta = draw(st.sampled_from([
        "", '<meta name="author" content="Jane Doe">',
        '<meta property="article:published_time" content="2021-03-04T09:30:00Z">',
        '<meta property="article:published_time" content="not a date">',
        '<meta property="og:site_name" content="Reuters">', '<meta name="author" content="">',
        '<meta property="og:url" content="http://[::1">', '<meta charset="utf-16">',
    ]))
    extra = draw(st.sampled_from(["", "<!-- comment -->", "<![CDATA[x]]>", "<?xml version='1.0'?>", "&#0;", "&#xD800;",
                                  "&nbsp;&#8203;&bogus;", "<p><p><p>", "</div></div>", "<" * 5, "<html><html>",
                                  "\x00", "<svg><script>x</script></svg>", "<math><mi>x</mi></math>"]))
    wrap = draw(st.integers(0, 3))
    if wrap == 0:
        return "".join(body) + extra
    page = (f"<html><head><title>{title}</title>{meta}</head><body>{extra}"
            f"<article>{''.join(body)}</article></body></html>")
    return page if wrap < 3 else page[: draw(st.integers(0, len(page)))]


htmls = st.one_of(html_page(), html_page(), any_text, special_text, st.just(""), st.just("<html></html>"),
                  st.builds(lambda n: "<div>" * n + "x" + "</div>" * n, st.integers(1, 400)))

# -- fields a reader may pass through ---------------------------------------------------

garbage_field = st.one_of(st.none(), any_text, special_text, st.sampled_from(DATE), st.sampled_from([
    "http://[::1", "https://www.reuters.com/world/x", "//", "example.com", "http://exa mple.com", "ftp://",
    "http://:80", "http://user@", "\x00", "2021-05-04T08:00:00Z", "0000-00-00", "Reuters"]))

# -- pairs: a text and a mutated copy of it --------------------------------------------

@st.composite
def mutated_pair(draw):
    """A news text and a copy of it: paragraphs dropped, reordered, words swapped,
    awkward characters spliced in, other paragraphs added."""
    src = draw(news_text(min_paragraphs=2, max_paragraphs=8))
    pars = [p for p in src.split("\n") if p.strip()] or [src]
    keep = draw(st.lists(st.sampled_from(range(len(pars))), min_size=1, max_size=len(pars) + 2))
    out = []
    for i in keep:
        p = pars[i]
        if draw(st.booleans()):
            p = draw(splice(p))
        if draw(st.booleans()):
            p = (p.replace("Islamic State", "Daesh").replace(" said", " claimed").replace("the ", "")
                 .replace("fewer than", "less than").replace("Syrian government", "Assad regime"))
        present = [x for x in ACTOR if x in p]
        if present and draw(st.booleans()):         # another actor for the same action
            p = p.replace(draw(st.sampled_from(present)), draw(st.sampled_from(ACTOR)))
        out.append(p)
    if draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out))), draw(news_text(max_paragraphs=2)))
    tgt = draw(st.sampled_from(["\n\n", "\n", "\u2029", "\n\u00a0\n"])).join(out)
    if draw(st.booleans()):
        src, tgt = tgt, src
    return src, tgt


pairs = st.one_of(mutated_pair(), mutated_pair(), st.tuples(texts, texts),
                  texts.map(lambda t: (t, t)), st.tuples(st.text(alphabet=st.sampled_from(SPECIAL)), texts))
