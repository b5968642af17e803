"""An alignment of two passages, and what the app does with one: map an annotation's
span or the cursor's offset through it, and look alignments up by (document, offset).

Mapping goes word by word: one to one through an exact copy, and through the words
difflib finds in common for a near-duplicate, whose changed words map nowhere. A span
that cannot be mapped is offered to the annotator, not copied.

Offsets are code points into each document's normalized text, spans half-open, like
every offset reader stores. Finding the alignments is :mod:`reader.core.align`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING, Any

from reader.core.text import snap_span

if TYPE_CHECKING:
    import regex

KINDS = ("exact", "near")


@cache
def word_pattern() -> regex.Pattern[str]:
    """Words (letters, marks, digits), compiled when a span is first mapped: importing
    ``regex`` at start-up would cost the first paint (tests/tui/test_startup.py)."""
    import regex

    return regex.compile(r"[\p{L}\p{M}\p{N}]+")


@dataclass(frozen=True)
class Passage:
    """[start, end) of one document's normalized text."""

    document: str
    start: int
    end: int

    def to_record(self) -> dict[str, Any]:
        return {"document": self.document, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Alignment:
    """Two passages that say the same thing; ``score`` is 1.0 for exact, Jaccard for near."""

    a: Passage
    b: Passage
    kind: str
    score: float

    def flipped(self) -> Alignment:
        """The same alignment seen from ``b``: handy to map from b to a."""
        return Alignment(self.b, self.a, self.kind, self.score)

    def to_record(self) -> dict[str, Any]:
        """The JSON shape of ``reader align --json``."""
        return {
            "a": self.a.to_record(),
            "b": self.b.to_record(),
            "kind": self.kind,
            "score": self.score,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Alignment:
        a, b = record["a"], record["b"]
        return cls(
            Passage(a["document"], int(a["start"]), int(a["end"])),
            Passage(b["document"], int(b["start"]), int(b["end"])),
            str(record["kind"]),
            float(record["score"]),
        )


# --- mapping through an alignment ------------------------------------------------------


def _passage_words(text: str, passage: Passage) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), m.group().casefold())
        for m in word_pattern().finditer(text, passage.start, passage.end)
    ]


def _word_pairs(alignment: Alignment, wa: list, wb: list) -> dict[int, int]:
    """Which word of b each word of a stands for: one to one when exact, else the words
    difflib finds in common (a near-duplicate's changed words map nowhere)."""
    if alignment.kind == "exact" and [w[2] for w in wa] == [w[2] for w in wb]:
        return {i: i for i in range(len(wa))}
    matcher = SequenceMatcher(None, [w[2] for w in wa], [w[2] for w in wb], autojunk=False)
    return {
        block.a + k: block.b + k
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }


def _map_edge(
    text_a: str, text_b: str, wa: list, wb: list, pairs: dict[int, int], offset: int, is_end: bool
) -> int | None:
    if is_end:
        i = max((k for k, w in enumerate(wa) if w[0] < offset), default=None)
    else:
        i = next((k for k, w in enumerate(wa) if w[1] > offset), None)
    if i is None or i not in pairs:
        return None
    (sa, ea, _), (sb, eb, _) = wa[i], wb[pairs[i]]
    if sa <= offset <= ea:  # inside the word: same distance from its start
        return min(sb + (offset - sa), eb)
    if is_end:  # in the gap after the word: keep the same punctuation if b has it
        tail = text_a[ea:offset]
        return eb + len(tail) if text_b.startswith(tail, eb) else eb
    head = text_a[offset:sa]
    return sb - len(head) if text_b.endswith(head, 0, sb) else sb


def _within(passage: Passage, start: int, end: int, text: str) -> bool:
    """[start, end) holds words, all of them inside the passage (its edges may reach
    into the punctuation around it: a sentence annotated with its full stop)."""
    if start >= end or end <= passage.start or start >= passage.end:
        return False
    outside = (text[start : passage.start], text[passage.end : end])
    return not any(word_pattern().search(part) for part in outside)


def map_span(
    alignment: Alignment, start: int, end: int, text_a: str, text_b: str
) -> tuple[int, int] | None:
    """Where [start, end) of ``alignment.a``'s passage stands in ``alignment.b``'s.

    ``text_a`` and ``text_b`` are the two documents' normalized texts. None when the span
    has a word outside the passage, or (near-duplicates) when an edge falls on a word that b
    does not share: those are offered to the annotator, not copied. To map from b to a,
    pass ``alignment.flipped()`` and the texts swapped.
    """
    if not _within(alignment.a, start, end, text_a):
        return None
    wa, wb = _passage_words(text_a, alignment.a), _passage_words(text_b, alignment.b)
    pairs = _word_pairs(alignment, wa, wb)
    mapped_start = _map_edge(text_a, text_b, wa, wb, pairs, start, False)
    mapped_end = _map_edge(text_a, text_b, wa, wb, pairs, end, True)
    if mapped_start is None or mapped_end is None or mapped_start >= mapped_end:
        return None
    return snap_span(text_b, mapped_start, mapped_end)


def map_offset(alignment: Alignment, offset: int, text_a: str, text_b: str) -> int | None:
    """The offset in b's passage matching ``offset`` in a's: where to scroll the other pane."""
    a = alignment.a
    if not a.start <= offset <= a.end:
        return None
    wa, wb = _passage_words(text_a, a), _passage_words(text_b, alignment.b)
    pairs = _word_pairs(alignment, wa, wb)
    for k in range(len(wa)):  # the first shared word at or after the offset
        if wa[k][1] > offset and k in pairs:
            mapped = _map_edge(text_a, text_b, wa, wb, pairs, max(offset, wa[k][0]), False)
            return None if mapped is None else snap_span(text_b, mapped, mapped)[0]
    return alignment.b.end if offset == a.end else None


# --- lookups for the app ---------------------------------------------------------------


class AlignmentIndex:
    """Alignments by (document, offset): side marks, "open the counterpart", propagation.

    Every alignment is held twice, once from each side, so ``.a`` of what a lookup
    returns is always the document asked about.
    """

    def __init__(self, alignments: Iterable[Alignment]):
        by_document: dict[str, list[Alignment]] = defaultdict(list)
        for alignment in alignments:
            by_document[alignment.a.document].append(alignment)
            by_document[alignment.b.document].append(alignment.flipped())
        self._sides: dict[str, list[Alignment]] = {}
        self._starts: dict[str, list[int]] = {}
        self._reach: dict[str, list[int]] = {}
        for document, sides in by_document.items():
            sides.sort(key=lambda r: (r.a.start, r.a.end, r.b.document, r.b.start))
            reach, furthest = [], -1
            for side in sides:
                furthest = max(furthest, side.a.end)
                reach.append(furthest)
            self._sides[document] = sides
            self._starts[document] = [s.a.start for s in sides]
            self._reach[document] = reach

    def for_document(self, document: str) -> list[Alignment]:
        """Every shared passage of a document, in text order."""
        return list(self._sides.get(document, ()))

    def overlapping(self, document: str, start: int, end: int) -> list[Alignment]:
        """Shared passages of ``document`` that overlap [start, end) (for side marks)."""
        sides = self._sides.get(document, [])
        k = bisect_right(self._starts.get(document, []), max(start, end - 1)) - 1
        found = []
        while k >= 0 and self._reach[document][k] > start:
            side = sides[k]
            if side.a.end > start and side.a.start < max(end, start + 1):
                found.append(side)
            k -= 1
        found.reverse()
        return found

    def at(self, document: str, offset: int) -> list[Alignment]:
        """Shared passages of ``document`` holding ``offset``, exact ones first."""
        found = self.overlapping(document, offset, offset + 1)
        return sorted(found, key=lambda r: (KINDS.index(r.kind), r.a.start))
