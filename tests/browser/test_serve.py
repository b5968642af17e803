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


#: A word of the first line with letters carrying two marks each: ư+ờ (horn and grave),
#: ộ (circumflex and dot below). Split rendering showed them as "ươ`" or "ô.".
WORD = "cường độ"

_FIND_WORD = """(word) => {
    const t = window.__readerTerminal, buffer = t.buffer.active;
    const screen = t.element.querySelector(".xterm-screen").getBoundingClientRect();
    for (let y = 0; y < t.rows; y++) {
        const line = buffer.getLine(buffer.viewportY + y).translateToString(false);
        const x = line.indexOf(word);
        if (x >= 0) return {column: x, row: y, left: screen.left, top: screen.top,
                            width: screen.width / t.cols, height: screen.height / t.rows};
    }
    return null;
}"""


def _png_pixels(data: bytes):
    """A PNG screenshot as a (height, width, channels) array: Chromium writes 8-bit,
    non-interlaced RGB or RGBA, which zlib and the five row filters decode."""
    import struct
    import zlib

    import numpy as np

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        out = np.zeros(stride, dtype=np.int32)
        for i in range(stride):
            a = out[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 0:
                predictor = 0
            elif kind == 1:
                predictor = a
            elif kind == 2:
                predictor = b
            elif kind == 3:
                predictor = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (line[i] + predictor) & 0xFF
        rows[y] = previous = out
    return rows.reshape(height, width, channels)[:, :, :3]


def _check_word_is_drawn_whole(page, word: str) -> None:
    """Crop the word from a screenshot (kept as an artifact) and check each letter with
    two marks is one glyph in its own cell: ink above the plain letters' tops and, for
    ộ, below their baseline too, and nothing spilled into the blank cell after the word."""
    import numpy as np

    box = page.evaluate(_FIND_WORD, word)
    assert box, f"{word!r} is not on the screen"
    cells = len(word) + 1  # and the space after it
    clip = {
        "x": box["left"] + box["column"] * box["width"],
        "y": box["top"] + box["row"] * box["height"],
        "width": cells * box["width"],
        "height": box["height"],
    }
    png = page.screenshot(clip=clip)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "serve-word.png").write_bytes(png)
    pixels = _png_pixels(png)
    background = pixels[0, 0]
    ink = np.abs(pixels - background).sum(axis=2) > 120
    scale = pixels.shape[1] / cells

    def cell(i: int):
        part = ink[:, round(i * scale) : round((i + 1) * scale)]
        rows = np.flatnonzero(part.any(axis=1))
        return (int(rows[0]), int(rows[-1])) if len(rows) else None

    shapes = [cell(i) for i in range(cells)]
    assert all(shapes[i] for i, ch in enumerate(word) if ch != " "), shapes
    assert shapes[word.index(" ")] is None and shapes[-1] is None, shapes  # blank cells
    plain_top, plain_bottom = shapes[word.index("n")]
    horned_top, _ = shapes[word.index("ờ")]
    stacked_top, stacked_bottom = shapes[word.index("ộ")]
    assert horned_top < plain_top - 1, shapes  # the grave sits above the horned o
    assert stacked_top < plain_top - 1 and stacked_bottom > plain_bottom + 1, shapes


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

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}/?token={TOKEN}&annotator={quote(ANNOTATOR)}")
    assert TOKEN not in page.url  # kept in a cookie, gone from the address bar
    # The article, its pane title and the status line naming the annotator from the URL.
    _wait_for_screen(page, opening, doc_id, f"annotator {ANNOTATOR}")

    # Offline: every request the page made went to the server itself (the page, its
    # script, stylesheet and font, the websocket), and the bundled font is in use.
    ws_base = "ws" + base.removeprefix("http")
    assert requested and all(u.startswith((base + "/", ws_base + "/")) for u in requested), (
        requested
    )
    assert any(u.endswith(".ttf") for u in requested)
    assert page.evaluate("""() => [...document.fonts].some(
        f => f.family.replace(/"/g, "") === "Roboto Mono" && f.status === "loaded")""")
    _check_word_is_drawn_whole(page, WORD)

    # Keys work at once, without a click: ctrl+shift+right twice selects the first two
    # words ("Ngày 8/1"); "2" tags the selection as casualty data, and the status line
    # counts it once it is committed.
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
