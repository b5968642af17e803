"""`reader serve` without a browser: the pages, the per-session command, the warning.

The server's aiohttp application runs in process (aiohttp's test client), so these checks
need neither chromium nor a port of their own.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.cli import serve as serve_module
from reader.cli.serve import SessionOptions, is_loopback, make_server, session_command
from reader.core.errors import ValidationError
from tests.helpers import CORPUS

pytest.importorskip("textual_serve")
from aiohttp.test_utils import TestClient, TestServer

# Printable, so a valid annotator name: the shell must never see it as anything but text.
HOSTILE = "Lân; rm -rf ~ $(touch x) `id` 'q'"


TOKEN = "test-token-1234"


async def _client(tmp_path: Path, annotator: str | None) -> TestClient:
    """A client of a server that asks for TOKEN, already holding its cookie."""
    session = SessionOptions(db=tmp_path / "a.db")
    server = make_server(
        host="127.0.0.1", port=8000, session=session, annotator=annotator, token=TOKEN
    )
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    client.session.cookie_jar.update_cookies({"reader-token-8000": TOKEN})
    return client


def _websocket_url(page: str) -> str:
    return re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)


async def test_url_mode_asks_for_a_name_and_refuses_invalid_ones_with_the_reason(tmp_path):
    client = await _client(tmp_path, None)
    try:
        response = await client.get("/")
        assert response.status == 200 and 'name="annotator"' in await response.text()

        response = await client.get("/", params={"annotator": "a/b"})
        assert response.status == 400
        assert "may not contain &#x27;/&#x27;" in await response.text()

        response = await client.get("/", params={"annotator": "<script>alert(1)</script>"})
        body = await response.text()
        assert response.status == 400 and "<script>" not in body and "&lt;script&gt;" in body
    finally:
        await client.close()


async def test_url_mode_puts_the_validated_name_in_the_websocket_path(tmp_path):
    client = await _client(tmp_path, None)
    try:
        page = await (
            await client.get("/", params={"annotator": "Lân Đỗ", "fontsize": "18"})
        ).text()
        host = f"{client.server.host}:{client.server.port}"
        assert _websocket_url(page) == f"ws://{host}/ws/L%C3%A2n%20%C4%90%E1%BB%97"
        assert "reader — Lân Đỗ" in page and 'data-font-size="18"' in page
    finally:
        await client.close()


async def test_the_websocket_path_is_validated_again_before_any_process_starts(tmp_path):
    client = await _client(tmp_path, None)
    try:
        for path in ("/ws/a%2Fb", "/ws/%20lan", "/ws"):
            response = await client.get(path)
            assert response.status == 400, path
            assert "annotator" in await response.text()
    finally:
        await client.close()


async def test_url_mode_refuses_the_adjudicators_name_on_the_page_and_the_websocket(tmp_path):
    """A browser session named 'gold' would write manual spans into the gold set."""
    client = await _client(tmp_path, None)
    try:
        for name in ("gold", "Gold"):
            response = await client.get("/", params={"annotator": name})
            assert response.status == 400, name
            assert "adjudicator" in await response.text()
        response = await client.get("/ws/gold")
        assert response.status == 400 and "adjudicator" in await response.text()
    finally:
        await client.close()


async def test_behind_a_reverse_proxy_the_page_uses_the_public_address(tmp_path):
    client = await _client(tmp_path, None)
    try:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "annotate.example.org"}
        page = await (await client.get("/", params={"annotator": "lan"}, headers=headers)).text()
        assert _websocket_url(page) == "wss://annotate.example.org/ws/lan"
        assert 'href="https://annotate.example.org/static/css/xterm.css"' in page

        headers = {"X-Forwarded-Host": 'x"><script>'}  # not a host: the configured address instead
        page = await (await client.get("/", params={"annotator": "lan"}, headers=headers)).text()
        assert _websocket_url(page) == "ws://127.0.0.1:8000/ws/lan"
    finally:
        await client.close()


async def test_single_annotator_mode_ignores_the_url_and_has_no_per_name_websocket(tmp_path):
    client = await _client(tmp_path, "minh")
    try:
        page = await (await client.get("/", params={"annotator": "someone-else"})).text()
        assert _websocket_url(page).endswith("/ws") and "reader — minh" in page
        assert (await client.get("/ws/someone-else")).status == 404
    finally:
        await client.close()


def test_session_command_keeps_a_hostile_name_one_argument(tmp_path):
    options = SessionOptions(
        db=tmp_path / "a b.db", labels=tmp_path / "l.toml", panes=3, gold="Trọng tài"
    )
    assert shlex.split(session_command(options, HOSTILE)) == [
        sys.executable, "-m", "reader.cli.serve_session", "--db", str((tmp_path / "a b.db").resolve()),
        "--labels", str((tmp_path / "l.toml").resolve()), "--panes", "3", "--gold", "Trọng tài",
        "--annotator", HOSTILE,
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="may not contain"):
        session_command(options, "../etc")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_addresses_count_as_private(host, loopback):
    assert is_loopback(host) is loopback


class _NoServer:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def serve(self) -> None:
        _NoServer.last = self


def _serve(tmp_path: Path, monkeypatch, *args: str):
    monkeypatch.setattr(serve_module, "make_server", _NoServer)
    monkeypatch.setattr(serve_module, "_check_address", lambda host, port: None)
    runner = CliRunner()
    db = str(tmp_path / "annotations.db")
    return runner.invoke(
        cli, ["--db", db, "serve", "--corpus", str(CORPUS), *args], catch_exceptions=False
    )


def test_binding_beyond_loopback_warns_on_stderr(tmp_path, monkeypatch):
    result = _serve(
        tmp_path, monkeypatch, "--host", "0.0.0.0", "--port", "8123", "--annotator", "lan"
    )
    assert result.exit_code == 0
    assert "not a loopback address" in result.stderr
    assert "ssh -L 8123:localhost:8123" in result.stderr and "reverse proxy" in result.stderr
    assert (
        _NoServer.last.kwargs["host"] == "0.0.0.0" and _NoServer.last.kwargs["annotator"] == "lan"
    )


def test_default_serve_binds_loopback_syncs_the_corpus_and_does_not_warn(tmp_path, monkeypatch):
    result = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--panes", "3", "--gold", "chị Hà")
    assert result.exit_code == 0, result.output
    session = _NoServer.last.kwargs["session"]
    assert (session.panes, session.gold, session.labels) == (3, "chị Hà", None)
    assert session.db == tmp_path / "annotations.db"
    assert "WARNING" not in result.stderr and "5 documents" in result.stderr
    assert _NoServer.last.kwargs["host"] == "127.0.0.1" and _NoServer.last.kwargs["port"] == 8000


def test_sessions_that_name_their_own_annotator_cannot_open_review(tmp_path, monkeypatch):
    """Review writes gold; with names from the address anyone could claim to be anyone."""
    assert _serve(tmp_path, monkeypatch, "--annotator-from-url").exit_code == 0
    url_mode = _NoServer.last.kwargs["session"]
    assert url_mode.review is False and "--no-review" in shlex.split(
        session_command(url_mode, "lan")
    )
    assert _serve(tmp_path, monkeypatch, "--annotator", "lan").exit_code == 0
    single = _NoServer.last.kwargs["session"]
    assert single.review is True and "--no-review" not in shlex.split(
        session_command(single, "lan")
    )


def test_annotator_and_annotator_from_url_exclude_each_other(tmp_path, monkeypatch):
    result = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--annotator-from-url")
    assert result.exit_code == 1 and "exclude each other" in result.stderr


async def test_the_page_asks_for_nothing_beyond_the_server_and_the_font_is_served(tmp_path):
    client = await _client(tmp_path, "lan")
    try:
        page = await (await client.get("/")).text()
        host = f"{client.server.host}:{client.server.port}"
        addresses = re.findall(r'(?:href|src)="([^"]*)"|url\("([^"]+)"\)', page)
        used = [a or b for a, b in addresses]
        assert used and all(u == "" or u.startswith(f"http://{host}/static/") for u in used), used
        assert "googleapis" not in page and "https://" not in page
        assert '"Roboto Mono"' in page and "reader — lan" in page
        for url in used:
            if url:
                response = await client.get(url.removeprefix(f"http://{host}"))
                assert response.status == 200, url
    finally:
        await client.close()
