"""Finding an annotation again when its document's text changes.

A span is moved only to a place where its exact covered text stands. Among several
such places, the one whose surroundings best match the stored prefix and suffix wins,
then the one nearest the old offset; a tie that neither breaks leaves the annotation
orphaned. Orphaned is reported, never guessed: a wrong span is worse than a missing one
for a corpus people will cite.
"""

from __future__ import annotations

from reader.core.text import is_grapheme_boundary

#: Beyond this many occurrences of the covered text, the choice is too weak to trust.
MAX_CANDIDATES = 10_000


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def reanchor(
    new_text: str, covered: str, prefix: str, suffix: str, old_start: int
) -> tuple[int, int] | None:
    """New [start, end) of a span covering ``covered``, or None when it is orphaned."""
    if not covered:
        return None
    candidates: list[int] = []
    pos = new_text.find(covered)
    while pos != -1:
        end = pos + len(covered)
        if is_grapheme_boundary(new_text, pos) and is_grapheme_boundary(new_text, end):
            candidates.append(pos)
            if len(candidates) > MAX_CANDIDATES:
                return None
        pos = new_text.find(covered, pos + 1)
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0], candidates[0] + len(covered)

    def context_score(start: int) -> int:
        before = new_text[max(0, start - len(prefix)) : start]
        after = new_text[start + len(covered) : start + len(covered) + len(suffix)]
        return _common_suffix(before, prefix) + _common_prefix(after, suffix)

    scored = [(context_score(s), s) for s in candidates]
    best = max(score for score, _ in scored)
    tied = [s for score, s in scored if score == best]
    tied.sort(key=lambda s: abs(s - old_start))
    if len(tied) > 1 and abs(tied[0] - old_start) == abs(tied[1] - old_start):
        return None
    return tied[0], tied[0] + len(covered)
