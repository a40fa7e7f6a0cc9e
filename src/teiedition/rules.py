"""The collection-wide rules no XSD can express: ids, pointers, dates, headers, registers, mentions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from lxml import etree

from teiedition.corpus import NS, TEI, XML_ID, FileIndex, local_name
from teiedition.diagnostics import Diagnostic, error, warning

# Rule id -> (severity, what it checks); `teiedition` documents and tests each one by this table.
RULES = {
    "file.xml-model": ("warning", "the file names its schema and rules in <?xml-model?>"),
    "id.unique": ("error", "xml:id is unique across the whole corpus"),
    "ref.resolves": ("error", "every local '#id' pointer names an xml:id in the corpus"),
    "date.valid": ("error", "@when, @notBefore, @notAfter are real ISO calendar dates"),
    "date.range": ("error", "@notBefore is not later than @notAfter"),
    "header.date-agrees": ("error", "the sent date in correspDesc equals the document date"),
    "document.title": ("error", "a document has a main title"),
    "document.date": ("error", "a document has a date in profileDesc/creation"),
    "document.type": ("error", "a document's catRef names a category of the edition's taxonomy"),
    "document.correspondents": ("error", "a document has the sender/recipient its type requires"),
    "document.source": ("error", "a document has a source reference (sourceDesc/bibl)"),
    "edition.header": ("error", "the edition names its main title, base URL and licence"),
    "register.referenced": ("warning", "every register entry is referenced at least once"),
    "mention.untagged": ("warning", "register names in document text are tagged"),
    "authority.format": ("error", "authority ids are well-formed (Wikidata, VIAF, GeoNames, GND)"),
}

DATE_ATTRIBUTES = ("when", "notBefore", "notAfter")
AUTHORITY_FORMATS = {
    "wikidata": (re.compile(r"Q[1-9]\d*"), "Q followed by digits"),
    "viaf": (re.compile(r"[1-9]\d*"), "digits"),
    "geonames": (re.compile(r"[1-9]\d*"), "digits"),
    "gnd": (re.compile(r"1[0123]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X]"),
            "a GND number such as 118540238 or 4022153-2"),
}
ENTRY_ELEMENTS = (TEI + "person", TEI + "place", TEI + "org")
ENTRY_NAMES = (TEI + "persName", TEI + "placeName", TEI + "orgName", TEI + "surname")
CORRESPONDENT_NAMES = (TEI + "persName", TEI + "orgName", TEI + "name", TEI + "rs")
ROLE_OF_ACTION = {"sent": "sender", "received": "recipient"}
MIN_NAME_LENGTH = 3

_ISO_DATE = re.compile(r"(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(slots=True)
class Facts:
    """What the cross-file rules need from one file beyond its ids and pointers; picklable.

    A document's text is not among them: the mention check runs on the tree (check_mentions),
    so no document's text is ever gathered for the whole corpus.
    """

    root_line: int = 0
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    doc_type: tuple[str, int] | None = None
    roles: tuple[str, ...] = ()
    entries: list[tuple[str, int]] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)


# ------------------------------------------------------------------ dates

@lru_cache(maxsize=4096)
def date_problem(value: str) -> str | None:
    """Why value is not an ISO date, year-month or year (None when it is one)."""
    match = _ISO_DATE.fullmatch(value.strip())
    if not match or value != value.strip():
        return "is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
    year, month, day = int(match[1]), match[2], match[3]
    if year == 0:
        return "names year 0000, which ISO dates in XML Schema do not have"
    if month is not None and not 1 <= int(month) <= 12:
        return f"has month {month}; months run from 01 to 12"
    if day is not None:
        last = days_in_month(year, int(month))
        if not 1 <= int(day) <= last:
            return f"is not a calendar date: {_MONTHS[int(month) - 1]} {year} has {last} days"
    return None


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@lru_cache(maxsize=4096)
def date_bounds(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The first and last day a valid ISO date, year-month or year stands for."""
    if date_problem(value):
        return None
    match = _ISO_DATE.fullmatch(value)
    year = int(match[1])
    if match[2] is None:
        return (year, 1, 1), (year, 12, 31)
    month = int(match[2])
    if match[3] is None:
        return (year, month, 1), (year, month, days_in_month(year, month))
    day = int(match[3])
    return (year, month, day), (year, month, day)


# ------------------------------------------------------------------ facts

# A document's facts, on paths compiled once (find() walks paths in Python).
_CATREF = etree.XPath("tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef", namespaces=NS)
_ACTIONS = etree.XPath("tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction",
                       namespaces=NS)


def collect(tree: etree._ElementTree, kind: str) -> Facts:
    """Gather the compact facts of one file that check_corpus needs."""
    root = tree.getroot()
    facts = Facts(root_line=root.sourceline or 0)
    if kind == "edition":
        for category in root.iterfind(f".//{TEI}classDecl//{TEI}category"):
            identifier = category.get(XML_ID)
            if identifier:
                facts.categories[identifier] = tuple((category.get("n") or "").split())
    elif kind == "register":
        for entry in root.iterfind(f"{TEI}text//*"):
            if entry.tag in ENTRY_ELEMENTS and entry.get(XML_ID):
                facts.entries.append((entry.get(XML_ID), entry.sourceline or 0))
                for name in entry.iter(*ENTRY_NAMES):
                    if name.getparent().tag in ENTRY_ELEMENTS or name.tag == TEI + "surname":
                        text = " ".join("".join(name.itertext()).split())
                        if len(text) >= MIN_NAME_LENGTH:
                            facts.names.append((text, entry.get(XML_ID)))
    else:
        catref = _first(_CATREF(root))
        if catref is not None:
            target = (catref.get("target") or "").split()
            facts.doc_type = (target[0] if target else "", catref.sourceline or 0)
        roles = []
        for action in _ACTIONS(root):
            named = next(action.iter(*CORRESPONDENT_NAMES), None) is not None
            if action.get("type") in ROLE_OF_ACTION and named:
                roles.append(ROLE_OF_ACTION[action.get("type")])
        facts.roles = tuple(sorted(set(roles)))
    return facts


# ------------------------------------------------------------------ per-file rules

def check_file(path: str, tree: etree._ElementTree, index: FileIndex,
               dates: list | None = None) -> list[Diagnostic]:
    """Rules that need only one file; dates: the date attributes corpus.index found, if it did."""
    root = tree.getroot()
    found = list(check_xml_model(path, tree))
    found.extend(check_dates(path, root, dates))
    found.extend(check_authorities(path, root))
    if index.kind == "document":
        found.extend(check_document_header(path, root))
    elif index.kind == "edition":
        found.extend(check_edition_header(path, root))
    return found


def check_xml_model(path: str, tree: etree._ElementTree) -> Iterator[Diagnostic]:
    hrefs = []
    node = tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            hrefs.append(node.get("href") or "")
        node = node.getprevious()
    missing = [kind for kind, suffixes in (("schema", (".xsd", ".rng")), ("Schematron", (".sch",)))
               if not any(href.endswith(suffixes) for href in hrefs)]
    if missing:
        yield warning(path, 1, f"no <?xml-model?> processing instruction pointing at the "
                      f"{' or '.join(missing)} (editors validate while typing with it)",
                      "file.xml-model")


# Compiled once: libxml2 finds the few date attributes, Python never visits every element.
_DATE_VALUES = etree.XPath("//@when|//@notBefore|//@notAfter")


def check_dates(path: str, root: etree._Element, dates: list | None = None
                ) -> Iterator[Diagnostic]:
    """date.valid and date.range; dates: the date attributes, when the caller has them already."""
    for found in _DATE_VALUES(root) if dates is None else dates:
        attribute, value = found.attrname, str(found)  # a plain str: date_problem caches it
        problem = date_problem(value)
        if problem:
            element = found.getparent()
            yield error(path, element.sourceline, f"{local_name(element)}/@{attribute} "
                        f"'{value}' {problem}", "date.valid")
        if attribute == "notBefore" and value:
            element = found.getparent()
            latest = element.get("notAfter")
            if latest:
                first, last = date_bounds(value), date_bounds(latest)
                if first and last and first[0] > last[1]:
                    yield error(path, element.sourceline, f"{local_name(element)}/@notBefore "
                                f"'{value}' is later than @notAfter '{latest}'", "date.range")


def check_authorities(path: str, root: etree._Element) -> Iterator[Diagnostic]:
    for idno in root.iter(TEI + "idno"):
        kind = idno.get("type")
        if kind in AUTHORITY_FORMATS:
            pattern, expected = AUTHORITY_FORMATS[kind]
            value = (idno.text or "").strip()
            if not pattern.fullmatch(value):
                yield error(path, idno.sourceline, f"idno[@type='{kind}'] '{value}' is not a "
                            f"{kind} id ({expected})", "authority.format")


def _date_of(element: etree._Element | None) -> tuple[str | None, ...] | None:
    if element is None:
        return None
    value = tuple(element.get(a) for a in DATE_ATTRIBUTES)
    return value if any(value) else None


def _show(date: tuple[str | None, ...]) -> str:
    return " ".join(f"@{a}='{v}'" for a, v in zip(DATE_ATTRIBUTES, date, strict=True) if v)


# The header paths a document is checked by, compiled once (find() walks them in Python).
_MAIN_TITLE = etree.XPath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='main']",
                          namespaces=NS)
_CREATION = etree.XPath("tei:teiHeader/tei:profileDesc/tei:creation", namespaces=NS)
_SENT_DATE = etree.XPath("tei:teiHeader/tei:profileDesc/tei:correspDesc/"
                         "tei:correspAction[@type='sent']/tei:date", namespaces=NS)


def _first(found: list) -> etree._Element | None:
    return found[0] if found else None


def check_document_header(path: str, root: etree._Element) -> Iterator[Diagnostic]:
    header = root.find(f"{TEI}teiHeader")
    where = root.sourceline
    file_desc = header.find(f"{TEI}fileDesc") if header is not None else None
    title = _first(_MAIN_TITLE(root))
    if title is None or not "".join(title.itertext()).strip():
        at = title if title is not None else root.find(f".//{TEI}titleStmt")
        yield error(path, at.sourceline if at is not None else where,
                    "document has no main title (titleStmt/title[@type='main'] with text)",
                    "document.title")
    creation = _first(_CREATION(root))
    created = None
    if creation is not None:
        created = _date_of(creation.find(f"{TEI}date")) or _date_of(creation)
    if created is None:
        at = creation if creation is not None else root.find(f"{TEI}teiHeader/{TEI}profileDesc")
        yield error(path, at.sourceline if at is not None else where,
                    "document has no date (profileDesc/creation/date with @when or "
                    "@notBefore/@notAfter)", "document.date")
    sources = file_desc.findall(f"{TEI}sourceDesc/{TEI}bibl") if file_desc is not None else []
    if not any(b.get("corresp") or "".join(b.itertext()).strip() for b in sources):
        at = root.find(f".//{TEI}sourceDesc")
        yield error(path, at.sourceline if at is not None else where,
                    "document has no source reference (sourceDesc/bibl with text or @corresp)",
                    "document.source")
    sent = _first(_SENT_DATE(root))
    sent_date = _date_of(sent)
    if created and sent_date and sent_date != created:
        yield error(path, sent.sourceline, f"sent date {_show(sent_date)} differs from the "
                    f"document date {_show(created)} in profileDesc/creation",
                    "header.date-agrees")


def check_edition_header(path: str, root: etree._Element) -> Iterator[Diagnostic]:
    file_desc = root.find(f"{TEI}teiHeader/{TEI}fileDesc")
    line = file_desc.sourceline if file_desc is not None else root.sourceline
    title = root.find(f".//{TEI}titleStmt/{TEI}title[@type='main']")
    if title is None or not "".join(title.itertext()).strip():
        yield error(path, line, "edition has no main title (titleStmt/title[@type='main'])",
                    "edition.header")
    base = root.find(f".//{TEI}publicationStmt/{TEI}idno[@type='URI']")
    value = (base.text or "").strip() if base is not None else ""
    if not re.fullmatch(r"https?://\S+/", value):
        yield error(path, base.sourceline if base is not None else line,
                    "edition has no base URL ending in '/' (publicationStmt/idno[@type='URI'])",
                    "edition.header")
    licence = root.find(f".//{TEI}publicationStmt/{TEI}availability/{TEI}licence")
    if licence is None or not licence.get("target"):
        yield error(path, licence.sourceline if licence is not None else line,
                    "edition has no licence with @target (publicationStmt/availability/licence)",
                    "edition.header")


# ------------------------------------------------------------------ cross-file rules

def check_corpus(indexes: list[FileIndex]) -> list[Diagnostic]:
    """Rules that look across every file at once, over the gathered indexes.

    mention.untagged is not among them: it needs each document's text and runs per file
    (check_mentions), with the register names gathered first.
    """
    diagnostics: list[Diagnostic] = []
    # Every id of the corpus, in order of first use. The loops over every id and pointer of a
    # corpus are most of these rules' time: they run at C level, in Python only where one fails.
    defined = dict.fromkeys(chain.from_iterable(map(itemgetter(0), f.ids) for f in indexes))
    if sum(len(f.ids) for f in indexes) > len(defined):
        diagnostics.extend(_check_unique(indexes))
    known = None
    for file_index in indexes:
        if all(map(defined.__contains__, map(itemgetter(0), file_index.pointers))):
            continue
        for target, line, element, attribute in file_index.pointers:
            if target in defined:
                continue
            if known is None:
                known = list(defined)
            near = difflib.get_close_matches(target, known, n=3, cutoff=0.6)
            hint = (" (did you mean " + ", ".join(f"'#{n}'" for n in near) + "?)") if near else ""
            diagnostics.append(error(file_index.path, line, f"{element}/@{attribute} '#{target}' "
                                     f"matches no xml:id in the corpus{hint}", "ref.resolves"))
    facts = [(f, f.facts) for f in indexes if isinstance(f.facts, Facts)]
    diagnostics.extend(check_document_types(facts, defined))
    diagnostics.extend(check_register_use(indexes, facts))
    return diagnostics


def _check_unique(indexes: list[FileIndex]) -> Iterator[Diagnostic]:
    first: dict[str, tuple[str, int]] = {}
    for file_index in indexes:
        for identifier, line, _element in file_index.ids:
            if identifier not in first:
                first[identifier] = (file_index.path, line)
                continue
            first_path, first_line = first[identifier]
            yield error(file_index.path, line, f"xml:id '{identifier}' is already used at "
                        f"{first_path}:{first_line}", "id.unique")


def check_document_types(facts, defined) -> Iterator[Diagnostic]:
    categories: dict[str, tuple[str, ...]] = {}
    for _file, found in facts:
        categories.update(found.categories)
    for file_index, found in facts:
        if file_index.kind != "document":
            continue
        if found.doc_type is None:
            yield error(file_index.path, found.root_line, "document has no document type "
                        "(profileDesc/textClass/catRef[@target])", "document.type")
            continue
        target, line = found.doc_type
        category = target.removeprefix("#")
        if category not in categories:
            if category in defined or not target.startswith("#"):
                names = ", ".join(f"'#{c}'" for c in sorted(categories)) or "none defined"
                yield error(file_index.path, line, f"catRef/@target '{target}' is not a category "
                            f"of the document-type taxonomy ({names})", "document.type")
            continue
        missing = [role for role in categories[category] if role not in found.roles]
        if missing:
            yield error(file_index.path, line, f"document type '{category}' requires a "
                        f"{' and a '.join(missing)} (correspDesc/correspAction[@type="
                        f"'{'sent' if missing[0] == 'sender' else 'received'}'] with a name)",
                        "document.correspondents")


def check_register_use(indexes, facts) -> Iterator[Diagnostic]:
    if not any(found.entries for _file, found in facts):
        return
    referenced = set(map(itemgetter(0), chain.from_iterable(f.pointers for f in indexes)))
    for file_index, found in facts:
        for identifier, line in found.entries:
            if identifier not in referenced:
                yield warning(file_index.path, line, f"register entry '{identifier}' is never "
                              f"referenced (no @ref or other pointer names '#{identifier}')",
                              "register.referenced")

