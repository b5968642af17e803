"""`reader claims`: the claims ledger, one row per claim with its sources, and where
documents' casualty figures differ."""

from __future__ import annotations

import csv
import json
import sys

import click

from reader.cli.common import fail, open_store, store_options


@click.command()
@store_options
@click.option("--reference", default=None, help="Whose claims, instead of --annotator (e.g. gold).")
@click.option("--label", default=None, help="Only claims of this label (e.g. casualty).")
@click.option("--json", "as_json", is_flag=True, help='Print {"claims": [...], "summary": [...]}.')
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per claim.")
def claims(db, labels, annotator, reference, label, as_json, as_csv):
    """Each claim with its linked sources; casualty figures grouped by outcome and victims."""
    from reader.core.claims import claims as find_claims
    from reader.core.claims import ledger

    if reference is not None and annotator is not None:
        fail("give --annotator or --reference, not both")
    if as_json and as_csv:
        fail("give --json or --csv, not both")
    with open_store(db, labels, reference or annotator, existing=True) as store:
        if label is not None:
            store.schema.label(label)  # unknown label: a clear error
        named = reference or annotator
        known = sorted(store.stats()["annotators"])
        if named is not None and named not in known:  # a typo must not read as "no claims"
            option = "--reference" if reference is not None else "--annotator"
            fail(f"unknown annotator {named!r} for {option} (known: {', '.join(known) or 'none'})")
        found = find_claims(store, annotator=store.annotator, label=label)
        result = ledger(found)
        names = _attribute_names(store, {c.annotation.label for c in found})
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, allow_nan=False))
    elif as_csv:
        _write_csv(result["claims"], names)
    else:
        _write_text(result)


def _attribute_names(store, labels: set[str]) -> list[str]:
    names: list[str] = []
    for label in store.schema.labels:
        if label.name in labels:
            names += [a.name for a in label.attributes if a.name not in names]
    return names


def _write_csv(rows: list[dict], names: list[str]) -> None:
    from reader.core.formats.csv import cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["document", "start", "end", "text", "label", *names, "figure", "sources"])
    for row in rows:
        sources = "; ".join(
            f"{s['source'] or s['text']}" + (f" ({s['cue']})" if s["cue"] else "")
            for s in row["sources"]
        )
        values = [row["document"], row["start"], row["end"], row["text"], row["label"]]
        values += [row["attributes"].get(n) for n in names] + [row["figure"], sources]
        writer.writerow([cell(v) for v in values])


def _write_text(result: dict) -> None:
    from reader.core.display import inert

    for row in result["claims"]:
        sources = ", ".join(s["source"] or s["text"] for s in row["sources"]) or "no source"
        figure = "" if row["figure"] is None else f" {row['figure']}"
        click.echo(
            inert(
                f"{row['document']} [{row['start']}, {row['end']}) {row['label']}{figure}: "
                f"{row['text']!r} ← {sources}",
                keep_newlines=False,
            )
        )
    if result["summary"]:
        click.echo("")
    for group in result["summary"]:
        figures = "; ".join(
            f"{doc}: {', '.join(str(c['figure']) for c in found if c['figure'] is not None) or '-'}"
            for doc, found in group["documents"].items()
        )
        mark = "  DISAGREE" if group["disagree"] else ""
        span = "no figure"
        if group["lowest"] is not None:
            span = f"lowest {group['lowest']}, highest {group['highest']}"
        click.echo(
            inert(
                f"{group['outcome'] or '?'} / {group['victim_group'] or '?'}: {figures} "
                f"({span}){mark}",
                keep_newlines=False,
            )
        )
