"""A span with two techniques: one annotation whose ``technique`` is a list, carried by
every format that can hold it."""

from __future__ import annotations

import json

import pytest
from formats_helpers import document, export, import_file

from reader.core.errors import ReaderError, SchemaError
from reader.core.labels_file import default_schema, parse_schema

TWO = ["Name_Calling-Labeling", "Loaded_Language"]


def test_a_multiple_enum_keeps_the_schema_order_and_one_value_stays_text():
    technique = default_schema().label("propaganda").attribute("technique")
    assert technique.multiple
    assert technique.parse(["Loaded_Language", "Name_Calling-Labeling"]) == TWO
    assert technique.parse(["Doubt", "Doubt"]) == "Doubt"
    assert technique.parse("Doubt") == "Doubt"
    with pytest.raises(ReaderError, match="'Nope' is not one of"):
        technique.parse(["Doubt", "Nope"])
    outcome = default_schema().label("casualty").attribute("outcome")
    with pytest.raises(ReaderError, match="is not one of"):
        outcome.parse(["killed", "injured"])  # not multiple: a list is refused


def test_multiple_is_only_for_enums():
    toml = b'[labels.x]\ntitle = "X"\nkey = "1"\ncolor = "red"\n[labels.x.attributes.n]\ntype = "int"\nmultiple = true\n'
    with pytest.raises(SchemaError, match="multiple is true or false, and only for an enum"):
        parse_schema(toml, "x.toml")


@pytest.mark.parametrize("fmt", ["webanno", "labelstudio", "jsonl", "w3c"])
def test_two_techniques_round_trip(new_store, tmp_path, fmt):
    store = new_store()
    store.sync_documents([document("d", "Họ là bọn phản bội và dối trá.\n")])
    store.create("d", 6, 18, "propaganda", attributes={"technique": TWO})
    [a] = store.iter_annotations()
    assert a.attributes["technique"] == TWO
    out = tmp_path / ("out" if fmt == "webanno" else f"out.{fmt}")
    export(store, fmt, out)
    again = new_store("again.db")
    again.sync_documents([document("d", "Họ là bọn phản bội và dối trá.\n")])
    import_file(again, fmt, out)
    [b] = again.iter_annotations()
    assert b.attributes["technique"] == TWO


def test_csv_writes_the_techniques_in_one_cell(new_store, tmp_path):
    store = new_store()
    store.sync_documents([document("d", "Họ là bọn phản bội và dối trá.\n")])
    store.create("d", 6, 18, "propaganda", attributes={"technique": TWO})
    export(store, "csv", tmp_path / "x.csv")
    assert "|".join(TWO) in (tmp_path / "x.csv").read_text(encoding="utf-8")
    ls = tmp_path / "x.json"
    export(store, "labelstudio", ls)
    results = json.loads(ls.read_text(encoding="utf-8"))[0]["annotations"][0]["result"]
    assert TWO in [r["value"].get("choices") for r in results]
