"""Input paths never lead outside what the user named, and only regular files are read.

A folder given to ``reader import`` (or as the corpus) may hold symlinks: following one
out of the folder would import ``/etc/passwd`` as an article. A FIFO would block the
import forever, a device would be read without end, a socket cannot be read at all. So
every file found inside a named folder is resolved and must lie inside the folder's own
resolved place, and every file read must be a regular file. What the user named is
trusted as named: a folder (or a file) given as a symlink is fine; what it holds is
checked.
"""

from __future__ import annotations

import stat
from pathlib import Path

from reader.core.errors import InputPathError


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(path: Path, inside: Path | None = None) -> Path:
    """``path`` if it is a regular file or a folder and, when ``inside`` is given, its
    resolved place lies inside the resolved ``inside``; else InputPathError naming it.
    Only stat() is used: nothing is opened."""
    path = Path(path)
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except FileNotFoundError:
        kind = "a symlink to nothing" if path.is_symlink() else "no such file"
        raise InputPathError(f"{path}: {kind}") from None
    except RuntimeError:  # a symlink loop
        raise InputPathError(f"{path}: a symlink loop") from None
    except OSError as exc:
        raise InputPathError(f"{path}: cannot read: {exc.strerror}") from None
    if inside is not None:
        root = Path(inside).resolve()
        if real != root and not real.is_relative_to(root):
            how = "a symlink to" if path.is_symlink() else "leads to"  # or a '..', a link above
            raise InputPathError(
                f"{path}: {how} {real}, outside {inside}; refused (only files inside "
                "the folder named are read)"
            )
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return path
    raise InputPathError(f"{path}: is {_kind(mode)}; refused, only regular files are read")


def regular_file(path: Path, inside: Path | None = None) -> Path:
    """``path`` if it is a regular file (see ``check_input``); a folder is refused too."""
    check_input(path, inside)
    if Path(path).is_dir():
        raise InputPathError(f"{path}: is a folder, not a file")
    return path


def entries(folder: Path, inside: Path | None = None, suffix: str = "") -> list[Path]:
    """The files of ``folder`` whose names end in ``suffix``, sorted, each
    checked to be a regular file inside ``inside`` (default: ``folder``). A matching
    entry that is a FIFO, a device, a socket or a symlink out is refused, not skipped:
    the user meant it to be read."""
    root = inside if inside is not None else folder
    found = []
    for entry in sorted(Path(folder).iterdir()):
        if not entry.name.endswith(suffix):
            continue
        if entry.is_dir() and not entry.is_symlink():
            continue
        check_input(entry, root)
        if not entry.is_dir():
            found.append(entry)
    return found


def subfolders(folder: Path, inside: Path | None = None) -> list[Path]:
    """The folders in ``folder`` (not hidden), sorted; one that is a symlink out of
    ``inside`` (default: ``folder``) is refused."""
    root = inside if inside is not None else folder
    found = []
    for entry in sorted(Path(folder).iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        check_input(entry, root)
        found.append(entry)
    return found
