"""`reader import` and `reader export`: moving annotations between reader and its peers.

Import is all or nothing: every file named is read and checked inside one transaction,
and the first problem (named by file, line and field) leaves the database as it was.
Export writes a file atomically, or a folder it never leaves.

On a terminal, an export's control characters (escape sequences, bidi overrides) are
written as ``\\uXXXX``: inside JSON that is the same value; in CSV it is a visible
stand-in. Write to a file (``-o``) or a pipe for the raw bytes.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from reader.cli.common import (
    echo_error,
    fail,
    open_store,
    plural,
    require_database,
    settings,
    store_options,
)
from reader.core.formats.offsets import UNITS
from reader.core.formats.registry import (
    ARTICLES,
    FORMATS,
    ExportFilters,
    FormatOptions,
    get_format,
    guess_format,
)
from reader.core.paths import check_input

READABLE = [name for name, f in FORMATS.items() if f.reads]
WRITABLE = [name for name, f in FORMATS.items() if f.writes]
#: Formats whose export is a folder, named in the help of -o and --overwrite.
FOLDER_FORMATS = ", ".join(name for name in WRITABLE if FORMATS[name].folder)


def _ptc_articles(plan: list[tuple[Path, str]]) -> tuple[Path, ...]:
    """Folders of ``article<ID>.txt`` named beside PTC labels (``reader import
    train-articles train-task2-TC.labels``): the PTC reader takes them, so the documents
    are ``<ID>`` as the labels name them and keep the form of their files."""
    if not any(name == "ptc" for _, name in plan):
        return ()
    return tuple(
        p for p, name in plan
        if name == ARTICLES and p.is_dir()
        and all(f.name.startswith("article") for f in p.glob("*.txt"))
    )  # fmt: skip


def _check_offsets(offsets: str | None, names: list[str]) -> None:
    """--offsets must be a unit every named format can count in."""
    if offsets is None:
        return
    for name in names:
        units = FORMATS[name].units if name in FORMATS else ()
        if len(units) < 2:
            fail(f"--offsets applies to {', '.join(_UNIT_FORMATS)} only, not {name}")
        if offsets not in units:
            fail(f"--offsets {offsets}: {name} offsets count one of {', '.join(units)}")


_UNIT_FORMATS = [name for name, f in FORMATS.items() if len(f.units) > 1]
_OFFSETS_HELP = "; ".join(
    f"{name}: {'|'.join(f.units)} [default: {f.units[0]}]"
    for name, f in FORMATS.items()
    if len(f.units) > 1
)


class Progress:
    """A rich progress bar on stderr, shown only on a terminal and only once a run is long."""

    DELAY = 1.0

    def __init__(self, description: str, total: int | None = None):
        self.description = description
        self.total = total
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None

    def __call__(self, amount: int) -> None:
        self.done += amount
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=self.total, completed=self.done)
        else:
            self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@click.command("import")
@store_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "format_name", type=click.Choice(["auto", ARTICLES, *READABLE]), default="auto",
    show_default=True, help="Format of the files; auto guesses from each path and its first line.",
)  # fmt: skip
@click.option(
    "--add-labels",
    is_flag=True,
    help="Add labels the schema does not know instead of refusing them.",
)
@click.option(
    "--offsets", type=click.Choice(UNITS), default=None,
    help=f"What the file's offsets count. {_OFFSETS_HELP}.",
)  # fmt: skip
@click.option(
    "--new-versions", is_flag=True,
    help="Store a document whose text differs from the stored one as its next version.",
)  # fmt: skip
def import_command(
    paths: tuple[Path, ...], db: str | None, labels: str | None, annotator: str | None,
    format_name: str, add_labels: bool, offsets: str | None, new_versions: bool,
) -> None:  # fmt: skip
    """Import articles (.txt files or folders) or annotations, all or nothing.

    --annotator names who made the annotations of files that do not say (brat, PTC, a
    single doccano file); files that name their annotator keep it.
    """
    ctx = click.get_current_context()
    explicit_annotator = settings(ctx, annotator=annotator)["annotator"]
    plan: list[tuple[Path, str]] = []
    for path in paths:
        check_input(path)  # a FIFO or a device is refused before anything opens it
        from reader.core.corpus import emptiness
        from reader.core.store.faults import is_sqlite

        if path.is_file() and _size(path) < 4096 and not path.read_bytes().strip():
            fail(f"{path}: {emptiness(path.read_bytes())}: nothing to import")
        if path.is_file() and is_sqlite(path):
            fail(
                f"{path}: an SQLite database, not a file to import; another reader "
                f"database comes in with: reader merge {path}"
            )
        name = format_name
        if name == "auto":
            name, why = guess_format(path)
            echo_error(f"reader: {path}: reading as {name} ({why})")
        plan.append((path, name))
    _check_offsets(offsets, [name for _, name in plan])
    texts = _ptc_articles(plan)
    plan = [(p, name) for p, name in plan if p not in texts]
    warnings: list[str] = []
    progress = Progress("importing", total=sum(_size(p) for p, _ in plan))
    options = FormatOptions(
        annotator=explicit_annotator, offsets=offsets, warn=warnings.append, progress=progress,
        texts=texts,
    )  # fmt: skip
    with open_store(db, labels, annotator) as store:
        read_as_articles: dict[int, Any] = {}  # id() -> the Document, kept alive meanwhile

        def stored_text(doc_id: str) -> str | None:
            latest = store._latest_text(doc_id)
            return latest[1] if latest else None

        options = replace(options, document_text=stored_text)

        def items() -> Iterator[Any]:
            articles = [p for p, name in plan if name == ARTICLES]
            if articles:
                from reader.core.corpus import read_paths

                for doc in read_paths(articles):
                    read_as_articles[id(doc)] = doc
                    yield doc
                progress(sum(_size(p) for p in articles))
            for path, name in plan:
                if name != ARTICLES:
                    yield from (
                        get_format(name).load().read(path, schema=store.schema, options=options)
                    )

        try:
            summary = store.import_items(
                items(), source=", ".join(map(str, paths)), add_labels=add_labels,
                # Articles are imported to be stored, changed or not; an annotation
                # file's copy of one is checked against what is stored.
                new_versions=lambda doc: new_versions or id(doc) in read_as_articles,
            )  # fmt: skip
        finally:
            progress.close()
    for warning in warnings:
        echo_error(f"reader: {warning}")
    parts = [
        f"{plural(summary.annotations_added, 'new annotation')} ({summary.annotations_unchanged} already present)",
        plural(summary.documents_added, "new document") if summary.documents_added else "",
        plural(summary.documents_versioned, "new document version")
        if summary.documents_versioned
        else "",
        f"{summary.statuses_set} document status{'' if summary.statuses_set == 1 else 'es'}"
        if summary.statuses_set
        else "",
        f"{plural(summary.links_added, 'new link')} ({summary.links_unchanged} already present)"
        if summary.links_added or summary.links_unchanged
        else "",
    ]
    click.echo("imported " + ", ".join(p for p in parts if p))


@click.command("export")
@click.option(
    "--db",
    default=None,
    type=click.Path(dir_okay=False),
    help="Annotations database [default: ./annotations.db].",
)
@click.option(
    "--labels", default=None, type=click.Path(dir_okay=False), help="Label schema file (TOML)."
)
@click.option("--annotator", default=None, help="Only this annotator's annotations.")
@click.option(
    "--format", "format_name", type=click.Choice(WRITABLE), default="jsonl", show_default=True
)
@click.option(
    "-o", "--output", default="-", show_default=True,
    help=f"File, folder ({FOLDER_FORMATS}) or - for standard output.",
)  # fmt: skip
@click.option("--label", default=None, help="Only this label.")
@click.option("--document", default=None, help="Only this document.")
@click.option(
    "--by-document",
    is_flag=True,
    help="jsonl only: one line per document, with its text and status.",
)
@click.option(
    "--offsets", type=click.Choice(UNITS), default=None,
    help=f"What offsets count. {_OFFSETS_HELP}.",
)  # fmt: skip
@click.option(
    "--overwrite", is_flag=True,
    help=f"{FOLDER_FORMATS}: replace an earlier reader export in the -o folder.",
)  # fmt: skip
@click.option(
    "--task", type=click.Choice(["tc", "si"]), default=None,
    help="ptc only: technique classification rows (tc, the default) or span identification (si).",
)  # fmt: skip
def export_command(
    db: str | None, labels: str | None, annotator: str | None, format_name: str, output: str,
    label: str | None, document: str | None, by_document: bool, offsets: str | None,
    overwrite: bool, task: str | None,
) -> None:  # fmt: skip
    """Export live annotations; --annotator, --label and --document narrow them."""
    ctx = click.get_current_context()
    require_database(settings(ctx, db=db)["db"])  # before standard output is wrapped
    fmt = get_format(format_name)
    if by_document and format_name != "jsonl":
        fail("--by-document applies to --format jsonl only")
    _check_offsets(offsets, [format_name])
    if task is not None and format_name != "ptc":
        fail("--task applies to --format ptc only")
    warnings: list[str] = []
    progress = Progress("exporting")
    options = FormatOptions(
        offsets=offsets, by_document=by_document, overwrite=overwrite,
        warn=warnings.append, progress=progress, task=task,
    )  # fmt: skip
    filters = ExportFilters(annotator=annotator, label=label, document=document)
    stream = None
    if output == "-":
        if sys.stdout is None:  # started with standard output closed
            fail("standard output is closed; give -o FILE")
        binary = sys.stdout.buffer
        stream = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
        dest: Any = stream
        if binary.isatty():
            from reader.core.display import TerminalSafe

            dest = TerminalSafe(stream)
    else:
        dest = Path(output)
    with open_store(db, labels, None, existing=True) as store:
        if label is not None and label not in store.schema.names:
            fail(f"--label {label}: unknown label (known: {', '.join(store.schema.names)})")
        try:
            count = fmt.export(store, dest, filters=filters, options=options)
            if stream is not None:
                stream.flush()
        except OSError as exc:  # files are checked by the format; standard output is not
            if stream is None:
                raise
            fail(f"standard output: cannot write: {exc.strerror or exc}")
        finally:
            progress.close()
            if stream is not None:
                try:
                    stream.detach()
                except (OSError, ValueError):
                    pass
    for warning in warnings:
        echo_error(f"reader: {warning}")
    where = "standard output" if output == "-" else output
    echo_error(f"reader: wrote {plural(count, 'annotation')} as {format_name} to {where}")
