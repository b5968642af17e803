"""Numbers as Vietnamese news writes them, and the dates that look like numbers.

Vietnamese separates thousands with ``.`` and decimals with ``,`` (``4.500`` is 4500,
``4,5 nghìn`` is 4500), scales numbers with words (chục, trăm, nghìn/ngàn, vạn,
triệu, tỷ/tỉ) and hedges them with words before them (``hơn 1.300``, ``khoảng
4.500``). A casualty figure is only useful with that hedge, so a parsed number is a
:class:`Quantity`: a qualifier and a low / best / high value, the shape casualty
datasets (UCDP and its successors) record.

Numbers in words ("hai sĩ quan", "hơn một nghìn") follow
:mod:`reader.core.numberwords`; :func:`parse_count` reads one whole number as an
annotator types it in an integer field.

Dates are written with the same digits and separators (``8/1``, ``06-01``, ``6-7/1``,
``năm 1992``) and must never be read as counts of people, so the date patterns are
tried first wherever both could match.

The patterns are plain ``re`` syntax because pygments compiles lexer rules with
``re``; :mod:`reader.core.newslexer` builds its lexer from the same strings, so the
lexer and :func:`parse_quantity` cannot disagree about what a number is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from reader.core.errors import ValidationError
from reader.core.numberwords import (
    COUNTED,
    SCALES,
    SPELLED,
    SPELLED_IN_TEXT,
    alternation,
    spelled_value,
)


class Qualifier(StrEnum):
    """How a figure is hedged; the values are the schema's ``qualifier`` enum."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    APPROX = "approx"
    AT_MOST = "at_most"
    RANGE = "range"
    VAGUE = "vague"


#: Hedge words before a number, and what they mean. "gần" (nearly) and "lên tới"
#: (up to) cap the figure from above: the true count is at most the number given.
QUALIFIERS: dict[str, Qualifier] = {
    "hơn": Qualifier.AT_LEAST,
    "trên": Qualifier.AT_LEAST,
    "ít nhất": Qualifier.AT_LEAST,
    "tối thiểu": Qualifier.AT_LEAST,
    "không dưới": Qualifier.AT_LEAST,
    "gần": Qualifier.AT_MOST,
    "dưới": Qualifier.AT_MOST,
    "chưa đầy": Qualifier.AT_MOST,
    "chưa tới": Qualifier.AT_MOST,
    "chưa đến": Qualifier.AT_MOST,
    "không quá": Qualifier.AT_MOST,
    "tối đa": Qualifier.AT_MOST,
    "lên tới": Qualifier.AT_MOST,
    "lên đến": Qualifier.AT_MOST,
    "khoảng": Qualifier.APPROX,
    "chừng": Qualifier.APPROX,
    "khoảng chừng": Qualifier.APPROX,
    "xấp xỉ": Qualifier.APPROX,
    "ước tính": Qualifier.APPROX,
    "ước chừng": Qualifier.APPROX,
}

#: Scale words after a number ("4,5 nghìn") or after "hàng" ("hàng trăm").
MULTIPLIERS: dict[str, int] = {"chục": 10, "trăm": 100, **SCALES}


# Not glued to a word or to more digits: "Aksai-2" and "Covid-19" are names.
_START = r"(?<![\w.,/-])"
# Not followed by more of a number or date ("1.3", "8/1") or by a letter ("10h").
_END = r"(?![\w%]|[.,/:-]\d)"
_INT = r"(?:\d{1,3}(?:\.\d{3})+|\d+)"
_DECIMAL = rf"{_INT}(?:,\d+)?"
_MULT = rf"(?:{alternation(MULTIPLIERS)})"
_SCALE = rf"(?:\s+{_MULT}(?!\w))*"

_DAY_WORD = r"(?i:ngày|hôm|tối|sáng|chiều|trưa|đêm|khuya|mùng|mồng|rạng\s+sáng)"
_DAY_MONTH = r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
_DAY_RANGE = rf"\d{{1,2}}\s*[-–]\s*{_DAY_MONTH}"
_DASHED = r"\d{1,2}-\d{1,2}(?:-\d{2,4})?"
_DASHED_PADDED = r"(?:0\d-\d{1,2}|\d{1,2}-0\d)(?:-\d{2,4})?"
_ISO = r"\d{4}-\d{1,2}(?:-\d{1,2})?"
_YEAR = r"(?i:năm)\s+\d{4}"
_MONTH = r"(?i:tháng)\s+\d{1,2}(?:\s*/\s*\d{4}|\s+(?i:năm)\s+\d{4})?"
_WORDY = r"\d{1,2}\s+(?i:tháng)\s+\d{1,2}(?:(?:\s*,)?\s+(?i:năm)\s+\d{4}|/\d{4})?"
_TIME = r"\d{1,2}(?::\d{2}|[hg]\d{2}|h)"
_WORDY_YEAR = r"\d{1,2}\s+(?i:tháng)\s+\d{1,2}(?:\s*,)?\s+(?i:năm)\s+\d{4}"

#: A date or time: "8/1", "ngày 6/1", "6-7/1", "06-01", "2022-01", "năm 1992", "10h30".
DATE = (
    rf"{_START}(?:{_DAY_WORD}\s+(?:{_DAY_RANGE}|{_DAY_MONTH}|{_WORDY}|{_DASHED})"
    rf"|{_DAY_RANGE}|{_DAY_MONTH}|{_ISO}|{_DASHED_PADDED}|{_WORDY_YEAR}|{_YEAR}|{_MONTH}|{_TIME})"
    rf"{_END}"
)

_VAGUE_HEAD = r"(?i:hàng|vài|mấy)"
_FEW = r"(?i:vài|mấy)"
_COUNTED = rf"(?i:{alternation(COUNTED)})(?!\w)"
_VAGUE = rf"(?<!\w)(?:{_VAGUE_HEAD}\s+{_MULT}{_SCALE}|{_FEW}(?=\s+{_COUNTED}))(?!\w)"
_FROM_TO = rf"(?<!\w)(?i:từ)\s+{_DECIMAL}{_SCALE}\s+(?i:đến|tới)\s+{_START}{_DECIMAL}{_END}{_SCALE}"
_RANGE = rf"{_START}{_DECIMAL}\s*[-–]\s*{_DECIMAL}{_END}{_SCALE}"
_PLAIN = rf"{_START}{_DECIMAL}{_END}{_SCALE}"

#: A figure without its hedge: "4.500", "4,5 nghìn", "6-7", "từ 10 đến 15", "hàng trăm",
#: "hai mươi", "hai" before "sĩ quan" (see :mod:`reader.core.numberwords`).
NUMBER = rf"(?:{_VAGUE}|{_FROM_TO}|{_RANGE}|{_PLAIN}|{SPELLED_IN_TEXT})"

#: A hedge word, only where a figure follows it.
QUALIFIER = rf"(?<!\w)(?i:{alternation(QUALIFIERS)})(?=\s+{NUMBER})"

_DATE_RE = re.compile(DATE)
_QUANTITY_RE = re.compile(rf"(?:(?P<qualifier>{QUALIFIER})\s+)?(?P<number>{NUMBER})")
_SCAN_RE = re.compile(rf"(?P<date>{DATE})|(?P<quantity>{_QUANTITY_RE.pattern})")
_PARTS = re.compile(
    rf"(?P<vague>{_VAGUE_HEAD})\s+(?P<vscale>{_MULT}{_SCALE})|(?P<few>{_FEW})"
    rf"|(?P<spelled>{SPELLED})"
    rf"|(?i:từ)\s+(?P<from>{_DECIMAL}{_SCALE})\s+(?i:đến|tới)\s+(?P<to>{_DECIMAL}{_SCALE})"
    rf"|(?P<low>{_DECIMAL}{_SCALE})\s*[-–]\s*(?P<high>{_DECIMAL}{_SCALE})"
    rf"|(?P<plain>{_DECIMAL}{_SCALE})"
)
_SPACES = re.compile(r"\s+")
# The whole phrase an annotator types: a single number word needs no counted noun there.
_PHRASE_RE = re.compile(
    rf"(?:(?P<qualifier>(?i:{alternation(QUALIFIERS)}))\s+)?"
    rf"(?P<number>{NUMBER}|{SPELLED}|{_FEW})"
)
# "4 500": a space (or no-break space) between groups of three digits groups thousands.
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.,]\d)")


def grouped(value: int) -> str:
    """A whole number as the articles write it, thousands grouped by dots (4.500): the
    one way figures are shown to users, so the screen reads like the text beside it."""
    return f"{value:,}".replace(",", ".")


def _words(value: str) -> str:
    return " ".join(value.lower().split())


@dataclass(frozen=True)
class Quantity:
    """A hedged figure. ``value_best`` is the figure stated, or for a range or a vague
    amount its low end (ACLED's conservative reading); the bound a hedge leaves open is
    None ("hơn 1.300" has no high)."""

    qualifier: Qualifier
    value_low: int | None
    value_best: int | None
    value_high: int | None

    def attributes(self) -> dict[str, Any]:
        """The casualty attributes this figure fills; unknown values are left out."""
        values = {
            "qualifier": self.qualifier.value,
            "value_low": self.value_low,
            "value_best": self.value_best,
            "value_high": self.value_high,
        }
        return {name: value for name, value in values.items() if value is not None}


def _scale(words: str) -> int:
    factor = 1
    for word in words.split():
        factor *= MULTIPLIERS[word.lower()]
    return factor


def parse_number(text: str) -> Decimal | None:
    """The value of one figure: "4.500" -> 4500, "4,5" -> 4.5, "4,5 nghìn" -> 4500.

    None for anything else, including dates and "1.3" (a dot must group three digits).
    """
    text = text.strip()
    match = re.fullmatch(rf"({_DECIMAL})((?:\s+{_MULT})*)", text)
    if match is None or _DATE_RE.fullmatch(text):
        return None
    digits = match.group(1).replace(".", "").replace(",", ".")
    return Decimal(digits) * _scale(match.group(2))


def _whole(value: Decimal | None) -> int | None:
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def is_date(text: str) -> bool:
    """True for dates and times written with digits: "8/1", "ngày 6/1", "năm 1992"."""
    return _DATE_RE.fullmatch(text.strip()) is not None


def parse_quantity(text: str) -> Quantity | None:
    """The hedged figure a phrase states, e.g. "hơn 1.300" -> at least 1300.

    None for dates, for fractions of a unit ("2,5" people is not a count) and for
    anything that is not a figure. The rules, vague forms included, are in the README
    (Labels: numbers as written).
    """
    text = _GROUPED.sub(lambda m: m.group().replace(" ", ".").replace("\u00a0", "."), text)
    text = _SPACES.sub(" ", text.strip())
    if is_date(text):
        return None
    match = _PHRASE_RE.fullmatch(text)
    if match is None:
        return None
    qualifier = QUALIFIERS[_words(match.group("qualifier"))] if match.group("qualifier") else None
    parts = _PARTS.fullmatch(match.group("number"))
    if parts is None:  # pragma: no cover - NUMBER and _PARTS describe the same shapes
        return None
    if parts.group("vague") or parts.group("few"):
        # "hàng trăm" is some hundreds (100-999), "vài trăm" a few (200-999), "vài" a
        # few (2-9); the best figure is the low one, as ACLED codes "hundreds" as 100.
        base = _scale(parts.group("vscale") or "")
        low = (1 if (parts.group("vague") or "").lower() == "hàng" else 2) * base
        return Quantity(Qualifier.VAGUE, low, low, 10 * base - 1)
    low_text = parts.group("from") or parts.group("low")
    if low_text:
        high_text = parts.group("to") or parts.group("high")
        low_value, high_value = parse_number(low_text), parse_number(high_text)
        high_bare = parse_number(high_text.split()[0])
        if (
            low_value is not None
            and high_bare is not None
            and len(low_text.split()) == 1
            and low_value <= high_bare
        ):
            # "3-4 nghìn": one scale word after the range covers both ends.
            low_value *= _scale(" ".join(high_text.split()[1:]))
        low, high = _whole(low_value), _whole(high_value)
        if low is None or high is None or low > high:
            return None
        return Quantity(Qualifier.RANGE, low, low, high)
    if parts.group("spelled"):
        value: int | None = spelled_value(parts.group("spelled"))
    else:
        value = _whole(parse_number(parts.group("plain")))
    if value is None:
        return None
    qualifier = qualifier or Qualifier.EXACT
    if qualifier is Qualifier.EXACT:
        return Quantity(qualifier, value, value, value)
    if qualifier is Qualifier.AT_LEAST:
        return Quantity(qualifier, value, value, None)
    if qualifier is Qualifier.AT_MOST:
        return Quantity(qualifier, None, value, value)
    return Quantity(qualifier, None, value, None)


def parse_count(text: str) -> int:
    """One whole number as an annotator types it in an integer field.

    "4.500", "4 500", "4500", "1,5 nghìn", "2 triệu", "hai", "mười", "hai mươi lăm" all
    read; so does a plain signed integer ("-3"), for schemas that allow one. A hedged or
    vague figure ("hơn 1.300", "hàng trăm") is not one number, and "4,5" is not whole
    (Vietnamese writes decimals with a comma): each raises ValidationError saying so.
    """
    if not isinstance(text, str) or len(text) > 100:
        raise ValidationError(f"{str(text)[:40]!r} is not a whole number")
    plain = text.strip()
    other = next((c for c in plain if c.isdigit() and not c.isascii()), None)
    if other is not None:  # int() and \d read "٤٥٠٠" as 4500: only 0-9 are digits here
        raise ValidationError(f"{plain!r} has digits other than 0-9 ({other!r})")
    if re.fullmatch(r"[+-]?\d+", plain):
        return int(plain)
    quantity = parse_quantity(plain)
    if quantity is None:
        value = parse_number(plain)
        if value is not None and value != value.to_integral_value():
            raise ValidationError(
                f"{plain!r} is {value.normalize():f}, not a whole number "
                "(a comma marks decimals; thousands take a dot or a space: 4.500, 4 500)"
            )
        raise ValidationError(f"{plain!r} is not a whole number")
    if quantity.qualifier is not Qualifier.EXACT:
        bounds = "–".join(
            str(v) for v in (quantity.value_low, quantity.value_high) if v is not None
        )
        raise ValidationError(
            f"{plain!r} is not one number but a hedged figure "
            f"({quantity.qualifier.value}, {bounds or quantity.value_best})"
        )
    assert quantity.value_best is not None
    return quantity.value_best


def find_dates(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of every date or time written with digits."""
    for match in _SCAN_RE.finditer(text):
        if match.group("date"):
            yield match.span()


def find_quantities(text: str) -> Iterator[tuple[int, int, Quantity]]:
    """[start, end) and value of every figure, hedge included, never inside a date."""
    for match in _SCAN_RE.finditer(text):
        if match.group("quantity"):
            quantity = parse_quantity(match.group())
            if quantity is not None:
                yield match.start(), match.end(), quantity
