"""`reader annotate`: sync the corpus into the database, then open the app."""

from __future__ import annotations

import sys

import click

from reader.cli.common import annotate_options, echo_error, open_synced, settings


def run_annotate(
    corpus: str | None = None,
    db: str | None = None,
    annotator: str | None = None,
    labels: str | None = None,
    panes: int | None = None,
    gold: str | None = None,
) -> None:
    from reader.core.model import check_annotator
    from reader.core.schema import load_schema
    from reader.keys import check_schema_keys

    ctx = click.get_current_context()
    opts = settings(
        ctx, corpus=corpus, db=db, annotator=annotator, labels=labels, panes=panes, gold=gold
    )
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


@click.command()
@annotate_options
def annotate(**options: object) -> None:
    """Sync ./corpus into the database and open the annotator."""
    run_annotate(**options)
