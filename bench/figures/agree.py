"""Agreement report on the 1M set: ``reader agree`` (text report to a pipe); baseline:
one pass over the same rows read with sqlite3 (``bench/agreement.py``'s plain pass)."""

from __future__ import annotations

import sqlite3
import statistics
import time

from bench.agreement import plain_pass
from bench.harness import Row, log, run_cli
from bench.workspace import ANNOTATOR, Workspace


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
