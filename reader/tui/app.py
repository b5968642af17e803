"""ReaderApp: holds the store and the screens; every domain decision is in the core."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.core.store import Store
from reader.tui.commands import ActionsProvider, CorpusSearchProvider
from reader.tui.export_action import export_command
from reader.tui.screens.annotate import AnnotateScreen
from reader.tui.screens.help import HelpScreen


class ReaderApp(App[None]):
    """The annotator. Quit with ctrl+q; everything shown as saved already is."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ActionsProvider, CorpusSearchProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("ctrl+p", "command_palette", "Palette", show=False),
        Binding("r", "review", "Review", show=False),
    ]

    def __init__(self, store: Store, *, panes: int = 2, gold: str = "gold", review: bool = True):
        super().__init__()
        self.store = store
        self.panes = panes
        self.gold = gold  # who settled decisions are written as (--gold)
        self.review = review  # off in browser sessions whose annotator names itself

    def on_mount(self) -> None:
        self.push_screen(AnnotateScreen(self.store, self.panes))

    @property
    def annotate(self) -> AnnotateScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, AnnotateScreen):
                return screen
        return None

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding of the screens and widgets in play, grouped by where it applies."""
        from reader.tui.article_view import ArticleView
        from reader.tui.screens.review_document import AdjudicationScreen

        def rows(bindings: Iterable) -> list[tuple[str, str]]:
            merged: dict[str, list[str]] = {}
            for binding in bindings:
                if isinstance(binding, tuple):
                    binding = Binding(*binding)
                description = binding.description or binding.action
                shown = binding.key_display or ", ".join(
                    self.get_key_display(Binding(key, binding.action))
                    for key in binding.key.split(",")
                )
                merged.setdefault(description, []).append(shown)
            return [(", ".join(keys), description) for description, keys in merged.items()]

        screen = self.annotate
        tag_rows = []
        if screen is not None:
            tag_rows = [
                (label.key, f"tag the selection (or the word at the cursor) as {label.title}")
                for label in self.store.schema.labels
                if label.key
            ]
        return [
            ("Moving and selecting (in a pane)", rows(ArticleView.BINDINGS)),
            ("Tagging", tag_rows),
            ("Annotations and documents", rows(AnnotateScreen.BINDINGS)),
            ("Review (r): settling disagreements", rows(AdjudicationScreen.BINDINGS)),
            ("Everywhere", rows(self.BINDINGS) + [("tab, shift+tab", "next / previous pane")]),
            (
                "Mouse",
                [
                    ("click", "place the cursor; on an annotation, select it"),
                    ("drag", "select a span"),
                ],
            ),
            (
                "Marks",
                [
                    (
                        "▌ left of a row",
                        "a passage shared with another document (c opens it, P copies your spans)",
                    ),
                    ("highlighted title", "the pane that has the keyboard"),
                ],
            ),
        ]

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return isinstance(self.screen, AnnotateScreen)
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key of the annotator", self.action_help)
        if isinstance(screen, AnnotateScreen):
            yield SystemCommand(
                "Review", "Compare annotators, settle disagreements into gold", self.action_review
            )
        yield export_command(self, self.store)
