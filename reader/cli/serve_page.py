"""The page `reader serve` hands a browser: the terminal, and nothing from elsewhere.

textual-serve's own page links a web font host, which an offline machine (or a team
behind a firewall) cannot reach; the terminal then starts in whatever font the browser
falls back to, and letters with two diacritics can come out split ("sô´"). This page
loads nothing beyond the server: the stylesheet and script textual-serve serves under
/static/, and Roboto Mono from the same folder. That font file ships inside the
textual-serve package (Apache License 2.0, 184 KB, regular and italic), and draws every
precomposed Vietnamese letter (U+1EA0-U+1EF9, Ơ, Ư, Đ and Latin-1); characters it lacks
(box drawing, emoji) come from the system's monospace, as the font stack says.

The terminal is created only once the font is loaded (xterm.js measures a cell once,
when it starts), and it takes the keyboard focus at once, so keys work without a click.
"""

from __future__ import annotations

from html import escape

#: The Roboto Mono files textual-serve installs under its static folder.
FONT = "fonts/RobotoMono-VariableFont_wght.ttf"
FONT_ITALIC = "fonts/RobotoMono-Italic-VariableFont_wght.ttf"

_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="preload" href="{static}{font}" as="font" type="font/ttf" crossorigin>
<link rel="stylesheet" href="{static}css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{static}{font}") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{static}{font_italic}") format("truetype"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; overflow: hidden; }}
#terminal {{ width: 100vw; height: 100vh; }}
.closed {{ display: none; position: absolute; inset: 0; z-index: 10; align-items: center;
  justify-content: center; flex-direction: column; background: #0c181f; color: #eee;
  font: 16px "Roboto Mono", monospace; }}
body.-closed .closed {{ display: flex; }}
.closed a {{ color: #ac5af4; margin-top: 1em; }}
</style>
<script src="{static}js/textual.js"></script>
<script>
// textual.js starts its terminal in window.onload; start it once the font is there
// (a cell is measured once), then give it the keyboard.
(() => {{
  const start = window.onload;
  window.onload = async (event) => {{
    try {{ await document.fonts.load('{font_size}px "Roboto Mono"', "Số liệu"); }} catch (e) {{}}
    start(event);
    const keys = document.querySelector("#terminal textarea.xterm-helper-textarea");
    if (keys) keys.focus();
  }};
}})();
</script>
</head><body>
<div class="closed"><div>Session ended.</div><a href="">Start again</a></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}"
 data-font-size="{font_size}"></div>
</body></html>
"""


def app_page(*, title: str, static_url: str, websocket_url: str, font_size: int) -> str:
    """The HTML of the annotator's page; every value is escaped (the title carries the
    annotator's name, which may come from the address)."""
    return _PAGE.format(
        title=escape(title),
        static=escape(static_url, quote=True),
        websocket=escape(websocket_url, quote=True),
        font=FONT,
        font_italic=FONT_ITALIC,
        font_size=int(font_size),
    )
