"""`reader stats`: what the database holds, as a table or JSON."""

from __future__ import annotations

import json

import click

from reader.cli.common import open_store, store_options


@click.command()
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(db: str | None, labels: str | None, annotator: str | None, as_json: bool) -> None:
    """Documents, annotators, annotations per label, orphans, links and done status."""
    with open_store(db, labels, annotator, existing=True) as store:
        report = store.stats()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reader.core.display import inert

    def cell(value: object) -> Text:
        return Text(inert(str(value), keep_newlines=False))

    console = Console()
    count = report["annotations"]
    noun = "annotation" if count == 1 else "annotations"
    table = Table(title=Text(f"{inert(report['database'])}: {count} {noun}"))
    for column in ("document", "version", "length", "done by"):
        table.add_column(column)
    for doc in report["documents"]:
        done = sorted(a for a, s in doc["status"].items() if s == "done")
        table.add_row(
            cell(doc["id"]), cell(doc["version"]), cell(doc["length"]), cell(", ".join(done) or "-")
        )
    console.print(table)

    def counts(title: str, key: str, value: str, mapping: dict) -> Table:
        table = Table(title=title)
        table.add_column(key)
        table.add_column(value, justify="right")
        for name, n in mapping.items():
            table.add_row(cell(name), cell(n))
        return table

    console.print(counts("annotations", "label", "count", report["labels"]))
    console.print(counts("annotators", "annotator", "annotations", report["annotators"]))
    orphans = report["orphaned"]
    links = report["links"]
    console.print(
        Text(f"links: {links['live']} (orphaned {links['orphaned']}, dangling {links['dangling']})")
    )
    console.print(Text(f"orphaned annotations: {len(orphans)}"))
    for o in orphans:
        console.print(
            cell(f"  {o['document']} [{o['start']}, {o['end']}) {o['annotator']}: {o['text'][:60]}")
        )
