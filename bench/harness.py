"""What every benchmark shares: the raw-SQLite baseline, a Timer, the table of figures.

- ``raw_connection``: the baseline every store figure is measured against. Its table
  and indexes are reader's own ``annotations`` table, read from a freshly migrated
  store's ``sqlite_master`` (so it can never drift from the real schema), without the
  triggers and the rest of reader's tables, opened with the store's pragmas.
- ``Timer``: wraps methods to add up the time spent inside them, both wall time and
  the wall time not spent on CPU (a commit's fsync).
- ``Row`` and ``table``: one figure next to its same-run baseline, and the table
  ``python -m bench`` prints.
- ``run_cli``: one ``reader`` process, timed.

The tmux driver for first-paint figures is ``bench/tmux.py``.
"""

from __future__ import annotations

import datetime
import functools
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STARTED = time.perf_counter()
PRAGMAS = ("busy_timeout = 5000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON")


def log(message: str) -> None:
    """Progress on stderr, with the seconds since the run began."""
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


# -- the raw-SQLite baseline ---------------------------------------------------------------


@functools.cache
def annotations_schema() -> tuple[str, ...]:
    """reader's ``annotations`` table and its indexes, as its migrations create them."""
    from reader.core.store import Store

    with (
        tempfile.TemporaryDirectory() as folder,
        Store.open(Path(folder) / "schema.db", annotator="bench") as store,
    ):
        found = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'annotations' "
            "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index', name"
        )
        return tuple(sql for (sql,) in found)


def raw_connection(path: Path) -> sqlite3.Connection:
    """A database holding reader's annotations table alone, with the store's pragmas:
    what plain sqlite3 does with the same rows is every store figure's baseline."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'annotations'").fetchone():
        for sql in annotations_schema():
            conn.execute(sql)
    return conn


COLUMNS = ('id, document, document_sha256, start, "end", text, prefix, suffix, label, '
           "attributes, note, annotator, origin, created_at, updated_at, deleted_at, orphaned")  # fmt: skip
INSERT = f"INSERT INTO annotations ({COLUMNS}) VALUES ({', '.join('?' * 17)})"


# -- timing --------------------------------------------------------------------------------


class Timer:
    """Adds up the time spent in wrapped methods: ``total`` (wall) and ``io`` (wall time
    not spent on this thread's CPU, e.g. the fsync of a durable commit)."""

    def __init__(self) -> None:
        self.total = 0.0
        self.io = 0.0

    def reset(self) -> None:
        self.total = self.io = 0.0

    def wrap(self, cls: type, name: str) -> None:
        original = getattr(cls, name)
        timer = self

        @functools.wraps(original)
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.perf_counter() - wall
                timer.total += spent
                timer.io += max(0.0, spent - (time.thread_time() - cpu))

        setattr(cls, name, timed)


# -- reader as a process -------------------------------------------------------------------


def reader_command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


def run_cli(args: list[str], cwd: Path) -> tuple[float, str]:
    """Wall seconds of one ``reader`` process, and its output; a failure stops the figure."""
    start = time.perf_counter()
    done = subprocess.run(
        reader_command() + args, check=False, cwd=cwd, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"reader {' '.join(args[:1])} failed ({done.returncode}): {done.stderr[-2000:]}"
        )
    return seconds, done.stdout + done.stderr


# -- the table -----------------------------------------------------------------------------


@dataclass
class Row:
    """One figure next to its same-run baseline, and its verdict against the target."""

    key: str
    figure: str
    value: float | None = None
    base: float | None = None
    unit: str = "ms"
    kind: str = "ratio"  # ratio (lower is better), rate (higher is better), delta, info
    target: str = ""
    ok: bool | None = None
    note: str = ""

    def cells(self) -> list[str]:
        if self.value is None:
            return [self.figure, "—", "—", "—", self.target, self.note or "SKIP"]
        versus = "—"
        if self.base:
            ratio = self.value / self.base
            versus = f"{ratio:.2f}x"
            if self.kind == "delta":
                versus = f"{self.value - self.base:+.1f} ms ({ratio:.1f}x)"
        verdict = "info" if self.ok is None else ("PASS" if self.ok else "MISS")
        return [self.figure, fmt(self.value, self.unit), fmt(self.base, self.unit), versus,
                self.target, verdict]  # fmt: skip


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "/s":
        return f"{value:,.0f} /s"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} ms"


HEADER = ["figure", "reader", "baseline (same run)", "vs baseline", "target", "result"]


def table(rows: list[Row]) -> str:
    cells = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {os.cpu_count()} cores; "
            f"Python {platform.python_version()}; {platform.platform()}; load average {load}")  # fmt: skip
