"""Spans as the agreement measures see them, and the sweeps that turn them into counts.

Every measure here is computed from sums of interval lengths, never from per-character
arrays: a document's characters fall into a few runs between span boundaries, and each
run contributes its length at once. Sorting the boundaries and walking them once (a
sweep) costs what the spans cost, so an empty 10 MB article costs O(1).

Categories are kept as sorted tuples of labels (``()`` is outside any span, ``O``); only
the report turns them into names (``"A+B"``), so a label containing ``+`` never confuses
a measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from reader.core.errors import ValidationError

#: The label every span gets when labels are ignored (span identification).
ANY_LABEL = "*"

#: The name of the category of characters outside every span.
OUTSIDE = "O"

Category = tuple[str, ...]
Piece = tuple[int, int, str]  # start, end, label
Segment = tuple[int, int, Category]  # start, end, the labels covering it
Pattern = tuple[Category | None, ...]  # one category per annotator; None: missing
Unit = tuple[int, int]  # start, end of one merged unit of one category


class Span(NamedTuple):
    """One live annotation as agreement needs it.

    A NamedTuple rather than a dataclass: a corpus report reads a million of these, and
    a tuple is what the store yields anyway.
    """

    annotator: str
    document: str
    start: int
    end: int
    label: str


def as_span(item: Any) -> Span:
    """Accept ``(annotator, document, start, end, label)`` tuples, mappings with those
    keys (sqlite-utils rows) or objects with those attributes (``model.Annotation``)."""
    if isinstance(item, Mapping):
        try:
            return Span(*(item[key] for key in Span._fields))
        except KeyError as exc:
            raise ValidationError(f"a span row has no {exc.args[0]!r}: {dict(item)!r}") from None
    if isinstance(item, tuple):
        if len(item) != 5:
            raise ValidationError(
                f"a span must be (annotator, document, start, end, label); got {len(item)} fields"
            )
        return Span(*item)
    try:
        return Span(item.annotator, item.document, item.start, item.end, item.label)
    except AttributeError as exc:
        raise ValidationError(f"not a span: {item!r} ({exc})") from None


def category_name(category: Category | None) -> str | None:
    """``()`` -> ``"O"``; ``("A", "B")`` -> ``"A+B"``; missing stays ``None``."""
    if category is None:
        return None
    return "+".join(category) if category else OUTSIDE


def group_spans(
    spans: Iterable[Any],
    documents: Mapping[str, int],
    *,
    labels: frozenset[str] | None = None,
    only_documents: frozenset[str] | None = None,
    ignore_labels: bool = False,
) -> tuple[dict[str, dict[str, list[Piece]]], set[str]]:
    """Spans by document, then annotator, as sorted ``(start, end, label)``; and every
    annotator seen (before the document and label filters, so a filter never changes who
    is compared).

    Offsets are checked against the document length: a span past the end means the
    document changed under it, and a silent clip would hide that.
    """
    flat: dict[tuple[str, str], list[Piece]] = {}
    seen: set[str] = set()
    add_seen = seen.add
    lookup = documents.get
    bucket_of = flat.get
    for item in spans:
        if type(item) is tuple and len(item) == 5:
            annotator, document, start, end, label = item
        else:
            annotator, document, start, end, label = as_span(item)
        add_seen(annotator)
        length = lookup(document)
        if length is None:
            raise ValidationError(
                f"span {start}-{end} by {annotator!r} refers to unknown document {document!r}"
            )
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            raise ValidationError(
                f"document {document!r}: span {start!r}-{end!r} by {annotator!r} is not a "
                f"non-empty range inside the document's {length} code points"
            )
        if only_documents is not None and document not in only_documents:
            continue
        if labels is not None and label not in labels:
            continue
        if ignore_labels:
            label = ANY_LABEL
        key = (document, annotator)
        bucket = bucket_of(key)
        if bucket is None:
            flat[key] = [(start, end, label)]
        else:
            bucket.append((start, end, label))
    grouped: dict[str, dict[str, list[Piece]]] = {}
    for (document, annotator), pieces in flat.items():
        pieces.sort()
        by_annotator = grouped.get(document)
        if by_annotator is None:
            grouped[document] = {annotator: pieces}
        else:
            by_annotator[annotator] = pieces
    return grouped, seen


def own_segments(pieces: Sequence[Piece]) -> list[Segment]:
    """One annotator's coverage of one document as non-overlapping runs, each with the
    sorted set of labels covering it. Where two of their spans overlap, the run carries
    both labels (the category ``A+B``); the same label twice counts once.

    Spans that overlap nothing are runs as they are; only a cluster of overlapping
    spans goes through the boundary sweep."""
    runs: list[Segment] = []
    cluster: list[Piece] = []
    cluster_end = -1
    for piece in sorted(pieces):
        if piece[0] < cluster_end:
            cluster.append(piece)
            cluster_end = max(cluster_end, piece[1])
            continue
        if len(cluster) == 1:
            start, end, label = cluster[0]
            runs.append((start, end, (label,)))
        elif cluster:
            runs.extend(_sweep(cluster))
        cluster = [piece]
        cluster_end = piece[1]
    if len(cluster) == 1:
        start, end, label = cluster[0]
        runs.append((start, end, (label,)))
    elif cluster:
        runs.extend(_sweep(cluster))
    return runs


def _sweep(cluster: list[Piece]) -> list[Segment]:
    """Runs of a cluster of overlapping spans: walk their sorted boundaries, keeping the
    labels open at each point."""
    events = sorted(
        [(start, 1, label) for start, _, label in cluster]
        + [(end, -1, label) for _, end, label in cluster]
    )
    active: dict[str, int] = {}
    runs: list[Segment] = []
    previous = 0
    i, n = 0, len(events)
    while i < n:
        position = events[i][0]
        if active and position > previous:
            key = tuple(sorted(active))
            if runs and runs[-1][1] == previous and runs[-1][2] == key:
                runs[-1] = (runs[-1][0], position, key)
            else:
                runs.append((previous, position, key))
        while i < n and events[i][0] == position:
            _, delta, label = events[i]
            count = active.get(label, 0) + delta
            if count:
                active[label] = count
            else:
                del active[label]
            i += 1
        previous = position
    return runs


def joint_counts(coverage: Sequence[list[Segment] | None], length: int) -> dict[Pattern, int]:
    """How many characters of a document have each combination of categories, one entry
    per annotator (``None`` where that annotator's data is missing).

    The sweep: every run boundary of every annotator, sorted; between two consecutive
    boundaries each annotator's category is constant, so the stretch adds its length to
    one pattern. Characters outside all boundaries are all ``O``.
    """
    outside: Pattern = tuple(None if runs is None else () for runs in coverage)
    points = sorted({p for runs in coverage if runs for s, e, _ in runs for p in (s, e)})
    if len(points) < 2:
        return {outside: length} if length else {}
    index = {p: k for k, p in enumerate(points)}
    width = len(points) - 1
    columns: list[list[Category | None]] = []
    for runs in coverage:
        if runs is None:
            columns.append([None] * width)
            continue
        column: list[Category | None] = [()] * width
        for start, end, key in runs:
            first, last = index[start], index[end]
            if last - first == 1:
                column[first] = key
            else:
                column[first:last] = [key] * (last - first)
        columns.append(column)
    counts: dict[Pattern, int] = {}
    get = counts.get
    for left, right, pattern in zip(points, points[1:], zip(*columns)):
        counts[pattern] = get(pattern, 0) + right - left
    rest = length - (points[-1] - points[0])
    if rest:
        counts[outside] = get(outside, 0) + rest
    return counts


def add_counts(total: dict[Pattern, int], part: Mapping[Pattern, int]) -> None:
    """Sum pattern counts in place (documents add up: characters are independent items)."""
    get = total.get
    for pattern, n in part.items():
        total[pattern] = get(pattern, 0) + n


def label_patterns(counts: Mapping[Pattern, int], label: str) -> dict[Pattern, int]:
    """The same characters seen through one label: each category becomes ``(label,)`` if
    it contains the label, else ``()`` (binary L/O); missing stays missing."""
    projected: dict[Pattern, int] = {}
    get = projected.get
    yes: Category = (label,)
    for pattern, n in counts.items():
        key = tuple(None if c is None else (yes if label in c else ()) for c in pattern)
        projected[key] = get(key, 0) + n
    return projected


def pair_counts(counts: Mapping[Pattern, int], i: int, j: int) -> dict[tuple, int]:
    """The characters as two annotators (positions ``i`` and ``j``) categorized them:
    the confusion matrix of that pair, as ``{(category_i, category_j): n}``."""
    matrix: dict[tuple, int] = {}
    get = matrix.get
    for pattern, n in counts.items():
        a, b = pattern[i], pattern[j]
        if a is None or b is None:
            continue
        key = (a, b)
        matrix[key] = get(key, 0) + n
    return matrix


def merged_units(pieces: Iterable[Piece]) -> dict[str, list[Unit]]:
    """Per label, one annotator's spans with overlapping ones merged into one, sorted.

    Both the SemEval-2020 Task 11 scorer and Krippendorff's alpha_U need an annotator's
    units of one category not to overlap. Spans that only touch (one ends where the
    next begins) share no character and stay two units, as in the scorer.
    """
    by_label: dict[str, list[Unit]] = {}
    for start, end, label in sorted(pieces):  # by start: each label's units in order
        units = by_label.get(label)
        if units is None:
            by_label[label] = [(start, end)]
        elif start < units[-1][1]:
            if end > units[-1][1]:
                units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
    return by_label


def overlap_walk(units_a: Sequence[Unit], units_b: Sequence[Unit]) -> tuple[int, float, float]:
    """Walk two annotators' units of one category in one document (each sorted and free
    of overlaps, as ``merged_units`` gives them) and sum, over every overlapping pair:

    - ``(b_a - b_b)^2 + (e_a - e_b)^2``, plus ``l^2`` for each unit that overlaps nothing
      of the other side (it lies inside a gap there): the unordered-pair part of
      Krippendorff's alpha_U observed disagreement;
    - ``|a & b| / |b|`` and ``|a & b| / |a|``: the SemEval-2020 Task 11 precision and
      recall numerators when ``a`` is the reference and ``b`` the candidate.

    Both measures look at the same pairs, so one walk serves both. Two pointers suffice:
    whichever unit ends first cannot overlap anything later on the other side.
    """
    squares = 0
    over_b = 0.0
    over_a = 0.0
    na, nb = len(units_a), len(units_b)
    hit_a = hit_b = False  # whether the current unit on each side overlapped anything
    i = j = 0
    while i < na and j < nb:
        sa, ea = units_a[i]
        sb, eb = units_b[j]
        low = sa if sa > sb else sb  # noqa: FURB136 - a call costs more in this loop
        high = ea if ea < eb else eb  # noqa: FURB136
        if low < high:
            common = high - low
            over_b += common / (eb - sb)
            over_a += common / (ea - sa)
            squares += (sa - sb) * (sa - sb) + (ea - eb) * (ea - eb)
            hit_a = hit_b = True
        if ea <= eb:
            if not hit_a:
                squares += (ea - sa) * (ea - sa)
            i += 1
            hit_a = False
        if eb <= ea:
            if not hit_b:
                squares += (eb - sb) * (eb - sb)
            j += 1
            hit_b = False
    for start, end in units_a[i + 1 if hit_a else i :]:
        squares += (end - start) * (end - start)
    for start, end in units_b[j + 1 if hit_b else j :]:
        squares += (end - start) * (end - start)
    return squares, over_b, over_a
