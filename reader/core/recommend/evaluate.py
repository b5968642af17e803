"""How well each recommender proposes what a reference annotator tagged, by
leave-one-document-out: for each document the reference annotated, ``strings`` and
``model`` learn from the reference's spans in every other document and propose on this
one; ``lexer`` needs no training. Scores are :mod:`reader.core.recommend.score`'s exact
and partial precision, recall and F1, summed over documents (micro average).

Only documents where the reference has at least one span take part: a document the
reference never opened is no evidence of what it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reader.core.model import Document
from reader.core.recommend import SOURCES, TaggedSpan, learn, propose
from reader.core.recommend.score import Score
from reader.core.schema import Schema


def evaluate(
    documents: Iterable[Document],
    reference: Iterable[TaggedSpan],
    schema: Schema,
    sources: Iterable[str] = SOURCES,
) -> dict[str, Any]:
    """``{"documents": n, "spans": n, "recommenders": {source: {"overall": …,
    "labels": {label: {"exact": {…}, "partial": {…}}}}}}``."""
    sources = list(sources)
    spans = list(reference)
    annotated = {s.document for s in spans}
    docs = [d for d in documents if d.id in annotated]
    texts = {d.id: d.text for d in docs}
    scores = {source: Score() for source in sources}
    learning = [s for s in sources if s != "lexer"]
    for doc in docs:
        truth = [(s.start, s.end, s.label) for s in spans if s.document == doc.id]
        learned = None
        if learning:
            others = [s for s in spans if s.document != doc.id]
            learned = learn(
                {k: v for k, v in texts.items() if k != doc.id}, others, model="model" in learning
            )
        for source in sources:
            found = propose(doc, schema, learned, (source,))
            scores[source].add(truth, [(s.start, s.end, s.label) for s in found])
    labels = sorted(
        {s.label for s in spans} | {lab for sc in scores.values() for lab in sc.labels()}
    )
    return {
        "documents": len(docs),
        "spans": len(spans),
        "recommenders": {
            source: {
                "overall": score.result(),
                "labels": {label: score.result(label) for label in labels},
            }
            for source, score in scores.items()
        },
    }
