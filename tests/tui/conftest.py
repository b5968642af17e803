"""Fixtures of the Pilot tests."""

from __future__ import annotations

import inspect

import pytest

from tests.tui.waiting import footer_shown


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's snap_compare, with each picture taken once the footer
    lists the keys of the screen shown: Textual rebuilds it after a refresh once they
    change, which on a slow machine may come after the plugin's own pauses."""

    def compare(app, *args, run_before=None, **kwargs):
        async def then_the_footer(pilot) -> None:
            if run_before is not None:
                done = run_before(pilot)
                if inspect.isawaitable(done):
                    await done
            await footer_shown(pilot)

        return snap_compare(app, *args, run_before=then_the_footer, **kwargs)

    return compare
