"""First paint in a real terminal, and peak RSS.

- first paint: the tmux driver (``bench/tmux.py``) launches ``reader --db D --corpus C
  --annotator bench`` (the real console script) and times it to the first article's
  first words on screen. The baseline is a minimal Textual app that shows one line,
  launched interleaved with it. One unmeasured launch of each comes first (the
  database's first open aligns the corpus and caches it, and the OS caches files).
  The 10 MB figure's database holds the 10 MB article (first pane) with 100k spans by
  the bench annotator (blind mode shows them all) and a 5 KB one (second pane); the
  crowded one adds 1.5M spans of 15 other annotators on the same article.
- peak RSS: in those same 10 MB launches, once the app is idle (its CPU time stops
  growing: the passage worker and first renders are done), ``VmHWM`` of the app's
  process from /proc; the baseline is the minimal app, measured the same way.
- ratios between reader runs (issue 14): the 10 MB paints against the seeds' paint,
  and the seeds' paint against ``bench/skeleton.py`` (the same layout drawing the same
  text from memory); each pair is launched interleaved.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from bench.harness import Row, log, reader_command
from bench.workspace import ANNOTATOR, Workspace

BASELINE_LINE = "bench: one line"
BASELINE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class One(App):\n"
    "    def compose(self):\n"
    f"        yield Static({BASELINE_LINE!r})\n"
    "One().run()\n"
)
PAINTS = {
    "paint": "first paint in tmux 160x50, seeds",
    "paint-1mb": "first paint in tmux, 1 MB article + 10k annotations",
    "paint-big": "first paint in tmux, 10 MB article + 100k annotations",
    "rss": "peak RSS, 10 MB article + 100k annotations open",
}


def reader_launch(db: Path, corpus: Path) -> list[str]:
    return reader_command() + ["--db", str(db), "--corpus", str(corpus), "--annotator", ANNOTATOR]


def one_line_app() -> list[str]:
    return [sys.executable, "-c", BASELINE_APP]


def interleaved(
    ws: Workspace,
    key: str,
    pairs: list[tuple[list[str], str]],
    rss: bool = False,
    rounds: int | None = None,
):
    """Launches of each (command, expected text) in turn, ``rounds`` rounds (default
    ``paint_repeats``) after one warm-up round; the launches of each, or None without tmux."""
    tmux = ws.terminal()
    if tmux is None:
        return None
    rounds = rounds or ws.config.paint_repeats
    log(f"{key}: warming up")
    for command, expect in pairs:
        tmux.launch(command, expect, ws.folder)
    runs: list[list] = [[] for _ in pairs]
    for n in range(rounds):
        for (command, expect), found in zip(pairs, runs):
            found.append(tmux.launch(command, expect, ws.folder, rss=rss))
        shown = ", ".join(f"{found[-1].paint * 1000:.0f} ms" for found in runs)
        log(f"{key}: {n + 1}/{rounds}: {shown}")
    return runs


def median_paint(runs: list) -> float:
    return statistics.median(x.paint for x in runs) * 1000


def paint_rows(ws: Workspace, key: str, db: Path, corpus: Path, expect: str, target: float | None,
               rss: bool = False) -> list[Row]:  # fmt: skip
    """First paint of reader against the one-line app, interleaved; with ``rss``, peak RSS too."""
    rows = [Row(key, PAINTS[key], target=f"<= {target}x" if target else "— (scale)")]
    if rss:
        rows.append(Row("rss", PAINTS["rss"], unit="MB", target="<= 250 MB"))
    runs = interleaved(
        ws, key, [(one_line_app(), BASELINE_LINE), (reader_launch(db, corpus), expect)], rss
    )
    if runs is None:
        for row in rows:
            row.note = "SKIP (no tmux)"
        return rows
    base, ours = runs
    rows[0].value, rows[0].base = median_paint(ours), median_paint(base)
    rows[0].ok = None if target is None else rows[0].value / rows[0].base <= target
    if rss:
        peak, peak_base = (statistics.median(x.rss for x in found) for found in (ours, base))
        rows[1].value, rows[1].base, rows[1].ok = peak, peak_base, peak <= 250
    return rows


def figure_paint(ws: Workspace) -> list[Row]:
    db, corpus, expect = ws.seeds()
    return paint_rows(ws, "paint", db, corpus, expect, 1.3)


def figure_paint_medium(ws: Workspace) -> list[Row]:
    db, corpus, expect = ws.article_db("1mb", ws.config.medium, ws.config.medium_spans)
    return paint_rows(ws, "paint-1mb", db, corpus, expect, None)


def figure_paint_big(ws: Workspace) -> list[Row]:
    db, corpus, expect = ws.big()
    return paint_rows(ws, "paint-big", db, corpus, expect, 1.5, rss=True)


def figure_rss(ws: Workspace) -> list[Row]:
    return [r for r in figure_paint_big(ws) if r.key == "rss"]
