"""The screen loads only what it shows (issue 14, item 7): ratios between reader runs.

- first paint against the seeds: launches of ``reader`` on the seeds, on the 10 MB
  article with 100k spans, and on the same with 1.5M more spans by 15 other
  annotators (1.6M in the database), interleaved in one loop (``bench/tmux.py``, as in
  ``figures/paint.py``); each big paint over the seeds' paint of the same loop.
  Targets: at most 1.15x. Fifteen rounds, as for ``paint-skeleton`` below: with five,
  three runs of the same code at load 1 gave 1.17x, 1.03x and 1.13x for the crowded
  row (2026-11-30).
- the seeds against the skeleton: in the same loop, ``bench/skeleton.py`` (the same
  layout drawing the same two seed articles from memory). Target: at most 1.2x.
  ``--only paint-skeleton`` measures that row alone, the same two launches interleaved
  in pairs, without building the 10 MB databases (minutes), and three times as many
  rounds: a pair takes a second, and at load 5 on this machine the median of five moved
  between 1.15x and 1.52x from one run to the next (2026-11-30).
- showing others' spans: in-process, ``ReaderApp`` on (a copy of) the 1.6M database
  through Pilot at 160x50, cursor mid-article; each press that shows them is
  followed by one that hides them again, unmeasured. The figure is the time from the
  key's event to the end of the first frame written after its handler returned (the
  handler, the reads and the repaint: what the annotator waits for). The figure
  checks that others' spans are drawn afterwards. Baseline: the same press in the app
  on the seeds. Target: at most 100 ms. The damage check (once a session, seconds
  in a thread at this size) is run before the app starts, so it does not share the
  cores with the presses. Until 2026-11-30 the figure was the wall time of
  ``await pilot.press("o"); await pilot.pause()``: that includes Pilot's own idle
  detection, at least three sleeps of 20 ms (``textual._wait.wait_for_idle``), so a
  key that costs nothing took 64 ms and the figure moved in 20 ms steps with the load.
  It is still printed, for scale.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.figures.paint import interleaved, median_paint, reader_launch
from bench.harness import ROOT, Row, log
from bench.tmux import HEIGHT, WIDTH
from bench.workspace import ANNOTATOR, Workspace
from reader.core.store import Store

PAINT_ROWS = (
    ("paint-big-seeds", "first paint, 10 MB + 100k vs the seeds' first paint", 1.15),
    ("paint-crowded-seeds", "first paint, 10 MB + 1.6M in the db vs the seeds'", 1.15),
    ("paint-seeds-skeleton", "first paint, seeds vs a skeleton app (same layout)", 1.2),
)


def figure_paint_ratios(ws: Workspace) -> list[Row]:
    rows = [Row(key, figure, target=f"<= {target}x") for key, figure, target in PAINT_ROWS]
    seeds, corpus, expect = ws.seeds()
    big, big_corpus, big_expect = ws.big()
    crowded, _, _ = ws.crowded()
    runs = interleaved(ws, "paint ratios", [
        (reader_launch(seeds, corpus), expect),
        (reader_launch(big, big_corpus), big_expect),
        (reader_launch(crowded, big_corpus), big_expect),
        (skeleton_launch(corpus), expect),
    ], rounds=3 * ws.config.paint_repeats)  # fmt: skip
    if runs is None:
        for row in rows:
            row.note = "SKIP (no tmux)"
        return rows
    seeds_ms, big_ms, crowded_ms, skeleton_ms = map(median_paint, runs)
    for row, (value, base) in zip(
        rows, ((big_ms, seeds_ms), (crowded_ms, seeds_ms), (seeds_ms, skeleton_ms))
    ):
        row.value, row.base = value, base
        row.ok = value / base <= float(row.target.removeprefix("<= ").removesuffix("x"))
    return rows


def skeleton_launch(corpus: Path) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "skeleton.py"), str(corpus)]


def figure_paint_skeleton(ws: Workspace) -> list[Row]:
    """The last row of ``figure_paint_ratios`` alone: the seeds against the skeleton."""
    key, figure, target = PAINT_ROWS[-1]
    row = Row(key, figure, target=f"<= {target}x")
    seeds, corpus, expect = ws.seeds()
    runs = interleaved(ws, "paint skeleton", [
        (reader_launch(seeds, corpus), expect),
        (skeleton_launch(corpus), expect),
    ], rounds=3 * ws.config.paint_repeats)  # fmt: skip
    if runs is None:
        row.note = "SKIP (no tmux)"
        return [row]
    row.value, row.base = map(median_paint, runs)
    row.ok = row.value / row.base <= target
    return [row]


async def _others(db: Path, repeats: int) -> tuple[list[float], list[float], int]:
    """Per press of ``o`` that shows others' spans: ms from the key to its frame, and
    Pilot's press + pause wall ms; and how many of theirs are drawn around the cursor."""
    from reader.tui.app import ReaderApp
    from reader.tui.article_view import ArticleView

    to_frame, walls = [], []
    drawn = 0
    with Store.open(db, annotator=ANNOTATOR) as store:
        # The damage check runs once a session, in a thread, for seconds at 1.6M
        # annotations: done first, so that it does not share the cores with the presses.
        store.check_intact()
        app = ReaderApp(store)
        frames: list[float] = []  # when each frame was written
        display = app._display

        def timed_display(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None:
                frames.append(time.perf_counter())

        app._display = timed_display
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            handled: list[float] = []
            toggle = screen.action_toggle_others

            def timed_toggle() -> None:
                toggle()
                handled.append(time.perf_counter())

            screen.action_toggle_others = timed_toggle
            view = screen.query(ArticleView).first()
            view.move_to(len(view.text) // 2, center=True)
            await pilot.pause()
            for _ in range(repeats):
                handled.clear()
                began = time.perf_counter()
                await pilot.press("o")
                await pilot.pause()
                walls.append((time.perf_counter() - began) * 1000)
                [done] = handled
                to_frame.append((min(f for f in frames if f > done) - began) * 1000)
                start, end = view.cursor_row()
                drawn = sum(
                    r[4] != ANNOTATOR for r in view._marks.overlapping(start - 2000, end + 2000)
                )
                await pilot.press("o")
                await pilot.pause()
    return to_frame, walls, drawn


def figure_others(ws: Workspace) -> list[Row]:
    crowded, _, _ = ws.crowded()
    seeds, _, _ = ws.seeds()
    db = ws.folder / "others.db"
    shutil.copy(crowded, db)
    repeats = ws.config.key_repeats
    log("others: the seeds")
    base, base_wall, _ = asyncio.run(_others(seeds, repeats))
    log("others: 10 MB + 1.6M annotations")
    ours, wall, drawn = asyncio.run(_others(db, repeats))
    if not drawn:
        raise RuntimeError("o showed no other annotator's span around the cursor")
    value = statistics.median(ours)
    return [
        Row("others", "showing others' spans (o), 10 MB + 1.6M: key to frame", value,
            statistics.median(base), target="<= 100 ms", ok=value <= 100),
        Row("others-pilot", "the same, Pilot press + pause wall (>= 60 ms idle waits)",
            statistics.median(wall), statistics.median(base_wall), target="— (scale)"),
    ]  # fmt: skip
