"""Documents and their versions; a changed text re-anchors the annotations made on it."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from reader.core.corpus import CorpusFile
from reader.core.errors import NotFoundError
from reader.core.model import Document, check_document_id, context
from reader.core.store.rows import (
    _COLUMNS,
    DocumentInfo,
    SyncSummary,
    _row_to_annotation,
)
from reader.core.times import now

if TYPE_CHECKING:  # the formats package loads with the first export, not at start-up
    from reader.core.formats.destinations import Protected


class Documents:
    """Part of Store; relies on its connection, transaction() and schema."""

    def documents(self) -> list[DocumentInfo]:
        rows = self.conn.execute(
            "SELECT id, sha256, version, length(text), source, meta FROM documents d "
            "WHERE version = (SELECT max(version) FROM documents WHERE id = d.id) ORDER BY id"
        )
        return [DocumentInfo(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def openings(self, length: int = 120) -> dict[str, str]:
        """The first characters of each document's latest text: ids are file names, and
        people tell articles apart by how they begin."""
        rows = self.conn.execute(
            "SELECT id, substr(text, 1, ?) FROM documents d "
            "WHERE version = (SELECT max(version) FROM documents WHERE id = d.id) ORDER BY id",
            (length,),
        )
        return {r[0]: r[1].split("\n", 1)[0] for r in rows}

    def document(self, doc_id: str, version: int | None = None) -> Document:
        sql = "SELECT id, text, sha256, source, meta, version, added_at FROM documents WHERE id = ?"
        args: tuple = (doc_id,)
        if version is not None:
            sql += " AND version = ?"
            args += (version,)
        row = self.conn.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchone()
        if row is None:
            raise NotFoundError(f"no document {doc_id!r} in {self.path}")
        return Document(
            row[0], row[1], row[2], row[3], MappingProxyType(json.loads(row[4])), row[5], row[6]
        )

    def text_head(self, doc_id: str, size: int) -> tuple[str, str, int, bool]:
        """(start of the latest text, its SHA-256, its version, whether that start is all
        of it): the first ``size`` bytes of ``doc_id``'s text, cut after a whole code point.

        Read through SQLite's blob handle, which reads only those bytes: a pane draws
        the first screen of a 10 MB article from its start and reads the whole text
        after the first frame (decoding 10 MB costs 30-80 ms, the start under 1 ms)."""
        row = self.conn.execute(
            "SELECT rowid, sha256, version FROM documents WHERE id = ? "
            "ORDER BY version DESC LIMIT 1",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document {doc_id!r} in {self.path}")
        with self.conn.blobopen("documents", "text", row[0], readonly=True) as blob:
            whole = len(blob) <= size
            data = blob.read(size)
        # An incremental decoder leaves a code point cut in two for later: dropped here.
        start = codecs.getincrementaldecoder("utf-8")().decode(data, final=whole)
        return start, row[1], row[2], whole

    def _latest_text(self, doc_id: str) -> tuple[str, str] | None:
        cached = self._texts.get(doc_id)
        if cached is None:
            row = self.conn.execute(
                "SELECT sha256, text FROM documents WHERE id = ? ORDER BY version DESC LIMIT 1",
                (doc_id,),
            ).fetchone()
            if row is None:
                return None
            cached = self._texts[doc_id] = (row[0], row[1])
        return cached

    def sync_documents(
        self, documents: Iterable[Document], files: Mapping[str, CorpusFile] | None = None
    ) -> SyncSummary:
        """Add new documents, skip unchanged ones, version changed ones and re-anchor;
        remember the corpus files they were read from (by document id in ``files``).
        Nothing to sync writes nothing: a start-up with an unchanged corpus needs no
        transaction (nor the damage check that comes before a write)."""
        documents = list(documents)
        if not documents and not files:
            return self._sync([])
        with self.transaction():
            summary = self._sync(documents)
            for doc in documents:
                file = (files or {}).get(doc.id)
                if file is not None:
                    self.conn.execute(
                        "INSERT OR REPLACE INTO corpus_files (path, size, mtime_ns, document, sha256) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (file.path, file.size, file.mtime_ns, doc.id, doc.sha256),
                    )
            return summary

    def protected_paths(self) -> Protected:
        """What an export must never write over: this database and its side files, every
        article file it has read (corpus files and imported ``.txt`` sources), and the
        corpus folders."""
        from reader.core.formats.destinations import Protected

        corpus = [row[0] for row in self.conn.execute("SELECT path FROM corpus_files")]
        sources = [
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT source FROM documents WHERE source LIKE '%.txt'"
            )
        ]
        folders = {str(Path(p).parent) for p in corpus}
        return Protected.build(self.path, [*corpus, *sources], folders)

    def corpus_files(self) -> dict[str, CorpusFile]:
        """Corpus files as last read, by resolved path, for those whose text is still the
        latest version of their document (so an imported newer version makes the file
        be read and compared again)."""
        rows = self.conn.execute(
            "SELECT path, size, mtime_ns FROM corpus_files f WHERE sha256 = (SELECT sha256 FROM "
            "documents d WHERE d.id = f.document ORDER BY version DESC LIMIT 1)"
        )
        return {path: CorpusFile(path, size, mtime) for path, size, mtime in rows}

    def _sync(self, documents: Iterable[Document]) -> SyncSummary:
        added, unchanged, versioned = [], [], []
        moved = orphaned = 0
        for doc in documents:
            check_document_id(doc.id, doc.source or "document")
            row = self.conn.execute(
                "SELECT sha256, version FROM documents WHERE id = ? ORDER BY version DESC LIMIT 1",
                (doc.id,),
            ).fetchone()
            if row and row[0] == doc.sha256:
                unchanged.append(doc.id)
                continue
            version = row[1] + 1 if row else 1
            self.conn.execute(
                "INSERT INTO documents (id, version, sha256, text, source, meta, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc.id, version, doc.sha256, doc.text, doc.source,
                 json.dumps(dict(doc.meta), ensure_ascii=False), doc.added_at or now()),
            )  # fmt: skip
            self._texts[doc.id] = (doc.sha256, doc.text)
            if row:
                versioned.append(doc.id)
                m, o = self._reanchor_document(doc)
                moved, orphaned = moved + m, orphaned + o
            else:
                added.append(doc.id)
        return SyncSummary(tuple(added), tuple(unchanged), tuple(versioned), moved, orphaned)

    def _reanchor_document(self, doc: Document) -> tuple[int, int]:
        from reader.core.anchor import changed_region, reanchor  # only a changed text needs it

        moved = orphaned = 0
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE document = ? AND deleted_at IS NULL "
            "AND (document_sha256 != ? OR orphaned = 1)",  # orphans may fit again (a revert)
            (doc.id, doc.sha256),
        ).fetchall()
        versions: dict[str, tuple[str | None, tuple[int, int] | None]] = {}
        for old in map(_row_to_annotation, rows):
            if old.document_sha256 not in versions:  # the text it was made on, and the edit
                found = self.conn.execute(
                    "SELECT text FROM documents WHERE id = ? AND sha256 = ? LIMIT 1",
                    (doc.id, old.document_sha256),
                ).fetchone()
                region = changed_region(found[0], doc.text) if found else None
                versions[old.document_sha256] = (found[0] if found else None, region)
            old_text, region = versions[old.document_sha256]
            place = reanchor(
                doc.text, old.text, old.prefix, old.suffix, old.start, old_text, region
            )
            if place is None:
                if old.orphaned:
                    continue
                new = replace(old, orphaned=True, updated_at=now())
                orphaned += 1
            else:
                prefix, suffix = context(doc.text, *place)
                new = replace(
                    old, start=place[0], end=place[1], prefix=prefix, suffix=suffix,
                    document_sha256=doc.sha256, orphaned=False, updated_at=now(),
                )  # fmt: skip
                moved += place != (old.start, old.end) or old.orphaned  # not counted: kept in place
            self._write(old, new, "reanchor", session="system", annotator="system")
        return moved, orphaned
