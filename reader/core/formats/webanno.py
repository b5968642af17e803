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
and a final line break. So a document without one gains it on its way through TSV (unless the
database holds it without that line break: reader's own export, coming back).

Labels: in each span layer, the label is the value of its ``label`` or ``value``
feature (else its first feature); the other features are attributes; an annotation
without a label value takes the layer's short name (``webanno.custom.Claim`` -> ``Claim``).
reader writes a layer ``webanno.custom.ReaderSpan`` with features ``label``, each
attribute used, and ``note``: create a span layer "ReaderSpan" with those string
features (and a relation layer "ReaderLink" over it) in INCEpTION to import it there.

Layout: INCEpTION's project export keeps ``annotation/<document>/<user>.tsv``; reader
writes and reads ``DIR/<document>/<annotator>.tsv``. A single ``.tsv`` file (or a folder
of them) is one document per file, named by its stem, annotated by ``--annotator``.

Relations: a ``#T_RL`` layer's annotation sits on its dependent's token and names its
governor's token in its last column (``1-1[3_4]``: governor 3, dependent 4); between
span annotations it is a link from governor to dependent, its type the relation's
``label``/``value`` (else the layer's short name). reader writes its links as a layer
``webanno.custom.ReaderLink|label``. Relations on the Token layer (no span at either
end), chains, slot features and zero-length spans (reader spans are never empty) are
counted in one line and skipped.

Not carried: ids, origin, timestamps, status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    attribute_types,
    carried_text,
    document_id,
    fail,
    listed_value,
    need_annotator,
    typed_value,
)
from reader.core.formats.offsets import OffsetError, Utf16Index
from reader.core.formats.reading import name_from_path, read_text_file
from reader.core.formats.registry import FormatOptions
from reader.core.formats.webanno_syntax import (
    HEADER,
    TEXT_IN,
    VALUE_IN,
    disambiguated,
    split,
    unescape,
)
from reader.core.links.values import LinkDraft
from reader.core.model import AnnotationDraft, Document
from reader.core.paths import entries, regular_file, subfolders
from reader.core.schema import Schema
from reader.core.text import normalize

# ASCII digits, bounded: \d would read "١٠", and int() of 5,000 digits fails.
_UNIT = re.compile(r"([0-9]{1,12})-([0-9]{1,12})(?:\.([0-9]{1,12}))?")
_OFFSETS = re.compile(r"([0-9]{1,12})-([0-9]{1,12})")

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
    relations: list[tuple] = []
    for number, line in lines:
        where = f"{path}:{number}"
        if not line:
            continue
        if line.startswith("#Text="):
            sentence.append(unescape(line[6:], TEXT_IN) + "\n")
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
            cells = fields[3 + layer.first : 3 + layer.first + len(layer.columns)]
            if layer.kind == "RL":
                relations += _relation_cells(layer, cells, fields[0], where)
            else:
                _cells(layer, cells, fields[0], begin, end, where, spans, skipped)
    raw = _as_stored("".join(parts), doc_id, options)
    yield from _drafts(path, raw, spans, annotator, doc_id, schema, skipped)
    yield from _links(path, spans, relations, annotator, skipped)


def _as_stored(raw: str, doc_id: str, options: FormatOptions) -> str:
    """TSV ends every document with a line break, so reader's own export of an article
    without one comes back one character longer. Where the stored document is exactly
    this text without that last line break, it is the document the file was made from."""
    if raw.endswith("\n") and options.document_text is not None:
        stored = options.document_text(doc_id)
        if stored and not stored.endswith("\n") and normalize(raw[:-1]) == stored:
            return raw[:-1]
    return raw


def _relation_cells(layer: _Layer, cells: list[str], unit: str, where: str) -> list[tuple]:
    """The relations on this token: (base type, link type, governor's token, governor's
    id, dependent's token, dependent's id, where). A relation sits on its dependent's
    token; its last column names the governor's token, ``1-1[3_4]`` with the ids of
    governor and dependent where they have one."""
    if cells[-1] in ("_", ""):
        return []
    base = layer.columns[-1].removeprefix("BT_")
    at = layer.label_column()
    names = split(cells[at], "|") if at is not None else []
    found = []
    for k, piece in enumerate(split(cells[-1], "|")):
        source, ids = disambiguated(piece)
        governor, dependent = ids.split("_", 1) if ids and "_" in ids else ("0", "0")
        name = names[k] if k < len(names) else "*"
        link_type = layer.short if name in ("*", "_", "") else unescape(name, VALUE_IN)
        found.append((base, link_type, source, governor, unit, dependent, where))
    return found


def _span_key(spans: dict[tuple, _Span], base: str, unit: str, ident: str) -> tuple | None:
    key = (base, ident) if ident != "0" else (base, unit, 0)
    return key if key in spans and spans[key].begin < spans[key].end else None


def _links(path: Path, spans: dict[tuple, _Span], relations: list[tuple], annotator: str,
           skipped: dict[str, int]) -> Iterator[LinkDraft]:  # fmt: skip
    """Relations between span annotations as links; one whose ends are tokens (a
    dependency on INCEpTION's Token layer) or empty spans is counted and skipped."""
    for base, link_type, source, governor, unit, dependent, where in relations:
        ends = [_span_key(spans, base, source, governor), _span_key(spans, base, unit, dependent)]
        if None in ends:
            what = "relation(s) between tokens or empty spans"
            skipped[what] = skipped.get(what, 0) + 1
            continue
        yield LinkDraft(link_type, _draft_key(path, ends[0]), _draft_key(path, ends[1]),
                        annotator, where=where)  # fmt: skip


def _draft_key(path: Path, key: tuple) -> str:
    return f"{path}#" + "/".join(map(str, key))


def _cells(layer: _Layer, cells: list[str], unit: str, begin: int, end: int, where: str,
           spans: dict[tuple, _Span], skipped: dict[str, int]) -> None:  # fmt: skip
    if layer.kind == "CH":
        found = sum(1 for c in cells[-1:] for p in split(c, "|") if p not in ("_", ""))
        if found:
            skipped["chain link(s)"] = skipped.get("chain link(s)", 0) + found
        return
    presence = [i for i, c in enumerate(layer.columns) if not c or _plain(c)] or [
        i for i, c in enumerate(layer.columns) if c.startswith("ROLE_")
    ]
    for i, cell in enumerate(cells):
        if cell in ("_", ""):
            continue
        column = layer.columns[i]
        pieces = split(cell, "|")
        if column.startswith("ROLE_") or not (not column or _plain(column)):
            links = sum(len(split(p, ";")) for p in pieces if p not in ("*", "_"))
            if links:
                skipped["slot link(s)"] = skipped.get("slot link(s)", 0) + links
            if i not in presence:
                continue
        for k, piece in enumerate(pieces):
            value, ident = disambiguated(piece)
            key = (layer.type, ident) if ident else (layer.type, unit, k)
            span = spans.get(key)
            if span is None:
                span = spans[key] = _Span(layer, begin, end, where=where)
            span.begin, span.end = min(span.begin, begin), max(span.end, end)
            if i in presence and _plain(column):
                span.values[i] = None if value in ("*", "_") else unescape(value, VALUE_IN)


def _drafts(path: Path, raw: str, spans: dict[tuple, _Span], annotator: str, doc_id: str,
            schema: Schema, skipped: dict[str, int]) -> Iterator[Any]:  # fmt: skip
    index = Utf16Index(raw)
    mapping, digest = carried_text(raw, str(path))
    located = []
    for key, span in spans.items():
        if span.begin == span.end:
            skipped["zero-length span(s)"] = skipped.get("zero-length span(s)", 0) + 1
            continue
        try:
            located.append(
                (key, span, index.to_codepoint(span.begin), index.to_codepoint(span.end))
            )
        except OffsetError as exc:
            raise fail(span.where, "offsets", str(exc)) from None
    try:
        mapping.prepare(o for _, _, s, e in located for o in (s, e))
    except OffsetError as exc:
        raise FormatError(f"{path}: {exc}") from None
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(path))
    types = attribute_types(schema)
    for key, span, start, end in located:
        layer = span.layer
        label_at = layer.label_column()
        label = span.values.get(label_at) if label_at is not None else None
        label = label or layer.short
        attributes = {
            layer.columns[i]: typed_value(types, label, layer.columns[i], listed_value(v))
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
            key=_draft_key(path, key),
        )  # fmt: skip


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    skipped: dict[str, int] = {}
    for file, annotator, doc in _layout(path, options):
        yield from read_tsv(file, annotator, doc, schema, options, skipped)
    if skipped:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(skipped.items()))
        options.warning(f"{path}: skipped {counts}")


#: Files whose annotator --annotator names: only this layout says who annotated.
_UNNAMED = "TSV files outside DIR/<document>/<annotator>.tsv"


def _layout(path: Path, options: FormatOptions) -> Iterator[tuple[Path, str, str]]:
    """(file, annotator, document) for a file, a folder of files, or DIR/<doc>/<user>.tsv."""
    if not path.is_dir():
        file = regular_file(path)
        yield file, need_annotator(options, str(path), _UNNAMED), _doc(path.stem, path)
        return
    flat = entries(path, suffix=".tsv")
    for file in flat:
        yield (
            file,
            need_annotator(options, str(path), _UNNAMED),
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


# Writing lives in its own module; the registry finds ``write`` here.
from reader.core.formats.webanno_export import tsv_text, write  # noqa: F401
