"""Untrusted text made safe to show: control characters made visible and
bidirectional controls kept from reordering anything around the text.

Article-derived strings (titles, ids, outlets, quotes, problem reasons...) go
through ``visible`` before they reach a terminal or a page:

* C0 controls (but newline and tab; carriage return too on a page, where HTML
  reads it as a line end), DEL and C1 controls are shown as visible symbols
  (``\\x1b`` as ``␛``, ``\\x07`` as ``␇``, NUL as ``␀``, C1 as ``<U+009B>``): an
  escape sequence cannot clear a screen or retitle a window, and a reader sees
  that the text held them.
* Bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) are closed where the string ends, and closers with no opener
  are dropped: a right-to-left override in a title reorders the title only,
  never the text after it.  (Pages also isolate such text in ``<bdi>``.)

Nothing here changes stored data; it is applied at output only, and it is
idempotent (its output passes through unchanged).
"""
from __future__ import annotations

import re

_EMBED_OPEN = "\u202a\u202b\u202d\u202e"      # LRE RLE LRO RLO: closed by PDF
_ISO_OPEN = "\u2066\u2067\u2068"               # LRI RLI FSI: closed by PDI
_PDF, _PDI = "\u202c", "\u2069"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _control_map(keep: str) -> dict[int, str]:
    m: dict[int, str] = {}
    for c in range(32):
        if chr(c) not in keep:
            m[c] = chr(0x2400 + c)             # the Control Pictures block: ␀ ... ␟
    m[0x7F] = "\u2421"                         # ␡
    for c in range(0x80, 0xA0):
        m[c] = f"<U+{c:04X}>"
    return m


_TERMINAL = _control_map("\n\t")
_PAGE = _control_map("\n\t\r")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def balance_bidi(s: str) -> str:
    """``s`` with every bidirectional embedding, override and isolate it opens
    closed at its end, and closers with no opener in ``s`` removed."""
    if not _BIDI.search(s):
        return s
    out: list[str] = []
    stack: list[str] = []            # "e" (embedding/override) or "i" (isolate), innermost last
    last = 0
    for m in _BIDI.finditer(s):
        c = m.group()
        keep = True
        if c in _EMBED_OPEN:
            stack.append("e")
        elif c in _ISO_OPEN:
            stack.append("i")
        elif c == _PDF:
            if stack and stack[-1] == "e":
                stack.pop()
            else:
                keep = False         # no embedding open (or an isolate is innermost): would close ours
        else:                        # PDI: closes the innermost isolate and what was opened inside it
            if "i" in stack:
                while stack.pop() != "i":
                    pass
            else:
                keep = False
        if not keep:
            out.append(s[last:m.start()])
            last = m.end()
    out.append(s[last:])
    closers = "".join(_PDF if k == "e" else _PDI for k in reversed(stack))
    return "".join(out) + closers


def visible(s, *, page: bool = False) -> str:
    """``s`` (any value, as ``str``) safe to show: controls visible, bidi balanced."""
    s = s if isinstance(s, str) else str(s)
    if _CONTROLS.search(s):
        s = s.translate(_PAGE if page else _TERMINAL)
    return balance_bidi(s)


def has_bidi(s: str) -> bool:
    return bool(_BIDI.search(s))
