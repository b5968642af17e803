"""Review of links: where annotators' links differ, and settling one into gold."""

from __future__ import annotations

import pytest

from reader.core.adjudication.links import link_items, settle_link
from reader.core.errors import ValidationError
from reader.core.store import Store
from tests.helpers import make_document

ONE = "Theo Bộ Y tế, 164 người thiệt mạng.\n"
TWO = "RIA Novosti: 164 người chết.\n"


def at(store: Store, doc: str, words: str, label: str):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label)


def test_link_disagreements_come_first_and_settle_into_gold(db_path):
    for name in ("an", "binh"):
        with Store.open(db_path, annotator=name) as s:
            s.sync_documents([make_document("one", ONE), make_document("two", TWO)])
            who = at(s, "one", "Theo Bộ Y tế", "attribution")
            one = at(s, "one", "164 người thiệt mạng", "casualty")
            two = at(s, "two", "164 người chết", "casualty")
            s.create_link(who.id, one.id, "source_of")
            # the same undirected link, made from opposite ends
            ends = (one.id, two.id) if name == "an" else (two.id, one.id)
            s.create_link(*ends, "same_claim")
            if name == "an":
                s.create_link(one.id, two.id, "contradicts")  # only an thinks so
    with Store.open(db_path, annotator="gold") as gold:
        items = link_items(gold, ("an", "binh"), "one", "gold")
        assert [(i.type, i.holders, i.in_gold) for i in items] == [
            ("contradicts", ("an",), False),
            ("same_claim", ("an", "binh"), False),
            ("source_of", ("an", "binh"), False),
        ]
        with pytest.raises(
            ValidationError, match="gold has no casualty at .* settle the span first"
        ):
            settle_link(gold, items[0])
        at(gold, "one", "164 người thiệt mạng", "casualty")
        at(gold, "two", "164 người chết", "casualty")
        made = settle_link(gold, items[0])
        assert (made.type, made.annotator, made.origin) == ("contradicts", "gold", "adjudicated")
        assert link_items(gold, ("an", "binh"), "one", "gold")[0].in_gold
