"""Export then import into an empty database gives back the same annotations: all of
them for formats that carry everything, and exactly the fields each other format can
carry. Documents are random Vietnamese / NFD / emoji / CRLF / wide text; annotations
overlap at random."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

import regex
from formats_helpers import document, export, import_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.formats import FORMATS, ExportFilters
from reader.core.formats.brat import attribute_value
from reader.core.formats.csv import attribute_names
from reader.core.formats.ptc import TO_PTC, import_attributes
from reader.core.labels_file import default_schema
from reader.core.model import AnnotationDraft, DocumentStatus
from reader.core.store import Store

SCHEMA = default_schema()
PIECES = [
    "Hà Nội", "người", "biểu tình", "Ho\u0300a", "Vie\u0323\u0302t", " ", " ", ". ", ", ", "\n", "\r\n",
    "\r", "😀", "👨‍👩‍👧", "👍🏽", "🇻🇳", "漢字", "ｶﾀ", "Алматы", "=SUM(A1)", "-5", "\t", "\x1b[2J",
    "\u200b", "\u2028", '"quoted"', "a", "Ω",
]  # fmt: skip
ANNOTATORS = ["alice", "bob", "Nguyễn Văn An"]
CLUSTER = regex.compile(r"\X")

texts = (
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=30)
    .map("".join)
    .filter(lambda t: t.strip())
)
free_text = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)


def attribute_strategy(label_name: str) -> st.SearchStrategy:
    label = SCHEMA.label(label_name)
    options = {}
    for attribute in label.attributes:
        if attribute.type == "enum":
            options[attribute.name] = st.sampled_from(attribute.values)
        elif attribute.type == "int":
            options[attribute.name] = st.integers(0, 10**6)
        else:
            options[attribute.name] = free_text.filter(bool)
    return st.fixed_dictionaries({}, optional=options).map(
        lambda values: in_order(label.ordered, values)
    )


def in_order(names: tuple[str, ...], values: dict) -> dict:
    """The schema's ``ordered`` ints sorted among themselves, as the schema requires."""
    given = [name for name in names if name in values]
    for name, value in zip(given, sorted(values[n] for n in given), strict=True):
        values[name] = value
    return values


@st.composite
def corpora(draw):
    """(documents, drafts, statuses): two documents, up to 8 overlapping annotations."""
    docs = [document(f"doc-{i}", draw(texts)) for i in range(draw(st.integers(1, 2)))]
    drafts, seen = [], set()
    for n in range(draw(st.integers(0, 8))):
        doc = draw(st.sampled_from(docs))
        bounds = [m.start() for m in CLUSTER.finditer(doc.text)] + [len(doc.text)]
        i = draw(st.integers(0, len(bounds) - 2))
        j = draw(st.integers(i + 1, len(bounds) - 1))
        label = draw(st.sampled_from(SCHEMA.names))
        annotator = draw(st.sampled_from(ANNOTATORS))
        key = (doc.id, bounds[i], bounds[j], label, annotator)
        if key in seen:  # formats without ids tell annotations apart by exactly this
            continue
        seen.add(key)
        drafts.append(AnnotationDraft(
            document=doc.id, start=bounds[i], end=bounds[j], label=label, annotator=annotator,
            id=f"00000000-0000-4000-8000-{n:012d}", attributes=MappingProxyType(draw(attribute_strategy(label))),
            note=draw(free_text), origin=draw(st.sampled_from(["manual", "suggested", "adjudicated"])),
            created_at=f"2022-01-0{n % 9 + 1}T10:00:00.000000+00:00", updated_at="2022-01-10T10:00:00.000000+00:00",
        ))  # fmt: skip
    statuses = [
        DocumentStatus(d.id, a, draw(st.sampled_from(["in_progress", "done"])))
        for d in docs
        for a in draw(st.sets(st.sampled_from(ANNOTATORS), max_size=2))
    ]
    return docs, drafts, statuses


def full(store: Store) -> list[tuple]:
    return sorted(
        (a.id, a.document, a.start, a.end, a.text, a.label, a.annotator, tuple(sorted(a.attributes.items())),
         a.note, a.origin, a.created_at, a.updated_at)
        for a in store.iter_annotations()
    )  # fmt: skip


def span_key(a) -> tuple:
    return (a.document, a.start, a.end, a.text, a.label, a.annotator)


#: Databases made per example live in memory-backed /dev/shm when there is one:
#: synchronous=FULL makes each fresh database cost five times more on a disk.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@contextmanager
def round_trip(fmt: str, corpus, **options) -> Iterator[tuple[Store, Store]]:
    docs, drafts, statuses = corpus
    with tempfile.TemporaryDirectory(prefix=f"rt-{fmt}-", dir=SCRATCH) as name:
        folder = Path(name)
        source = Store.open(folder / "source.db", annotator="tester")
        target = Store.open(folder / "target.db", annotator="tester")
        try:
            source.import_items([*docs, *drafts, *statuses], source="generated")
            if not FORMATS[fmt].texts and not options.get("by_document"):
                target.import_items(docs, source="documents")  # the format does not carry text
            dest = folder / ("out" if FORMATS[fmt].folder else "out.file")
            written = export(source, fmt, dest, **options)
            if written or not FORMATS[fmt].folder:  # an empty folder is refused as a mistake
                import_file(
                    target, fmt, dest, **{k: v for k, v in options.items() if k != "by_document"}
                )
            yield source, target
        finally:
            source.conn.close()
            target.conn.close()


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(corpora())
def test_native_jsonl_round_trip_keeps_every_field(corpus):
    with round_trip("jsonl", corpus) as (source, target):
        assert full(target) == full(source)


@SETTINGS
@given(corpora())
def test_native_jsonl_by_document_round_trip_keeps_documents_and_status(corpus):
    with round_trip("jsonl", corpus, by_document=True) as (source, target):
        assert full(target) == full(source)
        assert [(d.id, d.sha256) for d in target.documents()] == [
            (d.id, d.sha256) for d in source.documents()
        ]
        assert [(s.document, s.annotator, s.status) for s in target.statuses()] == [
            (s.document, s.annotator, s.status) for s in source.statuses()
        ]


@SETTINGS
@given(corpora())
def test_w3c_round_trip_keeps_everything_but_origin(corpus):
    with round_trip("w3c", corpus) as (source, target):
        strip = lambda rows: [r[:9] + r[10:] for r in rows]
        assert strip(full(target)) == strip(full(source))


@SETTINGS
@given(corpora(), st.sampled_from(["utf16", "codepoint"]))
def test_doccano_round_trip_keeps_spans_labels_and_annotators(corpus, offsets):
    with round_trip("doccano", corpus, offsets=offsets) as (source, target):
        assert sorted(map(span_key, target.iter_annotations())) == sorted(
            map(span_key, source.iter_annotations())
        )


@SETTINGS
@given(corpora())
def test_prodigy_round_trip_keeps_spans_labels_and_annotators(corpus):
    with round_trip("prodigy", corpus) as (source, target):
        assert sorted(map(span_key, target.iter_annotations())) == sorted(
            map(span_key, source.iter_annotations())
        )


@SETTINGS
@given(corpora())
def test_brat_round_trip_keeps_spans_notes_and_one_word_attributes(corpus):
    with round_trip("brat", corpus) as (source, target):

        def expected(a) -> tuple:
            attributes = {k: v for k, v in a.attributes.items() if attribute_value(v) is not None}
            note = a.note.replace("\r", " ").replace("\n", " ").replace("\t", " ")
            return (*span_key(a), tuple(sorted(attributes.items())), note)

        got = sorted(
            (*span_key(a), tuple(sorted(a.attributes.items())), a.note)
            for a in target.iter_annotations()
        )
        assert got == sorted(map(expected, source.iter_annotations()))


@SETTINGS
@given(corpora())
def test_ptc_round_trip_keeps_propaganda_spans_with_a_nameable_technique(corpus):
    with round_trip("ptc", corpus) as (source, target):
        expected = sorted(
            (*span_key(a), tuple(sorted(import_attributes(TO_PTC[a.attributes["technique"]]).items())))
            for a in source.iter_annotations()
            if a.label == "propaganda" and TO_PTC.get(a.attributes.get("technique", "")) is not None
        )  # fmt: skip
        got = sorted(
            (*span_key(a), tuple(sorted(a.attributes.items()))) for a in target.iter_annotations()
        )
        assert got == expected


@SETTINGS
@given(corpora())
def test_csv_rows_hold_every_annotation_with_flattened_attributes(corpus):
    docs, drafts, _ = corpus
    out = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="rt-csv-", dir=SCRATCH) as folder:
        source = Store.open(Path(folder) / "source.db", annotator="tester")
        source.import_items([*docs, *drafts], source="generated")
        export(source, "csv", out)
        annotations = list(source.iter_annotations())
        source.conn.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(annotations)
    unguard = lambda v: v.removeprefix("'")
    for row, a in zip(rows, annotations):
        assert (row["id"], row["document"], int(row["start"]), int(row["end"])) == (
            a.id,
            a.document,
            a.start,
            a.end,
        )
        assert unguard(row["text"]) == a.text and unguard(row["note"]) == a.note
        for name in attribute_names(SCHEMA):
            value = a.attributes.get(name)
            assert unguard(row[f"attr.{name}"]) == ("" if value is None else str(value))


def test_exporting_one_annotator_and_label_exports_only_those(new_store):
    store = new_store()
    doc = document("d", "Hà Nội 😀 Almaty\r\nngười biểu tình")
    drafts = [
        AnnotationDraft(document="d", start=s, end=e, label=label, annotator=who)
        for s, e, label, who in [(0, 2, "casualty", "alice"), (0, 6, "propaganda", "alice"), (9, 15, "casualty", "bob")]
    ]  # fmt: skip
    store.import_items([doc, *drafts], source="t")
    out = io.StringIO()
    assert export(store, "jsonl", out, ExportFilters(annotator="alice", label="casualty")) == 1
    assert '"text":"Hà"' in out.getvalue() and "bob" not in out.getvalue()
