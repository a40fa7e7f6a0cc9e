"""Write a benchmark corpus of N documents by cycling an edition's documents, each copy's ids made unique."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from teiedition import corpus
from teiedition.diagnostics import InputError

# Written into a generated corpus; names the source digest it was made from (not .xml: never read as TEI).
MARKER = ".generated"


class GeneratorError(Exception):
    """The source cannot be turned into a benchmark corpus; the message is one line naming the file."""


@dataclass
class SourceFile:
    relative: Path
    data: bytes
    kind: str
    root_id: str | None


@dataclass
class Generated:
    folder: Path
    documents: int
    files: int


def read_source(source: Path) -> list[SourceFile]:
    """Every TEI file under source, parsed safely once to learn its kind and root id."""
    try:
        paths = corpus.find_files([source])
    except InputError as exc:
        raise GeneratorError(exc.diagnostic.format()) from None
    files = []
    for path in paths:
        data = path.read_bytes()
        try:
            root = corpus.parse(path, data).getroot()
        except corpus.ParseFailure as failure:
            raise GeneratorError(failure.diagnostic.format()) from None
        relative = path.resolve().relative_to(source.resolve())
        files.append(SourceFile(relative, data, corpus.kind_of(root), root.get(corpus.XML_ID)))
    return files


def source_digest(files: list[SourceFile]) -> str:
    """A digest of the source files and of this generator: a cached corpus is stale when it changes."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for source_file in files:
        digest.update(str(source_file.relative).encode() + b"\0" + source_file.data + b"\0")
    return digest.hexdigest()[:16]


def renamed_copy(source_file: SourceFile, suffix: str) -> tuple[Path, bytes]:
    """One copy of a document: every xml:id it defines, and every '#id' pointing at one, gets suffix."""
    tree = corpus.parse(source_file.relative, source_file.data)
    elements = [e for e in tree.getroot().iter(etree.Element)]
    root_id = source_file.root_id
    renamed = {}
    for identifier in filter(None, (e.get(corpus.XML_ID) for e in elements)):
        # doc-4.1-p1 becomes doc-4.1-r2-p1: ids that start with the document's id keep doing so.
        if root_id and identifier.startswith(root_id) and identifier[len(root_id):][:1] in ("", "-"):
            renamed[identifier] = root_id + suffix + identifier[len(root_id):]
        else:
            renamed[identifier] = identifier + suffix
    for element in elements:
        identifier = element.get(corpus.XML_ID)
        if identifier is not None:
            element.set(corpus.XML_ID, renamed[identifier])
        # Any attribute may hold pointers (a project can use its own); only ids defined here change.
        for name, value in element.attrib.items():
            if "#" not in value or name == corpus.XML_ID:
                continue
            tokens = value.split()
            changed = ["#" + renamed[t[1:]] if t.startswith("#") and t[1:] in renamed else t
                       for t in tokens]
            if changed != tokens:
                element.set(name, " ".join(changed))
    relative = source_file.relative
    # A file named after its document's id stays named after the new id.
    new_stem = renamed.get(relative.stem, relative.stem + suffix)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return relative.with_name(new_stem + relative.suffix), data + b"\n"


def write_corpus(files: list[SourceFile], folder: Path, count: int) -> Generated:
    """Write the corpus into folder (which must be new): the other files as they are, count documents."""
    documents = [f for f in files if f.kind == "document"]
    if not documents:
        raise GeneratorError("no document files (TEI/@type='document') in the source corpus")
    if count < len(documents):
        # Fewer would drop originals that the edition's front matter or registers point at.
        raise GeneratorError(f"{count} documents asked for; at least {len(documents)} needed, "
                             "one copy of every source document")
    written = 0
    for source_file in files:
        if source_file.kind != "document":
            _write(folder / source_file.relative, source_file.data)
            written += 1
    for number in range(count):
        cycle, position = divmod(number, len(documents))
        source_file = documents[position]
        if cycle == 0:
            relative, data = source_file.relative, source_file.data
        else:
            relative, data = renamed_copy(source_file, f"-r{cycle}")
        _write(folder / relative, data)
        written += 1
    return Generated(folder, count, written)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def generate(source: Path, folder: Path, count: int) -> Generated:
    """Generate a corpus of count documents from source into folder, replacing it only on success."""
    files = read_source(source)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        generated = write_corpus(files, staging, count)
        (staging / MARKER).write_text(f"{source_digest(files)} {count}\n")
        if folder.exists():
            shutil.rmtree(folder)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    generated.folder = folder
    return generated


def cached_corpus(source: Path, cache: Path, count: int) -> tuple[Path, bool]:
    """The folder of a generated corpus of count documents, reused when its source is unchanged.

    Returns the folder and whether it was (re)generated.
    """
    folder = cache / f"n{count}"
    wanted = f"{source_digest(read_source(source))} {count}"
    marker = folder / MARKER
    if marker.is_file() and marker.read_text().strip() == wanted:
        return folder, False
    generate(source, folder, count)
    return folder, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="number of documents to write")
    parser.add_argument("--source", type=Path, default=Path("tei"),
                        help="the edition to cycle (default: tei)")
    parser.add_argument("--out", type=Path, help="output folder (default: bench/.corpora/nCOUNT)")
    arguments = parser.parse_args(argv)
    if arguments.count < 1:
        parser.error("count must be at least 1")
    folder = arguments.out or Path(__file__).resolve().parent / ".corpora" / f"n{arguments.count}"
    try:
        generated = generate(arguments.source, folder, arguments.count)
    except GeneratorError as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {generated.documents} documents ({generated.files} files) into {generated.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
