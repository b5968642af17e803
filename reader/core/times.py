"""Time as reader stores it: UTC with microseconds in ISO 8601, so that in the database
text order is time order; the one check every time from outside passes on its way in,
and the moment a stored time names, to compare two of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from reader.core.errors import ValidationError


def now() -> str:
    """UTC timestamp with microseconds, ISO 8601: sortable as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


#: ISO 8601 as reader and its peers write it: a date, optionally a time (seconds and a
#: fraction optional) and an offset; ASCII digits only.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def check_timestamp(value: Any, where: str) -> str:
    """A time from outside (created_at, updated_at, added_at, an event's at), refused
    unless ISO 8601, and returned in the one form reader stores: UTC with microseconds,
    as ``now`` writes it (``2022-01-05T10:00:00+07:00`` becomes
    ``2022-01-05T03:00:00.000000+00:00``), the instant kept. Every import, merge and
    assignment merge takes times through here, so in the database text order is time
    order: merge's "newer wins", an export's latest ``updated_at`` and the event log
    may compare them as text. A fraction finer than microseconds is cut to them.

    A time without an offset (``2022-01-05T10:00:00``), or a date alone, is taken as
    UTC, as ``instant`` always has: the tools that leave the offset out almost always
    write UTC (Python's ``utcnow().isoformat()``, databases' UTC columns), databases
    made by earlier versions of reader may hold such times and must still merge, and
    refusing would fail a whole all-or-nothing import over a time that is not the
    annotation's content. A file written in local time must say so (``+07:00``)."""
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…"
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        try:
            return utc_timestamp(value)
        except ValueError:  # no such day or hour
            pass
        except OverflowError:
            raise ValidationError(
                f"{where}: {shown!r} is outside the years 1-9999 in UTC"
            ) from None
    raise ValidationError(
        f"{where}: {shown!r} is not an ISO 8601 time (like 2026-01-08T09:30:00+00:00)"
    )


def utc_timestamp(value: str) -> str:
    """``value`` (a time ``check_timestamp`` accepts) in the form reader stores."""
    return instant(value).astimezone(UTC).isoformat(timespec="microseconds")


def instant(value: str) -> datetime:
    """The moment a checked timestamp names, to compare two of them. Times are stored
    in UTC (``check_timestamp``), but a database made before that may hold an offset
    (10:00+07:00 is before 09:30Z) or none. A time without an offset, or a date alone,
    is taken as UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(",", "."))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
