"""The SQLite store: documents, aliases, stage results, analyses, transactions."""
import sqlite3

import pytest

from wiretrace.model import RawDoc
from wiretrace.store import Store


def test_documents_and_aliases(tmp_path):
    s = Store(tmp_path / "w.db")
    a = RawDoc(id="a", text="one", fields={"k": [1, 2]})
    out = s.add_documents([("h1", a), ("h1", RawDoc(id="b", text="one")), ("h2", RawDoc(id="c", text="two"))])
    assert out == [("h1", True), ("h1", False), ("h2", True)]
    assert s.count_documents() == 2
    assert s.ids_of("h1") == ["a", "b"]
    assert s.document("h1") == a                      # round-trips every field
    assert s.all_hashes() == ["h1", "h2"]
    s.close()
    s2 = Store(tmp_path / "w.db")                      # persisted in the file
    assert s2.count_documents() == 2 and s2.document("h2").id == "c"


def test_results_and_analysis(tmp_path):
    s = Store(tmp_path / "w.db")
    s.put_results("article", [("k1", {"text": "x", "n": [1]}), ("k2", [1, 2])])
    assert s.get_results("article", ["k1", "k2", "k3"]) == {"k1": {"text": "x", "n": [1]}, "k2": [1, 2]}
    assert s.get_results("corpus", ["k1"]) == {}
    many = [(f"k{i}", i) for i in range(1200)]        # more keys than one IN (...) chunk
    s.put_results("bulk", many)
    assert len(s.get_results("bulk", [k for k, _ in many])) == 1200
    assert s.load_analysis() is None
    s.save_analysis("key1", {"schema": "wiretrace.analysis/1", "articles": []})
    assert s.load_analysis()["schema"] == "wiretrace.analysis/1" and s.analysis_key() == "key1"


def test_failed_transaction_leaves_nothing(tmp_path):
    s = Store(tmp_path / "w.db")
    with pytest.raises(RuntimeError):
        with s.transaction() as db:
            db.execute("INSERT INTO results VALUES ('x','k','1')")
            raise RuntimeError("boom")
    assert s.get_results("x", ["k"]) == {}


def test_newer_schema_refused(tmp_path):
    Store(tmp_path / "w.db").close()
    con = sqlite3.connect(tmp_path / "w.db")
    con.execute("UPDATE meta SET value='99' WHERE key='schema'")
    con.commit()
    con.close()
    with pytest.raises(RuntimeError, match="newer wiretrace"):
        Store(tmp_path / "w.db")


def test_values_larger_than_a_row_are_stored_in_parts(tmp_path, monkeypatch):
    """A value over PART_CHARS (8M characters in use; 1 KB here) is written in parts and read back whole."""
    import json

    from wiretrace.store import sqlite as sq
    monkeypatch.setattr(sq, "PART_CHARS", 1024)
    s = Store(tmp_path / "w.db")
    big = {"per_article": {f"a{i}": ["s1", None, {"patchwork": i / 7}] for i in range(3000)},
           "derivations": [{"source": f"x{i}", "target": "y\u00e9\u201c", "share": 0.5} for i in range(2000)],
           "empty": {}, "short": [1, 2]}
    s.put_many([("corpus", "k", big), ("small", "k", [1])])
    owner_rows = s.db.execute("SELECT COUNT(*) FROM parts WHERE owner='results/corpus/k'").fetchone()[0]
    assert owner_rows > 10
    assert s.get_results("corpus", ["k"])["k"] == big
    assert s.get_results("small", ["k"])["k"] == [1]
    s.save_analysis("key", big)
    assert s.load_analysis() == big
    # the pieces are exactly json.dumps's text
    assert "".join(sq.iter_json(big)) == json.dumps(big, ensure_ascii=False, sort_keys=True)
    s.put_many([("corpus", "k", {"now": "small"})])         # replaced: its old parts are gone
    assert s.get_results("corpus", ["k"])["k"] == {"now": "small"}
    assert s.db.execute("SELECT COUNT(*) FROM parts WHERE owner='results/corpus/k'").fetchone()[0] == 0
    s.close()
    assert Store(tmp_path / "w.db").load_analysis() == big


def test_a_schema_1_store_is_upgraded(tmp_path):
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "INSERT INTO meta VALUES ('schema', '1');")
    db.close()
    s = Store(tmp_path / "old.db")
    assert s.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == "2"
    s.put_results("a", [("k", 1)])
    assert s.get_results("a", ["k"]) == {"k": 1}


def test_results_given_as_json_text_are_stored_as_put_results_stores_them(tmp_path):
    import json

    from wiretrace.store import sqlite as sq
    value = {"text": "x \u201cy\u201d", "sentences": [[0, 1]] * 300, "n": {"b": 1, "a": [1, 2]}}
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)      # as a worker writes it
    a.put_results("article", [("k", json.loads(text))])
    b.put_json_results("article", [("k", text)])
    assert list(a.dump()) == list(b.dump()) and b.get_results("article", ["k"]) == {"k": value}
    # with keep_order, put_results keeps the keys in their order (a corpus stage's result read back is as made)
    a.put_results("corpus", [("k", value)], keep_order=True)
    assert list(a.get_results("corpus", ["k"])["k"]) == ["text", "sentences", "n"]
    assert list(a.get_results("corpus", ["k"])["k"]["n"]) == ["b", "a"]
    big = {"text": "w" * 300}
    old = sq.PART_CHARS
    sq.PART_CHARS = 100                      # over the part size: kept in parts, read back whole
    try:
        b.put_json_results("article", [("big", json.dumps(big, sort_keys=True))])
    finally:
        sq.PART_CHARS = old
    assert b.get_results("article", ["big"]) == {"big": big}
    assert b.db.execute("SELECT COUNT(*) FROM parts").fetchone()[0] >= 2


def test_numeric_arrays_and_lazy_lists_are_written_as_their_lists(tmp_path):
    """A story state's arrays and analysis.json's lazy lists are streamed: the text
    is what ``json.dumps`` gives for the same values as plain lists."""
    import json

    import numpy as np

    from wiretrace.model.analysis import Mapped
    from wiretrace.model import Problem
    from wiretrace.store.sqlite import _ARRAY_BLOCK, iter_json
    data = np.linspace(0.001, 7.0, _ARRAY_BLOCK * 2 + 5)
    idx = np.arange(_ARRAY_BLOCK + 3, dtype=np.int64)
    probs = [Problem(f"f{i}.txt", i, "bad") for i in range(3)]
    value = {"sums": {"shape": [2, 3], "data": data, "indices": idx}, "empty": np.array([]),
             "problems": Mapped(probs)}
    plain = {"sums": {"shape": [2, 3], "data": data.tolist(), "indices": idx.tolist()}, "empty": [],
             "problems": [p.to_dict() for p in probs]}
    assert "".join(iter_json(value)) == json.dumps(plain, ensure_ascii=False, sort_keys=True)
    s = Store(tmp_path / "w.db")
    s.put_results("story-state", [("latest", value)])
    assert s.get_results("story-state", ["latest"])["latest"] == plain
