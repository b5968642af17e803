"""Import and export in the formats peers use, without shifting a single offset.

One module per format, each with ``read`` and ``write`` (see ``registry`` for the
contract); ``registry.FORMATS`` lists them and what each can carry.
"""

from reader.core.formats.registry import (
    ARTICLES,
    FORMATS,
    ExportFilters,
    ExportSource,
    Format,
    FormatOptions,
    get_format,
    guess_format,
)

__all__ = [
    "ARTICLES",
    "FORMATS",
    "ExportFilters",
    "ExportSource",
    "Format",
    "FormatOptions",
    "get_format",
    "guess_format",
]
