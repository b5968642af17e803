"""Links between annotations: the schema's link types, storage like annotations (events,
tombstones, undo across restarts, merge, blind per annotator), and imports."""

from __future__ import annotations

import pytest

from reader.core import history
from reader.core.errors import ConflictError, SchemaError, ValidationError
from reader.core.labels_file import default_schema, parse_schema
from reader.core.links import LinkDraft, fitting_types
from reader.core.model import AnnotationDraft
from reader.core.store import Store
from reader.core.store.merge import merge_database
from tests.helpers import VIETNAMESE, make_document

SOURCE = "Theo Bộ Y tế"
FIGURE = "164 người thiệt mạng"
OTHER = "Văn bản thứ hai nói 164 người thiệt mạng 😀.\n"


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def two(store: Store) -> Store:
    store.sync_documents([make_document("vn1", VIETNAMESE), make_document("vn2", OTHER)])
    return store


def tag(store: Store, doc: str, words: str, label: str):
    text = store.document(doc).text
    return store.create(doc, *span(text, words), label)


# -- link types in the schema ---------------------------------------------------------------


def test_default_schema_has_the_three_link_types():
    schema = default_schema()
    assert [(t.name, t.directed, t.across_documents) for t in schema.links] == [
        ("source_of", True, False),
        ("same_claim", False, True),
        ("contradicts", False, True),
    ]
    source_of = schema.link_type("source_of")
    assert source_of.fits("attribution", "casualty")
    assert not source_of.fits("casualty", "attribution")  # directed
    assert schema.link_type("same_claim").fits("casualty", "propaganda")


BASE = '[labels.claim]\nkey = "1"\n[labels.who]\nkey = "2"\n'


@pytest.mark.parametrize(
    "links, match",
    [
        (
            '[links.said]\nkey = "s"\nfrom = "nobody"\n',
            r"x\.toml:7: link type said: from: unknown label 'nobody'",
        ),
        (
            '[links.said]\nkey = "s"\n[links.told]\nkey = "s"\n',
            r"x\.toml:8: .*key 's' is already used",
        ),
        (
            '[links.said]\nkey = "s"\ndirected = "yes"\n',
            r"x\.toml:7: link type said: directed must be true or false",
        ),
        (
            '[links.said]\nkey = "s"\ncolour = "red"\n',
            r"x\.toml:5: link type said: unknown field 'colour'",
        ),
        ('[links.Said]\nkey = "s"\n', r"x\.toml:5: link type name 'Said'"),
        ('[links.said]\nfrom = "who"\n', r"x\.toml:5: link type said: key must be"),
        (
            '[links.said]\nkey = "s"\n[links.said.attributes.how]\ntype = "colour"\n',
            r"x\.toml:7: link type said: attribute how: unknown type 'colour'",
        ),
    ],
)
def test_a_bad_link_type_is_refused_with_file_and_line(links, match):
    with pytest.raises(SchemaError, match=match):
        parse_schema((BASE + links).encode(), "x.toml")


def test_a_link_type_with_attributes_checks_their_values():
    schema = parse_schema(
        (
            BASE + '[links.said]\nkey = "s"\nfrom = "who"\nto = ["claim"]\n'
            '[links.said.attributes.certainty]\ntype = "enum"\nvalues = ["sure", "hedged"]\n'
        ).encode(),
        "x.toml",
    )
    said = schema.link_type("said")
    assert (said.sources, said.targets, said.directed) == (("who",), ("claim",), True)
    assert schema.check_link_attributes("said", {"certainty": "sure"}) == {"certainty": "sure"}
    with pytest.raises(ValidationError, match="not one of sure, hedged"):
        schema.check_link_attributes("said", {"certainty": "maybe"})
    with pytest.raises(ValidationError, match="has no attribute 'mood'"):
        schema.check_link_attributes("said", {"mood": "x"})


def test_a_schema_without_links_is_still_valid():
    assert parse_schema(BASE.encode(), "x.toml").links == ()


# -- storing links ----------------------------------------------------------------------------


def test_a_link_is_made_read_from_both_ends_and_removed(two):
    source = tag(two, "vn1", SOURCE, "attribution")
    figure = tag(two, "vn1", FIGURE, "casualty")
    assert [t.name for t in fitting_types(two.schema.links, source, figure)] == ["source_of"]
    link = two.create_link(source.id, figure.id, "source_of")
    assert (link.source, link.target, link.annotator) == (source.id, figure.id, "lan")
    [end] = two.links_of(figure.id)
    assert (end.other_text, end.other_document, end.outgoing, end.state) == (
        SOURCE, "vn1", False, "live",
    )  # fmt: skip
    assert two.links_of(source.id)[0].other_text == FIGURE
    two.delete_link(link.id)
    assert two.links_of(figure.id) == [] and list(two.iter_links()) == []
    assert two.link(link.id).deleted_at is not None  # a tombstone, never a deleted row
    assert [e.action for e in two.events() if e.subject == "link"] == ["create", "delete"]


def test_the_rules_refuse_wrong_links_with_a_reason(two):
    source = tag(two, "vn1", SOURCE, "attribution")
    figure = tag(two, "vn1", FIGURE, "casualty")
    elsewhere = tag(two, "vn2", FIGURE, "casualty")
    with pytest.raises(ValidationError, match="runs from attribution to propaganda or casualty"):
        two.create_link(figure.id, source.id, "source_of")
    with pytest.raises(ValidationError, match="stay within one document"):
        two.create_link(source.id, elsewhere.id, "source_of")
    with pytest.raises(ValidationError, match="two different annotations"):
        two.create_link(figure.id, figure.id, "same_claim")
    with pytest.raises(ValidationError, match="unknown link type 'cites'"):
        two.create_link(source.id, figure.id, "cites")
    two.create_link(source.id, figure.id, "source_of")
    with pytest.raises(ConflictError, match="already linked source_of"):
        two.create_link(source.id, figure.id, "source_of")
    # An undirected link is one link whichever end it is made from.
    same = two.create_link(elsewhere.id, figure.id, "same_claim")
    assert (same.source, same.target) == tuple(sorted((figure.id, elsewhere.id)))
    with pytest.raises(ConflictError):
        two.create_link(figure.id, elsewhere.id, "same_claim")


def test_links_join_one_annotators_own_annotations(two, db_path):
    figure = tag(two, "vn1", FIGURE, "casualty")
    with Store.open(db_path, annotator="binh") as binh:
        theirs = tag(binh, "vn2", FIGURE, "casualty")
        with pytest.raises(ValidationError, match="is lan's; a link joins binh's own annotations"):
            binh.create_link(theirs.id, figure.id, "same_claim")
        own = tag(binh, "vn1", FIGURE, "casualty")
        binh.create_link(theirs.id, own.id, "same_claim")
    # Blind: each annotator reads their own links.
    assert list(two.iter_links(annotator="lan")) == []
    assert len(list(two.iter_links(annotator="binh"))) == 1


def test_undo_and_redo_of_a_link_survive_a_restart(db_path):
    with Store.open(db_path, annotator="lan") as first:
        first.sync_documents([make_document("vn1", VIETNAMESE)])
        source = tag(first, "vn1", SOURCE, "attribution")
        figure = tag(first, "vn1", FIGURE, "casualty")
        link = first.create_link(source.id, figure.id, "source_of")
    with Store.open(db_path, annotator="lan") as second:
        undone = history.undo(second)
        assert undone.id == link.id and undone.deleted_at is not None
        assert list(second.iter_links()) == []
    with Store.open(db_path, annotator="lan") as third:
        redone = history.redo(third)
        assert redone.id == link.id and redone.deleted_at is None
        assert [l.id for l in third.iter_links()] == [link.id]
        # The stack is shared with annotations: the next undo takes the link back again,
        # the one after removes the figure.
        history.undo(third)
        assert history.undo(third).id == figure.id


def test_deleting_an_end_leaves_the_link_dangling_and_undo_brings_it_back(two):
    source = tag(two, "vn1", SOURCE, "attribution")
    figure = tag(two, "vn1", FIGURE, "casualty")
    link = two.create_link(source.id, figure.id, "source_of")
    two.delete(figure.id)
    assert list(two.iter_links()) == [] and two.link_state(link.id) == "dangling"
    assert two.stats()["links"] == {"live": 0, "orphaned": 0, "dangling": 1}
    history.undo(two)
    assert [l.id for l in two.iter_links()] == [link.id]


def test_the_links_of_an_orphaned_annotation_are_flagged(two):
    source = tag(two, "vn1", SOURCE, "attribution")
    figure = tag(two, "vn1", FIGURE, "casualty")
    link = two.create_link(source.id, figure.id, "source_of")
    changed = VIETNAMESE.replace(FIGURE, "nhiều người bị thương")
    two.sync_documents([make_document("vn1", changed)])
    assert two.annotation(figure.id).orphaned
    assert two.link_state(link.id) == "orphaned"
    assert [e.state for e in two.links_of(source.id)] == ["orphaned"]
    assert two.count_links(state="orphaned") == 1 and list(two.iter_links()) == []
    assert two.stats()["links"] == {"live": 0, "orphaned": 1, "dangling": 0}
    # A span that moved keeps its links: they point at the annotation, not at offsets.
    two.sync_documents([make_document("vn1", "Mở đầu. " + VIETNAMESE)])
    assert two.link_state(link.id) == "live"
    assert two.links_of(source.id)[0].other_start == span("Mở đầu. " + VIETNAMESE, FIGURE)[0]


def test_merge_brings_links_once(tmp_path):
    for name in ("an", "binh"):
        with Store.open(tmp_path / f"{name}.db", annotator=name) as s:
            s.sync_documents([make_document("vn1", VIETNAMESE)])
            s.create_link(
                tag(s, "vn1", SOURCE, "attribution").id,
                tag(s, "vn1", FIGURE, "casualty").id,
                "source_of",
            )
    with Store.open(tmp_path / "an.db", annotator="lead") as lead:
        first = merge_database(lead, tmp_path / "binh.db")
        again = merge_database(lead, tmp_path / "binh.db")
        assert (first.links_added, again.links_added, again.links_updated) == (1, 0, 0)
        assert again.events_added == 0
        assert sorted(l.annotator for l in lead.iter_links()) == ["an", "binh"]
    # A deletion on their side, made later, wins.
    with Store.open(tmp_path / "binh.db", annotator="binh") as binh:
        binh.delete_link(next(binh.iter_links()).id)
    with Store.open(tmp_path / "an.db", annotator="lead") as lead:
        assert merge_database(lead, tmp_path / "binh.db").links_updated == 1
        assert [l.annotator for l in lead.iter_links()] == ["an"]


# -- importing links --------------------------------------------------------------------------


def drafts(text: str, annotator: str = "lan", **link):
    s, f = span(text, SOURCE), span(text, FIGURE)
    return [
        AnnotationDraft("vn1", *s, "attribution", annotator, key="f#T1", where="f.ann:1"),
        LinkDraft(link.get("type", "source_of"), "f#T1", link.get("to", "f#T2"), annotator,
                  where="f.ann:3"),  # a link may name an end that comes later
        AnnotationDraft("vn1", *f, "casualty", annotator, key="f#T2", where="f.ann:2"),
    ]  # fmt: skip


def test_an_import_resolves_ends_by_key_and_is_idempotent(two):
    first = two.import_items(drafts(VIETNAMESE), source="f.ann")
    again = two.import_items(drafts(VIETNAMESE), source="f.ann")
    assert (first.links_added, again.links_added, again.links_unchanged) == (1, 0, 1)
    [link] = two.iter_links()
    assert two.annotation(link.source).text == SOURCE


def test_an_import_resolves_an_end_to_a_twin_already_stored(two):
    figure = tag(two, "vn1", FIGURE, "casualty")
    summary = two.import_items(drafts(VIETNAMESE), source="f.ann")
    assert summary.annotations_added == 1  # the figure was already there
    [link] = two.iter_links()
    assert link.target == figure.id


def test_an_import_with_a_dangling_or_unknown_link_changes_nothing(two):
    with pytest.raises(ValidationError, match="f.ann:3: to: 'f#T9' names no annotation"):
        two.import_items(drafts(VIETNAMESE, to="f#T9"), source="f.ann")
    with pytest.raises(
        ValidationError, match="f.ann:3: type: unknown link type 'cites'.*--add-labels"
    ):
        two.import_items(drafts(VIETNAMESE, type="cites"), source="f.ann")
    with pytest.raises(ValidationError, match="f.ann:3: .*is binh's"):
        two.import_items(
            drafts(VIETNAMESE)[:2]
            + [AnnotationDraft("vn1", *span(VIETNAMESE, FIGURE), "casualty", "binh", key="f#T2")],
            source="f.ann",
        )
    assert (
        list(two.iter_annotations()) == []
        and list(two.iter_links(states=("live", "dangling", "orphaned"))) == []
    )
    added = two.import_items(drafts(VIETNAMESE, type="cites"), source="f.ann", add_labels=True)
    assert added.links_added == 1 and two.schema.link_type("cites").extra
    two.close()
    with Store.open(two.path, annotator="lan") as reopened:  # the added type is remembered
        assert reopened.schema.link_type("cites").extra
