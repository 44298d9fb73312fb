"""A wire byline: "By Jane Roe, Showbusiness Correspondent, PA News", "By JOHN DOE,
Associated Press Writer", "By PA News Reporter".  The agency is its last part.

It is evidence twice over: of the outlet, when none was given (``metadata._outlet``,
marked as inferred, with the line it was read from), and of an agency's own copy
(``trace.direction.wire_copy``)."""
from __future__ import annotations

import re

from wiretrace.registry import by_name

# A name, then the agency after a comma ("By Jane Roe, PA News") or, for an agency
# of two words, after a space ("By ALAN FRAM Associated Press", as AP's feeds print it:
# "By Lisa Reuters" is a name); then a desk title ("AP Business Writer").
_AGENCIES = (r"PA News|Press Association|Associated Press|AP|Reuters|AFP|Agence France-Presse|Bloomberg News|"
             r"UPI|Xinhua|Kyodo News|ANSA|dpa|EFE")
_TWO_WORD = r"PA News|Press Association|Associated Press|Agence France-Presse|Bloomberg News|Kyodo News"
_DESK = r"(?:\s+(?:[A-Z][\w-]*\s+){0,2}?(?:Writers?|Reporters?|Staff|Correspondents?|Editors?))?"
_WIRE_BYLINE = re.compile(
    r"^\s*By\s+(?:(?:[^\n,]{2,60},\s*){0,3}?|[^\n,]{2,60}?\s+(?=(?:" + _TWO_WORD + r")\b))"
    r"(?P<agency>" + _AGENCIES + r")" + _DESK + r"\s*[.,]?(?:\s+in\s+[^\n]{0,60})?\s*$",
    re.M | re.I)
# The agency (and a desk title) ending a byline's names: ", Associated Press Writers",
# " Associated Press", ", AP Business Writer", ", PA News".
AGENCY_TAIL = re.compile(r"(?:,\s*(?:the\s+)?(?:" + _AGENCIES + r")|\s+(?:the\s+)?(?:" + _TWO_WORD + r"))"
                         + _DESK + r"\s*[.,]?\s*$", re.I)
_BYLINE_AGENCY = {"pa news": "Press Association", "ap": "Associated Press", "agence france-presse": "AFP",
                  "bloomberg news": "Bloomberg", "upi": "United Press International", "kyodo news": "Kyodo News"}


def wire_byline(text: str) -> tuple[str, str] | None:
    """(the agency's registry name, the byline as written, at most 120 characters)
    for the first wire byline on a line of its own in ``text``; None without one."""
    m = _WIRE_BYLINE.search(text)
    if not m:
        return None
    ag = m.group("agency")
    known = by_name(ag)
    return _BYLINE_AGENCY.get(ag.lower()) or (known.name if known else ag), m.group(0).strip()[:120]
