"""Check a parsed TEI tree against schema/tei-edition.xsd, compiled once per process."""

from __future__ import annotations

from functools import cache

from lxml import etree

from teiedition import resources
from teiedition.diagnostics import Diagnostic, error

SCHEMA_FILE = "tei-edition.xsd"


@cache
def compiled() -> etree.XMLSchema | None:
    path = resources.schema(SCHEMA_FILE)
    if not path.exists():
        return None
    return etree.XMLSchema(etree.parse(str(path)))


def warm_up() -> None:
    """Worker initializer: compile the schema once per process."""
    compiled()


def check_tree(path: str, tree: etree._ElementTree) -> list[Diagnostic]:
    xsd = compiled()
    if xsd is None or xsd.validate(tree):
        return []
    return [error(path, entry.line, entry.message, "xsd", entry.column)
            for entry in xsd.error_log]
