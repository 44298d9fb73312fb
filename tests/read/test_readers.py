"""Each reader on good and bad input: what is read, and what is reported."""
import gzip
import json

from tests.conftest import ARTICLE_HTML, make_warc
from wiretrace.model import Problem, RawDoc
from wiretrace.read import NOT_CORPUS, read_paths
from wiretrace.read.decode import decode_bytes, looks_binary


def _read(*paths, **kw):
    items = list(read_paths(list(paths), **kw))
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, Problem)]


def test_text_file_id_is_stem(tmp_path):
    (tmp_path / "story-1.txt").write_text("A plain article.\nSecond line.", encoding="utf-8")
    docs, probs = _read(tmp_path)
    assert [d.id for d in docs] == ["story-1"] and not probs
    assert docs[0].text.startswith("A plain article.") and docs[0].kind == "text"


def test_text_encodings_detected(tmp_path):
    s = "Le café était fermé, a déclaré la maire de la ville à la presse locale mardi soir."
    (tmp_path / "latin.txt").write_bytes(s.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(s.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + s.encode("utf-8"))
    docs, probs = _read(tmp_path)
    assert not probs
    assert {d.id: d.text for d in docs} == {"bom": s, "latin": s, "utf16": s}


def test_binary_empty_and_huge_are_reported(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n  ")
    with open(tmp_path / "huge.txt", "wb") as fh:      # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    docs, probs = _read(tmp_path)
    assert docs == []
    why = {p.path.rsplit("/", 1)[-1]: p.reason for p in probs}
    assert "binary" in why["img.txt"]
    assert "empty" in why["empty.txt"] and "empty" in why["blank.txt"]
    assert "too large" in why["huge.txt"]


def test_html_and_gzipped_html(tmp_path):
    (tmp_path / "a.html").write_text(ARTICLE_HTML, encoding="utf-8")
    with gzip.open(tmp_path / "b.htm.gz", "wt", encoding="utf-8") as fh:
        fh.write(ARTICLE_HTML.replace("Harbour", "River"))
    (tmp_path / "c.html").write_text("just some words, no markup at all", encoding="utf-8")
    (tmp_path / "d.html.gz").write_bytes(gzip.compress(ARTICLE_HTML.encode())[:60])   # truncated
    docs, probs = _read(tmp_path)
    assert sorted(d.id for d in docs) == ["a", "b"]
    assert all(d.html and d.kind == "html" for d in docs)
    why = {p.path.rsplit("/", 1)[-1]: p.reason for p in probs}
    assert "not HTML" in why["c.html"]
    assert "gzip" in why["d.html.gz"]


def test_jsonl_lines_and_problems(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": "First article text.", "outlet": "Example Wire",
                    "published": "2020-01-02T03:04:05Z", "title": "T1", "lang": "en", "tags": ["x"]}),
        "{broken json",
        json.dumps({"text": "no id here"}),
        json.dumps({"id": "a2"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": 7, "html": ARTICLE_HTML}),
    ]
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, probs = _read(p)
    assert [d.id for d in docs] == ["a1", "7"]
    a1 = docs[0]
    assert a1.outlet == "Example Wire" and a1.published == "2020-01-02T03:04:05Z" and a1.title == "T1"
    assert a1.fields == {"lang": "en", "tags": ["x"]}          # unknown fields kept untouched
    assert docs[1].html and docs[1].text is None
    got = {(p.line, p.reason.split(":")[0].split(" (")[0]) for p in probs}
    assert got == {(2, "broken JSON"), (3, "missing 'id'"), (4, "no 'text' or 'html'"),
                   (5, "not a JSON object")}


def test_jsonl_gz_truncated_keeps_earlier_lines(tmp_path):
    body = "".join(json.dumps({"id": f"n{i}", "text": f"Article number {i} " * 50}) + "\n" for i in range(200))
    data = gzip.compress(body.encode())
    p = tmp_path / "t.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    docs, probs = _read(p)
    assert 0 < len(docs) < 200
    assert len(probs) == 1 and "gzip" in probs[0].reason and probs[0].line == len(docs) + 1


def test_jsonl_line_over_cap(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"id": "x", "text": "y" * 5000}) + "\n" + json.dumps({"id": "z", "text": "ok"}) + "\n")
    docs, probs = _read(p, max_bytes=1000)
    assert [d.id for d in docs] == ["z"]
    assert probs[0].line == 1 and "too long" in probs[0].reason


def test_warc_html_records(tmp_path):
    data = make_warc([("https://news.example.com/a", "text/html; charset=utf-8", ARTICLE_HTML.encode()),
                      ("https://news.example.com/logo.png", "image/png", b"\x89PNG...."),
                      ("https://news.example.com/b", "text/html", ARTICLE_HTML.replace("Harbour", "Canal").encode())],
                     gz=True)
    (tmp_path / "crawl.warc.gz").write_bytes(data)
    docs, probs = _read(tmp_path)
    assert [d.id for d in docs] == ["https://news.example.com/a", "https://news.example.com/b"]
    assert docs[0].url == docs[0].id and "Harbour" in docs[0].html and not probs


def test_broken_warc_reported(tmp_path):
    good = make_warc([("https://x.example/1", "text/html", ARTICLE_HTML.encode())])
    (tmp_path / "junk.warc").write_bytes(b"this is not a warc file at all\r\n" * 10)
    (tmp_path / "cut.warc").write_bytes(good + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    docs, probs = _read(tmp_path)
    assert [d.id for d in docs] == ["https://x.example/1"]
    names = sorted(p.path.rsplit("/", 1)[-1] for p in probs)
    assert names == ["cut.warc", "junk.warc"]
    assert all("WARC" in p.reason for p in probs), probs


def test_folder_recursive_and_unknown_files(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "x.txt").write_text("Deep article text.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("ignored")
    docs, probs = _read(tmp_path, tmp_path / "missing.txt")
    assert [d.id for d in docs] == ["x"]
    why = sorted((p.path.rsplit("/", 1)[-1], p.reason) for p in probs)
    assert why == [(".hidden.txt", "skipped: hidden file"), ("missing.txt", "no such file or folder"),
                   ("notes.docx", NOT_CORPUS)]


def test_decode_helpers():
    assert looks_binary(b"abc\x00def")
    assert not looks_binary("plain words".encode())
    assert decode_bytes("naïve".encode("utf-8")) == "naïve"
