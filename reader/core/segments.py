"""Words and sentences: the units an annotator selects with one key.

A word is a run of letters, marks and digits, joined across one inner ``-``, ``'``,
``’``, ``.``, ``,``, ``/`` or ``:`` when a letter or digit follows, so that
``Almaty-Bishkek``, ``4.500``, ``8/1`` and ``10:30`` are each one word, while the
full stop that ends a sentence stays outside the word.

A sentence ends at ``.``, ``!``, ``?``, ``…`` or ``;`` followed by whitespace or the
end of the line, together with any closing quotes or brackets right after the mark
(``“Dừng lại!” Anh nói.`` is two sentences, the first ending after ``”``). A mark
inside an open quotation ("…", “…”, «…», „…“) never ends a sentence, so a quoted
passage of several sentences stays inside the sentence that quotes it. A line break
always ends a sentence and closes any quotation left open: articles are split into
paragraphs by lines, and one stray quote must not swallow the rest of the article.

Vietnamese writes a word as one or more syllables separated by spaces ("chính trị
gia" is one word). When a segmenter is loaded (:func:`load_words`: underthesea's
``word_tokenize``, the optional ``words`` extra), the syllables it joins into a word are
one word here too; until it is loaded, or without it, a word is a syllable. The
segmenter only joins: where a word begins and ends inside a syllable is still the rule
above, so offsets map back exactly. Its answer is cached by the text of the paragraph
(or of a ``WINDOW``-sized piece of a longer line), so a document version is segmented
once, an edited version again only where its paragraphs changed, and a passage shared
by two articles once for both.

Everything here looks at most ``WINDOW`` code points around the offset, so that a
10 MB article on a single line costs the same as a short one; a word or sentence
longer than the window is cut at its edge.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from reader.core.text import is_grapheme_boundary, snap_span

if TYPE_CHECKING:
    import regex

WINDOW = 4096


@cache
def _words() -> regex.Pattern[str]:
    """A syllable or a run joined by an apostrophe, hyphen, point, comma, slash or colon
    (``3.000``, ``COVID-19``), with ``regex``'s Unicode classes: compiled on first use,
    as importing ``regex`` would cost the first paint (tests/tui/test_startup.py)."""
    import regex

    return regex.compile(r"[\w\p{M}]+(?:['’\-.,/:][\w\p{M}]+)*")


_TERMINATORS = ".!?…;"
# Closing quotes and brackets that stay with the sentence they end: `(…).` and `“…!”`.
_CLOSERS = frozenset("\"'”’»“)]}")
# Each quotation mark that opens, with the mark that closes it. An ASCII '"' closes
# itself; „ closes with “ (German), so “ closes when „ is open and opens otherwise.
_OPENERS = {'"': '"', "“": "”", "«": "»", "„": "“"}
_MARKS = re.compile(r"[\"“”«»„.!?…;]")
TRIM = frozenset(" \t\u00a0\u2028\u2029\u3000,.;:\"'“”‘’«»„`")


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """[start, end) of the word under ``offset``, or ending right at it.

    The cursor sits *before* the character at ``offset``, so a cursor just after the
    last letter of a word still means that word. ``None`` on spaces and punctuation.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside text of length {len(text)}")
    before = None
    for start, end in _words_near(text, offset):
        if start > offset:
            break
        if start <= offset < end:
            return snap_span(text, start, end)
        if end == offset:
            before = (start, end)
    return snap_span(text, *before) if before else None


def next_word_end(text: str, offset: int) -> int:
    """The end of the word at or after ``offset``: where ctrl+right lands."""
    hi = min(len(text), offset + WINDOW)
    if _SEGMENTER.tokenize is None:
        match = _words().search(text, offset, hi)
        return hi if match is None else snap_span(text, match.start(), match.end())[1]
    while offset < hi:
        lo, chunk_end = _chunk(text, offset)
        for start, end in _segmented(text, lo, chunk_end):
            if end > offset:
                return snap_span(text, max(start, offset), end)[1]
        offset = max(chunk_end, offset + 1)
    return hi


def previous_word_start(text: str, offset: int) -> int:
    """The start of the word before ``offset``: where ctrl+left lands."""
    lo = max(0, offset - WINDOW)
    if _SEGMENTER.tokenize is None:
        start = lo
        for match in _words().finditer(text, lo, offset):
            start = match.start()
        return snap_span(text, start, start)[0]
    while offset > lo:
        chunk_start, chunk_end = _chunk(text, offset - 1)
        starts = [s for s, _ in _segmented(text, chunk_start, chunk_end) if s < offset]
        if starts:
            return snap_span(text, starts[-1], starts[-1])[0]
        offset = min(chunk_start, offset - 1)
    return lo


# -- words of several syllables ------------------------------------------------------------

_CACHE_SIZE = 4096  # paragraphs (or pieces of long lines) kept segmented
_CUT_SLACK = 256  # how far before a WINDOW multiple a long line's piece may end


class _Segmenter:
    """The loaded segmenter (``None``: syllables) and its answers by paragraph text."""

    def __init__(self) -> None:
        self.tokenize: Callable[[str], list[str]] | None = None
        self.state = "syllables"  # then "loading", and "words" or "unavailable"
        self.cache: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
        self.lock = threading.Lock()


_SEGMENTER = _Segmenter()


def load_words() -> bool:
    """Load the word segmenter (about a second: call it from a worker thread) and
    return whether words are now on. ``READER_WORDS=syllables`` keeps syllables."""
    if os.environ.get("READER_WORDS") == "syllables":
        return False
    with _SEGMENTER.lock:
        if _SEGMENTER.tokenize is not None:
            return True
        _SEGMENTER.state = "loading"
        try:
            from underthesea.pipeline.word_tokenize import word_tokenize
        except ImportError:
            _SEGMENTER.state = "unavailable"
            return False

        def tokenize(paragraph: str) -> list[str]:
            # No token normalisation: it rewrites accents ("hoà" to "hòa"), and the
            # words must be found again in the text as written.
            return word_tokenize(paragraph, use_token_normalize=False)

        tokenize("khởi động")  # the first call loads the model: pay for it here
        _SEGMENTER.cache.clear()
        _SEGMENTER.tokenize = tokenize
        _SEGMENTER.state = "words"
        return True


def unload_words() -> None:
    """Back to syllables (tests, and ``READER_WORDS=syllables`` after a load)."""
    with _SEGMENTER.lock:
        _SEGMENTER.tokenize = None
        _SEGMENTER.state = "syllables"
        _SEGMENTER.cache.clear()


def words_state() -> str:
    """``syllables``, ``loading``, ``words`` or ``unavailable`` (no segmenter installed)."""
    return _SEGMENTER.state


def _cut(text: str, mark: int) -> int:
    """Where a long line's piece ends near ``mark``: the last space before it, if close."""
    if mark >= len(text):
        return len(text)
    space = max(text.rfind(" ", mark - _CUT_SLACK, mark), text.rfind("\n", mark - _CUT_SLACK, mark))
    return space + 1 if space >= 0 else mark


def _chunk(text: str, offset: int) -> tuple[int, int]:
    """The line holding ``offset`` if it is at most ``WINDOW`` long; on a longer line,
    the piece of it between two fixed cuts. Either way the same text is always
    segmented in the same pieces, whichever offset asks."""
    lo, hi = max(0, offset - WINDOW - 1), min(len(text), offset + WINDOW + 1)
    line_start = text.rfind("\n", lo, offset) + 1 or (0 if lo == 0 else -1)
    line_end = text.find("\n", offset, hi)
    if line_end == -1 and hi == len(text):
        line_end = hi
    if line_start >= 0 and line_end >= 0 and line_end - line_start <= WINDOW:
        return line_start, line_end
    k = offset // WINDOW
    start, end = (_cut(text, k * WINDOW) if k else 0), _cut(text, (k + 1) * WINDOW)
    if offset >= end and end < len(text):
        start, end = end, _cut(text, (k + 2) * WINDOW)
    start = max(start, line_start)
    if 0 <= line_end < end:
        end = line_end
    return start, end


def _words_near(text: str, offset: int) -> list[tuple[int, int]]:
    """The words of the paragraph (or piece of a long line) around ``offset``, in order."""
    if _SEGMENTER.tokenize is None:
        lo, hi = max(0, offset - WINDOW), min(len(text), offset + WINDOW)
        return [m.span() for m in _words().finditer(text, lo, hi)]
    return _segmented(text, *_chunk(text, offset))


def _segmented(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The words in [lo, hi): its syllables, joined where the segmenter joins them."""
    piece = text[lo:hi]
    cache = _SEGMENTER.cache
    found = cache.get(piece)
    if found is None:
        found = _join(piece, _SEGMENTER.tokenize)
        cache[piece] = found
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(piece)
    return [(lo + s, lo + e) for s, e in found]


def _join(piece: str, tokenize: Callable[[str], list[str]] | None) -> tuple[tuple[int, int], ...]:
    """Syllables of ``piece``; consecutive ones separated only by spaces and inside one
    segmenter word become one word. Words the segmenter rewrote are skipped, not guessed."""
    syllables = [m.span() for m in _words().finditer(piece)]
    if tokenize is None or not syllables:
        return tuple(syllables)
    joined: list[tuple[int, int]] = []  # multi-syllable words, in order
    position = 0
    for word in tokenize(piece):
        parts = word.split()
        first = piece.find(parts[0], position)
        if first < 0:
            continue
        end = first + len(parts[0])
        for part in parts[1:]:
            at = piece.find(part, end)
            if at < 0 or piece[end:at].strip() or "\n" in piece[end:at]:
                end = -1
                break
            end = at + len(part)
        if end < 0:
            continue
        position = end
        if len(parts) > 1:
            joined.append((first, end))
    words: list[tuple[int, int]] = []
    k = 0
    for start, end in syllables:
        while k < len(joined) and joined[k][1] <= start:
            k += 1
        inside = k < len(joined) and joined[k][0] <= start and end <= joined[k][1]
        if (
            inside
            and words
            and words[-1][1] >= joined[k][0]
            and not piece[words[-1][1] : start].strip()
        ):
            words[-1] = (words[-1][0], end)
        else:
            words.append((start, end))
    return tuple(words)


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    """The line holding ``offset``, cut to ``WINDOW`` each side."""
    lo = max(0, offset - WINDOW)
    hi = min(len(text), offset + WINDOW)
    start = text.rfind("\n", lo, offset) + 1 or lo
    end = text.find("\n", offset, hi)
    return start, hi if end == -1 else end


def _quote(stack: list[str], char: str) -> None:
    """Track one quotation mark: close the innermost quotation or open a new one."""
    if stack and stack[-1] == char:
        stack.pop()
    elif char in _OPENERS:
        stack.append(_OPENERS[char])


def sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Offsets in (start, end] where a sentence ends; ``start`` must begin a paragraph."""
    ends: list[int] = []
    stack: list[str] = []
    for match in _MARKS.finditer(text, start, end):
        char = match.group()
        if char not in _TERMINATORS:
            _quote(stack, char)
            continue
        after = match.end()
        open_quotes = list(stack)
        while after < end and text[after] in _CLOSERS:
            if open_quotes and open_quotes[-1] == text[after]:
                open_quotes.pop()
            after += 1
        ends_here = not open_quotes and (after >= end or text[after].isspace())
        if ends_here and (not ends or ends[-1] != after):
            ends.append(after)
    return ends


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the sentence holding ``offset``, without surrounding spaces.

    At the end of a sentence (after its mark, before the space) the offset still
    belongs to that sentence. On an empty line the span is empty.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside text of length {len(text)}")
    para_start, para_end = _paragraph(text, offset)
    start = para_start
    end = para_end
    for boundary in sentence_ends(text, para_start, para_end):
        if boundary < offset:
            start = boundary
        else:
            end = boundary
            break
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return snap_span(text, start, end)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces, ``,.;:`` and quotes, as the propaganda corpus does.

    A character is only dropped when it is a whole grapheme cluster, so a stray mark
    on a quote keeps the quote. The result may be empty (``start == end``).
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) outside text of length {len(text)}")
    while start < end and text[start] in TRIM and is_grapheme_boundary(text, start + 1):
        start += 1
    while end > start and text[end - 1] in TRIM and is_grapheme_boundary(text, end - 1):
        end -= 1
    return start, end
