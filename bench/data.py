"""Deterministic benchmark data, built from the shipped corpus's sentences.

Everything here is a pure function of a seed, so two runs of the suite measure the
same articles and the same spans. Text is the seed articles' sentences, shuffled into
paragraphs (so it is real Vietnamese, with its diacritics and punctuation, not lorem
ipsum); spans start and end on word edges (``[\\p{L}\\p{M}\\p{N}]+``), which are always
grapheme boundaries, so the store accepts every one of them.

- ``article(size)``: an article of about ``size`` UTF-8 bytes (5 KB, 1 MB, 10 MB).
- ``spans(text, count)``: ``count`` spans over one article, in document order.
- ``agreement_corpus(...)``: many articles, each annotated by several annotators who
  copy a shared set of "true" spans with noise (moved edges, changed labels, missed
  and invented spans), one document in twenty left not done by one annotator.
- ``native_jsonl(...)``: those annotations as reader's native JSON Lines.

No Textual and no timing here: the figures (``bench/figures/``) do the measuring.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import regex

from reader.core.corpus import read_corpus
from reader.core.model import AnnotationDraft, Document, DocumentStatus, context
from reader.core.text import sha256

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LABELS = ("propaganda", "casualty", "attribution")
ANNOTATORS = ("lan", "minh", "Nguyễn Văn An")
STAMP = "2022-01-10T10:00:00.000000+00:00"

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_SENTENCE_END = regex.compile(r"(?<=[.!?…][”\"»)]?)\s+")
_SENTENCES: list[str] = []


def sentences() -> list[str]:
    """The shipped articles' sentences, normalized as the store holds text."""
    if not _SENTENCES:
        for doc in read_corpus(CORPUS):
            _SENTENCES.extend(s.strip() for s in _SENTENCE_END.split(doc.text) if s.strip())
    return _SENTENCES


def article(size: int, seed: int = 2022) -> str:
    """Paragraphs of 2 to 6 random sentences, about ``size`` UTF-8 bytes, ending in a newline."""
    rng = random.Random(f"article:{size}:{seed}")
    pool = sentences()
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs) + "\n"


def document(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, text=text, sha256=sha256(text))


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word: edges that are always grapheme boundaries."""
    return [m.span() for m in _WORD.finditer(text)]


def spans(text: str, count: int, seed: int = 7) -> list[tuple[int, int, str]]:
    """``count`` distinct spans of 1 to 6 words, labels in turn, sorted by position."""
    rng = random.Random(f"spans:{count}:{seed}")
    edges = words(text)
    found: set[tuple[int, int, str]] = set()  # reader keeps one mark per span and label
    n = 0
    while len(found) < count:
        k = rng.randrange(len(edges))
        last = min(len(edges) - 1, k + rng.randint(0, 5))
        found.add((edges[k][0], edges[last][1], LABELS[n % len(LABELS)]))
        n += 1
    return sorted(found)


def annotation_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def drafts(
    doc: Document, found: Iterable[tuple[int, int, str]], annotator: str, first: int = 0
) -> list[AnnotationDraft]:
    """Spans as import drafts by one annotator, with fixed ids (numbered from ``first``)
    and timestamps."""
    return [
        AnnotationDraft(
            document=doc.id,
            start=start,
            end=end,
            label=label,
            annotator=annotator,
            id=annotation_id(first + n),
            origin="manual",
            created_at=STAMP,
            updated_at=STAMP,
        )
        for n, (start, end, label) in enumerate(found)
    ]


# -- the agreement corpus ------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One generated annotation: who marked what, where."""

    id: str
    annotator: str
    document: str
    start: int
    end: int
    label: str
    attributes: dict


@dataclass(frozen=True)
class AgreementCorpus:
    documents: list[Document]
    spans: list[Span]
    statuses: list[DocumentStatus]

    def drafts(self) -> Iterator[AnnotationDraft]:
        for s in self.spans:
            yield AnnotationDraft(
                document=s.document, start=s.start, end=s.end, label=s.label,
                annotator=s.annotator, id=s.id, attributes=MappingProxyType(s.attributes),
                origin="manual", created_at=STAMP, updated_at=STAMP,
            )  # fmt: skip


def agreement_corpus(
    total: int = 1_000_000,
    documents: int = 10_000,
    annotators: int = 3,
    sizes: tuple[int, int] = (1_500, 4_500),
    seed: int = 20220105,
) -> AgreementCorpus:
    """``total`` spans over ``documents`` articles of ``sizes`` bytes, ``annotators`` each.

    Every annotator copies the document's true spans: 8% are invented elsewhere, 22%
    have an edge moved by a word, 7% change label. One document in twenty is left
    "in progress" by one annotator, so agreement has documents to leave out.
    """
    rng = random.Random(f"agreement:{seed}")
    pool = sentences()
    names = (
        ANNOTATORS[:annotators]
        if annotators <= len(ANNOTATORS)
        else tuple(f"annotator{k}" for k in range(annotators))
    )
    docs: list[Document] = []
    found: list[Span] = []
    statuses: list[DocumentStatus] = []
    per_document, extra = divmod(total, documents)
    for d in range(documents):
        want = rng.randint(*sizes)
        parts, size = [], 0
        while size < want:
            parts.append(rng.choice(pool))
            size += len(parts[-1].encode("utf-8")) + 1
        text = "\n".join(" ".join(parts[k : k + 4]) for k in range(0, len(parts), 4)) + "\n"
        doc = document(f"doc{d:05d}", text)
        docs.append(doc)
        edges = words(text)
        count = per_document + (1 if d < extra else 0)
        shares = [
            count // annotators + (1 if k < count % annotators else 0) for k in range(annotators)
        ]
        truth = _truth(rng, edges, max(shares))
        for name, share in zip(names, shares):
            taken: set[tuple[int, int, str]] = set()  # reader keeps one mark per span and label
            for k, label in truth[:share]:
                last = k + rng.randint(0, 3)
                roll = rng.random()
                if roll < 0.08:  # invented elsewhere
                    k = rng.randrange(len(edges) - 4)
                    last = k + rng.randint(0, 3)
                elif roll < 0.30:  # an edge moved by one word
                    k = max(0, k + rng.choice((-1, 1)))
                    last = max(k, last + rng.choice((-1, 0, 1)))
                if rng.random() < 0.07:
                    label = rng.choice(LABELS)
                last = min(last, len(edges) - 1)
                while (edges[k][0], edges[last][1], label) in taken:  # invent another instead
                    k = rng.randrange(len(edges) - 4)
                    last = k + rng.randint(0, 3)
                taken.add((edges[k][0], edges[last][1], label))
                attributes = (
                    {"outcome": "killed", "value_best": k}
                    if label == "casualty" and k % 4 == 0
                    else {}
                )
                found.append(Span(annotation_id(len(found)), name, doc.id, edges[k][0], edges[last][1],
                                  label, attributes))  # fmt: skip
        for name in names:
            left = d % 20 == 19 and name == names[d % annotators]
            statuses.append(DocumentStatus(doc.id, name, "in_progress" if left else "done", STAMP))
    return AgreementCorpus(docs, found, statuses)


def _truth(rng: random.Random, edges: list[tuple[int, int]], count: int) -> list[tuple[int, str]]:
    """``count`` (first word, label) pairs spread over the document, in random order."""
    step = max(1, (len(edges) - 4) // (count + 1))
    chosen = [
        (min(len(edges) - 5, i * step + rng.randrange(step)), rng.choice(LABELS))
        for i in range(count)
    ]
    rng.shuffle(chosen)
    return chosen


def native_jsonl(corpus: AgreementCorpus, path: Path) -> int:
    """Write the corpus's annotations as reader's native JSONL (one per line, export order).

    Keys and order are those of ``reader.core.formats.jsonl.record``; the suite checks
    that ``reader export`` gives back the same bytes, so a drift shows up at once.
    """
    texts = {d.id: d for d in corpus.documents}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    ordered = sorted(
        corpus.spans, key=lambda s: (s.document, s.start, s.end, s.label, s.annotator, s.id)
    )
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for s in ordered:
            doc = texts[s.document]
            out.write(dumps({
                "id": s.id, "document": s.document, "document_sha256": doc.sha256,
                "start": s.start, "end": s.end, "text": doc.text[s.start : s.end], "label": s.label,
                "attributes": s.attributes, "note": "", "annotator": s.annotator,
                "origin": "manual", "created_at": STAMP, "updated_at": STAMP,
            }) + "\n")  # fmt: skip
    return len(ordered)


def raw_rows(corpus: AgreementCorpus) -> Iterator[tuple]:
    """The 17 columns of the annotations table, as the store fills them on import."""
    texts = {d.id: d for d in corpus.documents}
    for s in corpus.spans:
        doc = texts[s.document]
        prefix, suffix = context(doc.text, s.start, s.end)
        yield (
            s.id, s.document, doc.sha256, s.start, s.end, doc.text[s.start : s.end], prefix, suffix,
            s.label, json.dumps(s.attributes, ensure_ascii=False, sort_keys=True), "", s.annotator,
            "manual", STAMP, STAMP, None, 0,
        )  # fmt: skip
