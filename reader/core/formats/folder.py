"""OutputFolder: where a multi-file export (brat, PTC, doccano) writes, whole or not at all.

The files are written into a hidden staging folder next to the destination and moved
into place only when the export has finished, so a failed export leaves the destination
as it was. A destination that already holds files is refused: an earlier export's files
for documents or annotators no longer exported would otherwise sit beside the new ones,
stale and indistinguishable. ``--overwrite`` replaces a folder that an earlier reader
export made (it holds the marker file below) and nothing else: it never deletes a
folder of someone's own files because of a mistyped ``-o``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from reader.core.errors import FormatError
from reader.core.model import check_annotator, check_document_id

#: Written into every export folder; readers of every format skip it (a dot file).
MARKER = ".reader-export"


class OutputFolder:
    """A folder an export writes into, and never out of (a context manager)."""

    def __init__(self, dest: Path | IO[str], *, overwrite: bool = False, format_name: str = ""):
        if not isinstance(dest, (str, os.PathLike)):
            raise FormatError(
                "this format writes a folder of files: give -o FOLDER, not standard output"
            )
        self.root = Path(dest)
        # Where the files really go: through a symlinked -o to its folder, and "." by
        # its name (staging and moving need one).
        self._target = self.root.resolve()
        self._overwrite = overwrite
        self._format = format_name
        self.staging: Path | None = None
        replacing = self._check_destination()
        if replacing and Path.cwd().resolve().is_relative_to(self._target):
            raise FormatError(
                f"{self.root}: --overwrite would replace the folder you are in; run the "
                "export from outside it"
            )
        try:
            # An empty folder (a mount point, say) is written inside: moves stay on its
            # file system. Otherwise beside it, to be renamed into place whole.
            self.staging = (
                _fresh(self._target / "export", "part")
                if self._target.is_dir() and not replacing
                else _fresh(self._target, "part")
            )
        except OSError as exc:
            raise FormatError(f"{self.root}: cannot create folder: {exc.strerror}") from None
        self._real = self.staging.resolve()
        self._taken: dict[str, str] = {}

    def _check_destination(self) -> bool:
        """True if the destination holds an earlier export to replace (else it is absent
        or empty); refused when it holds anything else. Checked again just before the
        export is put in place: files may have arrived while it was written."""
        root, target = self.root, self._target
        if target.exists() and not target.is_dir():
            raise FormatError(f"{root}: this format writes a folder, and this is a file")
        if not target.is_dir() or not any(p != self.staging for p in target.iterdir()):
            return False
        if not self._overwrite:
            raise FormatError(
                f"{root}: the folder holds files already; give a new or empty folder, or "
                "--overwrite to replace an earlier export there"
            )
        if not (target / MARKER).is_file():
            raise FormatError(
                f"{root}: --overwrite replaces only a folder a reader export made (it holds "
                f"{MARKER}); this one does not, so nothing was written"
            )
        return True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            if isinstance(error, FormatError) and str(self.staging) in str(error):
                # Name the file as the user knows it, not its place in the staging folder.
                raise FormatError(str(error).replace(str(self.staging), str(self.root))) from None
            return
        try:
            self._publish()
        except OSError as exc:
            raise FormatError(f"{self.root}: cannot put the export in place: {exc}") from None
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _publish(self) -> None:
        """Move the finished export into place; an earlier one goes only once it has."""
        marker = {"format": self._format, "written_by": "reader export"}
        (self.staging / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
        target = self._target
        if not self._check_destination():
            if self.staging.parent != target:  # absent (or emptied) meanwhile: one rename
                os.replace(self.staging, target)
                return
            # Empty: move the files in, so the folder keeps its place and permissions.
            moved = []
            try:
                for entry in sorted(self.staging.iterdir()):
                    os.replace(entry, target / entry.name)
                    moved.append(entry.name)
            except BaseException:
                for name in moved:  # leave the folder empty, as it was
                    os.replace(target / name, self.staging / name)
                raise
            return
        old = _fresh(target, "old")
        try:
            os.replace(target, old / "export")
        except OSError:
            old.rmdir()
            raise
        try:
            os.replace(self.staging, target)
        except OSError:
            os.replace(old / "export", target)  # put the earlier export back
            old.rmdir()
            raise
        shutil.rmtree(old, ignore_errors=True)

    def path(self, *parts: str) -> Path:
        """staging/parts..., refused if it would leave the folder or collide by letter case."""
        target = self.staging.joinpath(*parts)
        shown = self.root.joinpath(*parts)
        resolved = target.resolve()
        if resolved == self._real or not resolved.is_relative_to(self._real):
            raise FormatError(f"{shown}: would be written outside {self.root}; refused")
        key = "/".join(parts).casefold()
        seen = self._taken.setdefault(key, "/".join(parts))
        if seen != "/".join(parts):
            raise FormatError(
                f"{shown}: {seen!r} and {'/'.join(parts)!r} differ only in letter case and "
                "would overwrite each other on some file systems"
            )
        return target

    def annotator_dir(self, annotator: str) -> Path:
        check_annotator(annotator, "annotator folder")
        folder = self.path(annotator)
        folder.mkdir(exist_ok=True)
        return folder

    def document_file(self, folder: Path, doc_id: str, suffix: str, prefix: str = "") -> Path:
        check_document_id(doc_id, "document file")
        parts = folder.relative_to(self.staging).parts
        return self.path(*parts, f"{prefix}{doc_id}{suffix}")


def _fresh(root: Path, kind: str) -> Path:
    """A new hidden folder beside ``root`` (same file system, so moves are renames)."""
    parent = root.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        folder = parent / f".{root.name}.{secrets.token_hex(4)}.{kind}"
        try:
            folder.mkdir()  # the user's umask applies, as to any folder they make
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name beside {root}")
