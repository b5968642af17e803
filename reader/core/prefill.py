"""Attributes a span's own text determines, filled in when it is tagged.

Tagging "hơn 1.300 cảnh sát bị thương" as a casualty already says at least 1300,
security forces, injured; making the annotator type that again invites slips. Tagging
the content of a quotation already says who spoke and with which verb. So a new
annotation starts with what the text determines, and records which attributes those
are in the system attribute :data:`FROM_TEXT`, so agreement and review can tell a value
the text gave from an annotator's choice. The editor marks them; an annotator who
changes one makes it theirs (the schema drops it from :data:`FROM_TEXT`).

The rules are deliberately literal (nothing is guessed from world knowledge):

- **figures** (a label with ``value_best`` / ``qualifier``): the first figure in the
  span, read by :func:`reader.core.vnnumbers.parse_quantity` with its hedge; a span
  that denies any loss ("không có tổn thất nào") is exactly 0.
- **outcome**: the outcome words in the span ("thiệt mạng" killed, "bị thương"
  injured, "bắt giữ" detained, "mất tích" missing, "tổn thất" other); two different
  ones ("thiệt mạng hay bị thương") give ``other``; none in the span, the nearest in
  its sentence ("trong đó có 103 người" inherits "thiệt mạng").
- **victim_group**: the group nouns in the span ("cảnh sát" security_forces, "kẻ bạo
  loạn" protesters, "người" unknown); groups that differ give ``unknown``.
- **quote_type**: ``direct`` when quotation marks enclose the span, ``mixed`` when
  marks stand inside it, else ``indirect`` (only once a cue is found).
- **cue** and **source**: the reporting verb of the span's sentence (before the span,
  else right after a closing quotation) and the name it attributes to, as
  :func:`reader.core.newslexer.source_of_cue` finds it.

Only attributes the label's schema declares, with values it accepts, are filled.
"""

from __future__ import annotations

import re
from typing import Any

from reader.core import vnnumbers as vn
from reader.core.errors import ValidationError
from reader.core.newslexer import (
    _BOUNDARY_RE,
    CUE,
    OUTCOMES,
    VICTIMS,
    _sentence_start,
    lex,
    source_of_cue,
)
from reader.core.schema import FROM_TEXT, Schema

#: Outcome words, and loss words that count as ``other``.
OUTCOME_WORDS: dict[str, str] = {**OUTCOMES, "tổn thất": "other", "thiệt hại về người": "other"}
_OUTCOME_RE = re.compile(rf"(?<!\w)(?i:{vn.alternation(OUTCOME_WORDS)})(?!\w)")
_VICTIM_RE = re.compile(rf"(?<!\w)(?i:{vn.alternation(VICTIMS)})(?!\w)")
# "không có tổn thất nào", "không chịu bất kỳ tổn thất nào": a loss denied is a zero.
_NONE_RE = re.compile(r"(?<!\w)(?i:không)(?!\w).{0,80}?(?<!\w)(?i:nào)(?!\w)", re.DOTALL)
_OPENING = "“«\"‘'"
_CLOSING = "”»\"’'"
_QUOTES = set(_OPENING + _CLOSING)
#: How far after a closing quotation a cue may stand: "“…”, ông Tokayev nói."
_CUE_AFTER = 200

_FIGURE_ATTRIBUTES = ("value_low", "value_best", "value_high", "qualifier")
_CLAIM_ATTRIBUTES = ("cue", "source", "quote_type")


def _key(value: str) -> str:
    return " ".join(value.lower().split())


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, len(text) if hi < 0 else hi


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = _sentence_start(text, start)
    _, para_end = _paragraph(text, start, end)
    boundary = _BOUNDARY_RE.search(text, end, para_end)
    return lo, boundary.start() if boundary else para_end


def figure_values(text: str, start: int, end: int) -> dict[str, Any]:
    """Qualifier, low, best and high of the figure the span states."""
    span = text[start:end]
    for _, _, quantity in vn.find_quantities(span):
        return quantity.attributes()
    if _NONE_RE.search(span) and _OUTCOME_RE.search(span):
        return {"qualifier": "exact", "value_low": 0, "value_best": 0, "value_high": 0}
    return {}


def outcome_value(text: str, start: int, end: int) -> str | None:
    """The outcome the span's words (or, failing them, its sentence's) give."""
    found = {OUTCOME_WORDS[_key(m.group())] for m in _OUTCOME_RE.finditer(text, start, end)}
    if len(found) == 1:
        return found.pop()
    if found:
        return "other"
    lo, hi = _sentence(text, start, end)
    nearest = [
        (min(abs(m.start() - end), abs(start - m.end())), OUTCOME_WORDS[_key(m.group())])
        for m in _OUTCOME_RE.finditer(text, lo, hi)
    ]
    return min(nearest)[1] if nearest else None


def victim_value(text: str, start: int, end: int) -> str | None:
    """The group the span's nouns name; ``unknown`` when they name different ones."""
    found = {VICTIMS[_key(m.group())] for m in _VICTIM_RE.finditer(text, start, end)}
    found.discard(None)
    if len(found) > 1:
        return "unknown"
    return found.pop() if found else None


def claim_values(text: str, start: int, end: int) -> dict[str, Any]:
    """The cue, source and quote type of reported content at [start, end)."""
    direct = start > 0 and text[start - 1] in _OPENING and end < len(text) and text[end] in _CLOSING
    anchor, after = (start - 1, end + 1) if direct else (start, end)
    lo, hi = _paragraph(text, anchor, after)
    paragraph = text[lo:hi]
    cues = [(s + lo, e + lo) for s, e, kind in lex(paragraph) if kind is CUE]
    sentence = _sentence_start(text, anchor)
    cue = next((c for c in reversed(cues) if sentence <= c[0] < anchor), None)
    if cue is None:
        cue = next((c for c in cues if after <= c[0] <= after + _CUE_AFTER), None)
        if cue is not None and _BOUNDARY_RE.search(text, after, cue[0]):
            cue = None
    if cue is None:
        return {"quote_type": "direct"} if direct else {}
    inside = any(ch in _QUOTES for ch in text[start:end])
    found = {
        "cue": _key(text[cue[0] : cue[1]]),
        "quote_type": "direct" if direct else "mixed" if inside else "indirect",
    }
    source = source_of_cue(paragraph, cue[0] - lo, cue[1] - lo)
    if source:
        found["source"] = " ".join(paragraph[source[0] : source[1]].split())
    return found


def prefill(text: str, start: int, end: int, label: str, schema: Schema) -> dict[str, Any]:
    """The attributes [start, end) of ``text`` determines for ``label``, with
    :data:`FROM_TEXT` naming them; empty when it determines none."""
    spec = schema.label(label)
    declared = {a.name for a in spec.attributes}
    found: dict[str, Any] = {}
    if declared & set(_FIGURE_ATTRIBUTES):
        found.update(figure_values(text, start, end))
    if "outcome" in declared and (outcome := outcome_value(text, start, end)):
        found["outcome"] = outcome
    if "victim_group" in declared and (group := victim_value(text, start, end)):
        found["victim_group"] = group
    if declared & set(_CLAIM_ATTRIBUTES):
        found.update(claim_values(text, start, end))
    kept: dict[str, Any] = {}
    for name, value in found.items():
        if name not in declared:
            continue
        try:
            kept.update(schema.check_attributes(label, {name: value}))
        except ValidationError:
            continue  # a user schema without that value: leave it to the annotator
    if kept:
        kept[FROM_TEXT] = sorted(kept)
    return kept
