"""Review of links: where annotators' links differ, and settling one into gold."""

from __future__ import annotations

import pytest

from reader.core.adjudication import LINK, describe_link, load_document
from reader.core.adjudication.links import link_items, settle_link
from reader.core.errors import ValidationError
from reader.core.store import Store
from tests.helpers import link_schema, make_document

ONE = "Theo Bộ Y tế, 164 người thiệt mạng.\n"
TWO = "RIA Novosti: 164 người chết.\n"


def at(store: Store, doc: str, words: str, label: str):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label)


def both_tag_and_link(db_path, then=None, schema=None) -> None:
    """an and binh each tag the source and the figure in ONE and the figure in TWO, and
    link the source to the figure; ``then(name, store, who, one, two)`` adds what each
    does beyond that."""
    for name in ("an", "binh"):
        with Store.open(db_path, schema, annotator=name) as s:
            s.sync_documents([make_document("one", ONE), make_document("two", TWO)])
            who = at(s, "one", "Theo Bộ Y tế", "attribution")
            one = at(s, "one", "164 người thiệt mạng", "casualty")
            two = at(s, "two", "164 người chết", "casualty")
            s.create_link(who.id, one.id, "source_of")
            if then is not None:
                then(name, s, who, one, two)


def test_link_disagreements_come_first_and_settle_into_gold(db_path):
    def then(name, s, who, one, two):
        # the same undirected link, made from opposite ends
        s.create_link(*((one.id, two.id) if name == "an" else (two.id, one.id)), "same_claim")
        if name == "an":
            s.create_link(one.id, two.id, "contradicts")  # only an thinks so

    both_tag_and_link(db_path, then)
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


def test_span_and_link_disagreements_are_stepped_in_text_order(db_path):
    """A link sits at its earlier end on the document (across documents: its end there),
    after a span disagreement at the same place; agreed links are not disagreements."""

    def then(name, s, who, one, two):
        if name == "an":
            at(s, "one", "thiệt mạng", "propaganda")  # a span only an has
            s.create_link(two.id, one.id, "contradicts")  # from two's end, to one
        else:
            s.create_link(one.id, two.id, "same_claim")

    both_tag_and_link(db_path, then)
    with Store.open(db_path, annotator="gold") as gold:
        review = load_document(gold, "one", ("an", "binh"), "gold")
        text = gold.document("one").text
        shown = [(i.kind, text[i.start : i.end]) for i in review.items]
        assert shown == [
            (LINK, "164 người thiệt mạng"),  # contradicts: its end in one
            (LINK, "164 người thiệt mạng"),  # same_claim
            ("only_in_a", "thiệt mạng"),
        ]
        assert [i.type for i in review.link_disagreements] == ["contradicts", "same_claim"]
        first = review.items[0]
        assert describe_link(first, ("an", "binh")) == (
            "link contradicts '164 người thiệt mạng' → '164 người chết' (one / two), only in an"
        )
        assert len(review.remaining_links) == 2 and not review.settled(first)
        at(gold, "one", "164 người thiệt mạng", "casualty")
        at(gold, "two", "164 người chết", "casualty")
        settle_link(gold, first)
        again = load_document(gold, "one", ("an", "binh"), "gold")
        assert again.settled(again.items[0]) and len(again.remaining_links) == 1
        # in document two the same link sits at its end there
        there = load_document(gold, "two", ("an", "binh"), "gold")
        assert [(i.kind, i.start) for i in there.items] == [(LINK, 13), (LINK, 13)]


def only_an_links(db_path, binh_also_tags: str = "") -> None:
    """an and binh tag the source and the figure in ONE; only an links them."""
    for name in ("an", "binh"):
        with Store.open(db_path, annotator=name) as s:
            s.sync_documents([make_document("one", ONE)])
            who = at(s, "one", "Theo Bộ Y tế", "attribution")
            one = at(s, "one", "164 người thiệt mạng", "casualty")
            if name == "binh" and binh_also_tags:
                at(s, "one", binh_also_tags, "propaganda")
            if name == "an":
                s.create_link(who.id, one.id, "source_of")


def test_a_link_within_the_document_sits_at_its_later_end_after_the_spans_there(db_path):
    """Stepping in text order reaches both of a link's spans before the link itself:
    gold needs them to hold it."""
    only_an_links(db_path, binh_also_tags="Bộ Y")
    with Store.open(db_path, annotator="gold") as gold:
        review = load_document(gold, "one", ("an", "binh"), "gold")
        assert [(i.kind, i.start) for i in review.items] == [("only_in_b", 5), (LINK, 14)]


def test_a_link_put_in_gold_copies_the_agreed_spans_at_its_ends_and_names_a_disputed_one(
    db_path,
):
    from reader.core.adjudication import apply
    from reader.core.adjudication.links import put_link

    only_an_links(db_path)
    with Store.open(db_path, annotator="gold") as gold:
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [item] = review.link_disagreements
        steps = review.agreed_ends(item)
        assert len(steps) == 2  # both ends: an and binh tagged them alike
        assert len(list(apply(gold, steps))) == 2
        assert put_link(gold, item, {}, "") == 1
        spans = {a.text: a for a in gold.iter_annotations(annotator="gold")}
        assert sorted(spans) == ["164 người thiệt mạng", "Theo Bộ Y tế"]
        assert all(len(a.attributes["provenance"]) == 2 for a in spans.values())
        [link] = gold.iter_links(annotator="gold")
        assert (link.source, link.target) == (
            spans["Theo Bộ Y tế"].id,
            spans["164 người thiệt mạng"].id,
        )
        review = load_document(gold, "one", ("an", "binh"), "gold")
        assert review.agreed_ends(review.links[0]) == ()  # nothing left to copy

    # binh gives the figure another label: that end is in dispute, and only the agreed
    # one is copied; the link is still refused, naming the span to settle first
    with Store.open(db_path, annotator="binh") as binh:
        [figure] = [a for a in binh.iter_annotations(annotator="binh") if a.label == "casualty"]
        binh.update(figure.id, label="propaganda")
    with Store.open(db_path, annotator="judge") as judge:
        review = load_document(judge, "one", ("an", "binh"), "judge")
        [item] = review.link_disagreements
        [step] = review.agreed_ends(item)
        list(apply(judge, [step]))
        with pytest.raises(
            ValidationError, match="gold has no casualty at .*settle the span first"
        ):
            put_link(judge, item, {}, "")


def test_a_link_left_out_of_gold_is_settled_until_undo_and_taking_a_side_decides_it(db_path):
    """Leaving a link out is recorded as take-neither is for spans: a gold copy made and
    deleted; a tombstone undo made records nothing."""
    from reader.core import history
    from reader.core.adjudication.links import leave_out, wanted

    only_an_links(db_path)
    with Store.open(db_path, annotator="gold") as gold:
        [item] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert wanted(item, ["an"]) and wanted(item, ["an", "binh"])
        assert not wanted(item, ["binh"]) and not wanted(item, [])
        with pytest.raises(ValidationError, match="settle the span first"):
            leave_out(gold, item)  # a link needs its spans in gold, to be left out too
        at(gold, "one", "Theo Bộ Y tế", "attribution")
        at(gold, "one", "164 người thiệt mạng", "casualty")
        assert leave_out(gold, item) == 2  # made and deleted: two actions, one decision
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [item] = review.link_disagreements
        assert (item.in_gold, item.left_out) == (False, True)
        assert review.settled(item) and review.remaining_links == []
        assert describe_link(item, ("an", "binh")).endswith(", only in an, left out of gold")
        assert leave_out(gold, item) == 0  # already so
        assert list(gold.iter_links(annotator="gold")) == []
        for _ in range(2):
            history.undo(gold)
        [item] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert (item.in_gold, item.left_out) == (False, False)  # undo's tombstone: open
        settle_link(gold, item)
        [item] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert leave_out(gold, item) == 1  # gold's copy deleted
        [item] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert (item.in_gold, item.left_out) == (False, True)


def test_a_link_whose_span_gold_left_out_is_settled_with_it(db_path):
    """A span only an made, with an's link from it: rejecting the span settles the link
    (gold can no longer hold it); undoing the rejection opens it again."""
    from reader.core import adjudication as adj
    from reader.core import history

    for name in ("an", "binh"):
        with Store.open(db_path, annotator=name) as s:
            s.sync_documents([make_document("one", ONE)])
            one = at(s, "one", "164 người thiệt mạng", "casualty")
            if name == "an":
                who = at(s, "one", "Theo Bộ Y tế", "attribution")  # only an tags it
                s.create_link(who.id, one.id, "source_of")
    with Store.open(db_path, annotator="gold") as gold:
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [span] = [d for d in review.items if d.kind == "only_in_a"]
        [link] = review.link_disagreements
        assert not review.settled(link)
        steps = adj.take_neither(span, review.gold, review.covered)
        assert sum(1 for _ in adj.apply(gold, steps)) == 2  # a gold copy made and deleted
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [link] = review.link_disagreements
        assert link.end_left_out and review.settled(link) and review.remaining_links == []
        assert describe_link(link, ("an", "binh")).endswith(", its span left out of gold")
        for _ in range(2):
            history.undo(gold)
        [link] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert not link.end_left_out  # undo's tombstone decides nothing
        # taking an's span instead keeps a gold span at the end: the link stays open
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [span] = [d for d in review.items if d.kind == "only_in_a"]
        [kept] = adj.apply(gold, adj.take(span, ["an"], review.gold, review.covered))
        assert kept.live and kept.text == "Theo Bộ Y tế"
        [link] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        assert not link.settled


def test_the_review_table_counts_link_disagreements_and_what_remains_of_them(db_path):
    """A document whose spans all agree but whose links differ has a disagreement left;
    leaving the link out settles it there too."""
    from reader.core.adjudication import summaries
    from reader.core.adjudication.links import leave_out

    only_an_links(db_path)
    with Store.open(db_path, annotator="gold") as gold:
        [row] = summaries(gold, ("an", "binh"), "gold")[0]
        assert (row.disagreements, row.remaining, row.pending_agreements) == (1, 1, 2)
        at(gold, "one", "Theo Bộ Y tế", "attribution")
        at(gold, "one", "164 người thiệt mạng", "casualty")
        [item] = load_document(gold, "one", ("an", "binh"), "gold").link_disagreements
        leave_out(gold, item)
        [row] = summaries(gold, ("an", "binh"), "gold")[0]
        assert (row.disagreements, row.remaining) == (1, 0)


def differ_in_values(db_path) -> None:
    """an and binh make the same source_of link, an sure of it with a note, binh hedged
    and counting two sources; both link the two figures the same way (an agreement)."""

    def then(name, s, who, one, two):
        [link] = s.iter_links(annotator=name, type="source_of")
        if name == "an":
            s.update_link(link.id, attributes={"certainty": "sure"}, note="Bộ Y tế nói rõ")
        else:
            s.update_link(link.id, attributes={"certainty": "hedged", "sources": 2})
        s.create_link(one.id, two.id, "same_claim")

    both_tag_and_link(db_path, then, link_schema())


def test_a_link_made_by_both_with_different_values_is_a_disagreement(db_path):
    """Same type, same ends, different attributes or note: kind link_attributes, stepped
    through and counted like any disagreement; system attributes do not count."""
    from reader.core.adjudication import LINK_ATTRIBUTES, summaries

    differ_in_values(db_path)
    with Store.open(db_path, link_schema(), annotator="gold") as gold:
        review = load_document(gold, "one", ("an", "binh"), "gold")
        [item] = review.items
        assert (item.kind, item.type, item.holders) == (
            LINK_ATTRIBUTES,
            "source_of",
            ("an", "binh"),
        )
        assert item.values_differ and not item.agreed(("an", "binh"))
        assert [v.annotator for v in item.versions] == ["an", "binh"]
        assert describe_link(item, ("an", "binh")) == (
            "link source_of 'Theo Bộ Y tế' → '164 người thiệt mạng', "
            "made by all, different attributes or note"
        )
        assert review.remaining_links == [item] and review.open_items == [item]
        rows = {r.document: r for r in summaries(gold, ("an", "binh"), "gold")[0]}
        assert (rows["one"].disagreements, rows["one"].remaining) == (1, 1)
    # binh gives the same values, and a value_sources of its own: they agree
    with Store.open(db_path, link_schema(), annotator="binh") as s:
        [link] = s.iter_links(annotator="binh", type="source_of")
        s.update_link(
            link.id,
            attributes={"certainty": "sure", "value_sources": ["note=x"]},
            note="Bộ Y tế nói rõ",
        )
    with Store.open(db_path, link_schema(), annotator="gold") as gold:
        assert load_document(gold, "one", ("an", "binh"), "gold").items == ()


def test_a_link_into_gold_carries_the_chosen_sides_values_and_where_they_came_from(db_path):
    """Taking a side copies that side's attributes and note, with every compared copy's
    id in provenance; the other side then changes them in place; values taken one by
    one are recorded in value_sources; undo reverts each decision."""
    from reader.core import history
    from reader.core.adjudication import values as av
    from reader.core.adjudication.links import keep_link, put_link

    differ_in_values(db_path)
    with Store.open(db_path, link_schema(), annotator="gold") as gold:
        at(gold, "one", "Theo Bộ Y tế", "attribution")
        at(gold, "one", "164 người thiệt mạng", "casualty")

        def item():
            [found] = load_document(gold, "one", ("an", "binh"), "gold").items
            return found

        an_link, binh_link = item().versions
        assert keep_link(gold, item(), ["binh"]) == 1
        [link] = gold.iter_links(annotator="gold")
        assert (link.attributes["certainty"], link.attributes["sources"], link.note) == (
            "hedged",
            2,
            "",
        )
        assert sorted(link.attributes["provenance"]) == sorted([an_link.id, binh_link.id])
        assert item().settled and item().gold_link.id == link.id
        assert keep_link(gold, item(), ["binh"]) == 0  # already so
        assert keep_link(gold, item(), ["an"]) == 1  # changed in place: the same link
        [link] = gold.iter_links(annotator="gold")
        assert (dict(link.attributes).get("sources"), link.note) == (None, "Bộ Y tế nói rõ")
        assert link.attributes["certainty"] == "sure"
        # value by value: binh's count of sources, keeping an's certainty and note
        rows = av.attribute_rows(item(), gold.schema)
        assert [(r.name, r.values, r.differs) for r in rows] == [
            ("certainty", ("sure", "hedged"), True),
            ("sources", (None, 2), True),
            ("note", ("Bộ Y tế nói rõ", None), True),
        ]
        planned = av.take_link_value(item(), ("an", "binh"), 1, "sources")
        assert put_link(gold, item(), *planned) == 1
        [link] = gold.iter_links(annotator="gold")
        assert (link.attributes["sources"], link.attributes["certainty"]) == (2, "sure")
        assert av.value_sources(link) == {"sources": binh_link.id}
        assert av.gold_version(item(), ()) == link
        assert av.take_link_value(item(), ("an", "binh"), 1, "sources") is None
        history.undo(gold)
        [link] = gold.iter_links(annotator="gold")
        assert "sources" not in link.attributes and "value_sources" not in link.attributes
        with pytest.raises(ValidationError, match="one by one only where attributes differ"):
            av.take_link_value(item(), ("an", "binh"), 2, "sources")


def test_enter_on_an_agreed_link_copies_the_agreed_values(db_path):
    """An agreed link put in gold (k, Enter) carries the values both gave it."""

    def then(name, s, who, one, two):
        [link] = s.iter_links(annotator=name, type="source_of")
        s.update_link(link.id, attributes={"certainty": "hedged"}, note="theo báo cáo")

    both_tag_and_link(db_path, then, link_schema())
    with Store.open(db_path, link_schema(), annotator="gold") as gold:
        at(gold, "one", "Theo Bộ Y tế", "attribution")
        at(gold, "one", "164 người thiệt mạng", "casualty")
        [item] = link_items(gold, ("an", "binh"), "one", "gold")
        assert item.agreed(("an", "binh")) and not item.values_differ
        made = settle_link(gold, item)
        assert (made.attributes["certainty"], made.note) == ("hedged", "theo báo cáo")


def test_with_three_annotators_two_who_made_a_link_differently_are_named(db_path):
    """an and binh made the link with different notes, chi did not: a link made by some
    (kind link), whose values differ too; chi has no value to take."""
    from reader.core.adjudication import values as av

    both_tag_and_link(db_path)
    with Store.open(db_path, annotator="binh") as s:
        [link] = s.iter_links(annotator="binh", type="source_of")
        s.update_link(link.id, note="hedged")
    with Store.open(db_path, annotator="chi") as s:
        at(s, "one", "Theo Bộ Y tế", "attribution")
        at(s, "one", "164 người thiệt mạng", "casualty")
    names = ("an", "binh", "chi")
    with Store.open(db_path, annotator="gold") as gold:
        [item] = load_document(gold, "one", names, "gold").link_disagreements
        assert (item.kind, item.holders, item.values_differ) == (LINK, ("an", "binh"), True)
        assert describe_link(item, names).endswith("only in an, binh, different attributes or note")
        with pytest.raises(ValidationError, match="chi did not make this link"):
            av.take_link_value(item, names, 2, "note")
