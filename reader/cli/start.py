"""The annotator's start: ``reader [--corpus C] [--db D] ...`` read without click.

Importing click and building the command group is some 10 ms of CPU before the first
paint, and the plain start needs neither (bench/RESULTS.md, 2026-11-30). So ``main``
reads the arguments here first, and only a plain list of the annotator's own options
with ordinary values is taken: everything else (a command, ``--help``, ``--version``,
an unknown option, a value click would refuse or read otherwise) goes to click
unchanged, so its help and its errors stay its own. An error met while the annotator
runs is reported through click too (``common.report``): the same line, the same exit code.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import Any

from reader.cli.opening import echo_error, open_synced, settings

#: The annotator's options (``common.annotate_options``), by their parameter names.
OPTIONS = ("corpus", "db", "annotator", "labels", "panes", "gold")
#: Paths click checks (``click.Path``): a folder for the corpus, files for the rest.
_FOLDER, _FILES = "corpus", ("db", "labels")


def plain_options(args: list[str]) -> dict[str, Any] | None:
    """The annotator's options in ``args`` if click would read them so without a
    word to say, else None. Only ``--name value`` and ``--name=value`` of the options
    above, each once, with a value that is not empty, does not start with ``-``,
    ``--panes`` 1 to 4, and paths that click's checks let through (a path that exists
    is the right kind and readable); nothing when shell completion is asked for."""
    if any(name.startswith("_READER_COMPLETE") for name in os.environ):
        return None
    options: dict[str, Any] = dict.fromkeys(OPTIONS)
    given = iter(args)
    for arg in given:
        name, equals, value = arg.partition("=")
        key = name[2:]
        if not name.startswith("--") or key not in options or options[key] is not None:
            return None
        if not equals:
            value = next(given, "")
        if not value or value.startswith("-") or not _plain_value(key, value):
            return None
        options[key] = int(value) if key == "panes" else value
    return options


def _plain_value(key: str, value: str) -> bool:
    if key == "panes":
        return value in ("1", "2", "3", "4")
    if key not in _FILES and key != _FOLDER:
        return True
    try:
        mode = os.stat(value).st_mode
    except (OSError, ValueError):
        return True  # not there (yet): click lets it through too
    wrong = stat.S_ISREG(mode) if key == _FOLDER else stat.S_ISDIR(mode)
    return not wrong and os.access(value, os.R_OK)


def run_plain(options: dict[str, Any]) -> None:
    """Open the annotator; an error ends the process as it would under click."""
    try:
        run_annotate(**options)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 (click reports it, or re-raises it)
        from reader.cli.common import report

        report(exc)


def run_annotate(
    corpus: str | None = None,
    db: str | None = None,
    annotator: str | None = None,
    labels: str | None = None,
    panes: int | None = None,
    gold: str | None = None,
) -> None:
    """Sync the corpus into the database, then open the app (under ``reader``,
    ``reader annotate`` or neither: options a command's group took come from click's
    context when there is one)."""
    from reader.cli.opening import _context
    from reader.core.labels_file import load_schema
    from reader.core.model import check_annotator
    from reader.keys import check_schema_keys

    opts = settings(
        _context(), corpus=corpus, db=db, annotator=annotator, labels=labels, panes=panes,
        gold=gold,
    )  # fmt: skip
    gold_name = check_annotator(opts["gold"] or "gold", "--gold")
    check_schema_keys(load_schema(opts["labels"]))  # a key the app uses could never tag
    store, summary = open_synced(
        opts["corpus"], opts["db"], opts["labels"], opts["annotator"], check_later=True
    )
    try:
        if summary.versioned:
            echo_error(
                f"{len(summary.versioned)} changed documents stored as new versions: "
                f"{summary.reanchored} annotations re-anchored, {summary.orphaned} orphaned "
                "(see `reader stats`)"
            )
        if not sys.stdout.isatty():
            echo_error("reader: not a terminal; corpus synced, app not opened")
            return
        from reader.tui.app import ReaderApp

        ReaderApp(store, panes=opts["panes"] or 2, gold=gold_name).run()
    finally:
        store.close()
