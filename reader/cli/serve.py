"""`reader serve`: the annotator in a browser, one app process per browser session.

textual-serve runs a shell command for each browser websocket and relays the terminal
over it. Each session is therefore its own ``reader`` process with its own connection to
the same SQLite file; WAL and the store's busy timeout are what keep concurrent sessions
safe, exactly as for several terminals on one database.

The corpus is synced once, by the server, before anyone connects: sessions only open the
store (``python -m reader.cli.serve --db ...``, the hidden ``session`` entry point below),
so a dozen browser tabs do not re-read and re-hash the corpus a dozen times.

How a session learns its annotator with ``--annotator-from-url``: textual-serve passes no
page parameter to the command, and textual.js appends ``?width=..&height=..`` to the
websocket address it is handed, so a query string there would be mangled. The page
``/?annotator=NAME`` validates the name and hands the browser the websocket address
``/ws/NAME``; the websocket handler validates the name again (the path is as untrusted as
the query) and puts it, shell-quoted, on that session's command line.

There is no authentication: anyone who reaches the port annotates, under any name they
type with ``--annotator-from-url``. Hence loopback by default and a warning otherwise.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import shlex
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from reader.cli.common import (
    annotate_options,
    echo_error,
    fail,
    open_store,
    open_synced,
    resolve_annotator,
    settings,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

NO_AUTH_WARNING = (
    "reader serve: WARNING: listening on {host}, which is not a loopback address. There is no "
    "authentication: anyone who can reach port {port} can read the corpus and annotate{names}. "
    "Prefer the default 127.0.0.1 and SSH port forwarding (`ssh -L {port}:localhost:{port} "
    "this-host`, then open http://localhost:{port}/), or put an authenticating reverse proxy "
    "(TLS plus a login) in front of a loopback-bound `reader serve`."
)

_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


@dataclass(frozen=True)
class SessionOptions:
    """What every browser session shares: the server's --db, --labels, --panes, --gold."""

    db: Path
    labels: Path | None = None
    panes: int = 2
    gold: str = "gold"
    # With names from the address anyone can claim any name: adjudicating into gold
    # stays with the lead, on the server (`reader`, then r).
    review: bool = True


def session_command(options: SessionOptions, annotator: str) -> str:
    """The shell command textual-serve runs for one browser session.

    Every value is shell-quoted: the annotator may come from a URL, and a name such as
    ``Lân; rm -rf ~`` passes check_annotator (it is printable) but must stay one argument.
    """
    from reader.core.model import check_annotator

    argv = [sys.executable, "-m", "reader.cli.serve", "--db", str(options.db.resolve())]
    if options.labels is not None:
        argv += ["--labels", str(options.labels.resolve())]
    argv += ["--panes", str(options.panes), "--gold", options.gold]
    if not options.review:
        argv.append("--no-review")
    argv += ["--annotator", check_annotator(annotator, "annotator")]
    return shlex.join(argv)


def url_annotator(given: str, gold: str) -> str:
    """An annotator name typed into the address, checked like any name; the adjudicator's
    name is refused, so a browser session cannot write spans into the gold set."""
    from reader.core.errors import ValidationError
    from reader.core.model import check_annotator

    name = check_annotator(given, "annotator in the address")
    if name.casefold() == gold.casefold():
        raise ValidationError(
            f"annotator in the address: {name!r} is the adjudicator's name (--gold); choose your own"
        )
    return name


def _base_url(request: Any, fallback: str) -> str:
    """The address the browser used, so the websocket works behind SSH forwarding to another
    local port or behind a reverse proxy (which should set X-Forwarded-Proto/Host)."""
    proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip().lower()
    host = request.headers.get("X-Forwarded-Host", request.host or "").split(",")[0].strip()
    if proto not in ("http", "https") or not _HOST_HEADER.match(host):
        return fallback
    return f"{proto}://{host}"


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


def make_server(*, host: str, port: int, session: SessionOptions, annotator: str | None) -> Any:
    """A textual-serve Server for reader; ``annotator=None`` means one per URL."""
    import aiohttp_jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    from reader.core.errors import ValidationError

    log = logging.getLogger("textual-serve")

    class ReaderServer(Server):
        """textual-serve's Server with a per-session command (see the module docstring)."""

        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self.sockets: set[web.WebSocketResponse] = set()

        async def on_shutdown(self, app: web.Application) -> None:
            # Ctrl+C ends every session at once (closing its websocket sends its app the
            # quit message) instead of aiohttp waiting up to a minute for browsers to leave.
            for websocket in list(self.sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"reader serve stopped")

        def command_for(self, name: str) -> str:
            return session_command(session, name)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/{annotator}", self.handle_websocket, name="annotator-websocket")
            return app

        async def on_startup(self, app: web.Application) -> None:
            where = f"{self.public_url}/"
            if annotator is None:
                where += "?annotator=NAME"
            echo_error(f"reader serve: serving {session.db} on {where} (Ctrl+C to stop)")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            base = _base_url(request, self.public_url)
            name = annotator
            if name is None:
                given = request.query.get("annotator")
                if given is None:
                    return self._name_form(
                        "Who is annotating? Your name is stored with every span you tag.", ""
                    )
                try:
                    name = url_annotator(given, session.gold)
                except ValidationError as exc:
                    return self._name_form(str(exc), given, status=400)
                ws_path = f"/ws/{quote(name, safe='')}"
            else:
                ws_path = "/ws"
            ws_base = (
                "wss:" + base.split(":", 1)[1]
                if base.startswith("https")
                else "ws:" + base.split(":", 1)[1]
            )
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": ws_base + ws_path,
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": f"reader — {name}"},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        @staticmethod
        def _name_form(message: str, value: str, status: int = 200) -> web.Response:
            body = _NAME_FORM.format(message=escape(message), value=escape(value, quote=True))
            return web.Response(text=body, status=status, content_type="text/html")

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve 1.1's handle_websocket, with the command chosen per session.
            if annotator is None:
                try:
                    name = url_annotator(request.match_info.get("annotator", ""), session.gold)
                except ValidationError as exc:
                    raise web.HTTPBadRequest(text=str(exc)) from None
            elif "annotator" in request.match_info:
                raise web.HTTPNotFound(text="this server has one annotator; use /ws")
            else:
                name = annotator
            websocket = web.WebSocketResponse(heartbeat=15)
            self.sockets.add(websocket)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command_for(name),
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

    title = "reader" if annotator is None else f"reader — {annotator}"
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address needs brackets in a URL
    return ReaderServer(
        command="reader", host=host, port=port, title=title, public_url=f"http://{shown}:{port}"
    )


@click.command()
@annotate_options
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on (no authentication!).",
)
@click.option(
    "--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--annotator-from-url", is_flag=True,
    help="Each browser names its annotator in the address: http://HOST:PORT/?annotator=NAME.",
)  # fmt: skip
def serve(host: str, port: int, annotator_from_url: bool, **given: Any) -> None:
    """Serve the annotator to web browsers, one app process per browser session.

    Listens on 127.0.0.1 unless --host says otherwise. There is no authentication: to
    reach it from another machine, use SSH port forwarding or an authenticating reverse
    proxy (see the README).
    """
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        fail("reader serve needs textual-serve: pip install textual-serve")
    from reader.core.model import check_annotator
    from reader.core.schema import load_schema
    from reader.keys import check_label_keys

    ctx = click.get_current_context()
    opts = settings(ctx, **given)
    if annotator_from_url and opts["annotator"]:
        fail("--annotator and --annotator-from-url exclude each other: choose one")
    annotator = None if annotator_from_url else resolve_annotator(opts["annotator"])
    options = SessionOptions(
        db=Path(opts["db"]),
        labels=Path(opts["labels"]) if opts["labels"] else None,
        panes=opts["panes"] or 2,
        gold=check_annotator(opts["gold"] or "gold", "--gold"),
        review=not annotator_from_url,
    )

    check_label_keys(load_schema(opts["labels"]))  # a key the app uses could never tag
    store, summary = open_synced(opts["corpus"], opts["db"], opts["labels"], annotator or "reader")
    with store:
        count = len(store.documents())
    if summary.versioned:
        echo_error(
            f"reader serve: {len(summary.versioned)} changed documents stored as new versions (see `reader stats`)"
        )
    echo_error(f"reader serve: {count} documents in {opts['db']}")
    if not is_loopback(host):
        names = " under any annotator name they type" if annotator_from_url else f" as {annotator}"
        echo_error(NO_AUTH_WARNING.format(host=host, port=port, names=names))

    make_server(host=host, port=port, session=options, annotator=annotator).serve()


@click.command(hidden=True)
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--labels", default=None, type=click.Path(dir_okay=False, exists=True))
@click.option("--panes", default=2, type=click.IntRange(1, 4))
@click.option("--gold", default="gold")
@click.option("--annotator", required=True)
@click.option("--no-review", is_flag=True)
def session(
    db: str, labels: str | None, panes: int, gold: str, annotator: str, no_review: bool
) -> None:
    """One browser session: open the store the server synced and run the app (no tty check:
    textual-serve's web driver talks over pipes)."""
    from reader.core.errors import ReaderError
    from reader.tui.app import ReaderApp

    try:
        with open_store(db, labels, annotator) as store:
            ReaderApp(store, panes=panes, gold=gold, review=not no_review).run()
    except ReaderError as exc:
        fail(str(exc))


if __name__ == "__main__":  # the command textual-serve runs per session
    session.main(prog_name="reader-session")
