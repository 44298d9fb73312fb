"""HTML pages to article text with trafilatura, keeping its metadata."""
from __future__ import annotations

import logging
import re
import warnings

import lxml.html

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
logging.getLogger("courlan").setLevel(logging.CRITICAL)

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "blockquote",
           "article", "section", "header", "footer", "br", "tr", "dt", "dd", "pre", "main", "aside", "nav"}
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "head"}


def extract_html(html: str, url: str | None = None) -> tuple[str, dict]:
    """(article text with one paragraph per line, html metadata dict).

    Metadata keys: title, date, author, sitename, url (each may be None).
    The headline line trafilatura keeps at the top is dropped when it repeats the title.
    """
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # an error here is the caller's to report (pipeline.process_document keeps a
        # problem entry and falls back to the page's visible text), never swallowed
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True)
    if doc is None:
        return "", {}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    meta = {k: d.get(k) for k in ("title", "date", "author", "sitename", "url")}
    text = d.get("text") or ""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    title = (meta.get("title") or "").strip()
    if lines and title and _same(lines[0], title):
        lines = lines[1:]
    return "\n\n".join(lines), meta


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s).strip().lower()
    return norm(a) == norm(b) or (len(norm(b)) > 20 and norm(a).startswith(norm(b)))


def visible_text(html: str) -> str:
    """The page as a naive scraper renders it: one line per block element.
    Used when trafilatura finds no article; the line cleaner then takes over."""
    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    out: list[str] = []
    buf: list[str] = []

    def flush():
        s = re.sub(r"\s+", " ", "".join(buf)).strip()
        if s:
            out.append(s)
        buf.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCKS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return "\n".join(out)
