"""An annotator's queue: the documents they were assigned, in the order to work on them.

Assigned documents come first, those not yet done before those done, each group in id
order; documents not assigned to them follow (still reachable, never hidden). Someone
with no assignment at all has no queue: every document is simply in id order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.store import Store


@dataclass(frozen=True)
class Queue:
    """What an annotator should do next, and how far they are."""

    assigned: tuple[str, ...]  # undone first, then done
    done: frozenset[str]  # assigned documents they marked done
    others: tuple[str, ...]  # every other document, in id order

    @property
    def order(self) -> tuple[str, ...]:
        """Every document, queue first: what the app opens and the picker lists."""
        return self.assigned + self.others

    @property
    def active(self) -> bool:
        """Whether the annotator has assignments at all."""
        return bool(self.assigned)

    @property
    def finished(self) -> bool:
        return self.active and len(self.done) == len(self.assigned)

    def is_assigned(self, document: str) -> bool:
        return document in self.assigned

    def summary(self) -> str:
        """'3 of 12 done', or '' without assignments."""
        return f"{len(self.done)} of {len(self.assigned)} done" if self.active else ""

    def next_undone(self, current: str | None = None) -> str | None:
        """The next assigned document not done, after ``current`` in queue order and
        wrapping round; None when no other one is left."""
        undone = [d for d in self.assigned if d not in self.done]
        if current in undone:
            at = undone.index(current)
            undone = undone[at + 1 :] + undone[:at]
        return undone[0] if undone else None


def queue_of(store: Store, annotator: str | None = None) -> Queue:
    """The queue of ``annotator`` (default: the store's) in ``store``."""
    name = annotator or store.annotator
    documents = store.document_ids()
    mine = set(store.assigned_documents(name))
    done = set(store.done_documents(name))
    undone = [d for d in documents if d in mine and d not in done]
    finished = [d for d in documents if d in mine and d in done]
    return Queue(
        assigned=tuple(undone + finished),
        done=frozenset(finished),
        others=tuple(d for d in documents if d not in mine),
    )
