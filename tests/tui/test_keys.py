"""The key registry (reader.keys) is the one table: bindings, help, palette and the
schema-key check all follow it, and adding a key there reaches all four."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from textual.keys import key_to_character

from reader.keys import SCOPES, app_keys
from tests.helpers import ROOT


def test_printable_keys_are_written_as_characters_so_the_check_sees_them():
    """'slash' would bind '/' in Textual yet slip past the schema-key check."""
    for scope in SCOPES.values():
        for key in scope.keys:
            for name in key.keys.split(","):
                if len(name) > 1:
                    character = key_to_character(name)
                    assert character is None or not character.isprintable(), (scope.name, name)


def test_the_label_key_check_sees_every_printable_key_live_beside_the_labels():
    keys = app_keys()
    for key in ("/", "+", "-", "a", "d", "?", "0", "[", "G", "r"):
        assert key in keys, key
    assert keys["a"] == "Annotation list on/off (annotator)"
    assert keys["0"] == "Take neither (review)"
    assert not {"1", "2", "3"} & set(keys)  # the default labels' keys stay free
    assert "q" not in keys  # help's own close key: modal, never beside a label


# Run in a fresh interpreter: classes read the registry when they are defined, so the
# new key must be in the table before reader.tui is imported, as it is in the source.
ONE_NEW_KEY = textwrap.dedent(
    """
    import asyncio, dataclasses, sys, tempfile
    from pathlib import Path

    import reader.keys as keys
    from reader.core.errors import SchemaError
    from reader.core.labels_file import load_schema

    new = keys.Key("z", "toggle_sync", "Test: scroll together", footer=True)
    keys.SCOPES["annotate"] = dataclasses.replace(
        keys.SCOPES["annotate"], keys=keys.SCOPES["annotate"].keys + (new,)
    )
    assert keys.app_keys()["z"] == "Test: scroll together (annotator)"
    labels = Path(tempfile.mkdtemp()) / "labels.toml"
    labels.write_text('[labels.c]\\ntitle = "C"\\nkey = "z"\\ncolor = "red"\\n')
    try:
        keys.check_schema_keys(load_schema(labels))
        raise SystemExit("a label on z was not refused")
    except SchemaError as exc:
        assert "Test: scroll together" in str(exc), exc

    from reader.core.store import Store
    from reader.tui.app import ReaderApp
    from reader.tui.commands import ActionsProvider
    from tests.helpers import make_document

    async def main():
        store = Store.open(Path(tempfile.mkdtemp()) / "a.db", annotator="lan")
        store.sync_documents([make_document("d", "Một hai ba.\\n")])
        app = ReaderApp(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert not screen.sync_scroll
            await pilot.press("z")
            assert screen.sync_scroll, "the key is not bound"
            footer = [b.description for _, b, _, _ in screen.active_bindings.values() if b.show]
            assert "Test: scroll together" in footer, footer
            rows = dict(app.help_sections())["Annotations and documents"]
            assert ("z", "Test: scroll together") in rows, rows
            titles = [t for t, _, _ in ActionsProvider(screen)._commands()]
            assert "Test: scroll together" in titles, titles
        store.close()

    asyncio.run(main())
    print("ok")
    """
)


def test_one_new_entry_in_the_registry_binds_it_and_lists_it_in_help_palette_and_check():
    result = subprocess.run(
        [sys.executable, "-c", ONE_NEW_KEY], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr[-3000:]


def test_every_bindings_block_says_what_its_keys_are_for():
    import ast

    missing = []
    for path in sorted((ROOT / "reader" / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                body = node.body
                for i, stmt in enumerate(body):
                    target = (
                        getattr(stmt, "target", None)
                        or (getattr(stmt, "targets", None) or [None])[0]
                    )
                    if isinstance(target, ast.Name) and target.id == "BINDINGS":
                        doc = body[i + 1] if i + 1 < len(body) else None
                        if not (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)):
                            missing.append(f"{path.name}:{node.name}")
    assert not missing, missing


def test_a_link_type_key_is_checked_where_link_types_are_chosen(monkeypatch):
    """The default link keys (s, =, c) are annotate keys too, so links are chosen on a
    screen of their own: once that screen's scope says so, its keys are refused."""
    from reader.core.errors import SchemaError
    from reader.core.labels_file import load_schema
    from reader.keys import Key, Scope, check_schema_keys

    schema = load_schema(None)
    check_schema_keys(schema)  # nothing binds link keys yet: the default schema passes
    picker = Scope("link-picker", "link picker", (Key("s", "swap", "Swap ends"),), None, ("links",))
    monkeypatch.setitem(SCOPES, "link-picker", picker)
    with pytest.raises(
        SchemaError,
        match="link type source_of: key 's' is already the app's key "
        r"for Swap ends \(link picker\); choose another$",
    ):
        check_schema_keys(schema)
