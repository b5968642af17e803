"""WebAnno TSV 3.3's lexical layer: how values and sentence texts are escaped, and how a
cell's stacked values and disambiguation ids are cut apart (INCEpTION's Escaping.java and
Tsv3XDeserializer). Pieces stay escaped until a value is taken out of them."""

from __future__ import annotations

HEADER = "#FORMAT=WebAnno TSV 3.3"
#: reader's own layers, in INCEpTION's shape: a span layer and a relation layer.
LAYER = "webanno.custom.ReaderSpan"
LINK_LAYER = "webanno.custom.ReaderLink"

_VALUE_OUT = {"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "_": "\\_", ";": "\\;",
              "\t": "\\t", "\n": "\\n", "*": "\\*"}  # fmt: skip
VALUE_IN = {"t": "\t", "n": "\n"}
TEXT_IN = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}


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


def unescape(text: str, table: dict[str, str]) -> str:
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


def split(value: str, sep: str) -> list[str]:
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


def disambiguated(piece: str) -> tuple[str, str | None]:
    """``LABEL[3]`` -> (``LABEL``, ``"3"``); the bracket must not be escaped."""
    if piece.endswith("]"):
        parts = split(piece[:-1], "[")
        if len(parts) > 1 and parts[-1].replace("_", "").isdigit():
            return "[".join(parts[:-1]), parts[-1]
    return piece, None
