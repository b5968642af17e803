"""The annotate screen's annotation list (a mixin, to keep the screen module about
tagging): the focused document's annotations with label, excerpt and attributes."""

from __future__ import annotations

from textual.widgets import OptionList

from reader.tui.status import list_options

LIST_LIMIT = 500  # annotations shown in the list at once, around the cursor


class ListActions:
    """Mixed into AnnotateScreen: needs self.store, self.pane, self.query and self.mount."""

    _list: OptionList | None = None

    def list_panel(self) -> OptionList | None:
        """The list, once its key has mounted it (a toggle: hidden, it is never filled).
        Kept, not queried: a DOM query ran three times before the first paint."""
        return self._list

    def refresh_list(self) -> None:
        panel = self.list_panel()
        if panel is None or not panel.display:
            return
        panel.clear_options()
        pane = self.pane
        if pane.document_id is not None:
            # At most LIST_LIMIT rows, from just before the cursor on, read by range: a
            # list of 100k would take seconds to build and nobody scrolls it (n / N jump).
            window = pane.spans.around(pane.view.cursor, LIST_LIMIT)
            annotations = [self.store.annotation(row.id) for row in window]
            panel.add_options(
                list_options(annotations, {row.id for row in window}, self.store.annotator)
            )
            total = pane.spans.total()
            if total > len(window):
                panel.border_title = f"{len(window)} of {total} annotations, around the cursor"
            else:
                panel.border_title = f"{total} annotation{'' if total == 1 else 's'}"

    async def action_toggle_list(self) -> None:
        panel = self.list_panel()
        if panel is None:  # first use: above the status line, as composed before
            panel = self._list = OptionList(id="annotation-list")
            await self.mount(panel, before=self.query_one("#status"))
        else:
            panel.display = not panel.display
        self.refresh_list()
        if panel.display:
            # Start on the annotation at (or after) the cursor, so Down moves from there.
            cursor = self.pane.view.cursor
            ids = [option.id for option in panel.options]
            rows = [self.pane.spans.row(i) for i in ids]
            after = [k for k, row in enumerate(rows) if row is not None and row.end > cursor]
            panel.highlighted = after[0] if after else (0 if ids else None)
            panel.focus()
        else:
            self.pane.view.focus()
