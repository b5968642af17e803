"""`reader merge OTHER.db...`: bring other annotators' databases into this one."""

from __future__ import annotations

import click

from reader.cli.common import open_store, plural, store_options


@click.command()
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_options
def merge(
    others: tuple[str, ...], db: str | None, labels: str | None, annotator: str | None
) -> None:
    """Merge OTHER databases into --db: idempotent by id, each file all or nothing.

    Every row is checked as an imported one is; assignments follow the latest event of
    the merged assignment log."""
    from reader.core.display import inert
    from reader.core.store.merge import merge_database

    with open_store(db, labels, annotator) as store:
        for other in others:
            s = merge_database(store, other)
            click.echo(
                inert(
                    f"{s.source}: {plural(s.documents_added, 'document')} added, "
                    f"{plural(s.documents_versioned, 'new version')}, "
                    f"{plural(s.annotations_added, 'annotation')} added, {s.annotations_updated} updated, "
                    f"{s.annotations_unchanged} already here, {plural(s.links_added, 'link')} added, "
                    f"{s.links_updated} updated, {plural(s.events_added, 'event')}, "
                    f"{plural(s.statuses_set, 'status', 'statuses')}, "
                    f"{plural(s.assignments_added, 'assignment')} added, {s.assignments_removed} removed"
                )
            )
