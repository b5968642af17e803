"""The quick path of a native JSONL import (orjson, records without a draft per line)
stores exactly what the strict path stores, and everything the strict path refuses is
still refused with the strict path's one line: a duplicate key however it is hidden,
too deep a nesting, a span that splits a character, a mismatched text."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from pathlib import Path

import orjson
import pytest
from formats_helpers import document, import_file
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.errors import ReaderError
from reader.core.formats import FormatOptions, jsonl
from reader.core.formats.quick_json import written_once
from reader.core.store import Store
from reader.core.store import importer as importer_module
from reader.core.text import every_offset_a_boundary, is_grapheme_boundary, sha256

TEXTS = {
    "vi": 'Ít nhất 164 người đã thiệt mạng, "Bộ Y tế" cho biết — theo “nguồn tin” …',
    # NFD on the way in: stored as NFC, offsets count in the NFC text.
    "nfd": unicodedata.normalize("NFD", "Người biểu tình tại Almaty, ngày 5/1."),
    "emoji": "Gia đình 👨‍👩‍👧 ở Almaty 🇰🇿 hôm qua.",
    "wide": "東京で会議、ＡＢＣ全角 và tiếng Việt.",
    "marks": "q\u0301 là một chữ có dấu rời, x\u0323\u0302 cũng vậy.",
}
STAMP = "2022-01-10T08:00:00.000000+00:00"


def stored_text(key: str) -> str:
    return document(key, TEXTS[key]).text


def record(doc: str, start: int, end: int, label: str = "attribution", **changes) -> dict:
    text = stored_text(doc)
    value = {
        "id": f"{doc}-{start}-{end}-{label}",
        "document": doc,
        "document_sha256": sha256(text),
        "start": start,
        "end": end,
        "text": text[start:end],
        "label": label,
        "attributes": {},
        "note": "",
        "annotator": "alice",
        "origin": "manual",
        "created_at": STAMP,
        "updated_at": STAMP,
    }
    value.update(changes)
    return value


def canonical(value: dict) -> str:
    """As reader exports it (and orjson writes it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def words(doc: str) -> list[tuple[int, int]]:
    """Every word's [start, end) in a stored text: edges next to spaces."""
    text, found, start = stored_text(doc), [], 0
    for part in text.split(" "):
        if part:
            found.append((start, start + len(part)))
        start += len(part) + 1
    return found


def mixed_file() -> str:
    """Lines in every style a writer may use, most of them quick, some strict."""
    lines = []
    for doc in TEXTS:
        for n, (start, end) in enumerate(words(doc)):
            value = record(doc, start, end, annotator=["alice", "Nguyễn Văn An"][n % 2])
            style = n % 5
            if style == 0:
                lines.append(canonical(value))
            elif style == 1:  # Python's default separators: a space after ':' and ','
                lines.append(json.dumps(value, ensure_ascii=False))
            elif style == 2:  # every non-ASCII letter as a \\u escape
                lines.append(json.dumps(value))
            elif style == 3:  # escaped quotes and backslashes in the note, a CRLF line end
                value["note"] = 'he said "no" \\ then: "yes"\n'
                lines.append(canonical(value) + "\r")
            else:  # no id, no origin, no timestamps: derived and stamped
                value.update(id=None, origin=None, created_at=None, updated_at=None)
                lines.append(canonical(value))
    start, end = words("vi")[2]
    attributes = [
        ("casualty", {"outcome": "killed", "value_low": 164, "value_best": 164}),
        ("attribution", {"source": "Bộ Y tế", "quote_type": "direct"}),
        ("propaganda", {"category": ["simplification", "call"]}),
    ]
    for label, values in attributes:
        lines.append(canonical(record("vi", start, end, label, id=label, attributes=values)))
    lines.append(canonical(record("vi", *words("vi")[3], deleted_at="2022-01-11T00:00:00Z")))
    lines.append(canonical(record("vi", *words("vi")[4], "casualty", id="linked")))
    linked = record("vi", *words("vi")[5], id="linker")
    linked["links"] = [{"id": "L1", "type": "source_of", "to": "linked"}]
    lines.append(canonical(linked))
    lines.append("")  # a blank line
    return "\ufeff" + "\n".join(lines) + "\n"


def fresh_store(path: Path) -> Store:
    store = Store.open(path, annotator="tester")
    store.sync_documents([document(key, text) for key, text in TEXTS.items()])
    return store


def table(path: Path, name: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute(f"SELECT * FROM {name}"), key=repr)
    finally:
        conn.close()


def test_quick_and_strict_paths_store_the_same_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "now", lambda: STAMP)  # the same stamp both times
    source = tmp_path / "mixed.jsonl"
    source.write_text(mixed_file(), encoding="utf-8")
    taken: list[dict] = []
    quick = jsonl._quick_record

    def counted(raw, documents, annotators):
        value = quick(raw, documents, annotators)
        if value is not None:
            taken.append(value)
        return value

    monkeypatch.setattr(jsonl, "_quick_record", counted)
    store = fresh_store(tmp_path / "quick.db")
    first = import_file(store, "jsonl", source)
    store.close()
    assert len(taken) > 40  # most lines went the quick way...
    monkeypatch.setattr(jsonl, "_quick_record", lambda *_: None)
    store = fresh_store(tmp_path / "strict.db")
    second = import_file(store, "jsonl", source)  # ...and here none did
    store.close()
    assert first == second
    assert first.annotations_added >= 50 and first.links_added == 1
    for name in ("annotations", "links", "extra_labels"):
        assert table(tmp_path / "quick.db", name) == table(tmp_path / "strict.db", name)


def refusal(tmp_path: Path, lines: list[str]) -> tuple[Path, str]:
    """Import ``lines`` into a fresh database: (the file, the one-line refusal); nothing
    may have been stored."""
    path = tmp_path / "refused.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = fresh_store(tmp_path / "refused.db")
    with pytest.raises(ReaderError) as error:
        import_file(store, "jsonl", path)
    assert store.conn.execute("SELECT count(*) FROM annotations").fetchone() == (0,)
    store.close()
    return path, str(error.value)


GOOD = record("vi", *words("vi")[1])


def hidden(how: str) -> str:
    """GOOD's line with a second "label" (or attribute) hidden ``how``."""
    line = canonical(GOOD)
    twice = line.replace('"label":"attribution"', '"label":"attribution","label":"casualty"')
    return {
        "plain": twice,
        "spaced-colon": line.replace('"label":"attribution"', '"label":"attribution","label" :"x"'),
        "tab-colon": line.replace('"label":"attribution"', '"label":"attribution","label"\t:"x"'),
        "return-colon": line.replace('"note":""', '"note":"","label"\r:"x"'),
        "escaped-key": line.replace('"note":""', '"note":"","\\u006cabel":"x"'),
        "escaped-quote-before": twice.replace('"note":""', '"note":"a \\"quote\\": here"'),
        "escaped-backslash-before": twice.replace('"note":""', '"note":"ends with \\\\"'),
        # A value opening with ':' adds one to the count of '":'; a spaced repeat is
        # not counted: together they would balance, if spaced keys were let through.
        "colon-value-and-spaced-key": line.replace('"note":""', '"note":":","label" :"x"'),
        "in-attributes": line.replace(
            '"attributes":{}', '"attributes":{"source":"a","source":"b"}'
        ),
        "spaces-everywhere": json.dumps(GOOD, ensure_ascii=False).replace(
            '"label": "attribution"', '"label": "attribution", "label": "casualty"'
        ),
        "ascii-escaped": json.dumps(GOOD).replace(
            '"label": "attribution"', '"label": "attribution", "label": "casualty"'
        ),
        "crlf": twice + "\r",
    }[how]


HOW = [
    "plain", "spaced-colon", "tab-colon", "return-colon", "escaped-key", "escaped-quote-before",
    "escaped-backslash-before", "colon-value-and-spaced-key", "in-attributes",
    "spaces-everywhere", "ascii-escaped", "crlf",
]  # fmt: skip


@pytest.mark.parametrize("how", HOW)
def test_a_duplicate_key_is_refused_however_it_is_hidden(tmp_path, how):
    """Line 2 repeats a key after line 1 warmed every cache the quick path uses; as
    orjson parses it (the last value wins), it has the native shape, so only the proof
    of ``written_once`` stands between it and the quick path."""
    assert orjson.loads(hidden(how)).keys() == set(jsonl.RECORD)
    path, message = refusal(tmp_path, [canonical(GOOD), hidden(how)])
    assert f"{path}:2: key " in message and "appears twice in one object" in message


def test_too_deep_a_nesting_is_refused_in_a_native_line(tmp_path):
    deep = json.loads("[" * 70 + "]" * 70)
    lines = [canonical(GOOD), canonical(dict(GOOD, id="other", attributes={"source": deep}))]
    path, message = refusal(tmp_path, lines)
    assert message == f"{path}:2: JSON nested deeper than 64 levels"


def _swapped(key: str, other: str) -> dict:
    """GOOD with ``key`` renamed ``other``: as many keys, not the same ones."""
    return {other if k == key else k: v for k, v in GOOD.items()}


@pytest.mark.parametrize(
    "value",
    [
        _swapped("note", "deleted_at"),
        _swapped("id", "links"),
        dict(GOOD, deleted_at=None),
        {k: v for k, v in GOOD.items() if k != "note"},
        dict(GOOD, start=True),
        dict(GOOD, start=2**70),  # orjson reads it as a float
        dict(GOOD, attributes={"source": 1.5}),
        dict(GOOD, attributes={"source": None}),
        dict(GOOD, attributes={"source": {"a": 1}}),
        dict(GOOD, attributes={"source": [1]}),
        dict(GOOD, attributes=[]),
        dict(GOOD, document="unseen"),
        dict(GOOD, annotator="unseen"),
        dict(GOOD, text=5),
        dict(GOOD, note=None),
    ],
)
def test_a_line_off_the_native_shape_goes_the_strict_way(value):
    assert jsonl._quick_record(canonical(GOOD).encode(), {"vi"}, {"alice"}) == GOOD
    assert jsonl._quick_record(canonical(value).encode(), {"vi"}, {"alice"}) is None


def test_a_list_attribute_three_levels_deep_is_quick(tmp_path):
    value = record("vi", *words("vi")[1], "propaganda", attributes={"category": ["call"]})
    raw = canonical(value).encode()
    assert jsonl._quick_record(raw, {"vi"}, {"alice"}) == value


@pytest.mark.parametrize(
    ("doc", "start", "end", "fragment"),
    [
        ("emoji", 10, 12, "start: offset 10 splits a character"),  # inside the family's ZWJ run
        ("emoji", 0, 10, "end: offset 10 splits a character"),
        ("marks", 0, 1, "end: offset 1 splits a character"),  # q and its combining acute
    ],
)
def test_a_span_splitting_a_character_is_refused_after_good_lines(
    tmp_path, doc, start, end, fragment
):
    good = [canonical(record(doc, s, e)) for s, e in words(doc)]
    path, message = refusal(tmp_path, [*good, canonical(record(doc, start, end, id="bad"))])
    assert message.startswith(f"{path}:{len(good) + 1}: {fragment}")


def test_nfd_text_in_a_record_is_refused_as_a_mismatch(tmp_path):
    start, end = words("nfd")[0]
    nfd = unicodedata.normalize("NFD", stored_text("nfd")[start:end])
    lines = [
        canonical(record("nfd", *words("nfd")[1])),
        canonical(record("nfd", start, end, text=nfd)),
    ]
    path, message = refusal(tmp_path, lines)
    assert re.fullmatch(f"{re.escape(str(path))}:2: text: .* does not match .*", message)


def test_the_first_fault_in_the_file_is_the_one_named(tmp_path):
    """A quick line with a bad offset (line 2) comes before bad JSON (line 3): records
    waiting in a batch reach the store before the strict path reads on."""
    lines = [
        canonical(GOOD),
        canonical(dict(GOOD, id="far", start=5000, end=5001, text=None)),
        '{"document": "vi",',
    ]
    path, message = refusal(tmp_path, lines)
    assert message.startswith(f"{path}:2: start: 5000 is not inside")


# -- the proof, tested: what ``written_once`` accepts repeats no key ------------------------

KEYS = st.sampled_from(["a", "b", "a:", ":", '"', '":', "\\", "a b", "ạ", "😀", ""])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40),
    st.text(alphabet=':"\\ ab\t\nạ😀{}[],', max_size=6),
)  # fmt: skip
# An object is a list of pairs, so that a key may repeat.
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.lists(st.tuples(KEYS, inner), max_size=4).map(tuple)
    ),
    max_leaves=8,
)
SPACE = st.sampled_from(["", "", " ", "\t", "\r\n", "  "])


def _string(text: str, escape: list[bool]) -> str:
    out = []
    for i, ch in enumerate(text):
        if escape[i % len(escape)] or ch in '"\\' or ord(ch) < 0x20:
            if ord(ch) > 0xFFFF:
                high, low = divmod(ord(ch) - 0x10000, 0x400)
                out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
            else:
                out.append([f"\\u{ord(ch):04x}", json.dumps(ch)[1:-1]][i % 2])
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def written(draw, value=VALUES):
    """(a JSON text written with any spacing and escaping, its pairs model)."""
    model = draw(st.lists(st.tuples(KEYS, value), max_size=5).map(tuple))
    escape = draw(st.lists(st.booleans(), min_size=1, max_size=4))

    def write(v) -> str:
        space = draw(SPACE)
        if isinstance(v, tuple):
            pairs = [f"{space}{_string(k, escape)}{draw(SPACE)}:{space}{write(x)}" for k, x in v]
            return "{" + ",".join(pairs) + space + "}"
        if isinstance(v, list):
            return "[" + ",".join(space + write(x) for x in v) + "]"
        if isinstance(v, str):
            return _string(v, escape)
        return json.dumps(v)

    return write(model), model


def _repeats(v) -> bool:
    if isinstance(v, tuple):
        keys = [k for k, _ in v]
        return len(set(keys)) != len(keys) or any(_repeats(x) for _, x in v)
    if isinstance(v, list):
        return any(_repeats(x) for x in v)
    return False


def _entries(v) -> int:
    if isinstance(v, dict):
        return len(v) + sum(_entries(x) for x in v.values())
    if isinstance(v, list):
        return sum(_entries(x) for x in v)
    return 0


@settings(max_examples=3000, deadline=None)
@given(written())
def test_a_line_taken_as_written_once_repeats_no_key(case):
    text, model = case
    raw = text.encode()
    parsed = orjson.loads(raw)
    if written_once(raw, parsed, _entries(parsed)):
        assert not _repeats(model), text


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(max_size=5), SCALARS, max_size=6))
def test_reader_s_own_lines_are_taken(value):
    """Completeness where it matters: what reader writes is never sent the slow way."""
    raw = canonical(value).encode()
    assert written_once(raw, orjson.loads(raw), len(value))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="aạ ́\u0323👨\u200d😀中ＡꙮĐ—…\n", max_size=12))
def test_a_text_of_simple_characters_has_a_boundary_at_every_offset(text):
    if every_offset_a_boundary(text):
        assert all(is_grapheme_boundary(text, i) for i in range(len(text) + 1))
        # and the segmenter agrees: no cluster is longer than one character
        import regex

        assert all(len(cluster) == 1 for cluster in regex.findall(r"\X", text))


@pytest.mark.parametrize("fails", [False, True])
def test_the_collector_is_paused_during_an_import_and_left_as_found(tmp_path, fails):
    import gc

    seen = []

    def items():
        seen.append(gc.isenabled())
        yield from jsonl.read(path, schema=store.schema, options=FormatOptions())
        if fails:
            raise ReaderError("stop")

    path = tmp_path / "one.jsonl"
    path.write_text(canonical(GOOD) + "\n", encoding="utf-8")
    store = fresh_store(tmp_path / "db.db")
    assert gc.isenabled()
    try:
        store.import_items(items(), source=str(path))
    except ReaderError:
        assert fails
    else:
        assert not fails
    assert seen == [False] and gc.isenabled()
    gc.disable()  # one who paused it already keeps it paused
    try:
        store.import_items(iter([]), source="nothing")
        assert not gc.isenabled()
    finally:
        gc.enable()
    store.close()
