"""What ``reader stats`` prints: a whole database's contents in counts, for a person
or a script (JSON), with the orphaned annotations listed since each needs a look."""

from __future__ import annotations

from typing import Any

from reader.core.links.values import LINK_STATES


class Reports:
    """Part of Store: summaries over every table."""

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        labels = dict(
            q(
                "SELECT label, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY label ORDER BY label"
            )
        )
        annotators = dict(
            q(
                "SELECT annotator, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY annotator ORDER BY annotator"
            )
        )
        orphaned = [
            {
                "id": r[0],
                "document": r[1],
                "start": r[2],
                "end": r[3],
                "text": r[4],
                "annotator": r[5],
            }
            for r in q(
                'SELECT id, document, start, "end", text, annotator FROM annotations '
                "WHERE deleted_at IS NULL AND orphaned = 1 ORDER BY document, start"
            )
        ]
        status: dict[str, dict[str, str]] = {}
        for s in self.statuses():
            status.setdefault(s.document, {})[s.annotator] = s.status
        return {
            "database": str(self.path),
            "documents": [
                {
                    "id": d.id,
                    "version": d.version,
                    "length": d.length,
                    "sha256": d.sha256,
                    "status": status.get(d.id, {}),
                }
                for d in self.documents()
            ],
            "annotators": annotators,
            "labels": labels,
            "annotations": sum(labels.values()),
            "orphaned": orphaned,
            # Links by state: orphaned or dangling ones point at a span that lost its
            # text or was deleted, and are shown flagged, never silently moved.
            "links": {state: self.count_links(state=state) for state in LINK_STATES},
        }
