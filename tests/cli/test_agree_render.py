"""The agreement report as the terminal shows it (``reader agree`` without ``--json``)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from reader.cli.agree_render import bar, render_text
from reader.core.agreement.report import agreement_report


def render(report, width=120):
    console = Console(width=width, record=True, color_system=None)
    console.print(*render_text(report))
    return console.export_text()


def test_rendering_shows_outside_names_literally():
    spans = [("[bold]lan[/bold]", "d", 0, 4, "[red]PER"), ("minh", "d", 0, 4, "[red]PER")]
    report = agreement_report(
        {"d": 10}, spans, {"d": {"[bold]lan[/bold]", "minh"}}, per_document=True
    )
    out = render(report)
    assert "[bold]lan[/bold]" in out
    assert "[red]PER" in out
    for heading in (
        "Fleiss κ",
        "Cohen κ",
        "Span F1, exact",
        "Span F1, partial",
        "lowest agreement",
        "Per label",
    ):
        assert heading in out


def test_rendering_empty_and_single_annotator_reports():
    assert "no annotators" in render(agreement_report({"d": 5}, [], {}))
    out = render(agreement_report({"d": 5}, [("a", "d", 0, 2, "X")], {"d": {"a"}}))
    assert "n/a" in out


def test_large_confusions_are_listed_not_drawn():
    labels = [f"L{k}" for k in range(10)]
    spans = [("a", "d", 2 * k, 2 * k + 2, lab) for k, lab in enumerate(labels)]
    spans += [("b", "d", 2 * k, 2 * k + 2, labels[(k + 1) % 10]) for k in range(10)]
    out = render(agreement_report({"d": 20}, spans, {"d": {"a", "b"}}))
    assert "Largest confusions" in out


def test_bar_lengths():
    assert bar(1.0, width=10).plain == "█" * 10
    assert bar(0.5, width=10).plain == "█" * 5 + "·" * 5
    assert bar(-0.2, width=4).plain == "····"
    assert bar(None, width=4).plain == "····"
    assert isinstance(bar(0.33), Text)
