"""`reader suggest`: spans the recommenders propose, never stored as annotations, and
how well each recommender does (``--evaluate``)."""

from __future__ import annotations

import json

import click

from reader.cli.common import fail, open_store, store_options


@click.command()
@store_options
@click.option("--document", default=None, help="Only this document.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--evaluate",
    is_flag=True,
    help="Precision, recall and F1 of each recommender and label, leave-one-document-out.",
)
@click.option(
    "--reference",
    default=None,
    help="With --evaluate: whose spans are right (e.g. gold) [default: --annotator].",
)
@click.option(
    "--gold",
    default="gold",
    show_default=True,
    help="The adjudicator, whose spans the recommenders learn from besides yours.",
)
def suggest(db, labels, annotator, document, as_json, evaluate, reference, gold):
    """Suggested spans from the lexer, the strings the team tagged and the model
    (rejected ones left out); the team is you and gold, never another annotator."""
    from reader.core.display import inert

    with open_store(db, labels, annotator, existing=True) as store:
        if evaluate:
            report = _evaluate(store, reference or store.annotator, document)
        else:
            found = _suggestions(store, document, gold)
    if evaluate:
        _print_report(report, as_json)
        return
    if as_json:
        click.echo(json.dumps([s.to_record() for s in found], ensure_ascii=False, indent=1))
        return
    if not found:  # said on stderr: stdout stays a list of suggestions, empty here
        click.echo("reader: nothing to suggest (none found, or all rejected or tagged)", err=True)
    for s in found:
        attrs = ", ".join(f"{k}={v}" for k, v in s.attributes.items())
        click.echo(
            inert(
                f"{s.document} [{s.start}, {s.end}) {s.label} ({s.source}): "
                f"{s.text[:70]!r} {attrs}",
                keep_newlines=False,
            )
        )


def _suggestions(store, document, gold):
    from reader.core.recommend import learn, propose, team_spans
    from reader.core.store.decisions import rejected_suggestions, rejected_texts

    ids = [document] if document else [d.id for d in store.documents()]
    if document and store.document(document) is None:
        fail(f"no document {document!r} in {store.path}")
    team = team_spans(store, {store.annotator, gold})
    texts = {doc: store.document(doc).text for doc in {s.document for s in team}}
    learned = learn(texts, team, rejected_texts(store))
    found = []
    for doc_id in ids:
        rejected = rejected_suggestions(store, doc_id)
        taken = {(s.start, s.end, s.label) for s in team if s.document == doc_id}
        for s in propose(store.document(doc_id), store.schema, learned):
            if (s.start, s.end, s.label) not in rejected | taken:
                found.append(s)
    return found


def _evaluate(store, reference, document):
    from reader.core.recommend import team_spans
    from reader.core.recommend.evaluate import evaluate

    spans = team_spans(store, {reference})
    if not spans:
        fail(f"{reference!r} has no annotations in {store.path} to evaluate against")
    docs = [store.document(d.id) for d in store.documents()]
    report = evaluate(docs, spans, store.schema)
    report["reference"] = reference
    return report


def _print_report(report, as_json):
    from reader.core.display import inert

    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    click.echo(
        inert(
            f"reference {report['reference']}: {report['spans']} spans in "
            f"{report['documents']} documents, leave-one-document-out",
            keep_newlines=False,
        )
    )
    click.echo(
        f"{'recommender':<12}{'label':<14}{'exact P/R/F1':<24}{'partial P/R/F1':<24}proposed"
    )
    for source, result in report["recommenders"].items():
        rows = [*result["labels"].items(), ("(all)", result["overall"])]
        for label, scores in rows:
            exact, partial = scores["exact"], scores["partial"]
            click.echo(
                inert(
                    f"{source:<12}{label:<14}{_prf(exact):<24}{_prf(partial):<24}"
                    f"{exact['candidate_spans']}",
                    keep_newlines=False,
                )
            )


def _prf(scores) -> str:
    return " ".join(
        "—" if scores[k] is None else f"{scores[k]:.3f}" for k in ("precision", "recall", "f1")
    )
