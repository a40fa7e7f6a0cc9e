"""Locate the stylesheets and schemas shipped with teiedition (xslt/, schema/)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# In a source checkout (and an editable install) the folders sit at the top of the repository;
# an installed wheel carries them as the data packages teiedition.xslt and teiedition.schema.
_CHECKOUT = Path(__file__).resolve().parents[2]


def _folder(name: str) -> Path:
    local = _CHECKOUT / name
    if local.is_dir():
        return local
    return Path(str(files(f"teiedition.{name}")))


def stylesheet_dir() -> Path:
    """The folder holding html.xsl, text.xsl, print.xsl and their modules."""
    return _folder("xslt")


def schema_dir() -> Path:
    """The folder holding tei-edition.xsd and the Schematron rules."""
    return _folder("schema")


def stylesheet(name: str) -> Path:
    return stylesheet_dir() / name


def schema(name: str) -> Path:
    return schema_dir() / name
