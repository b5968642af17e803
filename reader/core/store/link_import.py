"""The links of an import: checked as they come, written once every annotation is in.

A link file names its ends by the file's own keys (a brat ``T3``) or by annotation ids,
and may name an annotation that comes later in the file, so links wait for the end of
the import. An end resolves to the annotation the import stored, or to the twin already
in the database when the import found the same span there under another id. A name that
resolves to nothing refuses the whole import: a link never dangles from a file.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from reader.core.errors import ValidationError
from reader.core.links.rules import check_link
from reader.core.links.values import LinkDraft, LinkType
from reader.core.model import check_annotator, check_origin, check_row_id, stable_id, usable_name
from reader.core.store.links import LINK_COLUMNS
from reader.core.times import check_timestamp, now

if TYPE_CHECKING:
    from reader.core.store.database import Store

#: (document, start, end, label, annotator): how a span is found again as a twin.
Content = tuple[str, int, int, str, str]


def extra_link_type(name: str) -> LinkType:
    """A link type an import added: any label to any label, in any documents."""
    return LinkType(name=name, title=name, key="", across_documents=True, extra=True)


class LinkImporter:
    def __init__(self, store: Store, *, source: str, add_labels: bool) -> None:
        self.store = store
        self.conn = store.conn
        self.source = source
        self.add_labels = add_labels
        self.keys: dict[str, tuple[str, Content]] = {}
        # Spans the import may have skipped as twins of stored ones, by the id they came with.
        self.candidates: dict[str, Content] = {}
        self.drafts: list[LinkDraft] = []

    def saw_annotation(self, key: str | None, where: str, row: tuple, search: bool) -> None:
        """Remember what a later link may call this annotation: its file's own ``key``,
        or its id when ``search`` (it may turn out to be a twin of a stored span);
        ``row`` as the importer stages it."""
        content = (row[1], row[3], row[4], row[8], row[11])
        if key is not None:  # (the importer calls this only for these two cases)
            known = self.keys.get(key)
            if known is not None and known[1] != content:
                raise ValidationError(f"{where}: {key!r} names two different annotations")
            self.keys[key] = (row[0], content)
        elif search:
            self.candidates[row[0]] = content

    def add(self, draft: LinkDraft) -> None:
        where = draft.where or self.source
        check_annotator(draft.annotator, f"{where}: annotator")
        check_origin(draft.origin, where)
        self._link_type(draft.type, where)
        for field, name in (("from", draft.source), ("to", draft.target)):
            if not isinstance(name, str) or not name:
                raise ValidationError(f"{where}: {field}: {name!r} names no annotation")
        self.drafts.append(draft)

    def _link_type(self, name: str, where: str) -> LinkType:
        schema = self.store.schema
        for link_type in schema.links:
            if link_type.name == name:
                return link_type
        if not self.add_labels:
            known = ", ".join(t.name for t in schema.links) or "none"
            raise ValidationError(
                f"{where}: type: unknown link type {name!r} (known: {known}; "
                "use --add-labels to add it)"
            )
        if not usable_name(name):
            raise ValidationError(f"{where}: type: {name!r} is not a usable link type name")
        self.conn.execute(
            "INSERT OR IGNORE INTO extra_link_types (name, added_at) VALUES (?, ?)", (name, now())
        )
        added = extra_link_type(name)
        self.store.schema = replace(schema, links=schema.links + (added,))
        return added

    def _resolve(self, name: str, field: str, where: str) -> str:
        known = self.keys.get(name)
        if known is not None:
            ann_id, content = known
        else:
            ann_id, content = name, self.candidates.get(name)
        stored = self.conn.execute("SELECT 1 FROM annotations WHERE id = ?", (ann_id,)).fetchone()
        if stored is not None:
            return ann_id
        if content is not None:
            twin = self.conn.execute(
                'SELECT id FROM annotations WHERE document = ? AND start = ? AND "end" = ? '
                "AND label = ? AND annotator = ? AND deleted_at IS NULL AND orphaned = 0 LIMIT 1",
                content,
            ).fetchone()
            if twin is not None:
                return twin[0]
        raise ValidationError(
            f"{where}: {field}: {name!r} names no annotation in this file or the database"
        )

    def finish(self, stamp: str) -> tuple[int, int]:
        """Write the links; returns (added, already there)."""
        added = unchanged = 0
        store = self.store
        for d in self.drafts:
            where = d.where or self.source
            link_type = self._link_type(d.type, where)
            source = store.annotation(self._resolve(d.source, "from", where))
            target = store.annotation(self._resolve(d.target, "to", where))
            ends = check_link(link_type, source, target, d.annotator, where)
            clean = store._check_link_fields(d.type, d.attributes, d.note, f"{where}: attributes")
            link_id = d.id or stable_id("link", d.type, *ends, d.annotator)
            check_row_id(link_id, "link", where)
            attributes = json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else "{}"
            content = (d.type, *ends, d.annotator, attributes, d.note)
            stored = self.conn.execute(
                "SELECT type, source, target, annotator, attributes, note FROM links WHERE id = ?",
                (link_id,),
            ).fetchone()
            if stored is not None:
                if tuple(stored) != content:
                    raise ValidationError(
                        f"{where}: id: link {link_id} is already stored with different content"
                    )
                unchanged += 1
                continue
            twin = self.conn.execute(
                "SELECT 1 FROM links WHERE type = ? AND source = ? AND target = ? AND annotator = ? "
                "AND deleted_at IS NULL LIMIT 1",
                (d.type, *ends, d.annotator),
            ).fetchone()
            if twin is not None:
                unchanged += 1
                continue
            created = (
                check_timestamp(d.created_at, f"{where}: created_at") if d.created_at else stamp
            )
            updated = (
                check_timestamp(d.updated_at, f"{where}: updated_at") if d.updated_at else created
            )
            self.conn.execute(
                f"INSERT INTO links ({LINK_COLUMNS}) VALUES ({', '.join('?' * 11)})",
                (link_id, d.type, *ends, attributes, d.note, d.annotator, d.origin, created,
                 updated, None),
            )  # fmt: skip
            added += 1
        return added, unchanged
