"""The ``reader`` command group: its options, its commands (loaded on first use), and
the annotator when no command is given. ``reader.cli.main`` reads the plain
``reader [options]`` without it (``reader.cli.start``)."""

from __future__ import annotations

import click

from reader.cli.common import ReaderGroup, annotate_options
from reader.startup import resume_collection

COMMANDS = {
    "annotate": "reader.cli.annotate:annotate",
    "import": "reader.cli.transfer:import_command",
    "export": "reader.cli.transfer:export_command",
    "stats": "reader.cli.stats:stats",
    "agree": "reader.cli.agree:agree",
    "assign": "reader.cli.assign:assign",
    "merge": "reader.cli.merge:merge",
    "schema": "reader.cli.schema:schema",
    "progress": "reader.cli.progress:progress",
    "suggest": "reader.cli.suggest:suggest",
    "align": "reader.cli.align:align",
    "claims": "reader.cli.claims:claims",
    "serve": "reader.cli.serve:serve",
}


@click.group(
    cls=ReaderGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@annotate_options
@click.version_option(package_name="reader-annotator", prog_name="reader")
@click.pass_context
def cli(ctx: click.Context, **options: object) -> None:
    """Read news articles side by side and annotate spans in the terminal.

    Without a command, opens the annotator (same as `reader annotate`).
    """
    ctx.ensure_object(dict).update({k: v for k, v in options.items() if v is not None})
    if ctx.invoked_subcommand not in (None, "annotate"):
        resume_collection()  # only the annotator's start goes without it (reader.startup)
    if ctx.invoked_subcommand is None:
        from reader.cli.start import run_annotate

        run_annotate(**options)
