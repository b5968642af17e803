"""App time per key: ``ReaderApp`` on the 10 MB database through Pilot.

In-process, ``app.run_test(size=(160, 50))``, cursor mid-article. Per key: process CPU
time (``time.process_time``) around ``await pilot.press(key); await pilot.pause()``,
which counts the handler, the store and the render but not Pilot's idle sleeps; plus,
for tag and undo, the wall time inside the action not spent on CPU (the fsync of the
durable commit, ``Timer.io``). Baseline: an empty Textual app pressed the same keys,
measured the same way before and after. Target: at most 16 ms above it.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import time
from pathlib import Path

from bench import data
from bench.harness import Row, Timer, log
from bench.tmux import HEIGHT, WIDTH
from bench.workspace import ANNOTATOR, Config, Workspace
from reader.core.store import Store

KEYS = (("cursor move", "right"), ("page-down", "pagedown"), ("tag", "1"), ("undo", "ctrl+z"))


async def press(pilot, key: str, timer: Timer) -> float:
    """CPU ms of one key, handled and drawn, plus the I/O waits ``timer`` saw."""
    timer.reset()
    cpu = time.process_time()
    await pilot.press(key)
    await pilot.pause()
    return (time.process_time() - cpu + timer.io) * 1000


async def _baseline_keys(cfg: Config, timer: Timer) -> dict[str, list[float]]:
    from textual.app import App

    times: dict[str, list[float]] = {name: [] for name, _ in KEYS}
    async with App().run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.pause()
        for name, key in KEYS:
            count = cfg.edit_repeats if name in ("tag", "undo") else cfg.key_repeats
            for _ in range(count):
                times[name].append(await press(pilot, key, timer))
    return times


async def _reader_keys(db: Path, cfg: Config, timer: Timer) -> dict[str, list[float]]:
    from reader.tui.app import ReaderApp
    from reader.tui.article_view import ArticleView

    times: dict[str, list[float]] = {name: [] for name, _ in KEYS}
    store = Store.open(db, annotator=ANNOTATOR)
    live = "SELECT count(*) FROM annotations WHERE deleted_at IS NULL"
    try:
        app = ReaderApp(store)
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            view = app.screen.query(ArticleView).first()
            text = view.text
            view.move_to(len(text) // 2, center=True)
            await pilot.pause()
            for name, key in KEYS[:2]:
                for _ in range(cfg.key_repeats):
                    times[name].append(await press(pilot, key, timer))
            word = next(s for s, _ in data.words(text) if s >= view.cursor)
            view.move_to(word, center=True)
            await pilot.pause()
            before = store.conn.execute(live).fetchone()[0]
            for _ in range(cfg.edit_repeats):
                times["tag"].append(await press(pilot, "1", timer))
                if store.conn.execute(live).fetchone()[0] != before + 1:
                    raise RuntimeError("pressing 1 did not tag the word under the cursor")
                times["undo"].append(await press(pilot, "ctrl+z", timer))
                if store.conn.execute(live).fetchone()[0] != before:
                    raise RuntimeError("ctrl+z did not undo the tag")
    finally:
        store.close()
    return times


def figure_keys(ws: Workspace) -> list[Row]:
    from reader.tui.screens.annotate import AnnotateScreen

    source, _, _ = ws.big()
    db = ws.folder / "keys.db"
    shutil.copy(source, db)
    timer = Timer()
    for action in ("action_tag", "action_undo"):
        timer.wrap(AnnotateScreen, action)
    log("app time per key: empty app")
    first = asyncio.run(_baseline_keys(ws.config, timer))
    log("app time per key: reader on the 10 MB article + 100k annotations")
    ours = asyncio.run(_reader_keys(db, ws.config, timer))
    log("app time per key: empty app again")
    second = asyncio.run(_baseline_keys(ws.config, timer))
    rows = []
    for name, key in KEYS:
        value, base = statistics.median(ours[name]), statistics.median(first[name] + second[name])
        rows.append(Row(f"keys-{name.replace(' ', '-')}", f"app time per key, 10 MB + 100k: {name} ({key})",
                        value, base, kind="delta", target="<= +16 ms", ok=value - base <= 16))  # fmt: skip
    return rows
