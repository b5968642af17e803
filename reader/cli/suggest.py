"""`reader suggest`: the spans the news lexer proposes, never stored as annotations."""

from __future__ import annotations

import json

import click

from reader.cli.common import open_store, store_options


@click.command()
@store_options
@click.option("--document", default=None, help="Only this document.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def suggest(db, labels, annotator, document, as_json):
    """Suggested casualty and attribution spans (rejected ones left out)."""
    from reader.core.display import inert
    from reader.core.store.decisions import rejected_suggestions
    from reader.core.suggest import suggest as propose

    found = []
    with open_store(db, labels, annotator, existing=True) as store:
        ids = [document] if document else [d.id for d in store.documents()]
        for doc_id in ids:
            rejected = rejected_suggestions(store, doc_id)
            for s in propose(store.document(doc_id), store.schema):
                if (s.start, s.end, s.label) not in rejected:
                    found.append(s)
    if as_json:
        click.echo(json.dumps([s.to_record() for s in found], ensure_ascii=False, indent=1))
        return
    for s in found:
        attrs = ", ".join(f"{k}={v}" for k, v in s.attributes.items())
        click.echo(
            inert(
                f"{s.document} [{s.start}, {s.end}) {s.label}: {s.text[:70]!r} {attrs}",
                keep_newlines=False,
            )
        )
