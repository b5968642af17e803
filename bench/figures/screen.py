"""The screen loads only what it shows (issue 14, item 7): ratios between reader runs.

- first paint against the seeds: launches of ``reader`` on the seeds, on the 10 MB
  article with 100k spans, and on the same with 1.5M more spans by 15 other
  annotators (1.6M in the database), interleaved in one loop (``bench/tmux.py``, as in
  ``figures/paint.py``); each big paint over the seeds' paint of the same loop.
  Targets: at most 1.15x.
- the seeds against the skeleton: in the same loop, ``bench/skeleton.py`` (the same
  layout drawing the same two seed articles from memory). Target: at most 1.2x.
  ``--only paint-skeleton`` measures that row alone, the same two launches interleaved
  in pairs, without building the 10 MB databases (minutes).
- showing others' spans: in-process, ``ReaderApp`` on (a copy of) the 1.6M database
  through Pilot at 160x50, cursor mid-article; wall time of ``await pilot.press("o");
  await pilot.pause()`` (the handler, the reads and the repaint), each press that
  shows them followed by one that hides them again, unmeasured. The figure checks
  that others' spans are drawn afterwards. Baseline: the same press in the app on the
  seeds. Target: at most 100 ms.
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
    ])  # fmt: skip
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
    ])  # fmt: skip
    if runs is None:
        row.note = "SKIP (no tmux)"
        return [row]
    row.value, row.base = map(median_paint, runs)
    row.ok = row.value / row.base <= target
    return [row]


async def _others(db: Path, repeats: int) -> tuple[list[float], int]:
    """Wall ms of each press of ``o`` that shows others' spans, and how many of theirs
    are drawn on the first screen afterwards."""
    from reader.tui.app import ReaderApp
    from reader.tui.article_view import ArticleView

    times = []
    drawn = 0
    with Store.open(db, annotator=ANNOTATOR) as store:
        app = ReaderApp(store)
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            view = app.screen.query(ArticleView).first()
            view.move_to(len(view.text) // 2, center=True)
            await pilot.pause()
            for _ in range(repeats):
                began = time.perf_counter()
                await pilot.press("o")
                await pilot.pause()
                times.append((time.perf_counter() - began) * 1000)
                start, end = view.cursor_row()
                drawn = sum(
                    r[4] != ANNOTATOR for r in view._marks.overlapping(start - 2000, end + 2000)
                )
                await pilot.press("o")
                await pilot.pause()
    return times, drawn


def figure_others(ws: Workspace) -> list[Row]:
    crowded, _, _ = ws.crowded()
    seeds, _, _ = ws.seeds()
    db = ws.folder / "others.db"
    shutil.copy(crowded, db)
    repeats = ws.config.key_repeats
    log("others: the seeds")
    base, _ = asyncio.run(_others(seeds, repeats))
    log("others: 10 MB + 1.6M annotations")
    ours, drawn = asyncio.run(_others(db, repeats))
    if not drawn:
        raise RuntimeError("o showed no other annotator's span around the cursor")
    value = statistics.median(ours)
    return [Row("others", "showing others' spans (o), 10 MB + 1.6M", value, statistics.median(base),
                target="<= 100 ms", ok=value <= 100)]  # fmt: skip
