"""ReaderApp: holds the store and the screens; every domain decision is in the core."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import Provider
from textual.screen import Screen

from reader.core.store import Store
from reader.keys import HELP_EXTRA, HELP_ORDER, SCOPES, label_keys
from reader.startup import resume_collection
from reader.tui.keys import bindings, help_rows, scope_rows
from reader.tui.screens.annotate import AnnotateScreen

# Help, the palette's providers and the export command are imported when first used:
# start-up is the one wait every session has, and none of them is on the first screen
# (tests/tui/test_startup.py keeps it so).


def _provider(name: str) -> Callable[[], type[Provider]]:
    """A palette provider of ``reader.tui.commands``, loaded when the palette opens."""

    def load() -> type[Provider]:
        from reader.tui import commands

        return getattr(commands, name)

    return load


class ReaderApp(App[None]):
    """The annotator. Quit with ctrl+q; everything shown as saved already is."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {
        _provider(name) for name in ("ActionsProvider", "CorpusSearchProvider", "FieldsProvider")
    }
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")
    """Help, quit, the palette and review: the app's own keys (``reader.keys``, "app")."""

    def __init__(self, store: Store, *, panes: int = 2, gold: str = "gold", review: bool = True):
        super().__init__()
        self.store = store
        self.panes = panes
        self.gold = gold  # who settled decisions are written as (--gold)
        self.review = review  # off in browser sessions whose annotator names itself

    @on(events.DeliveryComplete)
    def _export_saved(self, event: events.DeliveryComplete) -> None:
        from reader.tui.export_action import delivered  # says nothing of other deliveries

        delivered(self, event.key, event.path, None)

    @on(events.DeliveryFailed)
    def _export_failed(self, event: events.DeliveryFailed) -> None:
        from reader.tui.export_action import delivered

        delivered(self, event.key, None, event.exception)

    def on_mount(self) -> None:
        self.push_screen(AnnotateScreen.for_store(self.store, self.panes))
        # The damage check reads the whole file (seconds at 1.6M annotations): after the
        # first paint, in a thread; the first write waits for its verdict.
        self.call_after_refresh(self.store.check_intact_later)
        self.call_after_refresh(resume_collection)  # paused by `reader` (reader.startup)

    @property
    def annotate(self) -> AnnotateScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, AnnotateScreen):
                return screen
        return None

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every key of the registry, grouped by where it applies (``reader.keys``)."""
        from reader.core.codebook import help_rows as codebook_rows

        shown = self.get_key_display
        sections = []
        for scope in HELP_ORDER:
            if scope == "tagging":
                labels = label_keys(self.store.schema) if self.annotate is not None else ()
                sections.append(("Tagging", help_rows(labels, shown)))
            else:
                sections.append((SCOPES[scope].help, scope_rows(scope, shown)))
        return (
            sections
            + [(title, list(rows)) for title, rows in HELP_EXTRA]
            + [("Labels (reader schema prints them)", codebook_rows(self.store.schema))]
        )

    def action_review(self) -> None:
        """Compare annotators and settle their disagreements into gold (from annotating)."""
        from reader.tui.screens.review import start_review

        if not self.review:
            self.notify(
                "Review writes the gold set, so it is off in browser sessions that name "
                "their own annotator: adjudicate with reader on the server",
                severity="warning",
            )
            return
        if isinstance(self.screen, AnnotateScreen):
            start_review(self, self.store, self.gold, closed=self.screen.redraw_all)

    def offered(self, action: str, screen: Screen) -> bool:
        """Whether an app action applies on ``screen``: review starts from annotating."""
        return action != "review" or isinstance(screen, AnnotateScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offered(action, self.screen)

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in SCOPES["app"].keys:
            if key.palette is not None and self.offered(key.action, screen):
                yield SystemCommand(
                    key.palette or key.description,
                    key.palette_help,
                    partial(self.run_action, key.action),
                )
        from reader.tui.export_action import export_command

        yield export_command(self, self.store)
