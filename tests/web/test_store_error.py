"""A store that cannot be read is never served in silence (issue 11): the web app
keeps the analysis it loaded before, and says so in /api/status, on every page,
and in the log; once the store reads again, the error clears."""
from __future__ import annotations

import logging
import shutil
import sqlite3
import time

from fastapi.testclient import TestClient

from webhelpers import sample_analysis
from wiretrace.store import Store
from wiretrace.web import app as webapp
from wiretrace.web.app import create_app


def _store(path, analysis):
    s = Store(path)
    s.save_analysis("k1", analysis)
    s.close()


def _next_check(monkeypatch):
    monkeypatch.setattr(webapp, "RELOAD_CHECK_S", 0.0)


def test_broken_analysis_row_keeps_old_analysis_and_says_so(tmp_path, monkeypatch, caplog):
    db = tmp_path / "w.db"
    _store(db, sample_analysis())
    _next_check(monkeypatch)
    c = TestClient(create_app(db, prerender=False))
    st = c.get("/api/status").json()
    assert st["articles"] == 4 and st["store_error"] is None and st["stale"] is False
    # a newer analysis row that cannot be loaded (not JSON): a real failure of the store's loader
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO analyses VALUES ('latest', 'k2', '{not json')")
    con.commit()
    con.close()
    with caplog.at_level(logging.ERROR, logger="wiretrace.web"):
        st = c.get("/api/status").json()
    assert st["articles"] == 4 and st["stale"] is True
    assert st["store_error"].startswith("cannot load the analysis from the store: JSONDecodeError")
    assert any("cannot load the analysis from the store" in r.getMessage() for r in caplog.records)
    for url in ("/", "/stories/s1", "/articles/a1", "/outlets/Wire Agency", "/quotes"):
        r = c.get(url)
        assert r.status_code == 200 and 'id="store-error"' in r.text and "may be out of date" in r.text, url
    # the store is mended: the new analysis is loaded and the banner goes
    a2 = sample_analysis()
    a2["articles"] = a2["articles"][:3]
    _store(db, a2)
    st = c.get("/api/status").json()
    assert st["store_error"] is None and st["stale"] is False and st["articles"] == 3
    assert 'id="store-error"' not in c.get("/stories/s1").text


def test_store_replaced_by_garbage_is_reported(tmp_path, monkeypatch, caplog):
    db = tmp_path / "w.db"
    _store(db, sample_analysis())
    _next_check(monkeypatch)
    c = TestClient(create_app(db, prerender=False))
    assert c.get("/api/status").json()["articles"] == 4
    good = tmp_path / "good.db"
    shutil.copy(db, good)
    db.write_bytes(b"this is not a database" * 100)
    time.sleep(0.01)
    with caplog.at_level(logging.ERROR, logger="wiretrace.web"):
        st = c.get("/api/status").json()
    assert st["articles"] == 4 and st["stale"] is True
    assert "cannot check the store for a new analysis: DatabaseError" in st["store_error"]
    assert len([r for r in caplog.records if "cannot check the store" in r.getMessage()]) == 1
    c.get("/api/status")                      # the same error again: logged once, not every second
    assert len([r for r in caplog.records if "cannot check the store" in r.getMessage()]) == 1
    shutil.copy(good, db)
    assert c.get("/api/status").json()["store_error"] is None


def test_unreadable_store_at_start_shows_error_not_empty_store(tmp_path):
    db = tmp_path / "w.db"
    db.write_bytes(b"garbage " * 1000)
    c = TestClient(create_app(db, prerender=False))
    st = c.get("/api/status").json()
    assert st["articles"] == 0 and st["stale"] is False and "DatabaseError" in st["store_error"]
    r = c.get("/")
    assert r.status_code == 200 and 'id="store-error"' in r.text


def test_failed_analysis_not_reloaded_every_check(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    _store(db, sample_analysis())
    _next_check(monkeypatch)
    calls = []
    real = webapp.Source._load
    monkeypatch.setattr(webapp.Source, "_load", lambda self: (calls.append(1), real(self))[1])
    c = TestClient(create_app(db, prerender=False))
    c.get("/api/status")
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO analyses VALUES ('latest', 'k2', '{not json')")
    con.commit()
    con.close()
    for _ in range(5):
        assert c.get("/api/status").json()["stale"] is True
    assert len(calls) == 2                   # the first load, then one failed attempt (retried after LOAD_RETRY_S)
    monkeypatch.setattr(webapp, "LOAD_RETRY_S", 0.0)
    c.get("/api/status")
    assert len(calls) == 3
