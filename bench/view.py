"""Time ArticleView against an empty Textual app, in the same run.

    python bench/view.py [--repeat 15] [--size 120x36] [--sizes 5k,1m,10m,10m1]

Articles are built from the shipped corpus's sentences, shuffled with a fixed seed,
as paragraphs of 2 to 6 sentences (``10m1``: the same 10 MB as one single line).
Annotations are 100,000 random spans (seeded) of 3 to 60 code points over the three
default labels, as ``AnnotationSpan``s in document order (as the store returns them;
``--shuffle`` passes them in random order, which adds a sort).

Method. Everything runs headless through ``App.run_test`` on one event loop.

- first paint: wall time from constructing the app to the first composed frame,
  caught by wrapping ``App._display`` (the compositor has rendered every widget
  by then; headless it writes nothing). The view builds its layout, indexes the
  annotations and renders its rows inside that window. The empty app is a bare
  ``App()`` with nothing in it, measured the same way; ``floor`` is an app holding
  one trivial Line-API ``ScrollView`` (constant rows), i.e. what Textual costs for
  any such widget before the view does any work of its own. Each figure is the
  median of 5 runs, interleaved with the baselines so that load on the machine
  hits all of them alike.
- per key: ``await pilot.press(key)`` then ``await pilot.pause()`` (the key is
  handled and the screen refreshed), repeated; the median of process CPU time
  (``time.process_time``, so idle waits inside Pilot do not count) is the app's
  time per key. The empty app gets the same keys, which it ignores: its figure is
  the floor that Textual and Pilot cost by themselves. ``view`` is the time spent
  inside the view (key handler plus ``render_lines``), measured by wrapping them.
- Keys are pressed with the cursor in the middle of the article, so that a 10 MB
  article is measured where rows are wrapped for the first time (page-down keeps
  reaching new blocks).

Targets (issue 3): first paint within 1.5x of the empty app at every size, and at
most 16 ms of app time per key at 10 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bench.harness import Timer
from reader.tui.article_view import AnnotationSpan, ArticleView

SIZES = {"5k": 5_000, "1m": 1_000_000, "10m": 10_000_000, "10m1": 10_000_000}
LABELS = (("PER", "#d75f5f"), ("LOC", "#d7af00"), ("ORG", "#5f87d7"))
KEYS = (("cursor right", "right"), ("cursor down", "down"), ("page down", "pagedown"))


def sentences() -> list[str]:
    found = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            found.extend(part.strip() + "." for part in line.split(". ") if part.strip())
    return found


def article(size: int, one_line: bool, seed: int = 2022) -> str:
    rng = random.Random(seed)
    pool = sentences()
    paragraphs, total = [], 0
    while total < size:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return (" " if one_line else "\n").join(paragraphs)[:size]


def annotations(length: int, count: int, shuffle: bool, seed: int = 7) -> list[AnnotationSpan]:
    rng = random.Random(seed)
    starts = [rng.randrange(max(1, length - 60)) for _ in range(count)]
    if not shuffle:
        starts.sort()
    spans = []
    for n, start in enumerate(starts):
        label, color = LABELS[n % 3]
        spans.append(AnnotationSpan(f"a{n}", start, start + rng.randint(3, 60), label, color))
    return spans


class EmptyApp(App):
    """The baseline: Textual with nothing to show."""


class _Constant(ScrollView):
    """The cheapest Line-API widget: the same row everywhere."""

    def on_mount(self) -> None:
        self.virtual_size = Size(100, 10_000)

    def render_line(self, y: int) -> Strip:
        return Strip([Segment("x" * 100)])

    def action_page_down(self) -> None:
        """Scroll a page at once, as the view does (Textual would animate it)."""
        self.scroll_to(y=self.scroll_y + self.size.height, animate=False)


class FloorApp(App):
    """The second baseline: one trivial Line-API widget."""

    def compose(self) -> ComposeResult:
        yield _Constant()


class ViewApp(App):
    """One ArticleView filling the screen."""

    def __init__(self, text: str, spans: list[AnnotationSpan]):
        super().__init__()
        self.text = text
        self.spans = spans

    def compose(self) -> ComposeResult:
        view = ArticleView(self.text, "bench", id="view")
        if self.spans:
            view.set_annotations(self.spans)
        yield view

    def on_mount(self) -> None:
        self.query_one(ArticleView).focus()


async def first_paint(make_app, timer: Timer) -> tuple[float, float]:
    """Wall ms to the first composed frame, and ms of it spent inside the view."""
    painted: list[tuple[float, float]] = []
    original = App._display

    def display(self, screen, renderable):
        if renderable is not None and not painted:
            painted.append((time.perf_counter(), timer.total))
        return original(self, screen, renderable)

    App._display = display
    try:
        timer.total = 0.0
        start = time.perf_counter()
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            while not painted:
                await pilot.pause()
        return (painted[0][0] - start) * 1000, painted[0][1] * 1000
    finally:
        App._display = original


async def keys(make_app, repeat: int, timer: Timer) -> dict[str, tuple[float, float]]:
    """Median CPU ms and view ms per key."""
    results = {}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        views = app.query(ArticleView)
        if views:
            view = views.first()
            view.move_to(len(view.text) // 2, center=True)
            await pilot.pause()
        for name, key in KEYS:
            cpu, inside = [], []
            for _ in range(repeat):
                timer.total = 0.0
                start = time.process_time()
                await pilot.press(key)
                await pilot.pause()
                cpu.append((time.process_time() - start) * 1000)
                inside.append(timer.total * 1000)
            results[name] = (statistics.median(cpu), statistics.median(inside))
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--size", default="120x36")
    parser.add_argument("--sizes", default="5k,1m,10m,10m1")
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--shuffle", action="store_true")
    args = parser.parse_args()
    global SIZE
    SIZE = tuple(int(n) for n in args.size.split("x"))

    timer = Timer()
    for name in ("load", "set_annotations", "render_lines", "on_resize", "on_mount", "action_move"):
        timer.wrap(ArticleView, name)

    # warm up imports and caches once, so the first row is not charged for them
    await first_paint(EmptyApp, timer)
    await first_paint(lambda: ViewApp(article(5_000, False), []), timer)

    print(f"terminal {SIZE[0]}x{SIZE[1]}; medians in ms; {args.repeat} presses per key")
    print("paint: first frame (view: time inside ArticleView); empty / floor: baselines")
    print("keys: app CPU per key, then the same key in the empty app and the floor app,")
    print("      then the time inside ArticleView")
    header = f"{'article':<13}{'spans':>7} {'paint':>6} {'view':>5} {'empty':>5} {'floor':>5} {'xempt':>5} {'xflr':>5}"
    for name, _ in KEYS:
        header += f" | {name:>19}"
    print(header)
    print(f"{'':<59}" + "".join(f" | {'cpu/empty/floor/view':>19}" for _ in KEYS))
    for size_name in args.sizes.split(","):
        text = article(SIZES[size_name], size_name.endswith("1"))
        for count in (0, args.annotations):
            spans = annotations(len(text), count, args.shuffle) if count else []
            paints, views, empties, floors = [], [], [], []
            for _ in range(5):
                empties.append((await first_paint(EmptyApp, timer))[0])
                floors.append((await first_paint(FloorApp, timer))[0])
                paint, inside = await first_paint(partial(ViewApp, text, spans), timer)
                paints.append(paint)
                views.append(inside)
            paint, inside = statistics.median(paints), statistics.median(views)
            empty, floor = statistics.median(empties), statistics.median(floors)
            ours = await keys(partial(ViewApp, text, spans), args.repeat, timer)
            base = await keys(EmptyApp, args.repeat, timer)
            flat = await keys(FloorApp, args.repeat, timer)
            label = f"{size_name} ({len(text) / 1e6:.3g}MB)" if len(text) >= 1e6 else size_name
            row = (
                f"{label:<13}{count:>7} {paint:6.1f} {inside:5.1f} {empty:5.1f} {floor:5.1f}"
                f" {paint / empty:5.2f} {paint / floor:5.2f}"
            )
            for name, _ in KEYS:
                cpu, view_ms = ours[name]
                row += f" | {cpu:4.1f}/{base[name][0]:3.1f}/{flat[name][0]:4.1f}/{view_ms:4.1f}"
            print(row, flush=True)


SIZE = (120, 36)

if __name__ == "__main__":
    asyncio.run(main())
