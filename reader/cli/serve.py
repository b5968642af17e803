"""`reader serve`: the annotator in a browser, one app process per browser session.

The command checks its options, syncs the corpus once, and starts the server
(serve_server.py); each browser session is its own process (serve_session.py); every
request passes the access policy first (serve_access.py: token, Host, Origin).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import click

from reader.cli.common import (
    annotate_options,
    echo_error,
    fail,
    open_synced,
    resolve_annotator,
    settings,
)
from reader.cli.serve_access import (
    AccessPolicy,
    check_allow_origin,
    check_token,
    is_loopback,
    new_token,
)
from reader.cli.serve_session import SessionOptions, session_command, url_annotator

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

NOT_LOOPBACK_WARNING = (
    "reader serve: WARNING: listening on {host}, which is not a loopback address: anyone who "
    "can reach port {port} and learns the token can read the corpus and annotate{names}, and "
    "the token crosses the network unencrypted. Prefer the default 127.0.0.1 and SSH port "
    "forwarding (`ssh -L {port}:localhost:{port} this-host`, then open the printed address), or "
    "put a TLS reverse proxy in front of a loopback-bound `reader serve`."
)
NO_TOKEN_WARNING = (
    "reader serve: WARNING: --no-token: every program that can reach port {port} can read the "
    "corpus and annotate{names}. Web pages are still refused by the Host and Origin checks."
)

__all__ = ["SessionOptions", "is_loopback", "make_server", "session_command", "url_annotator"]


def make_server(
    *,
    host: str,
    port: int,
    session: SessionOptions,
    annotator: str | None,
    token: str | None = None,
    allowed_origins: frozenset[str] = frozenset(),
) -> Any:
    """A textual-serve Server for reader; ``annotator=None`` means one per URL, ``token``
    None means no token is asked for (--no-token)."""
    from reader.cli.serve_server import ReaderServer

    shown = f"[{host}]" if ":" in host else host  # an IPv6 address needs brackets in a URL
    policy = AccessPolicy(host=host, port=port, token=token, allowed_origins=allowed_origins)
    return ReaderServer(
        session=session, annotator=annotator, policy=policy, public_url=f"http://{shown}:{port}"
    )


def _check_address(host: str, port: int) -> None:
    """Refuse, before the corpus is synced, a host that does not resolve or a port that is
    taken, in one line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        fail(f"--host {host}: cannot be resolved ({getattr(exc, 'strerror', None) or exc})")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
        try:
            probe.bind(address)
        except OSError as exc:
            fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}")


@click.command()
@annotate_options
@click.option(
    "--host", default=DEFAULT_HOST, show_default=True,
    help="Address to listen on (beyond loopback, the token crosses the network in clear).",
)  # fmt: skip
@click.option(
    "--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--annotator-from-url", is_flag=True,
    help="Each browser names its annotator in the address: http://HOST:PORT/?annotator=NAME.",
)  # fmt: skip
@click.option(
    "--token", envvar="READER_SERVE_TOKEN", default=None,
    help="The secret browsers must present [default: a random one per start; $READER_SERVE_TOKEN].",
)  # fmt: skip
@click.option(
    "--no-token", is_flag=True, help="Ask for no token (a warning says what that allows)."
)
@click.option(
    "--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
    help="Another origin browsers may come from, e.g. a reverse proxy's https://annotate.example.org (repeatable).",
)  # fmt: skip
def serve(
    host: str,
    port: int,
    annotator_from_url: bool,
    token: str | None,
    no_token: bool,
    allow_origins: tuple[str, ...],
    **given: Any,
) -> None:
    """Serve the annotator to web browsers, one app process per browser session.

    Listens on 127.0.0.1 unless --host says otherwise, and prints the address to open:
    it holds a secret token, which the browser keeps in a cookie after the first visit.
    Requests without it, or from another web page (Origin) or through another host name
    (Host), are refused. See the README's Security section.
    """
    from reader.core.labels_file import load_schema
    from reader.core.model import check_annotator
    from reader.keys import check_schema_keys

    ctx = click.get_current_context()
    opts = settings(ctx, **given)
    if annotator_from_url and opts["annotator"]:
        fail("--annotator and --annotator-from-url exclude each other: choose one")
    if no_token and token is not None:
        fail("--token and --no-token exclude each other: choose one")
    token = None if no_token else check_token(token) if token is not None else new_token()
    origins = frozenset(check_allow_origin(origin) for origin in allow_origins)
    annotator = None if annotator_from_url else resolve_annotator(opts["annotator"])
    options = SessionOptions(
        db=Path(opts["db"]),
        labels=Path(opts["labels"]) if opts["labels"] else None,
        panes=opts["panes"] or 2,
        gold=check_annotator(opts["gold"] or "gold", "--gold"),
        review=not annotator_from_url,
    )
    _check_address(host, port)

    check_schema_keys(load_schema(opts["labels"]))  # a key the app uses could never tag
    store, summary = open_synced(opts["corpus"], opts["db"], opts["labels"], annotator or "reader")
    with store:
        count = len(store.documents())
    if summary.versioned:
        echo_error(
            f"reader serve: {len(summary.versioned)} changed documents stored as new versions (see `reader stats`)"
        )
    echo_error(f"reader serve: {count} documents in {opts['db']}")
    names = " under any annotator name they type" if annotator_from_url else f" as {annotator}"
    if not is_loopback(host):
        echo_error(NOT_LOOPBACK_WARNING.format(host=host, port=port, names=names))
    if token is None:
        echo_error(NO_TOKEN_WARNING.format(port=port, names=names))

    server = make_server(
        host=host,
        port=port,
        session=options,
        annotator=annotator,
        token=token,
        allowed_origins=origins,
    )
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check and now
        fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
