"""Recommenders: who proposes spans to an annotator, and how well.

Three sources, each marked on its suggestions (``reader suggest --json``: ``source``):

- ``lexer``: the news lexer's rules (:mod:`reader.core.suggest`), no training;
- ``strings``: every span text the team tagged, wherever it recurs
  (:mod:`reader.core.recommend.strings`);
- ``model``: a CRF per label trained on the team's spans
  (:mod:`reader.core.recommend.sequence`, the optional ``learn`` extra).

"The team" is the annotator's own spans and the gold set, never another annotator's:
annotation is blind until review. :func:`learn` trains the last two;
:mod:`reader.core.recommend.evaluate` scores all three against a reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reader.core import vnnumbers
from reader.core.labels_file import default_schema
from reader.core.model import Document
from reader.core.newslexer import OUTCOMES
from reader.core.recommend.sequence import SequenceModel
from reader.core.recommend.sequence import train as train_model
from reader.core.recommend.strings import StringMatcher, string_matcher
from reader.core.schema import Schema
from reader.core.segments import trim_span
from reader.core.suggest import Suggestion, fit_attributes, suggest
from reader.core.text import snap_span

SOURCES = ("lexer", "strings", "model")
_OUTCOME_RE = re.compile(rf"(?<!\w)(?:{vnnumbers.alternation(OUTCOMES)})(?!\w)", re.IGNORECASE)
#: When two sources propose the same span and label, the one shown: a text the team
#: tagged before, then the model, then the rules.
PRECEDENCE = ("strings", "model", "lexer")


class TaggedSpan(NamedTuple):
    """What the recommenders learn from: one span of the team's."""

    document: str
    start: int
    end: int
    label: str
    text: str
    attributes: Mapping[str, Any]


@dataclass
class Learned:
    """The trained recommenders (the rules need no training)."""

    strings: StringMatcher = field(default_factory=StringMatcher)
    model: SequenceModel | None = None
    spans: int = 0


def learn(
    documents: Mapping[str, str],
    spans: Iterable[TaggedSpan],
    rejected: Iterable[tuple[str, str]] = (),
    *,
    model: bool = True,
) -> Learned:
    """Train on the team's spans; ``rejected`` are (text, label) of rejected suggestions.

    ``documents`` maps id to text (the model needs the words around each span).
    """
    spans = list(spans)
    matcher = string_matcher((s.text, s.label, dict(s.attributes)) for s in spans)
    for text, label in rejected:
        matcher.reject(text, label)
    trained = None
    if model:
        trained = train_model(documents, ((s.document, s.start, s.end, s.label) for s in spans))
    return Learned(matcher, trained, len(spans))


def propose(
    document: Document,
    schema: Schema | None = None,
    learned: Learned | None = None,
    sources: Iterable[str] = SOURCES,
) -> list[Suggestion]:
    """Suggestions of the chosen sources, one per span and label, in text order."""
    schema = schema or default_schema()
    sources = set(sources)
    found: dict[tuple[int, int, str], Suggestion] = {}

    def add(start: int, end: int, label: str, attributes: dict, source: str, confidence) -> None:
        fitted = fit_attributes(schema, label, attributes)
        if fitted is None:
            return
        start, end = snap_span(document.text, *trim_span(document.text, start, end))
        key = (start, end, label)
        if start < end and key not in found:
            text = document.text[start:end]
            found[key] = Suggestion(
                document.id, start, end, text, label, fitted, source, confidence
            )

    for source in PRECEDENCE:
        if source not in sources:
            continue
        if source == "lexer":
            for s in suggest(document, schema):
                add(s.start, s.end, s.label, dict(s.attributes), "lexer", None)
        elif source == "strings" and learned is not None:
            for start, end, label, attributes, confidence in learned.strings.propose(document):
                add(start, end, label, attributes, "strings", round(confidence, 3))
        elif source == "model" and learned is not None and learned.model is not None:
            for start, end, label, confidence in learned.model.propose(document.text):
                attributes = (
                    casualty_attributes(document.text[start:end]) if label == "casualty" else {}
                )
                add(start, end, label, attributes, "model", round(confidence, 3))
    return [found[k] for k in sorted(found)]


def casualty_attributes(text: str) -> dict[str, Any]:
    """What a casualty span's own words say: its first figure (``vnnumbers``) and its
    outcome word, for a span the model proposes without attributes."""
    attributes: dict[str, Any] = {}
    for _, _, quantity in vnnumbers.find_quantities(text):
        attributes.update(quantity.attributes())
        break
    outcome = _OUTCOME_RE.search(text)
    if outcome:
        attributes["outcome"] = OUTCOMES[" ".join(outcome.group().lower().split())]
    return attributes


def team_spans(store: Any, annotators: Iterable[str]) -> list[TaggedSpan]:
    """The live, anchored spans of ``annotators`` (an annotator and gold) to learn from,
    read annotator by annotator (a big database holds many others)."""
    return [
        TaggedSpan(a.document, a.start, a.end, a.label, a.text, dict(a.attributes))
        for name in sorted(set(annotators))
        for a in store.iter_annotations(annotator=name, include_orphaned=False)
    ]
