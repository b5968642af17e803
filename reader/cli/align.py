"""`reader align`: passages shared between documents of the corpus."""

from __future__ import annotations

import json

import click

from reader.cli.common import open_store, store_options


@click.command()
@store_options
@click.option("--min-words", default=8, show_default=True, type=click.IntRange(3, 1000),
              help="Shortest exact shared run, in words.")  # fmt: skip
@click.option("--near", "near_threshold", default=0.5, show_default=True, type=click.FloatRange(0.1, 1.0),
              help="Jaccard of 5-word shingles for near-duplicate sentences.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def align(db, labels, annotator, min_words, near_threshold, as_json):
    """Exact shared runs and near-duplicate sentences between any two documents."""
    from reader.core.display import inert
    from reader.core.store.passages import shared_passages

    with open_store(db, labels, annotator, existing=True) as store:
        passages = shared_passages(store, min_words=min_words, near_threshold=near_threshold)
    if as_json:
        click.echo(json.dumps([p.to_record() for p in passages], ensure_ascii=False, indent=1))
        return
    for p in passages:
        click.echo(
            inert(
                f"{p.kind:5} {p.score:.2f}  {p.a.document} [{p.a.start}, {p.a.end})  <->  "
                f"{p.b.document} [{p.b.start}, {p.b.end})  {p.a.end - p.a.start} characters"
            )
        )
