"""Citations for any xml:id: one citation record built from the TEI, rendered by cite_formats."""

from __future__ import annotations

import datetime
import difflib
import re
import weakref
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from teiedition import naming
from teiedition.corpus import TEI, XML_ID, Corpus, CorpusFile, display_path, local_name

ID_KINDS = ("document", "passage", "note", "person", "place", "org")
# Register entry element -> (citable kind, register page). The site names its pages with these too.
REGISTER_ENTRIES = {TEI + "person": "person", TEI + "place": "place", TEI + "org": "org"}
REGISTER_PAGES = {"person": "persons.html", "place": "places.html", "org": "organisations.html"}
# How a passage is called in a label ("paragraph 2"), by element name.
PASSAGE_NAMES = {"p": "paragraph", "item": "list item", "head": "heading", "ab": "block",
                 "lg": "stanza", "l": "line", "quote": "quotation", "q": "quotation",
                 "div": "section", "dateline": "dateline", "salute": "salutation",
                 "signed": "signature", "closer": "closer", "opener": "opener", "seg": "segment"}
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class CitationError(Exception):
    """A one-line problem with a citation request; exit_code 1 unknown id, 2 malformed input."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Name:
    """A person's name split for citation styles, or an organisation's name as a literal."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def display(self) -> str:
        return self.literal or " ".join(part for part in (self.given, self.family) if part)


@dataclass(frozen=True)
class Edition:
    title: str
    subtitle: str
    editors: tuple[Name, ...]
    publisher: str
    place: str
    date: str
    version: str
    base_url: str
    licence: str


@dataclass(frozen=True)
class Record:
    """Everything any citation format needs about one id; every format is derived from it."""

    id: str
    kind: str
    edition: Edition
    url: str
    title: str
    label: str
    document_id: str | None = None
    number: str = ""
    genre: str = ""
    date: str = ""
    authors: tuple[Name, ...] = ()
    recipients: tuple[Name, ...] = ()
    accessed: str = ""
    path: str = ""
    line: int = 0


def page_name(kind: str, document_id: str | None = None) -> str:
    """The site page an id lives on: a document's own page, or its register's page."""
    if kind in REGISTER_PAGES:
        return REGISTER_PAGES[kind]
    if not document_id:
        raise ValueError(f"a {kind} needs its document id to name a page")
    return f"{naming.page_name(document_id)}.html"


def load(corpus: Corpus | str | Path) -> Corpus:
    return corpus if isinstance(corpus, Corpus) else Corpus.load([corpus])


def text_of(element: etree._Element | None) -> str:
    """The element's reading text, whitespace folded; notes left out, gaps shown as an ellipsis."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        name = local_name(node)
        # Notes are cited on their own; of a choice, the edition's reading (corr, reg, expan) counts.
        if node is not element and (name == "note" or (
                name in ("sic", "orig", "abbr") and local_name(node.getparent()) == "choice")):
            parts.append(node.tail or "")
            return
        if name == "gap":
            parts.append(" […] ")
        elif node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                parts.append(child.tail)
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _first(element: etree._Element | None, path: str) -> etree._Element | None:
    return None if element is None else element.find(path, {"tei": TEI[1:-1]})


def _name_of_person(person: etree._Element | None, fallback: etree._Element) -> Name:
    """Split a register person's main name (surname, forename) or fall back to the text."""
    names = [] if person is None else person.findall(TEI + "persName")
    main = next((n for n in names if n.get("type") == "main"), names[0] if names else None)
    for candidate in (main, fallback):
        if candidate is None:
            continue
        surname = candidate.find(f".//{TEI}surname")
        if surname is not None:
            given = " ".join(text_of(f) for f in candidate.iter(TEI + "forename"))
            return Name(family=text_of(surname), given=given)
    return Name(literal=text_of(main if main is not None else fallback))


def register_label(entry: etree._Element) -> str:
    """A register entry's main name as it reads: 'Benjamin Razin', 'Sofia'."""
    kind = REGISTER_ENTRIES[entry.tag]
    if kind == "person":
        return _name_of_person(entry, entry).display()
    tag = TEI + ("placeName" if kind == "place" else "orgName")
    names = entry.findall(tag)
    main = next((n for n in names if n.get("type") == "main"), names[0] if names else None)
    return text_of(main) if main is not None else entry.get(XML_ID, "")


def _agent(corpus: Corpus, element: etree._Element) -> Name:
    """A correspondent named in correspAction: resolved through its register entry when it has one."""
    found = corpus.lookup(element.get("ref", "").split()[0]) if element.get("ref") else None
    entry = found[1] if found else None
    if element.tag == TEI + "persName":
        return _name_of_person(entry if entry is not None and entry.tag == TEI + "person" else None,
                               element)
    if entry is not None and entry.tag in REGISTER_ENTRIES:
        return Name(literal=register_label(entry))
    return Name(literal=text_of(element))


# Each corpus's edition, read once: a corpus held in memory does not change, and the site's
# citations ask for it once per document (finding the edition file walks every file).
_editions: weakref.WeakKeyDictionary[Corpus, Edition] = weakref.WeakKeyDictionary()


def edition_of(corpus: Corpus) -> Edition:
    """The edition's bibliographic facts from edition.xml's header."""
    if corpus not in _editions:
        _editions[corpus] = _read_edition(corpus)
    return _editions[corpus]


def _read_edition(corpus: Corpus) -> Edition:
    edition_file = corpus.edition
    if edition_file is None:
        raise CitationError("the corpus has no edition file (<TEI type=\"edition\">), which "
                            "citations take their title, editors and base URL from", 2)
    shown = display_path(edition_file.path)
    file_desc = edition_file.root.find(f"{TEI}teiHeader/{TEI}fileDesc")
    title_stmt = _first(file_desc, "tei:titleStmt")
    publication = _first(file_desc, "tei:publicationStmt")
    titles = [] if title_stmt is None else title_stmt.findall(TEI + "title")
    main = next((t for t in titles if t.get("type") in (None, "main")), None)
    sub = next((t for t in titles if t.get("type") == "sub"), None)
    uri = _first(publication, "tei:idno[@type='URI']")
    if main is None or uri is None or not text_of(uri):
        missing = "titleStmt/title[@type='main']" if main is None else "publicationStmt/idno[@type='URI']"
        line = (publication if main is not None and publication is not None else file_desc)
        raise CitationError(f"{shown}:{getattr(line, 'sourceline', 0) or 0}: the edition header has "
                            f"no {missing}, which every citation needs", 2)
    editors = []
    for editor in [] if title_stmt is None else title_stmt.findall(TEI + "editor"):
        person = editor.find(TEI + "persName")
        if person is not None or editor.find(TEI + "surname") is not None:
            editors.append(_name_of_person(None, person if person is not None else editor))
        else:
            editors.append(Name(literal=text_of(editor)))
    date = _first(publication, "tei:date")
    edition = _first(file_desc, "tei:editionStmt/tei:edition")
    licence = _first(publication, "tei:availability/tei:licence")
    base = text_of(uri)
    return Edition(
        title=text_of(main), subtitle=text_of(sub), editors=tuple(editors),
        publisher=text_of(_first(publication, "tei:publisher")),
        place=text_of(_first(publication, "tei:pubPlace")),
        date=(date.get("when") or text_of(date)) if date is not None else "",
        version=(edition.get("n") or text_of(edition)) if edition is not None else "",
        base_url=base if base.endswith("/") else base + "/",
        licence=(licence.get("target") or text_of(licence)) if licence is not None else "")


def kind_of_id(corpus_file: CorpusFile, element: etree._Element) -> str | None:
    """The citable kind of an element with an xml:id, or None when it is not citable."""
    if element.tag in REGISTER_ENTRIES:
        return REGISTER_ENTRIES[element.tag]
    if corpus_file.kind != "document":
        return None
    if element is corpus_file.root:
        return "document"
    if element.tag == TEI + "note":
        return "note"
    text = corpus_file.root.find(TEI + "text")
    if text is not None and any(ancestor is text for ancestor in element.iterancestors()):
        return "passage"
    return None


def citable_ids(corpus: Corpus | str | Path) -> list[tuple[str, str]]:
    """(id, kind) for every citable id: documents in edition order, then registers."""
    corpus = load(corpus)
    found = []
    for corpus_file in ordered_files(corpus):
        for element in corpus_file.root.iter(etree.Element):
            identifier = element.get(XML_ID)
            kind = kind_of_id(corpus_file, element) if identifier else None
            if kind and corpus.lookup(identifier)[1] is element:
                found.append((identifier, kind))
    return found


def _natural(value: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", value))


def document_number(corpus_file: CorpusFile) -> str:
    return text_of(corpus_file.root.find(
        f"{TEI}teiHeader/{TEI}fileDesc/{TEI}publicationStmt/{TEI}idno[@type='number']"))


def ordered_files(corpus: Corpus) -> list[CorpusFile]:
    """Documents in edition order (by their number, else id), then the registers."""
    documents = sorted(corpus.documents,
                       key=lambda f: _natural(document_number(f) or f.id or str(f.path)))
    return documents + corpus.of_kind("register")


def _document_facts(corpus: Corpus, document: CorpusFile) -> dict:
    root = document.root
    header = root.find(TEI + "teiHeader")
    titles = header.findall(f"{TEI}fileDesc/{TEI}titleStmt/{TEI}title")
    main = next((t for t in titles if t.get("type") in (None, "main")), None)
    date = header.find(f"{TEI}profileDesc/{TEI}creation/{TEI}date")
    when = "" if date is None else (date.get("when") or date.get("notBefore") or
                                    date.get("from") or "")
    actions = header.findall(f"{TEI}profileDesc/{TEI}correspDesc/{TEI}correspAction")
    agents = {"sent": [], "received": []}
    for action in actions:
        # A person named with their office ("Bentsur, Eastern European Department") is the
        # correspondent; the organisation counts only when no person is named.
        people = action.findall(TEI + "persName") or action.findall(TEI + "orgName")
        agents.setdefault(action.get("type"), []).extend(_agent(corpus, a) for a in people)
    genre = ""
    category = header.find(f"{TEI}profileDesc/{TEI}textClass/{TEI}catRef")
    if category is not None and category.get("target"):
        found = corpus.lookup(category.get("target").split()[0])
        if found is not None:
            genre = text_of(found[1].find(TEI + "catDesc"))
    return {"title": text_of(main) or (root.get(XML_ID) or ""), "number": document_number(document),
            "date": when, "authors": tuple(agents["sent"]),
            "recipients": tuple(agents["received"]), "genre": genre}


def passage_label(document: CorpusFile, element: etree._Element) -> str:
    """'paragraph 2', 'note 1': the element's kind and position among its kind in the document."""
    name = local_name(element)
    text = document.root.find(TEI + "text")
    same = [e for e in text.iter(element.tag) if e.get(XML_ID)] if text is not None else []
    position = next((i for i, e in enumerate(same, 1) if e is element), 0)
    noun = "note" if name == "note" else PASSAGE_NAMES.get(name, name)
    return f"{noun} {position}" if position else noun


def check_identifier(identifier: str) -> str:
    bare = identifier.strip().removeprefix("#")
    if not _NCNAME.match(bare):
        raise CitationError(f"'{identifier}' is not a valid xml:id: an id starts with a letter or "
                            "'_' and holds only letters, digits, '.', '-' and '_'", 2)
    return bare


def record(identifier: str, corpus: Corpus | str | Path, accessed: str | None = None) -> Record:
    """The citation record for one id; CitationError for malformed, unknown or uncitable ids."""
    bare = check_identifier(identifier)
    corpus = load(corpus)
    accessed_date = check_date(accessed) if accessed else ""
    found = corpus.lookup(bare)
    if found is None:
        citable = [i for i, _kind in citable_ids(corpus)]
        near = difflib.get_close_matches(bare, citable, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        raise CitationError(f"no xml:id '{bare}' in the corpus{hint}", 1)
    corpus_file, element = found
    kind = kind_of_id(corpus_file, element)
    shown = display_path(corpus_file.path)
    if kind is None:
        raise CitationError(f"{shown}:{element.sourceline}: '{bare}' is a <{local_name(element)}>, "
                            f"not a citable id (citable: {', '.join(ID_KINDS)})", 1)
    edition = edition_of(corpus)
    base = dict(id=bare, kind=kind, edition=edition, accessed=accessed_date, path=shown,
                line=element.sourceline or 0)
    if kind in REGISTER_PAGES:
        return Record(url=f"{edition.base_url}{page_name(kind)}#{bare}",
                      title=register_label(element), label=kind, **base)
    facts = _document_facts(corpus, corpus_file)
    document_id = corpus_file.id or bare
    url = edition.base_url + page_name("document", document_id)
    label = "document"
    if kind != "document":
        url += f"#{bare}"
        label = passage_label(corpus_file, element)
    return Record(url=url, label=label, document_id=document_id, **facts, **base)


def check_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CitationError(f"access date '{value}' is not a date in the form YYYY-MM-DD", 2) from None


def cite(identifier: str, corpus: Corpus | str | Path, style: str = "chicago-notes-bibliography",
         output_format: str = "text", accessed: str | None = None) -> str:
    """A citation of any citable id in one of cite_formats.FORMATS."""
    from teiedition import cite_formats

    cite_formats.check_request(style, output_format)
    return cite_formats.render(record(identifier, corpus, accessed), style, output_format)


def show(identifier: str, corpus: Corpus | str | Path) -> str:
    """What an id is, where it is, and its text; for a register entry its details and mentions."""
    from teiedition import cite_show

    corpus = load(corpus)
    return cite_show.describe(record(identifier, corpus), corpus)
