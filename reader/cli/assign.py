"""`reader assign`: give documents to annotators, with overlap for agreement."""

from __future__ import annotations

import fnmatch
import json

import click

from reader.cli.common import fail, open_store, store_options
from reader.core.model import check_annotator


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()] if value else []


def _select(store, pattern: str | None) -> list[str]:
    """Document ids matching any of the comma-separated glob patterns (all without one)."""
    ids = [d.id for d in store.documents()]
    if not ids:
        fail(f"{store.path} holds no documents yet: open the corpus with reader, or reader import")
    if pattern is None:
        return ids
    patterns = _names(pattern)
    chosen = [d for d in ids if any(fnmatch.fnmatchcase(d, p) for p in patterns)]
    if not chosen:
        fail(f"--documents: no document matches {pattern!r} in {store.path}")
    return chosen


@click.command()
@store_options
@click.option("--annotators", "team", default=None, help="Comma-separated annotators.")
@click.option(
    "--overlap",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Share of the documents given to several annotators (agreement is measured there).",
)
@click.option(
    "--per-document",
    default=2,
    show_default=True,
    type=click.IntRange(1),
    help="Annotators per document on the overlap share.",
)
@click.option(
    "--seed", default=0, show_default=True, type=int, help="Picks the overlap and breaks ties."
)
@click.option(
    "--documents", "pattern", default=None, help="Only documents matching these globs (a,b*)."
)
@click.option("--add", "add", is_flag=True, help="Assign --annotators to every --documents.")
@click.option(
    "--remove", "remove", is_flag=True, help="Unassign --annotators from every --documents."
)
@click.option(
    "--gold", default="gold", show_default=True, help="The adjudicator, never given documents."
)
@click.option("--show", is_flag=True, help="Print the assignment table instead.")
@click.option("--json", "as_json", is_flag=True, help="With --show: print it as JSON.")
def assign(
    db,
    labels,
    annotator,
    team,
    overlap,
    per_document,
    seed,
    pattern,
    add,
    remove,
    gold,
    show,
    as_json,
) -> None:
    """Assign documents to annotators, balanced by characters.

    Documents nobody has yet are shared out; running it again with the same arguments
    changes nothing. --add and --remove change the table explicitly.
    """
    if as_json and not show:
        fail("--json goes with --show")
    if add and remove:
        fail("--add and --remove cannot be given together")
    names = [check_annotator(n, "--annotators") for n in _names(team)]
    if gold in names:  # review writes gold's spans; progress and agreement leave it out
        fail(
            f"--annotators: {gold} is the adjudicator (--gold), not an annotator to give documents"
        )
    with open_store(db, labels, annotator, existing=True) as store:
        if show:
            _show(store, as_json)
            return
        if not names:
            fail("--annotators: name at least one annotator (or give --show)")
        if (add or remove) and pattern is None:
            fail(f"--{'add' if add else 'remove'} needs --documents (which documents to change)")
        selected = _select(store, pattern)
        via = json.dumps(
            {"annotators": names, "overlap": overlap, "per_document": per_document,
             "seed": seed, "documents": pattern, "add": add, "remove": remove},
            ensure_ascii=False,
        )  # fmt: skip
        pairs = [(d, a) for d in selected for a in names]
        if add:
            done, _ = store.change_assignments(add=pairs, via=via)
            click.echo(
                f"assigned {done} (document, annotator) pairs; {len(pairs) - done} already were"
            )
            return
        if remove:
            _, done = store.change_assignments(remove=pairs, via=via)
            click.echo(f"unassigned {done} (document, annotator) pairs")
            return
        from reader.core.assignment import plan_assignment

        lengths = {d.id: d.length for d in store.documents()}
        with store.transaction():  # planned on the table as it is when written: a lead
            plan = plan_assignment(  # assigning at the same time waits, then sees this
                lengths, selected, names, store.assignments(),
                overlap=overlap, per_document=per_document, seed=seed,
            )  # fmt: skip
            pairs = [(d, a) for d, who in plan.items() for a in who]
            store.change_assignments(add=pairs, via=via)
        if not plan:
            click.echo("nothing to assign: every selected document already has annotators")
        else:
            shared = sum(1 for who in plan.values() if len(who) > 1)
            click.echo(f"assigned {len(plan)} documents ({shared} to several annotators)")
        _loads(store, lengths)


def _loads(store, lengths: dict[str, int]) -> None:
    """One line per annotator: documents and characters assigned, the balance to check."""
    from reader.core.display import inert

    load: dict[str, list[int]] = {}
    for document, who in store.assignments().items():
        for name in who:
            entry = load.setdefault(name, [0, 0])
            entry[0] += 1
            entry[1] += lengths.get(document, 0)
    for name, (documents, characters) in sorted(load.items()):
        click.echo(f"  {inert(name)}: {documents} documents, {characters:,} characters")


def _show(store, as_json: bool) -> None:
    table = store.assignments()
    if as_json:
        rows = [{"document": d, "annotators": list(who)} for d, who in table.items()]
        click.echo(json.dumps({"assignments": rows}, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reader.core.display import inert

    lengths = {d.id: d.length for d in store.documents()}
    done: dict[str, set[str]] = {}
    for status in store.statuses():
        if status.status == "done":
            done.setdefault(status.document, set()).add(status.annotator)
    out = Table(title=Text(f"{len(table)} of {len(lengths)} documents assigned"))
    for column in ("document", "characters", "annotators", "done by"):
        out.add_column(column, justify="right" if column == "characters" else "left")
    for document, who in table.items():
        out.add_row(
            Text(inert(document)),
            f"{lengths.get(document, 0):,}",
            Text(inert(", ".join(who))),
            Text(inert(", ".join(a for a in who if a in done.get(document, ()))) or "-"),
        )
    Console().print(out)
    unassigned = sorted(set(lengths) - set(table))
    if unassigned:
        click.echo(f"unassigned: {inert(', '.join(unassigned))}")
    _loads(store, lengths)
