"""`serve()` as the CLI runs it (a subprocess on a free port), and uploads through the real pipeline."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from wiretrace.web.app import create_app
from webhelpers import EXAMPLES_DIR, free_port, sample_analysis

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.slow
def test_serve_subprocess(tmp_path):
    from wiretrace.store import Store
    db = tmp_path / "w.db"
    st = Store(db)
    st.save_analysis("k", sample_analysis())
    st.close()
    port = free_port()
    code = f"from wiretrace.web.app import serve; serve({str(db)!r}, '127.0.0.1', {port}, 'tok')"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                r = httpx.get(base + "/stories/s1", timeout=5)
                break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode())
                time.sleep(0.1)
        assert r.status_code == 200 and "Northvale closes river bridge" in r.text
        assert "script-src 'none'" in r.headers["content-security-policy"]
        assert "server" not in r.headers
        assert httpx.post(base + "/api/articles", files={"f": ("x.txt", b"x")}).status_code == 401
    finally:
        proc.terminate()
        proc.wait(10)


def _pipeline_or_skip(db: Path) -> None:
    try:
        from wiretrace.pipeline import analyze
        analyze([EXAMPLES_DIR], db=db)
    except (ImportError, NotImplementedError) as e:
        pytest.skip(f"pipeline incomplete: {e}")


@pytest.mark.slow
def test_upload_through_pipeline(tmp_path):
    db = tmp_path / "w.db"
    _pipeline_or_skip(db)
    c = TestClient(create_app(db, upload_token="t0k"))
    before = c.get("/api/articles").json()["total"]
    text = ("The harbour authority of Westbay said on Friday it would dredge the main channel next spring. "
            "\"Ships keep running aground,\" said harbour master Ilse Varga. The work will take three months.")
    r = c.post("/api/articles", headers={"Authorization": "Bearer t0k"},
               files={"f": ("../westbay-dredging.txt", text.encode())})
    assert r.status_code == 200, r.text
    ids = [a["id"] for a in c.get("/api/articles", params={"limit": 1000}).json()["articles"]]
    assert "westbay-dredging" in ids and len(ids) == before + 1
    assert "Ilse Varga" in json.dumps(c.get("/api/articles/westbay-dredging").json())
