"""Command palette providers: every screen action, and search across all documents."""

from __future__ import annotations

import re
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


#: Words a reader may type for a kind of field, besides its name and title.
_KIND_WORDS = {"int": "number count figure value", "enum": "choice", "text": "text"}


class FieldsProvider(Provider):
    """Every attribute of the schema as "Edit FIELD (Label)": typing its name, a word of
    its title or kind ("number", "count", "value") or of its description finds it, and
    choosing it opens the editor of the annotation at the cursor on that field."""

    def _fields(self) -> list[tuple[str, str, str, Callable[[], object]]]:
        """(title, help, words searched, what runs it) per attribute."""
        screen = self.app.annotate
        if screen is None:
            return []
        found = []
        for label in screen.store.schema.labels:
            for attribute in label.attributes:
                title = f"Edit {attribute.name} ({label.title})"
                words = " ".join(
                    (attribute.name.replace("_", " "), attribute.title, label.name,
                     _KIND_WORDS.get(attribute.type, ""), attribute.description)
                ).casefold()  # fmt: skip
                found.append(
                    (
                        title,
                        inert(attribute.description[:120], keep_newlines=False),
                        words,
                        partial(screen.edit_field, label.name, attribute.name),
                    )
                )
        return found

    async def discover(self) -> Hits:
        for title, help_text, _, callback in self._fields():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = re.findall(r"\w+", query.casefold())
        for title, help_text, words, callback in self._fields():
            score = matcher.match(title)
            if score <= 0 and wanted and all(w in re.findall(r"\w+", words) for w in wanted):
                score = 0.5  # a whole word of its kind or description: "count", "source"
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
