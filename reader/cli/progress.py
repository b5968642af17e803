"""`reader progress`: who has done what, and the agreement of the overlap so far."""

from __future__ import annotations

import json

import click

from reader.cli.common import open_store, store_options


@click.command()
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--gold", default="gold", show_default=True, help="The adjudicator, left out of the counts."
)
def progress(db, labels, annotator, as_json: bool, gold: str) -> None:
    """Documents assigned, started and done per annotator, and agreement per label."""
    from reader.core.assignment.progress import progress_report

    with open_store(db, labels, annotator, existing=True) as store:
        report = progress_report(store, gold=gold)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console

    from reader.charts import render_progress

    console = Console()
    for part in render_progress(report, color=console.color_system is not None):
        console.print(part)
