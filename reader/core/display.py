"""Making outside text inert before it reaches a terminal.

Articles, notes, annotator names and file names can hold escape sequences (``ESC[2J``,
OSC 52 clipboard writes), bidirectional overrides or zero-width characters. Printed
raw, they would act on the user's terminal or disguise what is shown. Rich markup is
avoided separately, by always building ``Text`` objects; this module handles the bytes.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (but newline and tab, which callers decide about), DEL, bidi
# embeddings/overrides/isolates, zero-width and other invisible format characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
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
