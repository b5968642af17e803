"""Links through the formats: native JSONL both ways, brat R lines, doccano relations,
W3C linking annotations; formats without relations say what they dropped."""

from __future__ import annotations

import json

import pytest
from formats_helpers import document, export, import_file

from reader.core.errors import ReaderError
from reader.core.formats import ExportFilters
from reader.core.store import Store

ONE = "Theo Bộ Y tế, 164 người thiệt mạng 😢 ở Almaty.\r\nBáo chí nói khác.\n"
TWO = "RIA Novosti: 164 người thiệt mạng trong bạo loạn 👨‍👩‍👧.\n"


def at(store: Store, doc: str, words: str, label: str):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label)


@pytest.fixture
def linked(new_store) -> Store:
    store = new_store("source.db")
    store.sync_documents([document("one", ONE), document("two", TWO)])
    source = at(store, "one", "Theo Bộ Y tế", "attribution")
    figure = at(store, "one", "164 người thiệt mạng", "casualty")
    other = at(store, "two", "164 người thiệt mạng", "casualty")
    store.create_link(source.id, figure.id, "source_of")
    store.create_link(other.id, figure.id, "same_claim")
    return store


def shape(store: Store) -> list[tuple]:
    """Each link as its type and ends' places: what a round trip must keep."""
    out = []
    for link in store.iter_links():
        a, b = store.annotation(link.source), store.annotation(link.target)
        out.append((link.type, (a.document, a.start, a.end, a.label),
                    (b.document, b.start, b.end, b.label), link.annotator))  # fmt: skip
    return sorted(out)


@pytest.mark.parametrize("by_document", [False, True])
def test_jsonl_carries_links_both_ways(linked, new_store, tmp_path, by_document):
    path = tmp_path / "all.jsonl"
    export(linked, "jsonl", path, by_document=by_document)
    text = path.read_text(encoding="utf-8")
    assert '"links": [{"id": ' in text or '"links":[{"id":' in text
    fresh = new_store("fresh.db")
    if not by_document:
        fresh.sync_documents([document("one", ONE), document("two", TWO)])
    summary = import_file(fresh, "jsonl", path)
    assert summary.links_added == 2
    assert shape(fresh) == shape(linked)
    assert {l.id for l in fresh.iter_links()} == {l.id for l in linked.iter_links()}
    again = import_file(fresh, "jsonl", path)
    assert (again.links_added, again.links_unchanged) == (0, 2)


def test_an_undirected_link_sits_on_the_end_whose_id_sorts_first(linked, tmp_path):
    path = tmp_path / "all.jsonl"
    export(linked, "jsonl", path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    [carrier] = [l for l in lines if any(x["type"] == "same_claim" for x in l.get("links", []))]
    [same] = [x for x in carrier["links"] if x["type"] == "same_claim"]
    assert carrier["id"] < same["to"]
    assert sum("links" in l for l in lines) == 2  # the attribution and one casualty end


def test_a_jsonl_link_to_nothing_refuses_the_whole_file(linked, new_store, tmp_path):
    path = tmp_path / "all.jsonl"
    export(linked, "jsonl", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = [
        line.replace('"to":"', '"to":"gone-') if '"source_of"' in line else line for line in lines
    ]
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    fresh = new_store("fresh.db")
    fresh.sync_documents([document("one", ONE), document("two", TWO)])
    with pytest.raises(
        ReaderError, match=r"all\.jsonl:\d+: links\[0\]: to: 'gone-.*names no annotation"
    ):
        import_file(fresh, "jsonl", path)
    assert list(fresh.iter_annotations()) == []


def test_a_jsonl_link_may_point_into_the_database(linked, new_store, tmp_path):
    """A file with only the linking end imports when the other end is already stored."""
    path = tmp_path / "part.jsonl"
    export(linked, "jsonl", path, filters=None)
    lines = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    fresh = new_store("fresh.db")
    fresh.sync_documents([document("one", ONE), document("two", TWO)])
    targets = [l for l in lines if "links" not in l]
    (tmp_path / "targets.jsonl").write_text(
        "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in targets), encoding="utf-8"
    )
    import_file(fresh, "jsonl", tmp_path / "targets.jsonl")
    (tmp_path / "sources.jsonl").write_text(
        "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines if "links" in l),
        encoding="utf-8",
    )
    assert import_file(fresh, "jsonl", tmp_path / "sources.jsonl").links_added == 2


def test_an_unknown_link_type_is_refused_unless_add_labels(linked, new_store, tmp_path):
    path = tmp_path / "all.jsonl"
    export(linked, "jsonl", path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("source_of", "cites"), encoding="utf-8"
    )
    fresh = new_store("fresh.db")
    fresh.sync_documents([document("one", ONE), document("two", TWO)])
    with pytest.raises(ReaderError, match="unknown link type 'cites'.*--add-labels"):
        import_file(fresh, "jsonl", path)
    assert import_file(fresh, "jsonl", path, add_labels=True).links_added == 2
    assert fresh.schema.link_type("cites").extra


def test_an_export_leaves_out_links_whose_other_end_it_does_not_hold(linked, tmp_path):
    warnings: list[str] = []
    path = tmp_path / "one.jsonl"
    export(linked, "jsonl", path, filters=ExportFilters(document="one"), warn=warnings.append)
    written = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    assert [x["type"] for l in written for x in l.get("links", [])] == ["source_of"]
    assert warnings == [
        "left out 1 link(s) whose other end is not in this export (another document or label)"
    ]


# -- brat -----------------------------------------------------------------------------------


def test_brat_writes_r_lines_and_declares_them_and_reads_them_back(linked, new_store, tmp_path):
    warnings: list[str] = []
    export(linked, "brat", tmp_path / "brat", warn=warnings.append)
    ann = (tmp_path / "brat" / "tester" / "one.ann").read_text(encoding="utf-8")
    assert "R1\tsource_of Arg1:T1 Arg2:T2\n" in ann
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]\n")[1].split("\n\n")[0].splitlines()
    assert relations == [
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",  # crossing spans allowed
        "source_of\tArg1:attribution, Arg2:propaganda|casualty",
        "same_claim\tArg1:propaganda|casualty, Arg2:propaganda|casualty",
        "contradicts\tArg1:propaganda|casualty, Arg2:propaganda|casualty",
    ]
    assert warnings == [
        "brat relations stay within one document: 1 link(s) across documents were not written"
    ]
    fresh = new_store("fresh.db")
    summary = import_file(fresh, "brat", tmp_path / "brat")
    assert summary.links_added == 1
    assert shape(fresh) == [s for s in shape(linked) if s[0] == "source_of"]
    assert import_file(fresh, "brat", tmp_path / "brat").links_added == 0


def brat_pair(tmp_path, lines: str):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(ONE, encoding="utf-8", newline="")
    (folder / "one.ann").write_text(
        "T1\tattribution 0 12\tTheo Bộ Y tế\nT2\tcasualty 14 34\t164 người thiệt mạng\n" + lines,
        encoding="utf-8",
    )
    return folder


def test_a_brat_relation_to_a_missing_span_is_skipped_with_a_warning(new_store, tmp_path):
    folder = brat_pair(tmp_path, "R1\tsource_of Arg1:T1 Arg2:T2\nR2\tsource_of Arg1:E1 Arg2:T2\n")
    store = new_store()
    warnings: list[str] = []
    assert (
        import_file(store, "brat", folder, annotator="lan", warn=warnings.append).links_added == 1
    )
    assert any(
        "one.ann:4: skipped relation source_of: E1 is not a text-bound" in w for w in warnings
    )


@pytest.mark.parametrize(
    "line, match",
    [
        ("R1\tsource_of T1 T2\n", r"one\.ann:3: relation: expected 'R<n><TAB>type Arg1:T<n>"),
        ("R1\tcites Arg1:T1 Arg2:T2\n", r"one\.ann:3: type: unknown link type 'cites'"),
        ("R1\tsource_of Arg1:T2 Arg2:T1\n", r"one\.ann:3: source_of runs from attribution"),
    ],
)
def test_a_bad_brat_relation_refuses_the_import(new_store, tmp_path, line, match):
    store = new_store()
    with pytest.raises(ReaderError, match=match):
        import_file(store, "brat", brat_pair(tmp_path, line), annotator="lan")
    assert list(store.iter_annotations()) == []


# -- doccano --------------------------------------------------------------------------------


def test_doccano_writes_relations_and_reads_them_back(linked, new_store, tmp_path):
    warnings: list[str] = []
    export(linked, "doccano", tmp_path / "doccano", warn=warnings.append)
    [line] = [
        json.loads(l)
        for l in (tmp_path / "doccano" / "tester.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(l)["id"] == "one"
    ]
    assert [(e["id"], e["label"]) for e in line["entities"]] == [
        (1, "attribution"),
        (2, "casualty"),
    ]
    assert [(r["from_id"], r["to_id"], r["type"]) for r in line["relations"]] == [
        (1, 2, "source_of")
    ]
    assert warnings == [
        "doccano relations stay within one example: 1 link(s) across documents were not written"
    ]
    fresh = new_store("fresh.db")
    assert import_file(fresh, "doccano", tmp_path / "doccano").links_added == 1
    assert shape(fresh) == [s for s in shape(linked) if s[0] == "source_of"]


def test_a_doccano_relation_to_no_entity_refuses_the_import(new_store, tmp_path):
    line = {
        "id": "one", "text": ONE,
        "entities": [{"id": 7, "label": "attribution", "start_offset": 0, "end_offset": 12}],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "source_of"}],
    }  # fmt: skip
    path = tmp_path / "lan.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    store = new_store()
    with pytest.raises(
        ReaderError, match=r"lan\.jsonl:1: relations\[0\]\.to_id: 8 names no entity"
    ):
        import_file(store, "doccano", path)
    assert list(store.iter_annotations()) == []


# -- W3C, and formats without relations -----------------------------------------------------


def test_w3c_writes_linking_annotations_and_reads_them_back(linked, new_store, tmp_path):
    path = tmp_path / "anno.jsonl"
    export(linked, "w3c", path)
    values = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    linking = [v for v in values if v["motivation"] == "linking"]
    assert sorted(v["body"][0]["value"] for v in linking) == ["same_claim", "source_of"]
    ids = {v["id"] for v in values if v["motivation"] == "tagging"}
    assert all(set(v["target"]) <= ids for v in linking)  # both targets are annotations here
    fresh = new_store("fresh.db")
    fresh.sync_documents([document("one", ONE), document("two", TWO)])
    assert import_file(fresh, "w3c", path).links_added == 2
    assert shape(fresh) == shape(linked)


@pytest.mark.parametrize(
    "fmt, dest, dropped", [("prodigy", "x.jsonl", 3), ("csv", "x.csv", 3), ("ptc", "ptc", 1)]
)
def test_a_format_without_relations_says_how_many_links_it_dropped(
    linked, tmp_path, fmt, dest, dropped
):
    claims = [at(linked, doc, "164 người", "propaganda") for doc in ("one", "two")]
    linked.update(claims[0].id, attributes={"technique": "Loaded_Language"})
    linked.create_link(claims[0].id, claims[1].id, "contradicts")
    warnings: list[str] = []
    export(linked, fmt, tmp_path / dest, warn=warnings.append)
    # PTC holds propaganda spans only: the one link between two of them is what it drops.
    assert f"{fmt} has no relations: {dropped} link(s) were not written" in warnings
