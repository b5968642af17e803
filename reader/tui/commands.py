"""Command palette providers: every screen action, and search across all documents."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.core.display import inert
from reader.keys import SCOPES, label_keys


class ActionsProvider(Provider):
    """Every action of the annotate screen and the article view in the key registry
    (``reader.keys``), with its keys; the app's own come as system commands."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(title, what runs it, keys) for every palette entry of the registry."""
        screen = self.app.annotate
        if screen is None:
            return []
        # The scopes the palette offers, and what runs their actions (the app's own keys
        # are system commands: ReaderApp.get_system_commands).
        run = {"annotate": screen.run_action, "view": lambda a: screen.pane.view.run_action(a)}
        entries = [(screen.run_action, key) for key in label_keys(screen.store.schema)]
        entries += [(runner, key) for scope, runner in run.items() for key in SCOPES[scope].keys]
        return [
            (key.palette or key.description, partial(runner, key.action), key.keys)
            for runner, key in entries
            if key.palette is not None
        ]

    def _shown(self, title: str, keys: str) -> str:
        """'Search (/)', as the help screen shows keys, not 'Search (slash)'."""
        shown = ", ".join(
            self.app.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")
        )
        return f"{title} ({shown})"

    async def discover(self) -> Hits:
        for title, callback, key in self._commands():
            yield DiscoveryHit(self._shown(title, key), callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, key in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(self._shown(title, key)), callback)


class CorpusSearchProvider(Provider):
    """Type text to find it in every document: each hit opens the document there."""

    async def search(self, query: str) -> Hits:
        screen = self.app.annotate
        if screen is None or len(query) < 3:
            return
        needle = query.casefold()
        shown = 0
        for info in screen.store.documents():
            text = screen.store.document(info.id).text
            folded = text.casefold()
            if len(folded) != len(text):
                continue  # casefold changed lengths (rare, e.g. ß): offsets would not map
            pos = folded.find(needle)
            while pos != -1 and shown < 50:
                excerpt = inert(text[max(0, pos - 20) : pos + len(query) + 20], keep_newlines=False)
                label = Text.assemble((f"{info.id} @{pos}: ", "bold"), excerpt)
                yield Hit(
                    1.0 - shown / 100,
                    label,
                    partial(screen.open_at, info.id, pos),
                    text=f"{info.id} {excerpt}",
                    help="Open the document at this match",
                )
                shown += 1
                pos = folded.find(needle, pos + 1)
