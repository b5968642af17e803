"""Suggested links: an attribution with one claim in its sentence, the same figure and
outcome in two documents; accepted ones become links, rejected ones stay away."""

from __future__ import annotations

from reader.core.links.suggest import accept, reject, suggest_links
from reader.core.store import Store
from tests.helpers import make_document

ONE = (
    "Theo Bộ Y tế, 164 người thiệt mạng.\nCảnh sát cho biết 12 người bị bắt và 3 người mất tích.\n"
)
TWO = "RIA Novosti đưa tin 164 người chết.\n"


def at(store: Store, doc: str, words: str, label: str, **attributes):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label, attributes=attributes)


def test_suggestions_accept_and_reject(store):
    store.sync_documents([make_document("one", ONE), make_document("two", TWO)])
    health = at(store, "one", "Theo Bộ Y tế", "attribution")
    killed = at(store, "one", "164 người thiệt mạng", "casualty", outcome="killed", value_best=164)
    police = at(store, "one", "Cảnh sát cho biết", "attribution")
    at(store, "one", "12 người bị bắt", "casualty", outcome="detained", value_best=12)
    at(store, "one", "3 người mất tích", "casualty", outcome="missing", value_best=3)
    dead = at(store, "two", "164 người chết", "casualty", outcome="killed", value_best=164)
    at(store, "two", "RIA Novosti đưa tin", "attribution")  # its sentence: one claim too
    found = {(s.type, s.source.text, s.target.text) for s in suggest_links(store)}
    first_end, second_end = sorted((killed, dead), key=lambda a: a.id)
    # The police sentence holds two claims: reader does not guess which one it sources.
    assert found == {
        ("source_of", "Theo Bộ Y tế", "164 người thiệt mạng"),
        ("source_of", "RIA Novosti đưa tin", "164 người chết"),
        ("same_claim", first_end.text, second_end.text),
    }
    assert all(s.source.id != police.id for s in suggest_links(store))
    [first] = [s for s in suggest_links(store) if s.source.id == health.id]
    made = accept(store, first)
    assert (made.origin, made.type) == ("suggested", "source_of")
    assert all(s.source.id != health.id for s in suggest_links(store))  # linked now
    [same] = [s for s in suggest_links(store) if s.type == "same_claim"]
    reject(store, same)
    assert [s for s in suggest_links(store) if s.type == "same_claim"] == []
