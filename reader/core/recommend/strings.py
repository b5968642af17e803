"""The string-matching recommender (INCEpTION's "String Matching" recommender).

Every span text the team tagged (this annotator's own spans and the gold set: other
annotators' stay hidden, annotation is blind) is proposed wherever the same text recurs
in any document, with its label and the attributes it was given most often. A match
must stand on word edges: no letter, mark or digit right before or after it, so "Nga"
is not proposed inside "Ngay". Texts are compared as stored: NFC, case as written.

Ranking: how often the text was tagged with that label (each tag is an acceptance)
against how often a suggestion of it was rejected; the confidence is
``accepted / (accepted + rejected)``, and a text rejected at least as often as it was
accepted is no longer proposed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import regex

from reader.core.model import Document

#: A letter, mark or digit: what a match may not touch on either side.
_WORD_CHAR = regex.compile(r"[\w\p{M}]")
#: At most this many characters per proposed text (a tagged paragraph recurs rarely,
#: and long alternatives make the search slow).
MAX_TEXT = 300


@dataclass
class _Entry:
    accepted: int = 0
    rejected: int = 0
    attributes: Counter = field(default_factory=Counter)


@dataclass
class StringMatcher:
    """What the team tagged, by (text, label)."""

    entries: dict[tuple[str, str], _Entry] = field(default_factory=dict)
    _pattern: Any = None

    def learn(self, text: str, label: str, attributes: dict[str, Any] | None = None) -> None:
        """One tagged span (an acceptance)."""
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            return
        entry = self.entries.setdefault((text, label), _Entry())
        entry.accepted += 1
        entry.attributes[json.dumps(attributes or {}, sort_keys=True, ensure_ascii=False)] += 1
        self._pattern = None

    def reject(self, text: str, label: str) -> None:
        """One rejected suggestion of ``text`` as ``label``."""
        entry = self.entries.get((text.strip(), label))
        if entry is not None:
            entry.rejected += 1

    def confidence(self, text: str, label: str) -> float | None:
        entry = self.entries.get((text, label))
        if entry is None or entry.accepted <= entry.rejected:
            return None
        return entry.accepted / (entry.accepted + entry.rejected)

    def propose(self, document: Document) -> list[tuple[int, int, str, dict[str, Any], float]]:
        """(start, end, label, attributes, confidence) of every word-bounded recurrence."""
        if not self.entries:
            return []
        if self._pattern is None:
            texts = sorted({t for t, _ in self.entries}, key=lambda t: (-len(t), t))
            self._pattern = regex.compile("|".join(regex.escape(t) for t in texts))
        by_text: dict[str, list[str]] = {}
        for text, label in self.entries:
            by_text.setdefault(text, []).append(label)
        found = []
        body = document.text
        for match in self._pattern.finditer(body, overlapped=True):
            start, end = match.span()
            if start > 0 and _WORD_CHAR.match(body, start - 1) and _WORD_CHAR.match(body, start):
                continue
            if end < len(body) and _WORD_CHAR.match(body, end) and _WORD_CHAR.match(body, end - 1):
                continue
            for label in by_text[match.group()]:
                confidence = self.confidence(match.group(), label)
                if confidence is None:
                    continue
                entry = self.entries[match.group(), label]
                attributes = json.loads(entry.attributes.most_common(1)[0][0])
                found.append((start, end, label, attributes, confidence))
        return found


def string_matcher(spans: Iterable[tuple[str, str, dict[str, Any]]]) -> StringMatcher:
    """A matcher that learned each (text, label, attributes)."""
    matcher = StringMatcher()
    for text, label, attributes in spans:
        matcher.learn(text, label, attributes)
    return matcher
