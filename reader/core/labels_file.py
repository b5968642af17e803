"""Reading a labels file (TOML) into a Schema, and the shipped one.

A bad file is refused whole, with the file, the line and the reason; every title,
value and description is checked to be inert text, since each reaches the screen.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from reader.core.errors import SchemaError
from reader.core.links.values import ANY, LinkType
from reader.core.model import Attribute, Label
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema

ATTRIBUTE_TYPES = ("enum", "int", "text")

_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}|[a-z_]{3,20}")
_MAX_SCHEMA_BYTES = 1_000_000
_MAX_DESCRIPTION = 2_000


def _line_of(source_text: str, *patterns: str) -> int | None:
    """Best-effort line number for error messages: each pattern is searched after the
    place the previous one matched, so (table header, key) finds the key in that table."""
    line, pos = None, 0
    for pattern in patterns:
        match = re.compile(pattern, re.MULTILINE).search(source_text, pos)
        if match:
            line, pos = source_text.count("\n", 0, match.start()) + 1, match.start()
    return line


def parse_schema(raw: bytes, source: str) -> Schema:
    """Build a Schema from TOML bytes, refusing anything malformed with file and line."""
    if len(raw) > _MAX_SCHEMA_BYTES:
        raise SchemaError(f"{source}: labels file is larger than {_MAX_SCHEMA_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{source}: not UTF-8: byte offset {exc.start}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{source}: {exc}") from None

    def fail(reason: str, *patterns: str) -> SchemaError:
        line = _line_of(text, *patterns)
        where = f"{source}:{line}" if line else source
        return SchemaError(f"{where}: {reason}")

    labels_table = data.get("labels")
    if not isinstance(labels_table, dict) or not labels_table:
        raise fail("no [labels.NAME] tables")
    unknown_top = set(data) - {"labels", "links"}
    if unknown_top:
        key = min(unknown_top)
        raise fail(f"unknown top-level key {key!r}", rf"^\s*\[?{re.escape(key)}\b")

    labels: list[Label] = []
    keys: dict[str, str] = {}
    for name, spec in labels_table.items():
        header = rf"^\s*\[labels\.[\"']?{re.escape(name)}[\"']?\]"
        if not _NAME.fullmatch(name):
            raise fail(f"label name {name!r} must be lowercase letters, digits, _", header)
        if not isinstance(spec, dict):
            raise fail(f"label {name} must be a table", header)
        extra = set(spec) - {"title", "key", "color", "description", "attributes", "ordered"}
        if extra:
            raise fail(f"label {name}: unknown field {min(extra)!r}", header)
        key = _key(fail, "label", name, spec, keys, header)
        title = spec.get("title", name)
        color = spec.get("color", "magenta")
        if not isinstance(title, str) or not isinstance(color, str) or not _COLOR.fullmatch(color):
            raise fail(f"label {name}: title must be text and color a name or #rrggbb", header)
        _shown(fail, f"label {name}: title", title, header)
        attributes = _attributes(
            fail, f"label {name}", rf"labels\.[\"']?{re.escape(name)}[\"']?", spec
        )
        ordered = spec.get("ordered", [])
        ints = {a.name for a in attributes if a.type == "int"}
        if (
            not isinstance(ordered, list)
            or len(set(map(str, ordered))) != len(ordered)
            or not all(isinstance(n, str) and n in ints for n in ordered)
        ):
            raise fail(
                f"label {name}: ordered must list distinct int attributes of the label",
                header,
                r"^\s*ordered\s*=",
            )
        labels.append(
            Label(
                name=name,
                title=title,
                key=key,
                color=color,
                attributes=tuple(attributes),
                description=_description(fail, f"label {name}", spec, header),
                ordered=tuple(ordered),
            )
        )
    links = _link_types(fail, data.get("links", {}), {label.name for label in labels})
    return Schema(labels=tuple(labels), source=source, links=links)


def _key(
    fail: Callable[..., SchemaError], kind: str, name: str, spec: dict, keys: dict, at: str
) -> str:
    """The ``key`` of a label or a link type (``kind``): one printable character, not
    taken by another of its kind (``keys``, key -> name, gets this one)."""
    key = spec.get("key")
    if not isinstance(key, str) or len(key) != 1 or not key.isprintable() or key == " ":
        raise fail(f"{kind} {name}: key must be one printable character", at)
    if key in keys:
        raise fail(
            f"{kind} {name}: key {key!r} is already used by {kind} {keys[key]}",
            at,
            rf"^\s*key\s*=\s*[\"']{re.escape(key)}[\"']",
        )
    keys[key] = name
    return key


def _attributes(
    fail: Callable[..., SchemaError], owner: str, header: str, spec: dict
) -> tuple[Attribute, ...]:
    """The ``attributes`` sub-tables of a label or a link type (``owner`` names it in errors,
    ``header`` is the pattern of its table header)."""
    attributes: list[Attribute] = []
    table = spec.get("attributes") or {}
    if not isinstance(table, dict):
        raise fail(f"{owner}: attributes must be tables", rf"^\s*\[{header}\]")
    for attr_name, attr in table.items():
        attr_header = rf"^\s*\[{header}\.attributes\.[\"']?{re.escape(attr_name)}[\"']?\]"
        if not _NAME.fullmatch(attr_name) or attr_name in SYSTEM_ATTRIBUTES:
            raise fail(f"{owner}: bad attribute name {attr_name!r}", attr_header)
        if not isinstance(attr, dict):
            raise fail(f"{owner}: attribute {attr_name} must be a table", attr_header)
        kind = attr.get("type")
        if kind not in ATTRIBUTE_TYPES:
            raise fail(
                f"{owner}: attribute {attr_name}: unknown type {kind!r} "
                f"(one of {', '.join(ATTRIBUTE_TYPES)})",
                attr_header,
            )
        values = attr.get("values", [])
        if kind == "enum":
            if not values or not all(isinstance(v, str) and v for v in values):
                raise fail(f"{owner}: attribute {attr_name}: enum needs values", attr_header)
            if len(set(values)) != len(values):
                raise fail(f"{owner}: attribute {attr_name}: duplicate values", attr_header)
            for value in values:
                _shown(
                    fail,
                    f"{owner}: attribute {attr_name}: value {value[:20]!r}",
                    value,
                    attr_header,
                )
        extra = set(attr) - {
            "type", "values", "title", "minimum", "maximum", "description", "descriptions",
            "multiple",
        }  # fmt: skip
        multiple = attr.get("multiple", False)
        if not isinstance(multiple, bool) or (multiple and kind != "enum"):
            raise fail(
                f"{owner}: attribute {attr_name}: multiple is true or false, and only for an enum",
                attr_header,
            )
        if extra:
            raise fail(f"{owner}: attribute {attr_name}: unknown field {min(extra)!r}", attr_header)
        described = attr.get("descriptions", {})
        if not isinstance(described, dict) or not all(
            isinstance(v, str) and len(v) <= _MAX_DESCRIPTION for v in described.values()
        ):
            raise fail(
                f"{owner}: attribute {attr_name}: descriptions must map values to text "
                f"(at most {_MAX_DESCRIPTION} characters)",
                attr_header,
            )
        stray = [v for v in described if v not in values]
        if stray:
            raise fail(
                f"{owner}: attribute {attr_name}: description of {stray[0]!r}, "
                "which is not one of its values",
                attr_header,
                rf"^\s*[\"']?{re.escape(stray[0])}[\"']?\s*=",
            )
        title = str(attr.get("title", attr_name))
        _shown(fail, f"{owner}: attribute {attr_name}: title", title, attr_header)
        bounds = [attr.get("minimum"), attr.get("maximum")]
        if any(b is not None and (not isinstance(b, int) or isinstance(b, bool)) for b in bounds):
            raise fail(f"{owner}: attribute {attr_name}: bounds must be integers", attr_header)
        attributes.append(
            Attribute(
                name=attr_name,
                type=kind,
                values=tuple(values),
                title=title,
                minimum=bounds[0],
                maximum=bounds[1],
                description=_description(
                    fail, f"{owner}: attribute {attr_name}", attr, attr_header
                ),
                value_descriptions=tuple((v, described[v]) for v in values if v in described),
                multiple=multiple,
            )
        )
    return tuple(attributes)


def _description(fail: Callable[..., SchemaError], owner: str, spec: dict, header: str) -> str:
    """A table's ``description``: text for the codebook, of bounded length."""
    text = spec.get("description", "")
    if not isinstance(text, str) or len(text) > _MAX_DESCRIPTION:
        raise fail(
            f"{owner}: description must be text of at most {_MAX_DESCRIPTION} characters",
            header,
            r"^\s*description\s*=",
        )
    return " ".join(text.split())  # the codebook shows it inert


def _shown(fail: Callable[..., SchemaError], what: str, text: str, *at: str) -> str:
    """``text`` if it holds no control or invisible character: titles and values reach
    the status line, the footer, the help and the selects as they are, where an escape
    sequence would act on the terminal and a bidi override disguise them."""
    for i, ch in enumerate(text):
        if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
            raise fail(
                f"{what} has a control or invisible character U+{ord(ch):04X} at position {i}",
                *at,
            )
    return text


def _link_types(
    fail: Callable[..., SchemaError], table: Any, label_names: set[str]
) -> tuple[LinkType, ...]:
    """The ``[links.NAME]`` tables: each names the labels it runs from and to (or ``*``)."""
    if not isinstance(table, dict):
        raise fail("links must be [links.NAME] tables", r"^\s*links\b")
    types: list[LinkType] = []
    keys: dict[str, str] = {}
    for name, spec in table.items():
        header = rf"links\.[\"']?{re.escape(name)}[\"']?"
        at = rf"^\s*\[{header}\]"
        if not _NAME.fullmatch(name):
            raise fail(f"link type name {name!r} must be lowercase letters, digits, _", at)
        if not isinstance(spec, dict):
            raise fail(f"link type {name} must be a table", at)
        extra = set(spec) - {
            "title",
            "key",
            "from",
            "to",
            "directed",
            "across_documents",
            "attributes",
        }
        if extra:
            raise fail(f"link type {name}: unknown field {min(extra)!r}", at)
        key = _key(fail, "link type", name, spec, keys, at)
        title = spec.get("title", name)
        if not isinstance(title, str):
            raise fail(f"link type {name}: title must be text", at)
        _shown(fail, f"link type {name}: title", title, at)
        ends = []
        for field in ("from", "to"):
            raw = spec.get(field, ANY)
            labels = (raw,) if isinstance(raw, str) else raw
            if (
                not isinstance(labels, list | tuple)
                or not labels
                or not all(isinstance(l, str) for l in labels)
            ):
                raise fail(
                    f'link type {name}: {field} must be a label, a list of labels or "*"', at
                )
            unknown = [l for l in labels if l != ANY and l not in label_names]
            if unknown:
                raise fail(
                    f"link type {name}: {field}: unknown label {unknown[0]!r} "
                    f"(known: {', '.join(sorted(label_names))})",
                    at,
                    rf"^\s*{field}\s*=",
                )
            ends.append(tuple(labels))
        flags = []
        for field, default in (("directed", True), ("across_documents", False)):
            value = spec.get(field, default)
            if not isinstance(value, bool):
                raise fail(
                    f"link type {name}: {field} must be true or false", at, rf"^\s*{field}\s*="
                )
            flags.append(value)
        types.append(
            LinkType(
                name=name,
                title=title,
                key=key,
                sources=ends[0],
                targets=ends[1],
                directed=flags[0],
                across_documents=flags[1],
                attributes=_attributes(fail, f"link type {name}", header, spec),
            )
        )
    return tuple(types)


@cache
def default_schema() -> Schema:
    """The shipped schema, parsed once per process (a Schema is frozen): the app's start
    reads it for the key check and again for the store."""
    raw = Path(__file__).with_name("labels.toml").read_bytes()
    return parse_schema(raw, "reader/core/labels.toml")


def load_schema(path: str | Path | None) -> Schema:
    """The schema from a user's file, or the shipped default when ``path`` is None."""
    if path is None:
        return default_schema()
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_SCHEMA_BYTES:
            raise SchemaError(f"{path}: labels file is larger than {_MAX_SCHEMA_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read labels file: {exc.strerror}") from None
    return parse_schema(raw, str(path))
