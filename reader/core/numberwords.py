"""Vietnamese numbers written in words: "hai", "mười lăm", "hai mươi mốt", "một trăm linh
năm", "hai triệu ba trăm nghìn", "hai nghìn rưỡi".

News text spells small counts ("hai sĩ quan", "mười người") and mixes words with scale
words ("một nghìn"), so a casualty figure in words must read like one in digits. The
words and their rules, as every Vietnamese grammar gives them:

- units: một 1, hai 2, ba 3, bốn 4, năm 5, sáu 6, bảy/bẩy 7, tám 8, chín 9, không 0;
- tens: ``mười`` is 10 ("mười lăm" 15), ``D mươi`` is D×10 ("hai mươi" 20), and the
  colloquial ``D chục`` is D×10 too ("hai chục" 20);
- after ``mươi`` a unit takes a variant: ``mốt`` 1, ``tư`` 4, ``lăm``/``nhăm`` 5
  ("hai mươi mốt" 21, "hai mươi tư" 24); ``lăm`` also follows ``mười`` ("mười lăm");
- ``D trăm`` is D×100; ``linh``/``lẻ`` stands for a zero tens digit ("một trăm linh năm"
  105);
- scale words multiply what stands before them: ``nghìn``/``ngàn`` 1 000, ``vạn`` 10 000,
  ``triệu`` 10⁶, ``tỷ``/``tỉ`` 10⁹ ("hai triệu ba trăm nghìn" 2 300 000);
- ``rưỡi`` after a scale word adds half of it ("hai nghìn rưỡi" 2 500, "trăm rưỡi" 150).

In running text most of these words have other meanings ("một" is also "a", "năm" also
"year", "ba" starts "Ba Lan"), so :data:`SPELLED_IN_TEXT` takes a one-word number only
before a noun that is counted (:data:`COUNTED`: "hai sĩ quan", "năm người"); a number
of two words or more ("hai mươi", "một nghìn") stands on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.core.errors import ValidationError

UNITS: dict[str, int] = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
#: Unit forms used only after "mươi" / "mười": "hai mươi mốt", "mười lăm", "ba mươi tư".
AFTER_TENS: dict[str, int] = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}
SCALES: dict[str, int] = {
    "nghìn": 1_000,
    "ngàn": 1_000,
    "vạn": 10_000,
    "triệu": 1_000_000,
    "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000,
}

#: Nouns a number counts in casualty reports: after one of them a one-word number in
#: running text is a count ("hai sĩ quan"), not "a" or "year".
# fmt: off
COUNTED = [
    "người", "sĩ quan", "binh sĩ", "binh lính", "cảnh sát", "nhân viên", "quân nhân",
    "chiến sĩ", "lính", "nạn nhân", "thi thể", "trường hợp", "ca", "kẻ", "đối tượng",
    "phần tử", "công dân", "dân thường", "thường dân", "trẻ em", "phụ nữ", "du khách",
    "tay súng", "nhà báo", "nghi phạm", "tù nhân", "học sinh", "sinh viên", "cán bộ",
    "vệ binh", "tên", "con tin",
]
# fmt: on


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first so "khoảng chừng" beats "khoảng";
    a space in a phrase matches any run of spaces."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_D = rf"(?:{alternation({k: v for k, v in UNITS.items() if v})})"
# After mươi/mười a five is "lăm": "mười năm" is ten years, "hai mươi năm" twenty.
_D2 = rf"(?:{alternation(AFTER_TENS)}|{alternation({k: v for k, v in UNITS.items() if v and k != 'năm'})})"
_TENS = rf"(?:mười(?:\s+{_D2})?|{_D}\s+(?:mươi|chục)(?:\s+{_D2}|\s+rưỡi)?)"
_HUNDRED_TAIL = rf"(?:\s+(?:linh|lẻ)\s+{_D}|\s+{_TENS}|\s+rưỡi)"
_HUNDREDS = rf"(?:(?:{_D}|không)\s+)?trăm{_HUNDRED_TAIL}?"
_GROUP = rf"(?:{_HUNDREDS}|{_TENS}|{_D})"
#: A group of two words or more: never "a" or "year" in disguise.
_GROUP_WORDS = (
    rf"(?:(?:{_D}|không)\s+trăm{_HUNDRED_TAIL}?|trăm{_HUNDRED_TAIL}"
    rf"|mười\s+{_D2}|{_D}\s+(?:mươi|chục)(?:\s+{_D2}|\s+rưỡi)?)"
)
_SCALE = rf"(?:{alternation(SCALES)})"
_REST = rf"(?:\s+{_SCALE}(?:\s+rưỡi)?(?:\s+{_GROUP})?)"
#: A number in words, from "hai" to "hai triệu ba trăm nghìn"; plain ``re`` syntax.
SPELLED = rf"(?i:{_GROUP}{_REST}*)"
_COUNTED = rf"(?i:{alternation(COUNTED)})(?!\w)"
#: A number in words as running text may hold it: a single word ("hai", "mười") only
#: before a counted noun.
SPELLED_IN_TEXT = (
    rf"(?<!\w)(?i:{_GROUP}{_REST}+|{_GROUP_WORDS}{_REST}*|(?:{_D}|mười)(?=\s+{_COUNTED}))(?!\w)"
)

_SPACES = re.compile(r"\s+")


def spelled_value(text: str) -> int:
    """The value of a number in words: "hai mươi lăm" -> 25, "hơn" -> ValidationError.

    Raises ValidationError naming the word that breaks the rules above.
    """
    words = _SPACES.split(text.strip().lower())
    if not words or not re.fullmatch(SPELLED, " ".join(words)):
        raise ValidationError(f"{text!r} is not a number in words")
    total = 0  # whole scales already closed ("hai triệu")
    group = 0  # the value below 1000 being built
    unit: int | None = None  # a unit word waiting for mươi, trăm or a scale
    last = ""  # the last multiplying word, for "rưỡi"
    for word in words:
        if word in UNITS or word in AFTER_TENS:
            group += 0 if unit is None else unit
            unit = UNITS.get(word, AFTER_TENS.get(word))
            last = "unit"
        elif word == "mười":
            group += 10
            last = "mười"
        elif word in ("mươi", "chục"):
            group += (unit or 0) * 10
            unit, last = None, "mươi"
        elif word == "trăm":
            group += (1 if unit is None else unit) * 100
            unit, last = None, "trăm"
        elif word in ("linh", "lẻ"):
            continue
        elif word == "rưỡi":
            group += {"trăm": 50, "mươi": 5}.get(last, 0)
            if last in SCALES:
                total += SCALES[last] // 2
        elif word in SCALES:
            group += unit or 0
            total += (group or 1) * SCALES[word]
            group, unit, last = 0, None, word
        else:  # pragma: no cover - SPELLED admits no other word
            raise ValidationError(f"{text!r}: {word!r} is not a number word")
    return total + group + (unit or 0)
