"""Bytes to text: encodings are detected, not assumed; binary is refused.

One rule for NUL, whatever the input kind: data whose control bytes (NUL
included) pass ``BINARY_SHARE`` is binary and refused; otherwise every NUL
character left in the decoded text is removed and the reader reports how many
(``remove_nul`` / ``nul_problem``), so nothing is changed in silence.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class Unreadable(ValueError):
    """The bytes are not text wiretrace can read; the message says why."""


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

#: Control bytes other than tab, newline, form feed, carriage return and ESC.
_CTRL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
#: Share of control bytes above which data is binary, not text.  Not tuned: text
#: (any encoding but UTF-16/32, which are told apart before) has next to none,
#: compressed or image data about 1 in 8 (32 of 256 byte values).
BINARY_SHARE = 0.05
_HEAD = 8192


def _ctrl_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CTRL))) / len(data) if data else 0.0


def looks_binary(data: bytes) -> bool:
    """Control bytes (NUL included) over ``BINARY_SHARE`` of the first 8 KiB or of
    the whole means binary.  (UTF-16/32 text is told apart before this is asked:
    by its BOM, or by the pattern of its zero bytes.)"""
    if not data:
        return False
    return _ctrl_share(data[:_HEAD]) > BINARY_SHARE or _ctrl_share(data) > BINARY_SHARE


def utf16_without_bom(data: bytes) -> str | None:
    """``data`` decoded as UTF-16 (LE or BE) when it has no BOM but the zero bytes of
    UTF-16 text: Latin-script text has a zero high byte in most code units, other
    scripts at least in their spaces, digits and punctuation; so zeros fall on one
    byte parity only.  The result must decode strictly and read as text."""
    head = data[:_HEAD]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4 or len(data) % 2:
        return None
    half = len(head) // 2
    even = head[0::2].count(0) / half
    odd = head[1::2].count(0) / half
    # Zeros on one parity in 1 code unit of 10 at least (a space every ~6 letters
    # in Cyrillic or Greek gives ~15%), almost never on the other.
    if odd >= 0.1 and even <= 0.01:
        enc = "utf-16-le"
    elif even >= 0.1 and odd <= 0.01:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    sample = text[:_HEAD]
    ctrl = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\f\r\x1b")
    if ctrl / max(len(sample), 1) > BINARY_SHARE:
        return None
    return text


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: BOM, then UTF-16 without BOM, then the declared charset if it
    works, then UTF-8, then charset detection. Raises Unreadable for binary or
    undecodable data.  NUL characters are left in: see ``remove_nul``."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if b"\x00" in data[:_HEAD]:
        text = utf16_without_bom(data)
        if text is not None:
            return text
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


def remove_nul(text: str) -> tuple[str, int]:
    """``text`` without its NUL characters, and how many there were."""
    n = text.count("\x00")
    return (text.replace("\x00", ""), n) if n else (text, 0)


def nul_reason(n: int, where: str = "the text") -> str:
    """The problem reason for NUL characters removed from a document that is kept."""
    return f"NUL characters removed: {n} from {where} (the article is kept without them)"
