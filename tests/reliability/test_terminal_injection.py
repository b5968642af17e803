"""Markup and escape sequences in notes and attribute values stay inert, in the app and
in every command's output."""

from __future__ import annotations

import html
import re

from click.testing import CliRunner

from reader.cli import cli
from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import CORPUS

HOSTILE = "[bold red]đỏ[/] [link=file:///etc]x[/link] \x1b[2J\x1b]52;c;aGk=\x07 \u202eabc\u200b"


def hostile_db(path):
    with Store.open(path, annotator="lan") as store:
        store.sync_documents(read_corpus(CORPUS))
        doc = store.documents()[0].id
        ann = store.create(
            doc, 0, 4, "attribution", attributes={"source": HOSTILE, "cue": "nói"}, note=HOSTILE
        )
        store.set_status(doc, "done")
    return doc, ann


def screen_text(app) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def test_app_shows_hostile_attribute_values_literally(tmp_path):
    hostile_db(tmp_path / "a.db")
    store = Store.open(tmp_path / "a.db", annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("a")  # the annotation list shows attribute values
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold red]đỏ[/]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        await pilot.press("escape", "e")  # the attribute editor shows them too
        await pilot.pause()
        shown = screen_text(app)
        assert "\x1b" not in shown and "\u202e" not in shown
        await pilot.press("ctrl+s")  # saved unchanged: the stored values stay exactly as they were
        await pilot.pause()
    [ann] = list(store.iter_annotations())
    assert ann.note == HOSTILE and ann.attributes["source"] == HOSTILE
    store.close()


def test_cli_outputs_never_carry_escape_bytes(tmp_path):
    db = str(tmp_path / "a.db")
    hostile_db(tmp_path / "a.db")
    runner = CliRunner()
    for args in (["stats"], ["stats", "--json"], ["agree", "--all-documents"], ["suggest"], ["align"],
                 ["export", "--format", "jsonl"]):  # fmt: skip
        # (CSV to a file or pipe keeps the data as it is; to a terminal it is escaped, which
        # tests/cli/test_transfer.py checks on a real pty.)
        result = runner.invoke(cli, [*args, "--db", db])
        assert result.exit_code == 0, (args, result.output)
        assert "\x1b" not in result.output and "\x07" not in result.output, args


def test_exports_to_a_terminal_and_printed_text_share_one_escape_table():
    """Every character ``inert`` spells out (controls, bidi marks and overrides,
    zero-width and other invisible characters), TerminalSafe writes as ``\\uXXXX`` too,
    and no other: one table, two spellings (JSON's for exports)."""
    import io

    from reader.core.display import TerminalSafe, inert

    for code in [*range(0x3000), *range(0xFE00, 0x10000)]:
        ch = chr(code)
        if ch in "\n\t" or 0xD800 <= code < 0xE000:
            continue
        out = io.StringIO()
        TerminalSafe(out).write(ch)
        assert (out.getvalue() != ch) == (inert(ch) != ch), hex(code)
        if out.getvalue() != ch:
            assert out.getvalue() == f"\\u{code:04x}", hex(code)


async def test_zero_width_characters_in_an_article_show_as_stand_ins(tmp_path):
    """Issue 13, finding 15: U+200B was drawn raw, invisible, in the article pane."""
    from reader.tui.article_view import ArticleView
    from tests.helpers import make_document

    text = "Xin\u200bchào\u2060bạn\ufeffnhé\u180e.\n"
    store = Store.open(tmp_path / "a.db", annotator="lan")
    store.sync_documents([make_document("zw", text)])
    app = ReaderApp(store, panes=1)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Xin\ufffdchào\ufffdbạn\ufffdnhé\ufffd." in shown
        for invisible in "\u200b\u2060\ufeff\u180e":
            assert invisible not in shown
        view = app.screen.query(ArticleView).first()
        await pilot.press(*["right"] * 4)  # one stand-in is one character: offsets stay exact
        assert view.cursor == 4 and text[view.cursor] == "c"
    store.close()
