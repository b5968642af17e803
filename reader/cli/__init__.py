"""The command line. ``reader`` alone opens the annotator on ./corpus.

Command modules import their heavy dependencies (Textual, rich tables, formats)
inside the command body, so ``reader --help`` starts as fast as click does. The plain
``reader [--corpus ...]`` (the annotator's options only) is read without click at all
(``reader.cli.start``): importing it is some 10 ms of the annotator's first paint.
"""

from __future__ import annotations

import sys
from typing import Any

from reader.startup import paused_start


def main() -> None:
    with paused_start():  # until the app's first paint, or the command's start
        from reader.cli.start import plain_options, run_plain

        options = plain_options(sys.argv[1:])
        if options is None:  # a command, help, or anything click must read and judge
            from reader.cli.group import cli

            cli.main(prog_name="reader")
        else:
            run_plain(options)


def __getattr__(name: str) -> Any:
    """``reader.cli.cli`` (the click group) and ``COMMANDS``, loaded when asked for."""
    if name in ("cli", "COMMANDS"):
        from reader.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
