"""Every figure a user feels, each next to a baseline measured in the same run.

    python -m bench [--quick] [--seed N] [--only FIGURE[,FIGURE...]] [--dir D] [--keep]
    python bench/run.py ...

The data is generated deterministically from the seed (``bench/data.py``, built once
per run by ``bench/workspace.py``): articles built from the shipped corpus's sentences
(5 KB, 1 MB, 10 MB), 0 / 10k / 100k spans on one article, 1.6M on it with 15 more
annotators, 1M spans over 10,000 articles by 3 annotators. ``--quick`` shrinks every
size (for the smoke test; its verdicts mean nothing). The table goes to stdout,
progress to stderr. Exit code 0 unless a figure could not be measured at all (a
missed target is a result, not a failure).

Each figure's method is in its module's docstring under ``bench/figures/``; what they
share (the raw-SQLite baseline, the Timer, the table) is ``bench/harness.py``, the
terminal driver ``bench/tmux.py``. Medians of repeats; each baseline runs interleaved
with its figure, so load on the shared machine hits both alike. ``words`` (the word
segmenter against syllables), ``review`` and ``import-sql`` run only when named with
``--only``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.figures import (
    agree,
    commit,
    import_lock,
    import_sql,
    keys,
    paint,
    review,
    screen,
    startup,
    transfer,
    words,
)
from bench.harness import STARTED, Row, log, machine, table
from bench.workspace import FULL, QUICK, Workspace

FIGURES: dict[str, Callable[[Workspace], list[Row]]] = {
    "paint": paint.figure_paint,
    "paint-1mb": paint.figure_paint_medium,
    "paint-big": paint.figure_paint_big,
    "rss": paint.figure_rss,
    "paint-ratios": screen.figure_paint_ratios,
    "paint-skeleton": screen.figure_paint_skeleton,
    "others": screen.figure_others,
    "keys": keys.figure_keys,
    "commit": commit.figure_commit,
    "import": transfer.figure_import,
    "export": transfer.figure_export,
    "agree": agree.figure_agree,
    "help": startup.figure_help,
    "import-lock": import_lock.figure_import_lock,
    "import-sql": import_sql.figure_import_sql,
    "words": words.figure_words,
    "review": review.figure_review,
}
#: Figures run only when named with --only (each costs a minute of its own).
OPTIONAL = {"words", "review", "import-sql"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, for the smoke test (verdicts mean nothing)")  # fmt: skip
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
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or [
        name for name in FIGURES if name not in OPTIONAL
    ]
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    if "paint-big" in chosen and "rss" in chosen:
        chosen.remove("rss")  # measured in the same launches
    if "paint-ratios" in chosen and "paint-skeleton" in chosen:
        chosen.remove("paint-skeleton")  # its last row
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
