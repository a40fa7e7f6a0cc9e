"""teiedition: validate TEI P5 editions and build them into a site, plain text and a print PDF."""

__version__ = "0.1.0"
