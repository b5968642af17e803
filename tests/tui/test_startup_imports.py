"""What start-up loads: the app's first paint must not wait for modules it does not
show (issue 14, item 7; ``python -m bench --only paint-skeleton`` times it).

A structural check, not a timed one: in a fresh interpreter, the CLI's part of a start
(options, the store, the corpus sync) and then the app up to its first screen, and
which modules are loaded at that point. Every module named here loads when its
feature is first used (a key, the palette, an export, a suggestion), never before.
"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

#: Modules no part of the first screen uses. Add to it when a feature moves off the
#: start-up path; a module on it that creeps back into an import at start-up fails here.
NOT_AT_START = (
    # the palette, help, export, and the screens a key opens
    "reader.tui.commands",
    "reader.tui.export_action",
    "reader.tui.screens.help",
    "reader.tui.screens.attributes",
    "reader.tui.screens.label_picker",
    "reader.tui.screens.link_picker",
    "reader.tui.screens.picker",
    "reader.tui.screens.search",
    "reader.tui.screens.claims",
    "reader.tui.screens.progress",
    "reader.tui.screens.review",
    "reader.core.codebook",
    # formats, bulk paths, re-anchoring a changed text
    "reader.core.formats",
    "reader.core.store.importer",
    "reader.core.store.merge",
    "reader.core.anchor",
    "sqlite_utils",
    # suggestions, numbers, claims, agreement, review
    "reader.core.links.suggest",
    "reader.core.claims",
    "reader.core.suggest",
    "reader.core.newslexer",
    "reader.core.prefill",
    "reader.core.vnnumbers",
    "reader.core.recommend",
    "reader.core.agreement",
    "reader.core.adjudication",
    "pygments",
    "underthesea",
)

_START = """
import asyncio, sys
from pathlib import Path

from reader.cli import cli

db, corpus = sys.argv[1], sys.argv[2]
# The CLI's start: options, key check, store, corpus sync. stdout is a pipe, so it stops
# where the app would open ("not a terminal").
cli.main(["--db", db, "--corpus", corpus, "--annotator", "ana"], standalone_mode=False)

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.annotate import AnnotateScreen


async def first_screen() -> list[str]:
    with Store.open(Path(db), annotator="ana") as store:
        app = ReaderApp(store)
        async with app.run_test(size=(160, 50)):
            assert isinstance(app.screen, AnnotateScreen), app.screen
            return sorted(sys.modules)


print("\\n".join(asyncio.run(first_screen())))
"""


def _loaded_at_start(tmp_path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _START, str(tmp_path / "a.db"), str(ROOT / "corpus")],
        capture_output=True,
        check=False,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_the_first_screen_loads_no_module_it_does_not_show(tmp_path):
    loaded = _loaded_at_start(tmp_path)
    # the run reached the app: its screen, the store and the article view are loaded
    assert {"reader.tui.app", "reader.core.store", "reader.tui.article_view"} <= loaded
    early = sorted(
        name
        for name in loaded
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_AT_START)
    )
    assert early == [], f"loaded before the first paint: {early}"
