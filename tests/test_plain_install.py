"""wiretrace installed the plain way, as a user without this repo's scripts would:
``python3 -m venv v && v/bin/pip install .`` with the pip that venv gives (pip 23 on
Python 3.11, which does not upgrade itself), then one file of every input kind."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTICLE_HTML, EXAMPLES, ROOT, make_warc

pytestmark = pytest.mark.slow


def test_plain_venv_install_reads_every_kind(tmp_path):
    base = getattr(sys, "_base_executable", None) or shutil.which("python3")
    venv = tmp_path / "v"
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = venv / "bin" / "pip"
    src = tmp_path / "src"            # a copy without build leftovers or the developer's .venv
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "out", "bench", "*.db*",
                                                             "__pycache__", "*.egg-info", "build"))
    p = subprocess.run([str(pip), "install", "-q", str(src)], capture_output=True, text=True, timeout=1500)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(next(EXAMPLES.glob("000_*.txt")), corpus / "a.txt")
    (corpus / "b.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (corpus / "c.jsonl").write_text(json.dumps({"id": "c1", "html": ARTICLE_HTML.replace("Thursday", "Friday"),
                                                "url": "https://example.org/c1"}) + "\n", encoding="utf-8")
    (corpus / "d.warc").write_bytes(make_warc([("https://example.org/d", "text/html; charset=utf-8",
                                                ARTICLE_HTML.replace("Thursday", "Monday").encode())]))
    run = subprocess.run([str(venv / "bin" / "wiretrace"), "analyze", str(corpus), "-o", "a.json", "--db", "w.db",
                          "-q"], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["problems"] == []
    by_id = {a["id"]: a for a in doc["articles"]}
    assert set(by_id) == {"a", "b", "c1", "https://example.org/d"}
    for aid in ("b", "c1", "https://example.org/d"):          # HTML bodies really extracted
        assert "harbour bridge reopened" in by_id[aid]["text"].lower()
    assert by_id["a"]["sentences"] and by_id["a"]["quotes"]
