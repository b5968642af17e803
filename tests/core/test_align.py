"""Shared passages: found on the shipped corpus at exact offsets, mapped for propagation,
and checked against a brute-force oracle on random documents."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.align import (
    SHINGLE,
    Alignment,
    AlignmentIndex,
    Passage,
    align,
    map_offset,
    map_span,
    realign,
)
from reader.core.errors import ValidationError
from reader.core.model import Document
from reader.core.text import is_grapheme_boundary, normalize_bytes, sha256
from tests.helpers import CORPUS, make_document

IDS = {path.stem[:3]: path.stem for path in CORPUS.glob("*.txt")}


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    docs = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = normalize_bytes(path.read_bytes(), str(path))
        docs[path.stem[:3]] = Document(id=path.stem, text=text, sha256=sha256(text))
    return docs


@pytest.fixture(scope="module")
def alignments(documents) -> list[Alignment]:
    return align(documents.values())


# (a, start, end, b, start, end, kind, score, text of a's passage)
CORPUS_ALIGNMENTS = [
    ("001", 167, 201, "002", 1105, 1139, "exact", 1.0, "Các lực lượng bạo loạn và cực đoan"),
    ("001", 167, 201, "002", 2185, 2219, "exact", 1.0, "Các lực lượng bạo loạn và cực đoan"),
    ("001", 1115, 1166, "002", 164, 215, "exact", 1.0, "thiết bị quân sự, vũ khí và đạn dược. Tuy nhiên các"),
    ("001", 1209, 1261, "002", 254, 306, "exact", 1.0, "Kazakhstan, cùng với lực lượng an ninh và các đơn vị"),
    ("003", 2183, 2216, "004", 2567, 2600, "exact", 1.0, "Biểu tình bạo loạn đã leo thang ở"),
    ("003", 2231, 2288, "004", 2671, 2728, "exact", 1.0, "của Kazakhstan để phản đối tình trạng tăng giá nhiên liệu"),
    ("003", 2305, 2367, "004", 2745, 2807, "exact", 1.0, "đã buộc Tổng thống Tokayev phải ban bố tình trạng khẩn cấp tại"),
    ("003", 2671, 2738, "004", 0, 67, "exact", 1.0, "Nhà lãnh đạo Kazakhstan cho rằng các băng nhóm khủng bố hoạt động ở"),
    ("003", 2671, 2816, "004", 0, 147, "near", 0.6857,
     ("Nhà lãnh đạo Kazakhstan cho rằng các băng nhóm khủng bố hoạt động ở nước này đã được đào "
      "tạo ở nước ngoài và do đó có thể coi là khủng bố quốc tế")),
    ("003", 2748, 2816, "004", 79, 147, "exact", 1.0, "đã được đào tạo ở nước ngoài và do đó có thể coi là khủng bố quốc tế"),
]  # fmt: skip


def test_the_corpus_shared_passages_are_found_at_exact_offsets(documents, alignments):
    got = [
        (r.a.document, r.a.start, r.a.end, r.b.document, r.b.start, r.b.end, r.kind, r.score)
        for r in alignments
    ]
    assert got == [
        (IDS[a], sa, ea, IDS[b], sb, eb, k, s)
        for a, sa, ea, b, sb, eb, k, s, _ in CORPUS_ALIGNMENTS
    ]
    for a, sa, ea, b, sb, eb, kind, _, text in CORPUS_ALIGNMENTS:
        assert documents[a].text[sa:ea] == text
        if kind == "exact":  # word for word, punctuation and all, case aside
            assert documents[b].text[sb:eb].casefold() == text.casefold()


def test_003_ends_with_the_paragraph_004_begins_with(documents, alignments):
    t3, t4 = documents["003"].text, documents["004"].text
    last_paragraph = t3.rindex("\n") + 1
    shared = [r for r in alignments if r.a.document == IDS["003"] and r.b.start < t4.index("\n")]
    assert {(r.kind, r.a.start, r.a.end, r.b.start, r.b.end) for r in shared} == {
        ("exact", 2671, 2738, 0, 67),
        ("exact", 2748, 2816, 79, 147),
        ("near", 2671, 2816, 0, 147),
    }
    assert all(r.a.start >= last_paragraph for r in shared)
    assert t3[2816:] == "." and t4[147] == "."  # the sentence ends both: 003's text, 004's first


def test_001_and_002_retell_the_same_ria_novosti_report(documents, alignments):
    retold = {
        (r.a.start, r.a.end, r.b.start, r.b.end) for r in alignments if r.b.document == IDS["002"]
    }
    assert {(1115, 1166, 164, 215), (1209, 1261, 254, 306)} <= retold
    assert "RIA Novosti" in documents["002"].text[:500]


def test_an_annotation_in_003s_passage_propagates_to_the_right_offsets_in_004(
    documents, alignments
):
    t3, t4 = documents["003"].text, documents["004"].text
    exact = next(
        r for r in alignments if r.kind == "exact" and (r.a.start, r.b.start) == (2748, 79)
    )
    assert t3[2800:2816] == "khủng bố quốc tế"
    assert map_span(exact, 2800, 2816, t3, t4) == (131, 147)
    assert t4[131:147] == "khủng bố quốc tế"
    assert map_span(exact, 2748, 2776, t3, t4) == (79, 107)
    assert map_span(exact, 2747, 2817, t3, t4) == (78, 148)  # the space and full stop come along
    assert map_span(exact.flipped(), 131, 147, t4, t3) == (2800, 2816)
    assert map_span(exact, 2739, 2747, t3, t4) is None  # "nước này" is outside the passage
    assert map_offset(exact, 2800, t3, t4) == 131


def test_a_near_duplicate_maps_only_through_the_words_both_share(documents, alignments):
    t3, t4 = documents["003"].text, documents["004"].text
    near = next(r for r in alignments if r.kind == "near")
    assert map_span(near, 2671, 2817, t3, t4) == (0, 148)
    assert t4[0:148].endswith("khủng bố quốc tế.")
    assert t3[2739:2747] == "nước này" and t4[13:23] == "Kazakhstan"
    assert map_span(near, 2739, 2747, t3, t4) is None  # 004 says "Kazakhstan" there
    assert map_offset(near, 2739, t3, t4) == 79  # the next shared word, "đã"


def test_words_are_compared_without_case_or_punctuation_and_offsets_stay_on_graphemes():
    a = make_document(
        "a",
        "Hôm qua, LỰC LƯỢNG an ninh đã bắt giữ 45 người biểu tình tại Almaty 👨‍👩‍👧 trong đêm ạ́.",
    )
    b = make_document(
        "b",
        "Tin mới: lực lượng an ninh đã bắt giữ 45 người biểu-tình, tại Almaty 👨‍👩‍👧 trong đêm ạ́!\r\n",
    )
    near, found = align([b, a])
    assert (near.kind, near.a, near.b, near.score) == (
        "near",
        Passage("a", 0, 86),
        Passage("b", 0, 87),
        0.75,
    )
    assert (found.a.document, found.b.document, found.kind) == ("a", "b", "exact")
    assert (
        a.text[found.a.start : found.a.end]
        == "LỰC LƯỢNG an ninh đã bắt giữ 45 người biểu tình tại Almaty 👨‍👩‍👧 trong đêm ạ́"
    )
    assert (
        b.text[found.b.start : found.b.end]
        == "lực lượng an ninh đã bắt giữ 45 người biểu-tình, tại Almaty 👨‍👩‍👧 trong đêm ạ́"
    )
    for doc, passage in ((a, found.a), (b, found.b)):
        assert is_grapheme_boundary(doc.text, passage.start) and is_grapheme_boundary(
            doc.text, passage.end
        )
    start = a.text.index("Almaty")
    mapped = map_span(found, start, start + len("Almaty 👨‍👩‍👧"), a.text, b.text)
    assert b.text[mapped[0] : mapped[1]] == "Almaty 👨‍👩‍👧"


def test_realign_recomputes_only_changed_documents_and_matches_a_full_run(documents, alignments):
    edited = documents["004"].text.replace("đã được đào tạo", "được huấn luyện")
    changed = Document(id=documents["004"].id, text=edited, sha256=sha256(edited))
    corpus = [d for k, d in documents.items() if k != "004"] + [changed]
    assert realign(alignments, corpus, {changed.id}) == align(corpus)
    assert realign(alignments, corpus, {changed.id}) != alignments
    only = align(documents.values(), only={IDS["001"]})
    assert only == [r for r in alignments if IDS["001"] in (r.a.document, r.b.document)]
    gone = [d for k, d in documents.items() if k != "003"]
    assert realign(alignments, gone, {IDS["003"]}) == [
        r for r in alignments if IDS["003"] not in (r.a.document, r.b.document)
    ]


def test_the_index_answers_by_document_and_offset_from_either_side(alignments):
    index = AlignmentIndex(alignments)
    at = index.at(IDS["004"], 100)
    assert [(r.kind, r.a.document, r.a.start, r.b.document, r.b.start) for r in at] == [
        ("exact", IDS["004"], 79, IDS["003"], 2748),
        ("near", IDS["004"], 0, IDS["003"], 2671),
    ]
    assert index.at(IDS["004"], 70) == [next(r for r in at if r.kind == "near")]
    assert index.at(IDS["000"], 10) == []
    assert [r.a.start for r in index.overlapping(IDS["003"], 2600, 2700)] == [2671, 2671]
    assert [r.b.start for r in index.for_document(IDS["002"])] == [1115, 1209, 167, 167]


def test_records_round_trip_through_json(alignments):
    records = json.loads(json.dumps([r.to_record() for r in alignments]))
    assert records[0] == {"a": {"document": IDS["001"], "start": 167, "end": 201},
                          "b": {"document": IDS["002"], "start": 1105, "end": 1139},
                          "kind": "exact", "score": 1.0}  # fmt: skip
    assert [Alignment.from_record(r) for r in records] == alignments


def test_boilerplate_in_more_places_than_the_cap_seeds_nothing():
    stock = "Mọi thông tin chi tiết xin liên hệ tòa soạn qua số điện thoại đường dây nóng"
    docs = [make_document(f"d{i}", f"Bài {i} kể chuyện riêng số {i}. {stock}.") for i in range(4)]
    assert len(align(docs)) == 6  # every pair of the four
    assert align(docs, max_occurrences=3) == []


def test_bad_arguments_are_refused():
    doc = make_document("x", "một hai ba")
    with pytest.raises(ValidationError, match="given twice"):
        align([doc, doc])
    with pytest.raises(ValidationError, match="min_words"):
        align([doc], min_words=SHINGLE - 1)
    assert align([]) == []
    assert (
        map_span(
            Alignment(Passage("x", 0, 3), Passage("y", 0, 3), "exact", 1.0), 0, 0, "một", "một"
        )
        is None
    )


# --- a brute-force oracle on random documents ------------------------------------------

VOCABULARY = ["an", "ninh", "bạo", "loạn", "người", "Nga", "chết", "bị", "thương"]
sentence = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12)
article = st.lists(sentence, min_size=1, max_size=6)


@st.composite
def related_articles(draw) -> list[list[list[str]]]:
    """Articles that retell a few shared sentences, each copy with a few words changed,
    so that exact runs and near-duplicates are common rather than rare."""
    pool = draw(
        st.lists(
            st.lists(st.sampled_from(VOCABULARY), min_size=4, max_size=16), min_size=1, max_size=3
        )
    )
    articles = []
    for _ in range(draw(st.integers(2, 3))):
        sentences = []
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                sentences.append(draw(sentence))
                continue
            words = list(draw(st.sampled_from(pool)))
            for _ in range(draw(st.integers(0, 2))):
                words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(VOCABULARY))
            sentences.append(words)
        articles.append(sentences)
    return articles


def _build(
    doc_id: str, sentences: list[list[str]]
) -> tuple[Document, list[tuple[int, int]], list[int]]:
    """A document, its words' offsets, and the word index where each sentence starts."""
    text, offsets, starts = "", [], []
    for words in sentences:
        starts.append(len(offsets))
        for word in words:
            offsets.append((len(text), len(text) + len(word)))
            text += word + " "
        text = text[:-1] + ". "
    return make_document(doc_id, text), offsets, starts


def _oracle(built, min_words: int = 8, threshold: float = 0.5) -> set[tuple]:
    found = set()
    for x in range(len(built)):
        for y in range(x + 1, len(built)):
            (da, oa, sa), (db, ob, sb) = built[x], built[y]
            wa = [da.text[s:e] for s, e in oa]
            wb = [db.text[s:e] for s, e in ob]
            runs = []
            for i in range(len(wa)):
                for j in range(len(wb)):
                    if i and j and wa[i - 1] == wb[j - 1]:
                        continue  # not the left end of a run
                    n = 0
                    while i + n < len(wa) and j + n < len(wb) and wa[i + n] == wb[j + n]:
                        n += 1
                    if n >= min_words:
                        runs.append((i, i + n, j, j + n))
                        found.add(
                            (
                                da.id,
                                oa[i][0],
                                oa[i + n - 1][1],
                                db.id,
                                ob[j][0],
                                ob[j + n - 1][1],
                                "exact",
                                1.0,
                            )
                        )
            bounds_a = list(zip(sa, sa[1:] + [len(wa)]))
            bounds_b = list(zip(sb, sb[1:] + [len(wb)]))
            for a0, a1 in bounds_a:
                for b0, b1 in bounds_b:
                    ga = {tuple(wa[k : k + SHINGLE]) for k in range(a0, a1 - SHINGLE + 1)}
                    gb = {tuple(wb[k : k + SHINGLE]) for k in range(b0, b1 - SHINGLE + 1)}
                    if not ga or not gb or len(ga & gb) / len(ga | gb) < threshold:
                        continue
                    if any(r[0] <= a0 and a1 <= r[1] and r[2] <= b0 and b1 <= r[3] for r in runs):
                        continue
                    score = round(len(ga & gb) / len(ga | gb), 4)
                    found.add(
                        (
                            da.id,
                            oa[a0][0],
                            oa[a1 - 1][1],
                            db.id,
                            ob[b0][0],
                            ob[b1 - 1][1],
                            "near",
                            score,
                        )
                    )
    return found


@settings(max_examples=80, deadline=None)
@given(related_articles())
def test_align_finds_exactly_what_a_brute_force_comparison_finds(articles):
    built = [_build(f"d{i}", sentences) for i, sentences in enumerate(articles)]
    got = {
        (r.a.document, r.a.start, r.a.end, r.b.document, r.b.start, r.b.end, r.kind, r.score)
        for r in align([b[0] for b in built], max_occurrences=10**6)
    }
    assert got == _oracle(built)


@settings(max_examples=40, deadline=None)
@given(article, article, st.lists(st.sampled_from(["Kazakhstan", "CSTO", "Almaty", "Nga"]), min_size=8, max_size=20),
       st.data())  # fmt: skip
def test_a_planted_copy_is_found_and_any_span_in_it_maps_to_the_same_words(
    left, right, copied, data
):
    a, _, _ = _build("a", left + [copied] + right)
    b, _, _ = _build("b", right + [[w.upper() for w in copied]] + left)
    text = " ".join(copied)
    start_a, start_b = a.text.index(text), b.text.index(text.upper())
    exact = [r for r in align([a, b]) if r.kind == "exact"]
    holding = [r for r in exact if r.a.start <= start_a and start_a + len(text) <= r.a.end]
    assert holding
    words = len(copied)
    first = data.draw(st.integers(0, words - 1))
    last = data.draw(st.integers(first, words - 1))
    span_start = start_a + len(" ".join(copied[:first])) + (1 if first else 0)
    span_end = start_a + len(" ".join(copied[: last + 1]))
    mapped = [map_span(r, span_start, span_end, a.text, b.text) for r in holding]
    assert any(
        m and b.text[m[0] : m[1]].lower() == a.text[span_start:span_end].lower() for m in mapped
    )
    assert start_b >= 0
