"""The claims ledger: claims with their linked sources, and the summary of casualty
figures by (outcome, victim_group) across documents."""

from __future__ import annotations

import pytest

from reader.core.claims import claims, ledger
from reader.core.store import Store
from tests.helpers import make_document

ONE = "Theo Bộ Y tế, 164 người thiệt mạng và 100 người bị thương ở Almaty.\n"
TWO = "Hãng RIA Novosti dẫn lời nhà chức trách: 164 người chết, 120 người bị thương 😢.\n"


def at(store: Store, doc: str, words: str, label: str, **attributes):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label, attributes=attributes)


@pytest.fixture
def ledger_store(store: Store) -> Store:
    store.sync_documents([make_document("one", ONE), make_document("two", TWO)])
    health = at(store, "one", "Theo Bộ Y tế", "attribution", source="Bộ Y tế", cue="theo")
    killed = at(store, "one", "164 người thiệt mạng", "casualty", outcome="killed",
                victim_group="civilians", value_best=164)  # fmt: skip
    at(store, "one", "100 người bị thương", "casualty", outcome="injured", value_low=100)
    ria = at(store, "two", "RIA Novosti dẫn lời", "attribution", source="RIA Novosti")
    dead = at(store, "two", "164 người chết", "casualty", outcome="killed",
              victim_group="civilians", value_best=164)  # fmt: skip
    at(store, "two", "120 người bị thương", "casualty", outcome="injured", value_high=120)
    store.create_link(health.id, killed.id, "source_of")
    store.create_link(ria.id, dead.id, "source_of")
    return store


def test_each_claim_carries_its_sources(ledger_store):
    found = claims(ledger_store, annotator="lan")
    rows = {(c.annotation.document, c.annotation.text): c for c in found}
    assert set(rows) == {
        ("one", "164 người thiệt mạng"), ("one", "100 người bị thương"),
        ("two", "164 người chết"), ("two", "120 người bị thương"),
    }  # fmt: skip
    killed = rows[("one", "164 người thiệt mạng")].record()
    assert killed["sources"] == [
        {"id": killed["sources"][0]["id"], "document": "one", "text": "Theo Bộ Y tế",
         "source": "Bộ Y tế", "cue": "theo"}
    ]  # fmt: skip
    assert rows[("one", "100 người bị thương")].record()["sources"] == []
    assert killed["figure"] == 164 and killed["attributes"]["victim_group"] == "civilians"


def test_the_summary_groups_figures_and_flags_where_documents_differ(ledger_store):
    summary = ledger(claims(ledger_store, annotator="lan"))["summary"]
    assert [(g["outcome"], g["victim_group"]) for g in summary] == [
        ("injured", None),
        ("killed", "civilians"),
    ]
    injured, killed = summary
    # 100 (a low bound) in one, 120 (a high bound) in two: the figures differ.
    assert (injured["lowest"], injured["highest"], injured["disagree"]) == (100, 120, True)
    assert (killed["lowest"], killed["highest"], killed["disagree"]) == (164, 164, False)
    assert killed["documents"]["two"][0]["sources"] == ["RIA Novosti"]


def test_a_label_filter_and_another_annotator(ledger_store):
    assert claims(ledger_store, annotator="lan", label="propaganda") == []
    assert claims(ledger_store, annotator="gold") == []
    ledger_store.delete(next(c for c in claims(ledger_store, annotator="lan")).annotation.id)
    assert len(claims(ledger_store, annotator="lan")) == 3
