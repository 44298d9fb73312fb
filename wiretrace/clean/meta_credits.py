"""Credit lines: "Reporting by Idrees Ali; Editing by Leslie Adler",
"(Reporting by A and B; Writing by C)", "Additional reporting by Z in Paris",
"Compiled by X", "Editing by X and Y"."""
from __future__ import annotations

import re

from wiretrace.model import Credit

from .meta_names import split_names

_ROLES = (r"additional\s+reporting|reporting\s+and\s+writing|reporting|writing|editing|compiled|"
          r"research|researched|graphics|fact[- ]checking|translated|translation|produced|production|"
          r"photography|photos|video|illustrations?|design|data|contributed\s+reporting")
_CREDIT = re.compile(r"(?i)(?<![\w])(?P<role>" + _ROLES + r")\s+by\s+(?P<names>[^;()\n]+?)"
                     r"(?=\s*(?:;|\)|\n|$|(?<!\b(?-i:[A-Z]))\.(?:\s|$)|/|\|)|\s+(?i:" + _ROLES + r")\s+by\b)")
# A credit line opens with the credit (maybe after "(", "--", "—") so that
# "...said reporting by the newspaper was wrong" in a sentence is not a credit.
_LINE_START = re.compile(r"(?i)^\s*(?:[(\[]|[-–—]{1,2}\s*)?\s*(?:" + _ROLES + r")\s+by\b")
_NAME_OK = re.compile(r"^[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|de|da|van|von|der|al|el|bin|la|le|du|di))*$")


def _names(s: str) -> list[str]:
    s = re.sub(r"\s+(?:in|from)\s+[A-Z][\w.'’\- ]*?(?=\s+and\s+|,|$)", "", s.strip())
    out = []
    for n in split_names(s):
        n = re.sub(r"\s+(?:in|from)\s+[A-Z][\w.'’\- ]*$", "", n).strip()
        if n and _NAME_OK.match(n) and len(n.split()) <= 5:
            out.append(n)
    return out


def find_credits(lines: list[str]) -> list[Credit]:
    """The credits (role, names) of the credit lines among ``lines``, in order, merged by role."""
    out: list[Credit] = []
    for line in lines:
        if len(line) > 1000 or not _LINE_START.match(line):     # credit lines are short
            continue
        for m in _CREDIT.finditer(line):
            role = re.sub(r"\s+", " ", m.group("role").lower())
            role = {"compiled": "compiled", "researched": "research", "contributed reporting": "additional reporting",
                    "photos": "photography"}.get(role, role)
            names = _names(m.group("names"))
            if not names:
                continue
            for c in out:
                if c.role == role:
                    c.names.extend(n for n in names if n not in c.names)
                    break
            else:
                out.append(Credit(role, names))
    return out
