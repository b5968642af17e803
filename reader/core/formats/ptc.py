"""The Propaganda Techniques Corpus layout of SemEval-2020 Task 11.

Definition: G. Da San Martino et al., "SemEval-2020 Task 11: Detection of Propaganda
Techniques in News Articles" (arXiv:2009.02696; https://propaganda.qcri.org/ptc/).
Each article is ``article<ID>.txt``; its spans are in a tab-separated ``.labels`` file,
one span a line: ``<ID><TAB><technique><TAB><start><TAB><end>`` (technique
classification) or ``<ID><TAB><start><TAB><end>`` (span identification). TSV, never
CSV: technique names contain commas. reader writes ``article<ID>.labels``; it reads any
``*.labels`` (also the task's ``article<ID>.task1-SI.labels`` / ``.task2-TC.labels``,
and one file holding many articles, whose texts must then already be in the database).

Offsets: character offsets into the article text, ``end`` exclusive; the task's own
scorer slices Python strings, so characters are code points, as in reader. The ``.txt``
reader writes is the normalized text; a non-normalized one is mapped on import.

Techniques: PTC uses 14 names; reader's ``propaganda`` label uses the 23 techniques of
SemEval-2023 Task 3 in its ``technique`` attribute. ``TO_PTC`` maps ours to theirs
(marked "approx." where PTC has no exact counterpart); ``FROM_PTC`` maps back, and also
knows the 18 names of the original corpus, where the merged classes were still apart.
On import the SemEval-2023 ``category`` is set from the technique.

Only ``propaganda`` spans with a technique that PTC can name are exported; the others
are counted in a warning. Layout and annotators as for brat: ``DIR/<annotator>/``.

Carried: document, start, end, annotator, the label (always ``propaganda``) and the
technique (through the mappings above). Not carried: ids, other attributes, notes,
origin, timestamps, status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import carried_text, document_id, fail, parse_offset
from reader.core.formats.file_form import KEY as FILE_FORM
from reader.core.formats.file_form import FileForm, file_form
from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import annotator_layout, by_annotator
from reader.core.formats.linked import warn_dropped_links
from reader.core.formats.offsets import NormalizedText, OffsetError
from reader.core.formats.output import atomic_text
from reader.core.formats.reading import numbered_lines, read_text_file
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.model import AnnotationDraft, Document
from reader.core.paths import regular_file
from reader.core.schema import Schema

LABEL = "propaganda"

#: SemEval-2023 Task 3 technique -> SemEval-2020 Task 11 technique (None: no counterpart).
TO_PTC: dict[str, str | None] = {
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",  # approx.: reductio ad hitlerum
    "Doubt": "Doubt",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",  # approx.: tu quoque
    "Questioning_the_Reputation": "Doubt",  # approx.
    "Flag_Waving": "Flag-Waving",
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": "Flag-Waving",  # approx.
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Consequential_Oversimplification": "Causal_Oversimplification",  # approx.: slippery slope
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Appeal_to_Time": "Slogans",  # approx.: a call that the time to act is now
    "Loaded_Language": "Loaded_Language",
    "Obfuscation-Vagueness-Confusion": None,  # the 2020 task dropped this class
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Repetition": "Repetition",
}

#: PTC technique (14 names of the 2020 task, and the 18 of the original corpus) -> ours.
FROM_PTC: dict[str, str] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Appeal_to_Popularity",  # approx.: merged class
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism",  # approx.: merged class
    # The original 18-technique corpus, before the 2020 task merged or dropped these.
    "Bandwagon": "Appeal_to_Popularity",
    "Reductio_ad_hitlerum": "Guilt_by_Association",
    "Whataboutism": "Whataboutism",
    "Straw_Men": "Straw_Man",
    "Red_Herring": "Red_Herring",
    "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion",
}

#: The SemEval-2023 Task 3 category of each technique, filled in on import.
CATEGORY: dict[str, str] = {
    **dict.fromkeys(
        ["Name_Calling-Labeling", "Guilt_by_Association", "Doubt", "Appeal_to_Hypocrisy",
         "Questioning_the_Reputation"], "attack_on_reputation"),
    **dict.fromkeys(
        ["Flag_Waving", "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values",
         "Appeal_to_Fear-Prejudice"], "justification"),
    **dict.fromkeys(
        ["Causal_Oversimplification", "False_Dilemma-No_Choice",
         "Consequential_Oversimplification"], "simplification"),
    **dict.fromkeys(["Straw_Man", "Red_Herring", "Whataboutism"], "distraction"),
    **dict.fromkeys(["Slogans", "Conversation_Killer", "Appeal_to_Time"], "call"),
    **dict.fromkeys(
        ["Loaded_Language", "Obfuscation-Vagueness-Confusion", "Exaggeration-Minimisation",
         "Repetition"], "manipulative_wording"),
}  # fmt: skip

_ARTICLE = re.compile(r"article(?P<id>[^.]+(?:\.[^.]+)*?)(?:\.task[^.]*)?\.labels")


def import_attributes(*techniques: str) -> dict[str, str | list[str]]:
    """The attributes a span with these PTC techniques (none, one or more) gets on import:
    one value as text, several as a list (the schema's ``multiple`` enums)."""
    ours = list(dict.fromkeys(FROM_PTC[t] for t in techniques))
    if not ours:
        return {}
    categories = list(dict.fromkeys(CATEGORY[t] for t in ours))
    return {
        "technique": ours[0] if len(ours) == 1 else ours,
        "category": categories[0] if len(categories) == 1 else categories,
    }


# -- reading ------------------------------------------------------------------------------

#: Who made a PTC file's spans when --annotator names no one: the corpus's own labels.
DEFAULT_ANNOTATOR = "ptc"


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    if options.annotator is None:
        options.warning(f"{path}: PTC files name no annotator; reading as {DEFAULT_ANNOTATOR!r}")
        options = replace(options, annotator=DEFAULT_ANNOTATOR)
    read_ids: set[str] = set()
    for annotator, files in annotator_layout(path, ".labels", options, "PTC"):
        for labels in files:
            yield from _read_labels(labels, annotator, options, read_ids)
    for folder in options.texts:  # the rest of the articles the user named
        for txt in sorted(folder.glob("article*.txt")):
            txt = regular_file(txt, folder)
            doc_id = document_id(txt.name[7:-4], str(txt), "file name")
            if doc_id not in read_ids:
                read_ids.add(doc_id)
                yield _article(txt, doc_id, [], options)[0]


def _article(
    txt: Path, doc_id: str, rows: list[tuple], options: FormatOptions
) -> tuple[Document, NormalizedText]:
    """The article a labels file points into, with the form of its own file remembered:
    offsets count in that file (BOM, CRLF and all), and exports go back to it."""
    raw = read_text_file(txt, options)
    mapping, digest = carried_text(raw, str(txt))
    for where, _, _, start, end in rows:
        if end > len(raw):
            raise fail(where, "end", f"{end} is past the end of {txt.name} (length {len(raw)})")
    try:
        mapping.prepare(o for _, _, _, s, e in rows for o in (s, e))
    except OffsetError as exc:
        raise FormatError(f"{txt}: {exc}") from None
    form = file_form(raw)
    meta = MappingProxyType({FILE_FORM: form} if form else {})
    doc = Document(id=doc_id, text=mapping.text, sha256=digest, source=str(txt), meta=meta)
    return doc, mapping


def _find_article(doc_id: str, labels: Path, options: FormatOptions) -> Path | None:
    for folder in (labels.parent, *options.texts):
        txt = folder / f"article{doc_id}.txt"
        if txt.exists() or txt.is_symlink():
            return regular_file(txt, folder)  # never a link out of the folder, nor a FIFO
    return None


def _read_labels(
    labels: Path, annotator: str, options: FormatOptions, read_ids: set[str]
) -> Iterator[Any]:
    match = _ARTICLE.fullmatch(labels.name)
    file_id = document_id(match["id"], str(labels), "file name") if match else None
    rows: dict[str, list[tuple]] = {}
    for number, line in numbered_lines(labels, options):
        if not line.strip():
            continue
        where = f"{labels}:{number}"
        row = (where, *_row(line, where, file_id))
        rows.setdefault(row[1], []).append(row)
    missing = 0
    for doc_id, doc_rows in rows.items():
        mapping: NormalizedText | None = None
        txt = _find_article(doc_id, labels, options)
        missing += txt is None
        if txt is not None and doc_id not in read_ids:
            read_ids.add(doc_id)
            doc, mapping = _article(txt, doc_id, doc_rows, options)
            yield doc
        elif txt is not None:
            mapping = NormalizedText(read_text_file(txt, options))
            mapping.prepare(o for _, _, _, s, e in doc_rows for o in (s, e))
        yield from _drafts(doc_rows, mapping, annotator)
    if missing:
        options.warning(
            f"{labels}: no article<ID>.txt beside it for {missing} article(s): their offsets "
            "are taken as counting in the stored text (name the articles folder too, "
            "`reader import train-articles FILE.labels`, to count in the article files)"
        )


def _drafts(rows: list[tuple], mapping: NormalizedText | None, annotator: str) -> Iterator[Any]:
    """One draft per span: the techniques of rows on the same span are one list (42
    spans of the PTC training set carry two)."""
    spans: dict[tuple[int, int], tuple[str, list[str]]] = {}
    for where, _, technique, start, end in rows:
        if mapping is not None:
            try:
                start, end = mapping.to_normalized(start), mapping.to_normalized(end)
            except OffsetError as exc:
                raise fail(where, "start", str(exc)) from None
        _, techniques = spans.setdefault((start, end), (where, []))
        if technique is not None and technique not in techniques:
            techniques.append(technique)
    doc_id = rows[0][1]
    for (start, end), (where, techniques) in spans.items():
        yield AnnotationDraft(
            document=doc_id, start=start, end=end, label=LABEL, annotator=annotator,
            attributes=MappingProxyType(import_attributes(*techniques)), where=where,
        )  # fmt: skip


def _row(line: str, where: str, file_id: str | None) -> tuple[str, str | None, int, int]:
    fields = line.split("\t")
    if len(fields) == 4:
        doc, technique, start, end = fields
    elif len(fields) == 3:
        (doc, start, end), technique = fields, None
    else:
        raise fail(
            where,
            None,
            f"expected 3 or 4 tab-separated fields (id, [technique,] start, end), got {len(fields)}",
        )
    doc_id = document_id(doc.strip(), where, "id")
    if file_id is not None and doc_id != file_id:
        raise fail(where, "id", f"{doc_id!r} is not this file's article {file_id!r}")
    if technique is not None and technique not in FROM_PTC:
        raise fail(
            where,
            "technique",
            f"unknown PTC technique {technique!r} (known: {' | '.join(FROM_PTC)})",
        )
    offsets = [
        parse_offset(value.strip(), where, name) for name, value in (("start", start), ("end", end))
    ]
    if offsets[0] >= offsets[1]:
        raise fail(where, "end", f"{offsets[1]} is not after start {offsets[0]}")
    return doc_id, technique, offsets[0], offsets[1]


# -- writing ------------------------------------------------------------------------------

TASKS = ("tc", "si")


def _techniques(value: Any) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def labels_rows(doc: Document, group: list, task: str) -> tuple[list[str], int, int]:
    """The rows of one article, in its own file's offsets: TC one row per technique PTC
    can name (a span with two techniques is two rows), SI one row per span. Also how
    many spans had no technique, and how many only techniques PTC cannot name (TC)."""
    form = FileForm(doc.meta)
    rows: list[str] = []
    untyped = unmapped = 0
    for a in sorted(group, key=lambda a: (a.start, a.end)):
        start, end = form.to_file(a.start), form.to_file(a.end)
        if task == "si":
            rows.append(f"{doc.id}\t{start}\t{end}\n")
            continue
        ours = _techniques(a.attributes.get("technique"))
        names = list(dict.fromkeys(TO_PTC[t] for t in ours if TO_PTC.get(t)))
        untyped += not ours
        unmapped += bool(ours) and not names
        rows += [f"{doc.id}\t{name}\t{start}\t{end}\n" for name in names]
    return list(dict.fromkeys(rows)), untyped, unmapped


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    if filters.label not in (None, LABEL):
        raise FormatError(
            f"PTC holds only {LABEL!r} spans; --label {filters.label} would export nothing"
        )
    task = options.task or "tc"
    if task not in TASKS:
        raise FormatError(f"--task {task}: PTC tasks are {' or '.join(TASKS)}")
    suffix = ".task1-SI.labels" if task == "si" else ".labels"
    count = untyped = unmapped = 0
    with OutputFolder(dest, overwrite=options.overwrite, format_name="ptc") as folder:
        for doc, marked in documents_with_annotations(source, filters, options):
            for annotator, group in by_annotator([a for a in marked if a.label == LABEL]).items():
                rows, no_technique, no_name = labels_rows(doc, group, task)
                untyped += no_technique
                unmapped += no_name
                if not rows:
                    continue
                home = folder.annotator_dir(annotator)
                with atomic_text(
                    folder.document_file(home, doc.id, ".txt", prefix="article"), newline=""
                ) as out:
                    out.write(FileForm(doc.meta).text(doc.text))  # the article as it came
                with atomic_text(
                    folder.document_file(home, doc.id, suffix, prefix="article"), newline="\n"
                ) as out:
                    out.write("".join(rows))
                count += len(group) - no_technique - no_name
            options.advance(len(marked))
    warn_dropped_links(source, replace(filters, label=LABEL), options, "ptc")
    if untyped:
        options.warning(
            f"PTC technique classification needs a technique: {untyped} propaganda span(s) "
            "without one were left out (--task si writes every span)"
        )
    if unmapped:
        options.warning(
            f"{unmapped} span(s) with a technique PTC has no name for (Obfuscation) were left out"
        )
    return count
