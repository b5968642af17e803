"""What Vietnamese words cost the view (issue 19): first paint and time per key with the
segmenter against syllables, measured in the same run.

- first paint: ``reader`` on the shipped corpus in tmux, as ``bench/figures/paint.py``, with the
  segmenter loading in the background against ``READER_WORDS=syllables``, interleaved.
- per key: in-process through Pilot on the 10 MB article, as ``bench/figures/keys.py``: ``w``
  after a page down (so each press meets a paragraph not yet segmented: the cold
  cost), ``w`` again on the same word (cached), and ``ctrl+right``; once with words
  loaded, once with syllables, interleaved by run.
- loading: ``load_words()`` in a fresh interpreter against importing
  ``reader.core.segments`` alone (the extra's import and model load, off the UI thread).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import data
from bench.harness import Row, log, reader_command
from bench.tmux import HEIGHT, WIDTH
from bench.workspace import ANNOTATOR, Workspace, first_words
from reader.core.corpus import read_corpus
from reader.core.store import Store

PRESSES = (("w, new paragraph", "w"), ("w, same word", "w"), ("ctrl+right", "ctrl+right"))


async def _presses(db: Path, repeats: int, words: bool) -> dict[str, list[float]]:
    from reader.core.segments import load_words, unload_words
    from reader.tui.app import ReaderApp
    from reader.tui.article_view import ArticleView

    times: dict[str, list[float]] = {name: [] for name, _ in PRESSES}
    if words:
        os.environ.pop("READER_WORDS", None)
        if not load_words():
            raise RuntimeError("the words extra is not installed")
    else:
        os.environ["READER_WORDS"] = "syllables"
        unload_words()
    store = Store.open(db, annotator=ANNOTATOR)
    try:
        app = ReaderApp(store)
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            view = app.screen.query(ArticleView).first()
            view.move_to(len(view.text) // 3, center=True)
            await pilot.pause()
            for _ in range(repeats):
                await pilot.press("pagedown", "escape")
                await pilot.pause()
                for name, key in PRESSES:
                    cpu = time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    times[name].append((time.process_time() - cpu) * 1000)
    finally:
        store.close()
        os.environ.pop("READER_WORDS", None)
        unload_words()
    return times


def _load_seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def figure_words(ws: Workspace) -> list[Row]:
    try:
        import underthesea  # noqa: F401
    except ImportError:
        return [Row("words", "Vietnamese words (segmenter)", note="SKIP (no words extra)")]
    rows: list[Row] = []
    # Loading, in a fresh interpreter each time.
    load = "from reader.core.segments import load_words; assert load_words()"
    ours, base = [], []
    for _ in range(max(3, ws.config.paint_repeats)):
        base.append(_load_seconds("import reader.core.segments"))
        ours.append(_load_seconds(load))
    rows.append(Row("words-load", "loading the segmenter (a worker thread, after first paint)",
                    statistics.median(ours) * 1000, statistics.median(base) * 1000,
                    target="— (off the UI thread)"))  # fmt: skip
    # First paint, words loading in the background vs syllables.
    tmux = ws.terminal()
    paint = Row("words-paint", "first paint, seeds: words loading vs syllables", target="<= 1.1x")
    if tmux is None:
        paint.note = "SKIP (no tmux)"
    else:
        db = ws.folder / "words-seeds.db"
        if not db.exists():
            with Store.open(db, annotator=ANNOTATOR) as store:
                store.sync_documents(read_corpus(data.CORPUS))
        expect = first_words(min(read_corpus(data.CORPUS), key=lambda d: d.id).text)
        reader = reader_command() + ["--db", str(db), "--corpus", str(data.CORPUS)]
        reader += ["--annotator", ANNOTATOR]
        syllables = ["env", "READER_WORDS=syllables", *reader]
        tmux.launch(reader, expect, ws.folder)
        tmux.launch(syllables, expect, ws.folder)
        ours, base = [], []
        for _ in range(ws.config.paint_repeats):
            base.append(tmux.launch(syllables, expect, ws.folder).paint * 1000)
            ours.append(tmux.launch(reader, expect, ws.folder).paint * 1000)
        paint.value, paint.base = statistics.median(ours), statistics.median(base)
        paint.ok = paint.value / paint.base <= 1.1
    rows.append(paint)
    # Per key on the 10 MB article.
    big, _, _ = ws.big()
    log("words: keys with syllables, with words, with syllables again")
    first = asyncio.run(_presses(big, ws.config.key_repeats, words=False))
    ours_keys = asyncio.run(_presses(big, ws.config.key_repeats, words=True))
    second = asyncio.run(_presses(big, ws.config.key_repeats, words=False))
    for name, key in PRESSES:
        value = statistics.median(ours_keys[name])
        baseline = statistics.median(first[name] + second[name])
        rows.append(Row(f"words-{name.split(',')[0]}-{len(rows)}",
                        f"app time per key, 10 MB: {name} ({key}), words vs syllables",
                        value, baseline, kind="delta", target="<= +16 ms",
                        ok=value - baseline <= 16))  # fmt: skip
    return rows
