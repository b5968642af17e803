"""Reading and writing links: each write checked by the link rules, then one row and one
event, exactly as annotations are kept (tombstones, the event log, undo across restarts).

A link's state is read, never stored: it is ``live`` while both ends are live and
anchored, ``orphaned`` while an end has lost its place in a changed text, ``dangling``
while an end is deleted. Undoing the deletion of a span therefore brings its links back,
and nothing can leave a link silently pointing at words that moved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from reader.core.errors import ConflictError, NotFoundError, ValidationError
from reader.core.links.rules import check_link
from reader.core.links.values import Link, LinkEnd
from reader.core.model import ORIGINS, new_id
from reader.core.store.rows import MAX_NOTE
from reader.core.times import now

LINK_COLUMNS = (
    "id, type, source, target, attributes, note, annotator, origin, created_at, updated_at, "
    "deleted_at"
)
_L = ", ".join(f"l.{c.strip()}" for c in LINK_COLUMNS.split(","))
# A link's state from its ends' rows (s: source, t: target).
_STATE = (
    "CASE WHEN s.deleted_at IS NOT NULL OR t.deleted_at IS NOT NULL THEN 'dangling' "
    "WHEN s.orphaned = 1 OR t.orphaned = 1 THEN 'orphaned' ELSE 'live' END"
)
_JOIN = "FROM links l JOIN annotations s ON s.id = l.source JOIN annotations t ON t.id = l.target"


def row_to_link(row: tuple) -> Link:
    return Link(
        id=row[0], type=row[1], source=row[2], target=row[3],
        attributes=MappingProxyType({} if row[4] == "{}" else json.loads(row[4])),
        note=row[5], annotator=row[6], origin=row[7], created_at=row[8], updated_at=row[9],
        deleted_at=row[10],
    )  # fmt: skip


def link_row(link: Link) -> tuple:
    return (
        link.id, link.type, link.source, link.target,
        json.dumps(dict(link.attributes), ensure_ascii=False, sort_keys=True), link.note,
        link.annotator, link.origin, link.created_at, link.updated_at, link.deleted_at,
    )  # fmt: skip


def _dump(link: Link | None) -> str | None:
    return (
        None if link is None else json.dumps(link.to_record(), ensure_ascii=False, sort_keys=True)
    )


def link_content(link: Link) -> tuple:
    """What a link says, without when: undo checks and merges compare this."""
    return (
        link.type, link.source, link.target, link.annotator,
        json.dumps(dict(link.attributes), sort_keys=True), link.note, link.deleted_at is not None,
    )  # fmt: skip


class Links:
    """Part of Store; relies on its connection, transaction(), schema and annotations."""

    def link(self, link_id: str) -> Link:
        row = self.conn.execute(
            f"SELECT {LINK_COLUMNS} FROM links WHERE id = ?", (link_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no link {link_id}")
        return row_to_link(row)

    def link_state(self, link_id: str) -> str:
        row = self.conn.execute(f"SELECT {_STATE} {_JOIN} WHERE l.id = ?", (link_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no link {link_id}")
        return row[0]

    def iter_links(
        self,
        *,
        annotator: str | None = None,
        document: str | None = None,
        type: str | None = None,
        states: tuple[str, ...] = ("live",),
        include_deleted: bool = False,
    ) -> Iterator[Link]:
        """Links in a stable order (type, source, target, id). By default only live links
        between live, anchored ends; ``document`` keeps links with an end in it."""
        where, args = [f"{_STATE} IN ({', '.join('?' * len(states))})"], list(states)
        if not include_deleted:
            where.append("l.deleted_at IS NULL")
        for column, value in (("l.annotator", annotator), ("l.type", type)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if document is not None:
            where.append("(s.document = ? OR t.document = ?)")
            args += [document, document]
        cursor = self.conn.execute(
            f"SELECT {_L} {_JOIN} WHERE {' AND '.join(where)} "
            "ORDER BY l.type, l.source, l.target, l.id",
            args,
        )
        return map(row_to_link, cursor)

    def iter_link_ends(
        self, *, annotator: str | None = None
    ) -> Iterator[tuple[Link, str, str, str, str]]:
        """Live links with their ends' documents and labels: (link, source document,
        source label, target document, target label), what exports filter on."""
        where, args = [f"l.deleted_at IS NULL AND {_STATE} = 'live'"], []
        if annotator is not None:
            where.append("l.annotator = ?")
            args.append(annotator)
        cursor = self.conn.execute(
            f"SELECT {_L}, s.document, s.label, t.document, t.label {_JOIN} "
            f"WHERE {' AND '.join(where)} ORDER BY l.source, l.type, l.target, l.id",
            args,
        )
        for row in cursor:
            yield row_to_link(row[:11]), row[11], row[12], row[13], row[14]

    def link_tuples(self) -> Iterator[tuple]:
        """Live links as plain (annotator, type, source document, start, end, label,
        target document, start, end, label) tuples: what link agreement compares."""
        return self.conn.execute(
            'SELECT l.annotator, l.type, s.document, s.start, s."end", s.label, t.document, '
            f"t.start, t.\"end\", t.label {_JOIN} WHERE l.deleted_at IS NULL AND {_STATE} = 'live' "
            "ORDER BY l.annotator, l.type, l.id"
        )

    def links_of(self, annotation_id: str) -> list[LinkEnd]:
        """The links of one annotation that are not deleted, each with its other end:
        what the status line shows at the cursor. Orphaned or dangling links are included
        with their state, so a screen can flag them."""
        rows = self.conn.execute(
            f"SELECT {_L}, {_STATE} {_JOIN} WHERE l.deleted_at IS NULL AND "
            "(l.source = ?1 OR l.target = ?1) ORDER BY l.type, l.created_at, l.id",
            (annotation_id,),
        ).fetchall()
        ends = []
        for row in rows:
            link = row_to_link(row[:11])
            other = self.annotation(link.other(annotation_id))
            ends.append(
                LinkEnd(
                    link=link,
                    other_id=other.id,
                    other_document=other.document,
                    other_start=other.start,
                    other_end=other.end,
                    other_text=other.text,
                    other_label=other.label,
                    outgoing=link.source == annotation_id,
                    state=row[11],
                )
            )
        return ends

    def count_links(self, *, state: str = "live") -> int:
        return self.conn.execute(
            f"SELECT count(*) {_JOIN} WHERE l.deleted_at IS NULL AND {_STATE} = ?", (state,)
        ).fetchone()[0]

    # -- writing links --------------------------------------------------------------------

    def _check_link_fields(
        self, type_name: str, attributes: Mapping[str, Any], note: str, where: str = ""
    ) -> dict:
        prefix = f"{where}: " if where else ""
        try:
            clean = self.schema.check_link_attributes(type_name, attributes)
        except ValidationError as exc:
            raise ValidationError(f"{prefix}{exc}") from None
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ValidationError(f"{prefix}note must be text of at most {MAX_NOTE} characters")
        return clean

    def _refuse_link_twin(self, link: Link) -> None:
        twin = self.conn.execute(
            "SELECT 1 FROM links WHERE type = ? AND source = ? AND target = ? AND annotator = ? "
            "AND deleted_at IS NULL AND id != ? LIMIT 1",
            (link.type, link.source, link.target, link.annotator, link.id),
        ).fetchone()
        if twin is not None:
            raise ConflictError(f"these two annotations are already linked {link.type}")

    def _write_link(
        self, before: Link | None, after: Link, action: str, *, reverts: str | None = None
    ) -> None:
        """Write the row and its event in the caller's transaction."""
        self._open_session()
        row = link_row(after)
        if before is None:
            self.conn.execute(
                f"INSERT INTO links ({LINK_COLUMNS}) VALUES ({', '.join('?' * 11)})", row
            )
        else:
            self.conn.execute(
                "UPDATE links SET type=?, source=?, target=?, attributes=?, note=?, annotator=?, "
                "origin=?, created_at=?, updated_at=?, deleted_at=? WHERE id=?",
                row[1:] + (after.id,),
            )
        self.conn.execute(
            "INSERT INTO events (id, annotation, action, before, after, annotator, session, at, "
            "reverts, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'link')",
            (new_id(), after.id, action, _dump(before), _dump(after), self.annotator, self.session,
             now(), reverts),
        )  # fmt: skip
        self._session_written = True

    def create_link(
        self,
        source: str,
        target: str,
        type: str,
        *,
        attributes: Mapping[str, Any] | None = None,
        note: str = "",
        origin: str = "manual",
    ) -> Link:
        """Link two annotations; returns the link once it is durably committed."""
        if origin not in ORIGINS:
            raise ValidationError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
        with self.transaction():
            link_type = self.schema.link_type(type)
            ends = check_link(
                link_type, self.annotation(source), self.annotation(target), self.annotator
            )
            clean = self._check_link_fields(type, attributes or {}, note)
            stamp = now()
            link = Link(
                id=new_id(), type=type, source=ends[0], target=ends[1], annotator=self.annotator,
                attributes=MappingProxyType(clean), note=note, origin=origin,
                created_at=stamp, updated_at=stamp,
            )  # fmt: skip
            self._refuse_link_twin(link)
            self._write_link(None, link, "create")
        return link

    def update_link(
        self, link_id: str, *, attributes: Mapping[str, Any] | None = None, note: str | None = None
    ) -> Link:
        """Change a link's attributes (the whole set) or note."""
        with self.transaction():
            old = self.link(link_id)
            if old.deleted_at is not None:
                raise ConflictError(f"link {link_id} was deleted")
            new_attrs = old.attributes if attributes is None else attributes
            new_note = old.note if note is None else note
            clean = self._check_link_fields(old.type, new_attrs, new_note)
            new = replace(old, attributes=MappingProxyType(clean), note=new_note, updated_at=now())
            if link_content(new) != link_content(old):
                self._write_link(old, new, "update")
        return new

    def delete_link(self, link_id: str) -> Link:
        """Tombstone a link: it stays in the database and the log, hidden from views."""
        with self.transaction():
            old = self.link(link_id)
            if old.deleted_at is not None:
                return old
            stamp = now()
            new = replace(old, deleted_at=stamp, updated_at=stamp)
            self._write_link(old, new, "delete")
        return new

    def _restore_link(self, event_id: str, target: Link, expected: Link, action: str) -> Link:
        """Put a link back to ``target`` if it still is ``expected`` (undo and redo)."""
        current = self.link(target.id)
        if link_content(current) != link_content(expected):
            raise ConflictError(f"link {target.id} changed since; nothing was undone")
        new = replace(target, updated_at=now())
        if new.deleted_at is None:
            self._refuse_link_twin(new)
        self._write_link(current, new, action, reverts=event_id)
        return new
