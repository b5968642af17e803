"""Shared passages between documents, stored per version of each text.

Aligning a corpus costs seconds at 10,000 articles; opening the app must not. The
passages are kept with the SHA-256 of both texts, and each aligned text is recorded,
so after a corpus sync only documents whose text is new are aligned again (against
all the others); pairs of unchanged texts keep their stored passages.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reader.core.align import MIN_WORDS, NEAR_THRESHOLD, Alignment, Passage, align
from reader.core.errors import BusyError

if TYPE_CHECKING:
    from reader.core.store.database import Store


def shared_passages(
    store: Store, *, min_words: int = MIN_WORDS, near_threshold: float = NEAR_THRESHOLD
) -> list[Alignment]:
    """Every shared passage of the current corpus, aligning only what changed."""
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
        return sorted(kept, key=_order)
    documents = [store.document(d.id) for d in infos]
    fresh = align(documents, min_words=min_words, near_threshold=near_threshold, only=changed)
    try:
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.a.document, sha_of[a.a.document], a.a.start, a.a.end,
                  a.b.document, sha_of[a.b.document], a.b.start, a.b.end, a.kind, a.score) for a in fresh],
            )  # fmt: skip
            store.conn.executemany(
                "INSERT OR IGNORE INTO aligned_pairs VALUES (?, '*', ?)",
                [(sha_of[doc_id], settings) for doc_id in changed],
            )
    except BusyError:
        pass  # an import holds the database: the cache is filled next time, the passages stand
    return sorted(kept + fresh, key=_order)


def _order(a: Alignment) -> tuple:
    return (a.a.document, a.a.start, a.b.document, a.b.start, a.kind)
