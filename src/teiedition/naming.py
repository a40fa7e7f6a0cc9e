"""The one rule that names a document's output files (page, TEI copy, citations, plain text)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from teiedition.corpus import XML_ID

# Names the targets give their own files: a document never takes one (compared case-folded, as
# a case-insensitive file system would). site.CORPUS_PAGES are pages, "edition" the whole text.
RESERVED = frozenset({"index", "persons", "places", "organisations", "chronology", "about",
                      "search", "sitemap", "edition"})
# Longest name kept as it is (bytes); ".html" and a "~N" suffix must still fit in 255.
MAX_PLAIN_BYTES = 200
_SLUG_BYTES = 100


def _plain_character(character: str) -> bool:
    return (character.isalnum() or character in "_.-\u00b7\u203f\u2040"
            or unicodedata.category(character) in ("Mn", "Mc"))


def is_plain(identifier: str) -> bool:
    """Whether an id names its files as it is: what any NCName not reserved and not too long is."""
    return (bool(identifier) and not identifier.startswith(".")
            and all(_plain_character(c) for c in identifier)
            and identifier.casefold() not in RESERVED
            and len(identifier.encode("utf-8", "surrogatepass")) <= MAX_PLAIN_BYTES)


def page_name(identifier: str) -> str:
    """The file name (without suffix) of a document with this id or file stem.

    A plain id is kept: `doc-4.1` -> `doc-4.1`. Any other becomes a readable slug and '~' with 16
    hex digits of its hash (`doc#frag?q=1` -> `doc-frag-q-1~…`): '~' is never in a plain name,
    so no two ids share a name, and the name needs no escaping in a URL, a path or a shell.
    """
    if is_plain(identifier):
        return identifier
    data = identifier.encode("utf-8", "surrogatepass")
    slug = re.sub("-{2,}", "-", "".join(c if _plain_character(c) else "-" for c in identifier))
    slug = slug.strip("-.")
    while len(slug.encode("utf-8")) > _SLUG_BYTES:
        slug = slug[:-1]
    return f"{slug.rstrip('-.') or 'document'}~{hashlib.sha256(data).hexdigest()[:16]}"


def page_names(identifiers: Iterable[str]) -> list[str]:
    """page_name for each id, in the given order; an id met again (under --no-validate, or a
    stem shared by files in two folders) gets '~2', '~3', ... so that no file overwrites another."""
    names, seen = [], set()
    for identifier in identifiers:
        name = page_name(identifier)
        unique, number = name, 1
        while unique.casefold() in seen:
            number += 1
            unique = f"{name}~{number}"
        seen.add(unique.casefold())
        names.append(unique)
    return names


def document_identifier(root, path: str | Path) -> str:
    """What identifies a document: its xml:id, else its file name without '.xml'."""
    return root.get(XML_ID) or Path(path).stem
