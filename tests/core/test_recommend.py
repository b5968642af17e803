"""Suggestions that learn from the team (issue 19, item 4): string matching, the CRF
model, and their leave-one-document-out evaluation."""

from __future__ import annotations

import json
import unicodedata

import pytest

from reader.core.corpus import read_corpus
from reader.core.labels_file import default_schema
from reader.core.recommend import TaggedSpan, learn, propose
from reader.core.recommend.evaluate import evaluate
from reader.core.recommend.score import Score
from reader.core.recommend.strings import StringMatcher
from reader.core.suggest import suggest
from tests.helpers import CORPUS, ROOT, make_document


def tagged(doc, needle: str, label: str, **attributes) -> TaggedSpan:
    start = doc.text.index(needle)
    return TaggedSpan(doc.id, start, start + len(needle), label, needle, attributes)


def gold_spans() -> list[TaggedSpan]:
    path = ROOT / "tests" / "data" / "corpus_gold.jsonl"
    rows = map(json.loads, path.read_text(encoding="utf-8").splitlines())
    return [
        TaggedSpan(r["document"], r["start"], r["end"], r["label"], r["text"], r["attributes"])
        for r in rows
    ]


def test_a_tagged_text_is_proposed_where_it_recurs_on_word_edges_only():
    a = make_document("a", "Bộ Nội vụ cho biết hơn 1.300 cảnh sát bị thương.")
    b = make_document(
        "b", "Theo Bộ Nội vụ, tình hình ổn định. XBộ Nội vụ không. " + "Bộ Nội vụ" + "n"
    )
    learned = learn(
        {}, [tagged(a, "Bộ Nội vụ", "attribution", source_type="official")], model=False
    )
    found = propose(b, default_schema(), learned, ("strings",))
    assert [(s.text, s.start, s.source, s.attributes) for s in found] == [
        ("Bộ Nội vụ", 5, "strings", {"source_type": "official"})
    ]
    assert found[0].confidence == 1.0


def test_nfd_input_is_matched_once_normalized():
    text = unicodedata.normalize("NFD", "Theo Bộ Nội vụ, tình hình ổn định.")
    b = make_document("b", text)  # the store keeps NFC, as make_document does
    matcher = StringMatcher()
    matcher.learn("Bộ Nội vụ", "attribution")
    assert [(s, e) for s, e, *_ in matcher.propose(b)] == [(5, 14)]


def test_rejections_rank_a_text_down_and_then_out():
    doc = make_document("d", "Nga và Belarus. Nga.")
    matcher = StringMatcher()
    matcher.learn("Nga", "attribution", {"source_type": "government_foreign"})
    matcher.learn("Nga", "attribution", {"source_type": "government_foreign"})
    matcher.learn("Nga", "attribution", {})
    matcher.reject("Nga", "attribution")
    found = matcher.propose(doc)
    assert [(s, e, c) for s, e, _, _, c in found] == [(0, 3, 0.75), (16, 19, 0.75)]
    assert found[0][3] == {"source_type": "government_foreign"}  # the most frequent
    matcher.reject("Nga", "attribution")
    matcher.reject("Nga", "attribution")
    assert matcher.propose(doc) == []


def test_the_model_learns_spans_and_proposes_exact_slices_with_a_confidence():
    pytest.importorskip("pycrfsuite")
    docs = {d.id: d for d in read_corpus(CORPUS)}
    held_out = "000_af9997c49903d544"  # 7 of the 10 casualty spans
    spans = gold_spans()
    learned = learn(
        {k: d.text for k, d in docs.items() if k != held_out},
        [s for s in spans if s.document != held_out],
    )
    assert learned.model is not None and "attribution" in learned.model.labels
    assert "casualty" not in learned.model.labels  # 3 spans left: fewer than MIN_SPANS
    found = propose(docs[held_out], default_schema(), learned, ("model",))
    assert found, "the model proposes on a document it never saw"
    for s in found:
        assert docs[held_out].text[s.start : s.end] == s.text
        assert s.source == "model" and 0.3 <= s.confidence <= 1.0


def test_without_the_learn_extra_there_is_no_model(monkeypatch):
    import builtins

    real = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "pycrfsuite":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    docs = {d.id: d.text for d in read_corpus(CORPUS)}
    assert learn(docs, gold_spans()).model is None


def test_evaluation_leaves_each_document_out():
    """A text tagged in one document only is never proposed there: it was learned from
    the other documents, which do not hold it."""
    a = make_document("a", "Hội đồng Bảo an họp. Hội đồng Bảo an ra tuyên bố.")
    b = make_document("b", "Hội đồng Bảo an im lặng.")
    c = make_document("c", "Một văn bản khác.")
    spans = [tagged(a, "Hội đồng Bảo an", "attribution"), tagged(b, "Hội đồng Bảo an", "attribution"),
             tagged(c, "văn bản", "attribution")]  # fmt: skip
    report = evaluate([a, b, c], spans, default_schema(), ("strings",))
    exact = report["recommenders"]["strings"]["labels"]["attribution"]["exact"]
    # a: learned from b, proposes both occurrences (one right); b: learned from a, right;
    # c: "văn bản" was learned only from c itself, so nothing.
    assert (exact["matches"], exact["candidate_spans"], exact["reference_spans"]) == (2, 3, 3)
    assert report["documents"] == 3


def test_the_lexer_rows_are_the_lexer_scored_directly():
    docs = list(read_corpus(CORPUS))
    spans = gold_spans()
    report = evaluate(docs, spans, default_schema(), ("lexer",))
    score = Score()
    for doc in docs:
        score.add(
            [(s.start, s.end, s.label) for s in spans if s.document == doc.id],
            [(s.start, s.end, s.label) for s in suggest(doc)],
        )
    for label in ("casualty", "attribution", "propaganda"):
        assert report["recommenders"]["lexer"]["labels"][label] == score.result(label)


def test_a_casualty_span_the_model_proposes_gets_the_attributes_its_words_give():
    from reader.core.recommend import casualty_attributes

    assert casualty_attributes("hơn 1.300 cảnh sát bị thương") == {
        "qualifier": "at_least", "value_low": 1300, "value_best": 1300, "outcome": "injured",
    }  # fmt: skip
    assert casualty_attributes("bị thương") == {"outcome": "injured"}
