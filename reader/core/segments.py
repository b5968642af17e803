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

Everything here looks at most ``WINDOW`` code points around the offset, so that a
10 MB article on a single line costs the same as a short one; a word or sentence
longer than the window is cut at its edge.
"""

from __future__ import annotations

import regex

from reader.core.text import is_grapheme_boundary, snap_span

WINDOW = 4096

_WORD = regex.compile(r"[\w\p{M}]+(?:['’\-.,/:][\w\p{M}]+)*")
_TERMINATORS = ".!?…;"
# Closing quotes and brackets that stay with the sentence they end: `(…).` and `“…!”`.
_CLOSERS = frozenset("\"'”’»“)]}")
# Each quotation mark that opens, with the mark that closes it. An ASCII '"' closes
# itself; „ closes with “ (German), so “ closes when „ is open and opens otherwise.
_OPENERS = {'"': '"', "“": "”", "«": "»", "„": "“"}
_MARKS = regex.compile(r"[\"“”«»„.!?…;]")
TRIM = frozenset(" \t\u00a0\u2028\u2029\u3000,.;:\"'“”‘’«»„`")


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """[start, end) of the word under ``offset``, or ending right at it.

    The cursor sits *before* the character at ``offset``, so a cursor just after the
    last letter of a word still means that word. ``None`` on spaces and punctuation.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside text of length {len(text)}")
    lo = max(0, offset - WINDOW)
    hi = min(len(text), offset + WINDOW)
    before = None
    for match in _WORD.finditer(text, lo, hi):
        if match.start() > offset:
            break
        if match.start() <= offset < match.end():
            return snap_span(text, match.start(), match.end())
        if match.end() == offset:
            before = (match.start(), match.end())
    return snap_span(text, *before) if before else None


def next_word_end(text: str, offset: int) -> int:
    """The end of the word at or after ``offset``: where ctrl+right lands."""
    hi = min(len(text), offset + WINDOW)
    match = _WORD.search(text, offset, hi)
    if match is None:
        return hi
    return snap_span(text, match.start(), match.end())[1]


def previous_word_start(text: str, offset: int) -> int:
    """The start of the word before ``offset``: where ctrl+left lands."""
    lo = max(0, offset - WINDOW)
    start = lo
    for match in _WORD.finditer(text, lo, offset):
        start = match.start()
    return snap_span(text, start, start)[0]


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
