"""The codebook: every label, attribute and value of the default schema is described, a
user's descriptions are checked like the rest of the file, and `reader schema` prints
them as a table, Markdown and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core import codebook
from reader.core.errors import SchemaError
from reader.core.labels_file import default_schema, parse_schema

SEMEVAL_2023_TECHNIQUES = 23


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_default_schema_describes_every_label_attribute_and_value_in_english():
    schema = default_schema()
    for label in schema.labels:
        assert len(label.description) > 100, label.name
        for attribute in label.attributes:
            assert len(attribute.description) > 20, (label.name, attribute.name)
            for value in attribute.values:
                assert len(attribute.describe(value)) > 20, (attribute.name, value)
    technique = schema.label("propaganda").attribute("technique")
    assert len(technique.value_descriptions) == SEMEVAL_2023_TECHNIQUES
    best = schema.label("casualty").attribute("value_best").description
    assert "UCDP" in best and "ACLED" in best
    assert "PARC" in schema.label("attribution").attribute("source").description


USER = b"""
[labels.claim]
key = "c"
description = "A claim."
[labels.claim.attributes.kind]
type = "enum"
values = ["a|b", "x"]
description = "Its kind\\u001b[31m."
[labels.claim.attributes.kind.descriptions]
"a|b" = "Pipes | and ticks `."
"""


def test_markdown_escapes_what_would_break_a_table_or_a_terminal():
    text = codebook.markdown(parse_schema(USER, "user.toml"))
    assert "| `a\\|b` | Pipes \\| and ticks `. |" in text
    assert "\x1b" not in text and "Its kind\\x1b[31m." in text
    assert "| `x` | – |" in text  # a value without a description says so


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (b'[labels.claim.attributes.kind.descriptions]\ny = "no such value"\n',
         r"user.toml:\d+: label claim: attribute kind: description of 'y', which is not one"),
        (b'[labels.claim.attributes.kind.descriptions]\nx = 3\n', "descriptions must map values"),
        (b'[labels.other]\nkey = "o"\ndescription = 5\n', "label other: description must be text"),
        (b'[labels.claim.attributes.note]\ntype = "text"\nhelp = "x"\n',
         "attribute note: unknown field 'help'"),
    ],
)  # fmt: skip
def test_a_bad_description_is_refused_with_file_and_line(extra: bytes, match: str):
    with pytest.raises(SchemaError, match=match):
        parse_schema(b'[labels.claim]\nkey = "c"\n[labels.claim.attributes.kind]\ntype = "enum"\n'
                     b'values = ["x"]\n' + extra, "user.toml")  # fmt: skip


def test_reader_schema_prints_the_codebook_three_ways(tmp_path):
    table = run("schema")
    assert table.exit_code == 0
    assert "Casualty data" in table.output and "value_best" in table.output
    assert "Name_Calling-Labeling" in table.output
    markdown = run("schema", "--markdown")
    assert markdown.output.startswith("# Codebook")
    assert "## Casualty data (`casualty`, key `2`)" in markdown.output
    assert "| `at_least` | A floor:" in markdown.output
    records = json.loads(run("schema", "--json").output)
    casualty = next(l for l in records["labels"] if l["name"] == "casualty")
    outcome = next(a for a in casualty["attributes"] if a["name"] == "outcome")
    assert [v["value"] for v in outcome["values"]] == [
        "killed", "injured", "detained", "missing", "other"
    ]  # fmt: skip
    assert all(v["description"] for v in outcome["values"])
    assert records == codebook.records(default_schema())
    user = tmp_path / "user.toml"
    user.write_bytes(USER)
    mine = json.loads(run("--labels", str(user), "schema", "--json").output)
    assert [l["name"] for l in mine["labels"]] == ["claim"]
    both = run("schema", "--json", "--markdown")
    assert both.exit_code == 2
