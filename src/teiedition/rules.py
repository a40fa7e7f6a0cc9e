"""The collection-wide rules no XSD can express: ids, pointers, dates, headers, registers, mentions."""

from __future__ import annotations

import difflib
from collections import defaultdict

from lxml import etree

from teiedition.corpus import FileIndex
from teiedition.diagnostics import Diagnostic, error


def check_file(path: str, tree: etree._ElementTree, index: FileIndex) -> list[Diagnostic]:
    """Rules that need only one file."""
    return []


def check_corpus(indexes: list[FileIndex]) -> list[Diagnostic]:
    """Rules that look across every file at once, over the gathered indexes."""
    diagnostics: list[Diagnostic] = []
    defined: dict[str, list] = defaultdict(list)
    for file_index in indexes:
        for entry in file_index.ids:
            defined[entry.id].append(entry)
    for identifier, entries in defined.items():
        first = entries[0]
        for duplicate in entries[1:]:
            diagnostics.append(error(duplicate.path, duplicate.line,
                                     f"xml:id '{identifier}' is already used at "
                                     f"{first.path}:{first.line}", "id.unique"))
    known = list(defined)
    for file_index in indexes:
        for pointer in file_index.pointers:
            if pointer.target in defined:
                continue
            near = difflib.get_close_matches(pointer.target, known, n=3, cutoff=0.6)
            hint = (" (did you mean " + ", ".join(f"'#{n}'" for n in near) + "?)") if near else ""
            diagnostics.append(error(pointer.path, pointer.line,
                                     f"{pointer.element}/@{pointer.attribute} '#{pointer.target}' "
                                     f"matches no xml:id in the corpus{hint}", "ref.resolves"))
    return diagnostics
