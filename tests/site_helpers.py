"""What the site tests share: building a corpus into a site, reading pages, comparing text and links."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from lxml import etree, html

from teiedition.build import build

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FIXTURE = Path(__file__).resolve().parent / "data" / "site" / "tei"
REGISTER_PAGES = {"person": "persons.html", "personGrp": "persons.html", "place": "places.html",
                  "org": "organisations.html"}
WORD = re.compile(r"\w+", re.UNICODE)


def build_site(corpus: Path, out: Path, validate: bool = True):
    """Build only the html target of a corpus through the real build(); (site folder, result)."""
    result = build([corpus], out, targets=["html"], jobs=1, validate=validate)
    return out / "site", result


def copy_fixture(destination: Path) -> Path:
    target = destination / "tei"
    shutil.copytree(FIXTURE, target)
    return target


def page(site: Path, name: str) -> html.HtmlElement:
    return html.parse(str(site / name)).getroot()


def documents(corpus: Path) -> list[tuple[Path, etree._Element]]:
    """(path, root) of every document file of a corpus (TEI/@type='document')."""
    found = []
    for path in sorted(corpus.rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        if root.get("type") == "document":
            found.append((path, root))
    return found


def register_kinds(corpus: Path) -> dict[str, str]:
    """Register entry id -> the register page it must be listed on."""
    kinds = {}
    for path in sorted(corpus.rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        if root.get("type") != "register":
            continue
        for element in root.iter(*(f"{{{TEI_NS}}}{name}" for name in REGISTER_PAGES)):
            if element.get(XML_ID):
                kinds[element.get(XML_ID)] = REGISTER_PAGES[etree.QName(element).localname]
    return kinds


def tei_mentions(root: etree._Element) -> Counter:
    """Every ref target of a persName/placeName/orgName/rs in the text and correspondence."""
    found: Counter = Counter()
    for element in root.xpath("tei:text//tei:*[self::tei:persName or self::tei:placeName or "
                              "self::tei:orgName or self::tei:rs][@ref] | tei:teiHeader/"
                              "tei:profileDesc/tei:correspDesc//tei:*[@ref]", namespaces=NS):
        for token in element.get("ref").split():
            found[token.lstrip("#")] += 1
    return found


def page_mentions(document: html.HtmlElement) -> Counter:
    """Every name link on a page, once per TEI element (a name split around inner names counts once)."""
    found: Counter = Counter()
    for link in document.xpath("//main//a[@data-ref][contains(@class, 'name')]"):
        group = link.getparent()
        if "name-group" in (group.get("class") or "") and any(
                earlier.get("data-ref") == link.get("data-ref")
                for earlier in link.itersiblings("a", preceding=True)):
            continue
        found[(link.get("data-ref"), link.get("href"))] += 1
    return found


def tei_words(root: etree._Element) -> Counter:
    text = root.find(f"{{{TEI_NS}}}text")
    return Counter(WORD.findall(" ".join(text.itertext())))


def page_words(document: html.HtmlElement) -> Counter:
    main = document.find(".//main")
    return Counter(WORD.findall(" ".join(main.itertext())))
