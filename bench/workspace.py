"""The data a run measures, built once per run in its scratch folder and shared by the
figures that need it: the seeds' database, one article with its spans (1 MB, 10 MB),
the 10 MB article with 1.5M more annotations by other annotators, and the 1M set.

Sizes come from the ``Config`` (``FULL``, or ``QUICK`` for the smoke test); the text
and spans from ``bench/data.py``, so every run with one seed measures the same data.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import data
from bench.harness import log, run_cli
from bench.tmux import Tmux
from reader.core.corpus import read_corpus
from reader.core.store import Store

ANNOTATOR = "bench"


@dataclass(frozen=True)
class Config:
    big: int  # bytes of the large article
    medium: int
    small: int
    spans: int  # on the large article
    medium_spans: int
    others: int  # annotators besides ``bench`` on the large article, ``spans`` each
    paint_repeats: int
    key_repeats: int
    edit_repeats: int  # tag + undo pairs
    commits: int
    bulk: int
    bulk_documents: int
    bulk_repeats: int
    help_repeats: int


FULL = Config(
    big=10_000_000, medium=1_000_000, small=5_000, spans=100_000, medium_spans=10_000, others=15,
    paint_repeats=5, key_repeats=15, edit_repeats=8, commits=200,
    bulk=1_000_000, bulk_documents=10_000, bulk_repeats=2, help_repeats=10,
)  # fmt: skip
#: 20k annotations at least: a smaller import ends before the import-lock figure can
#: press its tag while the import holds the write lock.
QUICK = Config(
    big=50_000, medium=20_000, small=5_000, spans=1_000, medium_spans=100, others=2,
    paint_repeats=1, key_repeats=3, edit_repeats=2, commits=20,
    bulk=20_000, bulk_documents=200, bulk_repeats=1, help_repeats=3,
)  # fmt: skip


@dataclass
class Workspace:
    folder: Path
    config: Config
    seed: int
    tmux: Tmux | None = None
    built: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def once(self, key: str, build: Callable[[], object]) -> object:
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]

    def terminal(self) -> Tmux | None:
        if not Tmux.available():
            return None
        if self.tmux is None:
            self.tmux = Tmux(pycache=self.folder / "pycache")
        return self.tmux

    def seeds(self) -> tuple[Path, Path, str]:
        """(database, corpus folder, the first words on screen) of the shipped corpus."""

        def build() -> tuple[Path, Path, str]:
            db = self.folder / "seeds.db"
            with Store.open(db, annotator=ANNOTATOR) as store:
                store.sync_documents(read_corpus(data.CORPUS))
            first = min(read_corpus(data.CORPUS), key=lambda d: d.id)
            return db, data.CORPUS, first_words(first.text)

        return self.once("seeds", build)  # type: ignore[return-value]

    def article_db(self, name: str, size: int, count: int) -> tuple[Path, Path, str]:
        """(database, corpus folder, the first words on screen) for one article + spans."""

        def build() -> tuple[Path, Path, str]:
            log(f"building a {size:,}-byte article with {count:,} spans")
            corpus = self.folder / f"corpus-{name}"
            corpus.mkdir()
            big = data.document(f"article{name}", data.article(size, self.seed))
            small = data.document(
                f"articlez{self.config.small}", data.article(self.config.small, self.seed + 1)
            )
            for doc in (big, small):
                (corpus / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
            db = self.folder / f"{name}.db"
            with Store.open(db, annotator=ANNOTATOR) as store:
                store.sync_documents(read_corpus(corpus))
                spans = data.spans(big.text, count, self.seed)
                store.import_items(data.drafts(big, spans, ANNOTATOR), source="bench")
            return db, corpus, first_words(big.text)

        return self.once(f"article:{name}", build)  # type: ignore[return-value]

    def big(self) -> tuple[Path, Path, str]:
        """The 10 MB article with 100k of the bench annotator's spans (blind mode shows
        them all)."""
        return self.article_db("10mb", self.config.big, self.config.spans)

    def crowded(self) -> tuple[Path, Path, str]:
        """The 10 MB database with ``others`` more annotators' spans on the same article,
        ``spans`` each (1.6M annotations in all at full size)."""

        def build() -> tuple[Path, Path, str]:
            source, corpus, expect = self.big()
            db = self.folder / "crowded.db"
            shutil.copy(source, db)
            cfg = self.config
            with Store.open(db, annotator=ANNOTATOR) as store:
                doc = store.document(store.documents()[0].id)
                for k in range(cfg.others):
                    name = f"other{k:02d}"
                    log(f"adding {cfg.spans:,} spans by {name} ({k + 1}/{cfg.others})")
                    spans = data.spans(doc.text, cfg.spans, self.seed + 100 + k)
                    drafts = data.drafts(doc, spans, name, first=(k + 1) * cfg.spans)
                    store.import_items(drafts, source="bench")
                total = store.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
            self.notes.append(f"crowded database: {total:,} annotations, {cfg.others + 1} annotators "
                              "on the 10 MB article")  # fmt: skip
            return db, corpus, expect

        return self.once("crowded", build)  # type: ignore[return-value]

    def bulk(self) -> dict:
        def build() -> dict:
            cfg = self.config
            log(f"generating {cfg.bulk:,} spans over {cfg.bulk_documents:,} articles, 3 annotators")
            corpus = data.agreement_corpus(cfg.bulk, cfg.bulk_documents, 3, seed=self.seed)
            jsonl = self.folder / "bulk.jsonl"
            data.native_jsonl(corpus, jsonl)
            template = self.folder / "bulk-documents.db"
            with Store.open(template, annotator=ANNOTATOR) as store:
                store.import_items([*corpus.documents, *corpus.statuses], source="bench documents")
            size = sum(len(d.text.encode("utf-8")) for d in corpus.documents)
            self.notes.append(
                f"1M set: {len(corpus.spans):,} spans, {len(corpus.documents):,} articles "
                f"({size / 1e6:.1f} MB of text), 3 annotators; native JSONL {jsonl.stat().st_size / 1e6:.0f} MB"
            )
            return {"corpus": corpus, "jsonl": jsonl, "template": template, "db": None}

        return self.once("bulk", build)  # type: ignore[return-value]

    def imported(self) -> Path:
        """The database after ``reader import`` of the 1M set (imported once if no figure did)."""
        bulk = self.bulk()
        if bulk["db"] is None:
            db = self.folder / "bulk-imported.db"
            shutil.copy(bulk["template"], db)
            log("importing the 1M set (for export / agree)")
            reader_import(db, bulk["jsonl"], len(bulk["corpus"].spans), self.folder)
            bulk["db"] = db
        return bulk["db"]


def reader_import(db: Path, jsonl: Path, count: int, cwd: Path) -> float:
    """Wall seconds of ``reader import --format jsonl``; checks every annotation came in."""
    args = ["import", "--db", str(db), "--annotator", ANNOTATOR, "--format", "jsonl", str(jsonl)]
    seconds, output = run_cli(args, cwd)
    if f"imported {count} new annotation" not in output:
        raise RuntimeError(f"reader import did not import {count}: {output.strip()[-500:]}")
    return seconds


def first_words(text: str, count: int = 4) -> str:
    return " ".join(text.split("\n", 1)[0].split(" ")[:count])
