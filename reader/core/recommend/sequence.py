"""The statistical recommender: a linear-chain CRF per label over a paragraph's tokens.

Why a CRF: spans are runs of tokens whose edges depend on the neighbours (a casualty
span ends at its outcome word, an attribution's content starts after the cue), which a
linear chain models directly; it trains in seconds on a few hundred spans, on CPU, with
python-crfsuite (the optional ``learn`` extra; Okazaki 2007, CRFsuite, L-BFGS with
elastic-net regularisation, the defaults of sklearn-crfsuite's examples).

Tokens are syllables and single punctuation marks (Vietnamese words are runs of
syllables, and the syllable bigram features let the model see the words). Features:
the token, its shape, the news lexer's mark on it (number, outcome, victim, cue,
quote, date, qualifier, source: :mod:`reader.core.newslexer`), and the same for two
tokens either side. One model per label, tagged B/I/O, so spans of different labels may
overlap as annotators' do (a casualty figure inside a reported statement).

A proposed span's confidence is the smallest marginal probability of its tags.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from reader.core.newslexer import TokenMap

_TOKEN = regex.compile(r"[\w\p{M}]+(?:['’\-.,/:][\w\p{M}]+)*|\S")
#: Spans of a label the team must have tagged before a model of it is trained.
MIN_SPANS = 10
#: Proposals less likely than this are not shown.
MIN_CONFIDENCE = 0.3
_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


def available() -> bool:
    """Whether the ``learn`` extra (python-crfsuite) is installed."""
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class _Paragraph:
    tokens: list[tuple[int, int]]
    features: list[list[str]]


def _paragraphs(text: str) -> list[_Paragraph]:
    marks = TokenMap.build(text)
    found = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        tokens = [(start + m.start(), start + m.end()) for m in _TOKEN.finditer(line)]
        if tokens:
            kinds = []
            for s, e in tokens:
                over = marks.between(s, e)
                kinds.append(over[0].kind if over else "-")
            words = [text[s:e] for s, e in tokens]
            found.append(_Paragraph(tokens, _features(words, kinds)))
        start = end + 1
    return found


def _shape(word: str) -> str:
    if word.isdigit() or regex.fullmatch(r"[\d.,/:-]+", word):
        return "num"
    if not word[0].isalnum():
        return "punct"
    if word.isupper() and len(word) > 1:
        return "upper"
    return "title" if word[0].isupper() else "lower"


def _features(words: list[str], kinds: list[str]) -> list[list[str]]:
    lower = [w.lower() for w in words]
    n = len(words)
    rows = []
    for i in range(n):
        row = [f"w={lower[i]}", f"shape={_shape(words[i])}", f"kind={kinds[i]}"]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                row += [f"w{d}={lower[j]}", f"kind{d}={kinds[j]}", f"shape{d}={_shape(words[j])}"]
            else:
                row.append(f"w{d}=<edge>")
        if i > 0:
            row.append(f"bi-={lower[i - 1]}|{lower[i]}")
        if i + 1 < n:
            row.append(f"bi+={lower[i]}|{lower[i + 1]}")
        rows.append(row)
    return rows


def _tags(tokens: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[str]:
    tags = ["O"] * len(tokens)
    for s, e in spans:
        inside = [k for k, (a, b) in enumerate(tokens) if a >= s and b <= e]
        for n, k in enumerate(inside):
            tags[k] = "B" if n == 0 else "I"
    return tags


class SequenceModel:
    """One CRF per label, trained on (document text, spans) pairs."""

    def __init__(self, taggers: dict[str, Any]):
        self.taggers = taggers

    @property
    def labels(self) -> list[str]:
        return sorted(self.taggers)

    def propose(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, label, confidence) of each span the models tag."""
        found = []
        paragraphs = _paragraphs(text)
        for label, tagger in self.taggers.items():
            for p in paragraphs:
                tags = tagger.tag(p.features)
                k = 0
                while k < len(tags):
                    if tags[k] == "O":
                        k += 1
                        continue
                    first = k
                    k += 1
                    while k < len(tags) and tags[k] == "I":
                        k += 1
                    confidence = min(tagger.marginal(tags[j], j) for j in range(first, k))
                    if confidence >= MIN_CONFIDENCE:
                        found.append((p.tokens[first][0], p.tokens[k - 1][1], label, confidence))
        return found


def train(
    documents: Mapping[str, str], spans: Iterable[tuple[str, int, int, str]]
) -> SequenceModel | None:
    """Models for each label with at least ``MIN_SPANS`` spans; ``None`` if none has
    enough, or without the ``learn`` extra. ``documents`` maps id to text; ``spans`` are
    (document, start, end, label). Only documents with spans are learned from: a
    document nobody annotated is no evidence that it holds nothing; one annotated for
    any label is evidence for every label."""
    try:
        import pycrfsuite
    except ImportError:
        return None
    by_label: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for doc, start, end, label in spans:
        if doc in documents:
            by_label.setdefault(label, {}).setdefault(doc, []).append((start, end))
    annotated = sorted({doc for per_doc in by_label.values() for doc in per_doc})
    paragraphs = {doc: _paragraphs(documents[doc]) for doc in annotated}
    taggers = {}
    for label, per_doc in sorted(by_label.items()):
        if sum(map(len, per_doc.values())) < MIN_SPANS:
            continue
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params(_PARAMS)
        for doc in annotated:  # a document annotated for anything is evidence for all labels
            for p in paragraphs[doc]:
                trainer.append(p.features, _tags(p.tokens, per_doc.get(doc, [])))
        taggers[label] = _tagger(trainer, pycrfsuite)
    return SequenceModel(taggers) if taggers else None


def _tagger(trainer: Any, pycrfsuite: Any) -> Any:
    """Train to a private temporary file, then hold the model in memory only."""
    handle, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(handle)
    try:
        trainer.train(path)
        with open(path, "rb") as model:
            data = model.read()
    finally:
        os.unlink(path)
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)  # reads the bytes in place: they must live as long
    return _Tagger(tagger, data)


@dataclass(frozen=True)
class _Tagger:
    """A CRFsuite tagger with the model bytes it reads from (freeing them corrupts it)."""

    tagger: Any
    model: bytes

    def tag(self, features: list[list[str]]) -> list[str]:
        return self.tagger.tag(features)

    def marginal(self, tag: str, position: int) -> float:
        return self.tagger.marginal(tag, position)
