"""Where an export may write: never over the database, its side files or the articles.

An export's ``-o`` is a path a user typed, and a typo can name ``annotations.db`` or a
corpus article. Replacing either would lose annotations (the database) or make the next
sync store the export as a new version of an article. So before anything is written the
destination is compared with every file reader must keep: by its resolved path (through
symlinks, also for side files that do not exist yet, such as ``-wal``) and by device and
inode (a hard link is the same file under another name). A folder export is refused
when its folder is a corpus folder, or holds the database, an article or a corpus folder
that ``--overwrite`` would move away.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.core.errors import FormatError

#: The files SQLite keeps beside a database while it is open or mid-transaction.
SIDE_FILES = ("-wal", "-shm", "-journal")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _names(path: str | Path) -> set[Path]:
    """A path as given (made absolute) and resolved through symlinks."""
    path = Path(path)
    return {path.absolute(), path.resolve()}


@dataclass(frozen=True)
class Protected:
    """The files an export must never replace and the folders it must never write into,
    each with why (shown in the refusal)."""

    files: dict[Path, str]
    folders: dict[Path, str]
    identities: dict[tuple[int, int], str]

    @classmethod
    def build(
        cls, database: str | Path, articles: Iterable[str], corpus_folders: Iterable[str]
    ) -> Protected:
        files: dict[Path, str] = {}
        for base in _names(database):
            files[base] = "the database"
            for side in SIDE_FILES:
                files[Path(f"{base}{side}")] = f"the database's {side[1:]} file"
        for article in articles:
            for name in _names(article):
                files.setdefault(name, "an article the database knows")
        folders = {name: "a corpus folder" for f in corpus_folders for name in _names(f)}
        identities: dict[tuple[int, int], str] = {}
        for name, why in [*files.items(), *folders.items()]:
            key = _identity(name)
            if key is not None:
                identities.setdefault(key, why)
        return cls(files, folders, identities)

    def _what(self, path: Path) -> str | None:
        """Why ``path`` (a file or folder) must be kept, or None."""
        for name in _names(path):
            why = self.files.get(name) or self.folders.get(name)
            if why:
                return why
        key = _identity(path)
        return self.identities.get(key) if key else None

    def check_file(self, path: Path) -> None:
        """Refuse a single-file destination that is a kept file or lies in a corpus folder."""
        why = self._what(path)
        if why is None and any(
            self.folders.get(parent) or self._what(parent) == "a corpus folder"
            for parent in (path.absolute().parent, path.resolve().parent)
        ):
            why = "in a corpus folder, where it would be read as an article"
        if why:
            raise FormatError(f"{path}: is {why}; an export never writes there, nothing written")

    def check_folder(self, path: Path) -> None:
        """Refuse a folder destination that is a corpus folder or holds a kept file, or
        a corpus folder, anywhere below it (``--overwrite`` would move it away)."""
        why = self._what(path)
        if why:
            raise FormatError(f"{path}: is {why}; an export never writes there, nothing written")
        roots = _names(path)
        for name, why in [*self.files.items(), *self.folders.items()]:
            if any(name.is_relative_to(root) for root in roots) and (
                name.exists() or why == "the database"
            ):
                raise FormatError(
                    f"{path}: holds {name} ({why}); an export never writes over it, nothing written"
                )


def check_special(path: Path) -> bool:
    """True if ``path`` is (or links to) a FIFO or a character device: written into,
    never replaced. Refuses other special files (sockets, block devices)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise FormatError(f"{path}: cannot write: {exc.strerror}") from None
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return False
    kind = "a block device" if stat.S_ISBLK(mode) else "a socket or other special file"
    raise FormatError(f"{path}: is {kind}; an export writes a file, nothing written")
