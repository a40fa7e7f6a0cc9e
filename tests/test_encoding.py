"""The encoded edition against its seed: nothing lost, markup kept, pointers resolved, names tagged."""

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
TEI_DIR = ROOT / "tei"
DOCUMENTS_DIR = TEI_DIR / "documents"
REGISTERS_DIR = TEI_DIR / "registers"
SEED = ROOT.parent / "shared" / "seed" / "000_c5a588f108b3ad1e.txt"
TEI_ALL = ROOT.parent / "shared" / "schemas" / "tei_all.rng"

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

DOCUMENT_IDS = [f"doc-4.{n}" for n in range(1, 8)]

# The heading with which each document begins in the body of the seed (after its table of contents).
SEED_HEADINGS = {
    "doc-4.1": "STATEMENT BY THE ISRAELI FOREIGN MINISTRY REPRESENTATIVE TO THE PRESS.",
    "doc-4.2": "LETTER FROM B. RAZIN. ACTING DIRECTOR OF THE EASTERN EUROPEAN DEPARTMENT OF THE ISRAELI FOREIGN MINISTRY S.BENZURU.",  # noqa: E501 (verbatim heading)
    "doc-4.3": "TELEGRAM OF THE CHARGE D'AFFAIRES OF ISRAEL IN BULGARIA B. RAZIN TO THE EASTERN EUROPEAN DEPARTMENT OF THE ISRAELI FOREIGN MINISTRY.",  # noqa: E501 (verbatim heading)
    "doc-4.4": 'REFERENCE OF THE DEPARTMENT OF THE MIDDLE EAST OF THE USSR FOREIGN MINISTRY "ON ISRAEL\'S ATTEMPTS TO RESTORE DIPLOMATIC RELATIONS WITH THE USSR".',  # noqa: E501 (verbatim heading)
    "doc-4.5": "LETTER FROM THE CHARGE D'AFFAIRES OF ISRAEL IN HUNGARY AND BULGARIA, G. AVNER TO THE DEPUTY DIRECTOR GENERAL OF THE ISRAELI FOREIGN MINISTRY A. LEVAWI.",  # noqa: E501 (verbatim heading)
    "doc-4.6": "LETTER FROM ISRAELI FOREIGN MINISTER M. CHARETTA TO THE MINISTER OF FOREIGN AFFAIRS OF THE USSR V.M. MOLOTOV.",  # noqa: E501 (verbatim heading)
    "doc-4.7": "LETTER FROM SOVIET FOREIGN MINISTER V.M. MOLOTOV TO ISRAELI FOREIGN MINISTER M. SHARETT.",
}

# The tagged markup established for each document's body (text/body), so that a later loss fails.
EXPECTED_COUNTS = {
    "doc-4.1": {"persName": 0, "placeName": 7, "orgName": 7, "rs": 1, "date": 2, "gap": 0, "note": 3},
    "doc-4.2": {"persName": 6, "placeName": 2, "orgName": 9, "rs": 16, "date": 8, "gap": 1, "note": 9},
    "doc-4.3": {"persName": 3, "placeName": 6, "orgName": 2, "rs": 5, "date": 2, "gap": 1, "note": 3},
    "doc-4.4": {"persName": 10, "placeName": 14, "orgName": 8, "rs": 1, "date": 5, "gap": 2, "note": 10},
    "doc-4.5": {"persName": 10, "placeName": 32, "orgName": 6, "rs": 10, "date": 16, "gap": 10, "note": 18},
    "doc-4.6": {"persName": 3, "placeName": 19, "orgName": 12, "rs": 2, "date": 6, "gap": 0, "note": 6},
    "doc-4.7": {"persName": 3, "placeName": 12, "orgName": 14, "rs": 4, "date": 4, "gap": 0, "note": 3},
}

# Normalisations between the seed and the TEI text, the only differences the word comparison allows:
# 1. a run of three or more dots in the seed (".....", "...", "....") is one gap element in the TEI;
# 2. the number or letter that opens a numbered point in the seed ("1.", "(c)") is item/@n in the TEI;
# 3. words are compared case-insensitively, without punctuation or whitespace;
# 4. editorial additions are left out of the TEI side: note, and the supplied readings corr, reg, supplied.
GAP_TOKEN = "<gap>"
WORD_OR_OMISSION = re.compile(r"\.{3,}|[^\W_]+(?:['\u2019][^\W_]+)*")
EDITORIAL = {"note", "corr", "reg", "supplied"}
BLOCK = {"div", "head", "opener", "closer", "dateline", "salute", "signed", "p", "list", "item", "seg", "lb"}

# Where names must not occur untagged: everything but the text inside these elements.
TAGGED = {"persName", "placeName", "orgName", "rs", "note", "title"}
POINTER_ATTRIBUTES = ("ref", "target", "corresp", "scheme", "who", "source")


def local(element):
    return etree.QName(element).localname


def parse(path):
    return etree.parse(str(path))


def document_path(doc_id):
    return DOCUMENTS_DIR / f"{doc_id}.xml"


def document_body(doc_id):
    body = parse(document_path(doc_id)).find(".//t:text/t:body", NS)
    assert body is not None, f"{doc_id}: no text/body"
    return body


def tokens(text):
    return [
        GAP_TOKEN if match.startswith("...") else match.lower() for match in WORD_OR_OMISSION.findall(text)
    ]


def seed_sections():
    """The seed's text of each document: from its heading in the body up to the next document's heading."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    toc_end = next(i for i, line in enumerate(lines) if line.startswith("4.7. "))
    starts = []
    position = toc_end + 1
    for doc_id in DOCUMENT_IDS:
        heading = SEED_HEADINGS[doc_id]
        index = next(i for i in range(position, len(lines)) if lines[i].strip() == heading)
        starts.append(index)
        position = index + 1
    starts.append(len(lines))
    return {doc_id: "\n".join(lines[starts[i] : starts[i + 1]]) for i, doc_id in enumerate(DOCUMENT_IDS)}


def transmitted_text(element):
    """An element's transmitted text: editorial additions left out, gaps as dots, item numbers from @n."""
    parts = []

    def walk(node):
        name = local(node)
        if name in EDITORIAL:
            return
        if name == "gap":
            parts.append(" ..... ")
            return
        if name in BLOCK:
            parts.append(" ")
        if name == "item" and node.get("n"):
            parts.append(f" {node.get('n')} ")
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)
        if name in BLOCK:
            parts.append(" ")

    walk(element)
    return "".join(parts)


def untagged_text(element):
    """The text of an element outside names, descriptions, notes and titles; those become a space."""
    parts = []

    def walk(node):
        if local(node) in TAGGED:
            parts.append(" ")
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        parts.append(" ")

    walk(element)
    return "".join(parts)


def normalised(text):
    return " ".join(text.split())


def register_entries():
    """Every register entry: id -> (kind, set of its name forms)."""
    entries = {}
    for name, kind in (("persons", "person"), ("places", "place"), ("organisations", "org")):
        tree = parse(REGISTERS_DIR / f"{name}.xml")
        for entry in tree.iter(f"{{{TEI}}}{kind}"):
            forms = {
                normalised("".join(n.itertext()))
                for n in entry
                if local(n) in ("persName", "placeName", "orgName")
            }
            if kind == "person":
                forms |= {normalised(s.text) for s in entry.iterfind("t:persName/t:surname", NS) if s.text}
            entries[entry.get(XML_ID)] = (kind, forms)
    return entries


def all_tei_files():
    return sorted(TEI_DIR.rglob("*.xml"))


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_every_word_of_the_seed_is_in_the_encoded_document(doc_id):
    expected = tokens(seed_sections()[doc_id])
    actual = tokens(transmitted_text(document_body(doc_id)))
    if actual != expected:
        matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
        differences = [
            f"{tag}: seed {expected[max(i1 - 3, 0) : i2 + 3]} / tei {actual[max(j1 - 3, 0) : j2 + 3]}"
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
        pytest.fail(f"{doc_id}: the TEI text differs from the seed:\n" + "\n".join(differences[:10]))


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_omission_marks_are_encoded_as_gaps(doc_id):
    body = document_body(doc_id)
    text = "".join(body.xpath(".//text()[not(ancestor::t:note)]", namespaces=NS))
    assert not re.search(r"\.{3,}", text), f"{doc_id}: a run of dots is left in the text instead of a gap"
    for gap in body.iter(f"{{{TEI}}}gap"):
        assert gap.get("reason") == "omitted-in-source"


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_markup_counts_are_kept(doc_id):
    body = document_body(doc_id)
    counts = {name: len(body.findall(f".//t:{name}", NS)) for name in EXPECTED_COUNTS[doc_id]}
    assert counts == EXPECTED_COUNTS[doc_id]


def test_ids_are_unique_and_every_pointer_resolves():
    ids = {}
    pointers = []
    for path in all_tei_files():
        for element in parse(path).iter():
            if not isinstance(element.tag, str):
                continue
            xml_id = element.get(XML_ID)
            if xml_id:
                assert xml_id not in ids, f"xml:id {xml_id!r} in {path.name} already in {ids[xml_id]}"
                ids[xml_id] = path.name
            for attribute in POINTER_ATTRIBUTES:
                for token in (element.get(attribute) or "").split():
                    if token.startswith("#"):
                        pointers.append((path.name, element.sourceline, attribute, token[1:]))
    unresolved = [p for p in pointers if p[3] not in ids]
    assert pointers, "no pointers found"
    assert not unresolved, f"pointers to no xml:id: {unresolved}"


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_no_register_name_occurs_untagged(doc_id):
    text = untagged_text(document_body(doc_id))
    found = []
    for entry_id, (_kind, forms) in register_entries().items():
        for form in forms:
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                found.append((entry_id, form))
    assert not found, f"{doc_id}: untagged mentions {found}"


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_every_tagged_name_form_is_recorded_in_its_register_entry(doc_id):
    entries = register_entries()
    missing = []
    for name in ("persName", "placeName", "orgName"):
        for element in document_body(doc_id).iterfind(f".//t:{name}", NS):
            form = normalised(transmitted_text(element))
            for target in element.get("ref", "").split():
                kind, forms = entries[target[1:]]
                if form not in forms:
                    missing.append((target, form))
    assert not missing, f"{doc_id}: name forms missing from the registers {missing}"


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_names_point_to_register_entries_of_their_kind(doc_id):
    entries = register_entries()
    kinds = {"persName": "person", "placeName": "place", "orgName": "org"}
    for element in document_body(doc_id).iter(
        f"{{{TEI}}}persName", f"{{{TEI}}}placeName", f"{{{TEI}}}orgName", f"{{{TEI}}}rs"
    ):
        targets = element.get("ref", "").split()
        if local(element) != "rs":
            assert len(targets) == 1, f"{doc_id}:{element.sourceline}: {local(element)} without a single @ref"
            expected = kinds[local(element)]
        else:
            expected = {"person": "person", "place": "place", "org": "org"}[element.get("type")]
        for target in targets:
            assert entries[target[1:]][0] == expected, (
                f"{doc_id}:{element.sourceline}: {target} is not a {expected}"
            )


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_paragraphs_items_and_notes_carry_ids_of_the_document_scheme(doc_id):
    tree = parse(document_path(doc_id))
    assert tree.getroot().get(XML_ID) == doc_id
    assert tree.getroot().get("type") == "document"
    for name, pattern in (
        ("p", r"p\d+"),
        ("item", r"item\d+"),
        ("note", r"note\d+"),
        ("head", r"head|subject"),
    ):
        for element in tree.find(".//t:text", NS).iter(f"{{{TEI}}}{name}"):
            xml_id = element.get(XML_ID) or ""
            assert re.fullmatch(rf"{re.escape(doc_id)}-(?:{pattern})", xml_id), (
                f"{doc_id}: {name} with id {xml_id!r}"
            )


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_header_agrees_with_itself(doc_id):
    header = parse(document_path(doc_id)).find(".//t:teiHeader", NS)
    number = doc_id.removeprefix("doc-")
    assert header.findtext(".//t:publicationStmt/t:idno[@type='number']", namespaces=NS) == number
    creation = header.find(".//t:profileDesc/t:creation/t:date", NS)
    sent = header.find(".//t:correspAction[@type='sent']/t:date", NS)
    assert sent.get("when") == creation.get("when")
    assert header.find(".//t:textClass/t:catRef[@scheme='#doctypes']", NS) is not None
    assert header.find(".//t:sourceDesc/t:bibl[@corresp='#source']", NS) is not None


def test_all_files_are_valid_tei_all():
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing not installed: apt-get install jing")
    if not TEI_ALL.exists():
        pytest.skip(f"tei_all.rng not found at {TEI_ALL}")
    result = subprocess.run([jing, str(TEI_ALL), *map(str, all_tei_files())], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
