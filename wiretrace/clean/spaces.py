"""Unicode spaces read as plain spaces.

Scraped pages are often typeset with no-break spaces (U+00A0) and the other
Unicode space separators; the heuristics (speech cues, datelines, bylines,
credit lines, cited sources, dates, sentence ends) are written with " ".
``plain_spaces`` gives the view they work on: every space separator (Unicode
category Zs) replaced by " ", one character for one, so every offset into the
view is the same offset into the original.  What is returned to the user
(quote text, cues) is always cut from the original text.
"""
from __future__ import annotations

from functools import lru_cache

SPACE_SEPARATORS = "\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
_PLAIN = str.maketrans({c: " " for c in SPACE_SEPARATORS})


@lru_cache(maxsize=8)
def plain_spaces(text: str) -> str:
    """``text`` with every Unicode space separator as " " (same length).  The last few
    are remembered: one document's body is read by five steps, each asking for this view."""
    return text.translate(_PLAIN)
