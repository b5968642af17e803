"""Offsets count code points of the normalized text; these tests pin that text down."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import DecodeError
from reader.core.text import (
    LineIndex,
    is_grapheme_boundary,
    next_boundary,
    normalize,
    normalize_bytes,
    previous_boundary,
    sha256,
    snap_span,
)


def test_nfd_vietnamese_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Việt Nam thiệt mạng")
    assert len(nfd) > len("Việt Nam thiệt mạng")
    assert normalize(nfd) == "Việt Nam thiệt mạng"


def test_crlf_and_lone_cr_become_lf():
    assert normalize("a\r\nb\rc\n") == "a\nb\nc\n"


def test_bom_is_dropped():
    assert normalize_bytes("\ufeffXin chào".encode("utf-8"), "f.txt") == "Xin chào"


def test_line_separator_u2028_is_kept_as_data_not_a_line_break():
    text = normalize("một\u2028hai\nba")
    assert text == "một\u2028hai\nba"
    assert LineIndex.build(text).line_count == 2


def test_invalid_utf8_names_the_file_and_byte_offset():
    with pytest.raises(DecodeError, match=r"bad\.txt: not UTF-8: byte offset 4"):
        normalize_bytes(b"abc\n\xff\xfe", "bad.txt")


def test_sha256_is_of_the_normalized_text():
    assert sha256(normalize("a\r\nb")) == sha256("a\nb")


texts = st.text(alphabet=st.sampled_from(list("aăâđêôơư ệ\n😀中\u0301\u200d")), max_size=60)


@given(texts, st.data())
def test_offset_line_column_round_trip(text, data):
    index = LineIndex.build(text)
    offset = data.draw(st.integers(0, len(text)))
    line, col = index.to_line_col(offset)
    assert index.to_offset(line, col) == offset
    assert text[index.starts[line] : offset].find("\n") == -1


def test_line_index_rejects_offsets_outside_the_text():
    index = LineIndex.build("ab\ncd")
    assert index.to_line_col(5) == (1, 2)
    with pytest.raises(ValueError):
        index.to_line_col(6)
    with pytest.raises(ValueError):
        index.to_offset(1, 3)


def test_combining_mark_is_not_a_boundary():
    text = "x\u0301\u0302y"  # x with two combining marks: no precomposed form
    assert normalize(text) == text
    assert not is_grapheme_boundary(text, 2)
    assert [o for o in range(len(text) + 1) if is_grapheme_boundary(text, o)] == [0, 3, 4]
    assert snap_span(text, 2, 3) == (0, 3)


def test_zwj_family_emoji_is_one_cluster():
    family = "👨\u200d👩\u200d👧"
    text = f"a{family}b"
    boundaries = [o for o in range(len(text) + 1) if is_grapheme_boundary(text, o)]
    assert boundaries == [0, 1, 1 + len(family), 2 + len(family)]
    assert next_boundary(text, 1) == 1 + len(family)
    assert previous_boundary(text, 1 + len(family)) == 1


def test_wide_characters_and_flags():
    text = "中文🇻🇳!"
    assert [o for o in range(len(text) + 1) if is_grapheme_boundary(text, o)] == [0, 1, 2, 4, 5]
