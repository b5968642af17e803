"""Prodigy tokens rebuild the text as spaCy does, and spans sit on token edges."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from formats_helpers import document, export, import_file
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.formats.prodigy import base_tokens, tokens_for

ALPHABET = st.sampled_from(["a", "ế", " ", "  ", "\n", "\n\n", ".", "😀", "👨‍👩‍👧", "\t", "164"])


def rebuilt(text: str, tokens: list[tuple[int, int, bool]]) -> str:
    """What spaCy's Doc(words, spaces).text gives for these tokens."""
    return "".join(text[s:e] + (" " if ws else "") for s, e, ws in tokens)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join), st.data())
def test_tokens_rebuild_the_text_and_every_span_is_whole_tokens(text, data):
    cuts = st.integers(min_value=0, max_value=len(text))
    spans = []
    for _ in range(data.draw(st.integers(0, 4))):
        a, b = sorted((data.draw(cuts), data.draw(cuts)))
        if a < b:
            spans.append(SimpleNamespace(start=a, end=b))
    tokens = tokens_for(text, base_tokens(text), spans)
    assert rebuilt(text, tokens) == text
    assert all(s < e for s, e, _ in tokens)
    starts, ends = {s for s, _, _ in tokens}, {e for _, e, _ in tokens}
    for span in spans:
        assert span.start in starts and span.end in ends


def test_a_line_break_is_a_token_and_a_span_ending_in_a_space_ends_on_its_own_token():
    text = "Tin nóng:\n164 người chết ."
    span = SimpleNamespace(start=text.index("164"), end=text.index("chết"))  # "164 người "
    tokens = tokens_for(text, base_tokens(text), [span])
    words = [text[s:e] for s, e, _ in tokens]
    assert "\n" in words
    assert words[-4:] == ["người", " ", "chết", "."]
    assert rebuilt(text, tokens) == text


def test_exported_spans_name_the_tokens_they_cover(new_store, tmp_path):
    store = new_store()
    store.sync_documents([document("t", "Tin nóng 😀:\n\n164 người  chết.\n")])
    text = store.document("t").text
    store.create("t", text.index("164"), text.index("chết"), "casualty")
    out = tmp_path / "p.jsonl"
    export(store, "prodigy", out)
    task = json.loads(out.read_text(encoding="utf-8"))
    tokens = task["tokens"]
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
    [span] = task["spans"]
    assert tokens[span["token_start"]]["start"] == span["start"]
    assert tokens[span["token_end"]]["end"] == span["end"]


def test_a_rejected_span_in_an_accepted_task_is_not_imported(new_store, tmp_path):
    task = {"text": "Ít nhất 164 người chết ở Almaty.", "answer": "accept", "_annotator_id": "an",
            "spans": [{"start": 8, "end": 17, "label": "casualty"},
                      {"start": 25, "end": 31, "label": "attribution", "answer": "reject"}]}  # fmt: skip
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(task, ensure_ascii=False) + "\n", encoding="utf-8")
    store = new_store()
    warnings: list[str] = []
    import_file(store, "prodigy", path, warn=warnings.append)
    assert [a.text for a in store.iter_annotations()] == ["164 người"]
    assert warnings == [f"{path}: skipped 1 span(s) answered 'reject' in accepted tasks"]


@pytest.mark.slow
def test_spacy_rebuilds_every_exported_text_from_words_and_spaces(corpus_store, tmp_path):
    spacy_tokens = pytest.importorskip("spacy.tokens")
    vocab = pytest.importorskip("spacy.vocab")
    for doc in corpus_store.documents():
        text = corpus_store.document(doc.id).text
        start = text.index(" ") + 1
        corpus_store.create(doc.id, start, text.index(" ", start + 1) + 1, "casualty")
    out = tmp_path / "p.jsonl"
    export(corpus_store, "prodigy", out)
    tasks = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(tasks) == len(corpus_store.documents())
    for task in tasks:
        words = [t["text"] for t in task["tokens"]]
        spaces = [t["ws"] for t in task["tokens"]]
        doc = spacy_tokens.Doc(vocab.Vocab(), words=words, spaces=spaces)
        assert doc.text == task["text"]
        for span in task["spans"]:
            piece = doc[span["token_start"] : span["token_end"] + 1]
            assert (piece.start_char, piece.end_char) == (span["start"], span["end"])
