"""The in-app export: what a browser session downloads (the browser test sees the download)."""

from __future__ import annotations

import json
from datetime import datetime

from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.export_action import export_filename, export_jsonl
from tests.tui.waiting import run_command, until

WHEN = datetime(2022, 1, 8, 9, 30, 0)


def test_file_names_are_ascii_whatever_the_annotator_name():
    assert export_filename("Lân Đỗ", WHEN) == "reader-Lan-Do-20220108-093000.jsonl"
    assert export_filename("lan", WHEN) == "reader-lan-20220108-093000.jsonl"
    assert export_filename("中文 👩‍💻", WHEN) == "reader-annotator-20220108-093000.jsonl"
    assert export_filename('a b"c;d', WHEN) == "reader-a-b-c-d-20220108-093000.jsonl"


def _two_annotators(store: Store) -> None:
    text = store.document("vn1").text
    start = text.index("164 người")
    store.create("vn1", start, start + len("164 người"), "casualty")
    other = Store.open(store.path, annotator="minh")
    try:
        other.create("vn1", 0, 4, "propaganda")
    finally:
        other.close()


def test_export_holds_only_my_annotations_as_reader_export_writes_them(vn_store, tmp_path):
    _two_annotators(vn_store)
    text, count = export_jsonl(vn_store)
    records = [json.loads(line) for line in text.splitlines()]
    assert count == 1 and [r["annotator"] for r in records] == ["lan"]
    assert records[0]["text"] == "164 người" and records[0]["label"] == "casualty"

    out = tmp_path / "cli.jsonl"
    result = CliRunner().invoke(
        cli, ["export", "--db", str(vn_store.path), "--annotator", "lan", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == text


async def test_the_palette_command_delivers_the_jsonl(vn_store):
    _two_annotators(vn_store)
    app = ReaderApp(vn_store, panes=1)
    delivered: list[tuple[str, dict]] = []
    # No Downloads folder in tests: keep what would be delivered.
    app.deliver_text = lambda file, **kwargs: delivered.append((file.read(), kwargs))
    async with app.run_test(size=(120, 30)) as pilot:
        await run_command(pilot, "Export annotations")
        await until(pilot, lambda: delivered, "the export delivered")
    assert len(delivered) == 1
    content, options = delivered[0]
    assert content == export_jsonl(vn_store)[0]
    assert (
        options["save_filename"].startswith("reader-lan-")
        and options["mime_type"] == "application/x-ndjson"
    )


async def _palette_export(app: ReaderApp, pilot, wanted: str) -> str:
    """Run the palette's export and wait for the notice that says where the file went
    or why it did not (it comes when the delivery thread is done)."""
    await run_command(pilot, "Export annotations")
    said = lambda: " ".join(n.message for n in app._notifications)
    await until(pilot, lambda: wanted in said(), lambda: f"{wanted!r} in the notices: {said()}")
    return said()


async def test_a_terminal_export_says_where_it_went_or_that_it_did_not(
    vn_store, tmp_path, monkeypatch
):
    """Over SSH there is often no ~/Downloads: the app said 'sent to your downloads
    folder' and nothing was written. It now says where the file is, or why it is not."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    _two_annotators(vn_store)
    app = ReaderApp(vn_store, panes=1)
    async with app.run_test(size=(120, 30)) as pilot:
        said = await _palette_export(app, pilot, "not saved")
        assert "not saved" in said and "reader export --annotator lan -o FILE" in said, said
        assert "sent to your downloads folder" not in said
        app.clear_notifications()
        (tmp_path / "Downloads").mkdir()
        said = await _palette_export(app, pilot, "saved to")
    [written] = (tmp_path / "Downloads").iterdir()
    assert f"1 annotation of lan saved to {written}" in said, said
    assert written.read_text("utf-8") == export_jsonl(vn_store)[0]
