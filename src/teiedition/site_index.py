"""Gather the compact site index in one pass: documents, register entries, mentions, dates, citations."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teiedition import corpus, naming
from teiedition.corpus import TEI, XML_ID, XML_LANG

SITE_NS = "urn:teiedition:site"
S = f"{{{SITE_NS}}}"
ENTRY_KINDS = {TEI + "person": "person", TEI + "personGrp": "person", TEI + "place": "place",
               TEI + "org": "org"}
NAME_KINDS = {TEI + "persName": "person", TEI + "placeName": "place", TEI + "orgName": "org"}
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to", "cert")


@dataclass
class SiteIndex:
    """The site index: its head (edition, types, registers, entries) and one record per document.

    The XML tree the stylesheet reads is made on first use of .tree: a rebuild that reuses every
    page never needs it.
    """

    head: etree._Element
    base: str
    documents: list[dict] = field(default_factory=list)
    # Digest of the edition's and registers' files, which every page may read through doc().
    context: str = ""
    _tree: etree._ElementTree | None = None

    @property
    def tree(self) -> etree._ElementTree:
        if self._tree is None:
            root = etree.fromstring(etree.tostring(self.head))
            for position, document in enumerate(self.documents, 1):
                _write_document(root, document, position)
            self._tree = etree.ElementTree(root)
        return self._tree

    def page_tree(self) -> etree._ElementTree:
        """The index as a document page reads it beside its own record (record_xml): the head and
        every document's attributes (titles, numbers, ids, reading order), none of the documents'
        mentions, dates or citations, which are most of the index and which only the
        whole-corpus pages read (the pages' cache keys, shared_digest, cover no more)."""
        root = etree.fromstring(etree.tostring(self.head))
        for position, document in enumerate(self.documents, 1):
            etree.SubElement(root, S + "document", _document_attributes(document, position))
        return etree.ElementTree(root)

    def record_xml(self, position: int) -> bytes:
        """The whole index element of the document at this position in reading order (from 1),
        as a file of its own: what its page reads of itself."""
        root = etree.Element(S + "site", nsmap={"s": SITE_NS})
        _write_document(root, self.documents[position - 1], position)
        return etree.tostring(root)

    def document_keys(self, shared: str) -> list[str]:
        """A digest per document of everything its index element holds, in reading order
        (not of its source file: a change in its text alone leaves it as it was)."""
        from teiedition import cache

        return [cache.digest(shared, str(position), document["content"], document["href"],
                             document["page"], json.dumps(document["citations"], sort_keys=True))
                for position, document in enumerate(self.documents, 1)]

    def shared_digest(self, *parts: str) -> str:
        """A digest of what every page may read beyond its own record: the head, each document's
        attributes (titles, numbers, ids), and the edition's and registers' files."""
        from teiedition import cache

        attributes = [_document_attributes(d, position)
                      for position, d in enumerate(self.documents, 1)]
        return cache.digest(*parts, etree.tostring(self.head), json.dumps(attributes),
                            self.context)


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path, namespaces=corpus.NS)
    return found[0] if found else None


def _refs(element: etree._Element) -> list[str]:
    return [t[1:] for t in (element.get("ref") or "").split() if t.startswith("#") and len(t) > 1]


def _sort_date(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return element.get("when") or element.get("notBefore") or element.get("from") or ""


def _number_key(number: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.\s]+", number) if part)


PASSAGE_LABELS = {"p": "\u00b6 {n}", "ab": "\u00b6 {n}", "item": "item {n}", "note": "note {n}",
                  "head": "heading"}


def _passage_labels(text: etree._Element) -> dict[str, str]:
    """A reader's label for every element with an id: "¶ 2", "note 1", "item 3"."""
    counts: dict[str, int] = {}
    labels = {}
    for element in text.iter(etree.Element):
        identifier = element.get(XML_ID)
        if identifier is None:
            continue
        name = etree.QName(element).localname
        counts[name] = counts.get(name, 0) + 1
        labels[identifier] = PASSAGE_LABELS.get(name, name + " {n}").format(n=counts[name])
    return labels


def _passage(element: etree._Element, document_id: str) -> str:
    """The id of the nearest enclosing element that has one: the anchor a mention links to."""
    for ancestor in element.iterancestors():
        identifier = ancestor.get(XML_ID)
        if identifier is not None:
            return identifier
    return document_id


def _entry(element: etree._Element, kind: str) -> dict:
    names = [n for n in element if isinstance(n.tag, str) and etree.QName(n).localname in
             ("persName", "placeName", "orgName")]
    main = next((n for n in names if n.get("type") == "main"), names[0] if names else None)
    role = _first(element, "tei:occupation | tei:roleName | tei:desc | tei:note")
    return {"id": element.get(XML_ID), "kind": kind, "name": _text(main),
            "role": _text(role) if role is not None and etree.QName(role).localname != "note"
            else "", "cert": element.get("cert") or ""}


def _document(path: Path, root: etree._Element, citations) -> dict:
    identifier = naming.document_identifier(root, path)
    created = _first(root, "tei:teiHeader/tei:profileDesc/tei:creation/tei:date")
    category = _first(root, "tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef")
    record = {
        "id": identifier, "path": str(path),
        "n": _text(_first(root, "tei:teiHeader/tei:fileDesc/tei:publicationStmt/"
                                "tei:idno[@type='number']")),
        "title": _text(_first(root, "tei:teiHeader/tei:fileDesc/tei:titleStmt/"
                                    "tei:title[@type='main'] | tei:teiHeader/tei:fileDesc/"
                                    "tei:titleStmt/tei:title[1]")),
        "short": _text(_first(root, "tei:teiHeader/tei:fileDesc/tei:titleStmt/"
                                    "tei:title[@type='short']")),
        "type": ((category.get("target") or "").split() or ["#"])[0].lstrip("#")
        if category is not None else "",
        "lang": root.get(XML_LANG) or "",
        "date": {a: created.get(a) for a in DATE_ATTRIBUTES if created is not None and created.get(a)},
        "sort": _sort_date(created),
        "correspondents": [], "mentions": [], "dates": [], "ids": [],
    }
    for action in root.iterfind(f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc/"
                                f"{TEI}correspAction"):
        role = {"sent": "sender", "received": "recipient"}.get(action.get("type") or "", "")
        for name in action:
            if (name.tag in (TEI + "persName", TEI + "orgName") or name.tag == TEI + "rs") and role:
                record["correspondents"].append((role, NAME_KINDS.get(name.tag, name.get("type", "")),
                                                 " ".join(_refs(name)), _text(name)))
    text = root.find(f"{TEI}text")
    labels = _passage_labels(text) if text is not None else {}
    record["labels"] = labels
    if text is not None:
        for element in text.iter(etree.Element):
            if element.get(XML_ID):
                record["ids"].append(element.get(XML_ID))
            if element.tag in NAME_KINDS or element.tag == TEI + "rs":
                for ref in _refs(element):
                    record["mentions"].append((ref, _passage(element, identifier)))
            elif element.tag == TEI + "date" and any(element.get(a) for a in DATE_ATTRIBUTES[:5]):
                record["dates"].append(({a: element.get(a) for a in DATE_ATTRIBUTES
                                         if element.get(a)}, _passage(element, identifier),
                                        _text(element)))
    record["citations"] = citations.get(identifier, {})
    return record


def _site_citations(sources: list[Path]) -> dict[str, dict[str, str]]:
    """Citation texts per document id, {document id: {format: text}}, from teiedition.cite_site."""
    from teiedition.cite_site import site_citations

    return site_citations(sources)


# Documents cited per call of site_citations, which holds its sources in memory at once.
CITATION_BATCH = 500


def _citations(documents: list[dict], context_files: list[Path], context_digest: str,
               store) -> None:
    """Fill each record's citations: from the store when the document's header (_citation_key)
    and the edition's files are unchanged, else through the cite module, a bounded batch of
    documents at a time."""
    from teiedition import cache

    missing = []
    for document in documents:
        key = cache.digest(context_digest, document["cite"])
        found = store.get(key) if store is not None else None
        if found is None:
            missing.append((document, key))
        else:
            document["citations"] = found
    for start in range(0, len(missing), CITATION_BATCH):
        batch = missing[start:start + CITATION_BATCH]
        found = _site_citations(context_files + [Path(d["path"]) for d, _key in batch])
        for document, key in batch:
            document["citations"] = found.get(document["id"], {})
            if store is not None:
                store.put(key, document["citations"])


def _citation_key(path: Path, root: etree._Element) -> str:
    """What a document's citation is made from (cite.record): its path, its root element (id,
    attributes, line) and its header. A change to its text alone keeps its citations."""
    from teiedition import cache

    header = root.find(f"{TEI}teiHeader")
    return cache.digest(str(path), str(root.sourceline or 0), json.dumps(sorted(root.attrib.items())),
                        b"" if header is None else etree.tostring(header, with_tail=False))


def _resolver():
    """Path(path).resolve() for many files: each folder resolved once (10,000 documents in a few
    folders), a linked file on its own."""
    folders: dict[str, str] = {}

    def resolved(path) -> Path:
        text = os.path.join(os.getcwd(), path)  # not normalised: a '..' after a link is the link's
        if os.path.islink(text):
            return Path(text).resolve()
        folder, name = os.path.split(text)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        return Path(folders[folder], name)
    return resolved


def gather(sources: list[Path], store=None, citation_store=None,
           digests: dict[str, str] | None = None) -> SiteIndex:
    """Read every file once and keep only what the whole-corpus pages and cross-links need.

    With cache.Stores, a document whose bytes are unchanged is not parsed again (its record is
    stored), and its citations are kept while it and the edition's own files are unchanged.
    digests: each file's cache.source_key when the build has read it already (no second read).
    """
    from teiedition import cache

    digests = digests or {}
    resolved = _resolver()
    root = etree.Element(S + "site", nsmap={"s": SITE_NS})
    documents, entries, base, context_files, context_parts = [], [], "", [], [cache.fingerprint()]
    for path in sources:
        key = digests.get(str(path))
        data = None
        if key is None:
            data = Path(path).read_bytes()
            key = cache.source_key(path, data)
        stored = store.get(key) if store is not None else None
        uri = resolved(path).as_uri()
        if stored is not None and stored["kind"] == "document" and "content" in stored and \
                "cite" in stored:
            documents.append(dict(stored["record"], path=str(path), href=uri, digest=key,
                                  content=stored["content"], cite=stored["cite"]))
            continue
        tei = corpus.parse(path, data if data is not None else Path(path).read_bytes()).getroot()
        kind = corpus.kind_of(tei)
        if kind == "edition":
            base = _text(_first(tei, "tei:teiHeader/tei:fileDesc/tei:publicationStmt/"
                                     "tei:idno[@type='URI']"))
            etree.SubElement(root, S + "edition", href=uri, lang=tei.get(XML_LANG) or "en")
            for category in tei.iter(TEI + "category"):
                etree.SubElement(root, S + "type", id=category.get(XML_ID) or "",
                                 label=_text(category.find(TEI + "catDesc")))
        elif kind == "register":
            etree.SubElement(root, S + "register", href=uri)
            for element in tei.iter(*ENTRY_KINDS):
                if element.get(XML_ID):
                    entries.append(_entry(element, ENTRY_KINDS[element.tag]))
        else:
            record = _document(path, tei, {})
            kept = {k: v for k, v in record.items() if k not in ("path", "citations")}
            # What the record holds, hashed once (document_keys): the file's digest would change
            # with its text, which the index does not show.
            content = cache.digest(json.dumps(kept, sort_keys=True))
            cite = _citation_key(path, tei)
            if store is not None:
                store.put(key, {"kind": "document", "record": kept, "content": content, "cite": cite})
            documents.append(record | {"href": uri, "digest": key, "content": content, "cite": cite})
            continue
        context_files.append(Path(path))
        context_parts.append(key)  # the file's path and bytes
        if store is not None:
            store.put(key, {"kind": kind})
    _citations(documents, context_files, cache.digest(*context_parts), citation_store)
    if base and not base.endswith("/"):
        base += "/"
    if not re.match(r"https?://[^\s/\\]", base, re.IGNORECASE):
        base = ""  # only an http(s) address may become links, canonical URLs and sitemap entries
    root.set("base", base)
    documents.sort(key=lambda d: (d["sort"] or "9999", _number_key(d["n"]), d["id"], d["path"]))
    # Each document's file names (page, TEI copy, citations), safe and unique across the corpus.
    for document, name in zip(documents, naming.page_names(d["id"] for d in documents), strict=True):
        document["page"] = name
    for entry in entries:
        etree.SubElement(root, S + "entry", {k: v for k, v in entry.items() if v})
    return SiteIndex(root, base, documents, cache.digest(*context_parts))


def _document_attributes(document: dict, position: int) -> dict[str, str]:
    return {"id": document["id"], "page": document["page"], "n": document["n"],
            "position": str(position),
            "href": document["href"], "type": document["type"], "title": document["title"],
            "short": document["short"] or document["title"], "lang": document["lang"],
            "sort": document["sort"], "ids": " ".join(document["ids"])}


def _write_document(root: etree._Element, document: dict, position: int) -> None:
    element = etree.SubElement(root, S + "document", _document_attributes(document, position))
    etree.SubElement(element, S + "date", document["date"])
    for role, kind, refs, name in document["correspondents"]:
        etree.SubElement(element, S + role, kind=kind, ref=refs).text = name
    for kind, text in document["citations"].items():
        etree.SubElement(element, S + "citation", format=kind).text = text
    labels = document["labels"]
    for ref, passage in document["mentions"]:
        etree.SubElement(element, S + "mention", ref=ref, passage=passage,
                         label=labels.get(passage, "text"))
    for attributes, passage, text in document["dates"]:
        etree.SubElement(element, S + "event", attributes | {
            "passage": passage, "label": labels.get(passage, "text")}).text = text
