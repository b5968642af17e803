"""What can go wrong with the database file itself, found before it costs a write.

- **Not a database.** A file that does not start as SQLite does is refused before
  sqlite3 opens it: opening may change it.
- **Damage.** A damaged page is found by ``PRAGMA quick_check`` before a command's first
  write (it reads every page, but skips the index-to-table cross-checks that make
  ``integrity_check`` several times slower); a read that meets damage later says so in
  one line. Either way the way out is named: ``sqlite3 annotations.db .recover``.
  The annotator's app starts the check after its first paint, in a thread on a
  read-only connection of its own (``IntactCheck``): on a database of 1.6M
  annotations it reads 745 MB (seconds); the first write waits for its verdict.
- **Side files replaced.** While a connection is open, SQLite keeps using the ``-wal``
  and ``-shm`` files it opened. If someone deletes them, every other process starts a
  fresh pair, and this connection's later commits go to a file nobody else will ever
  read; worse, its close deletes the *new* WAL with others' commits in it. So the
  store remembers their inodes and refuses to commit once either has vanished or
  changed, and closes such a connection without letting it delete anything.
- **SQLite's own errors** (read-only or immutable file, full disk, damage) become one
  line naming the database and the way out, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.errors import StoreError

SIDE_FILES = ("-wal", "-shm")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    """Whether a regular file starts as an SQLite database does."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite before sqlite3 touches (and maybe changes) it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read database: {exc.strerror}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a reader database (not an SQLite file)")


def recover_hint(path: Path) -> str:
    return f"recover what it holds with: sqlite3 {path} .recover | sqlite3 recovered.db"


def damaged(path: Path, detail: str) -> StoreError:
    lines = [line for line in detail.splitlines() if line.strip() and not line.startswith("***")]
    first = (lines[0] if lines else detail.strip())[:200]
    return StoreError(
        f"{path}: the database is damaged ({first}); nothing was changed; {recover_hint(path)}"
    )


def store_error(path: Path, exc: sqlite3.Error, doing: str = "cannot use database") -> StoreError:
    """One line for an error SQLite raised: what it means for the user, and what to do."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return damaged(path, str(exc))
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        return StoreError(
            f"{path}: the database cannot be written ({exc}: check its permissions, an "
            "immutable flag (lsattr) or a read-only mount, for the file and its folder); "
            "nothing was written"
        )
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"{path}: the disk is full; nothing was written")
    if name.startswith("SQLITE_IOERR"):
        return StoreError(f"{path}: the disk failed to read or write ({exc}); nothing was written")
    return StoreError(f"{path}: {doing}: {exc}")


def check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged database (``PRAGMA quick_check``), in one line naming the way out."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(1)")]
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from None
    if problems != ["ok"]:
        raise damaged(path, problems[0] if problems else "quick_check gave no answer")


class IntactCheck:
    """``check_intact`` in a thread, on a read-only connection of its own (which can
    never checkpoint or delete the WAL); ``verdict`` waits for it."""

    def __init__(self, path: Path):
        self.path = path
        self.error: StoreError | None = None
        self._conn: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="reader-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            check_intact(self._conn, self.path)
        except StoreError as exc:
            self.error = exc
        except sqlite3.Error as exc:
            self.error = store_error(self.path, exc)
        finally:
            if self._conn is not None:
                self._conn.close()

    def verdict(self) -> None:
        """Wait for the check; raise the StoreError it found, if any."""
        self._thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        """Stop a check still running (the store is closing)."""
        conn = self._conn
        if conn is not None and self._thread.is_alive():
            try:
                conn.interrupt()
            except sqlite3.ProgrammingError:  # closed meanwhile
                pass
        self._thread.join()


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


@dataclass
class SideFiles:
    """The inodes of a database's ``-wal`` and ``-shm`` as this connection opened them."""

    path: Path
    seen: dict[str, tuple[int, int] | None] = field(default_factory=dict)

    def remember(self) -> None:
        for suffix in SIDE_FILES:
            if self.seen.get(suffix) is None:
                self.seen[suffix] = _identity(f"{self.path}{suffix}")

    def replaced(self) -> str | None:
        """Which side file vanished or is another file now, in words; None if all is well."""
        for suffix, known in self.seen.items():
            if known is None:
                continue
            now = _identity(f"{self.path}{suffix}")
            if now != known:
                what = "was deleted" if now is None else "was replaced by another file"
                return f"{self.path}{suffix} {what} while the database was open"
        return None

    def refusal(self, reason: str) -> StoreError:
        return StoreError(
            f"{reason}; this session's changes can no longer be saved where anyone will "
            "read them, so nothing more is written: quit, then open the database again"
        )
