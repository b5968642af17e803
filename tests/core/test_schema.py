"""The label schema ships as data and a user's file is checked before it is used."""

from __future__ import annotations

import pytest

from reader.core.errors import SchemaError, ValidationError
from reader.core.labels_file import default_schema, load_schema, parse_schema


def test_default_schema_has_the_three_labels_with_their_keys():
    schema = default_schema()
    assert [(l.name, l.key) for l in schema.labels] == [
        ("propaganda", "1"),
        ("casualty", "2"),
        ("attribution", "3"),
    ]
    technique = schema.label("propaganda").attribute("technique")
    assert len(technique.values) == 23 and "Whataboutism" in technique.values
    casualty = schema.label("casualty")
    assert [a.name for a in casualty.attributes] == [
        "outcome",
        "victim_group",
        "value_low",
        "value_best",
        "value_high",
        "qualifier",
        "scope",
    ]
    assert schema.label("attribution").attribute("source").type == "text"


def test_every_attribute_is_optional_and_values_are_checked():
    schema = default_schema()
    assert schema.check_attributes("casualty", {}) == {}
    assert schema.check_attributes("casualty", {"value_low": "1300", "qualifier": "at_least"}) == {
        "value_low": 1300,
        "qualifier": "at_least",
    }
    with pytest.raises(ValidationError, match="below 0"):
        schema.check_attributes("casualty", {"value_low": -3})


GOOD = b'[labels.rumour]\ntitle = "Rumour"\nkey = "r"\n'


def test_a_users_schema_replaces_the_default(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_bytes(GOOD)
    assert load_schema(path).names == ("rumour",)


@pytest.mark.parametrize(
    "raw, match",
    [
        (b'[labels.a]\nkey = "1"\nkey = "2"\n', r"labels\.toml: .*line 3"),
        (
            b'[labels.a]\nkey = "1"\n[labels.b]\nkey = "1"\n',
            r"labels\.toml:4: label b: key '1' is already used",
        ),
        (
            b'[labels.a]\nkey = "1"\n[labels.a.attributes.n]\ntype = "float"\n',
            r"labels\.toml:3: .*unknown type 'float'",
        ),
        (
            b'[labels.a]\nkey = "1"\n[labels.a.attributes.n]\ntype = "enum"\n',
            r"labels\.toml:3: .*enum needs values",
        ),
        (b"title = 3\n", r"labels\.toml.*no \[labels"),
        (b"\xff\xfe[labels]", r"labels\.toml: not UTF-8: byte offset 0"),
        (b'[labels."Bad Name"]\nkey = "1"\n', r"labels\.toml:1: label name"),
    ],
)
def test_malformed_schema_files_are_refused_with_file_and_line(tmp_path, raw, match):
    path = tmp_path / "labels.toml"
    path.write_bytes(raw)
    with pytest.raises(SchemaError, match=match):
        load_schema(path)


@pytest.mark.parametrize(
    "raw, match",
    [
        (b'[labels.a]\nkey = "1"\ntitle = "A \\u001b[31mred"\n', r"label a: title .*U\+001B"),
        (
            b'[labels.a]\nkey = "1"\n[labels.a.attributes.n]\ntype = "int"\n'
            + b'title = "\\u001b]0;x\\u0007"\n',
            r"labels\.toml:3: label a: attribute n: title .*U\+001B",
        ),
        (
            b'[labels.a]\nkey = "1"\n[labels.a.attributes.n]\ntype = "enum"\n'
            + b'values = ["ok", "\\u202eko"]\n',
            r"labels\.toml:3: label a: attribute n: value .*U\+202E",
        ),
        (
            b'[labels.a]\nkey = "1"\n[links.l]\nkey = "s"\ntitle = "x\\ny"\n',
            r"labels\.toml:3: link type l: title .*U\+000A",
        ),
    ],
)
def test_names_shown_on_screen_hold_no_control_or_invisible_character(tmp_path, raw, match):
    """Titles and values reach the status line, the footer, the help and the selects as
    they are: an escape sequence there would act on the terminal."""
    path = tmp_path / "labels.toml"
    path.write_bytes(raw)
    with pytest.raises(SchemaError, match=match):
        load_schema(path)


def test_missing_schema_file_is_a_clear_error(tmp_path):
    with pytest.raises(SchemaError, match="cannot read labels file"):
        load_schema(tmp_path / "nope.toml")


def test_parse_schema_keeps_label_order_and_colours():
    schema = parse_schema(GOOD + b'[labels.other]\nkey = "o"\ncolor = "#00ff00"\n', "x.toml")
    assert schema.names == ("rumour", "other") and schema.label("other").color == "#00ff00"


def test_ordered_estimates_are_one_schema_rule_checked_on_every_write():
    casualty = default_schema().label("casualty")
    assert casualty.ordered == ("value_low", "value_best", "value_high")
    check = default_schema().check_attributes
    assert check("casualty", {"value_low": 4000, "value_high": 5000}) == {
        "value_low": 4000,
        "value_high": 5000,
    }
    with pytest.raises(ValidationError, match="value_low 4000 is above value_best 2500"):
        check("casualty", {"value_low": 4000, "value_best": "hai nghìn rưỡi"})
    with pytest.raises(ValidationError, match="value_best 9 is above value_high 8"):
        check("casualty", {"value_best": 9, "value_high": 8})
    with pytest.raises(SchemaError, match=r"labels\.toml:3: label a: ordered must list"):
        parse_schema(
            b'[labels.a]\nkey = "1"\nordered = ["n", "t"]\n[labels.a.attributes.n]\ntype = "int"\n'
            b'[labels.a.attributes.t]\ntype = "text"\n',
            "labels.toml",
        )
