"""UIMA CAS XMI, as INCEpTION, WebAnno and DKPro write it, through dkpro-cassis.

Definition: the OASIS UIMA specification's XMI serialization of a CAS, read and written
with dkpro-cassis (https://github.com/dkpro/dkpro-cassis), the DKPro project's own Python
library, with a type system (``TypeSystem.xml``) beside the ``.xmi`` files, as in an
INCEpTION project export (``annotation/<document>/<user>.xmi`` and ``TypeSystem.xml``).
dkpro-cassis is an optional dependency: ``pip install 'reader-annotator[xmi]'``.

Offsets: a CAS counts UTF-16 code units (UIMA is Java); dkpro-cassis converts them to
and from code points of the sofa string, which is the document's text.

Spans: every annotation of a type under ``uima.tcas.Annotation`` that is not a relation
and not one of DKPro's structural types (tokens, sentences, metadata, tagsets) is a
span. Its label is its ``label`` or ``value`` feature (else the type's short name,
``webanno.custom.Claim`` -> ``Claim``); its other string and number features are
attributes, ``note`` its note. A relation is an annotation with ``Governor`` and
``Dependent`` features (INCEpTION's relation layers): a link from Governor to Dependent
whose type is its ``label`` or ``value`` (else the type's short name).

reader writes INCEpTION's shape: a span layer ``webanno.custom.ReaderSpan`` with string
features ``label``, ``note`` and each attribute, and a relation layer
``webanno.custom.ReaderLink`` (``Governor``, ``Dependent``, ``label``) for links within
a document. Create layers of those names in an INCEpTION project to import it there.

Layout: ``DIR/<document>/<annotator>.xmi`` and ``DIR/TypeSystem.xml``; on import a
single ``.xmi`` file takes ``--annotator`` and its document is its stem.

Not carried: ids, origin, timestamps, status. Zero-length annotations are skipped and
counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    attribute_types,
    carried_text,
    document_id,
    listed_value,
    need_annotator,
    typed_value,
)
from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import document_groups
from reader.core.formats.offsets import OffsetError
from reader.core.formats.output import atomic_text
from reader.core.formats.reading import name_from_path, read_text_file
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.links.values import LinkDraft
from reader.core.model import Annotation, AnnotationDraft, Document
from reader.core.paths import regular_file
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema

SPAN_TYPE = "webanno.custom.ReaderSpan"
LINK_TYPE = "webanno.custom.ReaderLink"
TYPESYSTEM = "TypeSystem.xml"
_ANNOTATION = "uima.tcas.Annotation"
_STRUCTURAL = (
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.",
    "uima.tcas.DocumentAnnotation",
)
_BUILT_IN = {"sofa", "begin", "end"}


def _errors() -> tuple[type[BaseException], ...]:
    """What dkpro-cassis raises on a bad file: lxml's parse errors and its own checks."""
    from lxml.etree import LxmlError

    return (LxmlError, ValueError, TypeError, KeyError, AttributeError, IndexError)


def _cassis() -> Any:
    try:
        import cassis
    except ImportError:
        raise FormatError("XMI needs dkpro-cassis: pip install 'reader-annotator[xmi]'") from None
    return cassis


# -- reading ------------------------------------------------------------------------------


def _typesystem(file: Path, root: Path) -> Path:
    """The type system beside ``file`` or in a folder above it, up to the folder named:
    a file named on its own takes only the one beside it, since nothing above was named."""
    top = root if root.is_dir() else root.parent
    for folder in (file.parent, *file.parent.parents):
        for name in (TYPESYSTEM, "typesystem.xml"):
            if (folder / name).is_file():
                return regular_file(folder / name, top)
        if folder == top:
            break
    if file.parent == top:
        raise FormatError(
            f"{file}: no {TYPESYSTEM} beside it (one in a folder above is read only when"
            " that folder is the one named)"
        )
    raise FormatError(f"{file}: no {TYPESYSTEM} beside it or in a folder above it")


#: Files whose annotator --annotator names: only this layout says who annotated.
_UNNAMED = "XMI files outside DIR/<document>/<annotator>.xmi"


def _layout(path: Path, options: FormatOptions) -> Iterator[tuple[Path, str, str]]:
    """(file, annotator, document): one file, or DIR/<document>/<annotator>.xmi."""
    if path.is_file():
        who = need_annotator(options, str(path), _UNNAMED)
        yield path, who, document_id(name_from_path(path.stem), str(path), "file name")
        return
    found = False
    for sub in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for file in sorted(p for p in sub.iterdir() if p.suffix == ".xmi"):
            found = True
            who = annotator_name(name_from_path(file.stem), str(file), "file name (the annotator)")
            yield (
                regular_file(file, path),
                who,
                document_id(name_from_path(sub.name), str(sub), "folder name"),
            )
    flat = sorted(p for p in path.iterdir() if p.suffix == ".xmi")
    for file in flat:
        found = True
        who = need_annotator(options, str(path), _UNNAMED)
        yield (
            regular_file(file, path),
            who,
            document_id(name_from_path(file.stem), str(file), "file name"),
        )
    if not found:
        raise FormatError(f"{path}: no .xmi files in the folder or its subfolders")


def read(path: Path, *, schema: Schema, options: FormatOptions) -> Iterator[Any]:
    cassis = _cassis()
    types = attribute_types(schema)
    skipped: dict[str, int] = {}
    systems: dict[Path, Any] = {}
    for file, annotator, doc_id in _layout(path, options):
        ts_path = _typesystem(file, path)
        if ts_path not in systems:
            try:
                with ts_path.open("rb") as handle:
                    systems[ts_path] = cassis.load_typesystem(handle)
            except _errors() as exc:
                raise FormatError(f"{ts_path}: not a UIMA type system: {exc}") from None
        yield from _read_cas(file, annotator, doc_id, systems[ts_path], types, options, skipped)
    if skipped:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(skipped.items()))
        options.warning(f"{path}: skipped {counts}")


def _read_cas(file: Path, annotator: str, doc_id: str, typesystem: Any, types: dict,
              options: FormatOptions, skipped: dict[str, int]) -> Iterator[Any]:  # fmt: skip
    cassis = _cassis()
    content = read_text_file(file, options)
    try:
        cas = cassis.load_cas_from_xmi(content, typesystem=typesystem, lenient=True)
    except _errors() as exc:
        raise FormatError(f"{file}: not a CAS this type system describes: {exc}") from None
    raw = cas.sofa_string or ""
    mapping, digest = carried_text(raw, str(file))
    spans, relations = [], []
    for fs in cas.select(_ANNOTATION):
        name = fs.type.name
        if name.startswith(_STRUCTURAL) or "TagsetDescription" in name:
            continue
        features = {f.name for f in fs.type.all_features} - _BUILT_IN
        if {"Governor", "Dependent"} <= features:
            relations.append(fs)
        elif fs.begin >= fs.end:
            skipped["zero-length span(s)"] = skipped.get("zero-length span(s)", 0) + 1
        else:
            spans.append(fs)
    try:
        mapping.prepare(o for fs in spans for o in (fs.begin, fs.end))
    except OffsetError as exc:
        raise FormatError(f"{file}: {exc}") from None
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(file))
    keys = {}
    for fs in spans:
        where = f"{file}: xmi:id {fs.xmiID}"
        label, attributes, note = _values(fs, types)
        keys[fs.xmiID] = f"{file}#{fs.xmiID}"
        try:
            start, end = mapping.to_normalized(fs.begin), mapping.to_normalized(fs.end)
        except OffsetError as exc:
            raise FormatError(f"{where}: {exc}") from None
        yield AnnotationDraft(
            document=doc_id, start=start, end=end, label=label, annotator=annotator,
            attributes=MappingProxyType(attributes), note=note, where=where,
            key=keys[fs.xmiID],
        )  # fmt: skip
    for fs in relations:
        ends = [fs.get("Governor"), fs.get("Dependent")]
        if any(end is None or end.xmiID not in keys for end in ends):
            skipped["relation(s) without both ends"] = (
                skipped.get("relation(s) without both ends", 0) + 1
            )
            continue
        label, _, _ = _values(fs, types, relation=True)
        yield LinkDraft(label, keys[ends[0].xmiID], keys[ends[1].xmiID], annotator,
                        where=f"{file}: xmi:id {fs.xmiID}")  # fmt: skip


def _values(fs: Any, types: dict, relation: bool = False) -> tuple[str, dict[str, Any], str]:
    """(label, attributes, note) of a feature structure."""
    plain = {}
    for feature in fs.type.all_features:
        if feature.name in _BUILT_IN or feature.name in ("Governor", "Dependent"):
            continue
        value = fs.get(feature.name)
        if (
            isinstance(value, (str, int, float))
            and not isinstance(value, bool)
            or isinstance(value, bool)
        ):
            plain[feature.name] = value
    key = next((k for k in ("label", "value") if isinstance(plain.get(k), str)), None)
    label = plain.pop(key) if key else fs.type.name.rsplit(".", 1)[-1]
    note = plain.pop("note", "") if isinstance(plain.get("note"), str) else ""
    if relation:
        return label, {}, ""
    attributes = {n: listed_value(typed_value(types, label, n, v)) for n, v in plain.items()}
    return label, attributes, note


# -- writing ------------------------------------------------------------------------------


def typesystem(attribute_names: list[str]) -> Any:
    """INCEpTION's shape of reader's layers: a span layer and a relation layer."""
    cassis = _cassis()
    ts = cassis.TypeSystem()
    span = ts.create_type(SPAN_TYPE, supertypeName=_ANNOTATION)
    for name in ["label", *attribute_names, "note"]:
        ts.create_feature(span, name, "uima.cas.String")
    link = ts.create_type(LINK_TYPE, supertypeName=_ANNOTATION)
    ts.create_feature(link, "Governor", SPAN_TYPE)
    ts.create_feature(link, "Dependent", SPAN_TYPE)
    ts.create_feature(link, "label", "uima.cas.String")
    return ts


def _string(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)


def cas_xmi(ts: Any, doc: Document, group: list[Annotation], links: list) -> str:
    """The XMI of one document and annotator."""
    cassis = _cassis()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = doc.text
    Span, Link = ts.get_type(SPAN_TYPE), ts.get_type(LINK_TYPE)
    made = {}
    for a in group:
        values = {n: _string(v) for n, v in a.attributes.items() if n not in SYSTEM_ATTRIBUTES}
        fs = Span(begin=a.start, end=a.end, label=a.label, **values)
        if a.note:
            fs.set("note", a.note)
        cas.add(fs)
        made[a.id] = fs
    for link in links:
        if link.source in made and link.target in made:
            target = made[link.target]
            cas.add(Link(begin=target.begin, end=target.end, Governor=made[link.source],
                         Dependent=target, label=link.type))  # fmt: skip
    return cas.to_xmi()


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    _cassis()
    names = {a.name for label in source.schema.labels for a in label.attributes}
    for a in source.iter_annotations(
        document=filters.document, annotator=filters.annotator, label=filters.label
    ):  # attributes an --add-labels label brought, which the schema does not list
        names.update(a.attributes)
    ts = typesystem(sorted(names - set(SYSTEM_ATTRIBUTES) - {"label", "note"}))
    count = 0
    with OutputFolder(dest, overwrite=options.overwrite, format_name="xmi") as folder:
        for doc, annotator, group, links in document_groups(source, filters, options, folder):
            with atomic_text(folder.path(doc.id, f"{annotator}.xmi"), newline="") as out:
                out.write(cas_xmi(ts, doc, group, links))
            count += len(group)
        with atomic_text(folder.path(TYPESYSTEM), newline="") as out:
            out.write(ts.to_xml())
    return count
