"""Startup: ``reader --help`` against ``python -c pass``, wall time of the process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench.harness import Row, run_cli
from bench.workspace import Workspace


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
