"""Making outside text inert before it reaches a terminal.

Articles, notes, annotator names and file names can hold escape sequences (``ESC[2J``,
OSC 52 clipboard writes), bidirectional overrides or zero-width characters. Printed
raw, they would act on the user's terminal or disguise what is shown. Rich markup is
avoided separately, by always building ``Text`` objects; this module handles the bytes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

# The one table of characters that must not reach a terminal raw: C0 and C1 controls
# (but newline and tab, which callers decide about), DEL, bidi marks, embeddings,
# overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9), zero-width and other
# invisible format characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = True) -> str:
    """Text with every control or invisible character spelled out as an escape."""
    text = _INVISIBLE.sub(_escape, text)
    if not keep_newlines:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return text


def visible_char(ch: str) -> str:
    """A one-code-point stand-in for a character the screen must not interpret.

    Used by the article view, where offsets map 1:1 to characters, so an escape
    sequence must stay one character wide in code points.
    """
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    if _INVISIBLE.fullmatch(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return (
            "\ufffd"
            if unicodedata.category(ch) != "Zl" and unicodedata.category(ch) != "Zp"
            else " "
        )
    return ch


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class TerminalSafe:
    """A text stream for a terminal: the characters above are written as ``\\uXXXX``.

    Inside JSON strings that is the same value, so JSON exports stay exact; in CSV it is
    a visible stand-in (write to a file or a pipe for the raw bytes).
    """

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(_INVISIBLE.sub(_json_escape, text))

    def flush(self) -> None:
        self.stream.flush()


def plural(n: int, word: str, words: str = "") -> str:
    """``n`` and ``word``, or its plural ``words`` (default: with an s) unless one:
    "1 annotation", "0 links", "2 statuses" (the CLI's reports and the app's counts)."""
    return f"{n} {word if n == 1 else words or word + 's'}"
