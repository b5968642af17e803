"""Prodigy spans JSONL (the ``spans_manual`` interface).

Definition: Prodigy's annotation task format (https://prodi.gy/docs/api-interfaces,
"spans_manual"; the same shape ``prodigy db-out`` writes): ``{"text", "tokens": [{"text",
"start", "end", "id", "ws"}], "spans": [{"start", "end", "label", "token_start",
"token_end"}], "answer", "_input_hash", "_task_hash", "_annotator_id", "_session_id",
"_view_id"}``. Span ``start``/``end`` are character offsets, ``end`` exclusive;
``token_start``/``token_end`` are token indices, ``token_end`` inclusive.

Offsets: Prodigy is Python, so characters are code points, as in reader; no conversion,
and an emoji before a span does not shift it. One task per document and annotator, the
whole document as ``text``. Tokens are words and single symbols, as spaCy makes them:
a single space after a token is its ``ws``, other whitespace (a line break, a second
space) a token of its own, so spaCy's ``Doc(words, spaces)`` rebuilds the text exactly;
they are further split at every span edge so that each span covers whole tokens (a span
that ends in a space ends on that space's own token). Hashes are stable: ``_input_hash``
from the text, ``_task_hash`` from the text and the spans (Prodigy's own are 32-bit
signed integers; these are too).

On import only tasks with ``"answer": "accept"`` are taken, and in them only spans not
marked ``"answer": "reject"`` themselves (rejected and ignored ones are counted and
skipped); the annotator is ``_annotator_id``, else ``--annotator``; the
document is ``meta.document``, else a name made from the text's SHA-256.

Carried: document, start, end, label, annotator. Not carried: ids (derived), attributes,
notes, timestamps, status.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import regex

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    carried_text,
    document_id,
    fail,
    get_int,
    get_str,
)
from reader.core.formats.layout import by_annotator
from reader.core.formats.linked import warn_dropped_links
from reader.core.formats.offsets import OffsetError, mapped_drafts
from reader.core.formats.output import dumps, text_destination
from reader.core.formats.reading import json_lines
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.model import Annotation, AnnotationDraft, Document
from reader.core.schema import Schema

VIEW_ID = "spans_manual"
_TOKEN = regex.compile(r"[\w\p{M}]+|(?!\s)\X")


def _hash32(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def input_hash(text: str) -> int:
    return _hash32("input", text)


def task_hash(text: str, spans: list[tuple[int, int, str]]) -> int:
    return _hash32("task", text, VIEW_ID, *(f"{s}:{e}:{label}" for s, e, label in sorted(spans)))


# -- tokens -------------------------------------------------------------------------------


def base_tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def tokens_for(
    text: str, base: list[tuple[int, int]], annotations: list[Annotation]
) -> list[tuple[int, int, bool]]:
    """Every piece of the text as (start, end, ws), spaCy's way: words and symbols, cut
    at every span edge; one space after a token is its ``ws``; any other whitespace
    (line breaks, a second space) is a token of its own. So joining each token's text
    and a space where ``ws`` rebuilds the text exactly (spaCy's ``Doc(words, spaces)``),
    and every span starts and ends on a token edge, even one that ends in a space."""
    starts = {a.start for a in annotations}
    ends = {a.end for a in annotations}
    cuts = sorted(starts | ends)
    pieces: list[tuple[int, int]] = []
    position = 0
    for start, end in [*base, (len(text), len(text))]:
        for a, b in ((position, start), (start, end)):  # the gap, then the token
            inner = cuts[bisect_right(cuts, a) : bisect_left(cuts, b)]
            for cut in inner:
                pieces.append((a, cut))
                a = cut
            if a < b:
                pieces.append((a, b))
        position = end
    tokens: list[tuple[int, int, bool]] = []
    for start, end in pieces:
        space = text[start].isspace()
        if (
            space and tokens and text[start] == " " and not tokens[-1][2]
            and not text[tokens[-1][0]].isspace()
            and start not in starts and start + 1 not in ends
        ):  # fmt: skip
            tokens[-1] = (tokens[-1][0], tokens[-1][1], True)
            start += 1
            if start == end:
                continue
        tokens.append((start, end, False))
    return tokens


def _task(
    doc: Document, annotator: str, annotations: list[Annotation], base: list[tuple[int, int]]
) -> dict:
    text = doc.text
    tokens = tokens_for(text, base, annotations)
    first_of = {t[0]: i for i, t in enumerate(tokens)}
    last_of = {t[1]: i for i, t in enumerate(tokens)}
    spans = [
        {"start": a.start, "end": a.end, "text": a.text, "label": a.label,
         "token_start": first_of[a.start], "token_end": last_of[a.end]}
        for a in annotations
    ]  # fmt: skip
    return {
        "text": text,
        "meta": {"document": doc.id},
        "_input_hash": input_hash(text),
        "_task_hash": task_hash(text, [(a.start, a.end, a.label) for a in annotations]),
        "tokens": [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": ws}
            for i, (s, e, ws) in enumerate(tokens)
        ],
        "spans": spans,
        "answer": "accept",
        "_annotator_id": annotator,
        "_session_id": annotator,
        "_view_id": VIEW_ID,
    }


# -- reading ------------------------------------------------------------------------------


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    skipped: dict[str, int] = {}
    rejected: list[int] = [0]
    for where, value in json_lines(path, options):
        if not isinstance(value, dict):
            raise fail(where, None, "expected a JSON object (a Prodigy task)")
        answer = value.get("answer", "accept")
        if answer != "accept":
            skipped[str(answer)] = skipped.get(str(answer), 0) + 1
            continue
        yield from _task_items(value, where, path, options, rejected)
    if skipped:
        counts = ", ".join(f"{n} {answer!r}" for answer, n in sorted(skipped.items()))
        options.warning(f"{path}: skipped tasks not accepted: {counts}")
    if rejected[0]:
        options.warning(
            f"{path}: skipped {rejected[0]} span(s) answered 'reject' in accepted tasks"
        )


def _task_items(
    value: dict, where: str, path: Path, options: FormatOptions, rejected: list[int]
) -> Iterator[Any]:
    raw = get_str(value, "text", where)
    annotator = value.get("_annotator_id", options.annotator)
    if annotator is None:
        raise fail(where, "_annotator_id", "missing (or pass --annotator NAME)")
    annotator = annotator_name(annotator, where, "_annotator_id")
    spans = value.get("spans") or []
    if not isinstance(spans, list):
        raise fail(where, "spans", "expected a list")
    checked = []
    for i, span in enumerate(spans):
        field = f"spans[{i}]"
        if not isinstance(span, dict):
            raise fail(where, field, "expected an object with start, end, label")
        if span.get("answer", "accept") != "accept":
            rejected[0] += 1
            continue
        start = get_int(span, "start", where, f"{field}.start")
        end = get_int(span, "end", where, f"{field}.end")
        label = get_str(span, "label", where, f"{field}.label")
        if not 0 <= start < end <= len(raw):
            raise fail(
                where,
                field,
                f"[{start}, {end}) is not inside the text (length {len(raw)}) with start < end",
            )
        quoted = get_str(span, "text", where, f"{field}.text", optional=True)
        if quoted is not None and quoted != raw[start:end]:
            raise fail(
                where,
                f"{field}.text",
                f"{quoted[:40]!r} does not match the text at [{start}, {end}): {raw[start:end][:40]!r}",
            )
        checked.append((start, end, label, field))
    mapping, digest = carried_text(raw, where)
    try:
        mapping.prepare(o for s, e, _, _ in checked for o in (s, e))
    except OffsetError as exc:
        raise fail(where, "text", str(exc)) from None
    meta = value.get("meta") if isinstance(value.get("meta"), dict) else {}
    doc_id = (
        document_id(meta["document"], where, "meta.document")
        if "document" in meta
        else f"prodigy-{digest[:16]}"
    )
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(path))
    yield from mapped_drafts(mapping, checked, doc_id, annotator, where)


# -- writing ------------------------------------------------------------------------------


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    if isinstance(dest, Path) and dest.is_dir():
        raise FormatError(f"{dest}: Prodigy writes one JSONL file; give a file name")
    count = dropped = 0
    with text_destination(dest) as out:
        for doc, annotations in documents_with_annotations(source, filters, options):
            base = base_tokens(doc.text)
            for annotator, group in by_annotator(annotations).items():
                out.write(dumps(_task(doc, annotator, group, base)) + "\n")
                count += len(group)
                dropped += sum(1 for a in group if a.attributes or a.note)
            options.advance(len(annotations))
    warn_dropped_links(source, filters, options, "prodigy")
    if dropped:
        options.warning(
            f"Prodigy spans carry labels only: attributes or notes of {dropped} annotation(s) were not written"
        )
    return count
