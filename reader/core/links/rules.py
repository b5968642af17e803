"""Which links may be made: the rules every front end and every import share.

A link joins two live, anchored annotations of one annotator (so blind annotation and
agreement see each annotator's links among their own spans only), in one document
unless its type runs across documents, and only between labels its type names.
An undirected link is kept with its ends in id order, so it is one link whichever end
it was made from.
"""

from __future__ import annotations

from reader.core.errors import ValidationError
from reader.core.links.values import LinkType
from reader.core.model import Annotation


def fitting_types(
    types: tuple[LinkType, ...], source: Annotation, target: Annotation
) -> list[LinkType]:
    """The link types that may run from ``source`` to ``target``: what a screen offers
    when a link is made, in schema order."""
    if source.id == target.id:
        return []
    same_document = source.document == target.document
    return [
        t
        for t in types
        if t.fits(source.label, target.label) and (same_document or t.across_documents)
    ]


def check_link(
    link_type: LinkType, source: Annotation, target: Annotation, annotator: str, where: str = ""
) -> tuple[str, str]:
    """Refuse a link that breaks the rules (naming what is wrong after ``where``);
    return its (source, target) ids as stored."""
    prefix = f"{where}: " if where else ""
    if source.id == target.id:
        raise ValidationError(f"{prefix}a link needs two different annotations")
    for end, a in (("from", source), ("to", target)):
        if a.deleted_at is not None:
            raise ValidationError(f"{prefix}{end}: annotation {a.id} was deleted")
        if a.orphaned:
            raise ValidationError(
                f"{prefix}{end}: annotation {a.id} is orphaned (its text changed); "
                "re-anchor it before linking"
            )
        if a.annotator != annotator:
            raise ValidationError(
                f"{prefix}{end}: annotation {a.id} is {a.annotator}'s; a link joins "
                f"{annotator}'s own annotations"
            )
    if source.document != target.document and not link_type.across_documents:
        raise ValidationError(
            f"{prefix}{link_type.name} links stay within one document "
            f"({source.document} and {target.document} differ)"
        )
    if link_type.directed and not link_type.fits(source.label, target.label):
        raise ValidationError(
            f"{prefix}{link_type.name} runs from {' or '.join(link_type.sources)} to "
            f"{' or '.join(link_type.targets)}, not from {source.label} to {target.label}"
        )
    if not link_type.fits(source.label, target.label):
        raise ValidationError(
            f"{prefix}{link_type.name} joins {' or '.join(link_type.sources)} with "
            f"{' or '.join(link_type.targets)}, not {source.label} with {target.label}"
        )
    if not link_type.directed and target.id < source.id:
        return target.id, source.id
    return source.id, target.id
