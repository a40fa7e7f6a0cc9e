"""tei-edition.xsd is a true subset of TEI P5: statically against tei_all.rng, and by jing on files."""

from __future__ import annotations

import subprocess
from functools import cache

import pytest
from conftest import DATA, ROOT, TEI, TEI_ALL, require_tool
from lxml import etree

from teiedition import corpus, schema

RNG = "{http://relaxng.org/ns/structure/1.0}"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"
XSD = ROOT / "schema" / "tei-edition.xsd"
VALID_FIXTURES = sorted((DATA / "valid").rglob("*.xml"))


def tei_all() -> etree._ElementTree:
    if not TEI_ALL.is_file():
        pytest.skip(f"the TEI P5 schema is absent: {TEI_ALL} (see ../shared/schemas/README.md)")
    return etree.parse(str(TEI_ALL))


@cache
def tei_models(names: frozenset[str]) -> dict[str, tuple[set[str], set[str]]]:
    """Element name -> (attribute names, child element names) that tei_all allows, order aside."""
    tree = tei_all()
    defines: dict[str, list] = {}
    for define in tree.iter(RNG + "define"):
        defines.setdefault(define.get("name"), []).append(define)

    def walk(node, attributes, children, seen):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == RNG + "element":
                children.add(child.get("name"))
            elif child.tag == RNG + "attribute":
                name = child.get("name")
                if name is None:
                    named = child.find(RNG + "name")
                    name = ("xml:" if named is not None and named.get("ns", "").endswith(
                        "XML/1998/namespace") else "") + (named.text if named is not None else "*")
                attributes.add(name)
            elif child.tag == RNG + "ref":
                if child.get("name") not in seen:
                    seen.add(child.get("name"))
                    for define in defines.get(child.get("name"), []):
                        walk(define, attributes, children, seen)
            else:
                walk(child, attributes, children, seen)

    models = {}
    for element in tree.iter(RNG + "element"):
        if element.get("name") not in names:
            continue
        attributes, children = set(), set()
        walk(element, attributes, children, set())
        models[element.get("name")] = (attributes, children)
    return models


def test_every_xsd_element_allows_only_what_tei_all_allows():
    import xmlschema

    xsd = xmlschema.XMLSchema(str(XSD))
    models = tei_models(frozenset(e.local_name for e in xsd.elements.values()))
    excess = {}
    for element in xsd.elements.values():
        name = element.local_name
        if name not in models:
            excess[name] = "not a TEI element"
            continue
        attributes = {a.replace(XML_NS, "xml:") for a in element.attributes}
        content = getattr(element.type, "content", None)
        children = ({e.local_name for e in content.iter_elements()}
                    if hasattr(content, "iter_elements") else set())
        allowed_attributes, allowed_children = models[name]
        extra = sorted(attributes - allowed_attributes) + sorted(children - allowed_children)
        if extra:
            excess[name] = extra
    assert excess == {}
    assert len(xsd.elements) > 100


@pytest.fixture(scope="module")
def jing_findings() -> str:
    """jing's output for the valid fixtures and the edition together: one JVM start, not two."""
    jing = require_tool("jing")
    tei_all()
    files = VALID_FIXTURES + sorted(TEI.rglob("*.xml"))
    run = subprocess.run([jing, str(TEI_ALL), *map(str, files)], capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


def test_valid_fixtures_are_valid_tei_p5(jing_findings):
    assert [line for line in jing_findings.splitlines() if str(DATA) in line] == []


def test_encoded_edition_is_valid_tei_p5(jing_findings):
    if not sorted(TEI.rglob("*.xml")):
        pytest.skip(f"no encoded edition yet in {TEI}")
    assert [line for line in jing_findings.splitlines() if str(TEI) + "/" in line] == []


def test_encoded_edition_passes_the_project_schema():
    files = sorted(TEI.rglob("*.xml"))
    if not files:
        pytest.skip(f"no encoded edition yet in {TEI}")
    problems = [d.format() for f in files for d in schema.check_tree(str(f), corpus.parse(f))]
    assert problems == []


def test_every_tei_file_names_the_existing_xsd_and_schematron_in_xml_model():
    files = sorted(TEI.rglob("*.xml")) + VALID_FIXTURES
    missing = []
    for path in files:
        tree = corpus.parse(path)
        node, hrefs = tree.getroot().getprevious(), []
        while node is not None:
            if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
                hrefs.append(node.get("href"))
            node = node.getprevious()
        if not any(h.endswith(".xsd") for h in hrefs):
            missing.append(f"{path}: no xml-model for the XSD")
        for href in hrefs:
            if not (path.parent / href).resolve().is_file():
                missing.append(f"{path}: {href} does not exist")
    assert missing == []


def test_schema_compiles_with_libxml2_and_xmlschema():
    assert schema.compiled() is not None
    assert schema.explainer().validity == "valid"
