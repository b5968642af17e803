"""The annotation store: the only package that speaks SQL.

``database`` holds the Store (opening, migrations, single actions, the event log),
``importer`` the bulk path, ``migrations`` the schema steps.
"""

from reader.core.store.database import (
    DocumentInfo,
    Event,
    ImportSummary,
    Store,
    SyncSummary,
    content_of,
)

__all__ = ["DocumentInfo", "Event", "ImportSummary", "Store", "SyncSummary", "content_of"]
