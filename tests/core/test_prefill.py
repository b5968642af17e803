"""Prefill: what a span's own text determines is filled when it is tagged, and marked so."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from reader.core.corpus import read_corpus
from reader.core.labels_file import default_schema, parse_schema
from reader.core.prefill import prefill
from reader.core.schema import FROM_TEXT
from reader.core.store import Store
from tests.helpers import CORPUS, VIETNAMESE, make_document

GOLD = Path(__file__).resolve().parent.parent / "data" / "corpus_gold.jsonl"
SCHEMA = default_schema()


def values(text: str, phrase: str, label: str, schema=SCHEMA) -> dict:
    start = text.index(phrase)
    return prefill(text, start, start + len(phrase), label, schema)


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("Ít nhất 164 người đã thiệt mạng.", "Ít nhất 164 người đã thiệt mạng",
         {"qualifier": "at_least", "value_low": 164, "value_best": 164, "outcome": "killed",
          "victim_group": "unknown"}),
        ("Lực lượng an ninh bắt giữ khoảng 4.500 kẻ bạo loạn.", "bắt giữ khoảng 4.500 kẻ bạo loạn",
         {"qualifier": "approx", "value_best": 4500, "outcome": "detained",
          "victim_group": "protesters"}),
        ("Có hai sĩ quan bị thương nặng.", "hai sĩ quan bị thương nặng",
         {"qualifier": "exact", "value_low": 2, "value_best": 2, "value_high": 2,
          "outcome": "injured", "victim_group": "security_forces"}),
        ("Hàng trăm người mất tích.", "Hàng trăm người mất tích",
         {"qualifier": "vague", "value_low": 100, "value_best": 100, "value_high": 999,
          "outcome": "missing", "victim_group": "unknown"}),
        ("Gần 100 người biểu tình bị bắt.", "Gần 100 người biểu tình bị bắt",
         {"qualifier": "at_most", "value_best": 100, "value_high": 100, "outcome": "detained",
          "victim_group": "protesters"}),
        ("Lên tới 30 cảnh sát tử vong.", "Lên tới 30 cảnh sát tử vong",
         {"qualifier": "at_most", "value_best": 30, "value_high": 30, "outcome": "killed",
          "victim_group": "security_forces"}),
        ("Từ 10 đến 15 dân thường chết.", "Từ 10 đến 15 dân thường chết",
         {"qualifier": "range", "value_low": 10, "value_best": 10, "value_high": 15,
          "outcome": "killed", "victim_group": "civilians"}),
        # The outcome comes from the sentence when the span has none.
        ("164 người thiệt mạng, trong đó có 103 người ở Almaty.", "103 người",
         {"qualifier": "exact", "value_low": 103, "value_best": 103, "value_high": 103,
          "outcome": "killed", "victim_group": "unknown"}),
        # Two outcomes make "other"; a denied loss is a zero.
        ("Không có công dân Nga nào bị thiệt mạng hay bị thương.",
         "Không có công dân Nga nào bị thiệt mạng hay bị thương",
         {"qualifier": "exact", "value_low": 0, "value_best": 0, "value_high": 0,
          "outcome": "other"}),
        # Groups that differ make "unknown".
        ("3 cảnh sát và 2 dân thường bị thương.", "3 cảnh sát và 2 dân thường bị thương",
         {"qualifier": "exact", "value_low": 3, "value_best": 3, "value_high": 3,
          "outcome": "injured", "victim_group": "unknown"}),
    ],
)  # fmt: skip
def test_a_casualty_span_fills_figure_outcome_and_group_and_says_so(sentence, phrase, expected):
    found = values(sentence, phrase, "casualty")
    assert {k: v for k, v in found.items() if k != FROM_TEXT} == expected
    assert found[FROM_TEXT] == sorted(expected)


def test_an_attribution_fills_cue_source_and_quote_type():
    direct = "Ông Tokayev nói: “Trật tự đã được khôi phục”."
    assert values(direct, "Trật tự đã được khôi phục", "attribution") == {
        "cue": "nói",
        "source": "Ông Tokayev",
        "quote_type": "direct",
        FROM_TEXT: ["cue", "quote_type", "source"],
    }
    after = "“Trật tự đã được khôi phục”, ông Tokayev nói."
    assert values(after, "Trật tự đã được khôi phục", "attribution")["cue"] == "nói"
    indirect = "Bộ Nội vụ cho biết hơn 1.300 cảnh sát bị thương."
    assert values(indirect, "hơn 1.300 cảnh sát bị thương", "attribution") == {
        "cue": "cho biết",
        "source": "Bộ Nội vụ",
        "quote_type": "indirect",
        FROM_TEXT: ["cue", "quote_type", "source"],
    }
    mixed = "Ông Akar tuyên bố Ankara sẵn sàng giúp “đồng minh quan trọng” của mình."
    found = values(mixed, "Ankara sẵn sàng giúp “đồng minh quan trọng” của mình", "attribution")
    assert found["quote_type"] == "mixed" and found["cue"] == "tuyên bố"
    # Not a clear name: the cue is filled, the source left to the annotator.
    vague = "Theo các nguồn tin, giao tranh vẫn tiếp diễn."
    found = values(vague, "giao tranh vẫn tiếp diễn", "attribution")
    assert found == {"cue": "theo", "quote_type": "indirect", FROM_TEXT: ["cue", "quote_type"]}


def test_nothing_determined_fills_nothing_and_propaganda_gets_nothing():
    assert values("Tình hình đã ổn định.", "Tình hình đã ổn định", "casualty") == {}
    assert values("Hơn 1.300 người bị thương.", "Hơn 1.300 người bị thương", "propaganda") == {}


def test_a_user_schema_gets_only_what_it_declares_and_accepts():
    schema = parse_schema(
        b'[labels.deaths]\nkey = "d"\n'
        b'[labels.deaths.attributes.value_best]\ntype = "int"\nmaximum = 1000\n'
        b'[labels.deaths.attributes.outcome]\ntype = "enum"\nvalues = ["killed"]\n',
        "user.toml",
    )
    assert values("Hơn 1.300 người bị thương.", "Hơn 1.300 người bị thương", "deaths", schema) == {}
    assert values("Hơn 130 người chết.", "Hơn 130 người chết", "deaths", schema) == {
        "value_best": 130,
        "outcome": "killed",
        FROM_TEXT: ["outcome", "value_best"],
    }


def test_offsets_count_in_the_normalized_text_nfd_crlf_and_emoji():
    raw = unicodedata.normalize("NFD", "Tin 😀 nóng:\r\nhơn 1.300 cảnh sát bị thương 😢.")
    doc = make_document("nfd", raw)
    found = values(doc.text, "hơn 1.300 cảnh sát bị thương", "casualty")
    assert found["value_best"] == 1300 and found["outcome"] == "injured"


def test_the_store_keeps_from_text_only_for_values_still_there(tmp_path):
    store = Store.open(tmp_path / "a.db", annotator="lan")
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    text = store.document("vn1").text
    start = text.index("164 người thiệt mạng")
    end = start + len("164 người thiệt mạng")
    ann = store.create(
        "vn1", start, end, "casualty", attributes=prefill(text, start, end, "casualty", SCHEMA)
    )
    assert ann.attributes[FROM_TEXT] == ["outcome", "qualifier", "value_best", "value_high",
                                         "value_low", "victim_group"]  # fmt: skip
    changed = dict(ann.attributes, victim_group="civilians", value_high=None)
    changed[FROM_TEXT] = [n for n in ann.attributes[FROM_TEXT] if n != "victim_group"]
    updated = store.update(ann.id, attributes=changed)
    assert updated.attributes[FROM_TEXT] == ["outcome", "qualifier", "value_best", "value_low"]
    relabelled = store.update(ann.id, label="propaganda")
    assert FROM_TEXT not in relabelled.attributes  # none of those values is left
    store.close()


def _fixture_tally() -> dict[tuple[str, str], Counter]:
    docs = {d.id: d for d in read_corpus(CORPUS)}
    tally: dict[tuple[str, str], Counter] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        if gold["label"] == "casualty":
            names = ("value_best", "qualifier", "outcome", "victim_group")
        elif gold["label"] == "attribution":
            names = ("cue", "source", "quote_type")
        else:
            continue
        doc = docs[gold["document"]]
        found = prefill(doc.text, gold["start"], gold["end"], gold["label"], SCHEMA)
        for name in names:
            want, got = gold["attributes"].get(name), found.get(name)
            verdict = "right" if got == want else "missing" if got is None else "wrong"
            tally.setdefault((gold["label"], name), Counter())[verdict] += 1
    return tally


def test_prefill_against_the_hand_annotated_corpus_as_the_readme_states():
    """The figures the README gives (Labels, prefill) for tests/data/corpus_gold.jsonl."""
    tally = _fixture_tally()
    stated = {
        ("casualty", "value_best"): (10, 0, 0),
        ("casualty", "qualifier"): (10, 0, 0),
        ("casualty", "outcome"): (10, 0, 0),
        ("casualty", "victim_group"): (6, 2, 2),
        ("attribution", "cue"): (44, 3, 1),
        ("attribution", "source"): (27, 0, 21),
        ("attribution", "quote_type"): (47, 0, 1),
    }
    measured = {k: (c["right"], c["wrong"], c["missing"]) for k, c in tally.items()}
    assert measured == stated
