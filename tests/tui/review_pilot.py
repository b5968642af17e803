"""Opening review as a person does, shared by the review tests that need no more checks on the way."""

from __future__ import annotations

from reader.tui.screens.review_document import AdjudicationScreen


async def open_review(app, pilot) -> AdjudicationScreen:
    """r, accept the two preselected annotators, Enter on the first row."""
    await pilot.press("r")
    await pilot.pause()
    await pilot.press("tab", "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AdjudicationScreen)
    return app.screen
