"""`reader schema`: the codebook, printed from the label schema (``--labels`` or the
shipped one): a table for the terminal, ``--markdown`` for guidelines, ``--json`` for
tools."""

from __future__ import annotations

import json

import click

from reader.cli.common import settings


@click.command()
@click.option(
    "--labels", "labels", default=None, type=click.Path(dir_okay=False),
    help="Label schema file (TOML) [default: the shipped schema].",
)  # fmt: skip
@click.option("--markdown", "as_markdown", is_flag=True, help="Print Markdown guidelines.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def schema(ctx: click.Context, labels: str | None, as_markdown: bool, as_json: bool) -> None:
    """The codebook: every label, attribute and value with what it means."""
    from reader.core import codebook
    from reader.core.labels_file import load_schema

    if as_markdown and as_json:
        raise click.UsageError("--markdown and --json exclude each other")
    loaded = load_schema(settings(ctx, labels=labels)["labels"])
    if as_json:
        click.echo(json.dumps(codebook.records(loaded), ensure_ascii=False, indent=2))
        return
    if as_markdown:
        click.echo(codebook.markdown(loaded), nl=False)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reader.core.display import inert

    def cell(value: str) -> Text:
        return Text(inert(value, keep_newlines=False))

    console = Console()
    for label in loaded.labels:
        console.print(
            Text.assemble(
                (f" {inert(label.title)} ", "bold reverse"),
                f" {inert(label.name)}, key {inert(label.key)}",
            )
        )
        if label.description:
            console.print(cell(label.description))
        table = Table(show_lines=False, expand=True)
        for column in ("attribute", "type or value"):
            table.add_column(column, no_wrap=True)  # a name is never cut in two
        table.add_column("meaning", overflow="fold", ratio=1)
        for a in label.attributes:
            table.add_row(cell(a.name), Text(codebook.kind(a), "italic"), cell(a.description))
            for value in a.values:
                table.add_row(Text(""), cell(value), cell(a.describe(value)))
        if label.attributes:
            console.print(table)
        console.print()
