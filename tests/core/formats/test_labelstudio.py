"""Label Studio JSON: a project export in, the same spans out, on text beyond the BMP."""

from __future__ import annotations

import json

import pytest
from formats_helpers import DATA, document, export, import_file, read_all, spans

from reader.core.errors import ReaderError
from reader.core.formats.labelstudio import label_config
from reader.core.formats.offsets import Utf16Index
from reader.core.formats.registry import guess_format

PROJECT = DATA / "labelstudio" / "project-3.json"


def test_a_project_export_lands_on_the_marked_words_after_emoji(new_store):
    store = new_store()
    warnings: list[str] = []
    summary = import_file(store, "labelstudio", PROJECT, warn=warnings.append)
    assert summary.documents_added == 1
    got = sorted((a.annotator, a.label, a.text) for a in store.iter_annotations())
    assert got == [
        ("bob@example.org", "attribution", "Almaty"),  # completed_by with an email
        ("bob@example.org", "casualty", "Almaty"),  # two labels on one region: two spans
        ("labelstudio-user-1", "attribution", "Bộ Y tế cho biết"),  # completed_by: a user id
        ("labelstudio-user-1", "casualty", "Ít nhất 164 người đã thiệt mạng"),
    ]
    casualty = next(a for a in store.iter_annotations() if a.text.startswith("Ít"))
    assert dict(casualty.attributes) == {"outcome": "killed"}  # the per-region choice
    assert casualty.created_at == "2024-05-02T10:00:00.000000+00:00"  # stored in UTC
    # The cancelled annotation and the prediction: one line, counted.
    assert warnings == [f"{PROJECT}: skipped 1 cancelled annotation(s), 1 prediction(s)"]
    # The relation is a link from the attribution to the casualty claim.
    [link] = store.iter_links()
    source = store.annotation(link.source)
    assert (link.type, source.text, store.annotation(link.target).text) == (
        "source_of", "Bộ Y tế cho biết", "Ít nhất 164 người đã thiệt mạng"
    )  # fmt: skip
    assert link.annotator == "labelstudio-user-1"


def test_the_format_is_guessed_from_a_json_list_of_tasks(tmp_path):
    assert guess_format(PROJECT)[0] == "labelstudio"
    renamed = tmp_path / "tasks.out"  # what `reader export -o tasks.out` writes
    renamed.write_bytes(PROJECT.read_bytes())
    assert guess_format(renamed) == (
        "labelstudio",
        "a JSON list of tasks with data and annotations",
    )


def test_round_trip_keeps_spans_attributes_notes_in_both_units(new_store, tmp_path):
    store = new_store()
    import_file(store, "labelstudio", PROJECT)
    a = next(a for a in store.iter_annotations() if a.label == "attribution" and "Bộ" in a.text)
    store.update(a.id, attributes={"source_type": "official"}, note="Bộ Y tế\nnói")
    before = sorted(
        (x.document, x.start, x.end, x.label, x.annotator, dict(x.attributes), x.note)
        for x in store.iter_annotations()
    )
    for unit in ("codepoint", "utf16"):
        out = tmp_path / f"ls-{unit}.json"
        assert export(store, "labelstudio", out, offsets=unit) == 4
        tasks = json.loads(out.read_text(encoding="utf-8"))
        text = tasks[0]["data"]["text"]
        for annotation in tasks[0]["annotations"]:
            for result in annotation["result"]:
                if result["type"] in ("textarea", "relation"):
                    continue
                v = result["value"]
                if unit == "codepoint":
                    assert text[v["start"] : v["end"]] == v["text"]
                else:  # JavaScript's String.slice over UTF-16 units
                    units = text.encode("utf-16-le")
                    assert units[2 * v["start"] : 2 * v["end"]].decode("utf-16-le") == v["text"]
        again = new_store(f"again-{unit}.db")
        import_file(again, "labelstudio", out, offsets=unit)
        after = sorted(
            (x.document, x.start, x.end, x.label, x.annotator, dict(x.attributes), x.note)
            for x in again.iter_annotations()
        )
        assert after == before
        [link] = again.iter_links()  # the relation came back as the same link
        assert (again.annotation(link.source).text, link.type) == ("Bộ Y tế cho biết", "source_of")


def test_a_file_in_the_other_unit_is_refused_with_the_hint(new_store, tmp_path):
    tasks = json.loads(PROJECT.read_text(encoding="utf-8"))
    index = Utf16Index(tasks[0]["data"]["text"])
    for result in (r for a in tasks[0]["annotations"] for r in a["result"]):
        if "value" in result:
            result["value"]["start"] = index.to_utf16(result["value"]["start"])
            result["value"]["end"] = index.to_utf16(result["value"]["end"])
    old = tmp_path / "old.json"
    old.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    store = new_store()
    with pytest.raises(ReaderError, match=r"task 0: annotations\[0\].*use --offsets utf16"):
        import_file(store, "labelstudio", old)
    assert list(store.iter_annotations()) == []
    import_file(store, "labelstudio", old, offsets="utf16")
    assert {a.text for a in store.iter_annotations()} >= {"Ít nhất 164 người đã thiệt mạng"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t[0]["data"].pop("text"), "data.text: missing"),
        (lambda t: t[0]["annotations"][0]["result"][0]["value"].update(end=999), "not inside"),
        (lambda t: t[0]["annotations"][0]["result"][0]["value"].update(labels="x"), "labels"),
        (lambda t: t[0]["annotations"][1].update(completed_by=None), "completed_by: missing"),
    ],
)
def test_bad_tasks_are_refused_naming_the_task_and_field(new_store, tmp_path, change, message):
    tasks = json.loads(PROJECT.read_text(encoding="utf-8"))
    change(tasks)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    store = new_store()
    with pytest.raises(ReaderError, match=message):
        import_file(store, "labelstudio", bad)
    assert list(store.iter_annotations()) == [] and store.documents() == []


def test_nfd_crlf_text_is_normalized_and_offsets_mapped(new_store, tmp_path):
    raw = "Ngu\u0300y\u00ean\r\nnói: Hà Nội 😀 mưa."
    start = raw.index("Hà")
    task = {"data": {"text": raw, "document": "nfd"}, "annotations": [{"completed_by": 4, "result": [
        {"id": "x", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": start, "end": start + 6, "text": "Hà Nội", "labels": ["attribution"]}}
    ]}]}  # fmt: skip
    path = tmp_path / "nfd.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    store = new_store()
    import_file(store, "labelstudio", path)
    [a] = store.iter_annotations()
    assert a.text == "Hà Nội" and a.document == "nfd"


def test_label_config_names_every_label(new_store):
    store = new_store()
    config = label_config(store.schema)
    for name in store.schema.names:
        assert f'<Label value="{name}"/>' in config


def test_export_of_a_vietnamese_document_reads_back_exactly(new_store, tmp_path):
    store = new_store()
    doc = document("vn", 'Ông Tô-ca-ép 🇰🇿 nói: "164 người" đã chết.\n')
    store.sync_documents([doc])
    store.create("vn", 20, 30, "casualty")
    out = tmp_path / "vn.json"
    export(store, "labelstudio", out)
    items = read_all("labelstudio", out, store)
    assert [(d.start, d.end) for d in items[1:]] == [(20, 30)]
    assert spans(store)[0][3] == doc.text[20:30]
