"""INCEpTION / WebAnno TSV 3.3: one tab-separated file per document and annotator.

Definition: the WebAnno TSV 3.3 section of INCEpTION's user guide ("Formats" -> "WebAnno
TSV 3.3"), and its reference implementation, INCEpTION's ``Tsv3XDeserializer`` and
``Tsv3XSerializer`` (inception-io-webanno-tsv). A header ``#FORMAT=WebAnno TSV 3.3``,
one line per layer (``#T_SP=type|feature|...`` span, ``#T_RL=`` relation, ``#T_CH=``
chain), then sentences: ``#Text=`` lines (the sentence's text, one line each, escaped)
and one line per token ``<sentence>-<token><TAB><begin>-<end><TAB><text><TAB><column>...``
(sub-tokens ``1-1.1``). A column holds ``_`` (nothing), or the annotations on that token,
stacked with ``|``; ``LABEL[3]`` names annotation 3 (one that covers several tokens, or
is stacked), ``*`` one whose feature is empty. Values escape ``\\ [ ] | _ -> ; * TAB LF``.

Offsets: UTF-16 code units of the document text (INCEpTION is Java), ``end`` exclusive.
The document text is rebuilt as INCEpTION rebuilds it: each sentence's ``#Text`` lines
joined by line breaks, placed at its first token's offset, a gap filled with spaces,
and a final line break. So a document without one gains it on its way through TSV.

Labels: in each span layer, the label is the value of its ``label`` or ``value``
feature (else its first feature); the other features are attributes; an annotation
without a label value takes the layer's short name (``webanno.custom.Claim`` -> ``Claim``).
reader writes a layer ``webanno.custom.ReaderSpan`` with features ``label``, each
attribute used, and ``note``: create a span layer "ReaderSpan" with those string
features in INCEpTION to import it there.

Layout: INCEpTION's project export keeps ``annotation/<document>/<user>.tsv``; reader
writes and reads ``DIR/<document>/<annotator>.tsv``. A single ``.tsv`` file (or a folder
of them) is one document per file, named by its stem, annotated by ``--annotator``.

Not carried: ids, origin, timestamps, status. Relations, chains and slot features, and
zero-length spans (reader spans are never empty), are counted in one line and skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

import regex

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    attribute_types,
    carried_text,
    document_id,
    fail,
    need_annotator,
    typed_value,
)
from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import by_annotator
from reader.core.formats.offsets import OffsetError, Utf16Index
from reader.core.formats.output import atomic_text
from reader.core.formats.reading import name_from_path, read_text_file
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.model import Annotation, AnnotationDraft, Document
from reader.core.paths import entries, regular_file, subfolders
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema

HEADER = "#FORMAT=WebAnno TSV 3.3"
LAYER = "webanno.custom.ReaderSpan"
_TOKEN = regex.compile(r"[\w\p{M}]+|(?!\s)\X")
# ASCII digits, bounded: \d would read "١٠", and int() of 5,000 digits fails.
_UNIT = re.compile(r"([0-9]{1,12})-([0-9]{1,12})(?:\.([0-9]{1,12}))?")
_OFFSETS = re.compile(r"([0-9]{1,12})-([0-9]{1,12})")

# -- escaping (INCEpTION's Escaping.java) -------------------------------------------------

_VALUE_OUT = {"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "_": "\\_", ";": "\\;",
              "\t": "\\t", "\n": "\\n", "*": "\\*"}  # fmt: skip
_VALUE_IN = {"t": "\t", "n": "\n"}
_TEXT_IN = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}


def escape_value(value: str) -> str:
    return "".join(_VALUE_OUT.get(ch, ch) for ch in value).replace("->", "\\->")


def escape_text(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\t\n\f\r\b":
            out.append("\\" + {"\t": "t", "\n": "n", "\f": "f", "\r": "r", "\b": "b"}[ch])
        elif code < 32 and not 7 < code < 14:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _unescape(text: str, table: dict[str, str]) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append(table.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _split(value: str, sep: str) -> list[str]:
    """``value`` cut at each ``sep`` that no backslash escapes (pieces stay escaped)."""
    pieces, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    pieces.append("".join(current))
    return pieces


def _disambiguated(piece: str) -> tuple[str, str | None]:
    """``LABEL[3]`` -> (``LABEL``, ``"3"``); the bracket must not be escaped."""
    if piece.endswith("]"):
        parts = _split(piece[:-1], "[")
        if len(parts) > 1 and parts[-1].replace("_", "").isdigit():
            return "[".join(parts[:-1]), parts[-1]
    return piece, None


# -- reading ------------------------------------------------------------------------------


@dataclass
class _Layer:
    kind: str  # "SP", "RL", "CH"
    type: str
    columns: list[str]  # feature names; "" a placeholder, "ROLE_"/"BT_"/type names skipped
    first: int = 0  # index of its first column among the annotation columns

    @property
    def short(self) -> str:
        return self.type.rsplit(".", 1)[-1]

    def label_column(self) -> int | None:
        plain = [i for i, c in enumerate(self.columns) if _plain(c)]
        for name in ("label", "value"):
            if name in self.columns:
                return self.columns.index(name)
        return plain[0] if plain else None


def _plain(column: str) -> bool:
    return bool(column) and not column.startswith(("ROLE_", "BT_")) and "." not in column


@dataclass
class _Span:
    layer: _Layer
    begin: int
    end: int
    values: dict[int, str | None] = field(default_factory=dict)
    where: str = ""


def _header(lines: Iterator[tuple[int, str]], path: Path) -> tuple[list[_Layer], int]:
    number, first = next(lines, (1, ""))
    if not first.startswith("#FORMAT=WebAnno TSV 3"):
        raise FormatError(f"{path}:{number}: expected '{HEADER}' on the first line")
    layers, count = [], 0
    for number, line in lines:
        if not line.strip():
            break
        match = re.fullmatch(r"#T_(SP|RL|CH)=([^|]+)((?:\|.*)?)", line)
        if not match:
            raise FormatError(f"{path}:{number}: expected a layer line '#T_SP=type|feature'")
        columns = [c for c in match[3].split("|")[1:] if c] or [""]
        layers.append(_Layer(match[1], match[2], columns, count))
        count += len(columns)
    return layers, count


def read_tsv(path: Path, annotator: str, doc_id: str, schema: Schema, options: FormatOptions,
             skipped: dict[str, int]) -> Iterator[Any]:  # fmt: skip
    """One TSV file's document and its annotations."""
    content = read_text_file(path, options).removeprefix("\ufeff")
    lines = iter(enumerate((line.removesuffix("\r") for line in content.split("\n")), 1))
    layers, width = _header(lines, path)
    parts: list[str] = []
    length = 0  # of the text so far, in UTF-16 units
    sentence: list[str] = []
    fresh = False  # a sentence's #Text lines were read, its first token not yet
    spans: dict[tuple, _Span] = {}
    for number, line in lines:
        where = f"{path}:{number}"
        if not line:
            continue
        if line.startswith("#Text="):
            sentence.append(_unescape(line[6:], _TEXT_IN) + "\n")
            fresh = True
            continue
        if line.startswith("#"):
            continue  # #Sentence.id= and other sentence headers
        fields = line.split("\t")
        if len(fields) < 3 + width:
            raise fail(where, None, f"expected {3 + width} tab-separated fields, got {len(fields)}")
        unit, offsets = _UNIT.fullmatch(fields[0]), _OFFSETS.fullmatch(fields[1])
        if not unit or not offsets:
            raise fail(
                where, None, f"expected '<sentence>-<token>' and '<begin>-<end>', got {line[:40]!r}"
            )
        begin, end = int(offsets[1]), int(offsets[2])
        if fresh:
            if not sentence:
                raise fail(where, None, "a token before any #Text line")
            if length > begin and parts and parts[-1].endswith("\n"):
                parts[-1] = parts[-1][:-1]
                length -= 1
            if length > begin:
                raise fail(where, "offsets", f"{begin} falls inside the previous sentence's text")
            if length < begin:
                parts.append(" " * (begin - length))
                length = begin
            text = "".join(sentence)
            parts.append(text)
            length += len(text.encode("utf-16-le")) // 2
            sentence, fresh = [], False
        if not begin <= end <= length:
            raise fail(where, "offsets", f"{begin}-{end} is not inside the text read so far")
        for layer in layers:
            _cells(layer, fields[3 + layer.first : 3 + layer.first + len(layer.columns)],
                   fields[0], begin, end, where, spans, skipped)  # fmt: skip
    raw = "".join(parts)
    yield from _drafts(path, raw, spans, annotator, doc_id, schema, skipped)


def _cells(layer: _Layer, cells: list[str], unit: str, begin: int, end: int, where: str,
           spans: dict[tuple, _Span], skipped: dict[str, int]) -> None:  # fmt: skip
    if layer.kind != "SP":
        found = sum(1 for c in cells[-1:] for p in _split(c, "|") if p not in ("_", ""))
        if found:
            what = "relation(s)" if layer.kind == "RL" else "chain link(s)"
            skipped[what] = skipped.get(what, 0) + found
        return
    presence = [i for i, c in enumerate(layer.columns) if not c or _plain(c)] or [
        i for i, c in enumerate(layer.columns) if c.startswith("ROLE_")
    ]
    for i, cell in enumerate(cells):
        if cell in ("_", ""):
            continue
        column = layer.columns[i]
        pieces = _split(cell, "|")
        if column.startswith("ROLE_") or not (not column or _plain(column)):
            links = sum(len(_split(p, ";")) for p in pieces if p not in ("*", "_"))
            if links:
                skipped["slot link(s)"] = skipped.get("slot link(s)", 0) + links
            if i not in presence:
                continue
        for k, piece in enumerate(pieces):
            value, ident = _disambiguated(piece)
            key = (layer.type, ident) if ident else (layer.type, unit, k)
            span = spans.get(key)
            if span is None:
                span = spans[key] = _Span(layer, begin, end, where=where)
            span.begin, span.end = min(span.begin, begin), max(span.end, end)
            if i in presence and _plain(column):
                span.values[i] = None if value in ("*", "_") else _unescape(value, _VALUE_IN)


def _drafts(path: Path, raw: str, spans: dict[tuple, _Span], annotator: str, doc_id: str,
            schema: Schema, skipped: dict[str, int]) -> Iterator[Any]:  # fmt: skip
    index = Utf16Index(raw)
    mapping, digest = carried_text(raw, str(path))
    located = []
    for span in spans.values():
        if span.begin == span.end:
            skipped["zero-length span(s)"] = skipped.get("zero-length span(s)", 0) + 1
            continue
        try:
            located.append((span, index.to_codepoint(span.begin), index.to_codepoint(span.end)))
        except OffsetError as exc:
            raise fail(span.where, "offsets", str(exc)) from None
    try:
        mapping.prepare(o for _, s, e in located for o in (s, e))
    except OffsetError as exc:
        raise FormatError(f"{path}: {exc}") from None
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(path))
    types = attribute_types(schema)
    for span, start, end in located:
        layer = span.layer
        label_at = layer.label_column()
        label = span.values.get(label_at) if label_at is not None else None
        label = label or layer.short
        attributes = {
            layer.columns[i]: typed_value(types, label, layer.columns[i], _listed(v))
            for i, v in span.values.items()
            if i != label_at and v is not None and layer.columns[i] != "note"
        }
        note = span.values.get(layer.columns.index("note")) if "note" in layer.columns else None
        try:
            s, e = mapping.to_normalized(start), mapping.to_normalized(end)
        except OffsetError as exc:
            raise fail(span.where, "offsets", str(exc)) from None
        yield AnnotationDraft(
            document=doc_id, start=s, end=e, label=label, annotator=annotator,
            attributes=MappingProxyType(attributes), note=note or "", where=span.where,
        )  # fmt: skip


def _listed(value: str) -> str | list:
    """A value reader wrote for a multiple enum (a JSON list of names) back as a list."""
    if value.startswith('["') and value.endswith('"]'):
        try:
            listed = json.loads(value)
        except ValueError:
            return value
        if isinstance(listed, list) and all(isinstance(v, str) for v in listed):
            return listed
    return value


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    skipped: dict[str, int] = {}
    for file, annotator, doc in _layout(path, options):
        yield from read_tsv(file, annotator, doc, schema, options, skipped)
    if skipped:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(skipped.items()))
        options.warning(f"{path}: skipped {counts}")


def _layout(path: Path, options: FormatOptions) -> Iterator[tuple[Path, str, str]]:
    """(file, annotator, document) for a file, a folder of files, or DIR/<doc>/<user>.tsv."""
    if not path.is_dir():
        file = regular_file(path)
        yield file, need_annotator(options, str(path), "a single TSV"), _doc(path.stem, path)
        return
    flat = entries(path, suffix=".tsv")
    for file in flat:
        yield (
            file,
            need_annotator(options, str(path), "TSV files directly in a folder"),
            _doc(file.stem, file),
        )
    found = bool(flat)
    for sub in subfolders(path):
        for file in entries(sub, path, ".tsv"):
            found = True
            name = annotator_name(name_from_path(file.stem), str(file), "file name (the annotator)")
            yield file, name, _doc(sub.name, sub)
    if not found:
        raise FormatError(f"{path}: no .tsv files in the folder or its subfolders")


def _doc(name: str, where: Path) -> str:
    return document_id(name_from_path(name), str(where), "name (the document)")


# -- writing ------------------------------------------------------------------------------


def _units(text: str, annotations: list[Annotation]) -> list[tuple[int, int]]:
    cuts = sorted({o for a in annotations for o in (a.start, a.end)})
    units = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        for cut in (c for c in cuts if start < c < end):
            units.append((start, cut))
            start = cut
        units.append((start, end))
    return units


def tsv_text(doc: Document, annotations: list[Annotation]) -> tuple[str, int]:
    """The TSV file of one document and annotator, and how many spans it could not hold
    (an edge in whitespace, where no token starts or ends)."""
    text = doc.text
    units = _units(text, annotations)
    starts = {s: i for i, (s, _) in enumerate(units)}
    ends = {e: i for i, (_, e) in enumerate(units)}
    kept = [a for a in annotations if a.start in starts and a.end in ends]
    names = sorted({n for a in kept for n in a.attributes if n not in SYSTEM_ATTRIBUTES})
    columns = ["label", *names] + (["note"] if any(a.note for a in kept) else [])
    on_unit: dict[int, list[tuple[Annotation, int]]] = {}
    for number, a in enumerate(kept, 1):
        for i in range(starts[a.start], ends[a.end] + 1):
            on_unit.setdefault(i, []).append((a, number))
    u16 = Utf16Index(text)
    out = [HEADER, f"#T_SP={LAYER}|" + "|".join(columns), ""]
    lines = text.split("\n")
    line_start, sentence_no, position = 0, 0, 0
    firsts = []  # (line start, first unit index) of each line that has a token
    for line in lines:
        while position < len(units) and units[position][0] < line_start:
            position += 1
        if position < len(units) and units[position][0] < line_start + len(line):
            firsts.append(position)
        line_start += len(line) + 1
    for n, first in enumerate(firsts):
        last = firsts[n + 1] if n + 1 < len(firsts) else len(units)
        begin = units[first][0]  # INCEpTION places a sentence at its first token
        stop = units[last][0] if last < len(units) else len(text)
        body = text[begin:stop]
        body = body.removesuffix("\n")
        sentence_no = n + 1
        out.append("")
        out += ["#Text=" + escape_text(piece) for piece in body.split("\n")]
        for k, i in enumerate(range(first, last), 1):
            s, e = units[i]
            cells = []
            stacked = on_unit.get(i, [])
            for column in columns:
                values = []
                for a, number in stacked:
                    if column == "label":
                        value = escape_value(a.label)
                    elif column == "note":
                        value = escape_value(a.note) if a.note else "*"
                    else:
                        got = a.attributes.get(column)
                        if isinstance(got, list):  # a multiple enum, as JSON
                            got = json.dumps(got, ensure_ascii=False)
                        value = "*" if got in (None, "") else escape_value(str(got))
                    multi = len(stacked) > 1 or starts[a.start] != ends[a.end]
                    values.append(f"{value}[{number}]" if multi else value)
                cells.append("|".join(values) or "_")
            out.append(f"{sentence_no}-{k}\t{u16.to_utf16(s)}-{u16.to_utf16(e)}\t{text[s:e]}\t"
                       + "".join(c + "\t" for c in cells))  # fmt: skip
    return "\n".join(out) + "\n", len(annotations) - len(kept)


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    count = missed = 0
    with OutputFolder(dest, overwrite=options.overwrite, format_name="webanno") as folder:
        for doc, marked in documents_with_annotations(source, filters, options):
            folder.path(doc.id).mkdir(exist_ok=True)
            for annotator, group in by_annotator(marked).items():
                content, left_out = tsv_text(doc, group)
                with atomic_text(folder.path(doc.id, f"{annotator}.tsv"), newline="\n") as out:
                    out.write(content)
                count += len(group) - left_out
                missed += left_out
            options.advance(len(marked))
    if missed:
        options.warning(
            f"left out {missed} span(s) that start or end in whitespace: TSV spans cover tokens"
        )
    return count
