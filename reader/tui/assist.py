"""What the annotate screen shows besides annotations: the news lexer's tokens,
suggested spans, and passages shared with other documents.

None of it is an annotation until the annotator accepts or propagates it; this module
only computes what to draw and what an accept or a propagation would write, and the
screen calls the store for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style

from reader.core.model import Annotation
from reader.core.store import Store

if TYPE_CHECKING:  # the lexer, the suggester and passages load when first shown, not at start-up
    from reader.core.alignmap import Alignment, AlignmentIndex
    from reader.core.newslexer import TokenMap
    from reader.core.recommend import Learned
    from reader.core.suggest import Suggestion

#: One dim style per token kind: enough to see, never louder than an annotation.
TOKEN_STYLES = {
    "number": Style(color="bright_cyan", bold=True),
    "qualifier": Style(color="cyan", italic=True),
    "date": Style(color="bright_black", italic=True),
    "quote": Style(color="green", italic=True),
    "cue": Style(color="bright_magenta", bold=True),
    "outcome": Style(color="bright_red", bold=True),
    "victim": Style(color="yellow"),
    "source": Style(color="bright_blue", underline=True),
}
SUGGESTION_STYLE = Style(underline=True, dim=True, italic=True)
PASSAGE_STYLE = Style(color="bright_cyan", bold=True)


class Assist:
    """Caches keyed by document SHA, so a changed text is never shown stale hints."""

    def __init__(self, store: Store):
        self.store = store
        self.show_tokens = False
        self.show_suggestions = False
        self._tokens: dict[str, TokenMap] = {}
        self._suggestions: dict[str, list[Suggestion]] = {}
        self.learned: Learned | None = None  # strings and model, once a worker trained them
        self._passages: AlignmentIndex | None = None  # none until the worker aligned them
        self.pending_propagation: tuple[str, int] | None = None

    @property
    def passages(self) -> AlignmentIndex:
        """Passages shared with other documents (empty until the worker aligned them)."""
        if self._passages is None:
            self.set_passages([])
        return self._passages

    def set_passages(self, alignments: list[Alignment]) -> None:
        from reader.core.alignmap import AlignmentIndex

        self._passages = AlignmentIndex(alignments)

    def set_learned(self, learned: Learned) -> None:
        """New strings and model (a worker trained them): suggestions are made afresh."""
        self.learned = learned
        self._suggestions.clear()

    def suggestions(
        self, document_id: str, text: str, sha: str, own: list[Annotation]
    ) -> list[Suggestion]:
        """Open suggestions of every recommender: not rejected, and not already tagged by
        this annotator."""
        from reader.core.recommend import propose
        from reader.core.store.decisions import rejected_suggestions

        if sha not in self._suggestions:
            document = self.store.document(document_id)
            self._suggestions[sha] = propose(document, self.store.schema, self.learned)
        rejected = rejected_suggestions(self.store, document_id)
        taken = {(a.start, a.end, a.label) for a in own}
        return [
            s
            for s in self._suggestions[sha]
            if (s.start, s.end, s.label) not in rejected and (s.start, s.end, s.label) not in taken
        ]

    def hints(self, document_id: str, text: str, sha: str, own: list[Annotation]) -> list[tuple]:
        hints: list[tuple] = []
        if self.show_tokens:
            if sha not in self._tokens:
                from reader.core.newslexer import TokenMap

                self._tokens[sha] = TokenMap.build(text)
            for token in self._tokens[sha].spans:
                hints.append(
                    (
                        f"token:{token.kind}",
                        token.start,
                        token.end,
                        TOKEN_STYLES.get(token.kind, Style(dim=True)),
                    )
                )
        if self.show_suggestions:
            for index, s in enumerate(self.suggestions(document_id, text, sha, own)):
                hints.append((f"suggestion:{index}", s.start, s.end, SUGGESTION_STYLE))
        hints.sort(key=lambda h: h[1])
        return hints

    def gutter(self, document_id: str) -> list[tuple]:
        if self._passages is None:  # the first paint: not aligned yet
            return []
        return [
            (f"passage:{i}", p.a.start, p.a.end)
            for i, p in enumerate(self.passages.for_document(document_id))
        ]

    def suggestion_at(
        self, document_id: str, text: str, sha: str, own: list[Annotation], offset: int
    ) -> Suggestion | None:
        if not self.show_suggestions:
            return None
        found = [
            s for s in self.suggestions(document_id, text, sha, own) if s.start <= offset < s.end
        ]
        return min(found, key=lambda s: s.end - s.start) if found else None

    def propagation(
        self,
        alignment: Alignment,
        own: list[Annotation],
        text_a: str,
        text_b: str,
        existing_b: list[Annotation],
    ) -> list[tuple[Annotation, tuple[int, int]]]:
        """(annotation, span in b) for each of ``own`` inside the passage that maps across."""
        from reader.core.alignmap import map_span

        taken = {(a.start, a.end, a.label) for a in existing_b}
        planned = []
        for annotation in own:
            if annotation.orphaned or not (
                alignment.a.start <= annotation.start and annotation.end <= alignment.a.end
            ):
                continue
            mapped = map_span(alignment, annotation.start, annotation.end, text_a, text_b)
            if mapped is not None and (*mapped, annotation.label) not in taken:
                planned.append((annotation, mapped))
        return planned
