"""Web test helpers (imported by conftest and tests): the fixture analysis, a hostile variant, a real uvicorn server, Chromium."""
from __future__ import annotations

import copy
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web"
CHROMIUM = os.environ.get("WIRETRACE_CHROMIUM", "/usr/bin/chromium")
EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "examples"
# Screenshots go to a scratch folder; set WIRETRACE_SCREENSHOTS=docs/screenshots to refresh
# the ones shipped in the repository (tests never change tracked files on their own).
SCREENSHOTS = Path(os.environ.get("WIRETRACE_SCREENSHOTS") or
                   Path(os.environ.get("TMPDIR", "/tmp")) / "wiretrace-screenshots")

# Payloads: each would set window.__pwned (or open a dialog) if it ever ran.
PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
    "</style><style>body{display:none}</style>",
    "\"><svg onload=\"window.__pwned=1\">",
]
JS_URL = "javascript:window.__pwned=1;alert(1)"


def sample_analysis() -> dict:
    return json.loads((FIXTURES / "analysis.json").read_text(encoding="utf-8"))


def hostile_analysis() -> dict:
    """The fixture with payloads in titles, texts, outlets, URLs, quotes, ids' neighbours."""
    a = copy.deepcopy(sample_analysis())
    p = " ".join(PAYLOADS)
    for art in a["articles"]:
        art["outlet"] = f"{art['outlet']} {PAYLOADS[0]}"
        art["title"] = f"{art['title']} {p}"
        # append payloads to the text: existing offsets stay valid
        art["text"] = art["text"] + "\n" + p
        art["url"] = JS_URL
        art["removed"] = list(art["removed"]) + [PAYLOADS[1]]
        art["signals"]["orphan_references"] = [PAYLOADS[2]]
        art["authors"] = [PAYLOADS[3]]
        for q in art["quotes"]:
            q["speaker"] = PAYLOADS[1]
    for s in a["stories"]:
        s["title"] = f"{s['title']} {p}"
    for g in a["quote_groups"]:
        g["speaker"] = PAYLOADS[0]
        for m in g["members"]:
            m["changes"] = [PAYLOADS[1]]
    for f in a["framing"]:
        for t in f["terms"]:
            t["term"] = PAYLOADS[0]
            t["concept"] = PAYLOADS[2]
    a["problems"] = [{"path": PAYLOADS[0], "line": None, "reason": PAYLOADS[1]}]
    return a


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real uvicorn server on 127.0.0.1 in a thread."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def browser():
    pw_mod = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with pw_mod.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """Records dialogs, console errors and CSP violations of one page."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.console: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(m.text))


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    pg = ctx.new_page()
    pg.watch = Watch(pg)
    yield pg
    ctx.close()
