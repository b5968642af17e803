"""The Vietnamese news lexer: a pygments lexer that marks what annotators look for.

The lexer (``pygmentize -l vinews``) gives each thing its own token type, so the app
can dim-highlight them and any pygments formatter can show them:

=============================  ========  ================================================
token type                     kind      what
=============================  ========  ================================================
``Literal.Number``             number    a figure: ``4.500``, ``4,5 nghìn``, ``hàng trăm``
``Literal.Number.Qualifier``   qualifier the hedge before a figure: ``hơn``, ``khoảng``
``Literal.Date``               date      ``8/1``, ``ngày 6/1``, ``6-7/1``, ``năm 1992``
``Literal.String``             quote     text inside “…”, "…", «…», even across lines
``Literal.String.Delimiter``   quote     the quotation marks themselves
``Keyword.Cue``                cue       a reporting verb: ``cho biết``, ``nêu rõ``, ``theo``
``Keyword.Outcome``            outcome   ``thiệt mạng``, ``bị thương``, ``bắt giữ``, …
``Keyword.Victim``             victim    the group right after a figure: ``kẻ bạo loạn``
``Name.Entity``                source    who a cue attributes to: ``Bộ Ngoại giao Nga``
=============================  ========  ================================================

Inside a quotation only figures, dates, outcomes and victims are marked: a cue there is
the speaker's word, not the article's attribution.

The marks feed :mod:`reader.core.suggest`, which turns them into proposed spans, and the
app, which dims them under the annotations (:class:`TokenMap`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups, this, using
from pygments.token import Keyword, Literal, Name, Punctuation, Text, Whitespace, _TokenType

from reader.core import vnnumbers as vn

NUMBER = Literal.Number
QUALIFIER = Literal.Number.Qualifier
DATE = Literal.Date
QUOTE = Literal.String
QUOTE_MARK = Literal.String.Delimiter
CUE = Keyword.Cue
OUTCOME = Keyword.Outcome
VICTIM = Keyword.Victim
SOURCE = Name.Entity

#: The kind name of each marked token type, for styles in the app.
KINDS: dict[_TokenType, str] = {
    NUMBER: "number",
    QUALIFIER: "qualifier",
    DATE: "date",
    QUOTE: "quote",
    QUOTE_MARK: "quote",
    CUE: "cue",
    OUTCOME: "outcome",
    VICTIM: "victim",
    SOURCE: "source",
}

# fmt: off
OUTCOMES: dict[str, str] = {
    **dict.fromkeys(
        ["thiệt mạng", "chết", "tử vong", "bị giết", "bị sát hại", "tử nạn", "hy sinh",
         "bị tiêu diệt", "tiêu diệt"], "killed"),
    **dict.fromkeys(
        ["bị thương", "bị thương nặng", "bị thương nhẹ", "trọng thương", "nhập viện"], "injured"),
    **dict.fromkeys(
        ["bị bắt", "bị bắt giữ", "bắt giữ", "bắt giam", "bị giam giữ", "giam giữ", "tạm giữ",
         "bị tạm giữ", "câu lưu", "bị câu lưu"], "detained"),
    "mất tích": "missing",
    "thương vong": "other",
}

#: Who a figure counts; ``None`` where the schema has no fitting group (militants).
VICTIMS: dict[str, str | None] = {
    **dict.fromkeys(
        ["cảnh sát", "sĩ quan cảnh sát", "sĩ quan", "binh sĩ", "binh lính", "quân nhân", "lính",
         "chiến sĩ", "nhân viên an ninh", "nhân viên cảnh sát", "vệ binh", "cán bộ",
         "người thực thi pháp luật", "nhân viên thực thi pháp luật"], "security_forces"),
    **dict.fromkeys(
        ["người biểu tình", "kẻ bạo loạn", "phần tử bạo loạn", "người bạo loạn", "kẻ bạo động",
         "đối tượng bạo loạn"], "protesters"),
    **dict.fromkeys(
        ["dân thường", "thường dân", "người dân", "trẻ em", "phụ nữ", "người già"], "civilians"),
    **dict.fromkeys(
        ["người nước ngoài", "công dân nước ngoài", "du khách", "người ngoại quốc"], "foreigners"),
    **dict.fromkeys(
        ["kẻ khủng bố", "phần tử khủng bố", "tay súng", "phần tử cực đoan", "kẻ tấn công",
         "chiến binh"], None),
    **dict.fromkeys(["người", "nạn nhân", "thi thể"], "unknown"),
}

#: Reporting verbs whose source stands before them ("Bộ Nội vụ cho biết").
CUES = [
    "cho biết", "cho hay", "nói", "nói thêm", "tuyên bố", "khẳng định", "nhấn mạnh", "nêu rõ",
    "xác nhận", "cáo buộc", "cho rằng", "đưa tin", "thông báo", "cảnh báo", "bày tỏ",
    "phát biểu", "chia sẻ", "tiết lộ", "thừa nhận", "bác bỏ", "kêu gọi", "giải thích",
    "lưu ý", "nhận định", "trả lời", "viết",
]
#: Cues whose source follows them ("Theo Bộ Y tế, …", "dẫn lời ông …").
CUES_BEFORE_SOURCE = ["theo", "dẫn lời", "trích lời"]
# fmt: on

_W = r"[\w\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"  # letters and marks
_CUE_RE = (
    rf"(?<!\w)(?i:{vn.alternation(CUES + ['dẫn lời', 'trích lời'])})(?!\w)"
    r"|(?:^|(?<=[,.;:!?] )|(?<=[Cc]ũng ))(?i:theo)(?!\w)"
)
_QUOTE_RE = r"([“«\"])([^“”«»\"]{1,5000})([”»\"])"
_OUTCOME_RE = rf"(?<!\w)(?i:{vn.alternation(OUTCOMES)})(?!\w)"
_VICTIM_RE = rf"(?i:{vn.alternation(VICTIMS)})(?!\w)"


def _marked_rules() -> list[Any]:
    return [
        (vn.DATE, DATE),
        (rf"({vn.QUALIFIER})(\s+)", bygroups(QUALIFIER, Whitespace)),
        (rf"({vn.NUMBER})(?:(\s+)({_VICTIM_RE}))?", bygroups(NUMBER, Whitespace, VICTIM)),
        (_OUTCOME_RE, OUTCOME),
    ]


class VietnameseNewsLexer(RegexLexer):
    """Marks figures, dates, quotations, reporting cues and their sources in news text."""

    name = "Vietnamese news"
    aliases = ("vinews", "vietnamese-news")
    filenames = ()
    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"\s+", Whitespace),
            (_QUOTE_RE, bygroups(QUOTE_MARK, using(this, state="quoted"), QUOTE_MARK)),
            *_marked_rules(),
            (_CUE_RE, CUE),
            (rf"{_W}+", Text),
            (r".", Punctuation),
        ],
        "quoted": [
            (r"\s+", QUOTE),
            *_marked_rules(),
            (rf"{_W}+", QUOTE),
            (r".", QUOTE),
        ],
    }

    def get_tokens_unprocessed(self, text, stack=("root",)):  # type: ignore[override]
        """The rules' tokens, with the source before or after each cue re-marked.

        Works a paragraph at a time, so memory stays flat on a long article.
        """
        tokens = super().get_tokens_unprocessed(text, stack)
        if tuple(stack) != ("root",):
            yield from tokens
            return
        paragraph: list[tuple[int, Any, str]] = []
        for token in tokens:
            paragraph.append(token)
            if token[1] is Whitespace and "\n" in token[2]:
                yield from _mark_sources(text, paragraph)
                paragraph = []
        yield from _mark_sources(text, paragraph)


def _mark_sources(text: str, tokens: list[tuple[int, Any, str]]) -> Iterator[tuple[int, Any, str]]:
    """The tokens with each cue's source re-marked as one ``Name.Entity`` token."""
    found = sorted(
        {s for i, t, v in tokens if t is CUE if (s := source_of_cue(text, i, i + len(v)))}
    )
    if not found:
        yield from tokens
        return
    spans: list[tuple[int, int]] = []
    for s, e in found:  # overlapping sources become one, so no text is ever dropped
        if spans and s < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    starts = [s for s, _ in spans]
    pending: tuple[int, Any, str] | None = None  # a source token that may grow further
    for index, kind, value in tokens:
        end = index + len(value)
        k = bisect_right(starts, end - 1) - 1
        s, e = spans[k] if k >= 0 else (0, 0)
        pieces = [(index, end, kind)]
        if e > index and kind is not CUE:
            cut_in, cut_out = max(index, s), min(end, e)
            pieces = [(index, cut_in, kind), (cut_in, cut_out, SOURCE), (cut_out, end, kind)]
        for a, b, t in pieces:
            if a >= b:
                continue
            if pending and t is SOURCE and pending[0] + len(pending[2]) == a:
                pending = (pending[0], SOURCE, pending[2] + text[a:b])
                continue
            if pending:
                yield pending
                pending = None
            if t is SOURCE:
                pending = (a, t, text[a:b])
            else:
                yield a, t, text[a:b]
    if pending:
        yield pending


# --- sources -------------------------------------------------------------------------

# fmt: off
_LIGHT = [
    "đã", "vừa", "mới", "cũng", "sẽ", "đều", "từng", "ra", "đưa ra", "hôm nay", "hôm qua",
    "mới đây", "vẫn", "chưa", "không", "còn", "lại", "thì", "đã từng", "công khai", "rằng", "thêm",
]
_LEADING = ["hiện nay", "hiện", "trong khi đó", "tuy nhiên", "cùng ngày", "trước đó", "sau đó",
            "đồng thời", "ngoài ra", "cũng", "mặt khác", "và", "nhưng"]
#: Lower-case words that begin a source ("ông Uông Văn Bân", "người phát ngôn của EU").
_HEADS = {"ông", "bà", "ngài", "người", "phát", "giới", "quan", "nhà", "phía", "lãnh", "đại",
          "chính", "hãng", "đài", "báo", "truyền", "thông", "bộ", "tổng", "thủ", "chủ"}
#: Capitalised words that merely begin a sentence, not a name.
_STARTERS = {"các", "những", "một", "điều", "đây", "đó", "này", "khi", "nếu", "trong", "sau",
             "trước", "ngày", "hiện", "theo", "tuy", "nhưng", "vì", "do", "tại", "với", "cùng"}
# fmt: on
_TRAILING_RE = re.compile(rf"(?:^|\s+)(?i:{vn.alternation(_LIGHT + CUES)})\s*$")
_LEADING_RE = re.compile(rf"^(?i:{vn.alternation(_LEADING)})\s+")
_CLAUSE_RE = re.compile(r"[,;:–—]\s*|\s+-\s+")
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"”»)]*\s+")
_WORDS_RE = re.compile(rf"{_W}+")
_LOOKBACK = 2000


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` begins; an initial ("A. Davutoglu") is no end."""
    lo = max(text.rfind("\n", 0, pos) + 1, pos - _LOOKBACK)
    start = lo
    for match in _BOUNDARY_RE.finditer(text, lo, pos):
        word = _WORDS_RE.findall(text, max(lo, match.start() - 3), match.start())
        if not (word and len(word[-1]) == 1 and word[-1].isupper()):
            start = match.end()
    return start


def _is_name(phrase: str) -> bool:
    """A capitalised name or an institution: what a reporting verb attributes to."""
    words = _WORDS_RE.findall(phrase)
    if not 1 <= len(words) <= 15:
        return False
    first = words[0]
    if first[0].isupper():
        if first.lower() in _STARTERS:
            return False
        named = len(words) == 1 or any(w[0].isupper() for w in words[1:]) or first.isupper()
    else:
        named = first in _HEADS and any(w[0].isupper() or w.isdigit() for w in words[1:])
    tail_named = words[-1][0].isupper() or (len(words) > 1 and words[-2][0].isupper())
    return named and tail_named


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    phrase = text[start:end]
    while True:
        stripped = _TRAILING_RE.sub("", phrase)
        if stripped == phrase:
            break
        phrase = stripped
    phrase = phrase.rstrip(" ,")
    lead = _LEADING_RE.match(phrase)
    skip = lead.end() if lead else 0
    skip += len(phrase[skip:]) - len(phrase[skip:].lstrip(' "“«,'))
    return start + skip, start + len(phrase)


def source_of_cue(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) of the name a cue at [start, end) attributes to, or None."""
    if text[start:end].lower() in CUES_BEFORE_SOURCE:
        stop = re.compile(r"[,;:.!?“”«»\"\n]").search(text, end, end + 300)
        s, e = _trim(text, end, stop.start() if stop else min(len(text), end + 300))
        return (s, e) if s < e and _is_name(text[s:e]) else None
    lo = _sentence_start(text, start)
    cuts = [lo] + [m.end() for m in _CLAUSE_RE.finditer(text, lo, start)]
    for i in range(len(cuts) - 1, -1, -1):
        clause_end = start if i == len(cuts) - 1 else cuts[i + 1]
        s, e = _trim(text, cuts[i], clause_end)
        if s >= e:
            continue  # "Akar, tuyên bố": the clause right before the cue is empty
        if not _is_name(text[s:e]):
            return None
        if i == 1 and cuts[0] == lo:  # "Okutan, Tổng thư ký …": a name and its title
            ps, pe = _trim(text, lo, cuts[1])
            words = _WORDS_RE.findall(text[ps:pe])
            if ps < pe and len(words) <= 4 and all(w[0].isupper() for w in words):
                return ps, e
        return s, e
    return None


# --- tokens for the app ----------------------------------------------------------------


@dataclass(frozen=True)
class TokenSpan:
    """A marked stretch of text: [start, end) and its kind (a key of the app's styles)."""

    start: int
    end: int
    kind: str


def lex(text: str) -> Iterator[tuple[int, int, _TokenType]]:
    """Every token of ``text`` as [start, end) and type; offsets count in ``text``."""
    for index, kind, value in VietnameseNewsLexer().get_tokens_unprocessed(text):
        yield index, index + len(value), kind


def token_spans(text: str) -> list[TokenSpan]:
    """The marked tokens only, adjacent ones of one kind merged, in text order."""
    spans: list[TokenSpan] = []
    for start, end, kind in lex(text):
        name = KINDS.get(kind)
        if name is None:
            continue
        if spans and spans[-1].kind == name and spans[-1].end == start:
            spans[-1] = TokenSpan(spans[-1].start, end, name)
        else:
            spans.append(TokenSpan(start, end, name))
    return spans


class TokenMap:
    """A document's marked tokens, built once and asked per screen line."""

    def __init__(self, spans: Iterable[TokenSpan]):
        self.spans = list(spans)
        self._starts = [s.start for s in self.spans]
        self._ends = [s.end for s in self.spans]

    @classmethod
    def build(cls, text: str) -> TokenMap:
        return cls(token_spans(text))

    def between(self, start: int, end: int) -> list[TokenSpan]:
        """The spans overlapping [start, end), in order (they never overlap each other)."""
        lo = bisect_right(self._ends, start)
        hi = bisect_left(self._starts, end)
        return self.spans[lo:hi]
