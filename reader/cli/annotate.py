"""`reader annotate`: sync the corpus into the database, then open the app."""

from __future__ import annotations

import click

from reader.cli.common import annotate_options
from reader.cli.start import run_annotate


@click.command()
@annotate_options
def annotate(**options: object) -> None:
    """Sync ./corpus into the database and open the annotator."""
    run_annotate(**options)
