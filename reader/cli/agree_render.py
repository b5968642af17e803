"""The agreement report as a terminal reads it: tables, pairwise matrices, the documents
that agree least, and a bar chart per label.

Annotator names, labels and document ids come from users and files: they are always
``rich.text.Text`` (never markup), so a label like ``[red]`` prints as itself. Values are
colored by Krippendorff's rule of thumb (2004, p. 241): at least .800 is reliable, .667
to .800 allows tentative conclusions only, below that is not to be relied on.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from reader.core.agreement.confusion import categories_of

#: Width of a full bar (a value of 1.0) in the chart, in cells.
BAR_WIDTH = 30

#: Above this many categories a confusion matrix no longer fits a terminal: the report
#: lists this many largest confusions instead.
MATRIX_LIMIT = 8

_MEASURES = (
    ("char_fleiss_kappa", "Fleiss κ"),
    ("char_krippendorff_alpha", "Krippendorff α"),
    ("krippendorff_alpha_unitizing", "α_U"),
)


def render_text(report: dict[str, Any]) -> list[RenderableType]:
    """Renderables for ``Console.print(*render_text(report))``, in reading order."""
    parts: list[RenderableType] = [_summary(report), _measures(report)]
    if report["pairs"]:
        parts.append(_matrix(report, "Cohen κ, characters", lambda p: p["char_cohen_kappa"]))
        parts.append(_matrix(report, "Span F1, exact", lambda p: p["span_exact"]["f1"]))
        if any(p.get("links", {}).get("types") for p in report["pairs"]):
            parts.append(_matrix(report, "Link F1", lambda p: p["links"]["f1"]))
        parts.append(
            _matrix(
                report, "Span F1, partial (SemEval-2020 Task 11)", lambda p: p["span_partial"]["f1"]
            )
        )
        parts.extend(_confusion(pair) for pair in report["pairs"] if pair["confusion"])
    if report.get("lowest_agreement"):
        parts.append(_lowest(report["lowest_agreement"]))
    if report["labels"]:
        parts.append(_chart(report))
    compared = report.get("attributes", {})
    if any(v["units"] for by_name in compared.values() for v in by_name.values()):
        parts.append(_attributes(compared))
    if report.get("reference"):
        parts.extend(_reference(report["reference"]))
    return parts


def _reference(reference: dict[str, Any]) -> list[Table]:
    """Each annotator against the reference: span P/R/F1 per label, attribute accuracy."""
    name = reference["name"]
    spans = Table(title=Text(f"Against {name} ({len(reference['documents'])} documents it covers)"))
    for column in ("annotator", "docs", "label", "exact P", "exact R", "exact F1",
                   "partial P", "partial R", "partial F1"):  # fmt: skip
        spans.add_column(column)
    accuracy = Table(title=Text(f"Attribute accuracy against {name}, on spans matched exactly"))
    for column in ("annotator", "label", "attribute", "units", "accuracy"):
        accuracy.add_column(column)
    for annotator, score in reference["annotators"].items():
        rows = [("all", score)] + list(score["labels"].items())
        for label, values in rows:
            cells = [Text(annotator), Text(str(len(score["documents"]))), Text(label)]
            for kind in ("span_exact", "span_partial"):
                found = values[kind] or {}
                cells += [value_text(found.get(k)) for k in ("precision", "recall", "f1")]
            spans.add_row(*cells)
        for label, by_name in score["attributes"].items():
            for attribute, values in by_name.items():
                if values["units"]:
                    accuracy.add_row(
                        Text(annotator), Text(label), Text(attribute),
                        Text(str(values["units"])), value_text(values["accuracy"]),
                    )  # fmt: skip
    return [spans, accuracy]


def _attributes(attributes: dict[str, dict[str, dict[str, Any]]]) -> Table:
    """Krippendorff's alpha and observed agreement per attribute, on matched spans."""
    table = Table(title="Attributes, on spans matched exactly (Krippendorff α)")
    for column in ("label", "attribute", "level", "units", "α", "agreement", "α chosen"):
        table.add_column(column, justify="right" if column in ("units",) else "left")
    for label, by_name in attributes.items():
        for name, values in by_name.items():
            if not values["units"]:
                continue  # nothing compared: a row of n/a says nothing
            table.add_row(
                Text(label),
                Text(name),
                Text(values["level"]),
                Text(str(values["units"])),
                value_text(values["alpha"]),
                value_text(values["agreement"]),
                value_text(values["alpha_chosen"]),
            )
    return table


def value_text(value: float | None) -> Text:
    """A measure as shown: three decimals, colored by reliability; undefined is 'n/a'."""
    if value is None:
        return Text("n/a", style="dim")
    if value >= 0.8:
        style = "green"
    elif value >= 0.667:
        style = "yellow"
    else:
        style = "red"
    if abs(value) < 0.0005:
        value = 0.0  # no "-0.000"
    return Text(f"{value:.3f}", style=style)


def _summary(report: dict[str, Any]) -> Text:
    names = report["annotators"]
    text = Text("Agreement of ", style="bold")
    if not names:
        text.append("no annotators")
    for k, name in enumerate(names):
        if k:
            text.append(", ")
        text.append(Text(name, style="bold cyan"))
    documents = len(report["documents"])
    text.append(
        f"\n{documents} document{'s' if documents != 1 else ''} done by all "
        f"({report['characters']:,} characters)"
    )
    extra = len(report["alpha_documents"]) - documents
    if extra > 0:
        text.append(f"; Krippendorff α also uses {extra} done by some")
    options = report.get("options", {})
    flags = [k.replace("_", " ") for k in ("all_documents", "ignore_labels") if options.get(k)]
    if flags:
        text.append(f"\noptions: {', '.join(flags)}", style="dim")
    for key in ("label", "document"):
        if options.get(key):
            text.append(f"\n{key}: ", style="dim")
            text.append(Text(", ".join(options[key])))
    return text


def _measures(report: dict[str, Any]) -> Table:
    table = Table(title="Agreement, overall and per label", title_justify="left")
    table.add_column("")
    for _, heading in _MEASURES:
        table.add_column(heading, justify="right")
    table.add_column("mean pairwise Cohen κ", justify="right")
    overall = report["overall"]
    table.add_row(
        Text("overall", style="bold"),
        *(value_text(overall[key]) for key, _ in _MEASURES),
        value_text(overall.get("char_cohen_kappa_mean")),
    )
    for label, values in report["labels"].items():
        table.add_row(Text(label), *(value_text(values[key]) for key, _ in _MEASURES), Text(""))
    return table


def _matrix(report: dict[str, Any], title: str, pick) -> Table:
    names = report["annotators"]
    cells: dict[tuple[str, str], float | None] = {}
    for pair in report["pairs"]:
        cells[(pair["a"], pair["b"])] = cells[(pair["b"], pair["a"])] = pick(pair)
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for name in names:
        table.add_column(Text(name), justify="right")
    for row in names:
        table.add_row(
            Text(row),
            *(
                Text("—", style="dim") if row == col else value_text(cells.get((row, col)))
                for col in names
            ),
        )
    return table


def _confusion(pair: dict[str, Any]) -> Table:
    """The full matrix while it fits a terminal; past that, the largest confusions."""
    matrix = pair["confusion"]
    names = categories_of(matrix)
    if len(names) > MATRIX_LIMIT:
        return _top_confusions(pair)
    title = Text.assemble(
        "Characters by category: ", Text(pair["a"]), " (rows) × ", Text(pair["b"])
    )
    table = Table(title=title, title_justify="left")
    table.add_column("", no_wrap=True)
    for name in names:
        table.add_column(Text(name), justify="right", no_wrap=True)
    for row in names:
        values = matrix.get(row, {})
        table.add_row(
            Text(row),
            *(Text(f"{values.get(col, 0):,}", style="bold" if row == col else "") for col in names),
        )
    return table


def _top_confusions(pair: dict[str, Any]) -> Table:
    cells = [
        (n, row, col)
        for row, values in pair["confusion"].items()
        for col, n in values.items()
        if row != col
    ]
    cells.sort(key=lambda cell: (-cell[0], cell[1], cell[2]))
    title = Text.assemble("Largest confusions: ", Text(pair["a"]), " → ", Text(pair["b"]))
    table = Table(title=title, title_justify="left")
    table.add_column(Text(pair["a"]), no_wrap=True)
    table.add_column(Text(pair["b"]), no_wrap=True)
    table.add_column("characters", justify="right", no_wrap=True)
    for n, row, col in cells[:MATRIX_LIMIT]:
        table.add_row(Text(row), Text(col), Text(f"{n:,}"))
    return table


def _lowest(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Documents with the lowest agreement", title_justify="left")
    table.add_column("document")
    table.add_column("Krippendorff α", justify="right")
    table.add_column("Fleiss κ", justify="right")
    table.add_column("partial F1", justify="right")
    table.add_column("characters", justify="right")
    for row in rows:
        table.add_row(
            Text(row["document"]),
            value_text(row["char_krippendorff_alpha"]),
            value_text(row["char_fleiss_kappa"]),
            value_text(row["span_partial_f1_mean"]),
            Text(f"{row['characters']:,}"),
        )
    return table


def _chart(report: dict[str, Any]) -> Table:
    table = Table(title="Per label", title_justify="left", show_edge=False)
    table.add_column("label")
    table.add_column("measure")
    table.add_column("", no_wrap=True)
    table.add_column("value", justify="right")
    for label, values in report["labels"].items():
        for k, (key, heading) in enumerate(_MEASURES[1:]):
            table.add_row(
                Text(label) if k == 0 else Text(""),
                heading,
                bar(values[key]),
                value_text(values[key]),
            )
    return table


def bar(value: float | None, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a value in [-1, 1]: its length is the positive part, in
    eighths of a cell; a negative or undefined value shows as an empty track."""
    if value is None or value <= 0:
        return Text("·" * width, style="dim")
    eighths = round(min(value, 1.0) * width * 8)
    full, rest = divmod(eighths, 8)
    blocks = "█" * full + ("" if rest == 0 else " ▏▎▍▌▋▊▉"[rest])
    style = value_text(value).style
    return Text(blocks, style=style) + Text("·" * (width - len(blocks)), style="dim")
