"""`reader agree`: inter-annotator agreement over the documents annotators marked done."""

from __future__ import annotations

import json

import click

from reader.cli.common import fail, open_store, store_options


def gather(store, document: str | None = None, *, assigned_only: bool = True):
    """(lengths, spans, done) as the agreement core takes them, streamed from the store.
    With ``assigned_only``, a done mark counts only where the annotator was assigned
    the document (see ``reader.core.assignment.counted_done``)."""
    lengths = {d.id: d.length for d in store.documents() if document in (None, d.id)}
    spans = store.span_tuples(document=document)
    done: dict[str, set[str]] = {}
    for status in store.statuses(document):
        if status.status == "done":
            done.setdefault(status.document, set()).add(status.annotator)
    if assigned_only:
        from reader.core.assignment import counted_done

        done = counted_done(done, store.assignments())
    return lengths, spans, done


@click.command()
@store_options
@click.option(
    "--annotators", default=None, help="Comma-separated annotators to compare [default: all]."
)
@click.option("--label", default=None, help="Only this label.")
@click.option("--document", default=None, help="Only this document.")
@click.option(
    "--all-documents", is_flag=True, help="Treat every document as done by every annotator."
)
@click.option(
    "--include-unassigned",
    is_flag=True,
    help="Also count done documents outside an annotator's assignment.",
)
@click.option("--ignore-labels", is_flag=True, help="Span F1 ignores labels (span identification).")
@click.option("--per-document", is_flag=True, help="Also report each document.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (null where undefined)."
)
@click.option(
    "--reference",
    default=None,
    metavar="NAME",
    help="Score every other annotator against NAME (usually gold) on the documents NAME "
    "marked done or adjudicated.",
)
@click.option(
    "--gold",
    default="gold",
    show_default=True,
    help="The adjudicator, left out unless named in --annotators.",
)
def agree(
    db,
    labels,
    annotator,
    annotators,
    label,
    document,
    all_documents,
    include_unassigned,
    ignore_labels,
    per_document,
    as_json,
    reference,
    gold,
):
    """Cohen's, Fleiss' kappa, Krippendorff's alpha (nominal and unitizing), span F1,
    and Krippendorff's alpha on the attributes of exactly matched spans."""
    from reader.core.agreement.attributes import attribute_agreement
    from reader.core.agreement.report import agreement_report

    names = [n.strip() for n in annotators.split(",") if n.strip()] if annotators else None
    with open_store(db, labels, annotator, existing=True) as store:
        if label is not None:
            store.schema.label(label)  # unknown label: a clear error
        lengths, spans, done = gather(store, document, assigned_only=not include_unassigned)
        if names is None:
            spans = (s for s in spans if s[0] != gold)
            done = {doc: who - {gold} for doc, who in done.items()}
        if document is not None and document not in lengths:
            fail(f"no document {document!r} in {store.path}")
        report = agreement_report(
            lengths, spans, done, annotators=names, label=label, document=document,
            all_documents=all_documents, ignore_labels=ignore_labels, per_document=per_document,
        )  # fmt: skip
        assigned = bool(store.assignments()) and not include_unassigned
        report["options"]["assigned_only"] = assigned
        from reader.core.agreement.links import add_link_agreement

        undirected = {t.name for t in store.schema.links if not t.directed}
        add_link_agreement(
            report, store.link_tuples(), undirected=undirected,
            labels=None if label is None else {label},
        )  # fmt: skip
        report["attributes"] = attribute_agreement(
            store.attribute_tuples(document=document), store.schema, report["annotators"],
            report["documents"], label=label,
        )  # fmt: skip
        if reference is not None:
            report["reference"] = _score_reference(
                store, reference, names, gold, document, label, not include_unassigned
            )
    if len(report["annotators"]) < 2:
        click.echo(
            "reader: agreement needs at least two annotators who "
            + ("were assigned and " if assigned else "")
            + "marked the same documents done (`d` in the app, or --all-documents"
            + (", or --include-unassigned" if assigned else "")
            + "); every measure below is undefined",
            err=True,
        )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console

    from reader.cli.agree_render import render_text

    console = Console()
    rendered = render_text(report)
    for part in rendered if isinstance(rendered, list) else [rendered]:
        console.print(part)


def _score_reference(store, reference, names, gold, document, label, assigned_only):
    """The ``"reference"`` part: every other annotator scored against ``reference``."""
    from reader.core.agreement.reference import reference_report

    lengths, spans, done = gather(store, document, assigned_only=assigned_only)
    seen = {row[0] for row in spans} | set().union(*done.values())
    if reference not in seen:
        fail(f"unknown annotator {reference!r} for --reference (known: {', '.join(sorted(seen))})")
    covered = {doc for doc, who in done.items() if reference in who}
    covered |= store.adjudicated_documents(reference)
    if document is not None:
        covered &= {document}
    candidates = names or sorted(seen - {reference, gold})
    return reference_report(
        lengths, store.attribute_tuples(document=document), done, store.schema, reference,
        covered, [c for c in candidates if c != reference], label=label,
    )  # fmt: skip
