"""W3C import takes what the model allows: a quote-only target (anchored by its exact
text, prefix and suffix, or refused with the reason), comment bodies, several tags."""

from __future__ import annotations

import json

import pytest
from formats_helpers import document, import_file

from reader.core.errors import ReaderError

TEXT = "Bộ Y tế cho biết 164 người chết. Bộ Y tế cũng nói 😀 Almaty yên.\n"


def _write(tmp_path, *annotations) -> object:
    path = tmp_path / "anno.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in annotations),
                    encoding="utf-8")  # fmt: skip
    return path


def _annotation(selector, body, **extra) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
            "creator": {"type": "Person", "name": "mai"}, "body": body,
            "target": {"source": "urn:x-reader:document:vn", "selector": selector}, **extra}  # fmt: skip


def _store(new_store):
    store = new_store()
    store.sync_documents([document("vn", TEXT)])
    return store


def test_a_quote_only_target_is_placed_by_its_prefix_and_suffix(new_store, tmp_path):
    store = _store(new_store)
    quote = {"type": "TextQuoteSelector", "exact": "Bộ Y tế", "prefix": "chết. ", "suffix": " cũng"}
    tag = {"type": "TextualBody", "purpose": "tagging", "value": "attribution"}
    import_file(store, "w3c", _write(tmp_path, _annotation(quote, tag)))
    [a] = store.iter_annotations()
    assert (a.start, a.text) == (TEXT.index("Bộ Y tế", 5), "Bộ Y tế")  # the second one
    only = {"type": "TextQuoteSelector", "exact": "Almaty"}  # once in the text: no context needed
    import_file(store, "w3c", _write(tmp_path, _annotation(only, tag)))
    assert "Almaty" in {a.text for a in store.iter_annotations()}


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        ({"exact": "Bộ Y tế"}, "occurs 2 times in 'vn' and its prefix and suffix fit 2"),
        ({"exact": "Hà Nội"}, "'Hà Nội' is not in document 'vn'"),
    ],
)
def test_a_quote_that_cannot_be_placed_is_refused_with_the_reason(
    new_store, tmp_path, quote, reason
):
    store = _store(new_store)
    selector = {"type": "TextQuoteSelector", **quote}
    tag = {"type": "TextualBody", "purpose": "tagging", "value": "attribution"}
    with pytest.raises(ReaderError, match=reason):
        import_file(store, "w3c", _write(tmp_path, _annotation(selector, tag)))
    assert list(store.iter_annotations()) == []


def test_comment_bodies_and_several_tags(new_store, tmp_path):
    store = _store(new_store)
    start = TEXT.index("164")
    position = {"type": "TextPositionSelector", "start": start, "end": start + 9}
    bodies = [
        {"type": "TextualBody", "purpose": "tagging", "value": "casualty"},
        {"type": "TextualBody", "purpose": "tagging", "value": "propaganda"},
        {"type": "TextualBody", "value": "Con số chưa kiểm chứng"},  # no purpose: commenting
    ]
    plain = _annotation(position, bodies, motivation="commenting", id="http://example.org/anno/7")
    import_file(store, "w3c", _write(tmp_path, plain))
    got = sorted((a.label, a.text, a.note) for a in store.iter_annotations())
    assert got == [
        ("casualty", "164 người", "Con số chưa kiểm chứng"),
        ("propaganda", "164 người", "Con số chưa kiểm chứng"),
    ]
    assert len({a.id for a in store.iter_annotations()}) == 2  # one IRI, two annotations
    import_file(store, "w3c", _write(tmp_path, plain))  # and importing again adds nothing
    assert len(list(store.iter_annotations())) == 2


def test_a_comment_without_a_tag_is_labelled_by_its_motivation(new_store, tmp_path):
    store = _store(new_store)
    comment = _annotation({"type": "TextQuoteSelector", "exact": "Almaty"},
                          {"type": "TextualBody", "value": "Ở đâu?"}, motivation="commenting")  # fmt: skip
    with pytest.raises(ReaderError, match="unknown label 'commenting'"):
        import_file(store, "w3c", _write(tmp_path, comment))
    import_file(store, "w3c", _write(tmp_path, comment), add_labels=True)
    [a] = store.iter_annotations()
    assert (a.label, a.text, a.note) == ("commenting", "Almaty", "Ở đâu?")
