"""Tagging while a big import runs (issue 13, finding 3), and what the damage check costs.

    python -m bench.import_lock [--quick] [--dir D] [--seed N]

Self-contained: it builds its own data with ``bench/data.py`` and prints one table, each
figure next to a baseline measured in the same run.

- **Keys while a tag waits.** ``reader import --format jsonl`` of the 1M set (10,000
  articles, 3 annotators) runs as a subprocess; it holds the write lock for as long as
  it runs. In this process, ``ReaderApp`` on the same database (Pilot, 160x50, as
  annotator ``tagger``) tags the word under the cursor as soon as the lock is held,
  then presses ``right`` until the import exits. Per key: wall time of
  ``await pilot.press("right"); await pilot.pause()``. Baseline: the same key in the
  same app just before the import starts.
- **Tag committed after the import's end.** From the moment the import releases the
  write lock (its commit; a thread probes ``BEGIN IMMEDIATE`` with no wait every 2 ms)
  until the app's queue is empty (the tag is in the database; the app's retry is
  wrapped to note the time). Baseline: a tag pressed with no import running, wall time
  of the press, which includes its durable commit.
- **quick_check.** ``PRAGMA quick_check`` on the imported database, which every command
  that writes now runs before its first write; baseline: one full read of the
  annotations table (``SELECT sum(length(text)) ...``), so the ratio says how many
  plain reads of the data the check costs.

``--quick`` uses 20,000 annotations over 200 articles (a smoke run; its figures mean
little).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import data

KEYS_BEFORE = 30


def log(message: str) -> None:
    print(f"[import_lock] {message}", file=sys.stderr, flush=True)


def build(folder: Path, total: int, documents: int, seed: int) -> tuple[Path, Path, int]:
    """(database holding the documents, native JSONL of the annotations, their count)."""
    from reader.core.store import Store

    corpus = data.agreement_corpus(total, documents, 3, seed=seed)
    jsonl = folder / "bulk.jsonl"
    count = data.native_jsonl(corpus, jsonl)
    db = folder / "annotations.db"
    with Store.open(db, annotator="bench") as store:
        store.import_items([*corpus.documents, *corpus.statuses], source="bench documents")
    return db, jsonl, count


def write_locked(db: Path) -> bool:
    """Whether another connection holds the write lock (a probe that never waits)."""
    probe = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def wait_unlocked(db: Path) -> float:
    """The moment the write lock is free again."""
    while write_locked(db):
        time.sleep(0.002)
    return time.perf_counter()


async def _timed(pilot, key: str) -> float:
    began = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    return (time.perf_counter() - began) * 1000


async def measure(db: Path, jsonl: Path, count: int, *, tag: bool) -> dict[str, object]:
    """Keys before and during an import; with ``tag``, a tag pressed once the import
    holds the lock (else the same keys with nothing pending: the baseline for them)."""
    from reader.core.store import Store
    from reader.tui.app import ReaderApp
    from reader.tui.screens.annotate import AnnotateScreen

    # The passage worker would align 10,000 articles for minutes, in this process, and be
    # measured instead of the keys: it is switched off (the app itself is unchanged).
    AnnotateScreen.load_passages = lambda self: None
    store = Store.open(db, annotator="tagger")
    store.check_intact()  # as `reader` does at start, so the first tag does not pay it
    app = ReaderApp(store, panes=2)
    result: dict[str, object] = {}
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            screen = app.screen
            result["keys_before"] = [await _timed(pilot, "right") for _ in range(KEYS_BEFORE)]
            await pilot.press("ctrl+right")
            result["tag_alone"] = await _timed(pilot, "3")  # committed within the press
            assert not screen.pending, "a tag with no import running should not wait"
            await pilot.press("ctrl+right", "ctrl+right")

            # Its output goes to files: a pipe nobody reads while keys are pressed fills up
            # with progress lines and stops the import.
            output = db.with_suffix(".import-output")
            with output.open("w") as sink:
                process = subprocess.Popen(  # noqa: ASYNC220 - started, never waited on here
                    [sys.executable, "-m", "reader", "import", "--db", str(db), "--annotator",
                     "bench", "--format", "jsonl", str(jsonl)],
                    cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                )  # fmt: skip
            started = time.perf_counter()
            while not write_locked(db):
                if process.poll() is not None:
                    raise RuntimeError("the import ended before it held the lock")
                await asyncio.sleep(0.01)
            if not tag:
                waiting = []
                while process.poll() is None:
                    waiting.append(await _timed(pilot, "right"))
                result["keys_waiting"] = waiting
                return result
            result["tag_press"] = await _timed(pilot, "1")
            if not screen.pending:
                raise RuntimeError("the tag was saved at once: the import did not hold the lock")
            released: list[float] = []
            watcher = threading.Thread(target=lambda: released.append(wait_unlocked(db)))
            watcher.start()
            saved_at: list[float] = []
            retry = screen.retry_pending

            def noting_retry() -> None:
                retry()
                if not screen.pending and not saved_at:
                    saved_at.append(time.perf_counter())

            screen.retry_pending = noting_retry
            screen._retry._callback = noting_retry
            waiting: list[float] = []
            while process.poll() is None or screen.pending:
                waiting.append(await _timed(pilot, "right"))
            watcher.join()
            result["commit_after_end"] = (saved_at[0] - released[0]) * 1000
            result["keys_waiting"] = waiting
            result["import_seconds"] = released[0] - started
            out = output.read_text("utf-8", errors="replace")
            if f"imported {count} new annotation" not in out:
                raise RuntimeError(f"the import failed: {out[-500:]}")
            saved = [a.label for a in store.iter_annotations(annotator="tagger")]
            if sorted(saved) != ["attribution", "propaganda"]:
                raise RuntimeError(f"the tagger's annotations are {saved}")
    finally:
        store.close()
    return result


def check_cost(db: Path, repeats: int = 3) -> tuple[float, float]:
    """(quick_check ms, one full read of the annotations ms), medians, interleaved."""
    checks, reads = [], []
    conn = sqlite3.connect(db)
    for _ in range(repeats):
        began = time.perf_counter()
        assert conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
        checks.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        conn.execute("SELECT sum(length(text)) FROM annotations").fetchone()
        reads.append((time.perf_counter() - began) * 1000)
    conn.close()
    return statistics.median(checks), statistics.median(reads)


def table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("figure", "reader", "baseline (same run)", "vs baseline")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20k annotations: a smoke run")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    parser.add_argument("--seed", type=int, default=20220105)
    args = parser.parse_args(argv)
    total, documents = (20_000, 200) if args.quick else (1_000_000, 10_000)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-lock-", dir=args.dir))
    try:
        log(f"building {total:,} annotations over {documents:,} articles")
        template, jsonl, count = build(folder, total, documents, args.seed)
        log("keys while reader import runs, nothing pending")
        db = folder / "keys.db"
        shutil.copy(template, db)
        loaded = asyncio.run(measure(db, jsonl, count, tag=False))["keys_waiting"]
        log("tagging while reader import runs")
        db = folder / "tag.db"
        shutil.copy(template, db)
        r = asyncio.run(measure(db, jsonl, count, tag=True))
        log("quick_check against a full read")
        check, read = check_cost(db)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    before = statistics.median(r["keys_before"])
    waiting = r["keys_waiting"] or [float("nan")]
    p95 = sorted(waiting)[int(0.95 * (len(waiting) - 1))]
    during = statistics.median(loaded)
    loaded_p95 = sorted(loaded)[int(0.95 * (len(loaded) - 1))]
    rows = [
        (f"app time per key while a tag waits for an import of {count:,}: median",
         f"{statistics.median(waiting):.1f} ms", f"{during:.1f} ms (import, nothing pending)",
         f"{statistics.median(waiting) / during:.2f}x"),
        (f"  the same, 95th percentile / slowest ({len(waiting)} keys)",
         f"{p95:.1f} / {max(waiting):.1f} ms", f"{loaded_p95:.1f} / {max(loaded):.1f} ms",
         f"{p95 / loaded_p95:.2f}x"),
        ("  keys with no import at all (info: what the import's CPU costs the app)",
         f"{during:.1f} ms", f"{before:.1f} ms", f"{during / before:.2f}x"),
        ("  the tag key itself, while the import holds the lock", f"{r['tag_press']:.1f} ms",
         f"{r['tag_alone']:.1f} ms", f"{r['tag_press'] / r['tag_alone']:.2f}x"),
        ("tag committed after the import's end (baseline: a tag with no import)",
         f"{r['commit_after_end']:.1f} ms", f"{r['tag_alone']:.1f} ms",
         f"{r['commit_after_end'] / r['tag_alone']:.2f}x"),
        ("  the import itself, app open (info)", f"{r['import_seconds']:.1f} s", "—", "—"),
        (f"PRAGMA quick_check of that database ({count:,} annotations)", f"{check:.0f} ms",
         f"{read:.0f} ms (one full read)", f"{check / read:.2f}x"),
    ]  # fmt: skip
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
