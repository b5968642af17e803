"""`reader serve` treats every other web page as hostile (issue 13, finding 2).

A page the annotator visits can open ``ws://127.0.0.1:PORT/ws`` (websockets ignore the
same-origin policy) or rebind its own name to 127.0.0.1. Each way in is tried against the
real aiohttp application, in process: a foreign or ``null`` Origin, a foreign Host, a
missing or wrong token. Each must be refused before any session process starts, and
logged in one line; the right request must still work.
"""

from __future__ import annotations

import socket
from typing import ClassVar

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.cli import serve as serve_module
from reader.cli.serve import SessionOptions, make_server
from reader.cli.serve_access import AccessPolicy, check_allow_origin
from tests.helpers import CORPUS

pytest.importorskip("textual_serve")
import aiohttp
from aiohttp.test_utils import TestClient, TestServer

TOKEN = "s3cret-token-for-tests"
COOKIE = "reader-token-8000"


class FakeAppService:
    """Stands in for the session process: records that one would have started."""

    started: ClassVar[list[str]] = []

    def __init__(self, command: str, **kwargs):
        self.command = command

    async def start(self, width: int, height: int) -> None:
        FakeAppService.started.append(self.command)

    async def stop(self) -> None:
        pass


@pytest.fixture
async def served(tmp_path, monkeypatch):
    """(client, server address) for a loopback server with TOKEN and a fake session."""
    monkeypatch.setattr("reader.cli.serve_server.AppService", FakeAppService)
    FakeAppService.started = []
    server = make_server(
        host="127.0.0.1",
        port=8000,
        session=SessionOptions(db=tmp_path / "a.db"),
        annotator=None,
        token=TOKEN,
        allowed_origins=frozenset({check_allow_origin("https://annotate.example.org")}),
    )
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield client, f"{client.server.host}:{client.server.port}"
    finally:
        await client.close()


def _own(address: str) -> str:
    return f"http://{address}"


HOSTILE = {
    "foreign Origin": lambda a: ({"Origin": "http://evil.example"}, {COOKIE: TOKEN}),
    "null Origin": lambda a: ({"Origin": "null"}, {COOKIE: TOKEN}),
    "other local port": lambda a: ({"Origin": "http://127.0.0.1:3000"}, {COOKIE: TOKEN}),
    "rebound Host": lambda a: (
        {
            "Host": "evil.example:" + a.split(":")[1],
            "Origin": "http://evil.example:" + a.split(":")[1],
        },
        {COOKIE: TOKEN},
    ),
    "missing token": lambda a: ({"Origin": _own(a)}, {}),
    "wrong token": lambda a: ({"Origin": _own(a)}, {COOKIE: TOKEN + "x"}),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_a_hostile_websocket_is_refused_before_any_session_starts(served, case, capsys):
    client, address = served
    headers, cookies = HOSTILE[case](address)
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies(cookies)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws/lan", headers=headers)
    assert refused.value.status == 403
    assert FakeAppService.started == []
    logged = [line for line in capsys.readouterr().err.splitlines() if "refused" in line]
    assert len(logged) == 1 and "'/ws/lan'" in logged[0], logged


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_a_hostile_page_or_download_request_is_refused(served, case):
    client, address = served
    headers, cookies = HOSTILE[case](address)
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies(cookies)
    for path in ("/?annotator=lan", "/download/some-key", "/static/js/textual.js"):
        response = await client.get(path, headers=headers, allow_redirects=False)
        assert response.status == 403, (case, path)
        assert "refused" in await response.text()


async def test_the_right_websocket_starts_a_session(served):
    client, address = served
    client.session.cookie_jar.update_cookies({COOKIE: TOKEN})
    websocket = await client.ws_connect("/ws/lan", headers={"Origin": _own(address)})
    await websocket.close()
    assert len(FakeAppService.started) == 1 and "--annotator lan" in FakeAppService.started[0]


async def test_an_allowed_proxy_origin_passes(served):
    client, _address = served
    client.session.cookie_jar.update_cookies({COOKIE: TOKEN})
    headers = {"Origin": "https://annotate.example.org", "Host": "annotate.example.org"}
    websocket = await client.ws_connect("/ws/lan", headers=headers)
    await websocket.close()
    assert len(FakeAppService.started) == 1


async def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(served):
    client, _address = served
    response = await client.get(f"/?token={TOKEN}&annotator=lan", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/?annotator=lan"
    cookie = response.cookies[COOKIE]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await client.get("/?annotator=lan")  # the cookie alone now opens the page
    assert page.status == 200 and "/ws/lan" in await page.text()


def test_the_policy_reads_hosts_and_origins_as_browsers_send_them():
    loopback = AccessPolicy(host="127.0.0.1", port=8000, token=None)
    own = {"scheme": "http", "tokens": ()}
    assert loopback.refusal(host="localhost:8000", origin="http://localhost:8000", **own) is None
    assert loopback.refusal(host="[::1]:9000", origin=None, **own) is None  # SSH -L 9000
    assert "Host" in loopback.refusal(host="attacker.example", origin=None, **own)
    assert "Host" in loopback.refusal(host="127.0.0.1:8000@evil", origin=None, **own)
    assert "Origin" in loopback.refusal(host="localhost:8000", origin="http://localhost", **own)
    everywhere = AccessPolicy(host="0.0.0.0", port=8000, token=TOKEN)
    assert (
        everywhere.refusal(host="192.168.1.5:8000", origin=None, scheme="http", tokens=[TOKEN])
        is None
    )
    assert "Host" in everywhere.refusal(host="evil.example", origin=None, scheme="http", tokens=[TOKEN])  # fmt: skip
    assert "token" in everywhere.refusal(host="192.168.1.5", origin=None, scheme="http", tokens=[None])  # fmt: skip


def _serve(tmp_path, monkeypatch, *args: str):
    class NoServer:
        def __init__(self, **kwargs):
            NoServer.kwargs = kwargs

        def serve(self) -> None:
            pass

    monkeypatch.setattr(serve_module, "make_server", NoServer)
    db = str(tmp_path / "annotations.db")
    result = CliRunner().invoke(cli, ["--db", db, "serve", "--corpus", str(CORPUS), *args])
    return result, getattr(NoServer, "kwargs", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_each_start_draws_a_new_token_unless_one_is_given(tmp_path, monkeypatch):
    port = str(_free_port())
    first = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port)[1]["token"]
    second = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port)[1]["token"]
    assert len(first) >= 32 and first != second
    given = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port, "--token", TOKEN)
    assert given[1]["token"] == TOKEN


def test_no_token_warns_and_bad_options_are_refused_in_one_line(tmp_path, monkeypatch):
    port = str(_free_port())
    result, kwargs = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port, "--no-token")  # fmt: skip
    assert result.exit_code == 0 and kwargs["token"] is None
    assert "WARNING: --no-token" in result.stderr
    for args, words in [
        (("--token", "short"), "--token"),
        (("--token", TOKEN, "--no-token"), "exclude each other"),
        (("--allow-origin", "https://x.example/path"), "--allow-origin"),
        (("--allow-origin", "null"), "--allow-origin"),
    ]:
        result, _ = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port, *args)
        assert result.exit_code == 1 and words in result.stderr, (args, result.output)
        assert "Traceback" not in result.output and len(result.stderr.splitlines()) == 1


def test_a_port_in_use_or_a_host_that_does_not_resolve_is_one_line(tmp_path, monkeypatch):
    """Finding 8: no traceback, and nothing synced before the refusal."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result, _ = _serve(tmp_path, monkeypatch, "--annotator", "lan", "--port", port)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"reader: error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    ]
    result, _ = _serve(
        tmp_path, monkeypatch, "--annotator", "lan", "--host", "no-such-host.invalid"
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and "no-such-host.invalid" in result.stderr
    assert not (tmp_path / "annotations.db").exists()
