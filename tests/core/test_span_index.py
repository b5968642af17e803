"""SpanIndex: overlap queries by bisection, kept by inserts and removals (a tag among
100k spans must not rebuild it)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.span_index import SpanIndex


def test_span_index_finds_overlaps_without_scanning_everything():
    rng = random.Random(7)
    spans = []
    for n in range(5000):
        start = rng.randrange(100_000)
        spans.append((str(n), start, start + rng.randint(1, 80)))
    spans.append(("long", 10, 90_000))
    index = SpanIndex(spans)
    for lo in range(0, 100_000, 997):
        hi = lo + 50
        expected = sorted(s for s in spans if s[1] < hi and s[2] > lo)
        assert sorted(index.overlapping(lo, hi)) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 300)), max_size=300),
    st.lists(st.tuples(st.booleans(), st.integers(0, 2000), st.integers(1, 300)), max_size=200),
)
def test_span_index_kept_by_inserts_and_removals_answers_as_one_built_afresh(initial, changes):
    """Tag and undo update the index in place; it must answer exactly as a new one would."""
    spans = [(f"s{n}", start, start + length) for n, (start, length) in enumerate(initial)]
    spans.sort(key=lambda s: s[1:])  # as the store gives them: by (start, end)
    index = SpanIndex(spans)
    live = list(spans)
    for n, (add, start, length) in enumerate(changes):
        if add or not live:
            span = (f"c{n}", start, start + length)
            index.insert(span)
            live.append(span)
        else:
            gone = live.pop(start % len(live))
            assert index.remove(gone[0], gone[1]) == gone
    assert index.remove("no such id", 5) is None
    fresh = SpanIndex(live)
    for lo in range(0, 2400, 37):
        hi = lo + 40
        expected = sorted(s for s in live if s[1] < hi and s[2] > lo)
        assert sorted(index.overlapping(lo, hi)) == expected == sorted(fresh.overlapping(lo, hi))
    assert index.starts == sorted(index.starts) and len(index) == len(live)
    # The same order as an index of spans given in (start, end) order, as the store
    # gives them: overlapping spans then stack on the same layers either way.
    assert [s[1:] for s in index.spans] == sorted(s[1:] for s in live)
