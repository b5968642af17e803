"""Small real-shaped files of each format, written by hand from the formats' documentation,
land on exactly the characters they mark."""

from __future__ import annotations

from formats_helpers import DATA, import_file, read_all

from reader.core.model import AnnotationDraft, Document, DocumentStatus


def texts(store) -> dict[tuple[str, str], str]:
    """(annotator, label) -> covered text, for one-span-per-pair fixtures."""
    return {(a.annotator, a.label): a.text for a in store.iter_annotations()}


def test_doccano_utf16_offsets_after_an_emoji_land_on_the_marked_words(new_store):
    store = new_store()
    summary = import_file(store, "doccano", DATA / "doccano")
    assert summary.documents_added == 2  # "almaty" and the int id 2
    assert summary.annotations_added == 4
    got = sorted((a.document, a.annotator, a.label, a.text) for a in store.iter_annotations())
    assert got == [
        ("2", "bob", "attribution", "Astana"),
        ("almaty", "alice", "attribution", "Bộ Y tế cho biết"),
        ("almaty", "alice", "casualty", "Ít nhất 164 người đã thiệt mạng"),
        ("almaty", "bob", "casualty", "gần 8.000 người"),
    ]


def test_doccano_file_name_is_the_annotator_unless_annotator_is_given(new_store):
    store = new_store()
    drafts = [
        i
        for i in read_all("doccano", DATA / "doccano" / "alice.jsonl", store)
        if isinstance(i, AnnotationDraft)
    ]
    assert {d.annotator for d in drafts} == {"alice"}
    drafts = [
        i for i in read_all("doccano", DATA / "doccano" / "alice.jsonl", store, annotator="dana")
        if isinstance(i, AnnotationDraft)
    ]  # fmt: skip
    assert {d.annotator for d in drafts} == {"dana"}


def test_doccano_codepoint_mode_reads_the_same_numbers_as_code_points(new_store):
    store = new_store()
    items = read_all("doccano", DATA / "doccano" / "alice.jsonl", store, offsets="codepoint")
    doc = next(i for i in items if isinstance(i, Document))
    first = next(i for i in items if isinstance(i, AnnotationDraft))
    # Read as code points, [13, 44) is one character later than the words doccano marked.
    assert doc.text[first.start : first.end] == "t nhất 164 người đã thiệt mạng "


def test_prodigy_code_point_offsets_after_an_emoji_and_only_accepted_tasks(new_store):
    store = new_store()
    warnings: list[str] = []
    items = read_all("prodigy", DATA / "prodigy" / "tasks.jsonl", store, warn=warnings.append)
    store.import_items(items, source="prodigy")
    assert [(a.document, a.annotator, a.label, a.text) for a in store.iter_annotations()] == [
        ("tin-nong", "alice", "casualty", "164 người chết")
    ]
    assert any("'reject'" in w for w in warnings)


def test_brat_text_bound_attributes_notes_and_a_span_cut_at_a_line_break(new_store):
    store = new_store()
    warnings: list[str] = []
    import_file(store, "brat", DATA / "brat", warn=warnings.append)
    got = {a.text: a for a in store.iter_annotations()}
    assert set(got) == {
        "Ít nhất 164 người đã thiệt mạng",
        "Bộ Y tế cho biết",
        "cho biết.\nLực lượng",
    }
    first = got["Ít nhất 164 người đã thiệt mạng"]
    assert first.annotator == "alice"  # the subfolder's name
    assert dict(first.attributes) == {"outcome": "killed", "value_best": 164}  # 164 typed as int
    assert first.note == "Số liệu của Bộ Y tế"
    assert dict(got["Bộ Y tế cho biết"].attributes) == {"source_type": "official"}
    [link] = store.iter_links()  # R1 source_of Arg1:T2 Arg2:T1, between alice's spans
    assert (link.type, link.annotator) == ("source_of", "alice")
    assert (link.source, link.target) == (got["Bộ Y tế cho biết"].id, first.id)


def test_brat_crlf_and_nfd_text_offsets_are_mapped_to_the_normalized_text(new_store):
    store = new_store()
    import_file(store, "brat", DATA / "brat_crlf" / "tin.ann", annotator="erin")
    doc = store.document("tin")
    assert doc.text == "Dòng một\nBạo loạn ở Almaty\nNgười dân hoảng sợ.\n"
    assert sorted((a.start, a.end, a.text) for a in store.iter_annotations()) == [
        (20, 26, "Almaty"),
        (27, 36, "Người dân"),
    ]


def test_ptc_technique_and_span_only_files_with_mapped_techniques(new_store):
    store = new_store()
    import_file(store, "ptc", DATA / "ptc", annotator="frank")
    got = sorted((a.document, a.text, a.attributes.get("technique"), a.attributes.get("category"))
                 for a in store.iter_annotations())  # fmt: skip
    assert got == [
        ("111111111", "Bộ Y tế cho biết", "Name_Calling-Labeling", "attack_on_reputation"),
        ("111111111", "Ít nhất 164 người đã thiệt mạng", "Whataboutism", "distraction"),
        ("111111112", "chìm trong khói lửa", None, None),
        ("111111112", "sau đêm bạo loạn", None, None),  # after an emoji: code points
    ]
    assert {a.label for a in store.iter_annotations()} == {"propaganda"}


def test_w3c_page_from_another_tool_needs_the_document_and_keeps_its_fields(new_store):
    store = new_store()
    import_file(store, "brat", DATA / "brat")  # brings the document "almaty"
    import_file(store, "w3c", DATA / "w3c" / "page.jsonld")
    carol = [a for a in store.iter_annotations() if a.annotator == "carol"]
    assert len(carol) == 1
    a = carol[0]
    assert (a.document, a.text, a.label) == ("almaty", "Almaty", "casualty")
    assert dict(a.attributes) == {"victim_group": "civilians"}
    assert a.note == "nơi xảy ra"
    assert a.created_at == "2022-01-11T10:00:00.000000+00:00"  # stored in UTC, as reader writes


def test_native_jsonl_by_document_recreates_documents_status_and_annotations(new_store):
    store = new_store()
    items = read_all("jsonl", DATA / "jsonl" / "by_document.jsonl", store)
    assert [type(i) for i in items] == [
        Document,
        AnnotationDraft,
        AnnotationDraft,
        DocumentStatus,
        DocumentStatus,
    ]
    summary = store.import_items(items, source="by_document")
    assert (summary.documents_added, summary.annotations_added, summary.statuses_set) == (1, 2, 2)
    assert store.document("almaty").meta["source"] == "vnexpress.net"
    assert store.status("almaty", "alice") == "done"
    a = store.annotation("5b0e8a52-2f4e-4f43-9c34-3e1d2f0a7c11")
    assert (a.text, a.origin, a.created_at) == (
        "Ít nhất 164 người đã thiệt mạng",
        "manual",
        "2022-01-10T08:00:00.000000+00:00",
    )
    assert dict(a.attributes) == {"outcome": "killed", "value_low": 164, "qualifier": "at_least"}


def test_native_jsonl_annotations_import_twice_adds_nothing_the_second_time(new_store):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    again = import_file(store, "jsonl", DATA / "jsonl" / "annotations.jsonl")
    assert (again.annotations_added, again.annotations_unchanged) == (0, 2)
    for fmt, path in [
        ("doccano", DATA / "doccano"),
        ("brat", DATA / "brat"),
        ("ptc", DATA / "ptc"),
    ]:
        store = new_store(f"{fmt}.db")
        first = import_file(store, fmt, path, annotator="frank")
        second = import_file(store, fmt, path, annotator="frank")
        assert first.annotations_added > 0
        assert (second.annotations_added, second.annotations_unchanged) == (
            0,
            first.annotations_added,
        )
