"""Reported speech without a quotation: what a source says, in the article's words.

Two constructions of Vietnamese news, each proposed as an attribution whose span is
the reported content (as a quotation's span is its content):

- ``Theo <source>, <content>.``: the cue opens the sentence or clause, the source runs
  to the first comma ("Theo Bộ Nội vụ, 16 người thiệt mạng");
- ``<source> <cue> [rằng|:] <content>.``: a reporting verb after a name the lexer
  recognises as a source ("Nga cho biết sẽ tham vấn …").

The content runs to the end of the sentence or to the first ``;`` (where Vietnamese
news often turns to the writer's own comment). Content that is one whole quotation is
left to the quotation rule (:mod:`reader.core.suggest`); content that holds a partial
quotation is ``mixed``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pygments.token import _TokenType

from reader.core.newslexer import CUE, CUES_BEFORE_SOURCE, _is_name, _trim, source_of_cue
from reader.core.segments import sentence_at, trim_span

Tok = tuple[int, int, _TokenType]
_OPENERS = '“«"'
_MAX_SOURCE = 120  # characters between "Theo" and its comma
_LINKS = ("rằng", ":", ",")  # what may stand between a cue and its content
_LEAD = 30  # characters at the content's start where another cue takes over
#: Words before a cue that make it a noun ("đưa ra tuyên bố": to issue a statement).
_NOUN_MARKS = frozenset(["ra", "các", "những", "một", "bản", "lời", "kỳ", "có"])


def _content(text: str, start: int, cues: list[Tok]) -> tuple[int, int, str] | None:
    """[start, end) of the reported content from ``start``, and its quote type; None
    where another cue takes over: right at the start ("ra tuyên bố nêu rõ: …", "Theo
    …, người ta cho rằng …") or after a whole quotation ("“…”, ông bày tỏ …")."""
    if start >= len(text):
        return None
    end = sentence_at(text, start)[1]
    if end <= start or any(start <= c < start + _LEAD for c, _, _ in cues):
        return None
    cut = text.find(";", start, end)
    first = text[start:end].lstrip()
    if first[:1] in _OPENERS:
        closer = {"“": "”", "«": "»", '"': '"'}[first[0]]
        open_at = start + text[start:end].index(first[0])
        close_at = text.find(closer, open_at + 1, end + 1)
        if close_at < 0:
            return None
        rest = text[close_at + 1 : end].strip(' .,;:”»"')
        if not rest or any(close_at < c < end for c, _, _ in cues):
            return None  # one whole quotation: the quotation rule proposes it
        cut = text.find(";", close_at, end)
    if cut >= 0:
        end = cut
    s, e = trim_span(text, start, end)
    if e - s < 3:
        return None
    quoted = any(m in text[s:e] for m in '“”«»"')
    return s, e, "mixed" if quoted else "indirect"


def indirect_attributions(
    text: str, toks: list[Tok]
) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """Attributions of reported speech in one paragraph's tokens."""
    cues = [t for t in toks if t[2] is CUE]
    for start, end, _ in cues:
        cue = " ".join(text[start:end].lower().split())
        before = text[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _NOUN_MARKS:
            continue
        if cue in CUES_BEFORE_SOURCE:
            comma = text.find(",", end, end + _MAX_SOURCE)
            if comma < 0 or "\n" in text[end:comma] or "." in text[end:comma].rstrip("."):
                continue
            ss, se = _trim(text, end, comma)
            if ss >= se or not _name_or_source(text[ss:se]):
                continue
            found = _content(text, comma + 1, cues)
        else:
            source = source_of_cue(text, start, end)
            if source is None:
                continue
            ss, se = source
            after = end
            rest = text[after:].lstrip()
            for link in _LINKS:
                if rest.startswith(link):
                    after = text.index(link, after) + len(link)
                    break
            found = _content(text, after, cues)
        if found is None:
            continue
        s, e, quote_type = found
        yield (
            "attribution",
            s,
            e,
            {"source": " ".join(text[ss:se].split()), "cue": cue, "quote_type": quote_type},
        )


def _name_or_source(phrase: str) -> bool:
    """After "Theo": a name, or a short phrase naming a kind of source ("các nguồn tin")."""
    words = phrase.split()
    return _is_name(phrase) or 1 <= len(words) <= 8
