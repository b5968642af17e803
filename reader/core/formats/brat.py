"""brat standoff: ``<doc>.txt`` and ``<doc>.ann`` per document.

Definition: "brat standoff format" (https://brat.nlplab.org/standoff.html). Text-bound
annotations ``T1<TAB>type start end<TAB>text``; attributes ``A1<TAB>name T1 [value]``;
notes ``#1<TAB>AnnotatorNotes T1<TAB>text``. The ``.txt`` is UTF-8 and never changed.

Offsets: characters of the ``.txt`` file, counted from 0, ``end`` exclusive, as the
brat page says ("the offset range 0..5" for "Japan"); brat reads the file as Python
text, so characters are code points, as in reader. The ``.txt`` reader writes is the
normalized text, so its offsets are reader's own; a ``.txt`` from elsewhere that is not
normalized (CRLF, NFD) has its offsets mapped, and an offset that falls inside a CRLF
pair or a composed letter is refused.

Layout: reader writes ``DIR/<annotator>/<doc>.txt|.ann``; on import a subfolder's name
is the annotator, and files directly in the folder (or one ``.ann`` file) take
``--annotator``.

Discontinuous spans (``0 5;16 23``): brat cuts a selection at line breaks into such
fragments. When only whitespace lies between the fragments they are joined back into one
span; any other discontinuous span is refused (reader spans are contiguous). On export a
span that crosses a line break is written the way brat writes it, cut at the line break,
with its fragments' text joined by a space.

Relations: ``R1<TAB>type Arg1:T3 Arg2:T5`` is a link from T3 to T5, both ways (an
argument that is an event is its trigger); ``annotation.conf`` declares each link type
under ``[relations]`` with the labels it joins. brat relations stay within one ``.ann``,
so links across documents are not written (and counted in a warning). A relation naming
anything but a text-bound annotation or event of its file is skipped with a warning.

Events (``E1<TAB>Type:T3 Theme:T1``) come in as their trigger span linked to each
argument, the role the link type (``Theme2`` -> ``Theme``; an argument that is an event
is its trigger); attributes and notes on an event go to its trigger. An equivalence
(``*<TAB>Equiv T1 T2``) links each member to the next. Attributes and notes on a
relation or normalization, and normalizations, are counted and skipped.

Carried: document, start, end, label, annotator, note (line breaks become spaces),
attributes whose value has no whitespace (enums, numbers, one-word text) or is binary
(``A1<TAB>Negation T1``, True here), and links within a document. Not carried: ids
(derived), multi-word text attributes, origin, timestamps, status. The
``annotation.conf`` an export writes declares ``<OVERLAP>`` of any kind, so brat
accepts one annotator's crossing spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    attribute_types,
    carried_text,
    document_id,
    fail,
    parse_offset,
    shown,
    typed_value,
)
from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import annotator_layout, by_annotator
from reader.core.formats.linked import exported_links
from reader.core.formats.offsets import OffsetError
from reader.core.formats.output import atomic_text
from reader.core.formats.reading import numbered_lines, read_text_file
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.links.values import ANY, Link, LinkDraft, LinkType
from reader.core.model import Annotation, AnnotationDraft, Document
from reader.core.paths import regular_file
from reader.core.schema import Schema

BINARY = "\x00binary"  # stands for a binary attribute among the values annotation.conf lists
_SPACE = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"\n+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# -- reading ------------------------------------------------------------------------------


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    types = attribute_types(schema)
    for annotator, files in annotator_layout(path, ".ann", options, "brat"):
        for ann in files:
            yield from _read_pair(ann, annotator, types, options)


def _read_pair(
    ann: Path, annotator: str, types: dict[tuple[str, str], str], options: FormatOptions
) -> Iterator[Any]:
    doc_id = document_id(ann.stem, str(ann), "file name")
    txt = ann.with_suffix(".txt")
    if not txt.exists() and not txt.is_symlink():
        raise FormatError(f"{ann}: no {txt.name} beside it (brat keeps the text in <doc>.txt)")
    raw = read_text_file(regular_file(txt, ann.parent), options)
    spans: dict[str, tuple[int, int, str, str]] = {}
    attributes: dict[str, dict[str, Any]] = {}
    attribute_where: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    relations: list[tuple[str, str, str, str]] = []
    ignored: dict[str, int] = {}
    events: dict[str, tuple[str, list[tuple[str, str]], str]] = {}
    equivalences: list[tuple[str, list[str], str]] = []
    other_ids: set[str] = set()  # relations and normalizations: skipped, but there
    for number, line in numbered_lines(ann, options):
        if not line.strip():
            continue
        where = f"{ann}:{number}"
        kind = line[:1]
        if kind == "T":
            tid, span = _text_bound(line, raw, where)
            if tid in spans:
                raise fail(where, "id", f"{tid} is defined twice")
            spans[tid] = span
        elif kind == "E":
            eid, event = _event(line, where)
            events[eid] = event
        elif kind == "*":
            head = line.split("\t")[1].split() if "\t" in line else []
            if len(head) < 3:
                raise fail(where, "equivalence", f"expected '*<TAB>Type T1 T2 ...', got {line!r}")
            equivalences.append((head[0], head[1:], where))
        elif kind == "A" or kind == "M":
            parts = line.split("\t")
            fields = parts[1].split(" ") if len(parts) > 1 else []
            if len(fields) not in (2, 3):
                raise fail(where, "attribute", f"expected 'name T<n> [value]', got {line!r}")
            name, target, *value = fields
            attributes.setdefault(target, {})[name] = value[0] if value else True
            attribute_where.setdefault(target, where)
        elif kind == "R":
            relations.append(_relation(line, where))
            other_ids.add(line.split("\t", 1)[0])  # attributes on it are counted, not refused
        elif kind == "#":
            parts = line.split("\t", 2)
            head = parts[1].split(" ") if len(parts) > 1 else []
            if len(head) == 2 and head[0] == "AnnotatorNotes":
                notes.setdefault(head[1], []).append(parts[2] if len(parts) > 2 else "")
            else:
                ignored["#"] = ignored.get("#", 0) + 1
        else:
            other_ids.add(line.split("\t", 1)[0])
            ignored[kind] = ignored.get(kind, 0) + 1
    attributes, notes = _onto_triggers(
        attributes, notes, attribute_where, spans, events, other_ids, ignored
    )
    mapping, digest = carried_text(raw, str(txt))
    try:
        mapping.prepare(o for s, e, _, _ in spans.values() for o in (s, e))
    except OffsetError as exc:
        raise FormatError(f"{txt}: {exc}") from None
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(txt))
    for tid, (start, end, label, where) in spans.items():
        try:
            s, e = mapping.to_normalized(start), mapping.to_normalized(end)
        except OffsetError as exc:
            raise fail(where, "offsets", str(exc)) from None
        attrs = attributes.get(tid, {})
        yield AnnotationDraft(
            document=doc_id, start=s, end=e, label=label, annotator=annotator,
            attributes=MappingProxyType({n: typed_value(types, label, n, v) for n, v in attrs.items()}),
            note="\n".join(notes.get(tid, [])), where=where, key=f"{ann}#{tid}",
        )  # fmt: skip
    for rtype, arg1, arg2, where in relations:
        arg1, arg2 = (events[a][0] if a in events else a for a in (arg1, arg2))
        missing = [arg for arg in (arg1, arg2) if arg not in spans]
        if missing:
            options.warning(
                f"{where}: skipped relation {rtype}: {missing[0]} is not a text-bound annotation here"
            )
            continue
        yield LinkDraft(rtype, f"{ann}#{arg1}", f"{ann}#{arg2}", annotator, where=where)
    yield from _event_links(ann, annotator, spans, events, equivalences)
    if ignored:
        kinds = ", ".join(f"{n} {k} line(s)" for k, n in sorted(ignored.items()))
        options.warning(f"{ann}: skipped {kinds} (events, normalizations, comments)")


def _relation(line: str, where: str) -> tuple[str, str, str, str]:
    """(type, Arg1 id, Arg2 id, where) of an R line."""
    parts = line.split("\t")
    fields = parts[1].split(" ") if len(parts) > 1 else []
    if len(fields) != 3 or not all(":" in f for f in fields[1:]):
        raise fail(where, "relation", f"expected 'R<n><TAB>type Arg1:T<n> Arg2:T<n>', got {line!r}")
    rtype = fields[0]
    args = dict(f.split(":", 1) for f in fields[1:])
    if set(args) != {"Arg1", "Arg2"}:
        raise fail(where, "relation", f"expected arguments Arg1 and Arg2, got {', '.join(args)}")
    return rtype, args["Arg1"], args["Arg2"], where


def _event(line: str, where: str) -> tuple[str, tuple[str, list[tuple[str, str]], str]]:
    """``E1<TAB>Type:T3 Theme:T1 Cause:E2`` -> (E1, (trigger T3, [(role, id)], where))."""
    parts = line.split("\t")
    pairs = [piece.split(":", 1) for piece in parts[1].split()] if len(parts) > 1 else []
    if not pairs or any(len(pair) != 2 or not all(pair) for pair in pairs):
        raise fail(where, "event", f"expected 'E<n><TAB>Type:T<n> Role:ID ...', got {line!r}")
    roles = [(re.sub(r"\d+$", "", role), arg) for role, arg in pairs[1:]]
    return parts[0], (pairs[0][1], roles, where)


def _onto_triggers(
    attributes: dict[str, dict[str, Any]], notes: dict[str, list[str]],
    attribute_where: dict[str, str], spans: dict, events: dict, other_ids: set[str],
    ignored: dict[str, int],
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:  # fmt: skip
    """Attributes and notes keyed by the text-bound annotation that carries them: one on
    an event goes to its trigger (the span that stands for the event here); one on a
    relation or normalization is counted and skipped; one on an id the file never
    defines is refused."""
    for target, where in attribute_where.items():
        if target not in spans and target not in events and target not in other_ids:
            raise fail(where, "attribute", f"refers to {target}, which this file does not define")
    moved_attributes: dict[str, dict[str, Any]] = {}
    moved_notes: dict[str, list[str]] = {}
    for source, into, what in ((attributes, moved_attributes, "A"),
                               (notes, moved_notes, "#")):  # fmt: skip
        for target, value in source.items():
            carrier = events[target][0] if target in events else target
            if carrier not in spans:
                key = f"{what} (on a relation)"
                ignored[key] = ignored.get(key, 0) + len(value)
                continue
            if isinstance(value, dict):
                into.setdefault(carrier, {}).update(value)
            else:
                into.setdefault(carrier, []).extend(value)
    return moved_attributes, moved_notes


def _event_links(
    ann: Path, annotator: str, spans: dict, events: dict,
    equivalences: list[tuple[str, list[str], str]],
) -> Iterator[LinkDraft]:  # fmt: skip
    """An event is its trigger span linked to each argument (the role is the link type,
    ``Theme2`` -> ``Theme``; an argument that is an event is its trigger); an
    equivalence links each member to the next, its type the link type."""

    def key(ident: str, where: str) -> str:
        tid = events[ident][0] if ident in events else ident
        if tid not in spans:
            raise fail(where, "argument", f"{ident} is not a text-bound annotation or event here")
        return f"{ann}#{tid}"

    for trigger, roles, where in events.values():
        for role, arg in roles:
            yield LinkDraft(type=role, source=key(trigger, where), target=key(arg, where),
                            annotator=annotator, where=where)  # fmt: skip
    for kind, members, where in equivalences:
        for a, b in pairwise(members):
            if a == b:  # "Equiv T63 T63" (BioNLP-ST 2011 ID) says nothing
                continue
            yield LinkDraft(type=kind, source=key(a, where), target=key(b, where),
                            annotator=annotator, where=where)  # fmt: skip


def _text_bound(line: str, raw: str, where: str) -> tuple[str, tuple[int, int, str, str]]:
    parts = line.split("\t")
    if len(parts) < 3:
        raise fail(where, "T line", "expected 'T<n><TAB>type start end<TAB>text'")
    tid, middle, quoted = parts[0], parts[1], "\t".join(parts[2:])
    label, _, ranges = middle.partition(" ")
    if not label or not ranges:
        raise fail(where, "type", f"expected 'type start end', got {middle!r}")
    fragments = []
    for piece in ranges.split(";"):
        numbers = piece.strip().split(" ")
        if len(numbers) != 2:
            raise fail(where, "offsets", f"expected 'start end', got {shown(piece)}")
        start, end = (parse_offset(n, where, "offsets") for n in numbers)
        if not 0 <= start < end <= len(raw):
            raise fail(
                where,
                "offsets",
                f"[{start}, {end}) is not inside the text (length {len(raw)}) with start < end",
            )
        fragments.append((start, end))
    fragments.sort()
    for (_, a_end), (b_start, _) in pairwise(fragments):
        if b_start < a_end or raw[a_end:b_start].strip():
            raise fail(
                where, "offsets",
                f"discontinuous span {ranges!r} is not supported: reader spans are contiguous "
                "(fragments separated only by line breaks or spaces are joined)",
            )  # fmt: skip
    start, end = fragments[0][0], fragments[-1][1]
    expected = " ".join(raw[s:e] for s, e in fragments)
    if quoted != expected and _fold(quoted) != _fold(expected):
        raise fail(
            where,
            "text",
            f"{quoted[:40]!r} does not match the .txt at [{start}, {end}): {expected[:40]!r}",
        )
    return tid, (start, end, label, where)


# -- writing ------------------------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at the line breaks inside it, as brat cuts a selection."""
    pieces, current = [], start
    for match in _LINE_BREAKS.finditer(text, start, end):
        if match.start() == start or match.end() == end:
            continue
        pieces.append((current, match.start()))
        current = match.end()
    pieces.append((current, end))
    return pieces


def attribute_value(value: Any) -> str | None:
    """How an attribute value is written on an A line, or None if brat cannot hold it."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    return text if text and not _SPACE.search(text) else None


def ann_lines(
    doc: Document, annotations: list[Annotation], links: Sequence[Link] = ()
) -> tuple[list[str], int]:
    """The ``.ann`` lines of one document's annotations by one annotator, with an R line
    for each of ``links`` (whose ends must be among them); and how many values brat
    could not hold."""
    lines: list[str] = []
    lost = 0
    a_number = 0
    numbers = {a.id: n for n, a in enumerate(annotations, 1)}
    for t_number, a in enumerate(annotations, 1):
        if _SPACE.search(a.label):
            raise FormatError(f"label {a.label!r} has a space, which a brat type cannot hold")
        parts = fragments(doc.text, a.start, a.end)
        ranges = ";".join(f"{s} {e}" for s, e in parts)
        # brat reads the text field by length, so a tab inside the span is written as it
        # is. Fragments are cut at line breaks; only a span that starts or ends with one
        # keeps it, and a line break cannot stand in a line: it becomes a space.
        quoted = " ".join(doc.text[s:e] for s, e in parts).replace("\n", " ")
        lines.append(f"T{t_number}\t{a.label} {ranges}\t{quoted}")
        for name, value in sorted(a.attributes.items()):
            if value is True:  # a binary attribute, as brat writes it: no value
                a_number += 1
                lines.append(f"A{a_number}\t{name} T{t_number}")
                continue
            written = attribute_value(value)
            if written is None:
                lost += value is not False  # False: brat's way is no A line
                continue
            a_number += 1
            lines.append(f"A{a_number}\t{name} T{t_number} {written}")
        if a.note:
            note = a.note.replace("\r", " ").replace("\n", " ").replace("\t", " ")
            lost += note != a.note
            lines.append(f"#{t_number}\tAnnotatorNotes T{t_number}\t{note}")
    for r_number, link in enumerate(links, 1):
        if _SPACE.search(link.type):
            raise FormatError(f"link type {link.type!r} has a space, which a brat type cannot hold")
        lines.append(
            f"R{r_number}\t{link.type} Arg1:T{numbers[link.source]} Arg2:T{numbers[link.target]}"
        )
    return lines, lost


def annotation_conf(
    labels: list[str], values: dict[str, set[str]], link_types: Sequence[LinkType] = ()
) -> str:
    """brat's annotation.conf for the export, so brat shows it as written: every label an
    entity type, every link type a relation between the labels it joins, every attribute
    with the values the export holds ("Value:" lists are how brat declares attributes;
    numbers and one-word text are listed as they occur)."""
    lines = [
        "# Written by reader export: the labels, link types and attribute values of this export.",
        "[entities]",
    ]
    lines += [label for label in labels if not _SPACE.search(label)]
    # One annotator's spans may nest, coincide or cross: brat flags all three unless
    # the configuration allows them.
    lines += ["", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    for link_type in link_types:
        if _SPACE.search(link_type.name):
            continue
        ends = [
            "|".join("<ENTITY>" if name == ANY else name for name in names)
            for names in (link_type.sources, link_type.targets)
        ]
        lines.append(f"{link_type.name}\tArg1:{ends[0]}, Arg2:{ends[1]}")
    lines += ["", "[events]", "", "[attributes]"]
    for name, found in sorted(values.items()):
        if _SPACE.search(name):
            continue
        if found == {BINARY}:  # brat's binary attribute: present or absent
            lines.append(f"{name}\tArg:<ENTITY>")
            continue
        usable = sorted(v for v in found - {BINARY} if not re.search(r"[|,:]", v))
        if usable:
            lines.append(f"{name}\tArg:<ENTITY>, Value:{'|'.join(usable)}")
    return "\n".join(lines) + "\n"


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    count = lost = across = 0
    labels = [label.name for label in source.schema.labels]
    values: dict[str, set[str]] = {}
    links = exported_links(source, filters, options)
    with OutputFolder(dest, overwrite=options.overwrite, format_name="brat") as folder:
        for doc, marked in documents_with_annotations(source, filters, options):
            for a in marked:
                for name, value in a.attributes.items():
                    written = BINARY if value is True else attribute_value(value)
                    if written is not None:
                        values.setdefault(name, set()).add(written)
            for annotator, group in by_annotator(marked).items():
                home = folder.annotator_dir(annotator)
                with atomic_text(folder.document_file(home, doc.id, ".txt"), newline="\n") as out:
                    out.write(doc.text)
                here = {a.id for a in group}
                own = [l for a in group for l in links.get(a.id, ())]
                across += sum(1 for l in own if l.target not in here)
                lines, missed = ann_lines(doc, group, [l for l in own if l.target in here])
                with atomic_text(folder.document_file(home, doc.id, ".ann"), newline="\n") as out:
                    out.write("".join(line + "\n" for line in lines))
                count += len(group)
                lost += missed
            options.advance(len(marked))
        with atomic_text(folder.path("annotation.conf"), newline="\n") as out:
            out.write(annotation_conf(labels, values, source.schema.links))
    if across:
        options.warning(
            f"brat relations stay within one document: {across} link(s) across documents "
            "were not written"
        )
    if lost:
        options.warning(
            f"brat could not hold {lost} attribute value(s) or note line break(s) "
            "(values with spaces, lists); they were left out"
        )
    return count
