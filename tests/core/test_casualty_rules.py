"""Casualty suggestions need an outcome that governs the figure (issue 19, item 3).

The sentences here are not from the corpus: they check the constructions as rules,
and the fixture test at the end states precision and recall on the hand-annotated
corpus (tests/data/corpus_gold.jsonl).
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from reader.core.corpus import read_corpus
from reader.core.recommend.score import Score
from reader.core.suggest import suggest
from tests.helpers import CORPUS, ROOT, make_document


def casualties(text: str) -> list[tuple[str, dict]]:
    found = suggest(make_document("x", text))
    return [(s.text, dict(s.attributes)) for s in found if s.label == "casualty"]


@pytest.mark.parametrize(
    ("sentence", "span", "outcome", "best"),
    [
        ("Ít nhất 12 người thiệt mạng trong vụ nổ.", "Ít nhất 12 người thiệt mạng", "killed", 12),
        ("Hơn 200 người đã bị bắt giữ.", "Hơn 200 người đã bị bắt giữ", "detained", 200),
        (
            "Cảnh sát đã bắt giữ 300 người biểu tình.",
            "bắt giữ 300 người biểu tình",
            "detained",
            300,
        ),
        ("Số nạn nhân tử vong là 7 người.", "nạn nhân tử vong là 7 người", "killed", 7),
        ("Không có binh sĩ nào bị thương.", "Không có binh sĩ nào bị thương", "injured", 0),
        ("Cuộc tấn công không gây thương vong nào.", "không gây thương vong nào", "other", 0),
    ],
)
def test_a_governed_figure_is_proposed_from_its_figure_to_its_outcome(
    sentence, span, outcome, best
):
    [(text, attributes)] = casualties(sentence)
    assert text == span
    assert attributes["outcome"] == outcome
    assert attributes.get("value_best", attributes.get("value_low")) == best


def test_a_part_of_a_count_inherits_its_outcome():
    found = casualties("Vụ tai nạn làm 9 người chết, trong đó có 5 trẻ em.")
    assert [(t, a["outcome"]) for t, a in found] == [
        ("9 người chết", "killed"),
        ("5 trẻ em", "killed"),
    ]
    assert found[1][1]["victim_group"] == "civilians"


@pytest.mark.parametrize(
    "sentence",
    [
        "Tổng số quân nhân của lực lượng CSTO sẽ lên tới 4.000 binh sĩ.",  # troops
        "Nga điều 3.000 binh sĩ tới Almaty.",
        "4.000 binh sĩ được triển khai để bắt giữ những kẻ bạo loạn.",  # another verb
        "Phiến quân chiếm 5 máy bay và bắn bị thương một phi công.",  # aircraft
        "Thiệt hại ước tính 2 triệu USD, 20% người dân bị ảnh hưởng.",  # money, percent
        "Năm 2022, 15 nghìn người biểu tình tuần hành.",  # a year, no outcome
        "Ngày 8/1, 155 vụ án hình sự đã được khởi tố.",  # a date, court cases
        "Phía Nga không có thông tin nào về vụ việc.",  # a zero of nothing counted
    ],
)
def test_figures_no_outcome_governs_are_not_casualties(sentence):
    assert casualties(sentence) == []


def test_a_date_before_a_count_stays_out_of_the_span():
    assert [t for t, _ in casualties("Ngày 8/1 có 45 người bị thương.")] == ["45 người bị thương"]


def gold_and_proposals():
    gold = defaultdict(set)
    path = ROOT / "tests" / "data" / "corpus_gold.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        gold[rec["document"]].add((rec["start"], rec["end"], rec["label"]))
    for doc in read_corpus(CORPUS):
        yield gold[doc.id], {(s.start, s.end, s.label) for s in suggest(doc)}


def test_casualty_precision_and_recall_on_the_annotated_corpus():
    score = Score()
    for reference, proposed in gold_and_proposals():
        score.add(reference, proposed)
    exact = score.result("casualty")["exact"]
    assert exact["precision"] >= 0.9 and exact["recall"] >= 0.8, exact


def test_exact_scores_equal_scikit_learn_on_the_same_items():
    """Exact matching is set membership: the union of both sides' spans are the items,
    "in gold" the truth and "proposed" the prediction, per label."""
    metrics = pytest.importorskip("sklearn.metrics")
    score = Score()
    items = []
    for reference, proposed in gold_and_proposals():
        score.add(reference, proposed)
        items += [(s[2], s in reference, s in proposed) for s in reference | proposed]
    for label in ("casualty", "attribution"):
        truth = [t for lab, t, _ in items if lab == label]
        predicted = [p for lab, _, p in items if lab == label]
        p, r, f, _ = metrics.precision_recall_fscore_support(
            truth, predicted, average="binary", zero_division=0
        )
        exact = score.result(label)["exact"]
        assert (exact["precision"], exact["recall"], exact["f1"]) == pytest.approx((p, r, f))


def attributions(text: str) -> list[tuple[str, dict]]:
    found = suggest(make_document("x", text))
    return [(s.text, dict(s.attributes)) for s in found if s.label == "attribution"]


@pytest.mark.parametrize(
    ("sentence", "content", "source", "cue", "quote_type"),
    [
        ("Theo Bộ Y tế, 164 người thiệt mạng.", "164 người thiệt mạng", "Bộ Y tế", "theo",
         "indirect"),
        ("Ông Lavrov cho biết Nga sẽ rút quân trong tuần tới; tuy nhiên chưa rõ khi nào.",
         "Nga sẽ rút quân trong tuần tới", "Ông Lavrov", "cho biết", "indirect"),
        ('Ông Tokayev nói rằng "các băng nhóm khủng bố" đang tấn công sân bay.',
         'các băng nhóm khủng bố" đang tấn công sân bay', "Ông Tokayev", "nói", "mixed"),
    ],
)  # fmt: skip
def test_reported_speech_is_attributed_by_its_content(sentence, content, source, cue, quote_type):
    [(text, attributes)] = [a for a in attributions(sentence) if a[1]["quote_type"] != "direct"]
    assert text == content
    assert attributes == {"source": source, "cue": cue, "quote_type": quote_type}


@pytest.mark.parametrize(
    "sentence",
    [
        "Chính phủ Nga chưa đưa ra tuyên bố chính thức về vấn đề này.",  # a statement, a noun
        "Theo thông tin trước đó, người ta cho rằng chiến dịch sẽ kết thúc.",  # its own cue
    ],
)
def test_a_cue_used_as_a_noun_or_handing_over_to_another_cue_is_no_attribution(sentence):
    assert attributions(sentence) == []


def test_attribution_precision_and_recall_on_the_annotated_corpus():
    """Stated, not targeted (the issue sets targets for casualties only): the figures the
    README gives."""
    score = Score()
    for reference, proposed in gold_and_proposals():
        score.add(reference, proposed)
    exact = score.result("attribution")["exact"]
    assert (exact["matches"], exact["candidate_spans"], exact["reference_spans"]) == (35, 40, 48)
