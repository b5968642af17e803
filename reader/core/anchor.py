"""Finding an annotation again when its document's text changes.

A span is moved only to a place where its exact covered text stands. When the old text
is known, the edit is first narrowed to one region (what lies before its common prefix
and after its common suffix is untouched): a span outside it keeps its place (shifted by
the length change if after it), and a span inside it may move only to a place inside
the new region, never to an occurrence of the same words that was already elsewhere in
the old text (the next "Ngày" of the article is another sentence, not this one). Among
several such places, the one whose surroundings best match the stored prefix and
suffix wins, then the one nearest the old offset; a tie that neither breaks leaves the
annotation orphaned. Orphaned is reported, never guessed: a wrong span is worse than a missing one
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


def _common_run(a: str, b: str, reverse: bool = False) -> int:
    """Length of the common prefix (or suffix) of two long texts, by halving: slice
    comparisons run in C, so a 10 MB article costs milliseconds."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        same = a[len(a) - mid :] == b[len(b) - mid :] if reverse else a[:mid] == b[:mid]
        low, high = (mid, high) if same else (low, mid - 1)
    return low


def changed_region(old_text: str, new_text: str) -> tuple[int, int]:
    """(common prefix, common suffix) lengths of two versions, never overlapping."""
    head = _common_run(old_text, new_text)
    tail = _common_run(old_text[head:], new_text[head:], reverse=True)
    return head, tail


def reanchor(
    new_text: str, covered: str, prefix: str, suffix: str, old_start: int,
    old_text: str | None = None, region: tuple[int, int] | None = None,
) -> tuple[int, int] | None:  # fmt: skip
    """New [start, end) of a span covering ``covered``, or None when it is orphaned.
    ``region`` is ``changed_region(old_text, new_text)``, computed once per document."""
    if not covered:
        return None
    old_end = old_start + len(covered)
    low, high = 0, len(new_text)  # where the span may land
    if old_text is not None and old_text[old_start:old_end] == covered:
        head, tail = region or changed_region(old_text, new_text)
        place = None
        if old_end <= head:
            place = old_start, old_end  # before the edit: untouched
        elif old_start >= len(old_text) - tail:
            shift = len(new_text) - len(old_text)
            place = old_start + shift, old_end + shift  # after it: moved by its length
        if place is not None and all(is_grapheme_boundary(new_text, o) for o in place):
            return place
        # An edge the edit joined to a character (a skin tone after 👍, a combining
        # accent) no longer bounds a cluster: look for the words as if they had moved.
        low, high = head, len(new_text) - tail  # the span must meet the edited part
        if place is not None:
            low, high = min(low, place[0]), max(high, place[1])
    candidates: list[int] = []
    pos = new_text.find(covered, max(0, low - len(covered) + 1))
    while pos != -1 and pos < high:
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
