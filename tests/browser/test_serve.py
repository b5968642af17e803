"""`reader serve` in a real browser: headless Debian Chromium driven by Playwright.

The server runs as a subprocess on a free loopback port with a fresh database and the
shipped corpus; the page is the one an annotator opens. Textual web draws the terminal
on a canvas (xterm.js), so the text is read from xterm's buffer: the test serves
textual.js with one change, keeping the Terminal instance in ``window.__readerTerminal``.

Nothing is installed at run time: `.ci/run` installs chromium (and the test extra installs
playwright). Without them the test skips, unless READER_REQUIRE_BROWSER=1 (set by `.ci/run`)
turns the skip into a failure, so CI cannot pass by quietly not running it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from reader.core.segments import next_word_end
from tests.helpers import CORPUS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]  # fmt: skip
ARTIFACTS = ROOT / "tests" / "artifacts"
ANNOTATOR = "Lân Đỗ"  # a space and Vietnamese letters: must survive URL, path and shell
NATIVE_KEYS = [
    "id", "document", "document_sha256", "start", "end", "text", "label", "attributes", "note",
    "annotator", "origin", "created_at", "updated_at",
]  # fmt: skip
TOKEN = "browser-test-token"  # given, so the test knows the address the server prints
WAIT_MS = 20_000  # an upper bound for page and app start, never a measurement


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError as exc:
        return f"needs {exc.name} (pip install -e '.[test]')"
    return None


MISSING = _missing()
if MISSING and os.environ.get("READER_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"READER_REQUIRE_BROWSER=1 but the browser test cannot run: {MISSING}")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

# Keep the xterm.js Terminal reachable from the page: its buffer is the only text the
# canvas renderer leaves behind.
_TERMINAL = re.compile(r"this\.terminal=new (\w+)\.Terminal\(")
_READ_SCREEN = """() => {
    const buffer = window.__readerTerminal.buffer.active;
    const rows = [];
    for (let y = 0; y < buffer.length; y++) rows.push(buffer.getLine(y).translateToString(true));
    return rows.join("\\n");
}"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """The server, its shells and every app session: they share the server's process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # sessions that ignored SIGTERM
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@dataclass(frozen=True)
class Served:
    base: str
    db: Path
    process: subprocess.Popen


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`reader serve --annotator-from-url` on a free port, in a process group of its own."""
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "annotations.db"
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "serve", "--db", str(db), "--corpus", str(CORPUS),
         "--port", str(port), "--annotator-from-url", "--token", TOKEN],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                cookie = {"Cookie": f"reader-token-{port}={TOKEN}"}
                urllib.request.urlopen(urllib.request.Request(base, headers=cookie), timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "reader serve did not start:\n" + (folder / "server.log").read_text()
                    )
                time.sleep(0.1)
        yield Served(base, db, process)
    finally:
        _stop(process)
        log.close()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 800},
            accept_downloads=True,
        )
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)

        def keep_terminal(route):
            response = route.fetch()
            script, found = _TERMINAL.subn(
                r"this.terminal=window.__readerTerminal=new \1.Terminal(", response.text()
            )
            assert found == 1, (
                "textual.js changed: cannot reach the xterm.js Terminal to read the screen"
            )
            route.fulfill(response=response, body=script)

        page.route("**/static/js/textual.js", keep_terminal)
        try:
            yield page
        finally:
            context.close()


def _wait_for_screen(page, *needles: str) -> None:
    """Until the terminal shows every needle; on timeout, fail showing what it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    shows_all = (
        f"needles => needles.every(n => window.__readerTerminal && ({_READ_SCREEN})().includes(n))"
    )
    try:
        page.wait_for_function(shows_all, arg=list(needles))
    except PlaywrightTimeout:
        shown = page.evaluate(
            f"() => window.__readerTerminal ? ({_READ_SCREEN})() : '(no terminal)'"
        )
        pytest.fail(f"the page never showed {needles!r}; it shows:\n{shown}")


def _first_document(db: Path) -> tuple[str, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn.execute(
            "SELECT id, text FROM documents ORDER BY id, version DESC LIMIT 1"
        ).fetchone()


def _annotations(db: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn.execute(
            'SELECT id, document, start, "end", text, label, annotator FROM annotations WHERE deleted_at IS NULL'
        ).fetchall()
    finally:
        conn.close()


def test_a_browser_session_shows_the_article_tags_a_span_and_downloads_the_export(server, page):
    base, db = server.base, server.db
    doc_id, text = _first_document(db)
    first_line = text.split("\n", 1)[0]
    opening = first_line[:40]  # wrapping never splits the first 40 characters of a wide pane

    page.goto(f"{base}/?token={TOKEN}&annotator={quote(ANNOTATOR)}")
    assert TOKEN not in page.url  # kept in a cookie, gone from the address bar
    # The article, its pane title and the status line naming the annotator from the URL.
    _wait_for_screen(page, opening, doc_id, f"annotator {ANNOTATOR}")

    # ctrl+shift+right twice selects the first two words ("Ngày 8/1"); "2" tags the
    # selection as casualty data, and the status line counts it once it is committed.
    page.focus("textarea.xterm-helper-textarea")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("2")
    _wait_for_screen(page, "Casualty data: 1")

    end = next_word_end(text, next_word_end(text, 0))
    rows = _annotations(db)
    assert [dict(r) for r in rows] == [
        {
            "id": rows[0]["id"], "document": doc_id, "start": 0, "end": end, "text": text[:end],
            "label": "casualty", "annotator": ANNOTATOR,
        }
    ]  # fmt: skip
    assert " " in text[:end]  # two words, not one: the selection reached the app

    # The palette's export arrives as a browser download, not as a file on the server.
    page.keyboard.press("Control+p")
    _wait_for_screen(page, "Search for commands")
    page.keyboard.type("Export annotations")
    _wait_for_screen(page, "Export annotations (JSONL)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert re.fullmatch(r"reader-Lan-Do-\d{8}-\d{6}\.jsonl", download.suggested_filename)
    records = [json.loads(line) for line in Path(download.path()).read_text("utf-8").splitlines()]
    assert len(records) == 1 and list(records[0]) == NATIVE_KEYS
    assert records[0]["id"] == rows[0]["id"] and records[0]["annotator"] == ANNOTATOR

    _wait_for_screen(page, "sent as a download")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve.png"))

    # Ctrl+C on the server ends the open session as well: no app process outlives it.
    server.process.send_signal(signal.SIGINT)
    page.wait_for_selector("body.-closed")  # the page says "Session ended."
    server.process.wait(timeout=WAIT_MS / 1000)
    deadline = time.monotonic() + WAIT_MS / 1000
    while _group_alive(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = subprocess.run(
        ["ps", "-o", "pid,args", "-g", str(server.process.pid)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert not _group_alive(server.process.pid), "still running after Ctrl+C:\n" + left.stdout
