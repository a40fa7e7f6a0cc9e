"""Combine a corpus's files into one teiCorpus file, for stylesheets that look across the edition."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from teiedition import corpus

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def combine(sources: Iterable[Path]) -> tuple[etree._ElementTree, dict[str, Path]]:
    """One teiCorpus holding every file's root, each with xml:base naming its file; and base → path."""
    root = etree.Element(corpus.TEI + "teiCorpus", nsmap={None: corpus.TEI_NS})
    files: dict[str, Path] = {}
    for path in sources:
        tree = corpus.parse(path)
        member = tree.getroot()
        base = Path(path).resolve().as_uri()
        member.set(XML_BASE, base)
        files[base] = Path(path)
        root.append(member)
    return etree.ElementTree(root), files


def write(sources: Iterable[Path], folder: Path, prepare=None) -> tuple[Path, dict[str, Path]]:
    """Write the combined corpus into folder (outside the output tree); its path and base → path.

    prepare, if given, may change the combined tree in place before it is written.
    """
    tree, files = combine(sources)
    if prepare is not None:
        prepare(tree)
    target = folder / "corpus.xml"
    tree.write(str(target), encoding="UTF-8", xml_declaration=True)
    return target, files


def source_of(base_uri: str, files: dict[str, Path]) -> Path | None:
    """The corpus file a stylesheet's base-uri() points at."""
    if base_uri in files:
        return files[base_uri]
    path = Path(unquote(urlparse(base_uri).path))
    return next((p for p in files.values() if p.resolve() == path), None)
