"""Opening the store for a command, without click: the options' defaults, who
annotates, and the checks on the database path, shared by every command and by the
annotator's start (``reader.cli.start``), which reads its options without click so that
the first paint does not wait for it (bench/RESULTS.md, 2026-11-30)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from reader.core.display import inert

DEFAULT_DB = "annotations.db"
DEFAULT_CORPUS = "corpus"
_opened: list[Path] = [Path(DEFAULT_DB)]  # the database a command opened, to name in errors


def fail(message: str) -> None:
    """Stop the command with one clear line on stderr and exit code 1."""
    from reader.cli.common import UserError

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


def _context() -> Any:
    """click's current context, or None: without click loaded (the annotator's start,
    ``reader.cli.start``) there can be none."""
    click = sys.modules.get("click")
    return None if click is None else click.get_current_context(silent=True)


def _inherit(ctx: Any, name: str, value: Any) -> Any:
    """A subcommand option falls back to the same option given before the command."""
    if value is not None or ctx is None:
        return value
    root = ctx.find_root()
    return (root.obj or {}).get(name)


def settings(ctx: Any, **options: Any) -> dict[str, Any]:
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
    from reader.core.labels_file import load_schema
    from reader.core.store import Store

    ctx = _context()
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
    """One line on stderr, made inert (what ``click.echo`` would write: no colour to
    strip), without loading click for the annotator's start."""
    print(inert(message), file=sys.stderr, flush=True)
