"""Writing WebAnno TSV 3.3 (see ``webanno`` for the format): reader's spans on tokens cut
at every span edge, one sentence per line of text so INCEpTION rebuilds the text exactly,
links as a relation layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import regex

from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import document_groups
from reader.core.formats.offsets import Utf16Index
from reader.core.formats.output import atomic_text
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.webanno_syntax import (
    HEADER,
    LAYER,
    LINK_LAYER,
    escape_text,
    escape_value,
)
from reader.core.model import Annotation, Document
from reader.core.schema import SYSTEM_ATTRIBUTES

_TOKEN = regex.compile(r"[\w\p{M}]+|(?!\s)\X")


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


def tsv_text(doc: Document, annotations: list[Annotation], links: list = ()) -> tuple[str, int]:
    """The TSV file of one document and annotator, and how many spans it could not hold
    (an edge in whitespace, where no token starts or ends). Links between its spans
    are a relation layer, each on its dependent's first token, naming its governor."""
    text = doc.text
    units = _units(text, annotations)
    starts = {s: i for i, (s, _) in enumerate(units)}
    ends = {e: i for i, (_, e) in enumerate(units)}
    kept = [a for a in annotations if a.start in starts and a.end in ends]
    names = sorted({n for a in kept for n in a.attributes if n not in SYSTEM_ATTRIBUTES})
    columns = ["label", *names] + (["note"] if any(a.note for a in kept) else [])
    numbers = {a.id: n for n, a in enumerate(kept, 1)}
    links = [link for link in links if link.source in numbers and link.target in numbers]
    linked = {end for link in links for end in (link.source, link.target)}
    on_unit: dict[int, list[tuple[Annotation, int]]] = {}
    for number, a in enumerate(kept, 1):
        for i in range(starts[a.start], ends[a.end] + 1):
            on_unit.setdefault(i, []).append((a, number))
    by_id = {a.id: a for a in kept}
    relations: dict[int, list] = {}
    for link in links:
        relations.setdefault(starts[by_id[link.target].start], []).append(link)
    u16 = Utf16Index(text)
    out = [HEADER, f"#T_SP={LAYER}|" + "|".join(columns)]
    if links:
        out.append(f"#T_RL={LINK_LAYER}|label|BT_{LAYER}")
    out.append("")
    lines = text.split("\n")
    line_start, sentence_no, position = 0, 0, 0
    firsts = []  # (line start, first unit index) of each line that has a token
    for line in lines:
        while position < len(units) and units[position][0] < line_start:
            position += 1
        if position < len(units) and units[position][0] < line_start + len(line):
            firsts.append(position)
        line_start += len(line) + 1
    unit_ids: dict[int, str] = {}
    for n, first in enumerate(firsts):
        last = firsts[n + 1] if n + 1 < len(firsts) else len(units)
        unit_ids.update((i, f"{n + 1}-{k}") for k, i in enumerate(range(first, last), 1))
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
                    multi = len(stacked) > 1 or starts[a.start] != ends[a.end] or a.id in linked
                    values.append(f"{value}[{number}]" if multi else value)
                cells.append("|".join(values) or "_")
            if links:
                here = relations.get(i, [])
                cells.append("|".join(escape_value(link.type) for link in here) or "_")
                cells.append("|".join(
                    f"{unit_ids[starts[by_id[link.source].start]]}"
                    f"[{numbers[link.source]}_{numbers[link.target]}]" for link in here
                ) or "_")  # fmt: skip
            out.append(f"{sentence_no}-{k}\t{u16.to_utf16(s)}-{u16.to_utf16(e)}\t{text[s:e]}\t"
                       + "".join(c + "\t" for c in cells))  # fmt: skip
    return "\n".join(out) + "\n", len(annotations) - len(kept)


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    count = missed = 0
    with OutputFolder(dest, overwrite=options.overwrite, format_name="webanno") as folder:
        for doc, annotator, group, links in document_groups(source, filters, options, folder):
            content, left_out = tsv_text(doc, group, links)
            with atomic_text(folder.path(doc.id, f"{annotator}.tsv"), newline="\n") as out:
                out.write(content)
            count += len(group) - left_out
            missed += left_out
    if missed:
        options.warning(
            f"left out {missed} span(s) that start or end in whitespace: TSV spans cover tokens"
        )
    return count
