"""Who may talk to `reader serve`: the token, the Host and the Origin of every request.

The threat is any other web page the annotator's browser opens while the server runs.
Such a page can make the browser connect to ``ws://127.0.0.1:PORT/ws`` (websockets are
not bound by the same-origin policy), and through DNS rebinding it can even make its own
name point at 127.0.0.1 and read the answers. Three checks, each enough against one
route and all applied to every request (pages, websockets, downloads, static files):

- **Token.** A secret drawn when the server starts (or given with ``--token``), printed in
  the address to open, kept in an HttpOnly, SameSite=Strict cookie after the first visit.
  A page elsewhere cannot know it. As in Jupyter.
- **Host.** The Host header must name this server: the address it listens on, a loopback
  name when it listens on loopback, an IP address when it listens on every interface, or
  a host of ``--allow-origin``. A rebound name (``evil.example`` resolving to 127.0.0.1)
  is none of those.
- **Origin.** Browsers send it with every websocket and every cross-origin request. It
  must be the address the request itself was made to (the same origin) or one given with
  ``--allow-origin`` (a reverse proxy's public address); ``null`` (sandboxed frames,
  ``file:`` pages) never is. No Origin means no browser, and then the token decides.

Nothing here imports aiohttp: the policy is plain values in, a reason out.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.core.errors import ValidationError

DEFAULT_PORTS = {"http": 80, "https": 443}
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{8,256}")
_WILDCARDS = ("0.0.0.0", "::", "")


def new_token() -> str:
    """A fresh secret for one server run: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def check_token(value: str) -> str:
    """A token given with --token: it goes into URLs and cookies as it is, so only
    URL-safe characters, and long enough not to be guessed by a page trying many."""
    if not _TOKEN.fullmatch(value):
        raise ValidationError(
            "--token: use 8 to 256 characters among A-Z a-z 0-9 . _ ~ - "
            "(or leave it out and a random one is made)"
        )
    return value


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    address = _ip(host)
    return address is not None and address.is_loopback


def normal_origin(value: str) -> str | None:
    """``scheme://host:port`` in lower case with the port spelled out, or None when the
    value is not an http(s) origin (``null``, a path, garbage)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    host = parts.hostname.lower()
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port or DEFAULT_PORTS[parts.scheme]}"


def check_allow_origin(value: str) -> str:
    """An --allow-origin value, normalised: a browser origin such as
    ``https://annotate.example.org`` (scheme and host, optionally a port, nothing else)."""
    origin = normal_origin(value)
    if origin is None:
        raise ValidationError(
            f"--allow-origin {value!r}: give an origin such as https://annotate.example.org "
            "(http or https, a host, optionally a port; no path)"
        )
    return origin


def _host_name(host_header: str) -> str | None:
    """The host of a Host header, lower case without brackets; None if it is malformed."""
    try:
        parts = urlsplit("//" + host_header)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.path:
        return None
    return parts.hostname.lower()


@dataclass(frozen=True)
class AccessPolicy:
    """The checks for one server: where it listens, its token (None with --no-token) and
    the extra origins it trusts."""

    host: str
    port: int
    token: str | None
    allowed_origins: frozenset[str] = frozenset()

    @property
    def cookie_name(self) -> str:
        # Cookies are per host, not per port: two servers on one machine keep their own.
        return f"reader-token-{self.port}"

    def host_allowed(self, name: str) -> bool:
        """Whether a Host header's host names this server (see the module docstring)."""
        served = self.host.lower().strip("[]")
        if name == served:
            return True
        if served in _WILDCARDS:
            return _ip(name) is not None or name == "localhost"
        if is_loopback(served) and is_loopback(name):
            return True
        return any(urlsplit(origin).hostname == name for origin in self.allowed_origins)

    def token_matches(self, offered: Iterable[str | None]) -> bool:
        if self.token is None:
            return True
        expected = self.token.encode()
        return any(
            value is not None and hmac.compare_digest(value.encode(), expected) for value in offered
        )

    def refusal(
        self, *, host: str | None, origin: str | None, scheme: str, tokens: Iterable[str | None]
    ) -> str | None:
        """Why a request must be refused, in a few words; None if it may pass.

        ``host`` and ``origin`` are the raw headers (None when absent), ``scheme`` the
        request's own, ``tokens`` every token the request offers (query, cookie).
        """
        name = _host_name(host or "")
        if name is None:
            return f"Host {host!r} is malformed"
        if not self.host_allowed(name):
            return f"Host {host!r} does not name this server"
        if origin is not None:
            given = normal_origin(origin)
            own = normal_origin(f"{scheme}://{host}")
            if given is None or (given != own and given not in self.allowed_origins):
                return f"Origin {origin!r} is not this server's (see --allow-origin)"
        if not self.token_matches(tokens):
            return "the token is missing or wrong (open the address reader serve printed)"
        return None
