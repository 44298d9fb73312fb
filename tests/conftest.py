import gzip
import io
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def make_warc(records: list[tuple[str, str, bytes]], gz: bool = False) -> bytes:
    """A WARC file with one response record per (uri, content_type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for uri, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        w.write_record(rec)
    return buf.getvalue()


ARTICLE_HTML = """<html><head><title>Harbour bridge reopens after repairs</title>
<meta name="author" content="Dana Whitfield"><meta property="article:published_time" content="2021-03-04T09:30:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Thursday after eight months of repairs to its northern span, the city council said.</p>
<p>Engineers replaced corroded cables and resurfaced the deck, work that cost the city about 40 million dollars according to council figures.</p>
<p>Commuters had faced detours of up to forty minutes while the crossing was closed, and local shops reported falling trade.</p>
</article><footer>Copyright 2021 Example Gazette</footer></body></html>"""


@pytest.fixture
def article_html() -> str:
    return ARTICLE_HTML
