"""An opt-in pytest plugin that makes a Textual app's timing that of a slow, loaded
machine, to find Pilot tests that wait for a number of pauses instead of a condition:

    READER_LATE=callbacks,workers,timers python -m pytest -p tests.late tests/tui
    READER_LATE=pilot python -m pytest -p tests.late tests/tui

``callbacks``: what ``call_after_refresh`` schedules runs READER_LATE_SECONDS (0.3) late;
``workers``: every worker starts that late; ``timers``: timers of 0.1 s or more (not the
screen's refresh) tick that late; ``pilot``: the test side is late instead, every wait
of the Pilot (and run_test's first) sleeping that much more, so the app's timers and
workers get ahead of it. A test that passes only without it depends on timing.
Subprocesses the tests start run without it. It patches Textual's private methods.
"""

from __future__ import annotations

import asyncio
import os

from textual.pilot import Pilot
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

LATE = float(os.environ.get("READER_LATE_SECONDS", "0.3"))
WHAT = set(os.environ.get("READER_LATE", "callbacks,workers,timers").split(","))

if "callbacks" in WHAT:
    _invoke_later = Screen._invoke_later

    def _late_invoke_later(self, callback, sender) -> None:
        asyncio.get_running_loop().call_later(LATE, _invoke_later, self, callback, sender)

    Screen._invoke_later = _late_invoke_later

if "workers" in WHAT:
    _run = Worker._run

    async def _late_run(self, app) -> None:
        await asyncio.sleep(LATE)
        await _run(self, app)

    Worker._run = _late_run

if "timers" in WHAT:
    _tick = Timer._tick

    async def _late_tick(self, *, next_timer: float, count: int) -> None:
        if self._interval >= 0.1:
            await asyncio.sleep(LATE)
        await _tick(self, next_timer=next_timer, count=count)

    Timer._tick = _late_tick

if "pilot" in WHAT:
    _wait_for_screen = Pilot._wait_for_screen

    async def _late_wait_for_screen(self, timeout: float = 30.0) -> bool:
        await asyncio.sleep(LATE)
        return await _wait_for_screen(self, timeout)

    Pilot._wait_for_screen = _late_wait_for_screen
