"""The annotation store: the only package that speaks SQL.

``database`` holds the Store (opening, closing, transactions), which takes its
documents, annotations, links, event-log, status and report methods from the modules
of those names; ``faults`` finds what is wrong with the file itself (not SQLite,
damaged, side files replaced); ``rows`` maps values to SQL rows, ``importer`` is the
bulk path, ``merge`` brings other databases in, ``migrations`` holds the schema steps
and runs them.
"""

from reader.core.store.database import Store
from reader.core.store.rows import (
    DocumentInfo,
    Event,
    ImportSummary,
    SpanRow,
    SyncSummary,
    content_of,
)

__all__ = [
    "DocumentInfo",
    "Event",
    "ImportSummary",
    "SpanRow",
    "Store",
    "SyncSummary",
    "content_of",
]
