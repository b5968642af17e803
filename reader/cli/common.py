"""What every command shares: options, the store, the annotator, error reporting."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from reader.cli.opening import (
    DEFAULT_CORPUS,
    DEFAULT_DB,
    _opened,
    echo_error,
    fail,
    open_store,
    open_synced,
    refuse_database_in_corpus,
    require_database,
    resolve_annotator,
    settings,
)
from reader.core.display import inert, plural
from reader.core.errors import ReaderError


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
        with user_errors():
            return super().invoke(ctx)


@contextmanager
def user_errors() -> Iterator[None]:
    """ReaderError and a damaged database as a UserError, ctrl+c as click's Abort."""
    try:
        yield
    except ReaderError as exc:
        raise UserError(inert(str(exc))) from None
    except sqlite3.DatabaseError as exc:  # met while reading: damage, a vanished file
        from reader.core.store.faults import store_error

        raise UserError(inert(str(store_error(_opened[-1], exc)))) from None
    except KeyboardInterrupt:
        raise click.Abort() from None


def report(exc: BaseException) -> NoReturn:
    """End the process as ``cli.main`` does when a command raises ``exc``: the
    annotator's start runs outside click (``reader.cli.start``) and hands its
    exception here, so its errors read and exit as before."""

    def reraise() -> None:
        with user_errors():
            raise exc

    click.Command("reader", callback=reraise).main([], prog_name="reader")
    raise AssertionError("click's main returned")  # pragma: no cover: it always exits


class UserError(click.ClickException):
    """A user error: one line on stderr, ``reader: error: ...``, in the voice of every
    other line reader prints (click's own would say ``Error: ...``), exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"reader: error: {self.format_message()}", err=True)


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


__all__ = [
    "DEFAULT_CORPUS",
    "DEFAULT_DB",
    "ReaderError",
    "echo_error",
    "fail",
    "open_store",
    "open_synced",
    "plural",
    "refuse_database_in_corpus",
    "require_database",
    "resolve_annotator",
    "settings",
    "store_options",
]
