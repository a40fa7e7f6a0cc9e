"""`teiedition show`: what an id is, where it is, its text, and where a register entry is mentioned."""

from __future__ import annotations

from lxml import etree

from teiedition.cite import (
    PASSAGE_NAMES,
    REGISTER_ENTRIES,
    Record,
    kind_of_id,
    ordered_files,
    passage_label,
    text_of,
)
from teiedition.corpus import TEI, XML_ID, Corpus, CorpusFile, iter_pointers, local_name

# Register entry children shown under their own caption; everything else by its element name.
CAPTIONS = {"occupation": "occupation", "birth": "born", "death": "died", "note": "note",
            "location": "location", "affiliation": "affiliation", "residence": "residence",
            "desc": "description", "state": "state", "event": "event", "floruit": "active"}


def _heading(record: Record, corpus: Corpus) -> list[str]:
    lines = [f"{record.id}  {record.kind}: {record.title}" if record.kind in REGISTER_ENTRIES.values()
             else _document_heading(record)]
    lines.append(f"  file: {record.path}:{record.line}")
    lines.append(f"  url:  {record.url}")
    return lines


def _document_heading(record: Record) -> str:
    number = f"document {record.number}" if record.number else f"document {record.document_id}"
    if record.kind == "document":
        return f"{record.id}  {number}: {record.title}"
    return f"{record.id}  {record.label} of {number} ({record.document_id}): {record.title}"


def _when(element: etree._Element) -> str:
    when = element.get("when")
    if when:
        return when
    span = [element.get(a) for a in ("notBefore", "from") if element.get(a)][:1] + \
           [element.get(a) for a in ("notAfter", "to") if element.get(a)][:1]
    return "–".join(span) or text_of(element)


def _document_facts(record: Record) -> list[str]:
    facts = []
    if record.date:
        facts.append(f"  date: {record.date}" + (f"  type: {record.genre}" if record.genre else ""))
    if record.authors or record.recipients:
        senders = ", ".join(n.display() for n in record.authors) or "?"
        receivers = ", ".join(n.display() for n in record.recipients) or "?"
        facts.append(f"  from: {senders}  to: {receivers}")
    return facts


def _passages(document: CorpusFile) -> list[str]:
    """Every citable passage and note of a document, with its id, in reading order."""
    lines = []
    for element in document.root.iter(etree.Element):
        identifier = element.get(XML_ID)
        if identifier and element is not document.root and kind_of_id(document, element):
            if any(a.get(XML_ID) and kind_of_id(document, a) in ("passage", "note")
                   for a in element.iterancestors()) and local_name(element) != "note":
                continue  # its text is already shown with the passage that holds it
            lines.append(f"[{identifier}] {text_of(element)}")
    return lines


def _details(entry: etree._Element) -> list[str]:
    kind = REGISTER_ENTRIES[entry.tag]
    name_tag = {"person": "persName", "place": "placeName", "org": "orgName"}[kind]
    lines = []
    if entry.get("cert"):
        lines.append(f"  certainty of identification: {entry.get('cert')}")
    variants = [text_of(n) for n in entry.findall(TEI + name_tag) if n.get("type") != "main"]
    if variants:
        lines.append(f"  also: {'; '.join(variants)}")
    for child in entry:
        name = local_name(child)
        if not name or name == name_tag:
            continue
        if name == "idno":
            lines.append(f"  {child.get('type') or 'idno'}: {text_of(child)}")
        elif name in ("birth", "death", "floruit"):
            lines.append(f"  {CAPTIONS[name]}: {_when(child)}")
        else:
            value = text_of(child)
            dated = child.get("when") or child.get("notBefore") or child.get("from")
            if dated:
                value += f" ({_when(child)})"
            lines.append(f"  {CAPTIONS.get(name, name)}: {value}")
    return lines


def mentions(identifier: str, corpus: Corpus) -> list[tuple[str, str]]:
    """(where, description) for every place a document points at the id, in document order."""
    found: list[tuple[str, str]] = []
    for document in ordered_files(corpus):
        if document.kind != "document":
            continue
        number = _number(document)
        for element in document.root.iter(etree.Element):
            if not any(target == identifier for _attr, target in iter_pointers(element)):
                continue
            where, description = _place_of(document, element)
            entry = (where, f"{number}, {description}")
            if entry not in found:
                found.append(entry)
    return found


def _number(document: CorpusFile) -> str:
    from teiedition.cite import document_number

    number = document_number(document)
    return f"document {number}" if number else f"document {document.id}"


def _place_of(document: CorpusFile, element: etree._Element) -> tuple[str, str]:
    for holder in [element, *element.iterancestors()]:
        identifier = holder.get(XML_ID)
        if holder is document.root:
            break
        if identifier and kind_of_id(document, holder) in ("passage", "note"):
            return identifier, passage_label(document, holder)
    action = next((a for a in element.iterancestors(TEI + "correspAction")), None)
    if action is not None:
        role = {"sent": "sender", "received": "recipient"}.get(action.get("type"), "correspondent")
        return document.id or "", f"header: {role}"
    if next(element.iterancestors(TEI + "teiHeader"), None) is not None:
        return document.id or "", "header"
    block = next((a for a in [element, *element.iterancestors()]
                  if local_name(a) in PASSAGE_NAMES and local_name(a) != "div"), None)
    return document.id or "", PASSAGE_NAMES[local_name(block)] if block is not None else "text"


def describe(record: Record, corpus: Corpus) -> str:
    corpus_file, element = corpus.lookup(record.id)
    lines = _heading(record, corpus)
    if record.kind in REGISTER_ENTRIES.values():
        lines += _details(element)
        places = mentions(record.id, corpus)
        lines.append("")
        lines.append(f"mentioned in {len(places)} place(s):" if places else "mentioned nowhere")
        lines += [f"  {where}  ({description})" for where, description in places]
    elif record.kind == "document":
        lines += _document_facts(record)
        lines.append("")
        lines += _passages(corpus_file)
    else:
        lines += _document_facts(record)
        lines.append("")
        lines.append(text_of(element))
    return "\n".join(lines)
