"""The annotate screen's actions on suggestions and shared passages (a mixin, to keep
the screen module about annotations)."""

from __future__ import annotations

from textual import work

from reader.core.display import inert
from reader.core.store import Store
from reader.tui.assist import PASSAGE_STYLE, Assist

#: Seconds after the first paint before the word segmenter starts loading.
WORDS_DELAY = 0.5


class AssistActions:
    """Mixed into AnnotateScreen: needs self.store, self.pane, self.panes, self.save."""

    assist: Assist

    def draw_hints(self, pane) -> None:
        if pane.document_id is None:
            return
        own = pane.spans.mine_rows() if self.assist.show_suggestions else []
        # Only tokens and suggestions read the text: with neither shown, a pane that has
        # drawn just the start of a big article does not read the whole for nothing.
        shown = self.assist.show_tokens or self.assist.show_suggestions
        pane.view.set_hints(
            self.assist.hints(pane.document_id, pane.view.text if shown else "", pane.sha256, own),
            self.assist.gutter(pane.document_id),
            PASSAGE_STYLE,
        )

    @work(thread=True, exclusive=True, group="passages")
    def load_passages(self) -> None:
        """Align the corpus on its own connection: big corpora take seconds, the UI must
        not. It only reads; the cache is written on the screen's own connection, as tags
        are, so the worker never holds the lock a tag waits for (a tag pressed then was
        queued, and the annotator told another program was writing)."""
        from reader.core.store.passages import find_passages

        with Store.open(
            self.store.path, self.store.file_schema, annotator=self.store.annotator
        ) as store:
            found = find_passages(store)
        self.app.call_from_thread(self._passages_loaded, found)

    def schedule_words(self) -> None:
        """After the first paint, load the word segmenter once the screen has been idle a
        moment: a second of imports, even in a thread, takes the interpreter from the
        paint (bench/figures/words.py)."""
        self.set_timer(WORDS_DELAY, self.load_words)

    @work(thread=True, exclusive=True, group="words")
    def load_words(self) -> None:
        """Load the word segmenter: ``w``, ctrl+left/right and tagging use syllables
        until it is ready (``reader.core.segments``), then Vietnamese words."""
        from reader.core.segments import load_words

        load_words()

    def _passages_loaded(self, found) -> None:
        from reader.core.store.passages import cache_passages

        cache_passages(self.store, found)
        self.assist.set_passages(found.alignments)
        for pane in self.panes:
            self.draw_hints(pane)

    def _own(self, pane):
        return pane.spans.mine_rows()

    def action_toggle_tokens(self) -> None:
        self.assist.show_tokens = not self.assist.show_tokens
        for pane in self.panes:
            self.draw_hints(pane)

    def action_toggle_suggestions(self) -> None:
        self.assist.show_suggestions = not self.assist.show_suggestions
        for pane in self.panes:
            self.draw_hints(pane)
        self.update_status()  # a suggested link of the span at the cursor shows there
        if self.assist.show_suggestions:
            self.notify("Suggestions shown dim: + accepts the one at the cursor, - rejects it")
            self.train_recommenders()

    @work(thread=True, exclusive=True, group="recommenders")
    def train_recommenders(self) -> None:
        """Train the strings and model recommenders on your spans and gold, on a
        connection of its own: the model takes seconds, the UI must not wait."""
        from reader.core.recommend import learn, team_spans
        from reader.core.store.decisions import rejected_texts

        with Store.open(
            self.store.path, self.store.file_schema, annotator=self.store.annotator
        ) as store:
            team = team_spans(store, {store.annotator, self.app.gold})
            texts = {doc: store.document(doc).text for doc in {s.document for s in team}}
            learned = learn(texts, team, rejected_texts(store))
        self.app.call_from_thread(self._recommenders_trained, learned)

    def _recommenders_trained(self, learned) -> None:
        self.assist.set_learned(learned)
        for pane in self.panes:
            self.draw_hints(pane)
        self.update_status()

    def on_article_view_cursor_moved(self, event) -> None:
        """With suggestions shown, the status line follows the one at the cursor."""
        if self.assist.show_suggestions:
            self.update_status()

    def suggestion_under_cursor(self):
        """The suggestion the status line names (no warning when there is none)."""
        pane = self.pane
        if pane.document_id is None or not self.assist.show_suggestions:
            return None
        return self.assist.suggestion_at(
            pane.document_id, pane.view.text, pane.sha256, self._own(pane), pane.view.cursor
        )

    def _suggestion_here(self):
        pane = self.pane
        if pane.document_id is None:
            return None
        found = self.assist.suggestion_at(
            pane.document_id, pane.view.text, pane.sha256, self._own(pane), pane.view.cursor
        )
        if found is None and self.link_suggestion_here() is None:
            self.notify("No suggestion at the cursor (u shows suggestions)", severity="warning")
        return found

    def action_accept_suggestion(self) -> None:
        # A suggested link of the tagged span here comes first: the status line offers
        # it first ("+ accepts, - rejects"), even where a suggested span overlaps.
        if (link := self.link_suggestion_here()) is not None:
            self.accept_link_suggestion(link)
        elif (found := self._suggestion_here()) is not None:
            self.save(
                lambda: self.store.create(
                    found.document, found.start, found.end, found.label,
                    attributes=found.attributes, origin="suggested",
                ),
                found.document,
            )  # fmt: skip
            self.train_recommenders()  # one more acceptance of this text

    def action_reject_suggestion(self) -> None:
        if (link := self.link_suggestion_here()) is not None:
            self.reject_link_suggestion(link)
        elif (found := self._suggestion_here()) is not None:
            from reader.core.store.decisions import reject_suggestion

            self.save(
                lambda: reject_suggestion(
                    self.store, found.document, found.start, found.end, found.label
                ),
                found.document,
            )
            self.train_recommenders()  # one more rejection of this text

    def _passage_here(self):
        """The shared passage at the cursor, else one on the cursor's row: the side mark
        ▌ marks whole rows, so anywhere on a marked row should do."""
        pane = self.pane
        if pane.document_id is None:
            return None
        passages = self.assist.passages
        found = passages.at(pane.document_id, pane.view.cursor) or passages.overlapping(
            pane.document_id, *pane.view.cursor_row()
        )
        if not found:
            self.notify(
                "No shared passage on this row (they are marked ▌ at the left)", severity="warning"
            )
            return None
        return found[0]

    def _other_pane(self):
        panes = self.panes
        return panes[(self.current + 1) % len(panes)] if len(panes) > 1 else panes[0]

    def action_open_counterpart(self) -> None:
        passage = self._passage_here()
        if passage is None:
            return
        target = self._other_pane()
        if target.document_id != passage.b.document:
            self.open_document(target, passage.b.document)
        target.view.select_range(passage.b.start, passage.b.end)
        target.view.scroll_to_offset(passage.b.start)
        self.notify(
            inert(
                f"{passage.kind} shared passage: {passage.b.document} [{passage.b.start}, {passage.b.end})"
            )
        )

    def action_propagate(self) -> None:
        """Copy your annotations on this passage to its counterpart (near ones: confirm)."""
        passage = self._passage_here()
        if passage is None:
            return
        text_a = self.store.document(passage.a.document).text
        text_b = self.store.document(passage.b.document).text
        existing = list(
            self.store.iter_annotations(document=passage.b.document, annotator=self.store.annotator)
        )
        own = list(
            self.store.iter_annotations(document=passage.a.document, annotator=self.store.annotator)
        )
        planned = self.assist.propagation(passage, own, text_a, text_b, existing)
        if not planned:
            self.notify(
                "Nothing to copy: none of your spans here map to the other passage",
                severity="warning",
            )
            return
        key = (passage.b.document, passage.b.start)
        if passage.kind == "near" and self.assist.pending_propagation != key:
            self.assist.pending_propagation = key
            self.notify(
                f"Near-duplicate passage: {len(planned)} span(s) map across. Press P again to copy them.",
                severity="warning",
            )
            return
        self.assist.pending_propagation = None
        copied = 0
        for annotation, (start, end) in planned:
            created = self.save(
                lambda a=annotation, s=start, e=end: self.store.create(
                    passage.b.document,
                    s,
                    e,
                    a.label,
                    attributes=dict(a.attributes),
                    note=a.note,
                    origin="propagated",
                ),
                passage.b.document,
            )
            copied += created is not None
        self.notify(inert(f"Copied {copied} span(s) to {passage.b.document}"))
