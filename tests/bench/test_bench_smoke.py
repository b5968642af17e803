"""The benchmark suite's smallest configuration runs end to end and prints every row.

Timings are never asserted (they belong to ``bench/``); this only proves the suite
still works against the current code, so a refactor cannot silently break it.
"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

HEADER = "| figure"
ROWS = [
    "first paint in tmux 160x50, seeds",
    "first paint in tmux, 1 MB article + 10k annotations",
    "first paint in tmux, 10 MB article + 100k annotations",
    "peak RSS, 10 MB article + 100k annotations open",
    "app time per key, 10 MB + 100k: cursor move",
    "app time per key, 10 MB + 100k: page-down",
    "app time per key, 10 MB + 100k: tag",
    "app time per key, 10 MB + 100k: undo",
    "durable commit of one annotation",
    "import of 1M annotations (native JSONL)",
    "export of 1M annotations (JSONL)",
    "agreement report on 1M spans, 3 annotators",
    "startup of reader --help",
    "first paint, 10 MB + 100k vs the seeds' first paint",
    "first paint, 10 MB + 1.6M in the db vs the seeds'",
    "first paint, seeds vs a skeleton app (same layout)",
    "showing others' spans (o), 10 MB + 1.6M",
    "app time per key while a tag waits for an import of",
    "tag committed after the import's end",
    "PRAGMA quick_check of that database",
]
RESULTS = ("PASS", "MISS", "info", "SKIP (no tmux)")


def test_quick_suite_exits_0_and_prints_every_figure(tmp_path):
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--dir", str(tmp_path)],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith(HEADER) and "baseline (same run)" in line for line in lines), (
        done.stdout
    )
    for figure in ROWS:
        [row] = [line for line in lines if line.startswith(f"| {figure}")]
        result = row.rstrip(" |").rsplit("|", 1)[1].strip()
        assert result in RESULTS, row
    assert list(tmp_path.iterdir()) == [], "the scratch folder must be removed"
