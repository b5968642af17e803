"""A long import never costs an annotator a tag, and the app keeps answering keys.

Issue 13, finding 3: during a 40 s import a tag waited 30 s, then said "database is
locked" and was gone. Here another connection holds the write lock, as an import does
for as long as it runs; the annotator tags, keeps moving, and the tag is saved as soon
as the lock is released, or when the app closes, whichever comes first.
"""

from __future__ import annotations

import sqlite3
import threading

from reader.core import tagging
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.tui.waiting import until

SIZE = (120, 36)


def hold_write_lock(path) -> sqlite3.Connection:
    """What `reader import` does to everyone else while it runs."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def live(store: Store) -> list:
    return list(store.iter_annotations())


async def test_a_tag_during_an_import_waits_in_a_queue_and_is_saved_after_it(corpus_store):
    importer = hold_write_lock(corpus_store.path)
    app = ReaderApp(corpus_store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            view = app.screen.query(ArticleView).first()
            await pilot.press("2")  # tags the word under the cursor
            await pilot.press("right", "right", "right")
            await pilot.pause()
            assert view.cursor == 3  # the keys after the tag were answered
            assert app.screen.pending and live(corpus_store) == []
            assert any("pending" in n.message for n in app._notifications)

            await pilot.press("3")  # a second one queues behind the first
            # press() may return before a loaded machine has handled the key: had the
            # import ended first, a retry would save the first alone and the second go
            # straight in
            await until(pilot, lambda: len(app.screen.pending) == 2, "the second tag queued", 60)
            importer.execute("COMMIT")  # the import ends
            await until(pilot, lambda: not app.screen.pending, "the pending tags saved", 60)
            saved = sorted(live(corpus_store), key=lambda a: a.created_at)
            assert [a.label for a in saved] == ["casualty", "attribution"]
            # each tag is the word under the cursor when its key was pressed, not later
            first_word = view.text[: view.text.index(" ")]
            assert (saved[0].start, saved[0].text) == (0, first_word)
            assert saved[1].start <= 3 < saved[1].end
            assert any("Saved 2 pending" in n.message for n in app._notifications)
            assert not any(n.title == "Not saved" for n in app._notifications)
    finally:
        importer.close()


async def test_quitting_with_a_pending_tag_saves_it_once_the_import_ends(corpus_store):
    importer = hold_write_lock(corpus_store.path)
    app = ReaderApp(corpus_store)
    release = threading.Timer(1.0, lambda: importer.execute("COMMIT"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("1")
            await pilot.pause()
            assert app.screen.pending
            release.start()
        # the app has closed: its pending tag is in the database, not lost
        assert [a.label for a in live(corpus_store)] == ["propaganda"]
    finally:
        release.join()
        importer.close()


async def test_while_the_import_holds_the_lock_a_retry_only_probes_it(corpus_store, monkeypatch):
    """A pending tag is not re-run every retry (its span, its attributes from the text,
    its checks, on the screen's thread): the retry asks the store whether the lock is
    still taken, and runs the tag once, when it is free."""
    runs = []
    real_tag = tagging.tag

    def counted_tag(*args, **kwargs):
        runs.append(args[-1])
        return real_tag(*args, **kwargs)

    monkeypatch.setattr(tagging, "tag", counted_tag)
    probes = []
    real_probe = corpus_store.others_writing

    def counted_probe() -> bool:
        probes.append(real_probe())
        return probes[-1]

    monkeypatch.setattr(corpus_store, "others_writing", counted_probe)
    importer = hold_write_lock(corpus_store.path)
    app = ReaderApp(corpus_store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            try:
                await pilot.press("2", "right")
                # the queue is retried every 0.2 s: three retries, not a time that a slow
                # machine may fill with fewer
                await until(pilot, lambda: len(probes) >= 3, "three retries of the queue")
                assert all(probes)  # each found the lock taken
                assert app.screen.pending and runs == ["casualty"]  # the first try only
                assert corpus_store.others_writing()
                assert any(n.title == "Pending" for n in app._notifications)
            finally:
                importer.execute("COMMIT")  # else a failure here waits forever at quit
            await until(pilot, lambda: not app.screen.pending, "the pending tags saved", 60)
            assert runs == ["casualty", "casualty"]  # once more, when the lock was free
            assert [a.label for a in live(corpus_store)] == ["casualty"]
    finally:
        importer.close()


def test_the_lock_probe_waits_for_nothing_and_leaves_no_transaction(corpus_store):
    corpus_store.wait_for_writers(10_000)
    assert not corpus_store.others_writing()
    importer = hold_write_lock(corpus_store.path)
    # Were the probe to wait (10 s here), it would get the lock this frees and say False.
    release = threading.Timer(0.5, lambda: importer.execute("COMMIT"))
    release.start()
    try:
        assert corpus_store.others_writing()
    finally:
        release.join()
        importer.close()
    assert not corpus_store.others_writing()
    assert not corpus_store.conn.in_transaction
    assert corpus_store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_the_passage_worker_skips_its_cache_while_an_import_holds_the_database(corpus_store):
    """The app's passage worker writes a cache; an import must not make it fail (a failed
    worker would close the app)."""
    from reader.core.store.passages import shared_passages

    importer = hold_write_lock(corpus_store.path)
    try:
        corpus_store.wait_for_writers(0)
        found = shared_passages(corpus_store)
        assert found  # the shipped articles share passages
    finally:
        importer.close()
    corpus_store.wait_for_writers(1000)
    assert shared_passages(corpus_store) == found  # and the cache is filled next time


def test_finding_passages_only_reads_and_the_cache_is_written_apart(corpus_store):
    """The app's passage worker finds passages on a connection of its own; if it also
    wrote the cache there, a tag pressed meanwhile would wait for the app's own worker
    and be queued as if another program were writing."""
    from reader.core.store.passages import cache_passages, find_passages

    before = corpus_store.conn.total_changes
    found = find_passages(corpus_store)
    assert found.alignments and found.aligned  # the shipped articles share passages
    assert corpus_store.conn.total_changes == before  # nothing written
    importer = hold_write_lock(corpus_store.path)
    try:
        corpus_store.wait_for_writers(0)
        cache_passages(corpus_store, found)  # an import holds the lock: left for next time
    finally:
        importer.close()
    assert find_passages(corpus_store).aligned == found.aligned
    corpus_store.wait_for_writers(1000)
    cache_passages(corpus_store, found)
    again = find_passages(corpus_store)
    assert again.aligned == [] and again.alignments == found.alignments  # read from the cache


async def test_the_app_fills_the_passage_cache_on_its_own_connection(corpus_store, monkeypatch):
    from reader.core.store import passages
    from tests.tui.waiting import aligned

    writers = []
    real = passages.cache_passages

    def cache(store, found):
        writers.append(store)
        real(store, found)

    monkeypatch.setattr(passages, "cache_passages", cache)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await aligned(pilot)
        assert writers == [corpus_store]  # the screen's store, the one tags go through
    assert passages.find_passages(corpus_store).aligned == []  # the cache is filled
