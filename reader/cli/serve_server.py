"""The web server behind `reader serve`: textual-serve's Server, one command per session,
with every request passed through the access policy (serve_access.py) first.

How a session learns its annotator with ``--annotator-from-url``: textual-serve passes no
page parameter to the command, and textual.js appends ``?width=..&height=..`` to the
websocket address it is handed, so a query string there would be mangled. The page
``/?annotator=NAME`` validates the name and hands the browser the websocket address
``/ws/NAME``; the websocket handler validates the name again (the path is as untrusted as
the query) and puts it, shell-quoted, on that session's command line. The token reaches
the websocket the same way the page did: in the cookie set on the first visit.
"""

from __future__ import annotations

import asyncio
import logging
import re
from html import escape
from typing import Any
from urllib.parse import quote

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from reader.cli.common import echo_error
from reader.cli.serve_access import AccessPolicy
from reader.cli.serve_page import app_page
from reader.cli.serve_session import SessionOptions, session_command, url_annotator
from reader.core.errors import ValidationError

log = logging.getLogger("textual-serve")

_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
COOKIE_DAYS = 30

_NAME_FORM = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reader</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>reader</h1>
<p>{message}</p>
<form method="get" action="">
<label>Annotator name <input name="annotator" value="{value}" autofocus required maxlength="64"></label>
<button type="submit">Start annotating</button>
</form>
</body></html>
"""


def _forwarded_proto(request: web.Request) -> str:
    proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip().lower()
    return proto if proto in ("http", "https") else request.scheme


def _base_url(request: web.Request, fallback: str) -> str:
    """The address the browser used, so the websocket works behind SSH forwarding to another
    local port or behind a reverse proxy (which should set X-Forwarded-Proto/Host)."""
    host = request.headers.get("X-Forwarded-Host", request.host or "").split(",")[0].strip()
    if not _HOST_HEADER.match(host):
        return fallback
    return f"{_forwarded_proto(request)}://{host}"


class ReaderServer(Server):
    """textual-serve's Server with a per-session command and the access checks.

    ``annotator`` None means each browser names its annotator in the address.
    """

    def __init__(
        self,
        *,
        session: SessionOptions,
        annotator: str | None,
        policy: AccessPolicy,
        public_url: str,
    ):
        title = "reader" if annotator is None else f"reader — {annotator}"
        super().__init__(
            command="reader",
            host=policy.host,
            port=policy.port,
            title=title,
            public_url=public_url,
        )
        self.session = session
        self.annotator = annotator
        self.policy = policy
        self.sockets: set[web.WebSocketResponse] = set()

    @property
    def start_url(self) -> str:
        """The address to open, printed at start: with the token, and a name to fill in."""
        query = [f"token={self.policy.token}"] if self.policy.token else []
        if self.annotator is None:
            query.append("annotator=NAME")
        return f"{self.public_url}/" + ("?" + "&".join(query) if query else "")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{annotator}", self.handle_websocket, name="annotator-websocket")
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Every request passes the policy first; a token in the address of a page becomes
        a cookie, and the address loses it (so it stays out of history and screenshots)."""
        policy = self.policy
        given = request.query.get("token")
        reason = policy.refusal(
            host=request.headers.get("Host"),
            origin=request.headers.get("Origin"),
            scheme=request.scheme,
            tokens=(given, request.cookies.get(policy.cookie_name)),
        )
        if reason is not None:
            echo_error(
                f"reader serve: refused {request.method} {request.path[:200]!r} "
                f"from {request.remote}: {reason}"
            )
            return web.Response(status=403, text=f"reader serve: refused: {reason}\n")
        if policy.token is not None and given is not None and request.path == "/":
            query = request.query.copy()
            del query["token"]
            response = web.HTTPFound(request.rel_url.with_query(query))
            response.set_cookie(
                policy.cookie_name,
                policy.token,
                max_age=COOKIE_DAYS * 86400,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=_forwarded_proto(request) == "https",
            )
            raise response
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        echo_error(f"reader serve: serving {self.session.db} on {self.start_url} (Ctrl+C to stop)")

    async def on_shutdown(self, app: web.Application) -> None:
        # Ctrl+C ends every session at once (closing its websocket sends its app the
        # quit message) instead of aiohttp waiting up to a minute for browsers to leave.
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"reader serve stopped")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        base = _base_url(request, self.public_url)
        name = self.annotator
        if name is None:
            given = request.query.get("annotator")
            if given is None:
                return self._name_form(
                    "Who is annotating? Your name is stored with every span you tag.", ""
                )
            try:
                name = url_annotator(given, self.session.gold)
            except ValidationError as exc:
                return self._name_form(str(exc), given, status=400)
            ws_path = f"/ws/{quote(name, safe='')}"
        else:
            ws_path = "/ws"
        scheme = "wss:" if base.startswith("https") else "ws:"
        page = app_page(
            title=f"reader — {name}",
            static_url=f"{base}/static/",
            websocket_url=scheme + base.split(":", 1)[1] + ws_path,
            font_size=max(6, min(64, to_int(request.query.get("fontsize", "16"), 16))),
        )
        return web.Response(text=page, content_type="text/html")

    @staticmethod
    def _name_form(message: str, value: str, status: int = 200) -> web.Response:
        body = _NAME_FORM.format(message=escape(message), value=escape(value, quote=True))
        return web.Response(text=body, status=status, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # textual-serve 1.1's handle_websocket, with the command chosen per session.
        if self.annotator is None:
            try:
                name = url_annotator(request.match_info.get("annotator", ""), self.session.gold)
            except ValidationError as exc:
                raise web.HTTPBadRequest(text=str(exc)) from None
        elif "annotator" in request.match_info:
            raise web.HTTPNotFound(text="this server has one annotator; use /ws")
        else:
            name = self.annotator
        websocket = web.WebSocketResponse(heartbeat=15)
        self.sockets.add(websocket)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(
                session_command(self.session, name),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("reader serve: session for %s failed", name)
        finally:
            self.sockets.discard(websocket)
            if app_service is not None:
                await app_service.stop()
        return websocket
