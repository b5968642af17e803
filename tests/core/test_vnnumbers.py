"""Vietnamese figures: what a casualty count says, and dates that must never be counts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import ValidationError
from reader.core.labels_file import default_schema
from reader.core.text import normalize
from reader.core.vnnumbers import (
    QUALIFIERS,
    Qualifier,
    Quantity,
    find_dates,
    find_quantities,
    is_date,
    parse_count,
    parse_number,
    parse_quantity,
)
from tests.helpers import CORPUS

E, AL, AP, AM, R, V = (
    Qualifier.EXACT,
    Qualifier.AT_LEAST,
    Qualifier.APPROX,
    Qualifier.AT_MOST,
    Qualifier.RANGE,
    Qualifier.VAGUE,
)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("4.500", Quantity(E, 4500, 4500, 4500)),
        ("1.300", Quantity(E, 1300, 1300, 1300)),
        ("45", Quantity(E, 45, 45, 45)),
        ("1.234.567", Quantity(E, 1234567, 1234567, 1234567)),
        ("4,5 nghìn", Quantity(E, 4500, 4500, 4500)),
        ("4,5 ngàn", Quantity(E, 4500, 4500, 4500)),
        ("2,5 triệu", Quantity(E, 2_500_000, 2_500_000, 2_500_000)),
        ("3 tỷ", Quantity(E, 3_000_000_000, 3_000_000_000, 3_000_000_000)),
        ("hơn 1.300", Quantity(AL, 1300, 1300, None)),
        ("Hơn 1.300", Quantity(AL, 1300, 1300, None)),
        ("trên 100", Quantity(AL, 100, 100, None)),
        ("ít nhất 15", Quantity(AL, 15, 15, None)),
        ("khoảng 4.500", Quantity(AP, None, 4500, None)),
        ("chừng 20", Quantity(AP, None, 20, None)),
        ("gần 100", Quantity(AM, None, 100, 100)),
        ("dưới 50", Quantity(AM, None, 50, 50)),
        ("lên tới 4.000", Quantity(AM, None, 4000, 4000)),
        ("hàng chục", Quantity(V, 10, 10, 99)),
        ("hàng trăm", Quantity(V, 100, 100, 999)),
        ("hàng nghìn", Quantity(V, 1000, 1000, 9999)),
        ("hàng chục nghìn", Quantity(V, 10_000, 10_000, 99_999)),
        ("vài trăm", Quantity(V, 200, 200, 999)),
        ("6-7", Quantity(R, 6, 6, 7)),
        ("10 – 15", Quantity(R, 10, 10, 15)),
        ("từ 10 đến 15", Quantity(R, 10, 10, 15)),
        ("3-4 nghìn", Quantity(R, 3000, 3000, 4000)),
        ("từ 500 đến 2 nghìn", Quantity(R, 500, 500, 2000)),
    ],
)
def test_a_vietnamese_figure_parses_to_its_hedged_value(phrase: str, expected: Quantity):
    assert parse_quantity(phrase) == expected


@pytest.mark.parametrize(
    "date",
    ["8/1", "06-01", "10/01", "ngày 6/1", "Ngày 8/1", "năm 1992", "6-7/1", "ngày 6-7/1",
     "tối 05-01", "8/01", "2022-01", "11/1/2022", "tháng 12/2021", "8 tháng 1 năm 2022",
     "10h30", "10:30"],
)  # fmt: skip
def test_a_date_is_a_date_and_never_a_number(date: str):
    assert is_date(date)
    assert parse_quantity(date) is None
    assert parse_number(date) is None
    assert list(find_quantities(f"Từ {date}, hơn 1.300 người bị bắt.")) == [
        (len(f"Từ {date}, "), len(f"Từ {date}, hơn 1.300"), Quantity(AL, 1300, 1300, None))
    ]


@pytest.mark.parametrize(
    "text",
    ["Aksai-2", "Covid-19", "50%", "2,5", "1.3", "1.30", "Nur-Sultan", "khoảng", "hàng loạt", ""],
)
def test_what_is_not_a_count_of_people_parses_to_nothing(text: str):
    assert parse_quantity(text) is None


def test_parse_number_reads_dots_as_thousands_and_commas_as_decimals():
    assert parse_number("4.500") == 4500
    assert parse_number("4,5") == Decimal("4.5")
    assert parse_number("4,5 nghìn") == 4500
    assert parse_number("1.3") is None  # a dot groups exactly three digits


def test_find_quantities_gives_offsets_and_skips_dates_in_a_sentence():
    text = "Ngày 8/1, lực lượng an ninh bắt giữ khoảng 4.500 kẻ bạo loạn; hàng trăm người bị thương 😢."
    found = [(s, e, text[s:e], q.qualifier) for s, e, q in find_quantities(text)]
    assert found == [(36, 48, "khoảng 4.500", AP), (62, 71, "hàng trăm", V)]
    assert [text[s:e] for s, e in find_dates(text)] == ["Ngày 8/1"]


def test_find_quantities_on_normalized_nfd_crlf_text():
    raw = "Ngày 6/1,\r\nhơn 1.300 cảnh sát bị thương."
    text = normalize(__import__("unicodedata").normalize("NFD", raw))
    assert [(text[s:e], q) for s, e, q in find_quantities(text)] == [
        ("hơn 1.300", Quantity(AL, 1300, 1300, None))
    ]


def test_the_figures_of_article_000_and_none_of_its_dates():
    text = normalize((CORPUS / "000_af9997c49903d544.txt").read_bytes().decode("utf-8"))
    figures = [text[s:e] for s, e, _ in find_quantities(text)]
    assert figures == [
        "khoảng 4.500", "lên tới 4.000", "hàng tỷ", "45", "2", "155", "55", "hơn 1.300", "16",
        "164", "103",
    ]  # fmt: skip
    dates = [text[s:e] for s, e in find_dates(text)]
    assert dates == [
        "Ngày 8/1", "Ngày 8/1", "Ngày 8/1", "năm 1992", "ngày 6/1", "ngày 6-7/1", "ngày 6/1",
        "Ngày 8/1", "ngày 11/1",
    ]  # fmt: skip


def test_every_qualifier_fills_attributes_the_schema_accepts():
    schema = default_schema()
    for word in QUALIFIERS:
        quantity = parse_quantity(f"{word} 1.300")
        assert quantity is not None, word
        attributes = quantity.attributes()
        assert schema.check_attributes("casualty", attributes) == attributes
        assert attributes["qualifier"] == QUALIFIERS[word].value
    for phrase in ("hàng trăm", "6-7", "45"):
        attributes = parse_quantity(phrase).attributes()
        assert schema.check_attributes("casualty", attributes) == attributes


@given(st.integers(min_value=0, max_value=10**12))
def test_any_whole_number_written_with_thousand_dots_reads_back(n: int):
    written = f"{n:,}".replace(",", ".")
    assert parse_number(written) == n
    assert parse_quantity(f"khoảng {written}") == Quantity(AP, None, n, None)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=9))
def test_a_decimal_with_a_scale_word_reads_back(whole: int, tenth: int):
    assert parse_number(f"{whole},{tenth} nghìn") == whole * 1000 + tenth * 100
    assert parse_quantity(f"{whole},{tenth} triệu").value_best == whole * 10**6 + tenth * 10**5


@given(st.integers(min_value=1, max_value=31), st.integers(min_value=1, max_value=12))
def test_no_day_and_month_ever_reads_as_a_count(day: int, month: int):
    written = [
        f"{day}/{month}",
        f"{day:02d}/{month:02d}",
        f"ngày {day}-{month}",
        f"{day}-{day + 1}/{month}",
    ]
    if day < 10 or month < 10:
        written.append(f"{day:02d}-{month:02d}")  # a leading zero marks a date
    for date in written:
        assert is_date(date), date
        assert parse_quantity(date) is None, date


def test_a_dash_without_zero_or_day_word_is_a_range_not_a_date():
    assert not is_date("10-12")
    assert parse_quantity("10-12") == Quantity(R, 10, 10, 12)
    assert is_date("10-12/1") and is_date("ngày 10-12")


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("4.500", 4500), ("4 500", 4500), ("4\u00a0500", 4500), ("4500", 4500),
        ("1,5 nghìn", 1500), ("2 triệu", 2_000_000), ("hai", 2), ("mười", 10),
        ("  164 ", 164), ("-3", -3), ("1.234.567", 1_234_567),
    ],
)  # fmt: skip
def test_an_integer_field_reads_numbers_as_vietnamese_writes_them(typed: str, value: int):
    assert parse_count(typed) == value


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("4,5", "4.5, not a whole number"),
        ("4,500", "4.5, not a whole number"),
        ("hơn 1.300", "hedged figure (at_least, 1300)"),
        ("hàng trăm", "hedged figure (vague, 100–999)"),
        ("6-7", "hedged figure (range, 6–7)"),
        ("abc", "not a whole number"),
        ("8/1", "not a whole number"),
        ("4 50", "not a whole number"),
        ("9" * 200, "not a whole number"),
        ("\u0664\u0665\u0660\u0660", "digits other than 0-9"),  # Arabic-Indic 4500
        ("\uff14.\uff15\uff10\uff10", "digits other than 0-9"),  # full-width 4.500
        ("4\u0665 nghìn", "digits other than 0-9"),
    ],
)
def test_what_is_not_one_whole_number_is_refused_with_the_reason(typed: str, reason: str):
    with pytest.raises(ValidationError, match=re.escape(reason)):
        parse_count(typed)


def test_the_schema_checks_integer_attributes_through_the_parser_and_the_64_bit_bound():
    schema = default_schema()
    assert schema.check_attributes("casualty", {"value_best": "4.500"}) == {"value_best": 4500}
    assert schema.check_attributes("casualty", {"value_low": "hai"}) == {"value_low": 2}
    with pytest.raises(ValidationError, match="value_best: '4,5' is 4.5"):
        schema.check_attributes("casualty", {"value_best": "4,5"})
    with pytest.raises(ValidationError, match="value_best: -1 is below 0"):
        schema.check_attributes("casualty", {"value_best": -1})
    for too_big in (2**63, "9.223.372.036.854.775.808", "hàng tỷ tỷ tỷ"):
        with pytest.raises(ValidationError, match="value_high: .* 64-bit range|hedged"):
            schema.check_attributes("casualty", {"value_high": too_big})
    assert schema.check_attributes("casualty", {"value_high": 2**63 - 1}) == {
        "value_high": 2**63 - 1
    }


def test_figures_shown_to_users_are_grouped_as_the_articles_write_them():
    from reader.core.vnnumbers import grouped

    assert [grouped(n) for n in (0, 999, 2500, 4500, 1234567)] == [
        "0", "999", "2.500", "4.500", "1.234.567"
    ]  # fmt: skip
    assert parse_count(grouped(1234567)) == 1234567
