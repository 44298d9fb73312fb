"""Datelines at the start of a paragraph: "WASHINGTON (Reuters) -",
"BEIRUT (AP) _", "LONDON, Dec 3 (Reuters) -", "NEW DELHI, India (Reuters) -",
"MOSCOW —" (place only), "Philadelphia – " (a known place in title case)."""
from __future__ import annotations

import re

from wiretrace.registry import by_name

from .meta_names import is_place

_DASH = r"(?:-{1,2}|–|—|_|:)"
_CAPS_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_SUFFIX = r"(?:,\s*(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)" \
          r"[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
_DATE = r"(?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
_AGENCY = r"(?:\s*\((?P<agency>[A-Z][A-Za-z.&'’\- ]{0,40}?)\))?"

# Capitalised labels that open paragraphs the way datelines do.
_NOT_PLACES = {"WATCH", "UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "ANALYSIS", "OPINION", "EDITOR'S",
               "EDITOR’S", "RELATED", "READ", "PHOTOS", "PHOTO", "VIDEO", "LIVE", "CORRECTION", "NOTE",
               "ALSO", "MORE", "SEE", "LISTEN", "ADVERTISEMENT", "SPONSORED", "FILE", "Q", "A", "I",
               "ISIS", "ISIL", "NATO", "FBI", "CIA", "GOP", "EU", "UN", "US", "U.S", "UK", "AP", "FACT",
               "WARNING", "ALERT", "SUMMARY", "TOPLINE", "BOTTOM", "CLAIM", "VERDICT", "RATING"}

_DATELINE = re.compile(
    r"^(?P<place>(?P<caps>" + _CAPS_PLACE + r")|(?P<title>" + _TITLE_PLACE + r"))" + _SUFFIX + _DATE + _AGENCY
    + r"\s*" + _DASH + r"(?=\s)")


def find_dateline(body: str, max_paragraphs: int = 3) -> dict | None:
    """The dateline opening one of the first paragraphs of ``body``:
    {"place", "agency", "agency_as_written", "start", "end"} (offsets of the whole
    dateline, dash included), or None."""
    pos = 0
    seen = 0
    for line in body.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.lstrip()
        if not stripped.strip():
            continue
        if seen >= max_paragraphs:
            break
        if len(stripped.split()) >= 8:            # header lines (headline, byline, date) do not count
            seen += 1
        lead = start + (len(line) - len(stripped))
        m = _DATELINE.match(stripped)
        if not m:
            continue
        after = stripped[m.end():].lstrip()
        if not after or not (after[0].isupper() or after[0] in "\"“'‘(" or after[0].isdigit()):
            continue
        agency = m.group("agency")
        head = m.group("place").strip()
        if head.upper().strip(".") in _NOT_PLACES or head.split()[0].upper() in _NOT_PLACES:
            continue
        if stripped[m.end() - 1] == ":" and not (agency or is_place(head)):
            continue                             # "WATCH: ..." / "UPDATE: ..." are labels
        if m.group("title") and not (agency or is_place(m.group("title"))):
            continue                             # "Trump - ..." is not a dateline
        place_text = stripped[:m.end()]
        place = m.group("place").strip()
        if m.group("caps") and len(re.sub(r"[^A-Z]", "", place)) < 2:
            continue
        if agency:
            known = by_name(agency)
            if known is None and not re.fullmatch(r"[A-Z][A-Za-z.&'’\-]*(?: [A-Z][A-Za-z.&'’\-]*){0,4}", agency):
                continue
        # full place with its suffix ("NEW DELHI, India"), without the date/agency
        full = place_text
        for g in ("agency", "date"):
            if m.group(g):
                full = full[:m.start(g)] if m.start(g) < len(full) else full
        full = re.sub(r"[\s(,]*$", "", re.sub(_DASH + r"\s*$", "", full)).strip()
        return {
            "place": full or place,
            "agency": (by_name(agency).name if agency and by_name(agency) else agency),
            "agency_as_written": agency,
            "date": m.group("date"),
            "start": lead,
            "end": lead + m.end(),
        }
    return None
