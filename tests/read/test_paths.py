"""Walking inputs: nothing blocks, nothing is skipped in silence (issue 11).

FIFOs and other non-regular files are never opened; hidden files and folders,
folders that cannot be listed, broken links and link loops are each one problem.
"""
import os
import pickle
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from wiretrace.model import Problem, RawDoc
from wiretrace.read import read_paths
from wiretrace.read.files import NotRegular, open_regular

TEXT = "The council approved the new budget on Monday after a long debate about road repairs.\n"


def _read(*paths, timeout=20):
    """read_paths in a thread, failing (not hanging) if it blocks."""
    out: list = []
    t = threading.Thread(target=lambda: out.extend(read_paths(list(paths))), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "reading blocked"
    return [i for i in out if isinstance(i, RawDoc)], [i for i in out if isinstance(i, Problem)]


def _names(probs):
    return {os.path.basename(p.path): p.reason for p in probs}


def test_fifo_in_folder_and_given_directly_is_never_opened(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT)
    os.mkfifo(tmp_path / "pipe.jsonl")
    docs, probs = _read(tmp_path, tmp_path / "pipe.jsonl")
    assert [d.id for d in docs] == ["good"]
    assert [(os.path.basename(p.path), p.reason) for p in probs] == [
        ("pipe.jsonl", "skipped: not a regular file: a named pipe (FIFO)")] * 2


def test_socket_is_a_problem(tmp_path):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "feed.txt"))
        docs, probs = _read(tmp_path)
    finally:
        s.close()
    assert docs == [] and _names(probs) == {"feed.txt": "skipped: not a regular file: a socket"}


def test_device_given_directly_is_a_problem():
    docs, probs = _read("/dev/zero")
    assert docs == [] and probs[0].reason == "skipped: not a regular file: a character device"


def test_open_regular_refuses_a_fifo_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "x.txt")
    with pytest.raises(NotRegular, match="named pipe"):
        open_regular(tmp_path / "x.txt")


def test_symlinks_followed_loops_and_dangling_named(tmp_path):
    (tmp_path / "real.txt").write_text(TEXT)
    (tmp_path / "alias.txt").symlink_to("real.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "l1.txt").symlink_to("l2.txt")
    (tmp_path / "l2.txt").symlink_to("l1.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")          # a folder loop
    docs, probs = _read(tmp_path)
    assert sorted(d.id for d in docs) == ["alias", "real"]
    why = _names(probs)
    assert why["gone.txt"].startswith("skipped: broken symbolic link")
    assert why["l1.txt"] == why["l2.txt"] == "skipped: symbolic link loop"
    assert why["up"].startswith("skipped: symbolic link to a folder already read")
    assert len(probs) == 4


def test_hidden_items_named_once_each_and_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / ".draft.txt").write_text(TEXT)
    git = tmp_path / ".git" / "objects"
    git.mkdir(parents=True)
    for i in range(5):
        (git / f"{i}.txt").write_text(TEXT)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".cache").mkdir()
    (tmp_path / "sub" / ".cache" / "c.txt").write_text(TEXT)
    docs, probs = _read(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert sorted((os.path.relpath(p.path, tmp_path), p.reason) for p in probs) == [
        (".draft.txt", "skipped: hidden file"), (".git", "skipped: hidden folder"),
        ("sub/.cache", "skipped: hidden folder")]


def _read_as_nobody(path: Path):
    """read_paths(path) in a forked child running as user 'nobody' (root reads anything)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:       # child
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            data = pickle.dumps([(type(i).__name__, getattr(i, "path", None) or i.origin, getattr(i, "reason", None))
                                 for i in read_paths([path])])
            os.write(w, data)
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 1 << 16):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return pickle.loads(b"".join(chunks))


def test_unreadable_folder_is_a_problem():
    top = Path(tempfile.mkdtemp(prefix="wiretrace-perm-"))
    try:
        os.chmod(top, 0o755)
        (top / "ok.txt").write_text(TEXT)
        (top / "ok.txt").chmod(0o644)
        locked = top / "locked"
        locked.mkdir()
        (locked / "secret.txt").write_text(TEXT)
        locked.chmod(0o000)
        if os.geteuid() == 0:
            items = _read_as_nobody(top)
        else:
            items = [(type(i).__name__, getattr(i, "path", None) or i.origin, getattr(i, "reason", None))
                     for i in read_paths([top])]
        assert ("RawDoc", str(top / "ok.txt"), None) in items
        assert ("Problem", str(locked), "cannot read folder: Permission denied") in items
        assert len(items) == 2
    finally:
        (top / "locked").chmod(0o755)
        shutil.rmtree(top)


def test_cli_analyze_with_fifo_and_hidden_items_finishes(tmp_path):
    """The issue's case end to end: 'wiretrace analyze' on a folder holding a FIFO
    named pipe.jsonl used to wait for ever; now it finishes and names it."""
    import json
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(TEXT * 3)
    os.mkfifo(corpus / "pipe.jsonl")
    (corpus / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    p = subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(corpus), "--db", str(tmp_path / "w.db"),
                        "-o", str(tmp_path / "a.json"), "-q", "--workers", "1"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    a = json.loads((tmp_path / "a.json").read_text())
    assert [x["id"] for x in a["articles"]] == ["good"]
    assert sorted((os.path.basename(x["path"]), x["reason"]) for x in a["problems"]) == [
        (".DS_Store", "skipped: hidden file"), ("pipe.jsonl", "skipped: not a regular file: a named pipe (FIFO)")]
