"""The annotation store: the only package that speaks SQL.

``database`` holds the Store (opening, transactions, status, reports), which takes
its documents, annotations and event-log methods from the modules of those names;
``rows`` maps values to SQL rows, ``importer`` is the bulk path, ``merge`` brings
other databases in, ``migrations`` holds the schema steps.
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
