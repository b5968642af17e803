"""The annotator's start: the first paint must not wait for modules it does not show,
nor for the garbage collector (issue 14, item 7; ``python -m bench --only
paint-skeleton`` times it).

Structural checks, not timed ones, each in a fresh interpreter: the CLI's part of a
start (options, the store, the corpus sync) and then the app up to its first screen,
and which modules are loaded at that point (every module named here loads when its
feature is first used: a key, the palette, an export, a suggestion); and when the
collector that ``reader`` pauses (``reader.startup``) runs again.
"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

#: Modules no part of the first screen uses. Add to it when a feature moves off the
#: start-up path; a module on it that creeps back into an import at start-up fails here.
NOT_AT_START = (
    # the command line's parser: the plain `reader [options]` is read without it
    "click",
    "reader.cli.common",
    "reader.cli.group",
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
    # grapheme clusters (text made only of simple code points wraps without them), the
    # passages' words, search
    "regex",
    # passages shared with other documents (aligned after the first paint)
    "reader.core.alignmap",
    # a document's digest: only the first start, which reads every article, needs it
    "hashlib",
)
#: Loaded by the first start on a new database only (the articles are read and hashed).
FIRST_SYNC = ("hashlib",)

_START = """
import asyncio, sys, time
from pathlib import Path

from reader.cli import main

db, corpus = sys.argv[1], sys.argv[2]
# The CLI's start, as the `reader` script makes it: options, key check, store, corpus
# sync. stdout is a pipe, so it stops where the app would open ("not a terminal").
sys.argv = ["reader", "--db", db, "--corpus", corpus, "--annotator=ana"]
main()

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.annotate import AnnotateScreen

# What is loaded when the annotate screen's first frame goes to the terminal. Read
# later, a slow machine's after-paint workers (passages, words) may have run.
at_first_paint: list[str] = []


async def first_screen() -> list[str]:
    with Store.open(Path(db), annotator="ana") as store:
        app = ReaderApp(store)
        display = app._display

        def first_paint(screen, renderable) -> None:
            if not at_first_paint and isinstance(screen, AnnotateScreen) and renderable:
                at_first_paint.extend(sorted(sys.modules))
            display(screen, renderable)

        app._display = first_paint  # each frame the app sends to its terminal
        async with app.run_test(size=(160, 50)) as pilot:
            assert isinstance(app.screen, AnnotateScreen), app.screen
            deadline = time.monotonic() + 30  # a bound for a loaded machine, not a measurement
            while not at_first_paint and time.monotonic() < deadline:
                await pilot.pause()
            assert at_first_paint, "no frame of the annotate screen within 30 s"
            return at_first_paint


print("\\n".join(asyncio.run(first_screen())))
"""


def _python(code: str, *args: str) -> str:
    """What ``code`` prints, run in a fresh interpreter with ``args``."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, check=False, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_first_screen_loads_no_module_it_does_not_show(tmp_path):
    """The first start (a new database) and the next one (the corpus unchanged)."""
    for first in (True, False):
        loaded = set(_python(_START, str(tmp_path / "a.db"), str(ROOT / "corpus")).split())
        # the run reached the app: its screen, the store and the article view are loaded
        assert {"reader.tui.app", "reader.core.store", "reader.tui.article_view"} <= loaded
        early = sorted(
            name
            for name in loaded
            if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_AT_START)
        )
        assert early == (list(FIRST_SYNC) if first else []), f"loaded at first paint: {early}"


_COLLECTOR = """
import asyncio, gc, sys, time
from pathlib import Path

from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.startup import pause_collection
from reader.tui.app import ReaderApp
from reader.tui.screens.annotate import AnnotateScreen

db, corpus = Path(sys.argv[1]), Path(sys.argv[2])
with Store.open(db, annotator="ana") as store:
    store.sync_documents(read_corpus(corpus))
pause_collection()  # as `reader` does


async def run() -> None:
    with Store.open(db, annotator="ana") as store:
        app = ReaderApp(store)
        display = app._display
        at_first_paint: list[bool] = []  # whether the collector ran as the first frame went out

        def first_paint(screen, renderable) -> None:
            if not at_first_paint and isinstance(screen, AnnotateScreen) and renderable:
                at_first_paint.append(gc.isenabled())
            display(screen, renderable)

        app._display = first_paint  # each frame the app sends to its terminal
        async with app.run_test(size=(160, 50)) as pilot:
            # run_test's own pauses may end after the collector is back: wait for both
            # (the bound is for a loaded machine, not a measurement)
            deadline = time.monotonic() + 30
            while not (at_first_paint and gc.isenabled()) and time.monotonic() < deadline:
                await pilot.pause()
            print("paused", at_first_paint == [False])
            print("resumed", gc.isenabled(), gc.get_freeze_count() > 0)


asyncio.run(run())
"""


def test_the_app_resumes_the_collector_after_its_first_paint(tmp_path):
    """`reader` starts without the garbage collector (reader.startup); the app starts it
    again once its first screen is drawn, with start-up's objects frozen."""
    shown = _python(_COLLECTOR, str(tmp_path / "a.db"), str(ROOT / "corpus"))
    assert shown.split("\n")[:2] == ["paused True", "resumed True True"]


_COMMAND = """
import gc, sys
from reader.cli import main

collections = []
gc.callbacks.append(lambda phase, info: collections.append(phase))
sys.argv = ["reader", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
finally:
    print("ran with it", bool(collections), "on after", gc.isenabled())
"""


def test_a_command_runs_with_the_collector(tmp_path):
    """Only the annotator's start goes without it: a command (an import of a million
    lines) runs with it, and `reader` gives it back however it ends."""
    db = str(tmp_path / "a.db")
    shown = [
        _python(_COMMAND, *args).strip().splitlines()[-1]
        for args in (["--corpus", str(ROOT / "corpus"), "--db", db], ["stats", "--db", db])
    ]
    # the annotator's start (stdout is a pipe: it syncs and stops) goes without it
    assert shown == ["ran with it False on after True", "ran with it True on after True"]


async def test_a_document_opened_before_the_first_layout_is_wrapped_once(corpus_store, monkeypatch):
    """The screen opens its documents in on_mount, before the views have a size: they
    are laid out at the first resize, at the pane's width, not wrapped whole at width 1
    (a row per character) first."""
    from reader.tui import layout
    from reader.tui.app import ReaderApp

    wrapped: list[tuple[int, int]] = []  # (width, length of the text) of each eager wrap
    wrap_all = layout.Layout.set_width

    def set_width(self, width: int) -> None:
        if len(self.text) <= self.eager_limit:
            wrapped.append((width, len(self.text)))
        wrap_all(self, width)

    monkeypatch.setattr(layout.Layout, "set_width", set_width)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        lengths = {len(pane.view.text) for pane in app.screen.panes}
    assert {length for _, length in wrapped} == lengths and all(n > 0 for n in lengths)
    assert {width for width, _ in wrapped} == {75}  # 160 columns: two panes, less borders


_SESSION = """
import asyncio, gc, runpy, sys
from pathlib import Path

from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp

db, corpus = sys.argv[1], Path(sys.argv[2])
with Store.open(Path(db), annotator="ana") as store:
    store.sync_documents(read_corpus(corpus))  # as the server does, before any session
shown = []


def run(self) -> None:  # the session's app, driven headless instead of over a websocket
    async def session() -> None:
        async with self.run_test(size=(160, 50)) as pilot:
            shown.append(f"paused {not gc.isenabled()}")

            async def resumed() -> None:
                while not gc.isenabled():
                    await pilot.pause()

            await asyncio.wait_for(resumed(), 60)  # a bound for a failure, not a measure
            shown.append(f"resumed {gc.isenabled()} {gc.get_freeze_count() > 0}")

    asyncio.run(session())


ReaderApp.run = run
# What textual-serve runs for a browser session (reader.cli.serve_session.session_command).
sys.argv = ["reader-session", "--db", db, "--annotator", "ana", "--no-review"]
try:
    runpy.run_module("reader.cli.serve_session", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    shown.append(f"exit {stop.code} on after {gc.isenabled()}")
print("\\n".join(shown))
"""


def test_a_served_session_starts_as_the_annotator_does(tmp_path):
    """Each browser session of `reader serve` is its own process (serve_session.py): it
    starts without the collector until its app's first paint, as `reader` does, and
    loads neither click nor the app before it has paused it."""
    assert _python(_SESSION, str(tmp_path / "a.db"), str(ROOT / "corpus")).split("\n")[:3] == [
        "paused True",
        "resumed True True",
        "exit 0 on after True",
    ]
    code = "import sys, reader.cli.serve_session; print(*sorted(sys.modules))"
    loaded = set(_python(code).split())
    assert not {"click", "reader.cli.common", "reader.tui.app", "textual"} & loaded
