"""Vietnamese words of several syllables (issue 19, item 1): `w`, ctrl+left/right and
"tag the word under the cursor" see "chính trị gia", not "chính"."""

from __future__ import annotations

import builtins
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import segments
from reader.core.segments import (
    WINDOW,
    load_words,
    next_word_end,
    previous_word_start,
    word_at,
    words_state,
)
from reader.core.text import is_grapheme_boundary, normalize

SENTENCE = (
    "Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn, "
    "trong đó có một chính trị gia 😀 người Almaty-Bishkek."
)


def word(text: str, needle: str, inside: int = 1) -> str | None:
    found = word_at(text, text.index(needle) + inside)
    return None if found is None else text[found[0] : found[1]]


def all_words(text: str) -> list[str]:
    found, offset = [], 0
    while (end := next_word_end(text, offset)) > offset:
        span = word_at(text, end)
        if span is None:
            break
        found.append(text[span[0] : span[1]])
        offset = end
    return found


def test_without_the_segmenter_a_word_is_a_syllable():
    assert words_state() == "syllables"
    assert word(SENTENCE, "chính") == "chính"


def test_words_join_syllables_the_segmenter_joins(words):
    assert words_state() == "words"
    assert word(SENTENCE, "chính") == "chính trị gia"
    assert word(SENTENCE, "trị") == "chính trị gia"
    assert word(SENTENCE, "lượng") == "Lực lượng"
    assert all_words(SENTENCE)[:8] == [
        "Lực lượng", "an ninh", "Kazakhstan", "bắt giữ", "khoảng", "4.500", "kẻ", "bạo loạn",
    ]  # fmt: skip
    # What the syllable rule keeps whole stays whole; emoji and commas stay outside.
    assert word(SENTENCE, "Almaty-Bishkek") == "Almaty-Bishkek"
    assert word(SENTENCE, "😀", 0) is None


def test_ctrl_right_and_left_land_on_word_edges(words):
    start = SENTENCE.index("chính trị gia")
    end = start + len("chính trị gia")
    assert next_word_end(SENTENCE, start + 1) == end
    assert previous_word_start(SENTENCE, end) == start
    assert previous_word_start(SENTENCE, start + 3) == start


def test_offsets_map_back_exactly_through_extra_spaces_and_lines(words):
    text = normalize("bạo   loạn\r\nchính trị\r\ngia")  # CRLF becomes \n; lines never join
    assert word(text, "loạn") == "bạo   loạn"
    assert word(text, "gia") == "gia"
    nfd = unicodedata.normalize("NFD", "Lực lượng an ninh")
    span = word_at(nfd, 1)
    assert span is not None and is_grapheme_boundary(nfd, span[0])
    assert is_grapheme_boundary(nfd, span[1])


def test_a_paragraph_is_segmented_once_and_shared_by_equal_paragraphs(words, monkeypatch):
    calls = []
    tokenize = segments._SEGMENTER.tokenize
    monkeypatch.setattr(segments._SEGMENTER, "tokenize", lambda p: calls.append(p) or tokenize(p))
    text = f"{SENTENCE}\nMở đầu.\n{SENTENCE}"
    for needle in ("chính", "bạo", "lượng"):
        word(text, needle)
    assert calls == [SENTENCE]
    word(text, "Mở")
    assert calls == [SENTENCE, "Mở đầu."]
    second = text.rindex("chính")
    assert text[slice(*word_at(text, second))] == "chính trị gia"
    assert len(calls) == 2  # the same paragraph in another place (or document)


def test_a_long_line_is_cut_into_the_same_pieces_from_any_offset(words):
    text = (SENTENCE + " ") * (3 * WINDOW // len(SENTENCE))
    pieces = {segments._chunk(text, k) for k in range(0, len(text), 97)}
    for start, end in pieces:
        assert 0 <= start < end <= len(text) and end - start <= WINDOW + 1
        assert all(segments._chunk(text, k) == (start, end) for k in range(start, end, 211))
    k = text.index("chính", 2 * WINDOW)
    assert text[slice(*word_at(text, k))] == "chính trị gia"


def test_missing_segmenter_keeps_syllables(monkeypatch):
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith("underthesea"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delenv("READER_WORDS")
    monkeypatch.setattr(builtins, "__import__", refuse)
    assert load_words() is False
    assert words_state() == "unavailable"
    assert word(SENTENCE, "chính") == "chính"


def test_reader_words_syllables_keeps_syllables():
    assert load_words() is False  # the autouse fixture set READER_WORDS=syllables
    assert word(SENTENCE, "chính") == "chính"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            ["chính", "trị", "gia", "bạo", "loạn", " ", "  ", "\n", ", ", "😀", "4.500"]
        ),
        max_size=30,
    ),
    st.data(),
)
def test_words_are_inside_the_text_on_grapheme_boundaries(words, pieces, data):
    text = "".join(pieces)
    offset = data.draw(st.integers(0, len(text)))
    span = word_at(text, offset)
    if span is not None:
        start, end = span
        assert start <= offset <= end and text[start:end].strip() == text[start:end]
        assert "\n" not in text[start:end]
        assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    assert offset <= next_word_end(text, offset) <= len(text)
    assert 0 <= previous_word_start(text, offset) <= offset
