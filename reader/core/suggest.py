"""Suggested spans: rules that turn the news lexer's marks into proposals.

:func:`suggest` reads the tokens and proposes casualty spans (a figure with its victim
group and/or an outcome word, attributes parsed by :mod:`reader.core.vnnumbers`) and
attribution spans (a quotation's content, with the cue and source that introduce it).
Suggestions are not annotations: the app shows them apart and stores one only when an
annotator accepts it (origin ``suggested``).

The lexer itself is :mod:`reader.core.newslexer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pygments.token import Whitespace, _TokenType

from reader.core import vnnumbers as vn
from reader.core.errors import ValidationError
from reader.core.labels_file import default_schema
from reader.core.model import AnnotationDraft, Document, stable_id
from reader.core.newslexer import (
    _BOUNDARY_RE,
    CUE,
    NUMBER,
    OUTCOME,
    OUTCOMES,
    QUALIFIER,
    QUOTE_MARK,
    VICTIM,
    VICTIMS,
    VietnameseNewsLexer,  # noqa: F401  the pygments entry point in pyproject.toml names it here
    _is_name,
    _sentence_start,
    _trim,
    lex,
    source_of_cue,
)
from reader.core.reported_speech import indirect_attributions
from reader.core.schema import Schema
from reader.core.text import snap_span

#: How many words after a figure (and its victims) an outcome word may stand,
#: and how many before it ("bắt giữ khoảng 4.500 kẻ bạo loạn").
WORDS_AFTER = 12
WORDS_BEFORE = 10
_STOPS = frozenset(".!?;:")

Tok = tuple[int, int, _TokenType]


@dataclass(frozen=True)
class Suggestion:
    """A proposed span. Never an annotation until an annotator accepts it."""

    document: str
    start: int
    end: int
    text: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict, hash=False)
    #: Who proposes it: ``lexer`` (these rules), ``strings`` or ``model``
    #: (:mod:`reader.core.recommend`), and how sure a learned one is (0 to 1).
    source: str = "lexer"
    confidence: float | None = None

    @property
    def key(self) -> str:
        """Stable across runs while the covered text stays: what a rejection remembers."""
        return stable_id("suggestion", self.document, self.start, self.end, self.label, self.text)

    def to_record(self) -> dict[str, Any]:
        """The JSON shape of ``reader suggest --json``."""
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "attributes": dict(self.attributes),
            "source": self.source,
            "confidence": self.confidence,
        }

    def to_draft(self, annotator: str) -> AnnotationDraft:
        """The annotation accepting this suggestion creates (origin ``suggested``)."""
        return AnnotationDraft(
            document=self.document,
            start=self.start,
            end=self.end,
            label=self.label,
            annotator=annotator,
            attributes=dict(self.attributes),
            origin="suggested",
            text=self.text,
        )


def _words(value: str) -> str:
    return " ".join(value.lower().split())


def _step(toks: list[Tok], i: int, step: int) -> int:
    """The next token index from ``i`` that is not blank space."""
    while 0 <= i < len(toks) and toks[i][2] is Whitespace:
        i += step
    return i


def _outcome(text: str, toks: list[Tok], i: int, step: int, window: int) -> Tok | None:
    """The nearest outcome word within ``window`` words, not past a clause end or figure,
    nor past a word that makes the figure the subject of another verb ("để", "được")."""
    words = 0
    while 0 <= i < len(toks):
        start, end, kind = toks[i]
        value = text[start:end]
        if kind is OUTCOME:
            return toks[i]
        if kind in (NUMBER, QUALIFIER, QUOTE_MARK) or "\n" in value or value in _STOPS:
            return None
        if value[:1].isalnum():
            words += 1
            if words > window or value.lower() in _NOT_GOVERNED:
                return None
        i += step
    return None


#: Words between a figure's noun and an outcome that give the figure another verb:
#: "4.000 binh sĩ được triển khai để bắt giữ …" counts troops, not detainees.
_NOT_GOVERNED = frozenset(["để", "nhằm", "được", "sẽ", "cho", "tham", "triển", "đến", "tới"])
#: "…, trong đó có 103 người": a part of the count just given, with its outcome.
_PART_RE = re.compile(r"trong\s+đó(?:\s+có)?\s*$", re.IGNORECASE)
#: "số người … bị giết … là 16 người": the count stated after a copula.
_COPULA_RE = re.compile(r"(?<!\w)là\s*$", re.IGNORECASE)
_COUNT_NOUN_RE = re.compile(r"(?<!\w)số\s+", re.IGNORECASE)
#: "không có tổn thất nào", "không có công dân … nào bị thiệt mạng": an explicit zero.
_LOSS = r"(?:tổn\s+thất|thương\s+vong|thiệt\s+hại\s+về\s+người)"
_OUTCOME_WORDS = rf"(?:bị\s+)?(?:{vn.alternation(OUTCOMES)})"
_ZERO_RE = re.compile(
    rf"(?<!\w)không\s+(?:có|chịu|gây)\s+(?:bất\s+kỳ\s+|một\s+)?(?P<what>[^.,;:!?“”\"\n]{{1,80}}?)"
    rf"\s+nào(?!\w)(?P<tail>\s+về\s+phía\s+[^.,;:!?“”\"\n]{{1,80}}"
    rf"|\s+{_OUTCOME_WORDS}(?:\s+(?:hay|hoặc|và)\s+{_OUTCOME_WORDS})*(?!\w))?",
    re.IGNORECASE,
)
_LOSS_RE = re.compile(rf"(?<!\w){_LOSS}(?!\w)", re.IGNORECASE)
_OUTCOME_IN_RE = re.compile(rf"(?<!\w)(?:{vn.alternation(OUTCOMES)})(?!\w)", re.IGNORECASE)
_VICTIM_IN_RE = re.compile(rf"(?<!\w)(?:{vn.alternation(VICTIMS)})(?!\w)", re.IGNORECASE)


def _governing_before(
    text: str, toks: list[Tok], before: int, sentence: int, found: list[tuple[int, Tok]]
) -> tuple[int, Tok] | None:
    """An outcome before a figure that governs it, and where the span then starts.

    Three constructions: the figure is the outcome verb's object ("bắt giữ khoảng 4.500
    kẻ bạo loạn"); a part of a count just given ("164 người thiệt mạng …, trong đó có
    103 người"); or the count after a copula ("số người … bị giết … là 16 người").
    """
    if before >= 0 and toks[before][2] is OUTCOME:
        return toks[before][0], toks[before]
    lead = text[sentence : toks[before][1] if before >= 0 else sentence]
    if _PART_RE.search(lead) and found and found[-1][0] >= sentence:
        return None if before < 0 else (-1, found[-1][1])
    if _COPULA_RE.search(lead):
        for k in range(before, -1, -1):
            if toks[k][0] < sentence:
                break
            if toks[k][2] is OUTCOME:
                counted = list(_COUNT_NOUN_RE.finditer(text, sentence, toks[k][0]))
                return (counted[-1].end() if counted else toks[k][0]), toks[k]
    return None


def _casualties(text: str, toks: list[Tok]) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """Figures that an outcome word governs: the figure's subject-predicate ("45 sĩ quan
    cảnh sát bị thương"), its object, a part of a count, a copula (:func:`_governing_before`).

    A figure no outcome governs is not casualty data, whatever it counts: troops
    ("lên tới 4.000 binh sĩ"), court cases, aircraft, money. Years and dates never
    reach here (the lexer marks them as dates).
    """
    found: list[tuple[int, Tok]] = []  # (sentence start, outcome) of each casualty so far
    for i, (start, end, kind) in enumerate(toks):
        if kind is not NUMBER:
            continue
        before = _step(toks, i - 1, -1)
        if before >= 0 and toks[before][2] is QUALIFIER:
            start = toks[before][0]
            before = _step(toks, before - 1, -1)
        quantity = vn.parse_quantity(text[start:end])
        if quantity is None:
            continue
        after = _step(toks, i + 1, 1)
        victim = toks[after] if after < len(toks) and toks[after][2] is VICTIM else None
        if victim:
            end = victim[1]
            after = _step(toks, after + 1, 1)
        outcome = None
        if victim is not None:
            outcome = _outcome(text, toks, after, 1, WORDS_AFTER)
        elif after < len(toks) and toks[after][2] is OUTCOME:
            outcome = toks[after]  # "12 bị thương": the outcome right after the figure
        sentence = _sentence_start(text, start)
        if outcome is not None:
            end = outcome[1]
        elif victim is not None:
            governing = _governing_before(text, toks, before, sentence, found)
            if governing is None:
                continue
            if governing[0] >= 0:
                start = governing[0]
            outcome = governing[1]
        else:
            continue
        found.append((sentence, outcome))
        attributes = quantity.attributes()
        attributes["outcome"] = OUTCOMES[_words(text[outcome[0] : outcome[1]])]
        if victim is not None and (group := VICTIMS[_words(text[victim[0] : victim[1]])]):
            attributes["victim_group"] = group
        yield "casualty", start, end, attributes


def _zero_casualties(text: str, lo: int, hi: int) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """Explicit zeros: "không có tổn thất nào về phía …", "không có công dân … nào bị
    thiệt mạng hay bị thương". A "không có … nào" without a loss or outcome word is
    no casualty ("không có thông tin nào")."""
    for match in _ZERO_RE.finditer(text, lo, hi):
        tail = match.group("tail") or ""
        outcomes = {OUTCOMES[_words(m.group())] for m in _OUTCOME_IN_RE.finditer(tail)}
        if not outcomes and not _LOSS_RE.search(match.group("what")):
            continue
        attributes: dict[str, Any] = {"qualifier": "exact", "value_low": 0, "value_best": 0}
        attributes.update(value_high=0, outcome=outcomes.pop() if len(outcomes) == 1 else "other")
        victim = _VICTIM_IN_RE.search(match.group())
        if victim and (group := VICTIMS[_words(victim.group())]):
            attributes["victim_group"] = group
        yield "casualty", match.start(), match.end(), attributes


def _attributions(text: str, toks: list[Tok]) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    marks = [t for t in toks if t[2] is QUOTE_MARK]
    cues = [t for t in toks if t[2] is CUE]
    for opening, closing in zip(marks[::2], marks[1::2]):
        start, end = opening[1], closing[0]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        sentence = _sentence_start(text, opening[0])
        found = None
        for cue in reversed(cues):  # "ông Uông Văn Bân nói: “…”"
            if sentence <= cue[0] < opening[0]:
                source = source_of_cue(text, cue[0], cue[1])
                found = (cue, source) if source else None
                break
        if found is None:
            for cue in cues:  # "“…”, ông Tokayev nói."
                if cue[0] >= closing[1]:
                    if _BOUNDARY_RE.search(text, closing[1], cue[0]) or cue[0] - closing[1] > 200:
                        break
                    s, e = _trim(text, closing[1], cue[0])
                    if s < e and _is_name(text[s:e]):
                        found = (cue, (s, e))
                    break
        if found is None:
            continue
        (cs, ce, _), (ss, se) = found
        yield (
            "attribution",
            start,
            end,
            {
                "source": " ".join(text[ss:se].split()),
                "cue": _words(text[cs:ce]),
                "quote_type": "direct",
            },
        )


def fit_attributes(schema: Schema, label: str, attributes: dict[str, Any]) -> dict[str, Any] | None:
    """The attributes a (possibly user-made) schema accepts; None if it lacks the label."""
    if label not in schema.names:
        return None
    kept: dict[str, Any] = {}
    for name, value in attributes.items():
        try:
            kept.update(schema.check_attributes(label, {name: value}))
        except ValidationError:
            continue
    return kept


def _paragraph_suggestions(
    text: str, toks: list[Tok]
) -> list[tuple[str, int, int, dict[str, Any]]]:
    if not toks:
        return []
    found = [*_casualties(text, toks), *_attributions(text, toks)]
    found += indirect_attributions(text, toks)
    return found + list(_zero_casualties(text, toks[0][0], toks[-1][1]))


def suggest(document: Document, schema: Schema | None = None) -> list[Suggestion]:
    """Proposed casualty and attribution spans of one document, in text order.

    Labels the schema lacks are not proposed; attribute values it refuses are left out.
    """
    schema = schema or default_schema()
    text = document.text
    found: list[tuple[str, int, int, dict[str, Any]]] = []
    paragraph: list[Tok] = []
    for tok in lex(text):
        paragraph.append(tok)
        if tok[2] is Whitespace and "\n" in text[tok[0] : tok[1]]:
            found += _paragraph_suggestions(text, paragraph)
            paragraph = []
    found += _paragraph_suggestions(text, paragraph)
    suggestions: dict[tuple[int, int, str], Suggestion] = {}
    for label, start, end, attributes in found:
        fitted = fit_attributes(schema, label, attributes)
        if fitted is None:
            continue
        start, end = snap_span(text, start, end)
        key = (start, end, label)
        if key not in suggestions:
            suggestions[key] = Suggestion(document.id, start, end, text[start:end], label, fitted)
    return [suggestions[k] for k in sorted(suggestions)]
