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
