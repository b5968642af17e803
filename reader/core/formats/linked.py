"""Links in exports: which links an export carries, and saying what a format dropped.

An export carries a link only when both its ends are in it (the same filters chose
them): a link to an annotation the file does not hold would dangle on import. A link is
written with the end it starts from; an undirected link is stored with its ends in id
order, so it sits on the end whose id sorts first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from reader.core.formats.registry import ExportFilters, FormatOptions
from reader.core.links.values import Link


class LinkSource(Protocol):
    def iter_link_ends(
        self, *, annotator: str | None = None
    ) -> Iterator[tuple[Link, str, str, str, str]]: ...


def exported_links(
    source: Any, filters: ExportFilters, options: FormatOptions
) -> dict[str, list[Link]]:
    """The live links an export carries, by the id of the annotation they start from.
    Links left out because an end is not exported are counted in a warning."""
    if not hasattr(source, "iter_link_ends"):
        return {}
    chosen: dict[str, list[Link]] = {}
    left_out = 0
    for link, s_doc, s_label, t_doc, t_label in source.iter_link_ends(annotator=filters.annotator):
        if (filters.document is not None and filters.document not in (s_doc, t_doc)) or (
            filters.label is not None and filters.label not in (s_label, t_label)
        ):
            continue  # neither end is in the export: nothing to say
        if (filters.document is not None and s_doc != t_doc) or (
            filters.label is not None and s_label != t_label
        ):
            left_out += 1
            continue
        chosen.setdefault(link.source, []).append(link)
    if left_out:
        options.warning(
            f"left out {left_out} link(s) whose other end is not in this export "
            "(another document or label)"
        )
    return chosen


def link_record(link: Link) -> dict[str, Any]:
    """A link as the native JSONL writes it on the line of the annotation it starts from."""
    record: dict[str, Any] = {"id": link.id, "type": link.type, "to": link.target}
    if link.attributes:
        record["attributes"] = dict(link.attributes)
    if link.note:
        record["note"] = link.note
    return record


def warn_dropped_links(
    source: Any, filters: ExportFilters, options: FormatOptions, fmt: str
) -> None:
    """For a format without relations: say how many links the export could not carry."""
    count = sum(len(v) for v in exported_links(source, filters, FormatOptions()).values())
    if count:
        options.warning(f"{fmt} has no relations: {count} link(s) were not written")
