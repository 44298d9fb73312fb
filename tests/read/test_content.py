"""What readers make of hard bytes (issue 11): truncated WARC/.warc.gz, NUL bytes
(one rule in every reader), UTF-16 without a BOM; binary is still refused."""
import io
import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ARTICLE_HTML, make_warc
from wiretrace.model import Problem, RawDoc
from wiretrace.read import read_paths
from wiretrace.read.decode import Unreadable, decode_bytes, looks_binary, utf16_without_bom

TEXT = ("Le café était fermé, a déclaré la maire de la ville à la presse locale mardi soir. "
        "The harbour bridge reopened to traffic on Thursday after eight months of repairs.\n")


def _read(*paths):
    items = list(read_paths(list(paths)))
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, Problem)]


# -- truncated WARC ----------------------------------------------------------------

BODIES = {"https://news.example/1": ARTICLE_HTML,
          "https://news.example/2": ARTICLE_HTML.replace("Harbour", "Canal") * 3,
          "https://news.example/3": ARTICLE_HTML.replace("Harbour", "River")}


def _warc(gz):
    return make_warc([(u, "text/html; charset=utf-8", b.encode()) for u, b in BODIES.items()], gz=gz)


@pytest.mark.parametrize("gz", [False, True])
def test_warc_cut_in_last_record_body(tmp_path, gz):
    data = _warc(gz)
    two = make_warc([(u, "text/html; charset=utf-8", b.encode()) for u, b in list(BODIES.items())[:2]], gz=gz)
    p = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    p.write_bytes(data[: len(two) + (len(data) - len(two)) // 2])    # half of record 3
    docs, probs = _read(p)
    assert [d.id for d in docs] == list(BODIES)[:2]
    assert all(d.html == BODIES[d.id] for d in docs)
    assert len(probs) == 1 and probs[0].line == 3 and probs[0].path == str(p)
    assert "record 3" in probs[0].reason and "cut short" in probs[0].reason and "byte" in probs[0].reason


@pytest.mark.parametrize("gz", [False, True])
def test_warc_every_cut_gives_whole_articles_or_a_problem(tmp_path, gz):
    """Cut the file at every byte: no short article is ever read, and a cut that
    loses a record's content says so."""
    data = make_warc([(u, "text/html", b.encode()) for u, b in list(BODIES.items())[:2]], gz=gz)
    p = tmp_path / ("c.warc.gz" if gz else "c.warc")
    it = ArchiveIterator(io.BytesIO(data))
    starts = [it.offset for _ in it]
    step = 1 if gz else 3
    for cut in range(1, len(data), step):
        p.write_bytes(data[:cut])
        docs, probs = _read(p)
        assert all(d.html == BODIES[d.id] for d in docs), cut
        between = cut <= starts[1] and not data[cut:starts[1]].strip()     # record 1 whole, nothing of 2
        assert len(docs) == 2 or probs or between, cut          # record 2 lost: never in silence
        assert len(probs) <= 1, (cut, probs)


def test_warc_gz_member_cut_in_its_trailer(tmp_path):
    data = _warc(True)
    p = tmp_path / "t.warc.gz"
    p.write_bytes(data[:-3])          # the last member's gzip trailer (CRC, size) cut
    docs, probs = _read(p)
    assert [d.id for d in docs] == list(BODIES)[:2]
    assert len(probs) == 1 and probs[0].line == 3 and "cut short" in probs[0].reason


def test_whole_warc_no_problem(tmp_path):
    for gz in (False, True):
        p = tmp_path / ("w.warc.gz" if gz else "w.warc")
        p.write_bytes(_warc(gz))
        docs, probs = _read(p)
        assert [d.id for d in docs] == list(BODIES) and not probs


# -- NUL bytes: one rule -------------------------------------------------------------

def test_txt_nul_after_first_8k_removed_and_reported(tmp_path):
    body = ("A sentence about the harbour bridge and its repairs. " * 200)   # > 8 KB
    assert len(body) > 8192
    p = tmp_path / "late.txt"
    p.write_bytes(body.encode() + b"\x00\x00" + b"More text after the NULs.\n")
    q = tmp_path / "early.txt"
    q.write_bytes(b"Start\x00 of an article about the harbour bridge. " + body.encode())
    docs, probs = _read(tmp_path)
    texts = {d.id: d.text for d in docs}
    assert texts["late"] == body + "More text after the NULs.\n"
    assert texts["early"] == "Start of an article about the harbour bridge. " + body
    why = {p.path.rsplit("/", 1)[-1]: p.reason for p in probs}
    assert why == {"late.txt": "NUL characters removed: 2 from the text (the article is kept without them)",
                   "early.txt": "NUL characters removed: 1 from the text (the article is kept without them)"}


def test_jsonl_nul_escape_removed_and_reported(tmp_path):
    p = tmp_path / "n.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "Mayor\u0000 said the road\u0000 would reopen.", "title": "T\u0000",
                             "extra": "kept\u0000as is"}) + "\n"
                 + json.dumps({"id": "b", "text": "Clean line."}) + "\n", encoding="utf-8")
    docs, probs = _read(p)
    assert [(d.id, d.text, d.title) for d in docs] == [("a", "Mayor said the road would reopen.", "T"),
                                                       ("b", "Clean line.", None)]
    assert docs[0].fields == {"extra": "kept\u0000as is"}        # unknown fields pass through untouched
    assert [(x.line, x.reason) for x in probs] == [
        (1, "NUL characters removed: 3 from 'text', 'title' (the article is kept without them)")]


def test_jsonl_only_nul_text_is_no_text(tmp_path):
    p = tmp_path / "z.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "\u0000\u0000"}) + "\n", encoding="utf-8")
    docs, probs = _read(p)
    assert docs == [] and [x.reason for x in probs] == ["no 'text' or 'html' (one is required)"]


def test_html_and_warc_nul_removed_and_reported(tmp_path):
    page = ARTICLE_HTML.replace("reopened", "re\x00opened")
    (tmp_path / "p.html").write_bytes(page.encode())
    (tmp_path / "c.warc").write_bytes(make_warc([("https://x.example/1", "text/html", page.encode())]))
    docs, probs = _read(tmp_path)
    assert all("\x00" not in d.html and "reopened" in d.html for d in docs) and len(docs) == 2
    assert sorted(p.reason for p in probs) == [
        "NUL characters removed: 1 from record https://x.example/1 (the article is kept without them)",
        "NUL characters removed: 1 from the page (the article is kept without them)"]
    assert {p.line for p in probs} == {None, 1}


def test_mostly_nul_is_binary(tmp_path):
    (tmp_path / "zeros.txt").write_bytes(b"text" + b"\x00" * 5000)
    (tmp_path / "zeros2.txt").write_bytes(b"word " * 4000 + b"\x00" * 3000)      # NULs only after 8 KB
    docs, probs = _read(tmp_path)
    assert docs == [] and {p.reason for p in probs} == {"binary content, not text"}


# -- encodings -------------------------------------------------------------------------

@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, enc):
    (tmp_path / "u.txt").write_bytes(TEXT.encode(enc))
    docs, probs = _read(tmp_path)
    assert not probs and docs[0].text == TEXT


def test_utf16_without_bom_cyrillic():
    s = "Мэр города заявил во вторник, что мост через гавань откроется после ремонта.\n"
    assert decode_bytes(s.encode("utf-16-le")) == s
    assert decode_bytes(s.encode("utf-16-be")) == s


@pytest.mark.parametrize("enc", ["utf-16", "utf-8-sig", "cp1252"])
def test_other_encodings_still_decode(tmp_path, enc):
    (tmp_path / "x.txt").write_bytes(TEXT.encode(enc))
    docs, probs = _read(tmp_path)
    assert not probs and docs[0].text == TEXT


def test_real_binary_still_rejected(tmp_path):
    import random
    rnd = random.Random(7)
    (tmp_path / "noise.txt").write_bytes(bytes(rnd.randrange(256) for _ in range(20000)))
    (tmp_path / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    # 16-bit little-endian integers: zeros on one parity, but not text
    (tmp_path / "ints.txt").write_bytes(b"".join(i.to_bytes(2, "little") for i in range(0, 4000, 3)))
    docs, probs = _read(tmp_path)
    assert docs == [] and {p.reason for p in probs} == {"binary content, not text"}
    assert utf16_without_bom(b"".join(i.to_bytes(2, "little") for i in range(0, 4000, 3))) is None
    with pytest.raises(Unreadable):
        decode_bytes(b"\x00\x01\x02\x03" * 100)
    assert looks_binary(b"\x00" * 10)
