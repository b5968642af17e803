"""Command palette providers: every screen action, and search across all documents."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.core.display import inert


class ActionsProvider(Provider):
    """Every binding of the annotate screen and the article view, by its description."""

    def _commands(self):
        from reader.tui.article_view import ArticleView
        from reader.tui.screens.annotate import AnnotateScreen

        screen = self.app.annotate
        if screen is None:
            return []
        commands = []
        for label in screen.store.schema.labels:
            if label.key:
                commands.append(
                    (
                        f"Tag as {label.title}",
                        partial(screen.run_action, f"tag('{label.name}')"),
                        label.key,
                    )
                )
        for binding in AnnotateScreen.BINDINGS:
            commands.append(
                (binding.description, partial(screen.run_action, binding.action), binding.key)
            )
        for binding in ArticleView.BINDINGS:
            binding = binding if not isinstance(binding, tuple) else None
            if binding is not None and binding.description:
                commands.append(
                    (
                        binding.description,
                        partial(lambda action: screen.pane.view.run_action(action), binding.action),
                        binding.key,
                    )
                )
        return commands

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
