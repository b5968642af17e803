"""Passages shared between documents: copied runs of words and near-duplicate sentences.

News articles copy from each other (003 ends with the paragraph 004 begins with; 001
and 002 retell one RIA Novosti report). Two kinds of shared passage are found:

* ``exact``: a run of at least ``min_words`` (default 8) words that two documents share
  word for word. Words are compared case-folded, without punctuation or spacing, so a
  run survives a changed comma or capital.
* ``near``: two sentences whose 5-word shingle sets have a Jaccard similarity of at
  least ``near_threshold`` (default 0.5), e.g. a sentence with one word changed.

Time is near-linear in corpus size; nothing is compared all against all. Exact runs:
every ``min_words``-gram of every document is hashed, a set pass keeps the hashes found
in two documents or more, and only their places are paired and grown into maximal
runs. Near-duplicates: each sentence posts only its prefix of smallest shingle hashes
(prefix filtering: two sets with Jaccard >= t must share one), so sentences are only
measured against the few that share a prefix shingle. A key found in more than
``max_occurrences`` places is boilerplate and seeds nothing: a run that contains it is
still found (and grown across it) through its other n-grams, while one stock phrase in
10,000 articles cannot make 50 million pairs.

Offsets are code points into each document's normalized text, spans half-open, like
every offset reader stores. Alignments can be mapped through
(:func:`reader.core.alignmap.map_span`) to propagate an annotation to the counterpart
of its passage.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from reader.core.alignmap import (
    KINDS,
    Alignment,
    AlignmentIndex,
    Passage,
    map_offset,
    map_span,
    word_pattern,
)
from reader.core.errors import ValidationError
from reader.core.model import Document
from reader.core.segments import sentence_ends

# The values, the mapping and the index live in reader.core.alignmap; callers import the
# whole alignment API from here.
__all__ = [
    "KINDS",
    "MAX_OCCURRENCES",
    "MIN_WORDS",
    "NEAR_THRESHOLD",
    "SHINGLE",
    "Alignment",
    "AlignmentIndex",
    "Passage",
    "align",
    "map_offset",
    "map_span",
    "realign",
]

MIN_WORDS = 8
SHINGLE = 5
NEAR_THRESHOLD = 0.5
MAX_OCCURRENCES = 200


class _Vocabulary(dict):
    """Surface form -> id of its case-folded form; filled as words are first met."""

    def __init__(self) -> None:
        super().__init__()
        self.folded: dict[str, int] = {}

    def __missing__(self, word: str) -> int:
        number = self.folded.setdefault(word.casefold(), len(self.folded))
        self[word] = number
        return number


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    """Sentence spans covering the text; they only ever cut between words."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        cut = start
        for boundary in sentence_ends(text, start, end):
            yield cut, boundary
            cut = boundary
        if cut < end:
            yield cut, end
        start = end + 1


class _Words:
    """One document as word ids, with where each sentence starts (word index and offset)."""

    def __init__(self, document: Document, vocabulary: _Vocabulary):
        self.document = document
        self.ids = array("i")
        self.sentences = array("i")
        self.offsets = array("q")
        text, lookup = document.text, vocabulary.__getitem__
        for start, end in _sentences(text):
            words = word_pattern().findall(text, start, end)
            if words:
                self.sentences.append(len(self.ids))
                self.offsets.append(start)
                self.ids.extend(map(lookup, words))

    def shingles(self, lo: int = 0, hi: int | None = None, size: int = SHINGLE) -> list[int]:
        """Hashes of the word n-grams that lie in words [lo, hi)."""
        ids = self.ids[lo:hi]
        return list(map(hash, zip(*(ids[k:] for k in range(size)))))

    def sentence_bounds(self, k: int) -> tuple[int, int]:
        """[first, last + 1) word indices of sentence k."""
        end = self.sentences[k + 1] if k + 1 < len(self.sentences) else len(self.ids)
        return self.sentences[k], end

    def _word(self, index: int) -> tuple[int, int]:
        k = bisect_right(self.sentences, index) - 1
        lo = self.offsets[k]
        hi = self.offsets[k + 1] if k + 1 < len(self.offsets) else len(self.document.text)
        for n, match in enumerate(word_pattern().finditer(self.document.text, lo, hi)):
            if n == index - self.sentences[k]:
                return match.span()
        raise AssertionError("sentence cuts split a word")  # pragma: no cover

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Code point [start, end) covering words first..last - 1."""
        return self._word(first)[0], self._word(last - 1)[1]


def _check(documents: Sequence[Document], min_words: int, near_threshold: float) -> None:
    if min_words < SHINGLE:
        raise ValidationError(f"align: min_words must be at least {SHINGLE}, not {min_words}")
    if not 0 < near_threshold <= 1:
        raise ValidationError(f"align: near_threshold must be in (0, 1], not {near_threshold}")
    seen: set[str] = set()
    for document in documents:
        if document.id in seen:
            raise ValidationError(f"align: document {document.id!r} given twice")
        seen.add(document.id)


def _shared(
    items_of: Callable[[int], tuple[list[int], Sequence[int]]], count: int
) -> dict[int, list[tuple[int, int]]]:
    """(document, value) places of each key found in two documents or more.

    ``items_of(d)`` gives document d's keys and their values; it is called twice per
    document rather than kept, so only the shared keys' places are ever held.
    """
    seen: set[int] = set()
    shared: set[int] = set()
    for d in range(count):
        mine = set(items_of(d)[0])
        shared |= mine & seen
        seen |= mine
    del seen
    places: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for d in range(count):
        keys, values = items_of(d)
        common = shared.intersection(keys)
        if common:
            for key, value in zip(keys, values):
                if key in common:
                    places[key].append((d, value))
    return places


def _pairs(
    places: dict[int, list[tuple[int, int]]], limit: int, wanted: set[int] | None
) -> Iterator[tuple[int, int, int, int]]:
    """(dx, x, dy, y) for two places of one key in two documents, dx < dy."""
    for found in places.values():
        if len(found) > limit:
            continue
        for k, (dx, x) in enumerate(found):
            for dy, y in found[k + 1 :]:
                if dx != dy and (wanted is None or dx in wanted or dy in wanted):
                    yield dx, x, dy, y


def align(
    documents: Iterable[Document],
    *,
    min_words: int = MIN_WORDS,
    near_threshold: float = NEAR_THRESHOLD,
    max_occurrences: int = MAX_OCCURRENCES,
    only: Iterable[str] | None = None,
) -> list[Alignment]:
    """Shared passages between any two documents, ``a`` being the one with the lower id.

    With ``only``, just the alignments that involve one of those document ids: after
    some documents changed, keep the old alignments between unchanged documents and
    add ``align(all_documents, only=changed)`` (see :func:`realign`).
    """
    documents = sorted(documents, key=lambda d: d.id)
    _check(documents, min_words, near_threshold)
    vocabulary = _Vocabulary()
    docs = [_Words(d, vocabulary) for d in documents]
    only_ids = None if only is None else set(only)
    wanted = None if only_ids is None else {i for i, d in enumerate(documents) if d.id in only_ids}

    def grams(d: int) -> tuple[list[int], Sequence[int]]:
        keys = docs[d].shingles(size=min_words)
        return keys, range(len(keys))

    places = _shared(grams, len(docs))
    seeds = sorted((dx, dy, y - x, x) for dx, x, dy, y in _pairs(places, max_occurrences, wanted))
    del places
    exact = _exact_runs(docs, seeds, min_words)
    near = _near_sentences(docs, near_threshold, exact, max_occurrences, wanted)
    result = []
    for dx, ax, bx, dy, ay, by, kind, score in exact + near:
        a = Passage(documents[dx].id, *docs[dx].span(ax, bx))
        b = Passage(documents[dy].id, *docs[dy].span(ay, by))
        result.append(Alignment(a, b, kind, score))
    result.sort(key=lambda r: (r.a.document, r.b.document, r.a.start, r.b.start, r.kind))
    return result


_Found = tuple[int, int, int, int, int, int, str, float]


def _exact_runs(
    docs: list[_Words], seeds: list[tuple[int, int, int, int]], min_words: int
) -> list[_Found]:
    """Grow each shared n-gram along its diagonal to the maximal run of equal words.

    Seeds come sorted by (dx, dy, diagonal, position), so a seed inside the run found
    just before it on the same diagonal is skipped: each run is walked once.
    """
    runs: list[_Found] = []
    covered_key, covered_end = None, -1
    for dx, dy, diagonal, px in seeds:
        key = (dx, dy, diagonal)
        if key == covered_key and px < covered_end:
            continue
        ia, ib = docs[dx].ids, docs[dy].ids
        start = px
        while start > 0 and start + diagonal > 0 and ia[start - 1] == ib[start - 1 + diagonal]:
            start -= 1
        end = px
        while end < len(ia) and end + diagonal < len(ib) and ia[end] == ib[end + diagonal]:
            end += 1
        if end - start >= min_words:  # shorter only on a hash collision
            runs.append((dx, start, end, dy, start + diagonal, end + diagonal, "exact", 1.0))
        covered_key, covered_end = key, max(end, px + 1)
    return runs


def _near_sentences(
    docs: list[_Words], threshold: float, exact: list[_Found], limit: int, wanted: set[int] | None
) -> list[_Found]:
    """Sentence pairs with shingle Jaccard >= threshold, by prefix filtering.

    Two sets with Jaccard >= t share at least one of each set's n - ceil(t n) + 1
    smallest hashes (Chaudhuri et al. 2006), so only those are posted: every such pair
    becomes a candidate, and each candidate is then measured exactly.
    """
    sizes: dict[tuple[int, int], int] = {}

    def prefixes(d: int) -> tuple[list[int], list[int]]:
        keys: list[int] = []
        values: list[int] = []
        shingles = docs[d].shingles()
        for k in range(len(docs[d].sentences)):
            lo, hi = docs[d].sentence_bounds(k)
            ordered = sorted(set(shingles[lo : max(lo, hi - SHINGLE + 1)]))
            if ordered:
                sizes[(d, k)] = len(ordered)
                keep = len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1
                keys += ordered[:keep]
                values += [k] * keep
        return keys, values

    candidates = {
        pair
        for pair in _pairs(_shared(prefixes, len(docs)), limit, wanted)
        # Jaccard >= t needs t <= |A| / |B| <= 1 / t
        if threshold * sizes[(pair[0], pair[1])] <= sizes[(pair[2], pair[3])]
        and threshold * sizes[(pair[2], pair[3])] <= sizes[(pair[0], pair[1])]
    }
    sets: dict[tuple[int, int], frozenset[int]] = {}

    def shingle_set(d: int, k: int) -> frozenset[int]:
        if (d, k) not in sets:
            lo, hi = docs[d].sentence_bounds(k)
            sets[(d, k)] = frozenset(docs[d].shingles(lo, hi))
        return sets[(d, k)]

    inside: dict[tuple[int, int], list[_Found]] = defaultdict(list)
    for run in exact:
        inside[(run[0], run[3])].append(run)
    found: list[_Found] = []
    for dx, kx, dy, ky in sorted(candidates):
        a, b = shingle_set(dx, kx), shingle_set(dy, ky)
        score = len(a & b) / len(a | b)
        if score < threshold:
            continue
        (sa, ea), (sb, eb) = docs[dx].sentence_bounds(kx), docs[dy].sentence_bounds(ky)
        if any(r[1] <= sa and ea <= r[2] and r[4] <= sb and eb <= r[5] for r in inside[(dx, dy)]):
            continue  # the whole sentence is inside an exact run already
        found.append((dx, sa, ea, dy, sb, eb, "near", round(score, 4)))
    return found


def realign(
    previous: Iterable[Alignment],
    documents: Sequence[Document],
    changed: Iterable[str],
    **options: Any,
) -> list[Alignment]:
    """The alignments of a corpus after ``changed`` documents were added, edited or removed,
    recomputing only the pairs that involve a changed document."""
    changed = set(changed)
    present = {d.id for d in documents}
    kept = [
        r
        for r in previous
        if r.a.document in present
        and r.b.document in present
        and r.a.document not in changed
        and r.b.document not in changed
    ]
    fresh = align(documents, only=changed & present, **options) if changed & present else []
    result = kept + fresh
    result.sort(key=lambda r: (r.a.document, r.b.document, r.a.start, r.b.start, r.kind))
    return result
