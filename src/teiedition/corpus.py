"""Find TEI files, parse them safely, tell their kinds apart, and index every xml:id and pointer."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teiedition.diagnostics import Diagnostic, InputError, error

TEI_NS = "http://www.tei-c.org/ns/1.0"
TEI = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"tei": TEI_NS}

KINDS = ("edition", "document", "register")
# Attributes whose values are (lists of) pointers; a value starting with '#' must name a corpus id.
POINTER_ATTRIBUTES = ("ref", "target", "corresp", "who", "source", "scheme", "ana", "sameAs",
                      "prev", "next", "resp", "hand", "synch", "from", "to")
REGISTER_LISTS = (TEI + "listPerson", TEI + "listPlace", TEI + "listOrg")

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_SPACES = re.compile(rb"\s*")
_START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*/?>")
_ATTRIBUTE = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARED_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# Encodings that read pure ASCII exactly as UTF-8 does. Anything else (UTF-7, ISO-2022-JP, ...) could
# spell a DOCTYPE in bytes the check above cannot see, and the XSLT engine decodes it again on its own.
_ASCII_SAFE_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1",
                         "iso-8859-15", "windows-1252", "cp1252"}
# libxml2's limit messages, said in the user's terms.
_LIMIT_MESSAGES = (
    ("Excessive depth", "elements nested deeper than 256 levels are refused"),
    ("Text node too long", "a text node longer than 10 MB is refused"),
    ("Buffer size limit", "a name or attribute value longer than 10 MB is refused"),
    ("Resource limit exceeded", "the document exceeds the parser's safety limits"),
)


class ParseFailure(Exception):
    """A file that could not be turned into a TEI tree; carries its one diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def display_path(path: Path) -> str:
    """The path as an editor would click it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of .xml files; unreadable input is InputError."""
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(error(raw, 0, "no such file or folder", "input.missing"))
        if path.is_dir():
            files = _xml_files(str(path))
            if not files:
                raise InputError(error(raw, 0, "folder holds no .xml file", "input.empty-folder"))
            found.extend(files)
        else:
            found.append(os.path.realpath(path))
    unique = dict.fromkeys(found)
    here = os.path.realpath(os.getcwd()).rstrip(os.sep) + os.sep
    return [Path(p[len(here):] if p.startswith(here) else p) for p in unique]


def _xml_files(folder: str) -> list[str]:
    """The real paths of the .xml files in folder and below, in the order of their paths' parts.

    What sorted(Path(folder).rglob("*.xml")) finds, with os.scandir: symbolic links to folders
    are not followed, unreadable folders are skipped. This runs for every file of a corpus on
    every command, so a path is resolved (os.path.realpath) only when it is a link itself.
    """
    files: list[tuple[tuple[str, ...], str]] = []
    pending = [((), os.path.realpath(folder))]
    while pending:
        parts, real = pending.pop()
        try:
            with os.scandir(real) as entries:
                listed = list(entries)
        except PermissionError:
            continue
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(((*parts, entry.name), os.path.join(real, entry.name)))
                    continue
            except OSError:
                continue
            if entry.name.endswith(".xml") and entry.is_file():
                target = os.path.join(real, entry.name)
                files.append(((*parts, entry.name),
                              os.path.realpath(target) if entry.is_symlink() else target))
    files.sort()
    return [real for _parts, real in files]


def parser() -> etree.XMLParser:
    """A parser that never reads a DTD, an external entity or the network, and keeps limits on."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, collect_ids=False)


_PARSERS = threading.local()  # one parser per thread, made once: a parser is not thread-safe


def _thread_parser() -> etree.XMLParser:
    reader = getattr(_PARSERS, "parser", None)
    if reader is None:
        reader = _PARSERS.parser = parser()
    return reader


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, with plain os calls: half the time of Path.read_bytes for a small file
    (no buffered reader, no terminal check); raises OSError as it does."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size
        data = os.read(descriptor, size + 1)
        if len(data) > size:  # it grew since: read on to the end
            chunks = [data]
            while chunk := os.read(descriptor, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(descriptor)


def parse(path: Path, data: bytes | None = None) -> etree._ElementTree:
    """Parse one file into a tree, or raise ParseFailure with a one-line diagnostic."""
    shown = str(path)
    if data is None:
        try:
            data = read_bytes(path)
        except OSError as exc:
            raise ParseFailure(error(shown, 0, f"cannot read file: {exc.strerror}",
                                     "input.unreadable")) from None
    if not data.strip():
        raise ParseFailure(error(shown, 1, "file is empty", "xml.wellformed"))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseFailure(error(shown, 1, "binary file, not XML text", "xml.encoding"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseFailure(error(shown, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                                 f"offset {exc.start})", "xml.encoding")) from None
    declared = _DECLARED_ENCODING.match(data)
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        if name.lower() not in _ASCII_SAFE_ENCODINGS or (name.lower() not in ("utf-8", "utf8")
                                                          and not data.isascii()):
            raise ParseFailure(error(shown, 1, f"encoding '{name}' refused: teiedition reads "
                                     "UTF-8 files only (save as UTF-8, declare encoding=\"UTF-8\")",
                                     "xml.encoding"))
    root_start = _ROOT_START.search(data)
    doctype = _DOCTYPE.search(data, 0, root_start.start() if root_start else len(data))
    if doctype:
        line = data.count(b"\n", 0, doctype.start()) + 1
        raise ParseFailure(error(shown, line, "DOCTYPE declaration refused: DTDs and entities are "
                                 "never loaded or expanded", "xml.doctype"))
    try:
        tree = etree.ElementTree(etree.fromstring(data, _thread_parser(), base_url=str(path)))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        message = re.sub(r",? line \d+, column \d+.*$", "", exc.msg or "not well-formed")
        message = next((said for known, said in _LIMIT_MESSAGES if known in message), message)
        raise ParseFailure(error(shown, line, f"not well-formed XML: {message}",
                                 "xml.wellformed", column)) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ParseFailure(error(shown, 1, "DOCTYPE declaration refused: DTDs and entities are "
                                 "never loaded or expanded", "xml.doctype"))
    root = tree.getroot()
    if root.tag not in (TEI + "TEI", TEI + "teiCorpus"):
        name = etree.QName(root)
        where = f"namespace '{name.namespace}'" if name.namespace else "no namespace"
        raise ParseFailure(error(shown, root.sourceline, f"root element is <{name.localname}> in "
                                 f"{where}; expected <TEI> in {TEI_NS}", "xml.root"))
    return tree


def kind_of(root: etree._Element) -> str:
    """edition, document or register: from TEI/@type, else inferred from the content."""
    declared = root.get("type")
    if declared in KINDS:
        return declared
    if root.tag == TEI + "teiCorpus":
        return "document"
    body = root.find(f"{TEI}text/{TEI}body")
    # A list with entries (an element's truth, which lxml is retiring, is whether it has children).
    if body is not None and any(len(found) for found in body.iter(*REGISTER_LISTS)) \
            and body.find(f"{TEI}p") is None:
        return "register"
    return "document"


def declared_kind(head: bytes) -> str | None:
    """The kind a file's root start tag declares in TEI/@type, read from its first bytes.

    A cheap guess made before parsing, to know the registers first: None when unsure (no root
    start tag in head, or no @type naming a kind). kind_of, on the parsed tree, has the last word.
    """
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:  # skip what may come before the root: spaces, <?...?>, <!--...-->
        start = _SPACES.match(head, start).end()
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if head.startswith(opening, start):
                end = head.find(closing, start + len(opening))
                if end < 0:
                    return None
                start = end + len(closing)
                break
        else:
            break
    tag = _START_TAG.match(head, start)
    if tag is None or tag[1].rpartition(b":")[2] not in (b"TEI", b"teiCorpus"):
        return None
    for name, double, single in _ATTRIBUTE.findall(tag[2]):
        if name == b"type":
            value = (double or single).decode("ascii", "replace")
            return value if value in KINDS else None
    return None


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def element_name(element: etree._Element) -> str:
    """local_name for an element, remembered per tag: it runs for every id and pointer."""
    tag = element.tag
    name = _ELEMENT_NAMES.get(tag)
    if name is None:
        name = _ELEMENT_NAMES.setdefault(tag, local_name(element)) if isinstance(tag, str) else ""
    return name


_ELEMENT_NAMES: dict[str, str] = {}
_POINTER_SET = frozenset(POINTER_ATTRIBUTES)
_DATE_ATTRIBUTES = frozenset(("when", "notBefore", "notAfter"))
# Compiled once: libxml2 lists the attributes, Python never visits an element without one.
_ATTRIBUTES = etree.XPath("//@*")


def iter_pointers(element: etree._Element) -> Iterator[tuple[str, str]]:
    """(attribute, id) for every local '#id' pointer the element carries."""
    # Walk the attributes the element has (usually none or one), not every pointer attribute name.
    for attribute, value in element.items():
        if value and attribute in _POINTER_SET:
            for token in value.split():
                if token.startswith("#") and len(token) > 1:
                    yield attribute, token[1:]


@dataclass(slots=True)
class FileIndex:
    """What cross-file rules need from one file, small enough to gather for a whole corpus.

    Entries are plain tuples (they cross process boundaries and go into the build cache by the
    hundred thousand): ids holds (id, line, element), pointers (target, line, element, attribute).
    """

    path: str
    kind: str
    root_id: str | None
    ids: list[tuple[str, int, str]] = field(default_factory=list)
    pointers: list[tuple[str, int, str, str]] = field(default_factory=list)
    # rules.Facts: the header facts and register names the cross-file rules need.
    facts: object | None = None


def index(path: str, tree: etree._ElementTree, dates: list | None = None) -> FileIndex:
    """Every xml:id and every local '#id' pointer of a file, in document order.

    dates, when given, gets the file's date attributes (@when, @notBefore, @notAfter) as lxml
    gives them (getparent() is the element), for rules.check_dates: one walk finds them all.
    """
    root = tree.getroot()
    entry = FileIndex(path, kind_of(root), root.get(XML_ID))
    ids, pointers = entry.ids, entry.pointers
    names = _ELEMENT_NAMES  # element_name, inlined: this runs for every id and pointer
    for value in _ATTRIBUTES(root):
        attribute = value.attrname
        if attribute == XML_ID:
            element = value.getparent()
            ids.append((str(value), element.sourceline or 0,
                        names.get(element.tag) or element_name(element)))
        elif attribute in _POINTER_SET:
            if "#" not in value:
                continue
            element = None
            for token in value.split():
                if token.startswith("#") and len(token) > 1:
                    if element is None:
                        element = value.getparent()
                        line = element.sourceline or 0
                        name = names.get(element.tag) or element_name(element)
                    pointers.append((token[1:], line, name, attribute))
        elif dates is not None and attribute in _DATE_ATTRIBUTES:
            dates.append(value)
    return entry


@dataclass
class CorpusFile:
    path: Path
    kind: str
    tree: etree._ElementTree

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def id(self) -> str | None:
        return self.root.get(XML_ID)


class Corpus:
    """A whole corpus held in memory: for commands that look across it (cite, show, ids).

    Builds and validation do not hold every tree at once; they gather FileIndex records instead.
    """

    def __init__(self, files: list[CorpusFile]):
        self.files = files
        self.elements: dict[str, tuple[CorpusFile, etree._Element]] = {}
        for corpus_file in files:
            for element in corpus_file.root.iter(etree.Element):
                identifier = element.get(XML_ID)
                if identifier is not None:
                    self.elements.setdefault(identifier, (corpus_file, element))

    @classmethod
    def load(cls, paths: Iterable[str | Path]) -> Corpus:
        """Parse every file; the first that cannot be parsed raises ParseFailure."""
        files = []
        for path in find_files(paths):
            tree = parse(path)
            files.append(CorpusFile(path, kind_of(tree.getroot()), tree))
        return cls(files)

    def of_kind(self, kind: str) -> list[CorpusFile]:
        return [f for f in self.files if f.kind == kind]

    @property
    def edition(self) -> CorpusFile | None:
        editions = self.of_kind("edition")
        return editions[0] if editions else None

    @property
    def documents(self) -> list[CorpusFile]:
        return self.of_kind("document")

    def lookup(self, identifier: str) -> tuple[CorpusFile, etree._Element] | None:
        return self.elements.get(identifier.removeprefix("#"))
