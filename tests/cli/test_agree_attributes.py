"""`reader agree` on attributes (alpha over exactly matched spans) and `--reference NAME`
(every other annotator scored against a reference on the documents it covers)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reader.cli import cli
from reader.core.corpus import read_corpus
from reader.core.store import Store
from tests.helpers import CORPUS


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def build(db) -> tuple[str, str, tuple[int, int]]:
    """an and binh tag the same span of the first article with different counts; gold
    adjudicates it; binh alone finishes the second article, which gold never saw."""
    spans = {}
    for name, best, outcome in (("an", 164, "killed"), ("binh", 160, "killed")):
        with Store.open(db, annotator=name) as store:
            store.sync_documents(read_corpus(CORPUS))
            first, second = (d.id for d in store.documents()[:2])
            text = store.document(first).text
            start = text.index("164 người thiệt mạng")
            span = (start, start + len("164 người thiệt mạng"))
            attributes = {"value_best": best, "outcome": outcome, "qualifier": "exact"}
            store.create(first, *span, "casualty", attributes=attributes)
            store.create(first, 0, 4, "propaganda", attributes={"technique": "Doubt"})
            store.set_status(first, "done")
            spans[name] = span
    with Store.open(db, annotator="binh") as store:
        store.create(second, 0, 4, "casualty")
        store.set_status(second, "done")
    with Store.open(db, annotator="gold") as store:
        store.create(
            first, *spans["an"], "casualty", origin="adjudicated",
            attributes={"value_best": 164, "outcome": "killed", "qualifier": "exact"},
        )  # fmt: skip
    return first, second, spans["an"]


def test_agree_reports_alpha_on_the_attributes_of_matched_spans(tmp_path):
    db = tmp_path / "a.db"
    build(db)
    result = run("agree", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    attributes = json.loads(result.stdout)["attributes"]
    best = attributes["casualty"]["value_best"]
    assert best["level"] == "interval" and best["units"] == 1 and best["agreement"] == 0.0
    outcome = attributes["casualty"]["outcome"]
    assert outcome == {
        "level": "nominal", "alpha": None, "agreement": 1.0, "units": 1,
        "alpha_chosen": None, "units_chosen": 1,
    }  # fmt: skip
    assert attributes["propaganda"]["technique"]["agreement"] == 1.0
    assert attributes["attribution"]["source"]["units"] == 0
    text = run("agree", "--db", str(db))
    assert "Attributes, on spans matched exactly" in text.output and "value_best" in text.output


def test_agree_reference_scores_everyone_against_gold_on_the_documents_it_covers(tmp_path):
    db = tmp_path / "b.db"
    first, _, _ = build(db)
    result = run("agree", "--db", str(db), "--reference", "gold", "--json")
    assert result.exit_code == 0, result.output
    reference = json.loads(result.stdout)["reference"]
    assert reference["name"] == "gold" and reference["documents"] == [first]
    an, binh = reference["annotators"]["an"], reference["annotators"]["binh"]
    assert an["documents"] == binh["documents"] == [first]  # binh's second is not covered
    # gold has the casualty span only: the propaganda span is a false alarm for both
    assert an["span_exact"] == {
        "precision": 0.5, "recall": 1.0, "f1": 2 / 3,
        "matches": 1, "candidate_spans": 2, "reference_spans": 1,
    }  # fmt: skip
    assert an["labels"]["casualty"]["span_exact"]["f1"] == 1.0
    assert an["labels"]["propaganda"]["span_exact"]["precision"] == 0.0
    assert an["attributes"]["casualty"]["value_best"] == {"accuracy": 1.0, "units": 1}
    assert binh["attributes"]["casualty"]["value_best"] == {"accuracy": 0.0, "units": 1}
    assert binh["attributes"]["casualty"]["outcome"] == {"accuracy": 1.0, "units": 1}
    assert an["labels"]["casualty"]["attributes"]["value_best"]["accuracy"] == 1.0
    text = run("agree", "--db", str(db), "--reference", "gold")
    assert "Against gold (1 documents it covers)" in text.output
    assert "Attribute accuracy against gold" in text.output
    unknown = run("agree", "--db", str(db), "--reference", "nobody")
    assert unknown.exit_code == 1 and "unknown annotator 'nobody'" in unknown.output


def test_a_reference_annotator_covers_the_documents_it_marked_done(tmp_path):
    db = tmp_path / "c.db"
    first, second, _ = build(db)
    report = json.loads(run("agree", "--db", str(db), "--reference", "binh", "--json").stdout)
    reference = report["reference"]
    assert reference["documents"] == [first, second]
    assert set(reference["annotators"]) == {"an"}  # gold is left out unless named
    assert reference["annotators"]["an"]["documents"] == [first]
    assert reference["annotators"]["an"]["attributes"]["casualty"]["value_best"]["accuracy"] == 0
