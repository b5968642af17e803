"""One browser session of `reader serve`: its options, its command line, its entry point.

textual-serve runs a shell command for each browser websocket and relays the terminal
over it. Each session is therefore its own ``reader`` process with its own connection to
the same SQLite file; WAL and the store's busy timeout are what keep concurrent sessions
safe, exactly as for several terminals on one database.

The corpus is synced once, by the server, before anyone connects: sessions only open the
store (``python -m reader.cli.serve_session --db ...``, the hidden command below), so a
dozen browser tabs do not re-read and re-hash the corpus a dozen times.

A session's process starts as the annotator's does (``main``; reader.startup): without
the garbage collector until the app's first paint. So this module imports neither click
nor the app at its top: ``-m`` imports a module before it can pause anything.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.startup import paused_start


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

    argv = [sys.executable, "-m", __name__, "--db", str(options.db.resolve())]
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


def main(args: list[str] | None = None) -> None:
    """The process textual-serve starts for one browser session (``session_command``)."""
    with paused_start():
        _command().main(args, prog_name="reader-session")


def _command() -> Any:
    """The hidden command's options, read by click (imported here, once paused)."""
    import click

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
        """One browser session: open the store the server synced and run the app (no tty
        check: textual-serve's web driver talks over pipes)."""
        from reader.cli.common import fail, open_store
        from reader.core.errors import ReaderError
        from reader.tui.app import ReaderApp

        try:
            with open_store(db, labels, annotator) as store:
                ReaderApp(store, panes=panes, gold=gold, review=not no_review).run()
        except ReaderError as exc:
            fail(str(exc))

    return session


if __name__ == "__main__":  # the command textual-serve runs per session
    main()
