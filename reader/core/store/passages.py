"""Shared passages between documents, stored per version of each text.

Aligning a corpus costs seconds at 10,000 articles; opening the app must not. The
passages are kept with the SHA-256 of both texts, and each aligned text is recorded,
so after a corpus sync only documents whose text is new are aligned again (against
all the others); pairs of unchanged texts keep their stored passages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.align import MIN_WORDS, NEAR_THRESHOLD, Alignment, Passage, align
from reader.core.errors import BusyError

if TYPE_CHECKING:
    from reader.core.store.database import Store


@dataclass(frozen=True)
class Aligned:
    """A corpus's shared passages, and what the cache lacks of them (``cache_passages``
    writes it): finding them only reads, so a thread can do it on a connection of its
    own, and the one short write can go through the connection the annotator's tags
    use, never making a tag wait for the app's own worker."""

    alignments: list[Alignment]
    passages: list[tuple] = field(default_factory=list)  # rows of the passages table
    aligned: list[tuple] = field(default_factory=list)  # rows of aligned_pairs


def find_passages(
    store: Store, *, min_words: int = MIN_WORDS, near_threshold: float = NEAR_THRESHOLD
) -> Aligned:
    """Every shared passage of the current corpus, aligning only what changed; reads
    only."""
    settings = json.dumps({"min_words": min_words, "near_threshold": near_threshold})
    infos = store.documents()
    sha_of = {d.id: d.sha256 for d in infos}
    seen = {
        row[0]
        for row in store.conn.execute(
            "SELECT a_sha256 FROM aligned_pairs WHERE b_sha256 = '*' AND settings = ?", (settings,)
        )
    }
    changed = [d.id for d in infos if d.sha256 not in seen]
    kept = [
        Alignment(Passage(r[0], r[2], r[3]), Passage(r[4], r[6], r[7]), r[8], r[9])
        for r in store.conn.execute(
            'SELECT a_document, a_sha256, a_start, a_end, b_document, b_sha256, b_start, b_end, kind, score '
            "FROM passages"
        )
        if sha_of.get(r[0]) == r[1] and sha_of.get(r[4]) == r[5]
        and r[0] not in changed and r[4] not in changed
    ]  # fmt: skip
    if not changed:
        return Aligned(sorted(kept, key=_order))
    documents = [store.document(d.id) for d in infos]
    fresh = align(documents, min_words=min_words, near_threshold=near_threshold, only=changed)
    return Aligned(
        sorted(kept + fresh, key=_order),
        [(a.a.document, sha_of[a.a.document], a.a.start, a.a.end,
          a.b.document, sha_of[a.b.document], a.b.start, a.b.end, a.kind, a.score) for a in fresh],
        [(sha_of[doc_id], settings) for doc_id in changed],
    )  # fmt: skip


def cache_passages(store: Store, found: Aligned) -> None:
    """Store what ``find_passages`` aligned afresh, so the next start reads it. While
    an import holds the database it is left for next time: the passages stand."""
    if not found.aligned:
        return
    try:
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", found.passages
            )
            store.conn.executemany(
                "INSERT OR IGNORE INTO aligned_pairs VALUES (?, '*', ?)", found.aligned
            )
    except BusyError:
        pass


def shared_passages(
    store: Store, *, min_words: int = MIN_WORDS, near_threshold: float = NEAR_THRESHOLD
) -> list[Alignment]:
    """Every shared passage of the current corpus, the cache filled on the way."""
    found = find_passages(store, min_words=min_words, near_threshold=near_threshold)
    cache_passages(store, found)
    return found.alignments


def _order(a: Alignment) -> tuple:
    return (a.a.document, a.a.start, a.b.document, a.b.start, a.kind)
