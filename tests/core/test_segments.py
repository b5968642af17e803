"""Word and sentence selection, and the trimming of tagged spans."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.core.segments import (
    next_word_end,
    previous_word_start,
    sentence_at,
    trim_span,
    word_at,
)
from reader.core.text import is_grapheme_boundary

VI = "Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn."


def words(text: str, offset: int) -> str | None:
    span = word_at(text, offset)
    return None if span is None else text[span[0] : span[1]]


def sentence(text: str, offset: int) -> str:
    start, end = sentence_at(text, offset)
    return text[start:end]


def test_word_under_cursor_in_vietnamese():
    offset = VI.index("lượng") + 2
    assert words(VI, offset) == "lượng"
    assert word_at(VI, offset) == (4, 9)


def test_word_just_before_cursor_counts_as_under_it():
    offset = VI.index("lượng") + len("lượng")
    assert words(VI, offset) == "lượng"


def test_no_word_on_punctuation_between_spaces():
    text = "a - b"
    assert word_at(text, 2) is None


def test_numbers_dates_and_compounds_are_one_word():
    text = "Ngày 8/1, 4.500 người ở Almaty-Bishkek lúc 10:30."
    for token in ("8/1", "4.500", "Almaty-Bishkek", "10:30"):
        assert words(text, text.index(token) + 1) == token
    # the full stop that ends the sentence is not part of the last word
    assert words(text, len(text) - 2) == "10:30"


def test_word_keeps_combining_marks_in_nfd_text():
    text = unicodedata.normalize("NFD", "Việt Nam")
    span = word_at(text, 1)
    assert text[span[0] : span[1]] == unicodedata.normalize("NFD", "Việt")


def test_word_movement_lands_on_word_edges():
    assert next_word_end(VI, 0) == 3  # "Lực"
    assert next_word_end(VI, 3) == 9  # from the end of a word: the next one
    assert previous_word_start(VI, 9) == 4
    assert previous_word_start(VI, 6) == 4  # inside a word: its start
    assert previous_word_start(VI, 0) == 0
    assert next_word_end(VI, len(VI)) == len(VI)


def test_sentences_end_at_marks_followed_by_space():
    text = "Một. Hai! Ba? Bốn… Năm; sáu."
    assert sentence(text, 0) == "Một."
    assert sentence(text, text.index("Hai")) == "Hai!"
    assert sentence(text, text.index("Ba")) == "Ba?"
    assert sentence(text, text.index("Bốn")) == "Bốn…"
    assert sentence(text, text.index("Năm")) == "Năm;"
    assert sentence(text, text.index("sáu")) == "sáu."


def test_decimal_point_does_not_end_a_sentence():
    assert sentence(VI, 5) == VI


def test_sentence_never_splits_inside_a_quotation():
    text = "Anh nói: “Tôi đi. Bạn ở lại.” Rồi anh đi."
    assert sentence(text, text.index("Bạn")) == "Anh nói: “Tôi đi. Bạn ở lại.”"
    assert sentence(text, text.index("Rồi")) == "Rồi anh đi."
    ascii_quotes = 'He said "Stop. Now." Then left.'
    assert sentence(ascii_quotes, 12) == 'He said "Stop. Now."'
    guillemets = "Ông nói «Xong. Hết.» Rồi về."
    assert sentence(guillemets, 2) == "Ông nói «Xong. Hết.»"


def test_quoted_exclamation_ends_with_its_closing_quote():
    text = "“Dừng lại!” Anh nói."
    assert sentence(text, 1) == "“Dừng lại!”"
    assert sentence(text, len(text) - 1) == "Anh nói."


def test_line_break_ends_sentence_and_closes_stray_quote():
    text = "Dòng “không đóng. Vẫn vậy\nDòng hai. Ba."
    assert sentence(text, 0) == "Dòng “không đóng. Vẫn vậy"
    assert sentence(text, text.index("Dòng hai")) == "Dòng hai."


def test_cursor_after_the_mark_belongs_to_that_sentence():
    text = "Một. Hai."
    assert sentence(text, 4) == "Một."


def test_empty_line_has_an_empty_sentence():
    text = "A.\n\nB."
    start, end = sentence_at(text, 3)
    assert start == end


def test_trim_drops_spaces_punctuation_and_quotes():
    text = " “Kazakhstan”, "
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == "Kazakhstan"
    text2 = "x: «bạo loạn»; y"
    assert text2[slice(*trim_span(text2, 1, 14))] == "bạo loạn"


def test_trim_keeps_inner_punctuation_and_can_empty_a_span():
    text = "a, b. c"
    assert trim_span(text, 0, len(text)) == (0, len(text))
    assert trim_span(" ,. ", 0, 4)[0] == trim_span(" ,. ", 0, 4)[1]


def test_trim_never_splits_a_quote_from_its_mark():
    text = '"\u0301abc'  # a quote carrying a combining acute: one cluster
    assert trim_span(text, 0, len(text)) == (0, len(text))


@given(st.text(alphabet='aăâ bc.,;:!?“”"«»\u0301\n…', max_size=60), st.data())
def test_spans_are_inside_the_text_and_on_grapheme_boundaries(text, data):
    offset = data.draw(st.integers(0, len(text)))
    start, end = sentence_at(text, offset)
    assert 0 <= start <= end <= len(text)
    assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    span = word_at(text, offset)
    if span is not None:
        assert span[0] <= offset <= span[1]
        assert is_grapheme_boundary(text, span[0]) and is_grapheme_boundary(text, span[1])
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    t_start, t_end = trim_span(text, a, b)
    assert a <= t_start <= t_end <= b
