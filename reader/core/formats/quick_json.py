"""JSON lines parsed fast, and the proof that no key in them appears twice.

The strict loader (``reading.loads``) refuses a duplicate key, too deep a nesting and a
lone surrogate escape, but it builds every object through a Python hook: at a million
lines that is most of an import. Here a line is parsed by orjson (C, about five times
faster) and taken only when it certainly parses to what the strict loader returns;
anything else, or anything doubtful, is handed back (None) for the strict loader to
parse or to refuse with its exact message.

What orjson does differently, and why each is safe here:

- A duplicate key: orjson keeps the last value. ``key_bound`` proves there is none (below).
- Nesting: orjson allows 1024 levels. The caller takes only records of a known shape,
  three levels at most, so the 64-level limit cannot be reached.
- A lone surrogate escape, invalid UTF-8, NaN, a byte order mark: orjson refuses them,
  so such a line goes to the strict loader.
- An integer past 64 bits: orjson returns a float, which the caller's shape check
  refuses (an offset must be an int, an attribute value here is never a float).

Why counting ``":`` proves there is no duplicate key. Take the line with every escaped
backslash (``\\\\``) and then every escaped quote (``\\"``) removed; JSON has backslashes
only inside strings, and pairing a run of backslashes from its left is how a parser
pairs them, so what is left has a ``"`` exactly where a string opens or closes. Every
key is a string followed, after optional white space, by ``:``. If no ``"`` is followed
by white space and then ``:``, every key's closing quote stands right before its colon,
so the number of ``":`` is at least the number of keys written (a string *value* that
opens with ``:`` only adds to it). The parsed objects hold one entry per distinct key,
at most one per key written. So when they hold as many entries as there are ``":``,
every key written is distinct within its object: nothing was dropped.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

# A quote, JSON white space, then a colon: a key written with space before its colon
# (or a string value that opens with space and a colon). Either way, not counted.
_SPACED_KEY = re.compile(rb'"[ \t\r\n]+:')


def key_bound(raw: bytes) -> int | None:
    """At least the number of keys the JSON text ``raw`` writes, repeats included; equal
    to it unless a string value opens with ``:``. None when a key is written with white
    space before its colon (the count would miss it)."""
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    if _SPACED_KEY.search(raw) is not None:
        return None
    return raw.count(b'":')


def written_once(raw: bytes, value: Any, keys: int) -> bool:
    """True when no object of the JSON line ``raw`` repeats a key: ``value`` is what
    ``quick_loads`` made of it, and its objects hold ``keys`` entries in all. Either the
    line is exactly what orjson writes for ``value`` (reader's own exports are: its
    keys are then the parsed objects' keys, each once), or ``key_bound`` proves it."""
    return raw.startswith(orjson.dumps(value)) or key_bound(raw) == keys


def quick_loads(raw: bytes) -> Any:
    """The value of one JSON line, or None when orjson refuses it (the strict loader then
    names what is wrong). Duplicate keys and depth are the caller's to rule out."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
