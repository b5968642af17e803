"""Every figure a user feels, each next to a baseline measured in the same run.

    python bench/run.py [--quick] [--seed N] [--only FIGURE[,FIGURE...]] [--dir D] [--keep]
    python -m bench ...

The data is generated deterministically from the seed (``bench/data.py``): articles
built from the shipped corpus's sentences (5 KB, 1 MB, 10 MB), 0 / 10k / 100k spans on
one article, 1M spans over 10,000 articles by 3 annotators. ``--quick`` shrinks every
size (for the smoke test; its verdicts mean nothing). The table goes to stdout,
progress to stderr. Exit code 0 unless a figure could not be measured at all (a
missed target is a result, not a failure).

Method, figure by figure (medians of repeats; each baseline runs interleaved with its
figure, so load on the shared machine hits both alike):

- first paint: ``tmux new-session -d -x 160 -y 50 CMD`` on a private tmux server
  (``tmux -L bench-run-PID``), then ``tmux capture-pane -p`` every 10 ms until the
  expected text is on screen; the figure is the wall time from launch to that text.
  ``reader`` is the real console script (``reader --db D --corpus C --annotator
  bench``) and must show the first article's first words; the baseline is a minimal
  Textual app that shows one line. One unmeasured launch of each comes first (the
  database's first open aligns the corpus and caches it, and the OS caches files).
  The 10 MB figure's database is built with the store API (sync, then 100k spans by
  the same annotator, so blind mode shows them all); its corpus folder holds the
  10 MB article (first pane) and a 5 KB one (second pane).
- peak RSS: in those same 10 MB launches, once the app is idle (its CPU time stops
  growing: the passage worker and first renders are done), ``VmHWM`` of the app's
  process from /proc; the baseline is the minimal app, measured the same way.
- app time per key: in-process, ``ReaderApp`` on the 10 MB database through Pilot
  (``app.run_test(size=(160, 50))``), cursor mid-article. Per key: process CPU time
  (``time.process_time``) around ``await pilot.press(key); await pilot.pause()``,
  which counts the handler, the store and the render but not Pilot's idle sleeps;
  plus, for tag and undo, the wall time inside the action not spent on CPU (the
  fsync of the durable commit). Baseline: an empty Textual app pressed the same
  keys, measured the same way before and after. Target: at most 16 ms above it.
- durable commit: ``Store.create`` on (a copy of) the 10 MB + 100k store, against
  ``BEGIN IMMEDIATE; INSERT; COMMIT`` of a prebuilt row into a table shaped like
  reader's (same columns and indexes, the same 100k rows) with the store's pragmas
  (WAL, synchronous=FULL, busy timeout, foreign keys), in alternating blocks.
- import: ``reader import --format jsonl`` (a subprocess, wall time) of the native
  JSONL file into a database already holding the 10,000 documents; baseline: one
  ``executemany`` of the same 1M rows, prebuilt as tuples, into the raw table in
  one transaction. An extra row gives JSON parsing + ``executemany``, for scale.
- export: ``reader export --format jsonl -o FILE`` of that database; baseline:
  sqlite3 ``SELECT`` in export order, ``json.dumps`` per row, written to a file.
- agreement: ``reader agree`` on that database (text report to a pipe); baseline:
  one pass over the same rows read with sqlite3 (``bench/agreement.py``'s plain pass).
- startup: ``reader --help`` against ``python -c pass``, wall time of the process.

Repeats: 5 launches per first paint, 15 presses per key (8 tag + undo pairs), 200
commits, 10 startups; the 1M figures run twice each (a run is already a million
operations), so their median is the mean of two.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import data
from bench.agreement import plain_pass
from reader.core.corpus import read_corpus
from reader.core.store import Store

WIDTH, HEIGHT = 160, 50
ANNOTATOR = "bench"
BASELINE_LINE = "bench: one line"
BASELINE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class One(App):\n"
    "    def compose(self):\n"
    f"        yield Static({BASELINE_LINE!r})\n"
    "One().run()\n"
)
KEYS = (("cursor move", "right"), ("page-down", "pagedown"), ("tag", "1"), ("undo", "ctrl+z"))


@dataclass(frozen=True)
class Config:
    big: int  # bytes of the large article
    medium: int
    small: int
    spans: int  # on the large article
    medium_spans: int
    paint_repeats: int
    key_repeats: int
    edit_repeats: int  # tag + undo pairs
    commits: int
    bulk: int
    bulk_documents: int
    bulk_repeats: int
    help_repeats: int


FULL = Config(
    big=10_000_000, medium=1_000_000, small=5_000, spans=100_000, medium_spans=10_000,
    paint_repeats=5, key_repeats=15, edit_repeats=8, commits=200,
    bulk=1_000_000, bulk_documents=10_000, bulk_repeats=2, help_repeats=10,
)  # fmt: skip
QUICK = Config(
    big=50_000, medium=20_000, small=5_000, spans=1_000, medium_spans=100,
    paint_repeats=1, key_repeats=3, edit_repeats=2, commits=20,
    bulk=3_000, bulk_documents=30, bulk_repeats=1, help_repeats=3,
)  # fmt: skip


@dataclass
class Row:
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
        return [
            self.figure,
            fmt(self.value, self.unit),
            fmt(self.base, self.unit),
            versus,
            self.target,
            verdict,
        ]


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


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


STARTED = time.perf_counter()


def reader_command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


def run_cli(args: list[str], cwd: Path) -> tuple[float, str]:
    """Wall seconds of one ``reader`` process, and its stdout; a failure stops the figure."""
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


def raw_connection(path: Path) -> sqlite3.Connection:
    """A table shaped like reader's annotations (columns, check, indexes), the store's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "busy_timeout = 5000",
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
    ):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS annotations (id TEXT PRIMARY KEY, document TEXT NOT NULL, "
        'document_sha256 TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, '
        "prefix TEXT NOT NULL, suffix TEXT NOT NULL, label TEXT NOT NULL, attributes TEXT NOT NULL, "
        "note TEXT NOT NULL, annotator TEXT NOT NULL, origin TEXT NOT NULL, created_at TEXT NOT NULL, "
        'updated_at TEXT NOT NULL, deleted_at TEXT, orphaned INTEGER NOT NULL, CHECK (start >= 0 AND start < "end"))'
    )
    conn.execute('CREATE INDEX IF NOT EXISTS by_position ON annotations (document, start, "end")')
    conn.execute("CREATE INDEX IF NOT EXISTS by_annotator ON annotations (annotator, document)")
    return conn


INSERT = f"INSERT INTO annotations VALUES ({', '.join('?' * 17)})"


# -- tmux ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    paint: float  # seconds from launch to the expected text on screen
    rss: float | None  # peak RSS in MB once idle, when asked for


class Tmux:
    """A private tmux server on its own socket; ``close`` kills it."""

    def __init__(self) -> None:
        self.socket = f"bench-run-{os.getpid()}"
        self.count = 0
        self.call(
            "new-session", "-d", "-s", "hold", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400"
        )
        self.call("set-option", "-g", "remain-on-exit", "on")  # a crash leaves its screen to read
        self.path = self.call("display-message", "-p", "#{socket_path}").strip()

    def call(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            check=False,
            capture_output=True,
            text=True,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def close(self) -> None:
        self.call("kill-server", check=False)
        if self.path:
            Path(self.path).unlink(missing_ok=True)  # the server leaves its socket file behind

    def dead(self, name: str) -> bool:
        """The session's program has exited (or the session is gone)."""
        return (
            self.call("display-message", "-p", "-t", name, "#{pane_dead}", check=False).strip()
            != "0"
        )

    def launch(
        self, command: list[str], expect: str, cwd: Path, rss: bool = False, timeout: float = 120
    ) -> Launch:
        self.count += 1
        name = f"run{self.count}"
        expect = unicodedata.normalize("NFC", expect)
        start = time.perf_counter()
        self.call("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(cwd),
                  "exec " + shlex.join(command))  # fmt: skip
        try:
            polls = 0
            while True:
                screen = unicodedata.normalize("NFC", self.call("capture-pane", "-p", "-t", name))
                if expect in screen:
                    paint = time.perf_counter() - start
                    break
                polls += 1
                if polls % 25 == 0 and self.dead(name):
                    raise RuntimeError(f"{command[0]} exited before showing {expect!r}:\n{screen}")
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(
                        f"{command[0]}: no {expect!r} after {timeout:.0f} s:\n{screen}"
                    )
                time.sleep(0.01)
            peak = None
            if rss:
                pid = int(self.call("display-message", "-p", "-t", name, "#{pane_pid}").strip())
                peak = idle_peak_rss(pid)
            return Launch(paint, peak)
        finally:
            self.call("send-keys", "-t", name, "C-q", check=False)
            for _ in range(100):
                if self.dead(name):
                    break
                time.sleep(0.05)
            self.call("kill-session", "-t", name, check=False)


def idle_peak_rss(pid: int, limit: float = 60) -> float:
    """VmHWM (MB) of ``pid`` once it has used under 10% of a core for two 0.2 s windows."""
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    began, quiet, last = time.perf_counter(), 0, cpu()
    while quiet < 2 and time.perf_counter() - began < limit:
        time.sleep(0.2)
        now = cpu()
        quiet = quiet + 1 if now - last < 0.02 else 0
        last = now
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


# -- the data, built once per run ----------------------------------------------------------


@dataclass
class Workspace:
    folder: Path
    config: Config
    seed: int
    tmux: Tmux | None = None
    built: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def once(self, key: str, build: Callable[[], object]) -> object:
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]

    def terminal(self) -> Tmux | None:
        if shutil.which("tmux") is None:
            return None
        if self.tmux is None:
            self.tmux = Tmux()
        return self.tmux

    def article_db(self, name: str, size: int, count: int) -> tuple[Path, Path, str]:
        """(database, corpus folder, the first words on screen) for one article + spans."""

        def build() -> tuple[Path, Path, str]:
            log(f"building a {size:,}-byte article with {count:,} spans")
            corpus = self.folder / f"corpus-{name}"
            corpus.mkdir()
            big = data.document(f"article{name}", data.article(size, self.seed))
            small = data.document(
                f"articlez{self.config.small}", data.article(self.config.small, self.seed + 1)
            )
            for doc in (big, small):
                (corpus / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
            db = self.folder / f"{name}.db"
            with Store.open(db, annotator=ANNOTATOR) as store:
                store.sync_documents(read_corpus(corpus))
                spans = data.spans(big.text, count, self.seed)
                store.import_items(data.drafts(big, spans, ANNOTATOR), source="bench")
            return db, corpus, first_words(big.text)

        return self.once(f"article:{name}", build)  # type: ignore[return-value]

    def big(self) -> tuple[Path, Path, str]:
        return self.article_db("10mb", self.config.big, self.config.spans)

    def bulk(self) -> dict:
        def build() -> dict:
            cfg = self.config
            log(f"generating {cfg.bulk:,} spans over {cfg.bulk_documents:,} articles, 3 annotators")
            corpus = data.agreement_corpus(cfg.bulk, cfg.bulk_documents, 3, seed=self.seed)
            jsonl = self.folder / "bulk.jsonl"
            data.native_jsonl(corpus, jsonl)
            template = self.folder / "bulk-documents.db"
            with Store.open(template, annotator=ANNOTATOR) as store:
                store.import_items([*corpus.documents, *corpus.statuses], source="bench documents")
            size = sum(len(d.text.encode("utf-8")) for d in corpus.documents)
            self.notes.append(
                f"1M set: {len(corpus.spans):,} spans, {len(corpus.documents):,} articles "
                f"({size / 1e6:.1f} MB of text), 3 annotators; native JSONL {jsonl.stat().st_size / 1e6:.0f} MB"
            )
            return {"corpus": corpus, "jsonl": jsonl, "template": template, "db": None}

        return self.once("bulk", build)  # type: ignore[return-value]

    def imported(self) -> Path:
        """The database after ``reader import`` of the 1M set (imported once if no figure did)."""
        bulk = self.bulk()
        if bulk["db"] is None:
            db = self.folder / "bulk-imported.db"
            shutil.copy(bulk["template"], db)
            log("importing the 1M set (for export / agree)")
            reader_import(db, bulk["jsonl"], len(bulk["corpus"].spans), self.folder)
            bulk["db"] = db
        return bulk["db"]


def reader_import(db: Path, jsonl: Path, count: int, cwd: Path) -> float:
    """Wall seconds of ``reader import --format jsonl``; checks every annotation came in."""
    args = ["import", "--db", str(db), "--annotator", ANNOTATOR, "--format", "jsonl", str(jsonl)]
    seconds, output = run_cli(args, cwd)
    if f"imported {count} new annotation" not in output:
        raise RuntimeError(f"reader import did not import {count}: {output.strip()[-500:]}")
    return seconds


def first_words(text: str, count: int = 4) -> str:
    return " ".join(text.split("\n", 1)[0].split(" ")[:count])


# -- figures -------------------------------------------------------------------------------


PAINTS = {
    "paint": "first paint in tmux 160x50, seeds",
    "paint-1mb": "first paint in tmux, 1 MB article + 10k annotations",
    "paint-big": "first paint in tmux, 10 MB article + 100k annotations",
    "rss": "peak RSS, 10 MB article + 100k annotations open",
}


def paint_rows(ws: Workspace, key: str, db: Path, corpus: Path, expect: str, target: float | None,
               rss: bool = False) -> list[Row]:  # fmt: skip
    """First paint of reader against the one-line app, interleaved; with ``rss``, peak RSS too."""
    rows = [Row(key, PAINTS[key], target=f"<= {target}x" if target else "— (scale)")]
    if rss:
        rows.append(Row("rss", PAINTS["rss"], unit="MB", target="<= 250 MB"))
    tmux = ws.terminal()
    if tmux is None:
        for row in rows:
            row.note = "SKIP (no tmux)"
        return rows
    reader = reader_command() + ["--db", str(db), "--corpus", str(corpus), "--annotator", ANNOTATOR]
    baseline = [sys.executable, "-c", BASELINE_APP]
    log(f"{key}: warming up")
    tmux.launch(baseline, BASELINE_LINE, ws.folder)
    tmux.launch(reader, expect, ws.folder)
    ours, base = [], []
    for n in range(ws.config.paint_repeats):
        base.append(tmux.launch(baseline, BASELINE_LINE, ws.folder, rss=rss))
        ours.append(tmux.launch(reader, expect, ws.folder, rss=rss))
        log(f"{key}: {n + 1}/{ws.config.paint_repeats}: reader {ours[-1].paint * 1000:.0f} ms, "
            f"baseline {base[-1].paint * 1000:.0f} ms")  # fmt: skip
    paint, paint_base = (statistics.median(x.paint for x in runs) * 1000 for runs in (ours, base))
    rows[0].value, rows[0].base = paint, paint_base
    rows[0].ok = None if target is None else paint / paint_base <= target
    if rss:
        peak, peak_base = (statistics.median(x.rss for x in runs) for runs in (ours, base))
        rows[1].value, rows[1].base, rows[1].ok = peak, peak_base, peak <= 250
    return rows


def figure_paint(ws: Workspace) -> list[Row]:
    db = ws.folder / "seeds.db"
    if not db.exists():
        with Store.open(db, annotator=ANNOTATOR) as store:
            store.sync_documents(read_corpus(data.CORPUS))
    first = min(read_corpus(data.CORPUS), key=lambda d: d.id)
    return paint_rows(ws, "paint", db, data.CORPUS, first_words(first.text), 1.3)


def figure_paint_medium(ws: Workspace) -> list[Row]:
    db, corpus, expect = ws.article_db("1mb", ws.config.medium, ws.config.medium_spans)
    return paint_rows(ws, "paint-1mb", db, corpus, expect, None)


def figure_paint_big(ws: Workspace) -> list[Row]:
    db, corpus, expect = ws.big()
    return paint_rows(ws, "paint-big", db, corpus, expect, 1.5, rss=True)


def figure_rss(ws: Workspace) -> list[Row]:
    return [r for r in figure_paint_big(ws) if r.key == "rss"]


class IOWait:
    """Adds up wall time not spent on CPU inside wrapped methods (a commit's fsync)."""

    def __init__(self) -> None:
        self.total = 0.0

    def wrap(self, cls: type, name: str) -> None:
        original = getattr(cls, name)
        timer = self

        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                timer.total += max(0.0, (time.perf_counter() - wall) - (time.thread_time() - cpu))

        setattr(cls, name, timed)


async def _press(pilot, key: str, io: IOWait) -> float:
    io.total = 0.0
    cpu = time.process_time()
    await pilot.press(key)
    await pilot.pause()
    return (time.process_time() - cpu + io.total) * 1000


async def _baseline_keys(cfg: Config, io: IOWait) -> dict[str, list[float]]:
    from textual.app import App

    times: dict[str, list[float]] = {name: [] for name, _ in KEYS}
    async with App().run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.pause()
        for name, key in KEYS:
            count = cfg.edit_repeats if name in ("tag", "undo") else cfg.key_repeats
            for _ in range(count):
                times[name].append(await _press(pilot, key, io))
    return times


async def _reader_keys(db: Path, cfg: Config, io: IOWait) -> dict[str, list[float]]:
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
                    times[name].append(await _press(pilot, key, io))
            word = next(s for s, _ in data.words(text) if s >= view.cursor)
            view.move_to(word, center=True)
            await pilot.pause()
            before = store.conn.execute(live).fetchone()[0]
            for _ in range(cfg.edit_repeats):
                times["tag"].append(await _press(pilot, "1", io))
                if store.conn.execute(live).fetchone()[0] != before + 1:
                    raise RuntimeError("pressing 1 did not tag the word under the cursor")
                times["undo"].append(await _press(pilot, "ctrl+z", io))
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
    io = IOWait()
    for action in ("action_tag", "action_undo"):
        io.wrap(AnnotateScreen, action)
    log("app time per key: empty app")
    first = asyncio.run(_baseline_keys(ws.config, io))
    log("app time per key: reader on the 10 MB article + 100k annotations")
    ours = asyncio.run(_reader_keys(db, ws.config, io))
    log("app time per key: empty app again")
    second = asyncio.run(_baseline_keys(ws.config, io))
    rows = []
    for name, key in KEYS:
        value, base = statistics.median(ours[name]), statistics.median(first[name] + second[name])
        rows.append(Row(f"keys-{name.replace(' ', '-')}", f"app time per key, 10 MB + 100k: {name} ({key})",
                        value, base, kind="delta", target="<= +16 ms", ok=value - base <= 16))  # fmt: skip
    return rows


def figure_commit(ws: Workspace) -> list[Row]:
    """Store.create on the 10 MB + 100k store; the raw table holds the same 100k rows."""
    source, _, _ = ws.big()
    folder = ws.folder / "commit"
    folder.mkdir(exist_ok=True)
    shutil.copy(source, folder / "store.db")
    raw = raw_connection(folder / "raw.db")
    raw.execute("ATTACH DATABASE ? AS big", (str(source),))
    raw.execute("INSERT INTO annotations SELECT * FROM big.annotations")
    raw.execute("DETACH DATABASE big")
    ours, base = [], []
    # Another annotator than the 100k spans': reader keeps one live mark per annotator,
    # span and label, and these words may already carry the bench annotator's.
    with Store.open(folder / "store.db", annotator=f"{ANNOTATOR}-commit") as store:
        doc = store.document(store.documents()[0].id)
        edges = data.words(doc.text)[::7]
        n, block = ws.config.commits, max(1, ws.config.commits // 10)
        for first in range(0, n, block):
            for i in range(first, min(n, first + block)):
                start, end = edges[i % len(edges)]
                prefix, suffix = data.context(doc.text, start, end)
                row = (f"raw-{i}", doc.id, doc.sha256, start, end, doc.text[start:end], prefix, suffix,
                       data.LABELS[i % 3], "{}", "", ANNOTATOR, "manual", data.STAMP, data.STAMP, None, 0)  # fmt: skip
                began = time.perf_counter()
                raw.execute("BEGIN IMMEDIATE")
                raw.execute(INSERT, row)
                raw.execute("COMMIT")
                base.append((time.perf_counter() - began) * 1000)
            for i in range(first, min(n, first + block)):
                start, end = edges[i % len(edges)]
                began = time.perf_counter()
                store.create(doc.id, start, end, data.LABELS[i % 3])
                ours.append((time.perf_counter() - began) * 1000)
    raw.close()
    value, baseline = statistics.median(ours), statistics.median(base)
    return [Row("commit", "durable commit of one annotation", value, baseline, target="<= 2 ms, <= 3x",
                ok=value <= 2 and value / baseline <= 3)]  # fmt: skip


def figure_import(ws: Workspace) -> list[Row]:
    bulk = ws.bulk()
    corpus, jsonl = bulk["corpus"], bulk["jsonl"]
    n = len(corpus.spans)
    ours, base, parsed = [], [], []
    for r in range(ws.config.bulk_repeats):
        log(f"import: raw executemany ({r + 1}/{ws.config.bulk_repeats})")
        rows = list(data.raw_rows(corpus))
        target = ws.folder / f"raw-import-{r}.db"
        conn = raw_connection(target)
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(INSERT, rows)
        conn.execute("COMMIT")
        base.append(n / (time.perf_counter() - began))
        conn.close()
        del rows
        target.unlink()
        if r == 0:  # for scale only: once is enough
            log("import: raw json.loads + executemany")
            parsed.append(n / _json_insert(jsonl, ws.folder / f"raw-json-{r}.db"))
        log("import: reader import --format jsonl")
        db = ws.folder / f"bulk-import-{r}.db"
        shutil.copy(bulk["template"], db)
        ours.append(n / reader_import(db, jsonl, n, ws.folder))
        if bulk["db"] is not None:
            Path(bulk["db"]).unlink()
        bulk["db"] = db
    value = statistics.median(ours)
    ws.notes.append(
        f"import: {n / value:.1f} s for reader import, {n / statistics.median(base):.1f} s for raw executemany"
    )
    return [
        Row("import", "import of 1M annotations (native JSONL)", value, statistics.median(base), unit="/s",
            kind="rate", target=">= 0.8x", ok=value / statistics.median(base) >= 0.8),
        Row("import-json", "  the same, vs json.loads + executemany", value, statistics.median(parsed), unit="/s",
            kind="info", target="— (scale)"),
    ]  # fmt: skip


def _json_insert(jsonl: Path, path: Path) -> float:
    """Seconds to parse the native JSONL and insert its rows raw (prefix/suffix left empty)."""
    conn = raw_connection(path)
    began = time.perf_counter()

    def rows():
        with jsonl.open("rb") as handle:
            for line in handle:
                r = json.loads(line)
                yield (r["id"], r["document"], r["document_sha256"], r["start"], r["end"], r["text"], "", "",
                       r["label"], json.dumps(r["attributes"], ensure_ascii=False), r["note"], r["annotator"],
                       r["origin"], r["created_at"], r["updated_at"], None, 0)  # fmt: skip

    conn.execute("BEGIN")
    conn.executemany(INSERT, rows())
    conn.execute("COMMIT")
    seconds = time.perf_counter() - began
    conn.close()
    path.unlink()
    return seconds


EXPORT_COLUMNS = ("id", "document", "document_sha256", "start", "end", "text", "label", "attributes", "note",
                  "annotator", "origin", "created_at", "updated_at")  # fmt: skip


def _raw_export(db: Path, out: Path) -> float:
    began = time.perf_counter()
    conn = sqlite3.connect(db)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    cursor = conn.execute(
        'SELECT id, document, document_sha256, start, "end", text, label, attributes, note, annotator, origin, '
        "created_at, updated_at FROM annotations WHERE deleted_at IS NULL AND orphaned = 0 "
        'ORDER BY document, start, "end", label, annotator, id'
    )
    with out.open("w", encoding="utf-8") as handle:
        for row in cursor:
            record = dict(zip(EXPORT_COLUMNS, row))
            record["attributes"] = json.loads(record["attributes"])
            handle.write(dumps(record) + "\n")
    conn.close()
    return time.perf_counter() - began


def figure_export(ws: Workspace) -> list[Row]:
    db = ws.imported()
    bulk = ws.bulk()
    n = len(bulk["corpus"].spans)
    ours, base = [], []
    for r in range(ws.config.bulk_repeats):
        log(f"export: raw sqlite3 + json ({r + 1}/{ws.config.bulk_repeats})")
        raw_out = ws.folder / "raw-export.jsonl"
        base.append(n / _raw_export(db, raw_out))
        raw_out.unlink()
        log("export: reader export --format jsonl")
        out = ws.folder / "export.jsonl"
        seconds, _ = run_cli(
            ["export", "--db", str(db), "--format", "jsonl", "-o", str(out)], ws.folder
        )
        ours.append(n / seconds)
        if out.read_bytes() != bulk["jsonl"].read_bytes():
            ws.notes.append(
                "export: reader's JSONL differs from bench/data.py's native_jsonl (check the generator)"
            )
        out.unlink()
    value, baseline = statistics.median(ours), statistics.median(base)
    ws.notes.append(
        f"export: {n / value:.1f} s for reader export, {n / baseline:.1f} s for raw sqlite3 + json"
    )
    return [Row("export", "export of 1M annotations (JSONL)", value, baseline, unit="/s", kind="rate",
                target=">= 0.9x", ok=value / baseline >= 0.9)]  # fmt: skip


def figure_agree(ws: Workspace) -> list[Row]:
    db = ws.imported()
    ours, base = [], []
    for r in range(ws.config.bulk_repeats):
        log(f"agree: one pass over the rows ({r + 1}/{ws.config.bulk_repeats})")
        began = time.perf_counter()
        conn = sqlite3.connect(db)
        plain_pass(conn.execute('SELECT annotator, document, start, "end", label FROM annotations '
                                "WHERE deleted_at IS NULL AND orphaned = 0"))  # fmt: skip
        conn.close()
        base.append(time.perf_counter() - began)
        log("agree: reader agree")
        seconds, output = run_cli(["agree", "--db", str(db), "--annotator", ANNOTATOR], ws.folder)
        if "krippendorff" not in output.lower():
            raise RuntimeError(f"reader agree printed no report: {output[-500:]}")
        ours.append(seconds)
    value, baseline = statistics.median(ours), statistics.median(base)
    return [Row("agree", "agreement report on 1M spans, 3 annotators", value, baseline, unit="s",
                target="<= 10 s, <= 5x", ok=value <= 10 and value / baseline <= 5)]  # fmt: skip


def figure_help(ws: Workspace) -> list[Row]:
    ours, base = [], []
    for _ in range(ws.config.help_repeats):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - began)
        seconds, output = run_cli(["--help"], ws.folder)
        if "Usage" not in output:
            raise RuntimeError(f"reader --help printed no usage: {output[:300]}")
        ours.append(seconds)
    value, baseline = statistics.median(ours), statistics.median(base)
    return [Row("help", "startup of reader --help", value, baseline, unit="s", target="<= 0.3 s",
                ok=value <= 0.3)]  # fmt: skip


FIGURES: dict[str, Callable[[Workspace], list[Row]]] = {
    "paint": figure_paint,
    "paint-1mb": figure_paint_medium,
    "paint-big": figure_paint_big,
    "rss": figure_rss,
    "keys": figure_keys,
    "commit": figure_commit,
    "import": figure_import,
    "export": figure_export,
    "agree": figure_agree,
    "help": figure_help,
}
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes, for the smoke test (verdicts mean nothing)",
    )
    parser.add_argument(
        "--seed", type=int, default=2022, help="seed of every generated article and span"
    )
    parser.add_argument("--only", default="", help=f"comma-separated figures: {', '.join(FIGURES)}")
    parser.add_argument(
        "--dir", default=None, help="where the scratch folder goes [the system's temp folder]"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (databases, JSONL)"
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(FIGURES)
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    if "paint-big" in chosen and "rss" in chosen:
        chosen.remove("rss")  # measured in the same launches
    config = QUICK if args.quick else FULL
    folder = Path(tempfile.mkdtemp(prefix="reader-bench-", dir=args.dir))
    ws = Workspace(folder, config, args.seed)
    before = machine()
    rows: list[Row] = []
    failed = False
    try:
        for name in chosen:
            log(f"figure {name}")
            try:
                rows.extend(FIGURES[name](ws))
            except Exception as exc:  # noqa: BLE001 (one broken figure must not hide the others)
                traceback.print_exc()
                reason = (str(exc) or type(exc).__name__).splitlines()[0][:60]
                rows.append(Row(name, name, note=f"ERROR: {reason}"))
                failed = True
    finally:
        if ws.tmux is not None:
            ws.tmux.close()
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    quick = " (--quick: tiny sizes, verdicts mean nothing)" if args.quick else ""
    print(f"reader benchmarks{quick}, seed {args.seed}")
    print(f"started: {before}")
    print(f"ended:   {machine()}; {time.perf_counter() - STARTED:.0f} s in all")
    print()
    print(table(rows))
    sys.stdout.flush()
    if ws.notes:
        print()
        for note in ws.notes:
            print(f"- {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
