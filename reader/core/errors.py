"""Errors a user can act on.

Each carries a message that names the file, line or offset and what is wrong; the
command line prints it as one line and exits 1, the app shows it as a notification.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error caused by input or state a user controls."""


class DecodeError(ReaderError):
    """A file is not valid UTF-8 (or is otherwise not text)."""


class CorpusError(ReaderError):
    """One or more article files were refused; `problems` lists every one."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} files refused, nothing imported:\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(message)


class SchemaError(ReaderError):
    """A label schema file is malformed."""


class ValidationError(ReaderError):
    """An annotation or value breaks the schema or the text (offsets, labels, attributes)."""


class StoreError(ReaderError):
    """The database cannot be used as asked (newer schema, corrupt, read-only)."""


class BusyError(StoreError):
    """Another connection held the write lock longer than this one would wait: nothing
    was written, and the same write may be tried again later."""


class NotFoundError(ReaderError):
    """A document or annotation id that does not exist."""


class ConflictError(ReaderError):
    """The data changed under an action (e.g. undo of an annotation someone edited since)."""


class FormatError(ReaderError):
    """An import file is malformed; the message names file, line and field."""


class TwinError(ConflictError):
    """The annotator already has a live mark on this span with this label (the twin
    rule, ``Store._refuse_twin``): a second would count twice everywhere."""


class NothingToTagError(ValidationError):
    """A label key found no span: nothing selected and no word at the cursor."""


class InputPathError(ReaderError):
    """An input path leads outside what the user named, or is not a regular file."""
