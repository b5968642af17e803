"""Checked getters: values taken out of a peer's record, refused with where and why.

Every format reads fields the same way, so a bad one is reported the same way:
``file:line: field: reason``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reader.core.errors import FormatError, ReaderError
from reader.core.formats.offsets import UNIT_NAMES, NormalizedText, OffsetError, UnitIndex
from reader.core.formats.registry import FormatOptions
from reader.core.model import check_annotator, check_document_id
from reader.core.schema import Schema
from reader.core.text import check_text, sha256


def fail(where: str, field: str | None, reason: str) -> FormatError:
    """The one shape of a format error: ``file:line: field: reason``."""
    return FormatError(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


_JSON_KINDS = {type(None): "null", bool: "true or false", int: "a number", float: "a number",
               str: "a string", list: "an array", dict: "an object"}  # fmt: skip


def json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words (a file's author never wrote NoneType)."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


def get_int(record: dict, key: str, where: str, field: str | None = None) -> int:
    if key not in record:
        raise fail(where, field or key, "missing")
    value = record[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(where, field or key, f"expected a whole number, got {value!r}")
    return value


def get_str(
    record: dict, key: str, where: str, field: str | None = None, *, optional: bool = False
) -> str | None:
    value = record.get(key)
    if value is None and optional:
        return None
    if key not in record:
        raise fail(where, field or key, "missing")
    if not isinstance(value, str):
        raise fail(where, field or key, f"expected text, got {value!r}")
    return value


def get_list(record: dict, key: str, where: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(where, key, f"expected a list, got {type(value).__name__}")
    return value


def carried_text(raw: str, where: str) -> tuple[NormalizedText, str]:
    """A document's text as an import file carries it, refused as an article file would
    be (``text.check_text``: size, empty, NUL, not UTF-8), with its normalized form and
    the SHA-256 of that."""
    try:
        check_text(raw, where)
    except ReaderError as exc:
        raise FormatError(str(exc)) from None
    mapping = NormalizedText(raw)
    return mapping, sha256(mapping.text)


def document_id(value: Any, where: str, field: str = "id") -> str:
    """A document id from a file, refused (with where and field) unless safe as a file name."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    try:
        return check_document_id(value)
    except ReaderError as exc:
        raise fail(where, field, str(exc)) from None


def annotator_name(value: Any, where: str, field: str = "annotator") -> str:
    try:
        return check_annotator(value)
    except ReaderError as exc:
        raise fail(where, field, str(exc)) from None


def need_annotator(options: FormatOptions, where: str, files: str) -> str:
    """``--annotator``, which ``files`` (a plural: 'brat files') need since they name none."""
    if options.annotator is None:
        raise FormatError(f"{where}: {files} do not say who annotated; pass --annotator NAME")
    return annotator_name(options.annotator, where, "--annotator")


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")  # ASCII digits: \d would take "١٠"

#: An offset written as text: ASCII digits only (``\d`` also matches Arabic-Indic and
#: other digits, which no peer writes), and short enough that int() never meets a
#: 5,000-digit number; 12 digits is far past any text's length.
_OFFSET = re.compile(r"[0-9]{1,12}")


def shown(value: str, limit: int = 40) -> str:
    """A value from a file, cut short for an error message."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def parse_offset(value: str, where: str, field: str) -> int:
    """An offset a text format writes (brat, PTC), refused unless plain ASCII digits."""
    if not _OFFSET.fullmatch(value):
        raise fail(where, field, f"expected an offset (ASCII digits 0-9), got {shown(value)}")
    return int(value)


def attribute_types(schema: Schema) -> dict[tuple[str, str], str]:
    """(label, attribute) -> type: built once per file, looked up once per value."""
    return {(label.name, a.name): a.type for label in schema.labels for a in label.attributes}


def typed_value(types: dict[tuple[str, str], str], label: str, name: str, value: Any) -> Any:
    """A format's text value as the schema types it: whole numbers for int attributes."""
    if (
        isinstance(value, str)
        and types.get((label, name)) == "int"
        and _WHOLE_NUMBER.fullmatch(value)
    ):
        return int(value)
    return value


def listed_value(value: Any) -> Any:
    """A multiple enum's values, which WebAnno TSV and UIMA XMI carry as one string
    (reader writes them as a JSON list of names), back as a list; any other value as it
    is. Both formats read it here, so a value written by one reads back from the other."""
    if isinstance(value, str) and value.startswith('["') and value.endswith('"]'):
        try:
            listed = json.loads(value)
        except ValueError:
            return value
        if isinstance(listed, list) and all(isinstance(v, str) for v in listed):
            return listed
    return value


def codepoint_span(
    index: UnitIndex, unit: str, start: int, end: int, where: str, field: str, hint: str = ""
) -> tuple[int, int]:
    """[start, end) as a peer counts (``unit``, ``index`` its translator), checked inside
    the text and turned into code points; else one line naming the field and the text's
    length in that unit, and ``hint`` (what else to try)."""
    if not 0 <= start < end <= index.length:
        raise fail(
            where, field,
            f"[{start}, {end}) is not inside the text ({index.length} {UNIT_NAMES[unit]}) with start < end",
        )  # fmt: skip
    try:
        return index.to_codepoint(start), index.to_codepoint(end)
    except OffsetError as exc:
        raise fail(where, field, f"{exc}{hint}") from None
