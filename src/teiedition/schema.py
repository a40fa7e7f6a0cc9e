"""Check a parsed TEI tree against schema/tei-edition.xsd: libxml2 decides, messages made readable."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from teiedition import corpus, resources
from teiedition.diagnostics import Diagnostic, error

SCHEMA_FILE = "tei-edition.xsd"
RULE = "xsd"
# Values of these attributes are dates; rule date.valid explains a bad one better than the XSD.
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter")

_NAMESPACE = re.compile(r"\{[a-zA-Z][a-zA-Z0-9+.-]*:[^}\s]*\}")
_ELEMENT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)
_EXPECTED = re.compile(r"Expected is(?: one of)? \( ?(.*?) ?\)")
_VALUE = re.compile(r"(?:The value )?'([^']*)' is not (?:a valid value|an element|accepted)")
_ENUMERATION = re.compile(r"set \{(.*)\}")
_POINTER_TYPES = ("pointer", "pointers", "localPointer")


class SchemaError(Exception):
    """The schema file itself cannot be read or compiled."""


@cache
def compiled(path: Path | None = None) -> etree.XMLSchema | None:
    """The XSD compiled by libxml2, once per process (None when the file is absent)."""
    path = path or resources.schema(SCHEMA_FILE)
    if not path.exists():
        return None
    try:
        return etree.XMLSchema(etree.parse(str(path)))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaError(f"{path}: cannot compile the schema: {exc}") from None


@cache
def explainer(path: Path | None = None):
    """xmlschema's view of the same XSD, compiled once per process, for messages libxml2 garbles."""
    import xmlschema

    return xmlschema.XMLSchema(str(path or resources.schema(SCHEMA_FILE)))


def warm_up() -> None:
    """Worker initializer: compile the schema once per process."""
    compiled()


def is_valid(tree: etree._ElementTree, path: Path | None = None) -> bool:
    xsd = compiled(path)
    return xsd is None or xsd.validate(tree)


def check_tree(path: str, tree: etree._ElementTree, schema_path: Path | None = None
               ) -> list[Diagnostic]:
    """One readable diagnostic per schema problem.

    With the edition's own schema, bad dates are left to rule date.valid, which explains them.
    """
    xsd = compiled(schema_path)
    if xsd is None or xsd.validate(tree):
        return []
    found: dict[tuple, Diagnostic] = {}
    explanations: dict[int, str] | None = None  # xmlschema's, computed once per file if needed
    for entry in xsd.error_log:
        element = _element_at(tree, entry.path)
        match = _ELEMENT.match(entry.message or "")
        attribute = match[2] if match else None
        if attribute in DATE_ATTRIBUTES and schema_path is None:
            continue
        message = readable(entry.message or "", element)
        if message is None:
            if explanations is None:
                explanations = _explanations(tree, schema_path)
            message = explanations.get(entry.line) or _plain(entry.message)
        key = (entry.line, entry.path, attribute) if attribute else (entry.line, entry.path, message)
        # libxml2 reports a list value twice (the facet, then the list type): keep the last word.
        found[key] = error(path, entry.line, message, RULE, entry.column)
    return list(found.values())


def readable(message: str, element: etree._Element | None) -> str | None:
    """libxml2's message in the edition's terms (None when it is not one we know)."""
    match = _ELEMENT.match(message.strip())
    if not match:
        return None
    name, attribute, text = _plain(match[1]), match[2], _plain(match[3])
    if attribute is None and element is not None and element.prefix:
        name = f"{element.prefix}:{name}"  # a foreign element keeps its prefix: <xi:include>
    where = _where(element)
    own = _where(element, itself=True)
    expected = _EXPECTED.search(text)
    wanted = ""
    if expected:
        names = [f"<{n.strip()}>" for n in expected[1].split(",") if n.strip()]
        names = names[:8] + (["..."] if len(names) > 8 else [])
        wanted = "; expected " + (names[0] if len(names) == 1 else "one of " + ", ".join(names))
    if attribute is None:
        if "This element is not expected" in text:
            return f"<{name}> is not allowed here in {where}{wanted}"
        if "Missing child element" in text:
            return f"<{name}> is incomplete ({own}){wanted}"
        if "Character content other than whitespace is not allowed" in text:
            return f"<{name}> may not contain text ({own})"
        if "is not allowed" in text and "attribute" in text.lower():
            found = re.search(r"attribute '([^']+)'", text)
            return f"<{name}> does not allow attribute @{found[1] if found else '?'} ({own})"
        required = re.search(r"The attribute '([^']+)' is required but missing", text)
        if required:
            return f"<{name}> lacks the required attribute @{required[1]} ({own})"
        if "No matching global declaration" in text:
            return f"<{name}> is not an element of the edition's TEI subset"
        return None
    if "is not allowed" in text:
        return f"<{name}> does not allow attribute @{attribute} ({own})"
    value = _VALUE.search(text)
    shown = f"'{value[1]}'" if value else "value"
    choices = _ENUMERATION.search(text)
    if choices:
        allowed = ", ".join(c.strip().strip("'") for c in choices[1].split(","))
        return f"{name}/@{attribute} {shown} is not one of: {allowed} ({own})"
    pointer_pattern = "[facet 'pattern']" in text and attribute in corpus.POINTER_ATTRIBUTES
    if pointer_pattern or any(f"type '{t}'" in text for t in _POINTER_TYPES):
        return (f"{name}/@{attribute} {shown} is not a pointer: write '#id' or an absolute URI "
                f"({own})")
    type_name = re.search(r"type '([^']+)'", text)
    if type_name:
        return f"{name}/@{attribute} {shown} is not a valid {type_name[1]} ({own})"
    return None


def _plain(text: str) -> str:
    return _NAMESPACE.sub("", " ".join(str(text).split())).rstrip(".")


def _element_at(tree: etree._ElementTree, xpath: str | None) -> etree._Element | None:
    if not xpath:
        return None
    try:
        found = tree.xpath(xpath)
    except etree.XPathError:  # a prefixed step (xi:include): give the document's prefixes
        prefixes = {p: u for e in tree.iter(etree.Element) for p, u in e.nsmap.items() if p}
        try:
            found = tree.xpath(xpath, namespaces=prefixes)
        except etree.XPathError:
            return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _where(element: etree._Element | None, itself: bool = False) -> str:
    """A readable path such as TEI/text/body/div: the element's parent chain, or its own."""
    if element is None:
        return "the document"
    chain = [element] if itself else []
    chain.extend(element.iterancestors())
    return "/".join(etree.QName(e).localname for e in reversed(chain)) or "the document root"


def _explanations(tree: etree._ElementTree, schema_path: Path | None) -> dict[int, str]:
    """xmlschema's reason for the first problem on each line, for messages we do not rewrite."""
    reasons: dict[int, str] = {}
    try:
        for problem in explainer(schema_path).iter_errors(tree):
            line = getattr(problem, "sourceline", None)
            if line and problem.reason and line not in reasons:
                reasons[line] = f"{_plain(problem.reason)} ({(problem.path or '').lstrip('/')})"
    except Exception:  # an explanation is a nicety; the verdict is libxml2's
        return reasons
    return reasons
