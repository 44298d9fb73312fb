"""Bytes to text: encodings are detected, not assumed; binary is refused."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class Unreadable(ValueError):
    """The bytes are not text wiretrace can read; the message says why."""


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary.
    (UTF-16/32 text is caught by its BOM before this is asked.)"""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: BOM, then the declared charset if it works, then UTF-8,
    then charset detection. Raises Unreadable for binary or undecodable data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if looks_binary(data):
        raise Unreadable("binary content, not text")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = [m for m in from_bytes(data[:1_000_000]) if m.encoding]
    if not matches:
        raise Unreadable("unknown text encoding")
    # Classic Mac encodings are rare on the web but win detection on short
    # Windows-1252 text (accents read as Central European): prefer any other.
    web = [m for m in matches if not m.encoding.startswith("mac_")]
    return data.decode((web or matches)[0].encoding, errors="replace")
