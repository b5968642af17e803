"""Folder layouts: which annotator a peer's file belongs to, and how exports group by one.

reader writes folder formats as ``DIR/<annotator>/<files>``; reading accepts that, a
flat folder, or a single file (the last two take ``--annotator``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from reader.core.errors import FormatError
from reader.core.formats.fields import annotator_name, need_annotator
from reader.core.formats.reading import name_from_path
from reader.core.formats.registry import FormatOptions
from reader.core.model import Annotation
from reader.core.paths import entries, regular_file, subfolders


def annotator_layout(
    path: Path, suffix: str, options: FormatOptions, format_name: str
) -> Iterator[tuple[str, list[Path]]]:
    """(annotator, files) for a file, a flat folder, or a folder of per-annotator folders.

    A subfolder's name is its annotator. Files directly in the folder (or a single
    file) take ``--annotator``.
    """
    if not path.exists():
        raise FormatError(f"{path}: no such file or folder")
    if not path.is_dir():
        yield need_annotator(options, str(path), format_name), [regular_file(path)]
        return
    flat = entries(path, suffix=suffix)
    if flat:
        yield need_annotator(options, str(path), format_name), flat
    found = bool(flat)
    for sub in subfolders(path):
        files = entries(sub, path, suffix)
        if files:
            found = True
            name = annotator_name(name_from_path(sub.name), str(sub), "folder name (the annotator)")
            if options.annotator is not None and options.annotator != name:
                options.warning(
                    f"{sub}: annotator {name!r} taken from the folder name; --annotator "
                    f"{options.annotator} applies only to files that name no annotator"
                )
            yield name, files
    if not found:
        raise FormatError(f"{path}: no {suffix} files in the folder or its subfolders")


def by_annotator(annotations: list[Annotation]) -> dict[str, list[Annotation]]:
    groups: dict[str, list[Annotation]] = defaultdict(list)
    for a in annotations:
        groups[a.annotator].append(a)
    return dict(sorted(groups.items()))
