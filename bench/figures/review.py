"""Opening a review document whose annotators linked their spans: ``load_document``
(the comparison, gold's state and the link disagreements) on one document of 400
sentences where two annotators each tagged 800 spans and made 600 links between them;
baseline: the span part alone in the same run, ``compare`` over the same annotations as
``iter_annotations`` reads them. The links' share is what the ratio shows."""

from __future__ import annotations

import statistics
import time
from itertools import chain

from bench.harness import Row, log
from bench.workspace import Workspace
from reader.core.adjudication import compare, load_document
from reader.core.model import Document
from reader.core.store import Store
from reader.core.text import normalize, sha256

NAMES = ("an", "binh")
REPEATS = 21


def _text(sentences: int) -> str:
    return "".join(
        f"Câu số {i}: Theo nguồn tin {i}, có {i} người thiệt mạng ở đây.\n"
        for i in range(sentences)
    )


def _build(ws: Workspace, sentences: int = 400):
    db = ws.folder / "review.db"
    text = normalize(_text(sentences))
    document = Document(id="doc", text=text, sha256=sha256(text), source="doc.txt")
    for name in NAMES:
        with Store.open(db, annotator=name) as store, store.transaction():
            store.sync_documents([document])
            for i in range(sentences):
                line = text.index(f"Câu số {i}:")
                who = text.index("Theo nguồn tin", line)
                dead = text.index("người thiệt mạng", line)
                a = store.create("doc", who, who + len("Theo nguồn tin"), "attribution")
                b = store.create("doc", dead, dead + len("người thiệt mạng"), "casualty")
                if name == "an" or i % 2:  # binh links every other one: disagreements
                    store.create_link(a.id, b.id, "source_of")
    return db


def _medians(*calls) -> list[float]:
    """Each call's median in ms, the calls taken in turn on every repeat (a load that
    changes during the run weighs on both alike)."""
    runs: list[list[float]] = [[] for _ in calls]
    for _ in range(REPEATS):
        for call, times in zip(calls, runs):
            began = time.perf_counter()
            call()
            times.append(time.perf_counter() - began)
    return [statistics.median(times) * 1000 for times in runs]


def figure_review(ws: Workspace) -> list[Row]:
    log("review: two annotators' spans and links on one document")
    db = _build(ws)
    with Store.open(db, annotator="gold") as gold:

        def spans_only() -> None:
            read = chain.from_iterable(
                gold.iter_annotations(document="doc", annotator=n, include_orphaned=False)
                for n in NAMES
            )
            compare("doc", read, NAMES)

        base, value = _medians(spans_only, lambda: load_document(gold, "doc", NAMES, "gold"))
    return [Row("review", "review document with 600 links, against its spans alone", value,
                base, target="<= 2x", ok=value / base <= 2)]  # fmt: skip
