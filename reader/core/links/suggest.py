"""Suggested links, proposed from what an annotator has tagged; never stored until
accepted.

- ``source_of``: an attribution whose sentence holds exactly one claim (a span a
  ``source_of`` link may point to) proposes a link to that claim. Two claims in the
  sentence are ambiguous, and reader does not guess.
- ``same_claim``: two casualty claims in different documents with the same figure and
  the same outcome propose to be one claim retold (001 and 002 both carry RIA Novosti's
  164 killed).

Pairs already joined by any live link are not proposed again, nor are rejected ones: a
rejection is kept with the suggestion decisions of spans (reader.core.store.decisions),
on the span the link would start from, its label naming the link
(``link:TYPE:OTHER_ID``), so it stays rejected until that document's text changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.claims import CASUALTY, SOURCE_OF, Claim, claim_labels
from reader.core.model import Annotation
from reader.core.segments import sentence_at
from reader.core.store.decisions import reject_suggestion, rejected_suggestions

if TYPE_CHECKING:
    from reader.core.store import Store

SAME_CLAIM = "same_claim"


@dataclass(frozen=True)
class LinkSuggestion:
    type: str
    source: Annotation
    target: Annotation
    reason: str

    @property
    def decision_label(self) -> str:
        """How a rejection of this suggestion is remembered."""
        return f"link:{self.type}:{self.target.id}"


def suggest_links(store: Store, documents: list[str] | None = None) -> list[LinkSuggestion]:
    """The store annotator's suggested links among ``documents`` (None: all)."""
    names = {t.name for t in store.schema.links}
    mine = [
        a
        for document in (documents if documents is not None else [None])
        for a in store.iter_annotations(
            document=document, annotator=store.annotator, include_orphaned=False
        )
    ]
    linked = {
        frozenset((end.link.source, end.link.target))
        for a in mine
        for end in store.links_of(a.id)
        if end.state == "live"
    }
    rejected = {doc: rejected_suggestions(store, doc) for doc in {a.document for a in mine}}
    found: list[LinkSuggestion] = []
    if SOURCE_OF in names:
        found += _sources(store, mine)
    if SAME_CLAIM in names:
        found += _same_claims(mine)
    return [
        s
        for s in found
        if frozenset((s.source.id, s.target.id)) not in linked
        and (s.source.start, s.source.end, s.decision_label) not in rejected[s.source.document]
    ]


def _sources(store: Store, mine: list[Annotation]) -> list[LinkSuggestion]:
    claims = set(claim_labels(store))
    texts: dict[str, str] = {}
    found = []
    for a in mine:
        if a.label == "attribution":
            text = texts.get(a.document) or texts.setdefault(
                a.document, store.document(a.document).text
            )
            start, end = sentence_at(text, a.start)
            inside = [
                c for c in mine
                if c.document == a.document and c.label in claims and c.start < end and c.end > start
            ]  # fmt: skip
            if len(inside) == 1:
                found.append(
                    LinkSuggestion(SOURCE_OF, a, inside[0], "the only claim in its sentence")
                )
    return found


def _same_claims(mine: list[Annotation]) -> list[LinkSuggestion]:
    by_figure: dict[tuple[object, int], list[Annotation]] = {}
    for a in mine:
        figure = Claim(a).figure
        if a.label == CASUALTY and figure is not None and a.attributes.get("outcome"):
            by_figure.setdefault((a.attributes["outcome"], figure), []).append(a)
    found = []
    for (outcome, figure), group in sorted(by_figure.items(), key=lambda kv: str(kv[0])):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.document != b.document:
                    first, second = sorted((a, b), key=lambda x: x.id)
                    found.append(
                        LinkSuggestion(SAME_CLAIM, first, second, f"{figure} {outcome} in both")
                    )
    return found


def accept(store: Store, suggestion: LinkSuggestion):
    """Make the suggested link (origin ``suggested``)."""
    return store.create_link(
        suggestion.source.id, suggestion.target.id, suggestion.type, origin="suggested"
    )


def reject(store: Store, suggestion: LinkSuggestion) -> None:
    """Remember that this link is not wanted, so it is not proposed again."""
    s = suggestion.source
    reject_suggestion(store, s.document, s.start, s.end, suggestion.decision_label)
