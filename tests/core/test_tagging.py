"""Tagging without a screen: the span a label key tags (selection or word, trimmed,
snapped to graphemes) and the twin rule, which only the store enforces."""

from __future__ import annotations

import unicodedata

import pytest

from reader.core.errors import ConflictError, NothingToTagError, TwinError
from reader.core.store import Store
from reader.core.tagging import NOTHING_TO_TAG, span_to_tag, tag
from reader.core.text import normalize
from tests.helpers import VIETNAMESE, make_document


def at(text: str, word: str) -> int:
    return text.index(word)


def test_the_selection_is_trimmed_of_spaces_punctuation_and_quotes():
    text = normalize("Ông nói: “Trật tự đã được khôi phục”. Hết.")
    start = text.index(":")
    end = text.index(".") + 1
    got = span_to_tag(text, 0, (start, end))
    assert text[slice(*got)] == "Trật tự đã được khôi phục"


def test_without_a_selection_the_word_at_the_cursor_is_tagged():
    text = normalize(VIETNAMESE)
    got = span_to_tag(text, at(text, "4.500") + 2, None)
    assert text[slice(*got)] == "4.500"
    end = at(text, "Kazakhstan") + len("Kazakhstan")
    assert text[slice(*span_to_tag(text, end, None))] == "Kazakhstan"  # just after it


def test_nfd_input_is_tagged_on_whole_letters_of_the_stored_nfc_text():
    text = normalize(unicodedata.normalize("NFD", "Lãnh đạo bị bắt."))
    assert text == unicodedata.normalize("NFC", "Lãnh đạo bị bắt.")  # offsets count this
    assert text[slice(*span_to_tag(text, 1, None))] == "Lãnh"
    assert text[slice(*span_to_tag(text, 0, (5, 9)))] == "đạo"


def test_an_edge_inside_a_cluster_is_widened_to_the_whole_cluster():
    # No precomposed form for x + acute, nor for the family emoji: both stay clusters.
    text = normalize("ax\u0301b 👨\u200d👩\u200d👧 c")
    got = span_to_tag(text, 0, (1, 2))  # "x" without its mark
    assert text[slice(*got)] == "x\u0301"
    family = text.index("👨")
    got = span_to_tag(text, 0, (family, family + 2))  # the man and the joiner only
    assert text[slice(*got)] == "👨\u200d👩\u200d👧"


def test_crlf_is_gone_before_offsets_are_counted():
    text = normalize("Một.\r\nHai ba.\r\n")
    assert "\r" not in text
    got = span_to_tag(text, text.index("Hai"), None)
    assert text[slice(*got)] == "Hai" and got == (5, 8)


@pytest.mark.parametrize("selection,cursor", [(None, 4), ((3, 11), 0), ((8, 8), 8), (None, 9)])
def test_nothing_to_tag_is_one_clear_refusal(selection, cursor):
    text = normalize("Một , “ ” ;\n")
    with pytest.raises(NothingToTagError, match=NOTHING_TO_TAG):
        span_to_tag(text, cursor, selection)


@pytest.fixture
def doc(store: Store) -> str:
    store.sync_documents([make_document("vn", VIETNAMESE)])
    return "vn"


def test_tag_commits_what_the_span_rule_finds(store: Store, doc: str):
    text = store.document(doc).text
    created = tag(store, doc, text, at(text, "Tokayev"), None, "attribution")
    assert (created.text, created.label, created.annotator) == ("Tokayev", "attribution", "lan")
    assert [a.id for a in store.iter_annotations()] == [created.id]


def test_the_twin_rule_is_the_stores_and_changes_nothing(store: Store, doc: str, db_path):
    text = store.document(doc).text
    first = tag(store, doc, text, at(text, "164"), None, "casualty")
    with pytest.raises(TwinError, match="already tagged casualty by lan"):
        tag(store, doc, text, 0, (first.start, first.end), "casualty")
    assert issubclass(TwinError, ConflictError)  # callers that catch conflicts still do
    assert [a.id for a in store.iter_annotations()] == [first.id]
    # Another label on the same span, or another annotator, is no twin.
    other_label = tag(store, doc, text, at(text, "164"), None, "propaganda")
    with Store.open(db_path, annotator="minh") as minh:
        theirs = tag(minh, doc, text, at(text, "164"), None, "casualty")
    assert {first.id, other_label.id, theirs.id} == {a.id for a in store.iter_annotations()}
    # Relabelling into a twin is refused the same way.
    with pytest.raises(TwinError):
        store.update(other_label.id, label="casualty")


def test_nothing_to_tag_stores_nothing(store: Store, doc: str):
    text = store.document(doc).text
    with pytest.raises(NothingToTagError):
        tag(store, doc, text, text.index("“"), None, "casualty")  # a quote after a space
    assert list(store.iter_annotations()) == []
