"""What every command shares: options, the store, the annotator, error reporting."""

from __future__ import annotations

import getpass
import importlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reader.core.display import inert
from reader.core.errors import ReaderError

DEFAULT_DB = "annotations.db"
DEFAULT_CORPUS = "corpus"
_opened: list[Path] = [Path(DEFAULT_DB)]  # the database a command opened, to name in errors


class ReaderGroup(click.Group):
    """Loads commands on first use and turns ReaderError into one line and exit code 1."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module, attr = self.lazy_commands[name].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                return None
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReaderError as exc:
            raise UserError(inert(str(exc))) from None
        except sqlite3.DatabaseError as exc:  # met while reading: damage, a vanished file
            from reader.core.store.faults import store_error

            raise UserError(inert(str(store_error(_opened[-1], exc)))) from None
        except KeyboardInterrupt:
            raise click.Abort() from None


class UserError(click.ClickException):
    """A user error: one line on stderr, ``reader: error: ...``, in the voice of every
    other line reader prints (click's own would say ``Error: ...``), exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"reader: error: {self.format_message()}", err=True)


def fail(message: str) -> None:
    """Stop the command with one clear line on stderr and exit code 1."""
    raise UserError(inert(message))


def resolve_annotator(value: str | None) -> str:
    """--annotator, else READER_ANNOTATOR, else the login name; always validated."""
    from reader.core.model import check_annotator

    name = value or os.environ.get("READER_ANNOTATOR")
    source = "--annotator" if value else "READER_ANNOTATOR"
    if not name:
        try:
            name, source = getpass.getuser(), "login name"
        except (OSError, KeyError):  # no login name in some containers
            name, source = "annotator", "default"
    return check_annotator(name, source)


def _inherit(ctx: click.Context, name: str, value: Any) -> Any:
    """A subcommand option falls back to the same option given before the command."""
    if value is not None:
        return value
    root = ctx.find_root()
    return (root.obj or {}).get(name)


def store_options(func: Callable) -> Callable:
    """--db, --labels and --annotator, as every command that opens the store takes them."""
    func = click.option(
        "--annotator",
        default=None,
        help="Who annotates [default: $READER_ANNOTATOR, else login name].",
    )(func)
    func = click.option(
        "--labels", "labels", default=None, type=click.Path(dir_okay=False),
        help="Label schema file (TOML) [default: the shipped schema].",
    )(func)  # fmt: skip
    func = click.option(
        "--db", default=None, type=click.Path(dir_okay=False),
        help=f"Annotations database [default: ./{DEFAULT_DB}].",
    )(func)  # fmt: skip
    return func


def annotate_options(func: Callable) -> Callable:
    """The options of the annotator, taken by `reader` and `reader annotate` alike."""
    func = store_options(func)
    func = click.option(
        "--gold", default=None, help="Who review decisions are written as [default: gold]."
    )(func)
    func = click.option(
        "--panes",
        default=None,
        type=click.IntRange(1, 4),
        help="Articles side by side, 1-4 [default: 2].",
    )(func)
    func = click.option(
        "--corpus", default=None, type=click.Path(file_okay=False),
        help=f"Folder of .txt articles [default: ./{DEFAULT_CORPUS}].",
    )(func)  # fmt: skip
    return func


def settings(ctx: click.Context, **options: Any) -> dict[str, Any]:
    """Options of a subcommand, completed from the group's and from the defaults."""
    resolved = {name: _inherit(ctx, name, value) for name, value in options.items()}
    if "db" in resolved and resolved["db"] is None:
        resolved["db"] = DEFAULT_DB
    if "corpus" in resolved and resolved["corpus"] is None:
        resolved["corpus"] = DEFAULT_CORPUS
    return resolved


def open_store(
    db: str | None,
    labels: str | None,
    annotator: str | None = None,
    *,
    existing: bool = False,
    check_later: bool = False,
):
    """The store at --db with the schema of --labels, bound to the resolved annotator;
    with ``existing`` (commands that only read), only a reader database that is there;
    without it (commands that write), only one that passes ``check_intact``: at once,
    or with ``check_later`` (the app, which starts the check after its first paint)
    before the first write, which waits for it."""
    from reader.core.schema import load_schema
    from reader.core.store import Store

    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        db, labels, annotator = (
            _inherit(ctx, n, v)
            for n, v in (("db", db), ("labels", labels), ("annotator", annotator))
        )
    if existing:
        require_database(db)
    schema = load_schema(labels)
    path = Path(db or DEFAULT_DB)
    if not existing:
        corpus = (_inherit(ctx, "corpus", None) if ctx is not None else None) or DEFAULT_CORPUS
        refuse_database_in_corpus(path, Path(corpus))
    _opened.append(path)
    store = Store.open(path, schema, annotator=resolve_annotator(annotator), create=not existing)
    if not existing:  # a command that writes: refuse a damaged database before its first write
        try:
            if not check_later:  # the app starts it after its first paint
                store.check_intact()
        except BaseException:
            store.close()
            raise
    return store


def refuse_database_in_corpus(db: Path, corpus: Path) -> None:
    """A new database named like an article (``*.txt``) would be read back as one by the
    next corpus sync, and a binary article makes the whole corpus refused: refuse it
    before anything is created. Any other name is fine, even inside the corpus folder
    (``reader --corpus .``), since only ``*.txt`` files there are articles."""
    if db.suffix.lower() == ".txt" and not db.exists():
        where = " in the corpus folder" if db.resolve().parent == corpus.resolve() else ""
        fail(f"{db}: --db is named like an article (.txt){where}; choose another name, e.g. .db")


def require_database(db: str | None) -> None:
    """Refuse a database that is not there: a command that only reads must not create
    one from a typo."""
    if not Path(db or DEFAULT_DB).is_file():
        fail(f"{db or DEFAULT_DB}: no such database")


def open_synced(
    corpus: str, db: str, labels: str | None, annotator: str | None, *, check_later: bool = False
):
    """(store, sync summary): the store at ``db`` with the corpus synced into it. A
    database that exists says which files it read before, and only files changed since
    are read; a new one is created only once every article has been read without fault."""
    from reader.core.corpus import read_corpus_changes

    store = (
        open_store(db, labels, annotator, check_later=check_later) if Path(db).is_file() else None
    )
    try:
        documents, files, _ = read_corpus_changes(corpus, store.corpus_files() if store else {})
        if store is None:
            store = open_store(db, labels, annotator)
        return store, store.sync_documents(documents, files)
    except BaseException:
        if store is not None:
            store.close()
        raise


def echo_error(message: str) -> None:
    click.echo(inert(message), err=True)


__all__ = ["ReaderError", "fail", "open_store", "resolve_annotator", "settings", "store_options"]
