"""Numbers in words: "hai", "mười lăm", "hai mươi mốt", "một trăm linh năm", and the
running-text rule that keeps "một" (a) and "năm" (year) from reading as counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import ValidationError
from reader.core.numberwords import SPELLED_IN_TEXT, spelled_value
from reader.core.vnnumbers import Qualifier, Quantity, find_quantities, parse_quantity

_UNITS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def spell(n: int) -> str:
    """Vietnamese words for 1 <= n < 10**12, written the standard way (a reference
    speller built in the other direction from the parser)."""

    def below_thousand(n: int, inner: bool) -> list[str]:
        hundreds, rest = divmod(n, 100)
        tens, units = divmod(rest, 10)
        words: list[str] = []
        if hundreds or inner:
            words += [_UNITS[hundreds] or "không", "trăm"]
        if tens == 0:
            if units:
                words += (["linh"] if hundreds or inner else []) + [_UNITS[units]]
        elif tens == 1:
            words += ["mười"] + (["lăm" if units == 5 else _UNITS[units]] if units else [])
        else:
            words += [_UNITS[tens], "mươi"]
            if units:
                words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _UNITS[units]))
        return words

    words: list[str] = []
    for scale, name in ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        part, n = divmod(n, scale)
        if part:
            words += below_thousand(part, inner=bool(words)) + ([name] if name else [])
    return " ".join(words)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("hai", 2), ("mười", 10), ("mười một", 11), ("mười lăm", 15), ("hai mươi", 20),
        ("hai mươi mốt", 21), ("hai mươi tư", 24), ("hai mươi lăm", 25), ("hai chục", 20),
        ("một trăm", 100), ("một trăm linh năm", 105), ("một trăm lẻ năm", 105),
        ("trăm rưỡi", 150), ("chín trăm chín mươi chín", 999), ("một nghìn", 1000),
        ("hai nghìn rưỡi", 2500), ("ba ngàn", 3000), ("hai triệu ba trăm nghìn", 2_300_000),
        ("một tỷ", 10**9), ("Hai Mươi", 20),
    ],
)  # fmt: skip
def test_a_number_in_words_has_its_value(words: str, value: int):
    assert spelled_value(words) == value
    assert parse_quantity(words) == Quantity(Qualifier.EXACT, value, value, value)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_every_number_spelled_the_standard_way_reads_back(n: int):
    assert spelled_value(spell(n)) == n


@pytest.mark.parametrize("words", ["hai hai", "mốt", "lăm", "mươi", "hơn", "", "hai mươi năm"])
def test_what_breaks_the_rules_is_refused(words: str):
    with pytest.raises(ValidationError):
        spelled_value(words)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("hai sĩ quan bị thương", ["hai"]),
        ("năm người chết", ["năm"]),
        ("Mười người mất tích", ["Mười"]),
        ("hơn một nghìn người bị bắt", ["một nghìn"]),
        ("hai mươi lăm người", ["hai mươi lăm"]),
        # One word that is not before a counted noun is "a", "year", a name:
        ("một trong những", []), ("Ba Lan", []), ("năm 1992", []), ("năm nay", []),
        ("ba năm tù", []), ("mười năm", []), ("một số người", []),
        # "hai mươi năm" is twenty years: after mươi a five is "lăm".
        ("hai mươi năm", ["hai mươi"]),
    ],
)  # fmt: skip
def test_running_text_takes_a_one_word_number_only_before_a_counted_noun(text, found):
    assert [m.group() for m in re.finditer(SPELLED_IN_TEXT, text)] == found


def test_spelled_figures_in_a_sentence_carry_their_hedge():
    text = "Có hai sĩ quan bị thương, hơn một nghìn người bị bắt và vài người mất tích."
    found = [(text[s:e], q) for s, e, q in find_quantities(text)]
    assert found == [
        ("hai", Quantity(Qualifier.EXACT, 2, 2, 2)),
        ("hơn một nghìn", Quantity(Qualifier.AT_LEAST, 1000, 1000, None)),
        ("vài", Quantity(Qualifier.VAGUE, 2, 2, 9)),
    ]
