"""Waiting in Pilot tests for what a test means, never for a number of pauses or a sleep.

On a slow, loaded CI machine a worker, a timer or an after-refresh callback may still be
to come after any fixed number of ``pilot.pause()`` calls, or may have run before the
first one: a test waits for its condition, within a bound, and says what never came.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.command import CommandList, CommandPalette
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

#: Seconds of wall time a wait allows: a bound for a loaded machine, not a measurement.
BOUND = 30.0


async def until(
    pilot, condition: Callable[[], object], what: str | Callable[[], str], seconds: float = BOUND
) -> None:
    """Pause until ``condition()`` holds; fail naming ``what`` (or what it returns then)
    if it does not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what() if callable(what) else what}")
        await pilot.pause()


async def aligned(pilot) -> None:
    """Wait until the annotate screen's shared passages are aligned (a worker started
    after the first paint) and no worker runs any more."""
    app = pilot.app
    await until(
        pilot,
        lambda: app.annotate.assist._passages is not None,
        "the shared passages aligned after the first paint",
    )
    await app.workers.wait_for_complete()
    await pilot.pause()


def footer_current(screen) -> bool:
    """Whether each footer of ``screen`` shows the keys the screen binds now (and which
    are disabled): Textual rebuilds a footer after a refresh once the bindings changed."""
    wanted: dict[str, bool] = {}
    for _, binding, enabled, _ in screen.active_bindings.values():
        if binding.show:
            wanted.setdefault(binding.action, not enabled)
    return all(
        {
            key.action: key.has_class("-disabled")
            for key in footer.query(FooterKey)
            if not key.has_class("-command-palette")
        }
        == wanted
        for footer in screen.query(Footer)
    )


async def footer_shown(pilot) -> None:
    """Wait until the footer of the screen shown lists its keys."""
    await until(pilot, lambda: footer_current(pilot.app.screen), "the footer listing the keys")


def palette_titles(palette: CommandPalette) -> list[str]:
    """The commands the palette lists now, best first."""
    options = palette.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_palette(pilot) -> CommandPalette:
    """ctrl+p, and wait until the palette takes what is typed."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(
        pilot,
        lambda: isinstance(app.screen, CommandPalette) and isinstance(app.focused, Input),
        "the command palette open, its input focused",
    )
    return app.screen


async def run_command(pilot, typed: str) -> None:
    """Open the palette, type ``typed``, and press enter once the command it names is
    the highlighted one, as a person waits to see it: the palette searches in a worker,
    and enter before the search of what was typed would pick another or none."""
    palette = await open_palette(pilot)
    await pilot.press(*typed)
    options = palette.query_one(CommandList)

    def highlighted() -> str:
        index = options.highlighted
        return "" if index is None else str(options.get_option_at_index(index).prompt)

    await until(
        pilot,
        lambda: typed.lower() in highlighted().lower(),
        lambda: f"the palette highlighting {typed!r} (it lists {palette_titles(palette)})",
    )
    await pilot.press("enter")
