"""Generic web-page furniture patterns for the line cleaner (leftovers.py).

Everything here is generic page vocabulary (share widgets, cookie prompts,
photo credits, bylines, dates); nothing is taken from any particular site.
"""
from __future__ import annotations

import re

from wiretrace.english import PROSE_STOPWORDS

STOPWORDS = PROSE_STOPWORDS

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

# UI vocabulary: a line made only of these words is a widget / menu / form label.
_UI_WORDS = frozenset("""
share shares shared sharing tweet tweets facebook twitter linkedin pinterest whatsapp reddit email e-mail mail
print copy link flipboard messenger sms telegram tumblr pocket instagram youtube rss feed comments comment
reply report like likes follow us subscribe subscribed newsletter newsletters sign signin login log in out up
register menu search close open home next previous prev back to top more less show load view all read
continue advertisement advertising ad ads sponsored skip content main navigation nav toggle submit send
cancel ok accept decline settings cookie cookies privacy policy terms of use service contact about help
faq careers sitemap site map icon chevron left right down arrow bookmark bookmarks save saved play pause
video videos photo photos gallery image images audio listen watch now here click tap expand collapse
zoom fullscreen full screen mute unmute caption captions text size font a+ a- account profile my
notifications alert alerts edition subscriptions subscription podcast podcasts upgrade premium digital
free trial get the app download apps go more...
""".split())

_PUA = re.compile("[\ue000-\uf8ff]")
_ICON_RUN = re.compile(r"\bicon\b", re.I)

_PREFIX_LINK = re.compile(
    r"^\s*(?:read(?:\s+more|\s+also|\s+next)?|also\s+read|related(?:\s+(?:articles?|stories|coverage|content|news|links?))?|"
    r"see\s+also|more\s+(?:on|from)(?:\s+this)?|recommended|must\s+read|don['’]t\s+miss|trending|"
    r"watch|listen|click\s+here|continue\s+reading)\s*[:|>»\-–—]", re.I)

_COOKIE = re.compile(r"\bcookies?\b", re.I)
_COOKIE_CTX = re.compile(r"\b(?:accept|consent|settings|policy|browsing|browser|experience|agree|manage|preferences|use of)\b", re.I)
_NEWSLETTER = re.compile(
    r"\b(?:newsletters?|sign\s*up|subscribe|subscription|subscriber|inbox|e-?mail address|unsubscribe|"
    r"log\s*in|sign\s*in|create an account|register)\b", re.I)
_IMPERATIVE = re.compile(r"^\W*(?:sign|subscribe|get|join|enter|register|receive|stay|never|don['’]t|want|like|enjoy|"
                        r"follow|click|tap|create|already|by\s+(?:signing|subscribing|clicking|registering))\b", re.I)
_LEGAL = re.compile(r"(?:(?:^|\s)©|\(c\)\s*\d{4}|\ball rights reserved\b|\bcopyright\s*(?:©|\(c\))?\s*\d{4})", re.I)
_LEGAL_LINKS = re.compile(r"\b(?:terms (?:of|and) (?:use|service|conditions)|privacy (?:policy|notice|statement|settings)|cookie policy)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(?:you|your|our|we|us)\b|\bthis (?:site|website)\b", re.I)
_MIN_READ = re.compile(r"^\s*\d+\s*(?:-\s*)?(?:min(?:ute)?s?|hrs?|hours?)\.?\s*(?:read|watch|listen)\.?\s*$", re.I)
_COUNTED = r"(?:comments?|replies|responses|shares?|views?|votes?|points?|likes?|ratings?)"
_COMMENTS = re.compile(r"^\s*(?:\(?\d+\)?\s*" + _COUNTED + r"|" + _COUNTED + r"\s*[:(]?\s*\d+\)?)\s*$|"
                       r"^\s*(?:rating|score)\s*:\s*[-+]?\d+\s*" + _COUNTED + r"?\s*$", re.I)
# a short heading that opens a comment thread: "Comments", "Top Rated Comments", "Join the discussion"
_COMMENT_POLICY = re.compile(r"\b(?:comments?|commenting|commenters?)\b.{0,80}\b(?:guidelines|polic(?:y|ies)|moderat\w*|respectful|"
                             r"civil|closed|disabled|standards|rules)\b", re.I)
_COMMENT_TITLE = re.compile(r"\b(?:comments?|discussion|discuss)\b", re.I)
# comment threads: "name says:" / "name wrote:" author lines, "N responses to ..." headers
COMMENT_AUTHOR = re.compile(r"^\S.{0,60}\s(?:says|said|wrote|writes|replied|commented)\s*:\s*$", re.I)
_COMMENT_HEAD = re.compile(r"^\s*\d+\s+(?:thoughts|responses|replies|comments)\s+(?:on|to)\b|^\s*(?:leave|post|add|write)\s+a\s+(?:comment|reply)\b|"
                           r"\b(?:log in|sign in|register)\s+to\s+(?:comment|reply)\b|^\s*(?:reply|flag)(?:\s+(?:abuse|comment))?\s*$|^\s*report\s+(?:abuse|comment)\s*$", re.I)
_ADV = re.compile(r"^\s*(?:advertisement|advert|sponsored(?: content)?|ad|promoted|paid (?:content|post)|(?:story|article|text) continues (?:below|after)(?: (?:this )?(?:ad|advertisement))?|"
                  r"continue reading(?: below)?|scroll (?:down )?to continue.*|loading\.*)\s*$", re.I)

# photo credits and captions
_CREDIT_WORDS = (r"(?:photo(?:graph)?s?|image|picture|pic|video|illustration|graphic|file photo|credit|"
                 r"courtesy|source|via|photographer)")
# credit at the end of a line (checked on its last 120 characters)
_CREDIT_TAIL = re.compile(
    r"\(\s*(?:" + _CREDIT_WORDS + r")\b[^)]{0,80}\)\s*$|"                   # ... (photo credit: X)
    r"[.)]\s+(?:photo\s+|image\s+)?credits?\s*:\s*[^.]{2,60}\.?$|"           # ... . Credit: X
    r"/\s*(?:afp|ap|reuters|getty|epa|efe|xinhua|pa|upi|ansa|dpa)\b(?:\s+(?:file|photo|images?|pool))?\s*\)?\s*$|"
    r"\((?:afp|ap|reuters|epa|pa|upi)\s+photo\b[^)]{0,60}\)\s*$", re.I)
# a credit glued to its caption by the scraper: "...sought treatmentCredit: Getty"
_GLUED_CREDIT = re.compile(r"[a-z.)](?:Credit|Credits|Photograph|Photo|Image|Picture)s?\s*:\s*[^.]{2,60}$")   # ... Name/AFP
# credit at the start of a line: "Photo: X", "Image by X", "Image caption ..."
_CREDIT_HEAD = re.compile(
    r"\s*(?:" + _CREDIT_WORDS + r")(?:\s+credit)?\s*(?:[:©]|by\b)|"
    r"\s*(?:image|photo|picture|video|media)\s+(?:caption|copyright|credit|source)\b|"
    r"\s*\d{1,3}\s?of\s?\d{1,3}(?=[A-Z])", re.I)   # gallery caption "1of4A shopper looks ..."

# photo agencies and credit marks anywhere
_CREDIT_ANY = re.compile(
    r"\b(?:getty\s+images|shutterstock|istock(?:photo)?|alamy|dreamstime)\b|"
    r"\b(?:afp|ap|reuters|epa|efe|xinhua|anadolu|pa|upi)(?:\s+(?:photo|images?|pictures?)|\s*/\s*getty)\b|"
    r"(?:^|\s)(?:©|\(c\))\s*\w", re.I)
_CREDIT_CHARS = frozenset("©/()[]:")
_AGENCY_HINT = re.compile(r"getty|shutterstock|istock|alamy|dreamstime|photo|image|picture", re.I)
# a [Name/Agency] credit tail, e.g. "... on 2 May [Jane Doe/Agency]"
_BRACKET_CREDIT = re.compile(r"\[[^\[\]]{2,60}/[^\[\]]{2,60}\]\s*$")
_PAREN_CREDIT = re.compile(r"\((?:[A-Z][\w.'’-]*\s*){1,5}/\s*(?:[A-Z][\w.'’-]*\s*){1,4}\)\s*$")

_BYLINE = re.compile(r"^\s*(?:by|written by|words by|posted by|story by|reporting by|report by|edited by|editing by|"
                     r"reported by|compiled by|author:?)\s+[A-Z\w]", re.I)
_DATE = re.compile(
    r"\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+\d{2,4}\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\b" + _DAYS + r"\b|"
    r"\b(?:updated|published|posted|last modified)\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago\b", re.I)


def is_byline(s: str) -> bool:
    return bool(_BYLINE.match(s))


def is_credit_line(s: str) -> bool:
    """A photo credit / caption credit on the line."""
    tail = s[-120:]
    if _CREDIT_HEAD.match(s) or _CREDIT_TAIL.search(tail) or _GLUED_CREDIT.search(tail):
        return True
    if _CREDIT_CHARS.isdisjoint(s) and not _AGENCY_HINT.search(s):
        return False
    return bool(_CREDIT_ANY.search(s) or _BRACKET_CREDIT.search(tail) or _PAREN_CREDIT.search(tail))


def is_meta_line(s: str, nw: int, credit: bool | None = None) -> bool:
    """Byline, date or credit line (kept aside for the metadata extractor)."""
    if nw <= 12 and _BYLINE.match(s):
        return True
    if _DATE.search(s):
        # short line dominated by a date/time: few words beyond the date itself
        rest = _DATE.sub(" ", s)
        rest_words = re.findall(r"[^\W\d_]+", rest)
        if len(rest_words) <= 5 and nw <= 10:
            return True
    if nw <= 60 and (is_credit_line(s) if credit is None else credit):
        return True
    return False


def _ui_run(s: str, nw: int) -> bool:
    words = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", s.lower())
    if not words:
        return False
    ui = sum(1 for w in words if w in _UI_WORDS)
    return ui == len(words) and nw <= 8


WEAK, STRONG = 1, 2
_ANYWORD = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?\"”]\s*$")

# a heading that opens a block of other stories' links
SECTION_HEAD = re.compile(
    r"^\s*(?:more\s+(?:in|from|on|about|stories|news|articles|videos|headlines|to\s+read)|related(?:\s+\w+)?|"
    r"most\s+(?:popular|read|viewed|shared|commented|watched|recent)|recommended(?:\s+for\s+you)?|"
    r"you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|trending(?:\s+now)?|latest(?:\s+\w+)?|top\s+(?:stories|news|headlines)|"
    r"editor['’]?s\s+picks?|read\s+(?:more|next|these\s+next)|also\s+read|see\s+also|around\s+the\s+(?:web|site)|"
    r"from\s+the\s+web|popular(?:\s+now)?|what\s+to\s+read\s+next|further\s+reading|promoted\s+stories|"
    r"other\s+(?:stories|news|reports)|in\s+case\s+you\s+missed\s+it|don['’]t\s+miss|must\s+read)\b[^.!?]{0,40}$", re.I)

_THREAD_COUNT = re.compile(r"^\s*(?:\(?\d+\)?\s*(?:comments?|replies|responses|votes?)|(?:comments?|replies|votes?)\s*[:(]?\s*\d+\)?|"
                           r"(?:rating|score)\s*:\s*[-+]?\d+\s*votes?)\s*$", re.I)


def is_comment_marker(s: str, nw: int) -> bool:
    """A line that opens or structures a reader-comment thread."""
    if nw > 20 or _SENTENCE_END.search(s):
        return False    # a sentence ("X declined to comment."), not a heading
    return bool(_THREAD_COUNT.match(s) or (_COMMENT_HEAD.search(s) and nw <= 20) or (nw <= 5 and _COMMENT_TITLE.search(s)))


def is_boilerplate(s: str, nw: int, credit: bool | None = None) -> int:
    """Page furniture recognisable from the line alone: 0 (no), WEAK (an inline
    interruption of a body: link line, ad marker, reading time, a lone UI word) or
    STRONG (cookie/newsletter/legal/comment furniture, share or icon runs)."""
    if not _ANYWORD.search(s):
        return WEAK     # pure punctuation / symbols
    if nw > 80:
        return 0
    if nw <= 12 and _PUA.search(s):
        return STRONG if nw > 3 else WEAK
    if "icon" in s.lower() and len(_ICON_RUN.findall(s)) >= 3:
        return STRONG
    if nw <= 8 and _ui_run(s, nw):
        return WEAK if nw <= 3 else STRONG
    if nw <= 30 and _PREFIX_LINK.match(s):
        return WEAK
    if nw <= 6 and SECTION_HEAD.match(s):
        return WEAK     # removed, but a body often goes on after an inline related block
    if nw <= 60 and (is_credit_line(s) if credit is None else credit) and not _COOKIE.search(s):
        return WEAK     # photo credit / caption: sits between paragraphs
    if nw <= 12 and (_MIN_READ.match(s) or _ADV.match(s)):
        return WEAK
    if nw <= 40 and _COMMENT_POLICY.search(s) and (_SECOND_PERSON.search(s) or _IMPERATIVE.match(s) or "please" in s.lower()):
        return STRONG
    if nw <= 20 and (_COMMENTS.match(s) or _COMMENT_HEAD.search(s)
                     or (nw <= 5 and _COMMENT_TITLE.search(s) and not _SENTENCE_END.search(s))):
        return STRONG
    # prompts address the reader ("we use cookies", "sign up for our newsletter");
    # a news sentence about cookies, newsletters or copyright does not
    if _COOKIE.search(s) and _COOKIE_CTX.search(s) and (nw <= 4 or _SECOND_PERSON.search(s)):
        return STRONG
    if nw <= 30 and _NEWSLETTER.search(s) and (nw <= 4 or _IMPERATIVE.match(s) or _SECOND_PERSON.search(s)):
        return STRONG
    if nw <= 40 and (_LEGAL.search(s) or (_LEGAL_LINKS.search(s) and (nw <= 8 or _SECOND_PERSON.search(s)))):
        return STRONG
    return 0
