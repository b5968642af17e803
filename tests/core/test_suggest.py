"""Suggestions: the lexer's marks and the spans proposed from them, on the shipped corpus."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.labels_file import default_schema, parse_schema
from reader.core.model import Document
from reader.core.newslexer import (
    CUE,
    DATE,
    NUMBER,
    OUTCOME,
    QUALIFIER,
    QUOTE,
    QUOTE_MARK,
    SOURCE,
    VICTIM,
    TokenMap,
    TokenSpan,
    VietnameseNewsLexer,
    lex,
    token_spans,
)
from reader.core.suggest import Suggestion, suggest
from reader.core.text import is_grapheme_boundary, normalize, normalize_bytes, sha256
from tests.helpers import CORPUS, ROOT, VIETNAMESE, make_document


def corpus(prefix: str) -> Document:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    text = normalize_bytes(path.read_bytes(), str(path))
    return Document(id=path.stem, text=text, sha256=sha256(text), source=str(path))


def casualty(start, end, text, qualifier, low, best, high, outcome=None, group=None):
    values = {"qualifier": qualifier, "value_low": low, "value_best": best, "value_high": high,
              "outcome": outcome, "victim_group": group}  # fmt: skip
    attributes = {k: v for k, v in values.items() if v is not None}
    return start, end, text, "casualty", attributes


def attribution(start, end, text, source, cue):
    return start, end, text, "attribution", {"source": source, "cue": cue, "quote_type": "direct"}


def found(document: Document) -> list[tuple]:
    return [(s.start, s.end, s.text, s.label, s.attributes) for s in suggest(document)]


def test_casualty_figures_of_article_000_are_suggested_with_parsed_attributes():
    doc = corpus("000")
    expected = [
        casualty(550, 582, "bắt giữ khoảng 4.500 kẻ bạo loạn", "approx", None, 4500, None, "detained", "protesters"),
        casualty(5184, 5213, "45 sĩ quan cảnh sát bị thương", "exact", 45, 45, 45, "injured", "security_forces"),
        casualty(5346, 5414, "hơn 1.300 cảnh sát, quân đội Vệ binh Quốc gia và quân nhân bị thương",
                 "at_least", 1300, 1300, None, "injured", "security_forces"),
        casualty(5537, 5557, "164 người thiệt mạng", "exact", 164, 164, 164, "killed", "unknown"),
        casualty(5584, 5593, "103 người", "exact", 103, 103, 103, "killed", "unknown"),
    ]  # fmt: skip
    suggestions = found(doc)
    for item in expected:
        assert doc.text[item[0] : item[1]] == item[2]
        assert item in suggestions


def test_figures_of_things_nobody_counts_and_dates_are_not_suggested():
    for prefix, phrase in [("000", "155 vụ án"), ("000", "55 vụ án"), ("004", "5 máy bay"),
                           ("004", "6 quốc gia"), ("002", "15 cơ sở"), ("000", "ngày 6-7/1")]:  # fmt: skip
        doc = corpus(prefix)
        at = doc.text.index(phrase)
        found = [s for s in suggest(doc) if s.label == "casualty" and s.start <= at < s.end]
        assert not found, phrase


def test_the_okutan_quotation_in_000_is_attributed_to_him():
    doc = corpus("000")
    quote = (
        "Chúng tôi sẽ không bao giờ tha thứ cho kẻ đáng khinh Mankurt Tokayev, đã đưa quân đội "
        "Nga và Armenia diệt chủng đến quê hương của người Thổ Nhĩ Kỳ ở Kazakhstan để bảo vệ "
        "quyền lực"
    )
    item = attribution(
        4521, 4700, quote, "Okutan, Tổng thư ký Tổ chức người Kazakhstan ở Thổ Nhĩ Kỳ", "tuyên bố"
    )
    assert doc.text[4521:4700] == quote
    assert doc.text[4520] == "“" and doc.text[4700] == "”"
    assert item in found(doc)


def test_the_three_quoted_statements_of_003_are_attributed():
    doc = corpus("003")
    expected = [
        attribution(
            226, 455,
            "Chúng tôi coi các sự kiện gần đây tại một quốc gia bạn hữu chính là âm mưu do các thế lực "
            "bên ngoài thúc đẩy nhằm hủy hoại an ninh và toàn vẹn của nhà nước bằng vũ lực, sử dụng "
            "các băng nhóm vũ trang có tổ chức và được huấn luyện",
            "Bộ Ngoại giao Nga", "nêu rõ",
        ),
        attribution(
            991, 1177,
            "Chúng tôi tin tưởng chính quyền sẽ có thể giải quyết vấn đề một cách hợp lý. Trung Quốc "
            "hy vọng tình hình (Kazakhstan) sẽ ổn định càng sớm càng tốt và trật tự công cộng sẽ "
            "được khôi phục",
            "ông Uông Văn Bân", "nói",
        ),
        attribution(
            1289, 1474,
            "Bạo lực phải được chấm dứt. Chúng tôi kêu gọi tất cả các bên kiềm chế và tìm một giải "
            "pháp hòa bình cho tình hình hiện nay. EU sẵn sàng và mong muốn ủng hộ cuộc đối thoại "
            "tại Kazakhstan",
            "Người phát ngôn của EU", "nhấn mạnh",
        ),
    ]  # fmt: skip
    quoted = [s for s in found(doc) if s[3] == "attribution" and s[4]["quote_type"] == "direct"]
    assert quoted == expected
    for start, end, text, *_ in expected:
        assert doc.text[start:end] == text


def test_every_suggestion_on_the_corpus_passes_the_schema_and_sits_on_grapheme_boundaries():
    schema = default_schema()
    total = 0
    for path in sorted(CORPUS.glob("*.txt")):
        doc = corpus(path.stem[:3])
        for s in suggest(doc):
            total += 1
            assert schema.check_attributes(s.label, s.attributes) == s.attributes
            assert s.text == doc.text[s.start : s.end]
            assert is_grapheme_boundary(doc.text, s.start) and is_grapheme_boundary(doc.text, s.end)
    assert total >= 20


def test_lexer_marks_figures_dates_cues_sources_and_outcomes_at_exact_offsets():
    doc = corpus("000")
    tokens = {(s, e): kind for s, e, kind in lex(doc.text)}
    expected = [
        (0, 8, DATE, "Ngày 8/1"),
        (550, 557, OUTCOME, "bắt giữ"),
        (558, 564, QUALIFIER, "khoảng"),
        (565, 570, NUMBER, "4.500"),
        (571, 582, VICTIM, "kẻ bạo loạn"),
        (1661, 1669, DATE, "năm 1992"),
        (1956, 1966, DATE, "ngày 6-7/1"),
        (5327, 5336, SOURCE, "Bộ Nội vụ"),
        (5337, 5345, CUE, "cho biết"),
        (5346, 5349, QUALIFIER, "hơn"),
        (5350, 5355, NUMBER, "1.300"),
        (5547, 5557, OUTCOME, "thiệt mạng"),
    ]
    for start, end, kind, text in expected:
        assert doc.text[start:end] == text
        assert tokens.get((start, end)) is kind, text


def test_lexer_marks_quotation_marks_and_content_and_dates_like_06_01():
    doc = corpus("003")
    tokens = {(s, e): kind for s, e, kind in lex(doc.text)}
    assert doc.text[0:10] == "Ngày 06-01" and tokens[(0, 10)] is DATE
    assert doc.text[225] == '"' and tokens[(225, 226)] is QUOTE_MARK
    assert doc.text[455] == '"' and tokens[(455, 456)] is QUOTE_MARK
    inside = [kind for (s, e), kind in tokens.items() if 226 <= s < 455]
    assert inside and set(inside) == {QUOTE}
    assert tokens[(187, 204)] is SOURCE and doc.text[187:204] == "Bộ Ngoại giao Nga"


def test_names_with_digits_are_not_figures():
    doc = corpus("001")
    at = doc.text.index("Aksai-2")
    assert not [k for s, e, k in lex(doc.text) if at <= s < at + 7 and k is NUMBER]
    assert (doc.text[2967:2972], {(s, e): k for s, e, k in lex(doc.text)}[(2967, 2972)]) == (
        "10/01",
        DATE,
    )


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE,
        "中文 wide 👨‍👩‍👧 “không đóng ngoặc\n45 người chết.\n",
        'Ông A nói: “ạ́ 👍🏽” và «x̃ 3 người»; "" 1,5 nghìn.\n',
        "",
    ],
)
def test_lexer_tokens_cover_the_text_exactly_once(text: str):
    position = 0
    for start, end, _ in lex(text):
        assert start == position and end > start
        position = end
    assert position == len(text)
    for span in token_spans(text):
        assert is_grapheme_boundary(text, span.start) and is_grapheme_boundary(text, span.end)


def test_a_quotation_across_a_line_is_one_attribution_and_its_figures_still_count():
    doc = make_document("q", "Ông Tokayev nói: “Dòng một,\ndòng hai có 5 người chết”.\n")
    assert found(doc) == [
        attribution(18, 52, "Dòng một,\ndòng hai có 5 người chết", "Ông Tokayev", "nói"),
        casualty(40, 52, "5 người chết", "exact", 5, 5, 5, "killed", "unknown"),
    ]


def test_an_unclosed_quotation_does_not_swallow_the_article():
    doc = make_document(
        "u", "Ông A nói: “không đóng\n" + "chữ " * 2000 + "\nHơn 45 người chết 👨‍👩‍👧.\n"
    )
    suggestions = suggest(doc)
    assert [(s.label, s.text) for s in suggestions] == [("casualty", "Hơn 45 người chết")]


def test_a_cue_after_the_quotation_and_a_source_after_theo_are_found():
    doc = make_document(
        "c",
        "“Trật tự đã được khôi phục”, Tổng thống Tokayev nói.\n"
        "Theo Bộ Y tế Kazakhstan, “164 người đã thiệt mạng”.\n",
    )
    assert found(doc) == [
        attribution(1, 26, "Trật tự đã được khôi phục", "Tổng thống Tokayev", "nói"),
        attribution(79, 102, "164 người đã thiệt mạng", "Bộ Y tế Kazakhstan", "theo"),
        casualty(79, 102, "164 người đã thiệt mạng", "exact", 164, 164, 164, "killed", "unknown"),
    ]


def test_the_shared_test_sample_gives_its_four_suggestions():
    doc = make_document("vn1", VIETNAMESE)
    assert [(s.label, s.text) for s in suggest(doc)] == [
        ("casualty", "bắt giữ khoảng 4.500 kẻ bạo loạn"),
        ("casualty", "164 người thiệt mạng"),
        ("attribution", "164 người thiệt mạng 😢 trong các cuộc bạo loạn"),  # "Theo Bộ Y tế, …"
        ("attribution", "Trật tự đã được khôi phục"),
    ]


def test_a_users_schema_limits_labels_and_attributes():
    schema = parse_schema(
        b'[labels.casualty]\nkey = "c"\n[labels.casualty.attributes.outcome]\n'
        b'type = "enum"\nvalues = ["killed"]\n',
        "mine.toml",
    )
    suggestions = suggest(corpus("000"), schema)
    assert {s.label for s in suggestions} == {"casualty"}
    by_text = {s.text: s.attributes for s in suggestions}
    assert by_text["164 người thiệt mạng"] == {"outcome": "killed"}
    assert by_text["45 sĩ quan cảnh sát bị thương"] == {}  # "injured" is not in this schema


def test_a_suggestion_becomes_a_suggested_draft_and_has_a_stable_key():
    first = suggest(corpus("000"))[0]
    again = suggest(corpus("000"))[0]
    assert first == again and first.key == again.key
    assert (
        first.key
        != Suggestion(first.document, first.start, first.end + 1, first.text, first.label).key
    )
    record = first.to_record()
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record
    assert set(record) == {"document", "start", "end", "text", "label", "attributes", "source",
                           "confidence"}  # fmt: skip
    assert (record["source"], record["confidence"]) == ("lexer", None)
    draft = first.to_draft("lan")
    assert (draft.origin, draft.start, draft.end, draft.text, draft.annotator) == (
        "suggested", first.start, first.end, first.text, "lan")  # fmt: skip


def test_token_map_returns_the_marks_overlapping_a_range():
    text = corpus("000").text
    tokens = TokenMap.build(text)
    assert tokens.between(560, 575) == [
        TokenSpan(558, 564, "qualifier"),
        TokenSpan(565, 570, "number"),
        TokenSpan(571, 582, "victim"),
    ]
    assert tokens.between(583, 600) == []
    assert tokens.between(0, 1) == [TokenSpan(0, 8, "date")]


def test_pyproject_registers_the_lexer_for_pygments():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    lexers = data["project"]["entry-points"]["pygments.lexers"]
    assert "reader.core.suggest:VietnameseNewsLexer" in lexers.values()


def test_pygmentize_finds_the_lexer_through_an_entry_point(tmp_path: Path):
    info = tmp_path / "vinews_plugin-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: vinews-plugin\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "[pygments.lexers]\nvinews = reader.core.suggest:VietnameseNewsLexer\n"
    )
    sample = tmp_path / "a.txt"
    sample.write_text("Ngày 8/1, hơn 1.300 cảnh sát bị thương.\n", encoding="utf-8")
    code = (
        "import sys; sys.path[:0] = sys.argv[1:3]\n"
        "from pygments.cmdline import main\n"
        "sys.exit(main(['pygmentize', '-l', 'vinews', '-f', 'raw', sys.argv[3]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), str(ROOT), str(sample)],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Token.Literal.Date\t'Ng\\xe0y 8/1'" in result.stdout
    assert "Token.Literal.Number\t'1.300'" in result.stdout
    assert VietnameseNewsLexer.aliases[0] == "vinews"


FRAGMENTS = [
    "Ngày 8/1", "hơn 1.300", " cảnh sát", " bị thương", "“", "”", '"', "«", "»", "\n", " ", ", ",
    ". ", "ông Tokayev", " nói", ": ", "Bộ Nội vụ", " cho biết ", "khoảng ", "4,5 nghìn", " người",
    " thiệt mạng", "👨‍👩‍👧", "中文", "ạ́", "6-7/1", "năm 1992", "hàng trăm", "Theo ", "x̃", "\u0301", "45",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_any_mix_of_news_fragments_lexes_whole_and_suggests_valid_spans(parts):
    text = normalize("".join(parts))
    position = 0
    for start, end, _ in lex(text):
        assert start == position and end > start
        position = end
    assert position == len(text)
    schema = default_schema()
    for s in suggest(Document(id="f", text=text, sha256=sha256(text))):
        assert s.text == text[s.start : s.end] and s.start < s.end
        assert is_grapheme_boundary(text, s.start) and is_grapheme_boundary(text, s.end)
        assert schema.check_attributes(s.label, s.attributes) == s.attributes
