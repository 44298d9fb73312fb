"""Shapes of names: people (bylines, credits) versus organisations (cited
sources) versus places (datelines), plus role words to strip from bylines."""
from __future__ import annotations

import re

from wiretrace.registry import by_name

# Job titles written after (or before) a byline name: "Jane Doe, Staff Writer".
ROLE_WORDS = {
    "staff", "writer", "writers", "correspondent", "correspondents", "reporter", "reporters", "editor",
    "editors", "senior", "chief", "contributing", "contributor", "special", "political", "foreign",
    "diplomatic", "national", "white", "house", "news", "business", "columnist", "associate",
    "assistant", "deputy", "managing", "executive", "bureau", "freelance", "investigative", "science",
    "health", "sports", "energy", "defense", "defence", "security", "legal", "economics", "technology",
    "world", "international", "washington", "capitol", "hill", "congressional", "opinion", "analyst",
    "producer", "journalist", "intern", "fellow", "and", "the", "of", "for", "at", "in", "wire",
    "desk", "team", "photographer", "video", "digital", "global", "affairs", "markets", "tech",
    "environment", "climate", "policy", "politics", "education", "crime", "courts", "state",
}
_ROLE_PHRASE = re.compile(
    r"(?i)[,|–—-]?\s*\b(?:(?:senior|chief|staff|special|contributing|foreign|political|diplomatic|national|"
    r"white house|washington|business|legal|security|science|health|sports|world|international|"
    r"investigative|associate|assistant|deputy|managing|executive|bureau|freelance|digital|global)\s+)*"
    r"(?:staff\s+writer|writer|correspondent|reporter|editor|columnist|contributor|journalist|producer|"
    r"analyst|intern|photographer|bureau\s+chief)s?\b.*$")

# Words that make a capitalised phrase an organisation rather than a person.
ORG_WORDS = {
    "post", "times", "news", "agency", "tv", "television", "press", "daily", "journal", "herald", "monitor",
    "observatory", "network", "radio", "tribune", "gazette", "chronicle", "wire", "review", "telegraph",
    "guardian", "star", "sun", "mail", "express", "magazine", "broadcasting", "broadcaster", "corporation",
    "media", "report", "online", "courier", "ledger", "record", "bulletin", "dispatch", "digest", "sentinel",
    "standard", "observer", "independent", "insider", "today", "channel", "service", "newspaper", "weekly",
    "reporter", "register", "examiner", "inquirer", "enquirer", "mirror", "beacon", "times-picayune",
    "globe", "bee", "citizen", "messenger", "voice", "newswire", "newswires", "pundit", "buzz",
    "feed", "hub", "blog", "podcast", "website",
    "papers", "paper", "clarion", "brief", "headlines", "newsroom",
    "bugle", "inc", "com",
}

# Words that are never part of a person's name line (menus, sections, furniture).
NOT_NAME_WORDS = {
    "home", "news", "world", "politics", "business", "opinion", "sports", "sport", "video", "videos", "live",
    "menu", "search", "subscribe", "sign", "login", "log", "share", "tweet", "email", "print", "comments",
    "comment", "related", "content", "more", "latest", "top", "stories", "story", "breaking", "trending",
    "popular", "read", "watch", "listen", "photos", "photo", "gallery", "advertisement", "sponsored",
    "cookie", "cookies", "settings", "privacy", "policy", "terms", "contact", "about", "us", "newsletter",
    "follow", "facebook", "twitter", "instagram", "youtube", "linkedin", "whatsapp", "reddit", "analysis",
    "editorial", "entertainment", "health", "science", "tech", "technology", "culture", "lifestyle",
    "travel", "weather", "markets", "economy", "education", "local", "national", "international", "middle",
    "east", "west", "north", "south", "africa", "asia", "europe", "americas", "us", "uk", "the", "and", "of",
    "in", "on", "for", "to", "a", "an", "by", "with", "from", "at", "is", "are", "was", "be", "this", "that",
    "update", "updated", "published", "posted", "minute", "minutes", "hour", "hours", "ago", "today",
    "exclusive", "special", "report", "reports", "feature", "features", "column", "columns", "blog",
    "podcast", "view", "views", "all", "other", "next", "previous", "back", "close", "open", "skip",
    "main", "discuss", "article", "articles", "page", "section", "topics", "topic", "tags", "edition",
    "congress", "senate", "house", "white", "supreme", "court", "election", "elections", "campaign",
    "state", "states", "united", "government", "military", "defense", "war", "islamic",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "july", "september", "october", "november", "december", "black", "cyber", "shows", "show",
    "talk", "morning", "evening", "night", "weekend", "cup", "order", "reprints", "reprint", "text", "size",
    "money", "smart", "deals", "deal", "hi", "hello", "dear", "thanks", "welcome", "performance", "review",
    "reviews", "guide", "guides", "best", "new", "free", "help", "support", "download", "app", "apps",
    "store", "shop", "account", "profile", "settings", "notifications", "staff", "team", "desk",
    "bsc", "msc", "phd", "md", "rd", "mph", "mba", "rn", "cpt", "ms", "ma", "ba",
}

# A small gazetteer of places that appear alone on a line or in datelines.
PLACES = {
    "washington", "new york", "london", "paris", "berlin", "moscow", "beijing", "tokyo", "brussels",
    "geneva", "rome", "madrid", "vienna", "jerusalem", "tel aviv", "gaza", "gaza city", "beirut",
    "damascus", "baghdad", "cairo", "tehran", "ankara", "istanbul", "kabul", "islamabad", "new delhi",
    "mumbai", "seoul", "hong kong", "singapore", "sydney", "toronto", "ottawa", "mexico city",
    "los angeles", "san francisco", "chicago", "boston", "miami", "houston", "dallas", "atlanta",
    "seattle", "denver", "philadelphia", "detroit", "united nations", "kiev", "kyiv", "warsaw", "athens",
    "dubai", "riyadh", "doha", "amman", "nairobi", "johannesburg", "lagos", "sao paulo", "rio de janeiro",
    "buenos aires", "caracas", "havana", "manila", "jakarta", "bangkok", "hanoi", "taipei", "canberra",
    "wellington", "dublin", "edinburgh", "stockholm", "oslo", "copenhagen", "helsinki", "amsterdam",
    "the hague", "frankfurt", "munich", "milan", "zurich", "lisbon", "prague", "budapest", "bucharest",
    "sofia", "belgrade", "minsk", "tbilisi", "baku", "yerevan", "tripoli", "tunis", "algiers", "rabat",
    "khartoum", "addis ababa", "mogadishu", "sanaa", "aden", "mosul", "aleppo", "raqqa", "idlib", "erbil",
    "ramallah", "west bank", "des moines", "manchester", "birmingham", "las vegas", "phoenix",
    "syria", "iraq", "iran", "israel", "russia", "china", "ukraine", "france", "germany", "britain",
    "turkey", "egypt", "lebanon", "jordan", "saudi arabia", "yemen", "libya", "afghanistan", "pakistan",
    "india", "japan", "north korea", "south korea", "united states", "america", "canada", "mexico",
    "brazil", "australia", "new zealand", "ireland", "scotland", "england", "wales", "spain", "italy",
    "california", "texas", "florida", "ohio", "iowa", "new hampshire", "nevada", "virginia", "georgia",
    "pennsylvania", "michigan", "wisconsin", "arizona", "colorado", "north carolina", "south carolina",
}

_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.(?:[A-Z]\.)?|[A-Z][a-z]*[A-Z][a-z]+|"
                         r"(?:Mc|Mac|O'|O’)[A-Z][a-z]+|[A-Z]'[A-Z][a-z]+|Jr\.?|Sr\.?|II|III|IV)$")
_PARTICLES = {"de", "da", "van", "von", "der", "den", "al", "el", "bin", "ibn", "la", "le", "du", "dos", "di"}


def is_outlet_name(s: str) -> bool:
    return by_name(s) is not None


def is_place(s: str) -> bool:
    return s.strip().lower().rstrip(".,") in PLACES


def looks_like_org(s: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", s)
    return any(w.lower().strip("'’") in ORG_WORDS for w in words) or bool(re.search(r"\.\w{2,4}$", s))


def looks_like_person(s: str, *, min_tokens: int = 2, max_tokens: int = 4) -> bool:
    """A personal-name shape: 2-4 capitalised tokens (initials and particles allowed),
    no menu/section words, not an outlet, not a place, not an organisation."""
    s = s.strip().strip(",;:")
    toks = s.split()
    core = [t for t in toks if t.lower() not in _PARTICLES]
    if not (min_tokens <= len(core) <= max_tokens) or len(toks) > max_tokens + 2:
        return False
    if not all(_NAME_TOKEN.match(t) for t in core):
        return False
    if not any(len(t.rstrip(".")) > 1 for t in core[-1:]):   # surname is not an initial
        return False
    if any(t.lower().strip(".'’") in NOT_NAME_WORDS for t in core):
        return False
    if is_outlet_name(s) or is_place(s) or looks_like_org(s):
        return False
    return True


_GLUED_ROLE = re.compile(r"(?<=[a-z])(?:Staff|Business|Contributor|Correspondent|Reporter|Writer|Editor|"
                         r"Columnist|Senior|Opinion|Columnist)\b.*$")


def strip_role(name: str) -> str:
    """"Jane Doe, Staff Writer" -> "Jane Doe"; "Jane Doe | Reuters" -> "Jane Doe";
    "Meg DoeStaff Writer" (a scraper glued the role on) -> "Meg Doe"."""
    s = re.split(r"\s*[|•·]\s*", name.strip())[0]
    s = _GLUED_ROLE.sub("", s)
    s = _ROLE_PHRASE.sub("", s).strip(" ,;:-–—")
    # "Jane Doe, Reuters" / "Jane Doe of the Associated Press" / "Jane Doe in Paris"
    s = re.sub(r"\s*,\s*.*$", "", s) if "," in s else s
    s = re.sub(r"\s+(?:of|for|at)\s+(?:the\s+)?[A-Z].*$", "", s)
    s = re.sub(r"\s+in\s+[A-Z][\w .'-]*$", "", s)
    return s.strip(" ,;:-–—.") if not re.search(r"\b[A-Z]\.$", s.strip()) else s.strip(" ,;:-–—")


def split_names(s: str) -> list[str]:
    """"A, B and C" / "A & B" / "A; B" -> ["A", "B", "C"], roles and places stripped."""
    s = re.sub(r"\s+", " ", s).strip()
    parts = re.split(r"\s*(?:;|,\s*and\s+|,|\band\b|&)\s*", s)
    out = []
    for p in parts:
        p = strip_role(p)
        words = p.lower().replace(".", "").split()
        if not p or p in out or all(w in ROLE_WORDS for w in words) or is_outlet_name(p):
            continue
        out.append(p)
    return out
