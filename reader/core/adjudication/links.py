"""Where compared annotators' links agree and disagree on one document, and settling a
link into gold.

Two annotators make "the same link" when it has the same type and its ends cover the
same spans with the same labels (an undirected link in either direction), as link
agreement counts it; they *agree* on it when they also gave it the same attributes and
note (system attributes aside), as for spans. A link is listed on a document when one of its ends lies there,
and is placed in that document's text at its later end there (a link across
documents at its one end there), so review steps through it in text order among the
span disagreements. A link some compared annotators made and others did not is a
*link disagreement* (kind ``link``), and so is one every compared annotator made with
different attributes or note (kind ``link_attributes``); it is settled when gold has the link, or when gold *left it out*:
holds a tombstone of it made by a deliberate delete (as "take neither" is recorded for
spans: a copy made and deleted), not by undo, or when gold can no longer hold it: the
lead settled the span at one of its ends and gold kept no span there (a span only one
annotator made, rejected, takes its links with it; ``reader.core.adjudication.review``
finds these). Taking a side keeps the link in gold when one of the chosen annotators
made it (``wanted``), and leaves it out otherwise.
Settling one into gold links the gold annotations at the same two spans, so the spans
are settled first (a link needs its ends): when gold lacks one, the reason says so.
Gold's link carries the attributes and note of the first chosen annotator who made it
(with no side chosen, the first who made it: the agreed values where all agree), and
in ``provenance`` the ids of every compared annotator's copy of the link, as a span
decision does; taking another side later changes gold's values in place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.errors import ValidationError
from reader.core.links.values import Link
from reader.core.schema import PROVENANCE, SYSTEM_ATTRIBUTES

if TYPE_CHECKING:
    from reader.core.model import Annotation
    from reader.core.store import Store

#: An end as review compares it: (document, start, end, label).
End = tuple[str, int, int, str]

#: The kinds of a link disagreement, beside the span kinds of ``compare``: made by some
#: compared annotators only, or by all with different attributes or note.
LINK = "link"
LINK_ATTRIBUTES = "link_attributes"


def link_values(link: Link) -> tuple[str, str]:
    """What two annotators must both give a link to agree on it, beyond its type and
    ends: its attributes (system ones aside) and its note."""
    shown = {k: v for k, v in link.attributes.items() if k not in SYSTEM_ATTRIBUTES}
    return json.dumps(shown, sort_keys=True, ensure_ascii=False), link.note


@dataclass(frozen=True)
class LinkItem:
    """One link as the compared annotators made it, or did not."""

    type: str
    source: End
    target: End
    source_text: str
    target_text: str
    holders: tuple[str, ...]  # who made it, in the compared order
    gold_link: Link | None  # gold's live copy of it
    start: int  # its place in the listed document: the later of its ends there
    end: int
    left_out: bool = False  # gold deleted its copy on purpose: "none of these"
    #: The compared annotators' annotations at each end (what settling an end covers).
    source_ids: frozenset[str] = frozenset()
    target_ids: frozenset[str] = frozenset()
    end_left_out: bool = False  # an end's span was settled without a gold span there
    #: Each compared annotator's copy of the link (None: did not make it), in their order.
    versions: tuple[Link | None, ...] = ()

    @property
    def in_gold(self) -> bool:
        return self.gold_link is not None

    @property
    def values_differ(self) -> bool:
        """Whether those who made it gave it different attributes or note."""
        return len({link_values(v) for v in self.versions if v is not None}) > 1

    @property
    def kind(self) -> str:
        everyone = all(v is not None for v in self.versions)
        return LINK_ATTRIBUTES if everyone and self.values_differ else LINK

    def agreed(self, annotators: tuple[str, ...]) -> bool:
        """Made by every compared annotator, with the same attributes and note."""
        return set(self.holders) == set(annotators) and not self.values_differ

    @property
    def settled(self) -> bool:
        return self.in_gold or self.left_out or self.end_left_out

    @property
    def gold_state(self) -> str:
        """How it is settled, in words ("" while open)."""
        if self.in_gold:
            return "in gold"
        if self.left_out:
            return "left out of gold"
        return "its span left out of gold" if self.end_left_out else ""

    @property
    def key(self) -> tuple[str, End, End]:
        """What makes two annotators' links the same link: type and ends."""
        return (self.type, self.source, self.target)


def _place(source: End, target: End, document: str) -> tuple[int, int]:
    """The later of a link's ends on ``document``: review reaches it after both spans."""
    return max(end[1:3] for end in (source, target) if end[0] == document)


def describe_link(item: LinkItem, annotators: tuple[str, ...]) -> str:
    """One line for a lead: the type, both ends' text, who made it and gold's state."""
    everyone = set(item.holders) == set(annotators)
    who = "made by all" if everyone else "only in " + ", ".join(item.holders)
    if item.values_differ:
        who += ", different attributes or note"
    line = f"link {item.type} '{item.source_text[:25]}' → '{item.target_text[:25]}'"
    if item.source[0] != item.target[0]:
        line += f" ({item.source[0]} / {item.target[0]})"
    state = item.gold_state
    return f"{line}, {who}" + (f", {state}" if state else "")


def wanted(item: LinkItem, chosen: tuple[str, ...] | list[str]) -> bool:
    """Whether gold keeps the link when the lead takes ``chosen``'s side: when one of
    them made it (taking neither: no)."""
    return any(name in item.holders for name in chosen)


def _end(a: Annotation) -> End:
    return (a.document, a.start, a.end, a.label)


def _key(
    store: Store, link: Link, known: Mapping[str, Annotation] | None = None
) -> tuple[tuple[str, End, End], Annotation, Annotation]:
    """The link as review compares it, and its two ends' annotations (from ``known``,
    already read, else from the store)."""
    known = known or {}
    a = known.get(link.source) or store.annotation(link.source)
    b = known.get(link.target) or store.annotation(link.target)
    undirected = any(t.name == link.type and not t.directed for t in store.schema.links)
    if undirected and _end(b) < _end(a):
        a, b = b, a
    return (link.type, _end(a), _end(b)), a, b


def link_items(
    store: Store,
    annotators: tuple[str, ...],
    document: str,
    gold: str,
    known: Mapping[str, Annotation] | None = None,
) -> list[LinkItem]:
    """Every link of the compared annotators with an end on ``document``: disagreements
    (made by some) first, then agreements, each in type and position order. ``known``:
    annotations already read by id (the compared ones of the document), so a link's
    ends are not read again one by one."""
    found: dict[tuple, tuple[Annotation, Annotation, dict[str, Link], set[str], set[str]]] = {}
    for name in annotators:
        for link in store.iter_links(annotator=name, document=document):
            key, a, b = _key(store, link, known)
            entry = found.setdefault(key, (a, b, {}, set(), set()))
            entry[2].setdefault(name, link)
            entry[3].add(a.id)
            entry[4].add(b.id)
    in_gold: dict[tuple, Link] = {}
    left_out: set[tuple] = set()
    for link in store.iter_links(annotator=gold, document=document, include_deleted=True):
        if link.deleted_at is None:
            in_gold.setdefault(_key(store, link)[0], link)
        elif _deliberate(store, link):
            left_out.add(_key(store, link)[0])
    items = [
        LinkItem(
            key[0],
            key[1],
            key[2],
            a.text,
            b.text,
            tuple(n for n in annotators if n in holders),
            in_gold.get(key),
            *_place(key[1], key[2], document),
            key in left_out,
            frozenset(source_ids),
            frozenset(target_ids),
            versions=tuple(holders.get(n) for n in annotators),
        )
        for key, (a, b, holders, source_ids, target_ids) in found.items()
    ]
    items.sort(key=lambda i: (i.agreed(annotators), i.type, i.source, i.target))
    return items


def _gold_end(gold: Store, end: End, text: str) -> Annotation:
    document, start, stop, label = end
    for a in gold.iter_annotations(document=document, annotator=gold.annotator, label=label):
        if (a.start, a.end) == (start, stop) and not a.orphaned:
            return a
    raise ValidationError(
        f"gold has no {label} at [{start}, {stop}) in {document} ('{text[:30]}'): "
        "settle the span first, then its link"
    )


def _deliberate(store: Store, link: Link) -> bool:
    """A gold link's tombstone records a decision unless undo made it."""
    events = store.events(annotation=link.id)
    return not events or events[-1].action != "undo"


def leave_out(gold: Store, item: LinkItem) -> int:
    """Record that gold holds no such link: delete gold's copy, or, when it has none,
    make one between gold's spans at its ends and delete it (a deliberate tombstone).
    Returns the store actions taken, for undo; the ends must be in gold, as to settle."""
    if item.left_out and not item.in_gold:
        return 0
    document = item.source[0]
    own = [
        link
        for link in gold.iter_links(annotator=gold.annotator, document=document)
        if _key(gold, link)[0] == item.key
    ]
    made = 0
    if not own:
        own, made = [settle_link(gold, item)], 1
    for link in own:
        gold.delete_link(link.id)
    return made + len(own)


def chosen_values(item: LinkItem, chosen: Sequence[str] = ()) -> tuple[dict, str]:
    """The attributes and note gold's link takes: those of the first of ``chosen`` who
    made it, else of the first who made it; ``provenance`` names every compared copy."""
    made = [v for v in item.versions if v is not None]
    by_name = {v.annotator: v for v in made}
    taken = next((by_name[n] for n in chosen if n in by_name), made[0] if made else None)
    attributes = {} if taken is None else dict(taken.attributes)
    attributes[PROVENANCE] = [v.id for v in made]
    return attributes, "" if taken is None else taken.note


def put_link(gold: Store, item: LinkItem, attributes: Mapping, note: str) -> int:
    """Make gold hold ``item``'s link with these values: made between the gold spans at
    its ends, or gold's copy changed in place. Returns the store actions taken (0: gold
    already holds them), for undo."""
    if item.gold_link is None:
        settle_link(gold, item, values=(attributes, note))
        return 1
    current = item.gold_link
    if dict(current.attributes) == dict(attributes) and current.note == note:
        return 0
    gold.update_link(current.id, attributes=attributes, note=note)
    return 1


def keep_link(gold: Store, item: LinkItem, chosen: Sequence[str]) -> int:
    """Taking ``chosen``'s side on a link one of them made: gold holds it, with the
    values of the first of them who made it. Returns the store actions taken."""
    return put_link(gold, item, *chosen_values(item, chosen))


def settle_link(gold: Store, item: LinkItem, values: tuple[Mapping, str] | None = None) -> Link:
    """Make ``item``'s link in gold between the gold annotations at its ends, with
    ``values`` (attributes, note), by default those ``chosen_values`` gives."""
    source = _gold_end(gold, item.source, item.source_text)
    target = _gold_end(gold, item.target, item.target_text)
    attributes, note = values or chosen_values(item)
    return gold.create_link(
        source.id, target.id, item.type, attributes=attributes, note=note, origin="adjudicated"
    )
