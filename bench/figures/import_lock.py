"""Tagging while a big import runs (issue 13, finding 3), and what the damage check costs.

Figure ``import-lock`` of ``python -m bench``, on the run's 1M set (10,000 articles, 3
annotators; ``Workspace.bulk``), each figure next to a baseline measured in the same run:

- **Keys while a tag waits.** ``reader import --format jsonl`` of the 1M set runs as a
  subprocess; it holds the write lock for as long as it runs. In this process,
  ``ReaderApp`` on the same database (Pilot, 160x50, as annotator ``tagger``) tags the
  word under the cursor as soon as the lock is held, then presses ``right`` until the
  import exits. Per key: wall time of ``await pilot.press("right"); await
  pilot.pause()``. Baseline: the same key in the same app while an import runs with
  nothing pending (and, for scale, with no import at all).
- **Tag committed after the import's end.** From the moment the import releases the
  write lock (its commit; a watcher process probes ``BEGIN IMMEDIATE`` with no wait
  every 2 ms) until the app's queue is empty (the tag is in the database; the app's
  retry is wrapped to note the time). Baseline: a tag pressed with no import running,
  wall time of the press, which includes its durable commit.

  The watcher runs in a process of its own, in both runs (times are
  ``time.monotonic``, one clock for every process on Linux). In the app's process it
  would be measured as the keys' cost: Pilot's ``pause()`` returns once the *process*
  uses almost no CPU for 20 ms (``textual._wait.wait_for_idle``, up to 1 s), and a
  thread opening a connection every 2 ms keeps it from ever looking idle. Until
  2026-11-30 the watcher was such a thread, in the tagging run only: most of the
  "keys are 2.3x slower while a tag is pending" of that day was the watcher.
- **quick_check.** ``PRAGMA quick_check`` on the imported database, which every command
  that writes now runs before its first write; baseline: one full read of the
  annotations table (``SELECT sum(length(text)) ...``), so the ratio says how many
  plain reads of the data the check costs.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import ROOT, Row, log
from bench.workspace import Workspace

KEYS_BEFORE = 30


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
    """The moment the write lock is free again (``time.monotonic``)."""
    while write_locked(db):
        time.sleep(0.002)
    return time.monotonic()


def start_watcher(db: Path) -> subprocess.Popen:
    """``wait_unlocked`` in a process of its own, which prints the moment; see the
    module's docstring for why not a thread."""
    code = "import sys; from pathlib import Path; from bench.figures.import_lock import "
    code += "wait_unlocked; print(repr(wait_unlocked(Path(sys.argv[1]))))"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def released_at(watcher: subprocess.Popen) -> float:
    out, _ = watcher.communicate()
    return float(out)


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
            started = time.monotonic()
            while not write_locked(db):
                if process.poll() is not None:
                    raise RuntimeError("the import ended before it held the lock")
                await asyncio.sleep(0.01)
            watcher = start_watcher(db)  # in both runs: it costs the machine some CPU
            if not tag:
                waiting = []
                while process.poll() is None:
                    waiting.append(await _timed(pilot, "right"))
                released_at(watcher)
                result["keys_waiting"] = waiting
                return result
            result["tag_press"] = await _timed(pilot, "1")
            if not screen.pending:
                raise RuntimeError("the tag was saved at once: the import did not hold the lock")
            saved_at: list[float] = []
            retry = screen.retry_pending

            def noting_retry() -> None:
                retry()
                if not screen.pending and not saved_at:
                    saved_at.append(time.monotonic())

            screen.retry_pending = noting_retry
            screen._retry._callback = noting_retry
            waiting: list[float] = []
            while process.poll() is None or screen.pending:
                waiting.append(await _timed(pilot, "right"))
            released = released_at(watcher)
            result["commit_after_end"] = (saved_at[0] - released) * 1000
            result["keys_waiting"] = waiting
            result["import_seconds"] = released - started
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


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def figure_import_lock(ws: Workspace) -> list[Row]:
    bulk = ws.bulk()
    template, jsonl, count = bulk["template"], bulk["jsonl"], len(bulk["corpus"].spans)
    log("import-lock: keys while reader import runs, nothing pending")
    db = ws.folder / "lock-keys.db"
    shutil.copy(template, db)
    loaded = asyncio.run(measure(db, jsonl, count, tag=False))["keys_waiting"]
    db.unlink()
    log("import-lock: tagging while reader import runs")
    db = ws.folder / "lock-tag.db"
    shutil.copy(template, db)
    r = asyncio.run(measure(db, jsonl, count, tag=True))
    log("import-lock: quick_check against a full read")
    check, read = check_cost(db)
    db.unlink()
    waiting = r["keys_waiting"] or [float("nan")]
    during, before = statistics.median(loaded), statistics.median(r["keys_before"])
    return [
        Row("lock-keys", f"app time per key while a tag waits for an import of {count:,}: median",
            statistics.median(waiting), during, target="— (vs import, nothing pending)"),
        Row("lock-keys-p95", f"  the same, 95th percentile ({len(waiting)} keys)", _p95(waiting),
            _p95(loaded), target="—"),
        Row("lock-keys-max", "  the same, slowest key", max(waiting), max(loaded), target="—"),
        Row("lock-keys-idle", "  keys during an import vs no import at all (info)", during, before,
            target="—"),
        Row("lock-tag-key", "  the tag key itself, while the import holds the lock", r["tag_press"],
            r["tag_alone"], target="—"),
        Row("lock-commit", "tag committed after the import's end (vs a tag with no import)",
            r["commit_after_end"], r["tag_alone"], target="—"),
        Row("lock-import", "  the import itself, app open (info)", r["import_seconds"], unit="s",
            target="—"),
        Row("quick-check", f"PRAGMA quick_check of that database ({count:,} annotations)", check,
            read, target="— (vs one full read)"),
    ]  # fmt: skip
